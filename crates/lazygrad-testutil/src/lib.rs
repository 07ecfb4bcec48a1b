//! Dev-only test utilities for lazygrad: a `.npy` reader and writer, the golden-case loader,
//! and numpy-style comparison assertions that print readable diffs.
//!
//! Start with [`load_case`], which reads one case written by `tests/it/golden/gen.py`
//! (numpy is the single source of expected values), and [`assert_allclose`], which compares
//! lazygrad's result against it.
//! The file format lives in [`Npy`], [`read_npy`] and [`write_npy`].
//!
//! This crate has no dependencies on purpose: it is a test oracle, so it should not share
//! code (or bugs) with the crates it checks.
//! Its unit tests are at the bottom of this file; fixtures written by numpy live in
//! `crates/lazygrad-testutil/tests-data/`.
#![warn(missing_docs)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::{fs, str};

// ---------------------------------------------------------------------------------------------
// Arrays and dtypes
// ---------------------------------------------------------------------------------------------

/// An array read from or written to a `.npy` file; `data` is always in C (row-major) order.
///
/// ```
/// use lazygrad_testutil::{Npy, NpyData};
///
/// let array = Npy { shape: vec![2, 2], data: NpyData::I32(vec![1, 2, 3, 4]) };
/// let bytes = array.to_bytes()?;
/// assert_eq!(Npy::from_bytes(&bytes)?, array);
/// assert_eq!(array.data.dtype_name(), "int32");
/// # Ok::<(), lazygrad_testutil::NpyError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Npy {
    /// The array's shape; empty for a 0-d array.
    pub shape: Vec<usize>,
    /// The elements in C order; there are `shape.iter().product()` of them.
    pub data: NpyData,
}

/// The elements of an [`Npy`] array, one variant per supported dtype.
#[derive(Debug, Clone, PartialEq)]
pub enum NpyData {
    /// numpy `bool` (`|b1`).
    Bool(Vec<bool>),
    /// numpy `uint8` (`|u1`).
    U8(Vec<u8>),
    /// numpy `int8` (`|i1`).
    I8(Vec<i8>),
    /// numpy `uint16` (`<u2`).
    U16(Vec<u16>),
    /// numpy `int16` (`<i2`).
    I16(Vec<i16>),
    /// numpy `uint32` (`<u4`).
    U32(Vec<u32>),
    /// numpy `int32` (`<i4`).
    I32(Vec<i32>),
    /// numpy `uint64` (`<u8`).
    U64(Vec<u64>),
    /// numpy `int64` (`<i8`).
    I64(Vec<i64>),
    /// numpy `float16` (`<f2`).
    F16(Vec<half::f16>),
    /// numpy `float32` (`<f4`).
    F32(Vec<f32>),
    /// numpy `float64` (`<f8`).
    F64(Vec<f64>),
}

/// One element type as it is stored in a `.npy` file (little-endian).
trait Element: Copy {
    const SIZE: usize;
    fn read(bytes: &[u8]) -> Self;
    fn write(self, out: &mut Vec<u8>);
    fn to_f64(self) -> f64;
}

