//! numpy's text files: [`loadtxt`], [`genfromtxt`] and [`savetxt`].
//!
//! The readers follow numpy 2's rules and error messages: `loadtxt` requires every row to have
//! the same number of columns and every used field to parse ("could not convert string 'x' to
//! float64 at row 0, column 3."), while `genfromtxt` fills empty, missing and unparsable fields
//! with a filling value and lists every ragged line. The writer reproduces Python's
//! `%`-formatting byte for byte for the numeric conversions (`%d`, `%.3f`, `%.18e`, `%g`, ...).
//!
//! Text is hostile input with no declared size, so the readers stream: the file is read one
//! line at a time through a buffered reader, a line longer than [`MAX_LINE`] is an error rather
//! than an unbounded allocation (an endless stream such as `/dev/zero` stops there), and the
//! only memory that grows with the file is the parsed values themselves, as in numpy.
//!
//! The golden files numpy wrote for these functions, and the byte-for-byte comparisons of
//! `savetxt`'s output, are in the facade's `tests/it/text_io.rs`.

use crate::{Array, DType, Error, Result, Shape};
use lazygrad_cpu::{Storage, with_dtype};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

/// The longest line the readers accept, in bytes (64 MiB, some 3 million float64 columns);
/// numpy has no limit, but a stream without newlines must not be read into memory whole.
pub const MAX_LINE: usize = 1 << 26;

/// The options of [`loadtxt`], numpy's everyday arguments with numpy's defaults.
///
/// ```
/// use lazygrad_io::text::LoadTxt;
/// let opts = LoadTxt { delimiter: Some(','), skiprows: 1, ..LoadTxt::default() };
/// assert_eq!(opts.comments, ["#"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LoadTxt {
    /// The character between fields; `None` (the default) splits on runs of whitespace.
    pub delimiter: Option<char>,
    /// Markers that start a comment, which runs to the end of the line (default `["#"]`).
    pub comments: Vec<String>,
    /// How many lines to skip at the start of the file, comments and blank lines included.
    pub skiprows: usize,
    /// The columns to read, in this order; negative indices count from the end of each row.
    pub usecols: Option<Vec<isize>>,
    /// The dtype of the result (default float64).
    pub dtype: DType,
    /// The most rows of data to read (blank and comment lines do not count).
    pub max_rows: Option<usize>,
    /// The fewest dimensions of the result, 0 to 2: with 0 a single row or column is squeezed.
    pub ndmin: usize,
    /// Whether to return the transpose, so that each row of the result is a column of the file.
    pub unpack: bool,
}

impl Default for LoadTxt {
    fn default() -> LoadTxt {
        LoadTxt {
            delimiter: None,
            comments: vec!["#".into()],
            skiprows: 0,
            usecols: None,
            dtype: DType::F64,
            max_rows: None,
            ndmin: 0,
            unpack: false,
        }
    }
}

/// The options of [`genfromtxt`], with numpy's defaults.
///
/// ```
/// use lazygrad_io::text::GenFromTxt;
/// let opts = GenFromTxt { missing_values: vec!["N/A".into()], ..GenFromTxt::default() };
/// assert!(opts.filling_values.is_none()); // NaN for floats, -1 for integers
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GenFromTxt {
    /// The character between fields; `None` (the default) splits on runs of whitespace.
    pub delimiter: Option<char>,
    /// The marker that starts a comment (default `"#"`); `None` for none.
    pub comments: Option<String>,
    /// How many lines to skip at the start of the file.
    pub skip_header: usize,
    /// How many rows of data to drop at the end of the file.
    pub skip_footer: usize,
    /// The columns to read, in this order; negative indices count from the end of each row.
    pub usecols: Option<Vec<isize>>,
    /// The dtype of the result: float64 (the default), float32, int64 or int32.
    pub dtype: DType,
    /// Strings that mark a missing value, besides the empty field.
    pub missing_values: Vec<String>,
    /// The value of missing and unparsable fields: NaN for floats and -1 for integers if `None`.
    pub filling_values: Option<f64>,
    /// The most rows of data to read.
    pub max_rows: Option<usize>,
    /// The fewest dimensions of the result, 0 to 2, as in [`LoadTxt::ndmin`].
    pub ndmin: usize,
}

impl Default for GenFromTxt {
    fn default() -> GenFromTxt {
        GenFromTxt {
            delimiter: None,
            comments: Some("#".into()),
            skip_header: 0,
            skip_footer: 0,
            usecols: None,
            dtype: DType::F64,
            missing_values: Vec::new(),
            filling_values: None,
            max_rows: None,
            ndmin: 0,
        }
    }
}

/// The options of [`savetxt`], with numpy's defaults.
///
/// ```
/// use lazygrad_io::text::SaveTxt;
/// let opts = SaveTxt { fmt: "%.3f".into(), delimiter: ",".into(), ..SaveTxt::default() };
/// assert_eq!(opts.newline, "\n");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SaveTxt {
    /// A `%`-format for every value (`"%.18e"`, the default), or one for the whole row with
    /// one conversion per column (`"%d,%.2f"`).
    pub fmt: String,
    /// The text between columns (default one space).
    pub delimiter: String,
    /// The text after every row (default `"\n"`).
    pub newline: String,
    /// Text written before the rows, each of its lines after `comments`.
    pub header: String,
    /// Text written after the rows, each of its lines after `comments`.
    pub footer: String,
    /// The prefix of the header's and footer's lines (default `"# "`).
    pub comments: String,
}

