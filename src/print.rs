//! Text formatting of arrays that matches numpy 2.x `repr(a)` and `str(a)` character for character.
//!
//! Only numpy's default print options are reproduced (precision 8, threshold 1000, edgeitems 3,
//! linewidth 75, floatmode `maxprec`, no suppression, sign `-`), because those are what users
//! compare against when they paste numpy output next to ours.
//! The layout follows numpy's `_formatArray`: every printed element is first turned into a word of
//! a common width, then the words are laid out axis by axis with wrapping and `...` summaries.
//! The tests at the bottom compare against numpy's real output; `print_cases.py` regenerates them.

use std::fmt::{self, Display, LowerExp};
use std::ops::Div;
use std::str::FromStr;

/// numpy's default `threshold`: arrays with more elements than this are summarised.
const THRESHOLD: usize = 1000;
/// numpy's default `edgeitems`: elements kept at each end of a summarised axis.
const EDGE_ITEMS: usize = 3;
/// numpy's default `linewidth`.
const LINE_WIDTH: usize = 75;
/// numpy's default `precision`: the most fractional digits a float element shows.
const PRECISION: usize = 8;

/// Typed values of an array in C (row-major) order, borrowed for printing.
pub(crate) use lazygrad_cpu::SliceRef as PrintValues;

/// numpy's dtype name, and whether `repr` omits it because the printed values imply it.
fn repr_dtype(values: PrintValues<'_>) -> (&'static str, bool) {
    let implied = matches!(
        values,
        PrintValues::Bool(_) | PrintValues::I64(_) | PrintValues::F64(_)
    );
    (values.dtype().name(), implied)
}

/// numpy's `repr(a)`: `array([[1, 2],\n       [3, 4]])`, with `, dtype=float32` etc. where numpy shows one.
pub(crate) fn array_repr(values: PrintValues<'_>, shape: &[usize]) -> String {
    let prefix = "array(";
    let size: usize = shape.iter().product();
    debug_assert_eq!(
        values.len(),
        size,
        "internal error: values do not fill the shape"
    );
    let body = if size == 0 {
        "[]".to_string()
    } else {
        // numpy reserves one column of the line for the closing `)`.
        format_array(values, shape, ", ", prefix.len(), LINE_WIDTH - 1)
    };

    // numpy adds the shape whenever the text does not reveal it: empty arrays that are not
    // plain `(0,)`, and summarised arrays whose `...` hide the length.
    let mut extras = Vec::new();
    if (size == 0 && shape != [0]) || size > THRESHOLD {
        extras.push(format!("shape={}", shape_tuple(shape)));
    }
    let (dtype, implied) = repr_dtype(values);
    if !implied || size == 0 {
        extras.push(format!("dtype={dtype}"));
    }
    if extras.is_empty() {
        return format!("{prefix}{body})");
    }

    let head = format!("{prefix}{body},");
    let tail = format!("{})", extras.join(", "));
    let last_line_len = head.len() - head.rfind('\n').map_or(0, |newline| newline + 1);
    let spacer = if last_line_len + tail.len() + 1 > LINE_WIDTH {
        format!("\n{}", " ".repeat(prefix.len()))
    } else {
        " ".to_string()
    };
    format!("{head}{spacer}{tail}")
}

/// numpy's `str(a)` (what `print(a)` shows): `[[1 2]\n [3 4]]`.
pub(crate) fn array_str(values: PrintValues<'_>, shape: &[usize]) -> String {
    let size: usize = shape.iter().product();
    debug_assert_eq!(
        values.len(),
        size,
        "internal error: values do not fill the shape"
    );
    if shape.is_empty() {
        return scalar_str(values);
    }
    if size == 0 {
        return "[]".to_string();
    }
    format_array(values, shape, " ", 0, LINE_WIDTH)
}

/// Python's spelling of a shape tuple: `(2000,)`, `(0, 3)`.
fn shape_tuple(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    match dims.as_slice() {
        [single] => format!("({single},)"),
        _ => format!("({})", dims.join(", ")),
    }
}

/// The `str` of a 0-d array, which numpy prints like the scalar it holds, without `precision`.
fn scalar_str(values: PrintValues<'_>) -> String {
    match values {
        PrintValues::Bool(v) => if v[0] { "True" } else { "False" }.to_string(),
        PrintValues::U8(v) => v[0].to_string(),
        PrintValues::I8(v) => v[0].to_string(),
        PrintValues::U16(v) => v[0].to_string(),
        PrintValues::I16(v) => v[0].to_string(),
        PrintValues::U32(v) => v[0].to_string(),
        PrintValues::I32(v) => v[0].to_string(),
        PrintValues::U64(v) => v[0].to_string(),
        PrintValues::I64(v) => v[0].to_string(),
        PrintValues::F16(v) => float_scalar_str(Half(v[0])),
        PrintValues::F32(v) => float_scalar_str(v[0]),
        PrintValues::F64(v) => float_scalar_str(v[0]),
    }
}

/// Lays out a non-empty array; `prefix_len` is the width of `array(` that continuation lines skip.
fn format_array(
    values: PrintValues<'_>,
    shape: &[usize],
    separator: &str,
    prefix_len: usize,
    width: usize,
) -> String {
    let summarise = shape.iter().product::<usize>() > THRESHOLD;
    let mut strides = vec![1; shape.len()];
    for axis in (0..shape.len().saturating_sub(1)).rev() {
        strides[axis] = strides[axis + 1] * shape[axis + 1];
    }
    let mut offsets = Vec::new();
    collect_offsets(shape, &strides, summarise, 0, &mut offsets);

    // Widths and the choice of notation depend only on the elements that are shown, as in numpy.
    let words = format_elements(values, &offsets, shape.is_empty());
    let mut layout = Layout {
        shape,
        summarise,
        separator,
        words: words.into_iter(),
    };
    layout.block(0, &" ".repeat(1 + prefix_len), width)
}

/// The indices along an axis of length `len` that are printed; fewer than `len` means a `...` gap.
fn shown_indices(len: usize, summarise: bool) -> Vec<usize> {
    if summarise && len > 2 * EDGE_ITEMS {
        (0..EDGE_ITEMS).chain(len - EDGE_ITEMS..len).collect()
    } else {
        (0..len).collect()
    }
}

/// Appends the flat offsets of the printed elements, in the order the layout visits them.
fn collect_offsets(
    shape: &[usize],
    strides: &[usize],
    summarise: bool,
    base: usize,
    out: &mut Vec<usize>,
) {
    let Some((&len, inner_shape)) = shape.split_first() else {
        out.push(base);
        return;
    };
    for idx in shown_indices(len, summarise) {
        collect_offsets(
            inner_shape,
            &strides[1..],
            summarise,
            base + idx * strides[0],
            out,
        );
    }
}

/// Pre-formatted element words and the shape they are laid out in, following numpy's `_formatArray`.
struct Layout<'a> {
    /// The array's shape.
    shape: &'a [usize],
    /// Whether axes longer than `2 * EDGE_ITEMS` are cut to their ends around a `...`.
    summarise: bool,
    /// `", "` for `repr`, `" "` for `str`.
    separator: &'a str,
    /// The element words, consumed in the order the layout visits them.
    words: std::vec::IntoIter<String>,
}