macro_rules! numeric_element {
    ($($ty:ty),*) => {$(
        impl Element for $ty {
            const SIZE: usize = size_of::<$ty>();
            fn read(bytes: &[u8]) -> Self {
                // Callers pass slices from `chunks_exact(Self::SIZE)`, so the length always fits.
                <$ty>::from_le_bytes(bytes.try_into().expect("internal error: chunk of wrong size"))
            }
            fn write(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn to_f64(self) -> f64 {
                // Lossy only for |i64| > 2^53, which the golden files never hold.
                self as f64
            }
        }
    )*};
}
numeric_element!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

impl Element for half::f16 {
    const SIZE: usize = 2;
    fn read(bytes: &[u8]) -> Self {
        half::f16::from_le_bytes([bytes[0], bytes[1]])
    }
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Element for bool {
    const SIZE: usize = 1;
    fn read(bytes: &[u8]) -> Self {
        bytes[0] != 0
    }
    fn write(self, out: &mut Vec<u8>) {
        out.push(u8::from(self));
    }
    fn to_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
}

// One row per dtype: variant, element type, the `descr` in a `.npy` header, numpy's name.
macro_rules! npy_dtypes {
    ($($variant:ident($ty:ty) => $descr:literal, $name:literal;)*) => {
        /// The `descr` strings this crate reads, for error messages.
        const SUPPORTED_DESCRS: &str = concat!($($descr, " "),*);

        impl NpyData {
            /// numpy's name for this dtype (`bool`, `uint8`, `int32`, `int64`, `float32`, `float64`).
            pub fn dtype_name(&self) -> &'static str {
                match self { $(Self::$variant(_) => $name,)* }
            }

            /// The number of elements.
            pub fn len(&self) -> usize {
                match self { $(Self::$variant(values) => values.len(),)* }
            }

            /// Whether there are no elements.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// The elements converted to `f64` (bools become 0.0 and 1.0), for [`assert_allclose`].
            pub fn to_f64_vec(&self) -> Vec<f64> {
                match self { $(Self::$variant(values) => values.iter().map(|x| x.to_f64()).collect(),)* }
            }

            fn descr(&self) -> &'static str {
                match self { $(Self::$variant(_) => $descr,)* }
            }

            fn decode(descr: &str, bytes: &[u8], count: usize) -> Result<Self, NpyError> {
                match descr {
                    $($descr => decode_values::<$ty>(bytes, count).map(Self::$variant),)*
                    _ => Err(NpyError::new(format!(
                        "unsupported dtype {descr:?} (supported: {SUPPORTED_DESCRS})"
                    ))),
                }
            }

            fn encode(&self, out: &mut Vec<u8>) {
                match self { $(Self::$variant(values) => values.iter().for_each(|x| x.write(out)),)* }
            }

            fn fortran_to_c(self, shape: &[usize]) -> Self {
                match self { $(Self::$variant(values) => Self::$variant(fortran_to_c(&values, shape)),)* }
            }
        }
    };
}
npy_dtypes! {
    Bool(bool) => "|b1", "bool";
    U8(u8)     => "|u1", "uint8";
    I8(i8)     => "|i1", "int8";
    U16(u16)   => "<u2", "uint16";
    I16(i16)   => "<i2", "int16";
    U32(u32)   => "<u4", "uint32";
    I32(i32)   => "<i4", "int32";
    U64(u64)   => "<u8", "uint64";
    I64(i64)   => "<i8", "int64";
    F16(half::f16) => "<f2", "float16";
    F32(f32)   => "<f4", "float32";
    F64(f64)   => "<f8", "float64";
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a `.npy` file (or the golden manifest) could not be read or written.
#[derive(Debug)]
pub struct NpyError {
    path: Option<PathBuf>,
    reason: String,
}

impl NpyError {
    fn new(reason: impl Into<String>) -> Self {
        NpyError {
            path: None,
            reason: reason.into(),
        }
    }

    fn at(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    /// The file involved, if the error came from a file rather than from bytes in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What is wrong, without the file name.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for NpyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {}", path.display(), self.reason),
            None => write!(f, "npy data: {}", self.reason),
        }
    }
}

impl std::error::Error for NpyError {}

// ---------------------------------------------------------------------------------------------
// Reading and writing
// ---------------------------------------------------------------------------------------------

const MAGIC: &[u8] = b"\x93NUMPY";

/// Reads a `.npy` file; Fortran-ordered data is converted to C order.
pub fn read_npy(path: impl AsRef<Path>) -> Result<Npy, NpyError> {
    let path = path.as_ref();
    let bytes =
        fs::read(path).map_err(|err| NpyError::new(format!("cannot read: {err}")).at(path))?;
    Npy::from_bytes(&bytes).map_err(|err| err.at(path))
}

/// Writes a `.npy` file (format 1.0 when the header fits, C order) that `numpy.load` reads.
pub fn write_npy(path: impl AsRef<Path>, array: &Npy) -> Result<(), NpyError> {
    let path = path.as_ref();
    let bytes = array.to_bytes().map_err(|err| err.at(path))?;
    fs::write(path, bytes).map_err(|err| NpyError::new(format!("cannot write: {err}")).at(path))
}