impl Default for SaveTxt {
    fn default() -> SaveTxt {
        SaveTxt {
            fmt: "%.18e".into(),
            delimiter: " ".into(),
            newline: "\n".into(),
            header: String::new(),
            footer: String::new(),
            comments: "# ".into(),
        }
    }
}

/// What went wrong while reading, before it is given the file's name or the op's.
enum Fail {
    Io(std::io::Error),
    Bad(String),
}

impl From<String> for Fail {
    fn from(message: String) -> Fail {
        Fail::Bad(message)
    }
}

/// Names a reading failure: by the file when there is one, else by the op.
fn named<'a>(op: &'static str, path: Option<&'a Path>) -> impl Fn(Fail) -> Error + 'a {
    move |fail| match (fail, path) {
        (Fail::Io(err), Some(path)) => Error::io(path, err),
        (Fail::Bad(message), Some(path)) => Error::format(path, format!("{op}: {message}")),
        (Fail::Io(err), None) => Error::Invalid {
            op,
            message: err.to_string(),
        },
        (Fail::Bad(message), None) => Error::Invalid { op, message },
    }
}

/// Opens `path` for reading through a buffer.
fn open(path: &Path) -> Result<BufReader<File>> {
    let file = File::open(path).map_err(|err| Error::io(path, err))?;
    Ok(BufReader::new(file))
}

/// The lines of a text stream, without their `\n` or `\r\n`, each at most [`MAX_LINE`] bytes.
struct Lines<R> {
    reader: R,
    line: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Lines<R> {
        Lines {
            reader,
            line: Vec::new(),
        }
    }

    /// The next line as text (bytes that are not UTF-8 become U+FFFD, which no number holds).
    fn next_line(&mut self) -> Result<Option<Cow<'_, str>>, Fail> {
        self.line.clear();
        // Reading one byte past the limit tells a line of exactly MAX_LINE bytes from a longer one.
        let limit = (MAX_LINE + 2) as u64;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.line)
            .map_err(Fail::Io)?;
        if read == 0 {
            return Ok(None);
        }
        if self.line.last() == Some(&b'\n') {
            self.line.pop();
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
        }
        if self.line.len() > MAX_LINE {
            return Err(Fail::Bad(format!(
                "a line is longer than {MAX_LINE} bytes; lazygrad does not read longer lines"
            )));
        }
        Ok(Some(String::from_utf8_lossy(&self.line)))
    }

    /// Skips `count` lines, whatever they hold.
    fn skip(&mut self, count: usize) -> Result<(), Fail> {
        for _ in 0..count {
            if self.next_line()?.is_none() {
                break;
            }
        }
        Ok(())
    }
}

/// `line` up to its first comment marker.
fn strip_comment<'a>(line: &'a str, comments: &[&str]) -> &'a str {
    let cut = comments
        .iter()
        .filter(|marker| !marker.is_empty())
        .filter_map(|marker| line.find(marker))
        .min()
        .unwrap_or(line.len());
    &line[..cut]
}

/// The fields of `line`: split on `delimiter`, or on runs of whitespace when it is `None`.
fn split_fields(line: &str, delimiter: Option<char>) -> Vec<&str> {
    match delimiter {
        None => line.split_ascii_whitespace().collect(),
        Some(delimiter) => line.split(delimiter).collect(),
    }
}

/// The column of a row of `n_fields` that `index` names (negative counts from the end).
fn resolve_column(index: isize, n_fields: usize) -> Option<usize> {
    let resolved = if index < 0 {
        n_fields.checked_sub(index.unsigned_abs())?
    } else {
        index as usize
    };
    (resolved < n_fields).then_some(resolved)
}

/// Python's `repr` of a string, as numpy quotes it in its messages.
fn python_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut res = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            c if c == quote => {
                res.push('\\');
                res.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                res.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => res.push(c),
        }
    }
    res.push(quote);
    res
}

/// An element type the text readers parse and the writer formats.
trait TextElement: Storage {
    /// The value of a field, with surrounding whitespace allowed, as numpy's parsers read it.
    fn parse(field: &str) -> Option<Self>;
    /// `value` as this type, if it is exactly representable (a `genfromtxt` filling value).
    fn from_fill(value: f64) -> Option<Self>;
    /// genfromtxt's filling value when none is given.
    fn default_fill() -> Option<Self>;
    /// The value as a number for `%`-formatting.
    fn number(self) -> Number;
}

macro_rules! text_int {
    ($($t:ty),*) => {$(
        impl TextElement for $t {
            fn parse(field: &str) -> Option<Self> {
                // numpy's integer parser takes an optional sign and decimal digits only.
                field.trim_ascii().parse().ok()
            }
            fn from_fill(value: f64) -> Option<Self> {
                // `MAX as f64 + 1.0` is exact (a power of two) where `MAX as f64` may round up.
                let fits = value.fract() == 0.0
                    && value >= <$t>::MIN as f64
                    && value < <$t>::MAX as f64 + 1.0;
                fits.then_some(value as $t)
            }
            fn default_fill() -> Option<Self> {
                <$t>::try_from(-1i8).ok()
            }
            fn number(self) -> Number {
                Number::Int(i128::from(self))
            }
        }
    )*};
}