impl Layout<'_> {
    /// Renders the sub-array starting at `axis`; `indent` is the hanging indent of its lines.
    fn block(&mut self, axis: usize, indent: &str, width: usize) -> String {
        if axis == self.shape.len() {
            // The words were produced by walking the same shown indices in the same order.
            return self
                .words
                .next()
                .expect("internal error: too few words for the shape");
        }
        let shown = shown_indices(self.shape[axis], self.summarise);
        let gap_at = (shown.len() < self.shape[axis]).then_some(EDGE_ITEMS);
        let inner_indent = format!("{indent} ");
        // Each nesting level opens a `[` and later closes with a `]`, so it loses one column.
        let inner_width = width.saturating_sub(1);
        let mut out = String::new();

        if axis + 1 == self.shape.len() {
            // Every element needs room for the `,` or `]` that follows it.
            let elem_width = width.saturating_sub(1);
            let mut line = indent.to_string();
            for pos in 0..shown.len() {
                if gap_at == Some(pos) {
                    extend_line(&mut out, &mut line, "...", elem_width, indent);
                    line.push_str(self.separator);
                }
                let word = self.block(axis + 1, &inner_indent, inner_width);
                extend_line(&mut out, &mut line, &word, elem_width, indent);
                if pos + 1 < shown.len() {
                    line.push_str(self.separator);
                }
            }
            out.push_str(&line);
        } else {
            // Rows end with a newline, 2-d blocks add a blank line, 3-d blocks two, and so on.
            let depth_below = self.shape.len() - axis - 1;
            let line_sep = format!("{}{}", self.separator.trim_end(), "\n".repeat(depth_below));
            for pos in 0..shown.len() {
                if gap_at == Some(pos) {
                    out.push_str(&format!("{indent}...{line_sep}"));
                }
                let nested = self.block(axis + 1, &inner_indent, inner_width);
                out.push_str(&format!("{indent}{nested}"));
                if pos + 1 < shown.len() {
                    out.push_str(&line_sep);
                }
            }
        }
        // The first line's indent is taken over by the opening bracket.
        format!("[{}]", &out[indent.len()..])
    }
}

/// Adds `word` to `line`, first moving to a new line if it would pass `width`.
fn extend_line(out: &mut String, line: &mut String, word: &str, width: usize, indent: &str) {
    // numpy never wraps a line that holds only its indent, since wrapping would not help.
    if line.len() + word.len() > width && line.len() > indent.len() {
        out.push_str(line.trim_end());
        out.push('\n');
        *line = indent.to_string();
    }
    line.push_str(word);
}