impl Npy {
    /// Parses the bytes of a `.npy` file (format versions 1.0, 2.0 and 3.0).
    pub fn from_bytes(bytes: &[u8]) -> Result<Npy, NpyError> {
        if !bytes.starts_with(MAGIC) || bytes.len() < 10 {
            return Err(NpyError::new(
                "not a .npy file: missing the \\x93NUMPY magic string",
            ));
        }
        // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 (UTF-8 header) in 4.
        let (header_start, header_len) = match (bytes[6], bytes.get(8..12)) {
            (1, _) => (10, usize::from(u16::from_le_bytes([bytes[8], bytes[9]]))),
            (2 | 3, Some(len)) => (
                12,
                u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize,
            ),
            (major, _) => {
                let version = format!("{major}.{}", bytes[7]);
                return Err(NpyError::new(format!(
                    "unsupported or truncated format version {version}"
                )));
            }
        };
        let data_start = header_start + header_len;
        let header = bytes
            .get(header_start..data_start)
            .ok_or_else(|| NpyError::new("truncated header"))?;
        let header = str::from_utf8(header).map_err(|_| NpyError::new("header is not UTF-8"))?;

        let descr = header_field(header, "descr")?;
        let descr = descr
            .strip_prefix(['\'', '"'])
            .and_then(|rest| rest.split(['\'', '"']).next())
            .ok_or_else(|| NpyError::new(format!("malformed descr in header {header:?}")))?;
        let fortran_order = match header_field(header, "fortran_order")? {
            value if value.starts_with("True") => true,
            value if value.starts_with("False") => false,
            _ => {
                return Err(NpyError::new(format!(
                    "malformed fortran_order in header {header:?}"
                )));
            }
        };
        let shape = parse_shape(header_field(header, "shape")?)
            .ok_or_else(|| NpyError::new(format!("malformed shape in header {header:?}")))?;

        let count = shape.iter().product();
        let data = NpyData::decode(descr, &bytes[data_start..], count)?;
        let data = if fortran_order {
            data.fortran_to_c(&shape)
        } else {
            data
        };
        Ok(Npy { shape, data })
    }

    /// Serializes to the bytes of a `.npy` file in C order.
    pub fn to_bytes(&self) -> Result<Vec<u8>, NpyError> {
        let count: usize = self.shape.iter().product();
        if count != self.data.len() {
            return Err(NpyError::new(format!(
                "shape {:?} holds {count} elements but the data has {}",
                self.shape,
                self.data.len()
            )));
        }
        let shape = match self.shape.as_slice() {
            [n] => format!("({n},)"),
            dims => format!(
                "({})",
                dims.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut header = format!(
            "{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}",
            self.data.descr()
        );
        // Version 1.0 stores the header length in a u16; longer headers need version 2.0.
        let (version, prefix_len) = if header.len() + 65 <= usize::from(u16::MAX) {
            (1, 10)
        } else {
            (2, 12)
        };
        // Like numpy, pad with spaces and a final newline so the data starts 64-byte aligned.
        let padding = 64 - (prefix_len + header.len() + 1) % 64;
        header.extend(std::iter::repeat_n(' ', padding));
        header.push('\n');

        let too_long = || NpyError::new(format!("header too long for shape {:?}", self.shape));
        let mut out = Vec::with_capacity(prefix_len + header.len() + count * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[version, 0]);
        if version == 1 {
            let len = u16::try_from(header.len()).map_err(|_| too_long())?;
            out.extend_from_slice(&len.to_le_bytes());
        } else {
            let len = u32::try_from(header.len()).map_err(|_| too_long())?;
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(header.as_bytes());
        self.data.encode(&mut out);
        Ok(out)
    }
}

/// The text after `'key':` in a header such as `{'descr': '<f8', 'fortran_order': False, ...}`.
fn header_field<'a>(header: &'a str, key: &str) -> Result<&'a str, NpyError> {
    [format!("'{key}':"), format!("\"{key}\":")]
        .iter()
        .find_map(|pattern| {
            header
                .find(pattern.as_str())
                .map(|at| header[at + pattern.len()..].trim_start())
        })
        .ok_or_else(|| NpyError::new(format!("header has no {key:?} field: {header:?}")))
}

/// Parses a Python tuple of ints such as `()`, `(3,)` or `(2, 3)`.
fn parse_shape(text: &str) -> Option<Vec<usize>> {
    let inner = text.strip_prefix('(')?.split(')').next()?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|dim| !dim.is_empty())
        .map(|dim| dim.parse().ok())
        .collect()
}