text_int!(u8, i8, u16, i16, u32, i32, u64, i64);

impl TextElement for bool {
    fn parse(field: &str) -> Option<Self> {
        // numpy reads booleans as integers: any nonzero integer is True.
        field
            .trim_ascii()
            .parse::<i64>()
            .ok()
            .map(|value| value != 0)
    }
    fn from_fill(_value: f64) -> Option<Self> {
        None
    }
    fn default_fill() -> Option<Self> {
        None
    }
    fn number(self) -> Number {
        Number::Int(i128::from(self))
    }
}

impl TextElement for f64 {
    fn parse(field: &str) -> Option<Self> {
        // Rust's grammar is Python's float() without underscores, which numpy rejects too:
        // decimal digits, an exponent, and inf, infinity and nan in any case.
        field.trim_ascii().parse().ok()
    }
    fn from_fill(value: f64) -> Option<Self> {
        Some(value)
    }
    fn default_fill() -> Option<Self> {
        Some(f64::NAN)
    }
    fn number(self) -> Number {
        Number::Float(self)
    }
}

impl TextElement for f32 {
    fn parse(field: &str) -> Option<Self> {
        // numpy parses a double and casts it, so the rounding is the cast's.
        f64::parse(field).map(|value| value as f32)
    }
    fn from_fill(value: f64) -> Option<Self> {
        Some(value as f32)
    }
    fn default_fill() -> Option<Self> {
        Some(f32::NAN)
    }
    fn number(self) -> Number {
        Number::Float(f64::from(self))
    }
}

impl TextElement for lazygrad_ir::f16 {
    fn parse(field: &str) -> Option<Self> {
        // numpy parses a double and casts it, so the rounding is the cast's.
        f64::parse(field).map(lazygrad_ir::f16::from_f64)
    }
    fn from_fill(value: f64) -> Option<Self> {
        Some(lazygrad_ir::f16::from_f64(value))
    }
    fn default_fill() -> Option<Self> {
        Some(lazygrad_ir::f16::NAN)
    }
    fn number(self) -> Number {
        Number::Float(f64::from(self))
    }
}

/// The rows read, as C-ordered values and a column count.
struct Table<T> {
    values: Vec<T>,
    rows: usize,
    cols: usize,
}