/// Formats the elements at `offsets` as words of one common width.
fn format_elements(values: PrintValues<'_>, offsets: &[usize], zero_dim: bool) -> Vec<String> {
    let pick = || offsets.iter().copied();
    match values {
        PrintValues::Bool(v) => pick()
            .map(|i| match v[i] {
                // Elements pad `True` to the width of `False`, except in a 0-d array.
                true if zero_dim => "True".to_string(),
                true => " True".to_string(),
                false => "False".to_string(),
            })
            .collect(),
        PrintValues::U8(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::I8(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::U16(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::I16(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::U32(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::I32(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::U64(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::I64(v) => pad_left(pick().map(|i| v[i].to_string()).collect()),
        PrintValues::F16(v) => format_floats(&pick().map(|i| Half(v[i])).collect::<Vec<_>>()),
        PrintValues::F32(v) => format_floats(&pick().map(|i| v[i]).collect::<Vec<_>>()),
        PrintValues::F64(v) => format_floats(&pick().map(|i| v[i]).collect::<Vec<_>>()),
    }
}

/// Right-aligns all words to the longest one, as numpy does for integers.
fn pad_left(words: Vec<String>) -> Vec<String> {
    let width = words.iter().map(String::len).max().unwrap_or(0);
    words.iter().map(|word| format!("{word:>width$}")).collect()
}

/// A float type as numpy's `FloatingFormat` sees it.
///
/// The cutoffs are constants of the type itself because numpy compares in the array's own
/// precision: a float32 `1e-4` is not below the float32 cutoff, although it is below the f64 one.
trait PrintFloat: Copy + PartialOrd + Display + LowerExp + FromStr + Div<Output = Self> {
    /// Magnitudes from this up force scientific notation: numpy's `10**min(8, finfo.precision)`.
    const EXP_CUTOFF: Self;
    /// Nonzero magnitudes below this force scientific notation.
    const SMALL: Self;
    /// A ratio of largest to smallest nonzero magnitude above this forces scientific notation.
    const RATIO: Self;
    /// A scalar's `str` is positional from 1e-4 up to this magnitude, and scientific beyond.
    const SCALAR_CUTOFF: f64;
    /// The absolute value.
    fn abs(self) -> Self;
    /// The exact same value as an `f64`, for sign and finiteness checks.
    fn to_f64(self) -> f64;
}

/// Implements [`PrintFloat`] for a primitive float with its array and scalar cutoffs.
macro_rules! impl_print_float {
    ($float:ty, $cutoff:expr, $scalar_cutoff:expr) => {
        impl PrintFloat for $float {
            const EXP_CUTOFF: Self = $cutoff;
            const SCALAR_CUTOFF: f64 = $scalar_cutoff;
            const SMALL: Self = 1e-4;
            const RATIO: Self = 1e3;
            fn abs(self) -> Self {
                <$float>::abs(self)
            }
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
        }
    };
}

impl_print_float!(f32, 1e6, 1e6);

/// A float16 as numpy prints it: the shortest digits that read back as the same float16
/// (Rust's own formatting of the widened float32 would print float32's shortest digits).
#[derive(Clone, Copy, PartialEq, PartialOrd)]
struct Half(lazygrad_ir::f16);

impl Half {
    /// The shortest scientific digits that round-trip through float16 (at most five).
    fn shortest(self) -> String {
        let wide = f32::from(self.0);
        (0..5)
            .map(|places| format!("{wide:.places$e}"))
            .find(|text| text.parse::<Half>().is_ok_and(|back| back == self))
            .unwrap_or_else(|| format!("{wide:.4e}"))
    }
}

impl LowerExp for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match f.precision() {
            Some(places) => write!(f, "{:.places$e}", f32::from(self.0)),
            None => f.write_str(&self.shortest()),
        }
    }
}

impl Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The shortest digits, as a positional f64 (which holds them exactly).
        let digits: f64 = self.shortest().parse().map_err(|_| fmt::Error)?;
        Display::fmt(&digits, f)
    }
}

impl FromStr for Half {
    type Err = std::num::ParseFloatError;
    fn from_str(text: &str) -> Result<Half, Self::Err> {
        text.parse::<f64>()
            .map(|v| Half(lazygrad_ir::f16::from_f64(v)))
    }
}

impl Div for Half {
    type Output = Half;
    fn div(self, rhs: Half) -> Half {
        Half(lazygrad_ir::f16::from_f32(
            f32::from(self.0) / f32::from(rhs.0),
        ))
    }
}

impl PrintFloat for Half {
    // numpy's 10**min(8, precision), with float16's precision of 3 digits; scalars too.
    const EXP_CUTOFF: Half = Half(lazygrad_ir::f16::from_f32_const(1e3));
    const SCALAR_CUTOFF: f64 = 1e3;
    const SMALL: Half = Half(lazygrad_ir::f16::from_f32_const(1e-4));
    const RATIO: Half = Half(lazygrad_ir::f16::from_f32_const(1e3));
    fn abs(self) -> Half {
        Half(lazygrad_ir::f16::from_bits(self.0.to_bits() & 0x7fff))
    }
    fn to_f64(self) -> f64 {
        f64::from(self.0)
    }
}
impl_print_float!(f64, 1e8, 1e16);

/// The digits of one finite float, split around its decimal point.
struct FloatParts {
    /// The digits before the point, with a leading `-` for negative values.
    int: String,
    /// The digits after the point, possibly none.
    frac: String,
    /// The power of ten; 0 for positional parts.
    exp: i32,
}

/// Formats floats the way numpy's `FloatingFormat` does with the default options.
fn format_floats<T: PrintFloat>(values: &[T]) -> Vec<String> {
    let is_finite = |x: &T| x.to_f64().is_finite();
    let magnitudes = values.iter().filter(|x| is_finite(x)).map(|x| x.abs());
    let nonzero: Vec<T> = magnitudes.filter(|m| m.to_f64() != 0.0).collect();
    let max = nonzero
        .iter()
        .copied()
        .reduce(|a, b| if b > a { b } else { a });
    let min = nonzero
        .iter()
        .copied()
        .reduce(|a, b| if b < a { b } else { a });
    let scientific = match (max, min) {
        (Some(max), Some(min)) => max >= T::EXP_CUTOFF || min < T::SMALL || max / min > T::RATIO,
        _ => false,
    };

    // A first pass over the finite values finds how wide each part of the words must be.
    let parts: Vec<Option<FloatParts>> = values
        .iter()
        .map(|x| match scientific {
            _ if !is_finite(x) => None,
            true => Some(scientific_parts(*x)),
            false => Some(positional_parts(*x)),
        })
        .collect();
    let finite_parts = || parts.iter().flatten();
    let mut int_width = finite_parts().map(|p| p.int.len()).max().unwrap_or(0);
    let frac_width = finite_parts().map(|p| p.frac.len()).max().unwrap_or(0);
    let exp_digits = finite_parts()
        .map(|p| p.exp.unsigned_abs().to_string().len().max(2))
        .max()
        .unwrap_or(2);
    // Everything right of the decimal point; numpy calls it `pad_right`.
    let right_width = match scientific {
        true => frac_width + "e+".len() + exp_digits,
        false => frac_width,
    };

    // `nan` and `inf` are right-aligned to the full width, which they may widen.
    if parts.iter().any(Option::is_none) {
        let neg_inf = values.iter().any(|x| x.to_f64() == f64::NEG_INFINITY);
        let special_len = "inf".len() + usize::from(neg_inf);
        int_width = int_width.max(special_len.saturating_sub(right_width + 1));
    }
    let total_width = int_width + 1 + right_width;

    values
        .iter()
        .zip(&parts)
        .map(|(&x, parts)| match parts {
            None => format!("{:>total_width$}", non_finite_str(x.to_f64())),
            // Positional fractions are padded with spaces so the decimal points line up.
            Some(p) if !scientific => format!("{:>int_width$}.{:<frac_width$}", p.int, p.frac),
            // numpy gives every mantissa the same number of digits by printing more digits of
            // the exact binary value, not by padding with zeros: float32 `1e-5` becomes
            // `9.9999997e-06` next to an element with 7 fractional digits.
            Some(_) => {
                let p = split_exponent(&format!("{x:.frac_width$e}"));
                let exp = exp_suffix(p.exp, exp_digits);
                format!("{:>int_width$}.{}{exp}", p.int, p.frac)
            }
        })
        .collect()
}

/// numpy's exponent spelling, always signed and with at least `digits` digits: `e+05`, `e-100`.
fn exp_suffix(exp: i32, digits: usize) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("e{sign}{:0>digits$}", exp.unsigned_abs())
}

/// numpy's spelling of a nan or infinity.
fn non_finite_str(x: f64) -> &'static str {
    match x {
        _ if x.is_nan() => "nan",
        _ if x < 0.0 => "-inf",
        _ => "inf",
    }
}

/// Splits `1.25` into `("1", "25")` and `3` into `("3", "")`.
fn split_point(digits: &str) -> (String, String) {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    (int.to_string(), frac.to_string())
}

/// The shortest digits that read back as `x`, in scientific form, with numpy's tie-break.
///
/// Rust's `{:e}` gives the same shortest digits as numpy's Dragon4 "unique" mode, except when
/// the exact value lies halfway between two candidates: Rust takes the upper one and numpy the
/// even one, so float32 `43253.0625` is `43253.062` in numpy.
/// Rounding the exact value to as many digits applies numpy's half-to-even rule, and the
/// result is kept only if it still reads back as `x`.
fn shortest_parts<T: PrintFloat>(x: T) -> FloatParts {
    let shortest = format!("{x:e}");
    let places = split_exponent(&shortest).frac.len();
    let even = format!("{x:.places$e}");
    if even != shortest && even.parse::<T>().is_ok_and(|parsed| parsed == x) {
        split_exponent(&even)
    } else {
        split_exponent(&shortest)
    }
}

/// Respells scientific parts such as `-1.25e2` positionally as `-125.`.
fn to_positional(parts: FloatParts) -> FloatParts {
    let FloatParts { int, frac, exp } = parts;
    let (sign, lead) = int.split_at(int.len() - 1);
    let digits = format!("{lead}{frac}");
    let (int, frac) = match usize::try_from(exp) {
        Err(_) => {
            let zeros = "0".repeat(exp.unsigned_abs() as usize - 1);
            ("0".to_string(), format!("{zeros}{digits}"))
        }
        Ok(exp) if digits.len() <= exp + 1 => {
            (format!("{digits:0<width$}", width = exp + 1), String::new())
        }
        Ok(exp) => (digits[..=exp].to_string(), digits[exp + 1..].to_string()),
    };
    FloatParts {
        int: format!("{sign}{int}"),
        frac,
        exp: 0,
    }
}

/// Positional digits: the shortest digits, rounded to at most [`PRECISION`] fractional places.
fn positional_parts<T: PrintFloat>(x: T) -> FloatParts {
    let shortest = to_positional(shortest_parts(x));
    if shortest.frac.len() <= PRECISION {
        return shortest;
    }
    // numpy then rounds the exact binary value, as `{:.8}` does; rounding the shortest digits
    // instead could round twice.
    let (int, frac) = split_point(&format!("{x:.PRECISION$}"));
    let frac = frac.trim_end_matches('0').to_string();
    FloatParts { int, frac, exp: 0 }
}

/// Scientific digits: the shortest mantissa, rounded to at most [`PRECISION`] places after its point.
fn scientific_parts<T: PrintFloat>(x: T) -> FloatParts {
    let shortest = shortest_parts(x);
    if shortest.frac.len() <= PRECISION {
        return shortest;
    }
    let mut rounded = split_exponent(&format!("{x:.PRECISION$e}"));
    rounded.frac = rounded.frac.trim_end_matches('0').to_string();
    rounded
}

/// Splits Rust's `{:e}` output such as `-1.25e-7` into its parts.
fn split_exponent(text: &str) -> FloatParts {
    // Rust's `{:e}` always writes an `e` and a plain decimal exponent.
    let (mantissa, exp) = text
        .split_once('e')
        .expect("internal error: `{:e}` without `e`");
    let (int, frac) = split_point(mantissa);
    let exp = exp
        .parse()
        .expect("internal error: `{:e}` wrote a bad exponent");
    FloatParts { int, frac, exp }
}

/// numpy's `str` of a float scalar: all shortest digits, `1.0` style, or `1e+16` style when large or small.
fn float_scalar_str<T: PrintFloat>(x: T) -> String {
    let value = x.to_f64();
    if !value.is_finite() {
        return non_finite_str(value).to_string();
    }
    // numpy compares the magnitude in higher precision here, so float32 `1e-4` (which is just
    // below 1e-4) prints as `1e-04`.
    let magnitude = value.abs();
    let parts = shortest_parts(x);
    if magnitude == 0.0 || (1e-4..T::SCALAR_CUTOFF).contains(&magnitude) {
        let p = to_positional(parts);
        let frac = if p.frac.is_empty() { "0" } else { &p.frac };
        return format!("{}.{frac}", p.int);
    }
    let point = if parts.frac.is_empty() { "" } else { "." };
    let exp = exp_suffix(parts.exp, 2);
    format!("{}{point}{}{exp}", parts.int, parts.frac)
}

#[cfg(test)]
mod tests {
    use super::PrintValues::{Bool, F32, F64, I32, I64, U8};
    use super::*;

    /// How a case gives its values: literally, or for large cases as the ramp
    /// `(i as f64 * scale + offset) as dtype`, which numpy's generator computes the same way.
    enum Data {
        Lit(PrintValues<'static>),
        Ramp(&'static str, f64, f64),
    }
    use Data::{Lit, Ramp};

    /// A row of the table: name, values, shape, numpy's `repr`, numpy's `str`.
    type Case = (
        &'static str,
        Data,
        &'static [usize],
        &'static str,
        &'static str,
    );

    /// Calls `check` with the case's values, building ramps into temporary vectors.
    fn with_values(data: &Data, len: usize, check: impl FnOnce(PrintValues<'_>)) {
        let (dtype, scale, offset) = match *data {
            Lit(values) => return check(values),
            Ramp(dtype, scale, offset) => (dtype, scale, offset),
        };
        let ramp: Vec<f64> = (0..len).map(|i| i as f64 * scale + offset).collect();
        match dtype {
            "bool" => check(Bool(&ramp.iter().map(|&x| x != 0.0).collect::<Vec<_>>())),
            "uint8" => check(U8(&ramp.iter().map(|&x| x as u8).collect::<Vec<_>>())),
            "int32" => check(I32(&ramp.iter().map(|&x| x as i32).collect::<Vec<_>>())),
            "int64" => check(I64(&ramp.iter().map(|&x| x as i64).collect::<Vec<_>>())),
            "float32" => check(F32(&ramp.iter().map(|&x| x as f32).collect::<Vec<_>>())),
            "float64" => check(F64(&ramp)),
            _ => panic!("unknown dtype {dtype}"),
        }
    }

    #[test]
    fn matches_numpy() {
        // All mismatches are reported together, since one layout bug usually breaks many cases.
        let mut failures = Vec::new();
        for (name, data, shape, repr, str) in CASES {
            with_values(data, shape.iter().product(), |values| {
                let got_repr = array_repr(values, shape);
                if got_repr != *repr {
                    failures.push(format!("{name} repr\nwant:\n{repr}\ngot:\n{got_repr}"));
                }
                let got_str = array_str(values, shape);
                if got_str != *str {
                    failures.push(format!("{name} str\nwant:\n{str}\ngot:\n{got_str}"));
                }
            });
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    // BEGIN GENERATED by src/print_cases.py with numpy 2.4.6
    #[rustfmt::skip]
    const CASES: &[Case] = &[
        ("bool_0d", Lit(Bool(&[true])), &[], "array(True)", "True"),
        ("bool_1d", Lit(Bool(&[true, false, true])), &[3], "array([ True, False,  True])", "[ True False  True]"),
        ("bool_2d", Lit(Bool(&[true, false, false, false, true, true])), &[2, 3], "array([[ True, False, False],\n       [False,  True,  True]])", "[[ True False False]\n [False  True  True]]"),
        ("bool_empty", Lit(Bool(&[])), &[0], "array([], dtype=bool)", "[]"),
        ("bool_summarised", Ramp("bool", 1.0, 0.0), &[40, 50], "array([[False,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True],\n       ...,\n       [ True,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True],\n       [ True,  True,  True, ...,  True,  True,  True]], shape=(40, 50))", "[[False  True  True ...  True  True  True]\n [ True  True  True ...  True  True  True]\n [ True  True  True ...  True  True  True]\n ...\n [ True  True  True ...  True  True  True]\n [ True  True  True ...  True  True  True]\n [ True  True  True ...  True  True  True]]"),
        ("u8_0d", Lit(U8(&[200])), &[], "array(200, dtype=uint8)", "200"),
        ("u8_1d", Lit(U8(&[0, 7, 255])), &[3], "array([  0,   7, 255], dtype=uint8)", "[  0   7 255]"),
        ("u8_long_row", Ramp("uint8", 2.5, 0.0), &[100], "array([  0,   2,   5,   7,  10,  12,  15,  17,  20,  22,  25,  27,  30,\n        32,  35,  37,  40,  42,  45,  47,  50,  52,  55,  57,  60,  62,\n        65,  67,  70,  72,  75,  77,  80,  82,  85,  87,  90,  92,  95,\n        97, 100, 102, 105, 107, 110, 112, 115, 117, 120, 122, 125, 127,\n       130, 132, 135, 137, 140, 142, 145, 147, 150, 152, 155, 157, 160,\n       162, 165, 167, 170, 172, 175, 177, 180, 182, 185, 187, 190, 192,\n       195, 197, 200, 202, 205, 207, 210, 212, 215, 217, 220, 222, 225,\n       227, 230, 232, 235, 237, 240, 242, 245, 247], dtype=uint8)", "[  0   2   5   7  10  12  15  17  20  22  25  27  30  32  35  37  40  42\n  45  47  50  52  55  57  60  62  65  67  70  72  75  77  80  82  85  87\n  90  92  95  97 100 102 105 107 110 112 115 117 120 122 125 127 130 132\n 135 137 140 142 145 147 150 152 155 157 160 162 165 167 170 172 175 177\n 180 182 185 187 190 192 195 197 200 202 205 207 210 212 215 217 220 222\n 225 227 230 232 235 237 240 242 245 247]"),
        ("i32_0d", Lit(I32(&[-7])), &[], "array(-7, dtype=int32)", "-7"),
        ("i32_1d", Lit(I32(&[1, -20, 300])), &[3], "array([  1, -20, 300], dtype=int32)", "[  1 -20 300]"),
        ("i32_3d", Ramp("int32", 1.0, -5.0), &[2, 2, 3], "array([[[-5, -4, -3],\n        [-2, -1,  0]],\n\n       [[ 1,  2,  3],\n        [ 4,  5,  6]]], dtype=int32)", "[[[-5 -4 -3]\n  [-2 -1  0]]\n\n [[ 1  2  3]\n  [ 4  5  6]]]"),
        ("i32_empty_2d", Lit(I32(&[])), &[0, 3], "array([], shape=(0, 3), dtype=int32)", "[]"),
        ("i32_summarised_3d", Ramp("int32", 1.0, 0.0), &[20, 20, 20], "array([[[   0,    1,    2, ...,   17,   18,   19],\n        [  20,   21,   22, ...,   37,   38,   39],\n        [  40,   41,   42, ...,   57,   58,   59],\n        ...,\n        [ 340,  341,  342, ...,  357,  358,  359],\n        [ 360,  361,  362, ...,  377,  378,  379],\n        [ 380,  381,  382, ...,  397,  398,  399]],\n\n       [[ 400,  401,  402, ...,  417,  418,  419],\n        [ 420,  421,  422, ...,  437,  438,  439],\n        [ 440,  441,  442, ...,  457,  458,  459],\n        ...,\n        [ 740,  741,  742, ...,  757,  758,  759],\n        [ 760,  761,  762, ...,  777,  778,  779],\n        [ 780,  781,  782, ...,  797,  798,  799]],\n\n       [[ 800,  801,  802, ...,  817,  818,  819],\n        [ 820,  821,  822, ...,  837,  838,  839],\n        [ 840,  841,  842, ...,  857,  858,  859],\n        ...,\n        [1140, 1141, 1142, ..., 1157, 1158, 1159],\n        [1160, 1161, 1162, ..., 1177, 1178, 1179],\n        [1180, 1181, 1182, ..., 1197, 1198, 1199]],\n\n       ...,\n\n       [[6800, 6801, 6802, ..., 6817, 6818, 6819],\n        [6820, 6821, 6822, ..., 6837, 6838, 6839],\n        [6840, 6841, 6842, ..., 6857, 6858, 6859],\n        ...,\n        [7140, 7141, 7142, ..., 7157, 7158, 7159],\n        [7160, 7161, 7162, ..., 7177, 7178, 7179],\n        [7180, 7181, 7182, ..., 7197, 7198, 7199]],\n\n       [[7200, 7201, 7202, ..., 7217, 7218, 7219],\n        [7220, 7221, 7222, ..., 7237, 7238, 7239],\n        [7240, 7241, 7242, ..., 7257, 7258, 7259],\n        ...,\n        [7540, 7541, 7542, ..., 7557, 7558, 7559],\n        [7560, 7561, 7562, ..., 7577, 7578, 7579],\n        [7580, 7581, 7582, ..., 7597, 7598, 7599]],\n\n       [[7600, 7601, 7602, ..., 7617, 7618, 7619],\n        [7620, 7621, 7622, ..., 7637, 7638, 7639],\n        [7640, 7641, 7642, ..., 7657, 7658, 7659],\n        ...,\n        [7940, 7941, 7942, ..., 7957, 7958, 7959],\n        [7960, 7961, 7962, ..., 7977, 7978, 7979],\n        [7980, 7981, 7982, ..., 7997, 7998, 7999]]],\n      shape=(20, 20, 20), dtype=int32)", "[[[   0    1    2 ...   17   18   19]\n  [  20   21   22 ...   37   38   39]\n  [  40   41   42 ...   57   58   59]\n  ...\n  [ 340  341  342 ...  357  358  359]\n  [ 360  361  362 ...  377  378  379]\n  [ 380  381  382 ...  397  398  399]]\n\n [[ 400  401  402 ...  417  418  419]\n  [ 420  421  422 ...  437  438  439]\n  [ 440  441  442 ...  457  458  459]\n  ...\n  [ 740  741  742 ...  757  758  759]\n  [ 760  761  762 ...  777  778  779]\n  [ 780  781  782 ...  797  798  799]]\n\n [[ 800  801  802 ...  817  818  819]\n  [ 820  821  822 ...  837  838  839]\n  [ 840  841  842 ...  857  858  859]\n  ...\n  [1140 1141 1142 ... 1157 1158 1159]\n  [1160 1161 1162 ... 1177 1178 1179]\n  [1180 1181 1182 ... 1197 1198 1199]]\n\n ...\n\n [[6800 6801 6802 ... 6817 6818 6819]\n  [6820 6821 6822 ... 6837 6838 6839]\n  [6840 6841 6842 ... 6857 6858 6859]\n  ...\n  [7140 7141 7142 ... 7157 7158 7159]\n  [7160 7161 7162 ... 7177 7178 7179]\n  [7180 7181 7182 ... 7197 7198 7199]]\n\n [[7200 7201 7202 ... 7217 7218 7219]\n  [7220 7221 7222 ... 7237 7238 7239]\n  [7240 7241 7242 ... 7257 7258 7259]\n  ...\n  [7540 7541 7542 ... 7557 7558 7559]\n  [7560 7561 7562 ... 7577 7578 7579]\n  [7580 7581 7582 ... 7597 7598 7599]]\n\n [[7600 7601 7602 ... 7617 7618 7619]\n  [7620 7621 7622 ... 7637 7638 7639]\n  [7640 7641 7642 ... 7657 7658 7659]\n  ...\n  [7940 7941 7942 ... 7957 7958 7959]\n  [7960 7961 7962 ... 7977 7978 7979]\n  [7980 7981 7982 ... 7997 7998 7999]]]"),
        ("i64_0d", Lit(I64(&[5])), &[], "array(5)", "5"),
        ("i64_2d", Lit(I64(&[1, 2, 3, 4])), &[2, 2], "array([[1, 2],\n       [3, 4]])", "[[1 2]\n [3 4]]"),
        ("i64_negative", Lit(I64(&[-5, 10, -300])), &[3], "array([  -5,   10, -300])", "[  -5   10 -300]"),
        ("i64_extremes", Lit(I64(&[-9223372036854775808, 9223372036854775807])), &[2], "array([-9223372036854775808,  9223372036854775807])", "[-9223372036854775808  9223372036854775807]"),
        ("i64_long_row", Ramp("int64", 12345.0, 0.0), &[40], "array([     0,  12345,  24690,  37035,  49380,  61725,  74070,  86415,\n        98760, 111105, 123450, 135795, 148140, 160485, 172830, 185175,\n       197520, 209865, 222210, 234555, 246900, 259245, 271590, 283935,\n       296280, 308625, 320970, 333315, 345660, 358005, 370350, 382695,\n       395040, 407385, 419730, 432075, 444420, 456765, 469110, 481455])", "[     0  12345  24690  37035  49380  61725  74070  86415  98760 111105\n 123450 135795 148140 160485 172830 185175 197520 209865 222210 234555\n 246900 259245 271590 283935 296280 308625 320970 333315 345660 358005\n 370350 382695 395040 407385 419730 432075 444420 456765 469110 481455]"),
        ("i64_arange2000", Ramp("int64", 1.0, 0.0), &[2000], "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))", "[   0    1    2 ... 1997 1998 1999]"),
        ("i64_4d", Ramp("int64", 1.0, 0.0), &[2, 2, 2, 2], "array([[[[ 0,  1],\n         [ 2,  3]],\n\n        [[ 4,  5],\n         [ 6,  7]]],\n\n\n       [[[ 8,  9],\n         [10, 11]],\n\n        [[12, 13],\n         [14, 15]]]])", "[[[[ 0  1]\n   [ 2  3]]\n\n  [[ 4  5]\n   [ 6  7]]]\n\n\n [[[ 8  9]\n   [10 11]]\n\n  [[12 13]\n   [14 15]]]]"),
        ("i64_summarised_4d", Ramp("int64", 1.0, 0.0), &[2, 3, 10, 20], "array([[[[   0,    1,    2, ...,   17,   18,   19],\n         [  20,   21,   22, ...,   37,   38,   39],\n         [  40,   41,   42, ...,   57,   58,   59],\n         ...,\n         [ 140,  141,  142, ...,  157,  158,  159],\n         [ 160,  161,  162, ...,  177,  178,  179],\n         [ 180,  181,  182, ...,  197,  198,  199]],\n\n        [[ 200,  201,  202, ...,  217,  218,  219],\n         [ 220,  221,  222, ...,  237,  238,  239],\n         [ 240,  241,  242, ...,  257,  258,  259],\n         ...,\n         [ 340,  341,  342, ...,  357,  358,  359],\n         [ 360,  361,  362, ...,  377,  378,  379],\n         [ 380,  381,  382, ...,  397,  398,  399]],\n\n        [[ 400,  401,  402, ...,  417,  418,  419],\n         [ 420,  421,  422, ...,  437,  438,  439],\n         [ 440,  441,  442, ...,  457,  458,  459],\n         ...,\n         [ 540,  541,  542, ...,  557,  558,  559],\n         [ 560,  561,  562, ...,  577,  578,  579],\n         [ 580,  581,  582, ...,  597,  598,  599]]],\n\n\n       [[[ 600,  601,  602, ...,  617,  618,  619],\n         [ 620,  621,  622, ...,  637,  638,  639],\n         [ 640,  641,  642, ...,  657,  658,  659],\n         ...,\n         [ 740,  741,  742, ...,  757,  758,  759],\n         [ 760,  761,  762, ...,  777,  778,  779],\n         [ 780,  781,  782, ...,  797,  798,  799]],\n\n        [[ 800,  801,  802, ...,  817,  818,  819],\n         [ 820,  821,  822, ...,  837,  838,  839],\n         [ 840,  841,  842, ...,  857,  858,  859],\n         ...,\n         [ 940,  941,  942, ...,  957,  958,  959],\n         [ 960,  961,  962, ...,  977,  978,  979],\n         [ 980,  981,  982, ...,  997,  998,  999]],\n\n        [[1000, 1001, 1002, ..., 1017, 1018, 1019],\n         [1020, 1021, 1022, ..., 1037, 1038, 1039],\n         [1040, 1041, 1042, ..., 1057, 1058, 1059],\n         ...,\n         [1140, 1141, 1142, ..., 1157, 1158, 1159],\n         [1160, 1161, 1162, ..., 1177, 1178, 1179],\n         [1180, 1181, 1182, ..., 1197, 1198, 1199]]]],\n      shape=(2, 3, 10, 20))", "[[[[   0    1    2 ...   17   18   19]\n   [  20   21   22 ...   37   38   39]\n   [  40   41   42 ...   57   58   59]\n   ...\n   [ 140  141  142 ...  157  158  159]\n   [ 160  161  162 ...  177  178  179]\n   [ 180  181  182 ...  197  198  199]]\n\n  [[ 200  201  202 ...  217  218  219]\n   [ 220  221  222 ...  237  238  239]\n   [ 240  241  242 ...  257  258  259]\n   ...\n   [ 340  341  342 ...  357  358  359]\n   [ 360  361  362 ...  377  378  379]\n   [ 380  381  382 ...  397  398  399]]\n\n  [[ 400  401  402 ...  417  418  419]\n   [ 420  421  422 ...  437  438  439]\n   [ 440  441  442 ...  457  458  459]\n   ...\n   [ 540  541  542 ...  557  558  559]\n   [ 560  561  562 ...  577  578  579]\n   [ 580  581  582 ...  597  598  599]]]\n\n\n [[[ 600  601  602 ...  617  618  619]\n   [ 620  621  622 ...  637  638  639]\n   [ 640  641  642 ...  657  658  659]\n   ...\n   [ 740  741  742 ...  757  758  759]\n   [ 760  761  762 ...  777  778  779]\n   [ 780  781  782 ...  797  798  799]]\n\n  [[ 800  801  802 ...  817  818  819]\n   [ 820  821  822 ...  837  838  839]\n   [ 840  841  842 ...  857  858  859]\n   ...\n   [ 940  941  942 ...  957  958  959]\n   [ 960  961  962 ...  977  978  979]\n   [ 980  981  982 ...  997  998  999]]\n\n  [[1000 1001 1002 ... 1017 1018 1019]\n   [1020 1021 1022 ... 1037 1038 1039]\n   [1040 1041 1042 ... 1057 1058 1059]\n   ...\n   [1140 1141 1142 ... 1157 1158 1159]\n   [1160 1161 1162 ... 1177 1178 1179]\n   [1180 1181 1182 ... 1197 1198 1199]]]]"),
        ("f64_0d", Lit(F64(&[1.5])), &[], "array(1.5)", "1.5"),
        ("f64_0d_third", Lit(F64(&[0.3333333333333333])), &[], "array(0.33333333)", "0.3333333333333333"),
        ("f64_0d_large", Lit(F64(&[1e+20])), &[], "array(1.e+20)", "1e+20"),
        ("f64_0d_integer", Lit(F64(&[3.0])), &[], "array(3.)", "3.0"),
        ("f64_0d_nan", Lit(F64(&[f64::NAN])), &[], "array(nan)", "nan"),
        ("f64_1d", Lit(F64(&[1.0, 0.5, -2.25])), &[3], "array([ 1.  ,  0.5 , -2.25])", "[ 1.    0.5  -2.25]"),
        ("f64_integer_valued", Lit(F64(&[1.0, 2.0, 30.0])), &[3], "array([ 1.,  2., 30.])", "[ 1.  2. 30.]"),
        ("f64_negative_zero", Lit(F64(&[-0.0, 1.0])), &[2], "array([-0.,  1.])", "[-0.  1.]"),
        ("f64_nan_inf", Lit(F64(&[f64::NAN, f64::INFINITY, -f64::INFINITY, 1.5])), &[4], "array([ nan,  inf, -inf,  1.5])", "[ nan  inf -inf  1.5]"),
        ("f64_only_nan_inf", Lit(F64(&[f64::NAN, -f64::INFINITY])), &[2], "array([ nan, -inf])", "[ nan -inf]"),
        ("f64_scientific_small", Lit(F64(&[1e-05, 1.0, 100000.0])), &[3], "array([1.e-05, 1.e+00, 1.e+05])", "[1.e-05 1.e+00 1.e+05]"),
        ("f64_scientific_large", Lit(F64(&[100000000.0, 200000.0])), &[2], "array([1.e+08, 2.e+05])", "[1.e+08 2.e+05]"),
        ("f64_below_cutoff", Lit(F64(&[99999999.0, 200000.0])), &[2], "array([99999999.,   200000.])", "[99999999.   200000.]"),
        ("f64_scientific_ratio", Lit(F64(&[0.001, 2.0])), &[2], "array([1.e-03, 2.e+00])", "[1.e-03 2.e+00]"),
        ("f64_scientific_nan", Lit(F64(&[10000000000.0, f64::NAN, -f64::INFINITY, -0.0])), &[4], "array([ 1.e+10,     nan,    -inf, -0.e+00])", "[ 1.e+10     nan    -inf -0.e+00]"),
        ("f64_three_digit_exponent", Lit(F64(&[1e+300, 5e-324, -2.5e-100])), &[3], "array([ 1.0e+300,  4.9e-324, -2.5e-100])", "[ 1.0e+300  4.9e-324 -2.5e-100]"),
        ("f64_scientific_rounded", Lit(F64(&[12345678912.3, 1.0, 9.9999999999e-05])), &[3], "array([1.23456789e+10, 1.00000000e+00, 1.00000000e-04])", "[1.23456789e+10 1.00000000e+00 1.00000000e-04]"),
        ("f64_rounded", Lit(F64(&[0.30000000000000004, 0.14285714285714285, 0.001953125])), &[3], "array([0.3       , 0.14285714, 0.00195312])", "[0.3        0.14285714 0.00195312]"),
        ("f64_long_row", Ramp("float64", 0.37, -3.0), &[30], "array([-3.  , -2.63, -2.26, -1.89, -1.52, -1.15, -0.78, -0.41, -0.04,\n        0.33,  0.7 ,  1.07,  1.44,  1.81,  2.18,  2.55,  2.92,  3.29,\n        3.66,  4.03,  4.4 ,  4.77,  5.14,  5.51,  5.88,  6.25,  6.62,\n        6.99,  7.36,  7.73])", "[-3.   -2.63 -2.26 -1.89 -1.52 -1.15 -0.78 -0.41 -0.04  0.33  0.7   1.07\n  1.44  1.81  2.18  2.55  2.92  3.29  3.66  4.03  4.4   4.77  5.14  5.51\n  5.88  6.25  6.62  6.99  7.36  7.73]"),
        ("f64_2d", Ramp("float64", 0.25, -1.0), &[3, 4], "array([[-1.  , -0.75, -0.5 , -0.25],\n       [ 0.  ,  0.25,  0.5 ,  0.75],\n       [ 1.  ,  1.25,  1.5 ,  1.75]])", "[[-1.   -0.75 -0.5  -0.25]\n [ 0.    0.25  0.5   0.75]\n [ 1.    1.25  1.5   1.75]]"),
        ("f64_3d", Ramp("float64", 1.0, 0.0), &[2, 3, 4], "array([[[ 0.,  1.,  2.,  3.],\n        [ 4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11.]],\n\n       [[12., 13., 14., 15.],\n        [16., 17., 18., 19.],\n        [20., 21., 22., 23.]]])", "[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]"),
        ("f64_empty", Lit(F64(&[])), &[0], "array([], dtype=float64)", "[]"),
        ("f64_empty_3d", Lit(F64(&[])), &[2, 0, 3], "array([], shape=(2, 0, 3), dtype=float64)", "[]"),
        ("f64_summarised_2d", Ramp("float64", 0.37, -400.0), &[50, 50], "array([[-400.  , -399.63, -399.26, ..., -382.61, -382.24, -381.87],\n       [-381.5 , -381.13, -380.76, ..., -364.11, -363.74, -363.37],\n       [-363.  , -362.63, -362.26, ..., -345.61, -345.24, -344.87],\n       ...,\n       [ 469.5 ,  469.87,  470.24, ...,  486.89,  487.26,  487.63],\n       [ 488.  ,  488.37,  488.74, ...,  505.39,  505.76,  506.13],\n       [ 506.5 ,  506.87,  507.24, ...,  523.89,  524.26,  524.63]],\n      shape=(50, 50))", "[[-400.   -399.63 -399.26 ... -382.61 -382.24 -381.87]\n [-381.5  -381.13 -380.76 ... -364.11 -363.74 -363.37]\n [-363.   -362.63 -362.26 ... -345.61 -345.24 -344.87]\n ...\n [ 469.5   469.87  470.24 ...  486.89  487.26  487.63]\n [ 488.    488.37  488.74 ...  505.39  505.76  506.13]\n [ 506.5   506.87  507.24 ...  523.89  524.26  524.63]]"),
        ("f32_0d", Lit(F32(&[1.5])), &[], "array(1.5, dtype=float32)", "1.5"),
        ("f32_0d_tenth", Lit(F32(&[0.1])), &[], "array(0.1, dtype=float32)", "0.1"),
        ("f32_0d_small", Lit(F32(&[1e-04])), &[], "array(0.0001, dtype=float32)", "1e-04"),
        ("f32_0d_large", Lit(F32(&[1.5653588e+06])), &[], "array(1.5653588e+06, dtype=float32)", "1.5653588e+06"),
        ("f32_shortest_tie", Lit(F32(&[43253.062, 2706.0312])), &[2], "array([43253.062 ,  2706.0312], dtype=float32)", "[43253.062   2706.0312]"),
        ("f32_1d", Lit(F32(&[0.1, 0.33333334, -2.0])), &[3], "array([ 0.1       ,  0.33333334, -2.        ], dtype=float32)", "[ 0.1         0.33333334 -2.        ]"),
        ("f32_scientific_cutoff", Lit(F32(&[1e+06, 2000.5])), &[2], "array([1.0000e+06, 2.0005e+03], dtype=float32)", "[1.0000e+06 2.0005e+03]"),
        ("f32_below_cutoff", Lit(F32(&[999999.0, 2000.5])), &[2], "array([999999. ,   2000.5], dtype=float32)", "[999999.    2000.5]"),
        ("f32_exact_digits", Lit(F32(&[0.1, 1e-05, 0.114932634])), &[3], "array([1.00000001e-01, 9.99999975e-06, 1.14932634e-01], dtype=float32)", "[1.00000001e-01 9.99999975e-06 1.14932634e-01]"),
        ("f32_dtype_on_new_line", Ramp("float32", 0.1, 0.0), &[12], "array([0. , 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1. , 1.1],\n      dtype=float32)", "[0.  0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.  1.1]"),
        ("f32_summarised_3d", Ramp("float32", 0.1, -300.0), &[20, 20, 20], "array([[[-300. , -299.9, -299.8, ..., -298.3, -298.2, -298.1],\n        [-298. , -297.9, -297.8, ..., -296.3, -296.2, -296.1],\n        [-296. , -295.9, -295.8, ..., -294.3, -294.2, -294.1],\n        ...,\n        [-266. , -265.9, -265.8, ..., -264.3, -264.2, -264.1],\n        [-264. , -263.9, -263.8, ..., -262.3, -262.2, -262.1],\n        [-262. , -261.9, -261.8, ..., -260.3, -260.2, -260.1]],\n\n       [[-260. , -259.9, -259.8, ..., -258.3, -258.2, -258.1],\n        [-258. , -257.9, -257.8, ..., -256.3, -256.2, -256.1],\n        [-256. , -255.9, -255.8, ..., -254.3, -254.2, -254.1],\n        ...,\n        [-226. , -225.9, -225.8, ..., -224.3, -224.2, -224.1],\n        [-224. , -223.9, -223.8, ..., -222.3, -222.2, -222.1],\n        [-222. , -221.9, -221.8, ..., -220.3, -220.2, -220.1]],\n\n       [[-220. , -219.9, -219.8, ..., -218.3, -218.2, -218.1],\n        [-218. , -217.9, -217.8, ..., -216.3, -216.2, -216.1],\n        [-216. , -215.9, -215.8, ..., -214.3, -214.2, -214.1],\n        ...,\n        [-186. , -185.9, -185.8, ..., -184.3, -184.2, -184.1],\n        [-184. , -183.9, -183.8, ..., -182.3, -182.2, -182.1],\n        [-182. , -181.9, -181.8, ..., -180.3, -180.2, -180.1]],\n\n       ...,\n\n       [[ 380. ,  380.1,  380.2, ...,  381.7,  381.8,  381.9],\n        [ 382. ,  382.1,  382.2, ...,  383.7,  383.8,  383.9],\n        [ 384. ,  384.1,  384.2, ...,  385.7,  385.8,  385.9],\n        ...,\n        [ 414. ,  414.1,  414.2, ...,  415.7,  415.8,  415.9],\n        [ 416. ,  416.1,  416.2, ...,  417.7,  417.8,  417.9],\n        [ 418. ,  418.1,  418.2, ...,  419.7,  419.8,  419.9]],\n\n       [[ 420. ,  420.1,  420.2, ...,  421.7,  421.8,  421.9],\n        [ 422. ,  422.1,  422.2, ...,  423.7,  423.8,  423.9],\n        [ 424. ,  424.1,  424.2, ...,  425.7,  425.8,  425.9],\n        ...,\n        [ 454. ,  454.1,  454.2, ...,  455.7,  455.8,  455.9],\n        [ 456. ,  456.1,  456.2, ...,  457.7,  457.8,  457.9],\n        [ 458. ,  458.1,  458.2, ...,  459.7,  459.8,  459.9]],\n\n       [[ 460. ,  460.1,  460.2, ...,  461.7,  461.8,  461.9],\n        [ 462. ,  462.1,  462.2, ...,  463.7,  463.8,  463.9],\n        [ 464. ,  464.1,  464.2, ...,  465.7,  465.8,  465.9],\n        ...,\n        [ 494. ,  494.1,  494.2, ...,  495.7,  495.8,  495.9],\n        [ 496. ,  496.1,  496.2, ...,  497.7,  497.8,  497.9],\n        [ 498. ,  498.1,  498.2, ...,  499.7,  499.8,  499.9]]],\n      shape=(20, 20, 20), dtype=float32)", "[[[-300.  -299.9 -299.8 ... -298.3 -298.2 -298.1]\n  [-298.  -297.9 -297.8 ... -296.3 -296.2 -296.1]\n  [-296.  -295.9 -295.8 ... -294.3 -294.2 -294.1]\n  ...\n  [-266.  -265.9 -265.8 ... -264.3 -264.2 -264.1]\n  [-264.  -263.9 -263.8 ... -262.3 -262.2 -262.1]\n  [-262.  -261.9 -261.8 ... -260.3 -260.2 -260.1]]\n\n [[-260.  -259.9 -259.8 ... -258.3 -258.2 -258.1]\n  [-258.  -257.9 -257.8 ... -256.3 -256.2 -256.1]\n  [-256.  -255.9 -255.8 ... -254.3 -254.2 -254.1]\n  ...\n  [-226.  -225.9 -225.8 ... -224.3 -224.2 -224.1]\n  [-224.  -223.9 -223.8 ... -222.3 -222.2 -222.1]\n  [-222.  -221.9 -221.8 ... -220.3 -220.2 -220.1]]\n\n [[-220.  -219.9 -219.8 ... -218.3 -218.2 -218.1]\n  [-218.  -217.9 -217.8 ... -216.3 -216.2 -216.1]\n  [-216.  -215.9 -215.8 ... -214.3 -214.2 -214.1]\n  ...\n  [-186.  -185.9 -185.8 ... -184.3 -184.2 -184.1]\n  [-184.  -183.9 -183.8 ... -182.3 -182.2 -182.1]\n  [-182.  -181.9 -181.8 ... -180.3 -180.2 -180.1]]\n\n ...\n\n [[ 380.   380.1  380.2 ...  381.7  381.8  381.9]\n  [ 382.   382.1  382.2 ...  383.7  383.8  383.9]\n  [ 384.   384.1  384.2 ...  385.7  385.8  385.9]\n  ...\n  [ 414.   414.1  414.2 ...  415.7  415.8  415.9]\n  [ 416.   416.1  416.2 ...  417.7  417.8  417.9]\n  [ 418.   418.1  418.2 ...  419.7  419.8  419.9]]\n\n [[ 420.   420.1  420.2 ...  421.7  421.8  421.9]\n  [ 422.   422.1  422.2 ...  423.7  423.8  423.9]\n  [ 424.   424.1  424.2 ...  425.7  425.8  425.9]\n  ...\n  [ 454.   454.1  454.2 ...  455.7  455.8  455.9]\n  [ 456.   456.1  456.2 ...  457.7  457.8  457.9]\n  [ 458.   458.1  458.2 ...  459.7  459.8  459.9]]\n\n [[ 460.   460.1  460.2 ...  461.7  461.8  461.9]\n  [ 462.   462.1  462.2 ...  463.7  463.8  463.9]\n  [ 464.   464.1  464.2 ...  465.7  465.8  465.9]\n  ...\n  [ 494.   494.1  494.2 ...  495.7  495.8  495.9]\n  [ 496.   496.1  496.2 ...  497.7  497.8  497.9]\n  [ 498.   498.1  498.2 ...  499.7  499.8  499.9]]]"),
    ];
    // END GENERATED
}