fn decode_values<T: Element>(bytes: &[u8], count: usize) -> Result<Vec<T>, NpyError> {
    if bytes.len() != count * T::SIZE {
        return Err(NpyError::new(format!(
            "expected {} data bytes ({count} elements of {} bytes), found {}",
            count * T::SIZE,
            T::SIZE,
            bytes.len()
        )));
    }
    Ok(bytes.chunks_exact(T::SIZE).map(T::read).collect())
}

/// Reorders Fortran-ordered (first axis fastest) values into C order (last axis fastest).
fn fortran_to_c<T: Copy>(values: &[T], shape: &[usize]) -> Vec<T> {
    let mut fortran_strides = Vec::with_capacity(shape.len());
    let mut stride = 1;
    for &dim in shape {
        fortran_strides.push(stride);
        stride *= dim;
    }
    let mut index = vec![0; shape.len()];
    let mut res = Vec::with_capacity(values.len());
    for _ in 0..values.len() {
        let offset: usize = index.iter().zip(&fortran_strides).map(|(i, s)| i * s).sum();
        res.push(values[offset]);
        for axis in (0..shape.len()).rev() {
            index[axis] += 1;
            if index[axis] < shape[axis] {
                break;
            }
            index[axis] = 0;
        }
    }
    res
}

// ---------------------------------------------------------------------------------------------
// Golden cases
// ---------------------------------------------------------------------------------------------

/// One case written by `tests/it/golden/gen.py`: the inputs and numpy's output.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldenCase {
    /// The case name, `<op>-<dtype>` (see `tests/it/golden/README.md`).
    pub name: String,
    /// `<name>.in0.npy`, `<name>.in1.npy`, ... in order; empty for creation ops.
    pub inputs: Vec<Npy>,
    /// `<name>.out.npy`.
    pub output: Npy,
}

/// The directory holding the golden files: `tests/it/golden` in the workspace root.
///
/// Cargo sets `CARGO_MANIFEST_DIR` for the test binaries it runs, so the goldens come from the
/// checkout the tests run in. The path compiled into this crate is the fallback: a build copied
/// from another checkout (a worktree sharing `target/`) would otherwise read that checkout's
/// goldens without a word.
pub fn golden_dir() -> PathBuf {
    let runtime = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let compiled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    runtime
        .into_iter()
        .chain([compiled.clone()])
        .find_map(|start| {
            start
                .ancestors()
                .map(|dir| dir.join("tests").join("it").join("golden"))
                .find(|dir| dir.join("manifest.txt").is_file())
        })
        // This crate lives at `crates/lazygrad-testutil`, two levels below the workspace root.
        .unwrap_or_else(|| compiled.join("../../tests/it/golden"))
}

/// The names of all golden cases, in the order of `manifest.txt`; panics if it is unreadable.
pub fn list_cases() -> Vec<String> {
    match read_manifest() {
        Ok(entries) => entries.into_iter().map(|(name, _)| name).collect(),
        Err(err) => panic!("{err}"),
    }
}

/// Loads one golden case by name; panics with the file and the reason if that fails.
#[track_caller]
pub fn load_case(name: &str) -> GoldenCase {
    match try_load_case(name) {
        Ok(case) => case,
        Err(err) => panic!("cannot load golden case {name:?}: {err}"),
    }
}

/// Loads one golden case by name.
pub fn try_load_case(name: &str) -> Result<GoldenCase, NpyError> {
    let dir = golden_dir();
    let n_inputs = read_manifest()?
        .into_iter()
        .find_map(|(listed, n_inputs)| (listed == name).then_some(n_inputs))
        .ok_or_else(|| {
            NpyError::new(format!("case {name:?} is not listed")).at(&dir.join("manifest.txt"))
        })?;
    let inputs = (0..n_inputs)
        .map(|i| read_npy(dir.join(format!("{name}.in{i}.npy"))))
        .collect::<Result<_, _>>()?;
    let output = read_npy(dir.join(format!("{name}.out.npy")))?;
    Ok(GoldenCase {
        name: name.to_string(),
        inputs,
        output,
    })
}