/// Reads `loadtxt`'s rows from `lines`.
fn load_rows<T: TextElement, R: BufRead>(
    lines: &mut Lines<R>,
    opts: &LoadTxt,
) -> Result<Table<T>, Fail> {
    let comments: Vec<&str> = opts.comments.iter().map(String::as_str).collect();
    let mut table = Table {
        values: Vec::new(),
        rows: 0,
        cols: opts.usecols.as_ref().map_or(1, Vec::len),
    };
    let mut first_cols = None;
    lines.skip(opts.skiprows)?;
    while opts.max_rows.is_none_or(|max| table.rows < max) {
        let Some(line) = lines.next_line()? else {
            break;
        };
        let content = strip_comment(&line, &comments);
        let fields = split_fields(content, opts.delimiter);
        let blank = match opts.delimiter {
            None => fields.is_empty(),
            Some(_) => content.is_empty(),
        };
        if blank {
            continue;
        }
        let row = table.rows;
        let columns: Vec<usize> = match &opts.usecols {
            Some(usecols) => usecols
                .iter()
                .map(|&index| {
                    resolve_column(index, fields.len()).ok_or_else(|| {
                        format!(
                            "invalid column index {index} at row {} with {} columns",
                            row + 1,
                            fields.len()
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            None => {
                let expected = *first_cols.get_or_insert(fields.len());
                if fields.len() != expected {
                    return Err(Fail::Bad(format!(
                        "the number of columns changed from {expected} to {} at row {}; use \
                         `usecols` to select a subset and avoid this error",
                        fields.len(),
                        row + 1
                    )));
                }
                table.cols = expected;
                (0..expected).collect()
            }
        };
        for column in columns {
            let field = fields[column];
            let value = T::parse(field).ok_or_else(|| {
                format!(
                    "could not convert string {} to {} at row {row}, column {}.",
                    python_repr(field),
                    opts.dtype,
                    column + 1
                )
            })?;
            table.values.push(value);
        }
        table.rows += 1;
    }
    Ok(table)
}

/// The shape numpy gives a table of `rows` by `cols`: squeezed when it has more than `ndmin`
/// dimensions, then given leading axes up to `ndmin`.
fn final_shape(rows: usize, cols: usize, ndmin: usize) -> Vec<usize> {
    let mut shape = vec![rows, cols];
    if ndmin < 2 {
        shape.retain(|&extent| extent != 1);
    }
    while shape.len() < ndmin {
        shape.insert(0, 1);
    }
    shape
}

/// The C-ordered elements of the transpose of a `rows` by `cols` matrix.
fn transpose<T: Copy>(values: &[T], rows: usize, cols: usize) -> Vec<T> {
    (0..cols)
        .flat_map(|col| (0..rows).map(move |row| values[row * cols + col]))
        .collect()
}

/// The array of a table, shaped by `ndmin` and transposed when `unpack` is set.
fn finish<T: TextElement>(table: Table<T>, ndmin: usize, unpack: bool) -> Result<Array> {
    let Table { values, rows, cols } = table;
    let shape = final_shape(rows, cols, ndmin);
    if unpack && shape.len() == 2 {
        let values = transpose(&values, shape[0], shape[1]);
        return Array::new([shape[1], shape[0]], T::wrap(values));
    }
    Array::new(Shape::new(&shape), T::wrap(values))
}

/// Checks `ndmin`, as numpy's readers do before reading.
fn check_ndmin(ndmin: usize) -> Result<(), Fail> {
    if ndmin > 2 {
        return Err(Fail::Bad(format!(
            "Illegal value of ndmin keyword: {ndmin}"
        )));
    }
    Ok(())
}

/// `loadtxt` over any buffered stream.
fn load_from<R: BufRead>(reader: R, opts: &LoadTxt) -> Result<Array, Fail> {
    check_ndmin(opts.ndmin)?;
    let mut lines = Lines::new(reader);
    with_dtype!(opts.dtype, T => {
        let table = load_rows::<T, R>(&mut lines, opts)?;
        finish(table, opts.ndmin, opts.unpack).map_err(|err| Fail::Bad(err.to_string()))
    })
}

/// Reads a text file of numbers into an array, as `numpy.loadtxt` does.
///
/// Every row must have the same number of columns (or `usecols` picks some), and every used
/// field must parse as `opts.dtype`; errors give numpy's message and name the file. A file with
/// no data gives an empty array (numpy also warns).
///
/// ```
/// use lazygrad_io::text::{LoadTxt, loadtxt};
/// use lazygrad_io::{Buffer, DType};
/// let path = std::env::temp_dir().join("lazygrad_doc_loadtxt.csv");
/// std::fs::write(&path, "# x,y\n1,2\n3,4\n")?;
/// let opts = LoadTxt { delimiter: Some(','), dtype: DType::I64, ..LoadTxt::default() };
/// let a = loadtxt(&path, &opts)?;
/// assert_eq!((a.shape.to_vec(), a.data), (vec![2, 2], Buffer::I64(vec![1, 2, 3, 4])));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn loadtxt(path: impl AsRef<Path>, opts: &LoadTxt) -> Result<Array> {
    let path = path.as_ref();
    load_from(open(path)?, opts).map_err(named("loadtxt", Some(path)))
}

/// [`loadtxt`] over any reader (numpy's `loadtxt` of a file object or `StringIO`).
///
/// ```
/// use lazygrad_io::text::{LoadTxt, loadtxt_from};
/// let a = loadtxt_from("1 2\n3 x\n".as_bytes(), &LoadTxt::default());
/// let message = a.unwrap_err().to_string();
/// assert!(message.contains("could not convert string 'x' to float64 at row 1, column 2."));
/// ```
pub fn loadtxt_from(reader: impl Read, opts: &LoadTxt) -> Result<Array> {
    load_from(BufReader::new(reader), opts).map_err(named("loadtxt", None))
}

/// One data row of `genfromtxt`: its line number (numpy's), and its values if it is whole.
type GenRow<T> = (usize, Result<Vec<T>, usize>);

/// Reads `genfromtxt`'s rows, ragged ones included, from `lines`.
fn gen_rows<T: TextElement, R: BufRead>(
    lines: &mut Lines<R>,
    opts: &GenFromTxt,
) -> Result<(Vec<GenRow<T>>, usize), Fail> {
    let fill = match opts.filling_values {
        Some(value) => T::from_fill(value).ok_or_else(|| {
            format!(
                "the filling value {value} cannot be stored as {}",
                opts.dtype
            )
        })?,
        None => T::default_fill().ok_or_else(|| {
            format!(
                "dtype {} is not supported: genfromtxt reads float64, float32, int64 and int32",
                opts.dtype
            )
        })?,
    };
    let comments: Vec<&str> = opts.comments.iter().map(String::as_str).collect();
    lines.skip(opts.skip_header)?;
    let mut rows = Vec::new();
    let mut cols = opts.usecols.as_ref().map(Vec::len);
    // numpy numbers lines from the first one holding data, plus the header it skipped.
    let mut line_number = None;
    while opts.max_rows.is_none_or(|max| rows.len() < max) {
        let Some(line) = lines.next_line()? else {
            break;
        };
        let content = strip_comment(&line, &comments).trim_matches([' ', '\r', '\n']);
        let fields = if content.is_empty() {
            Vec::new()
        } else {
            split_fields(content, opts.delimiter)
        };
        if let Some(number) = line_number.as_mut() {
            *number += 1;
        }
        if fields.is_empty() {
            continue;
        }
        let number = *line_number.get_or_insert(opts.skip_header + 1);
        let expected = *cols.get_or_insert(fields.len());
        let columns: Option<Vec<usize>> = match &opts.usecols {
            Some(usecols) => usecols
                .iter()
                .map(|&index| resolve_column(index, fields.len()))
                .collect(),
            None => (fields.len() == expected).then(|| (0..expected).collect()),
        };
        let Some(columns) = columns else {
            rows.push((number, Err(fields.len())));
            continue;
        };
        let values = columns
            .into_iter()
            .map(|column| {
                let field = fields[column].trim_ascii();
                let missing = field.is_empty() || opts.missing_values.iter().any(|m| m == field);
                if missing {
                    fill
                } else {
                    T::parse(field).unwrap_or(fill)
                }
            })
            .collect();
        rows.push((number, Ok(values)));
    }
    Ok((rows, cols.unwrap_or(1)))
}

/// `genfromtxt` over any buffered stream.
fn gen_from<R: BufRead>(reader: R, opts: &GenFromTxt) -> Result<Array, Fail> {
    check_ndmin(opts.ndmin)?;
    let mut lines = Lines::new(reader);
    with_dtype!(opts.dtype, T => {
        let (mut rows, cols) = gen_rows::<T, R>(&mut lines, opts)?;
        rows.truncate(rows.len().saturating_sub(opts.skip_footer));
        let invalid: Vec<String> = rows
            .iter()
            .filter_map(|(number, row)| row.as_ref().err().map(|got| {
                format!("    Line #{number} (got {got} columns instead of {cols})")
            }))
            .collect();
        if !invalid.is_empty() {
            return Err(Fail::Bad(format!("Some errors were detected !\n{}", invalid.join("\n"))));
        }
        let n_rows = rows.len();
        let values: Vec<T> = rows.into_iter().filter_map(|(_, row)| row.ok()).flatten().collect();
        finish(Table { values, rows: n_rows, cols }, opts.ndmin, false)
            .map_err(|err| Fail::Bad(err.to_string()))
    })
}

/// Reads a text file with missing values, as `numpy.genfromtxt` does for numeric data.
///
/// Empty fields and the `missing_values` strings become the filling value (NaN for floats),
/// as do fields that do not parse; rows with the wrong number of columns are an error listing
/// every such line, as numpy's "Some errors were detected !" does.
///
/// ```
/// use lazygrad_io::text::{GenFromTxt, genfromtxt};
/// use lazygrad_io::Buffer;
/// let path = std::env::temp_dir().join("lazygrad_doc_genfromtxt.csv");
/// std::fs::write(&path, "1,,3\n4,N/A,6\n")?;
/// let opts = GenFromTxt {
///     delimiter: Some(','),
///     missing_values: vec!["N/A".into()],
///     filling_values: Some(0.0),
///     ..GenFromTxt::default()
/// };
/// let a = genfromtxt(&path, &opts)?;
/// assert_eq!(a.data, Buffer::F64(vec![1.0, 0.0, 3.0, 4.0, 0.0, 6.0]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn genfromtxt(path: impl AsRef<Path>, opts: &GenFromTxt) -> Result<Array> {
    let path = path.as_ref();
    gen_from(open(path)?, opts).map_err(named("genfromtxt", Some(path)))
}

/// [`genfromtxt`] over any reader (numpy's `genfromtxt` of a file object or `StringIO`).
pub fn genfromtxt_from(reader: impl Read, opts: &GenFromTxt) -> Result<Array> {
    gen_from(BufReader::new(reader), opts).map_err(named("genfromtxt", None))
}

/// A value as Python's `%` operator sees it: numpy hands it integers and floats.
#[derive(Clone, Copy, Debug)]
enum Number {
    Int(i128),
    Float(f64),
}

/// One `%` conversion of a format: `%[flags][width][.precision]conversion`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    alternate: bool,
    width: usize,
    precision: Option<usize>,
    conversion: char,
}

/// A piece of a row format: literal text or a conversion.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Convert(Spec),
}

/// The conversions [`savetxt`] formats, all of Python's numeric ones.
const CONVERSIONS: &str = "diuxXoeEfFgG";

/// Parses a `%`-format into literal text and conversions, as Python's `%` operator reads it.
fn parse_format(fmt: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            text.push('%');
            continue;
        }
        let mut spec = Spec::default();
        while let Some(flag) = chars.next_if(|c| "-+ 0#".contains(*c)) {
            match flag {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => spec.alternate = true,
            }
        }
        let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
            let digits: String =
                std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
            digits.parse::<usize>().map_err(|_| ())
        };
        let too_wide = || format!("the width or precision in {fmt:?} is too large");
        if chars.peek().is_some_and(char::is_ascii_digit) {
            spec.width = number(&mut chars).map_err(|()| too_wide())?;
        }
        if chars.next_if_eq(&'.').is_some() {
            let precision = if chars.peek().is_some_and(char::is_ascii_digit) {
                number(&mut chars).map_err(|()| too_wide())?
            } else {
                0
            };
            spec.precision = Some(precision);
        }
        // Python accepts C's length modifiers and ignores them.
        while chars.next_if(|c| "hlL".contains(*c)).is_some() {}
        // Python's own limits on width and precision (`sys.maxsize` would overflow a buffer).
        if spec.width > MAX_WIDTH || spec.precision.is_some_and(|p| p > MAX_WIDTH) {
            return Err(too_wide());
        }
        match chars.next() {
            Some(conversion) if CONVERSIONS.contains(conversion) => {
                spec.conversion = conversion;
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                pieces.push(Piece::Convert(spec));
            }
            other => {
                let shown = other.map_or(String::new(), String::from);
                return Err(format!(
                    "the conversion '%{shown}' in {fmt:?} is not supported: lazygrad formats \
                     numbers with %d, %i, %u, %x, %X, %o, %e, %E, %f, %F, %g and %G"
                ));
            }
        }
    }
    pieces.push(Piece::Text(text));
    Ok(pieces)
}

/// The widest field and the longest precision a format may ask for, so that a format cannot
/// make one value allocate gigabytes; below Rust's own limit on a precision (65535), with room
/// for the digits `%g` adds to it for small exponents.
const MAX_WIDTH: usize = 1 << 15;

/// The digits of a float in `%e` form with `precision` decimals, and its decimal exponent.
fn exponent_form(value: f64, precision: usize) -> (String, i32) {
    let text = format!("{:.precision$e}", value.abs());
    // Rust writes `1.5e-7`; the exponent is always present and an integer.
    let (mantissa, exponent) = text.split_once('e').expect("internal error: no exponent");
    let exponent = exponent.parse().expect("internal error: bad exponent");
    (mantissa.to_string(), exponent)
}

/// C's exponent suffix: a sign and at least two digits.
fn exponent_suffix(exponent: i32, upper: bool) -> String {
    let e = if upper { 'E' } else { 'e' };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{e}{sign}{:02}", exponent.unsigned_abs())
}

/// Removes trailing zeros of a fraction, and its point if nothing follows it (`%g`).
fn strip_zeros(digits: &str) -> &str {
    if digits.contains('.') {
        digits.trim_end_matches('0').trim_end_matches('.')
    } else {
        digits
    }
}

/// The unsigned body of a finite float under a float conversion.
fn float_body(value: f64, spec: &Spec) -> String {
    let upper = spec.conversion.is_ascii_uppercase();
    let precision = spec.precision.unwrap_or(6);
    let point = |digits: String| {
        if spec.alternate && !digits.contains('.') {
            digits + "."
        } else {
            digits
        }
    };
    match spec.conversion.to_ascii_lowercase() {
        'f' => point(format!("{:.precision$}", value.abs())),
        'e' => {
            let (mantissa, exponent) = exponent_form(value, precision);
            point(mantissa) + &exponent_suffix(exponent, upper)
        }
        _ => {
            // %g: precision P (0 counts as 1) significant digits; fixed notation when the
            // exponent X after rounding satisfies -4 <= X < P, else exponent notation.
            let significant = precision.max(1);
            let (mantissa, exponent) = exponent_form(value, significant - 1);
            let fixed = (-4..significant as i32).contains(&exponent);
            let body = if fixed {
                let decimals = (significant as i32 - 1 - exponent) as usize;
                format!("{:.decimals$}", value.abs())
            } else {
                mantissa
            };
            let body = if spec.alternate {
                point(body)
            } else {
                strip_zeros(&body).to_string()
            };
            if fixed {
                body
            } else {
                body + &exponent_suffix(exponent, upper)
            }
        }
    }
}