/// Reads `manifest.txt`: one `name n_inputs` line per case.
fn read_manifest() -> Result<Vec<(String, usize)>, NpyError> {
    let path = golden_dir().join("manifest.txt");
    let text = fs::read_to_string(&path)
        .map_err(|err| NpyError::new(format!("cannot read: {err}")).at(&path))?;
    let mut entries = Vec::new();
    for (line_idx, line) in text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
    {
        let mut fields = line.split_whitespace();
        match (fields.next(), fields.next().map(str::parse), fields.next()) {
            (Some(name), Some(Ok(n_inputs)), None) => entries.push((name.to_string(), n_inputs)),
            _ => {
                let reason = format!(
                    "line {}: expected `name n_inputs`, found {line:?}",
                    line_idx + 1
                );
                return Err(NpyError::new(reason).at(&path));
            }
        }
    }
    Ok(entries)
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

/// How many mismatching elements a failure report lists.
const MAX_REPORTED: usize = 10;

/// Asserts that two arrays, given as `(shape, values)`, have equal shapes and elements that
/// satisfy numpy's `isclose`; on failure panics with a diff headed by `context`.
///
/// `context` should name what is compared, e.g. `"add-float32, layout=permuted, dtype=float32"`.
///
/// ```
/// use lazygrad_testutil::{assert_allclose, load_case};
///
/// let case = load_case("add-float64");
/// let [a, b] = [&case.inputs[0], &case.inputs[1]].map(|x| x.data.to_f64_vec());
/// let sum: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
/// let expected = case.output.data.to_f64_vec();
/// assert_allclose((&case.output.shape, &sum), (&case.output.shape, &expected), 1e-12, 0.0, &case.name);
/// ```
#[track_caller]
pub fn assert_allclose(
    actual: (&[usize], &[f64]),
    expected: (&[usize], &[f64]),
    rtol: f64,
    atol: f64,
    context: &str,
) {
    if let Err(report) = check_allclose(actual, expected, rtol, atol, context) {
        panic!("{report}");
    }
}

/// Asserts that two arrays have equal shapes and exactly equal elements (NaN equals NaN),
/// for integer and bool results; on failure panics with the same diff as [`assert_allclose`].
#[track_caller]
pub fn assert_array_equal(actual: (&[usize], &[f64]), expected: (&[usize], &[f64]), context: &str) {
    if let Err(report) = check_array_equal(actual, expected, context) {
        panic!("{report}");
    }
}

/// The non-panicking form of [`assert_allclose`]: `Err` holds the failure report.
pub fn check_allclose(
    actual: (&[usize], &[f64]),
    expected: (&[usize], &[f64]),
    rtol: f64,
    atol: f64,
    context: &str,
) -> Result<(), String> {
    let title = format!("arrays are not close (rtol={rtol:e}, atol={atol:e})");
    compare(
        actual,
        expected,
        |a, b| isclose(a, b, rtol, atol),
        &title,
        context,
    )
}

/// The non-panicking form of [`assert_array_equal`]: `Err` holds the failure report.
pub fn check_array_equal(
    actual: (&[usize], &[f64]),
    expected: (&[usize], &[f64]),
    context: &str,
) -> Result<(), String> {
    compare(
        actual,
        expected,
        |a, b| a == b || (a.is_nan() && b.is_nan()),
        "arrays are not equal",
        context,
    )
}

/// numpy's `isclose(actual, expected, rtol, atol, equal_nan=True)`, the rule behind
/// `numpy.testing.assert_allclose`; the tolerance scales with `expected` only, so it is not symmetric.
fn isclose(actual: f64, expected: f64, rtol: f64, atol: f64) -> bool {
    if actual == expected || (actual.is_nan() && expected.is_nan()) {
        // Also covers infinities of the same sign.
        return true;
    }
    actual.is_finite()
        && expected.is_finite()
        && (actual - expected).abs() <= atol + rtol * expected.abs()
}

fn compare(
    (actual_shape, actual): (&[usize], &[f64]),
    (expected_shape, expected): (&[usize], &[f64]),
    is_match: impl Fn(f64, f64) -> bool,
    title: &str,
    context: &str,
) -> Result<(), String> {
    let mut report = format!("{title}\n  context:    {context}\n");
    for (side, shape, values) in [
        ("actual", actual_shape, actual),
        ("expected", expected_shape, expected),
    ] {
        if shape.iter().product::<usize>() != values.len() {
            let count = values.len();
            report += &format!(
                "  {side} has {count} values, but its shape {shape:?} holds {}\n",
                shape.iter().product::<usize>()
            );
            return Err(report);
        }
    }
    if actual_shape != expected_shape {
        report +=
            &format!("  shapes differ: actual {actual_shape:?}, expected {expected_shape:?}\n");
        return Err(report);
    }
    let mismatches: Vec<usize> = (0..actual.len())
        .filter(|&i| !is_match(actual[i], expected[i]))
        .collect();
    if mismatches.is_empty() {
        return Ok(());
    }
    let n_shown = mismatches.len().min(MAX_REPORTED);
    report += &format!("  shape:      {actual_shape:?}\n");
    report += &format!(
        "  mismatches: {} of {} elements (first {n_shown} below)\n",
        mismatches.len(),
        actual.len()
    );

    let mut rows = vec![[
        "index".to_string(),
        "actual".to_string(),
        "expected".to_string(),
        "actual - expected".to_string(),
    ]];
    for &flat in &mismatches[..n_shown] {
        let (a, b) = (actual[flat], expected[flat]);
        rows.push([
            format!("{:?}", unravel(flat, actual_shape)),
            format!("{a:?}"),
            format!("{b:?}"),
            format!("{:?}", a - b),
        ]);
    }
    let widths: Vec<usize> = (0..4)
        .map(|col| rows.iter().map(|row| row[col].len()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let line: String = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}  "))
            .collect();
        report += &format!("    {}\n", line.trim_end());
    }
    if mismatches.len() > n_shown {
        report += &format!("    ... and {} more\n", mismatches.len() - n_shown);
    }
    Err(report)
}

/// The C-order multi-dimensional index of flat position `flat`.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (axis, &dim) in shape.iter().enumerate().rev() {
        index[axis] = flat % dim;
        flat /= dim;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<NpyData> {
        vec![
            NpyData::Bool(vec![true, false, true, true, false, false]),
            NpyData::U8(vec![0, 1, 127, 128, 254, 255]),
            NpyData::I32(vec![i32::MIN, -1, 0, 1, 7, i32::MAX]),
            NpyData::I64(vec![i64::MIN, -1, 0, 1, 1 << 40, i64::MAX]),
            NpyData::F32(vec![
                -0.0,
                1.5,
                f32::MIN_POSITIVE,
                f32::INFINITY,
                f32::NEG_INFINITY,
                3.25e30,
            ]),
            NpyData::F64(vec![
                -0.0,
                0.1,
                f64::MIN_POSITIVE,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -2.5e300,
            ]),
        ]
    }

    /// Replaces `from` by `to` (of the same length) in the header of a `.npy` file.
    fn patch_header(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        assert_eq!(from.len(), to.len());
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
    }

    fn tests_data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests-data")
            .join(name)
    }

    fn npy(shape: &[usize], data: NpyData) -> Npy {
        Npy {
            shape: shape.to_vec(),
            data,
        }
    }

    #[test]
    fn round_trip_every_dtype_in_memory() {
        for data in samples() {
            let array = npy(&[2, 3], data);
            let read = Npy::from_bytes(&array.to_bytes().unwrap()).unwrap();
            assert_eq!(read, array, "dtype {}", array.data.dtype_name());
        }
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = std::env::temp_dir().join(format!("lazygrad-testutil-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        for data in samples() {
            let path = dir.join(format!("{}.npy", data.dtype_name()));
            let array = npy(&[3, 1, 2], data);
            write_npy(&path, &array).unwrap();
            assert_eq!(read_npy(&path).unwrap(), array);
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn round_trip_zero_d_and_empty() {
        let arrays = [
            npy(&[], NpyData::F64(vec![2.5])),
            npy(&[], NpyData::Bool(vec![true])),
            npy(&[0], NpyData::I32(vec![])),
            npy(&[3, 0], NpyData::F32(vec![])),
            npy(&[0, 4, 2], NpyData::U8(vec![])),
        ];
        for array in arrays {
            assert_eq!(Npy::from_bytes(&array.to_bytes().unwrap()).unwrap(), array);
        }
    }

    #[test]
    fn data_starts_at_a_multiple_of_64() {
        for shape in [
            &[][..],
            &[5],
            &[2, 3],
            &[123_456_789, 0, 1, 2, 3, 4, 5, 6, 7, 8],
        ] {
            let count = shape.iter().product();
            let bytes = npy(shape, NpyData::U8(vec![1; count])).to_bytes().unwrap();
            assert_eq!((bytes.len() - count) % 64, 0, "shape {shape:?}");
            assert_eq!(bytes[bytes.len() - count - 1], b'\n');
        }
    }

    #[test]
    fn long_headers_use_format_2() {
        // This header is longer than the 65535 bytes that format 1.0's u16 length can describe.
        let array = npy(&[1; 22_000], NpyData::U8(vec![9]));
        let bytes = array.to_bytes().unwrap();
        assert_eq!(bytes[6..8], [2, 0]);
        assert_eq!(Npy::from_bytes(&bytes).unwrap(), array);
    }

    #[test]
    fn fortran_order_is_converted_to_c_order() {
        // [[0, 1, 2], [3, 4, 5]] stored column by column.
        let stored = npy(&[2, 3], NpyData::I64(vec![0, 3, 1, 4, 2, 5]));
        let bytes = patch_header(&stored.to_bytes().unwrap(), "False", "True ");
        let expected = npy(&[2, 3], NpyData::I64(vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(Npy::from_bytes(&bytes).unwrap(), expected);
    }

    // The fixtures in tests-data/ were written by numpy 2.4 from the repository root with
    // python3 -c "import numpy as np; w=np.lib.format.write_array; d='crates/lazygrad-testutil/tests-data/'; [w(open(d+n,'wb'),a,version=v) for n,a,v in [('f8_fortran_2x3x2.npy',np.asfortranarray(np.arange(12.).reshape(2,3,2)),(1,0)),('i4_v2_3x2.npy',np.arange(-3,3,dtype='<i4').reshape(3,2),(2,0)),('b1_v3_3.npy',np.array([True,False,True]),(3,0)),('u1_0d.npy',np.array(7,np.uint8),(1,0)),('f4_empty_0x3.npy',np.zeros((0,3),np.float32),(1,0)),('i8_2.npy',np.array([-1,2**40]),(1,0))]]"
    #[test]
    fn reads_files_written_by_numpy() {
        let cases = [
            (
                "f8_fortran_2x3x2.npy",
                npy(&[2, 3, 2], NpyData::F64((0..12).map(f64::from).collect())),
            ),
            (
                "i4_v2_3x2.npy",
                npy(&[3, 2], NpyData::I32(vec![-3, -2, -1, 0, 1, 2])),
            ),
            (
                "b1_v3_3.npy",
                npy(&[3], NpyData::Bool(vec![true, false, true])),
            ),
            ("u1_0d.npy", npy(&[], NpyData::U8(vec![7]))),
            ("f4_empty_0x3.npy", npy(&[0, 3], NpyData::F32(vec![]))),
            ("i8_2.npy", npy(&[2], NpyData::I64(vec![-1, 1 << 40]))),
        ];
        for (file, expected) in cases {
            assert_eq!(read_npy(tests_data(file)).unwrap(), expected, "{file}");
        }
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let missing = read_npy(tests_data("no-such-file.npy")).unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("no-such-file.npy: cannot read"),
            "{missing}"
        );

        let err = Npy::from_bytes(b"PK\x03\x04 not npy").unwrap_err();
        assert!(err.reason().contains("magic"), "{err}");

        let good = npy(&[2], NpyData::F64(vec![1.0, 2.0])).to_bytes().unwrap();
        let truncated = Npy::from_bytes(&good[..good.len() - 1]).unwrap_err();
        assert!(
            truncated.reason().contains("expected 16 data bytes"),
            "{truncated}"
        );

        let big_endian = Npy::from_bytes(&patch_header(&good, "<f8", ">f8")).unwrap_err();
        assert!(
            big_endian.reason().contains("unsupported dtype \">f8\""),
            "{big_endian}"
        );

        let inconsistent = npy(&[3], NpyData::I32(vec![1, 2])).to_bytes().unwrap_err();
        assert!(
            inconsistent.reason().contains("holds 3 elements"),
            "{inconsistent}"
        );
    }

    #[test]
    fn dtype_names_match_numpy() {
        let names: Vec<_> = samples().iter().map(NpyData::dtype_name).collect();
        assert_eq!(
            names,
            ["bool", "uint8", "int32", "int64", "float32", "float64"]
        );
        assert_eq!(NpyData::Bool(vec![true, false]).to_f64_vec(), [1.0, 0.0]);
    }

    #[test]
    fn allclose_follows_numpy_isclose() {
        let shape: &[usize] = &[5];
        let expected = [1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0];
        let actual = [1.0 + 1e-9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-9];
        assert_eq!(
            check_allclose((shape, &actual), (shape, &expected), 1e-7, 1e-8, "ok"),
            Ok(())
        );
        // Infinities of opposite sign, NaN against a number, and a finite value against inf differ.
        for (a, b) in [
            (f64::INFINITY, f64::NEG_INFINITY),
            (f64::NAN, 1.0),
            (1.0, f64::NAN),
            (1e308, f64::INFINITY),
        ] {
            assert!(
                check_allclose((&[], &[a]), (&[], &[b]), 1e-7, 1e-8, "").is_err(),
                "{a} vs {b}"
            );
        }
        // The tolerance is relative to the expected value.
        assert!(check_allclose((&[], &[2.0]), (&[], &[1.0]), 0.6, 0.0, "").is_err());
        assert!(check_allclose((&[], &[1.0]), (&[], &[2.0]), 0.6, 0.0, "").is_ok());
    }

    #[test]
    fn failure_report_lists_shapes_counts_and_indices() {
        let shape: &[usize] = &[2, 3, 4];
        let expected: Vec<f64> = (0..24).map(f64::from).collect();
        let mut actual = expected.clone();
        for flat in [1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 23] {
            actual[flat] += 0.5;
        }
        let report = check_allclose(
            (shape, &actual),
            (shape, &expected),
            1e-5,
            1e-8,
            "add-float64, layout=permuted",
        )
        .unwrap_err();
        assert!(report.starts_with("arrays are not close (rtol=1e-5, atol=1e-8)\n  context:    add-float64, layout=permuted\n"), "{report}");
        assert!(
            report.contains("mismatches: 12 of 24 elements (first 10 below)"),
            "{report}"
        );
        assert!(
            report.contains("[0, 0, 1]  1.5     1.0       0.5"),
            "{report}"
        );
        assert!(
            report.contains("[1, 0, 1]  13.5    13.0      0.5"),
            "{report}"
        );
        assert!(
            !report.contains("[1, 2, 3]"),
            "only the first 10 are listed:\n{report}"
        );
        assert!(report.ends_with("    ... and 2 more\n"), "{report}");

        let report = check_array_equal((&[3, 4], &[0.0; 12]), (&[4, 3], &[0.0; 12]), "sum-int32")
            .unwrap_err();
        assert!(
            report.contains("shapes differ: actual [3, 4], expected [4, 3]"),
            "{report}"
        );
        let report = check_array_equal((&[3], &[0.0; 2]), (&[3], &[0.0; 3]), "x").unwrap_err();
        assert!(
            report.contains("actual has 2 values, but its shape [3] holds 3"),
            "{report}"
        );
    }

    #[test]
    fn array_equal_is_exact_and_nan_aware() {
        let shape: &[usize] = &[];
        assert!(check_array_equal((shape, &[f64::NAN]), (shape, &[f64::NAN]), "").is_ok());
        let report =
            check_array_equal((shape, &[3.0]), (shape, &[3.0000001]), "argmax-int32").unwrap_err();
        assert!(
            report.contains("arrays are not equal\n  context:    argmax-int32\n"),
            "{report}"
        );
        assert!(
            report.contains("[]     3.0"),
            "0-d arrays have the empty index:\n{report}"
        );
    }

    #[test]
    fn every_golden_case_loads() {
        let names = list_cases();
        assert!(
            names.len() > 100,
            "manifest.txt lists only {} cases",
            names.len()
        );
        for name in &names {
            let case = try_load_case(name).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(&case.name, name);
            for array in case.inputs.iter().chain([&case.output]) {
                assert_eq!(
                    array.shape.iter().product::<usize>(),
                    array.data.len(),
                    "{name}"
                );
            }
        }
        let err = try_load_case("no-such-case").unwrap_err();
        assert!(
            err.to_string()
                .contains("manifest.txt: case \"no-such-case\" is not listed"),
            "{err}"
        );
    }
}