/// An error for a value the conversion cannot take, in numpy's words where numpy has them.
fn mismatch(dtype: DType, format: &str) -> String {
    format!("Mismatch between array dtype ('{dtype}') and format specifier ('{format}')")
}

/// Formats one value under `spec`, as Python's `%` operator does, appending to `out`.
fn format_value(
    out: &mut String,
    value: Number,
    spec: &Spec,
    dtype: DType,
    format: &str,
) -> Result<(), String> {
    let integer_conversion = "diuxXo".contains(spec.conversion);
    let (negative, body, numeric) = match value {
        Number::Float(x) if integer_conversion => {
            if !"diu".contains(spec.conversion) {
                return Err(mismatch(dtype, format));
            }
            if x.is_nan() {
                return Err("cannot convert float NaN to integer".into());
            }
            if x.is_infinite() {
                return Err("cannot convert float infinity to integer".into());
            }
            // int() truncates toward zero; `{:.0}` of an integral float is its exact digits.
            let digits = format!("{:.0}", x.trunc().abs());
            (x.trunc() < 0.0, digits, true)
        }
        Number::Int(n) if integer_conversion => {
            let magnitude = n.unsigned_abs();
            let digits = match spec.conversion {
                'x' => format!("{magnitude:x}"),
                'X' => format!("{magnitude:X}"),
                'o' => format!("{magnitude:o}"),
                _ => magnitude.to_string(),
            };
            (n < 0, digits, true)
        }
        Number::Int(n) => {
            // Python converts an integer to float for a float conversion.
            let x = n as f64;
            (x < 0.0, float_body(x, spec), true)
        }
        Number::Float(x) if x.is_finite() => (x.is_sign_negative(), float_body(x, spec), true),
        Number::Float(x) => {
            let word = if x.is_nan() { "nan" } else { "inf" };
            let word = if spec.conversion.is_ascii_uppercase() {
                word.to_ascii_uppercase()
            } else {
                word.to_string()
            };
            (x.is_infinite() && x < 0.0, word, false)
        }
    };
    let mut body = body;
    if integer_conversion && numeric {
        if let Some(precision) = spec.precision {
            // An integer's precision is its fewest digits.
            while body.len() < precision {
                body.insert(0, '0');
            }
        }
        if spec.alternate {
            match spec.conversion {
                'x' => body.insert_str(0, "0x"),
                'X' => body.insert_str(0, "0X"),
                'o' => body.insert_str(0, "0o"),
                _ => {}
            }
        }
    }
    let sign = match (negative, spec.plus, spec.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        _ => "",
    };
    let len = sign.len() + body.len();
    let pad = spec.width.saturating_sub(len);
    if spec.left {
        out.push_str(sign);
        out.push_str(&body);
        out.extend(std::iter::repeat_n(' ', pad));
    } else if spec.zero {
        // Python zero-pads after the sign, even "nan" and "inf".
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', pad));
        out.push_str(&body);
    } else {
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str(sign);
        out.push_str(&body);
    }
    Ok(())
}

/// The row format for `cols` columns: `fmt` repeated with the delimiter between, or `fmt`
/// itself when it has one `%` per column (numpy counts `%` characters, `%%` included).
fn row_format(fmt: &str, delimiter: &str, cols: usize) -> Result<String, String> {
    match fmt.matches('%').count() {
        1 => Ok(vec![fmt; cols].join(delimiter)),
        count if count == cols => Ok(fmt.to_string()),
        _ => Err(format!("fmt has wrong number of % formats:  {fmt}")),
    }
}

/// Writes the rows of `values`, a `rows` by `cols` matrix, under `opts`.
fn write_rows<T: TextElement>(
    out: &mut impl Write,
    values: &[T],
    (rows, cols): (usize, usize),
    opts: &SaveTxt,
    dtype: DType,
) -> Result<(), Fail> {
    let format = row_format(&opts.fmt, &opts.delimiter, cols)?;
    let pieces = parse_format(&format)?;
    let n_specs = pieces
        .iter()
        .filter(|piece| matches!(piece, Piece::Convert(_)))
        .count();
    if n_specs != cols {
        return Err(Fail::Bad(mismatch(dtype, &format)));
    }
    let comment_block = |text: &str| {
        let lines = text.replace('\n', &format!("\n{}", opts.comments));
        format!("{}{lines}{}", opts.comments, opts.newline)
    };
    if !opts.header.is_empty() {
        out.write_all(comment_block(&opts.header).as_bytes())
            .map_err(Fail::Io)?;
    }
    let mut line = String::new();
    // A matrix with no columns still has rows: each is an empty line, as in numpy.
    for row in 0..rows {
        line.clear();
        let mut row_values = values[row * cols..(row + 1) * cols].iter();
        for piece in &pieces {
            match piece {
                Piece::Text(text) => line.push_str(text),
                Piece::Convert(spec) => {
                    // There are as many conversions as columns (checked above).
                    let value = row_values.next().expect("internal error: too few values");
                    format_value(&mut line, value.number(), spec, dtype, &format)?;
                }
            }
        }
        line.push_str(&opts.newline);
        out.write_all(line.as_bytes()).map_err(Fail::Io)?;
    }
    if !opts.footer.is_empty() {
        out.write_all(comment_block(&opts.footer).as_bytes())
            .map_err(Fail::Io)?;
    }
    Ok(())
}

/// Writes a 1-D or 2-D array to a text file, as `numpy.savetxt` does: one row per line (a 1-D
/// array one value per line), each value formatted by `opts.fmt` with Python's `%` rules.
///
/// The output is byte for byte numpy's for the numeric conversions (`%d`, `%i`, `%u`, `%x`,
/// `%X`, `%o`, `%e`, `%f`, `%g` and their upper-case forms, with flags, width and precision);
/// `%s` and `%r` are not supported. The file is written atomically.
///
/// ```
/// use lazygrad_io::text::{SaveTxt, savetxt};
/// use lazygrad_io::{Array, Buffer};
/// let path = std::env::temp_dir().join("lazygrad_doc_savetxt.txt");
/// let a = Array::new([2, 2], Buffer::F64(vec![0.5, 1.0, -2.25, 1e10]))?;
/// savetxt(&path, &a, &SaveTxt { fmt: "%g".into(), delimiter: ",".into(), ..SaveTxt::default() })?;
/// assert_eq!(std::fs::read_to_string(&path)?, "0.5,1\n-2.25,1e+10\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn savetxt(path: impl AsRef<Path>, array: &Array, opts: &SaveTxt) -> Result<()> {
    let path = path.as_ref();
    let (rows, cols) = match *array.shape {
        [rows] => (rows, 1),
        [rows, cols] => (rows, cols),
        _ => {
            return Err(Error::Invalid {
                op: "savetxt",
                message: format!(
                    "Expected 1D or 2D array, got {}D array instead",
                    array.shape.len()
                ),
            });
        }
    };
    let dtype = array.dtype();
    // Formats are checked before the file is touched, so a bad format leaves it as it was.
    let format = row_format(&opts.fmt, &opts.delimiter, cols).and_then(|f| parse_format(&f));
    if let Err(message) = format {
        return Err(Error::Invalid {
            op: "savetxt",
            message,
        });
    }
    crate::atomic::write_atomic(path, |file| {
        with_dtype!(dtype, T => {
            // Invariant: the buffer's variant is the one its own dtype names.
            let values = T::slice(&array.data).expect("internal error: buffer differs from its dtype");
            write_rows(file, values, (rows, cols), opts, dtype).map_err(named("savetxt", Some(path)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formats one value with a one-conversion format.
    fn fmt(format: &str, value: Number) -> Result<String, String> {
        let pieces = parse_format(format)?;
        let mut out = String::new();
        for piece in &pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Convert(spec) => format_value(&mut out, value, spec, DType::F64, format)?,
            }
        }
        Ok(out)
    }

    #[test]
    fn formats_match_python_percent_formatting() {
        // Each expected string is Python's `format % value`.
        let cases: &[(&str, Number, &str)] = &[
            ("%.18e", Number::Float(0.1), "1.000000000000000056e-01"),
            ("%.18e", Number::Float(-0.0), "-0.000000000000000000e+00"),
            ("%.3e", Number::Float(9.9995e3), "1.000e+04"),
            ("%e", Number::Float(1e300), "1.000000e+300"),
            ("%.2f", Number::Float(0.125), "0.12"),
            ("%.2f", Number::Float(0.375), "0.38"),
            ("%.0f", Number::Float(-0.4), "-0"),
            ("%#.0f", Number::Float(2.0), "2."),
            ("%08.2f", Number::Float(f64::NAN), "00000nan"),
            ("%08.2f", Number::Float(f64::NEG_INFINITY), "-0000inf"),
            ("%+f", Number::Float(f64::NAN), "+nan"),
            ("%E", Number::Float(f64::INFINITY), "INF"),
            ("%g", Number::Float(1234567.0), "1.23457e+06"),
            ("%g", Number::Float(1e-5), "1e-05"),
            ("%g", Number::Float(0.0001), "0.0001"),
            ("%g", Number::Float(100000.0), "100000"),
            ("%g", Number::Float(0.0), "0"),
            ("%#g", Number::Float(1.0), "1.00000"),
            ("%.3G", Number::Float(12345.678), "1.23E+04"),
            ("%.0g", Number::Float(0.5), "0.5"),
            ("%d", Number::Float(-1.7), "-1"),
            ("%d", Number::Float(1e20), "100000000000000000000"),
            ("%5d|", Number::Int(-42), "  -42|"),
            ("%-5d|", Number::Int(7), "7    |"),
            ("%05d", Number::Int(-42), "-0042"),
            ("%.3d", Number::Int(5), "005"),
            ("% d", Number::Int(5), " 5"),
            ("%#x", Number::Int(255), "0xff"),
            ("%X", Number::Int(-255), "-FF"),
            ("%#o", Number::Int(8), "0o10"),
            ("%ld%%", Number::Int(3), "3%"),
            ("%.1f", Number::Int(3), "3.0"),
        ];
        for (format, value, expected) in cases {
            assert_eq!(
                fmt(format, *value).as_deref(),
                Ok(*expected),
                "{format} {value:?}"
            );
        }
    }

    #[test]
    fn bad_formats_are_errors_that_say_why() {
        for (format, value, expected) in [
            (
                "%d",
                Number::Float(f64::NAN),
                "cannot convert float NaN to integer",
            ),
            (
                "%d",
                Number::Float(f64::INFINITY),
                "cannot convert float infinity",
            ),
            ("%x", Number::Float(1.0), "Mismatch between array dtype"),
            ("%s", Number::Float(1.0), "'%s'"),
            ("%", Number::Float(1.0), "'%'"),
            ("%*d", Number::Int(1), "'%*'"),
            ("%99999999999999999999999d", Number::Int(1), "too large"),
            ("%.100000f", Number::Int(1), "too large"),
            ("%.32769e", Number::Int(1), "too large"),
        ] {
            let message = fmt(format, value).unwrap_err();
            assert!(message.contains(expected), "{format}: {message}");
        }
        assert_eq!(
            row_format("%d %d %d", " ", 2).unwrap_err(),
            "fmt has wrong number of % formats:  %d %d %d"
        );
        assert_eq!(row_format("%d", ",", 3).unwrap(), "%d,%d,%d");
    }

    #[test]
    fn shapes_follow_ndmin_and_squeeze() {
        assert_eq!(final_shape(1, 1, 0), Vec::<usize>::new());
        assert_eq!(final_shape(1, 1, 1), [1]);
        assert_eq!(final_shape(1, 1, 2), [1, 1]);
        assert_eq!(final_shape(3, 1, 0), [3]);
        assert_eq!(final_shape(0, 1, 0), [0]);
        assert_eq!(final_shape(0, 2, 2), [0, 2]);
        assert_eq!(transpose(&[1, 2, 3, 4, 5, 6], 2, 3), [1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn repr_quotes_as_python_does() {
        assert_eq!(python_repr("x"), "'x'");
        assert_eq!(python_repr("1'x"), "\"1'x\"");
        assert_eq!(python_repr("\0\t"), "'\\x00\\t'");
    }

    #[test]
    fn endless_lines_stop_at_the_limit() {
        let endless = std::io::repeat(b'7');
        let err = loadtxt_from(endless, &LoadTxt::default()).unwrap_err();
        assert!(err.to_string().contains("longer than"), "{err}");
        let err = genfromtxt_from(std::io::repeat(0), &GenFromTxt::default()).unwrap_err();
        assert!(err.to_string().contains("longer than"), "{err}");
    }
}
