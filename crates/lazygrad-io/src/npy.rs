//! numpy's `.npy` format: one array per file, every lazygrad dtype, C or Fortran order.
//!
//! A file is the magic string `\x93NUMPY`, a version, a little-endian header length, and a
//! header that is a Python dict literal such as
//! `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`, padded with spaces and a
//! newline so the data starts at a multiple of 64 bytes; the elements follow as raw bytes.
//! Reading accepts versions 1.0 to 3.0, either byte order and either element order; writing
//! produces version 1.0 (2.0 when the header outgrows 64 KiB), little-endian, as `numpy.save` does.
//!
//! `lazygrad-testutil` has its own small reader on purpose: it is the test oracle, so it shares
//! no code with the crate it checks; the tests here read each other's files.

use crate::{Array, DType, Error, Result, Shape};
use lazygrad_cpu::{Buffer, Storage, with_dtype};
use lazygrad_ir::f16;
use std::path::Path;

/// The magic string every `.npy` file starts with.
const MAGIC: &[u8] = b"\x93NUMPY";

/// numpy aligns the data to this many bytes (`numpy.lib.format.ARRAY_ALIGN`).
const ALIGN: usize = 64;

/// The order in which an array's elements are laid out in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Order {
    /// Row-major, the last index varying fastest (numpy's default).
    #[default]
    C,
    /// Column-major, the first index varying fastest (`fortran_order: True`).
    Fortran,
}

/// An element type as it is stored in a `.npy` file.
trait NpyElement: Storage {
    /// The `descr` numpy writes for it (little-endian where byte order matters).
    const DESCR: &'static str;
    /// Decodes one element from its `size_of::<Self>()` bytes.
    fn decode(bytes: &[u8], big_endian: bool) -> Self;
    /// Appends the element's little-endian bytes.
    fn encode(self, out: &mut Vec<u8>);
}

macro_rules! npy_number {
    ($($t:ty => $descr:literal),*) => {$(
        impl NpyElement for $t {
            const DESCR: &'static str = $descr;
            fn decode(bytes: &[u8], big_endian: bool) -> Self {
                // Callers pass chunks from `chunks_exact(size_of::<Self>())`.
                let bytes = bytes.try_into().expect("internal error: element chunk of wrong size");
                if big_endian { <$t>::from_be_bytes(bytes) } else { <$t>::from_le_bytes(bytes) }
            }
            fn encode(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

npy_number!(
    u8 => "|u1", i8 => "|i1", u16 => "<u2", i16 => "<i2", u32 => "<u4", i32 => "<i4",
    u64 => "<u8", i64 => "<i8", f16 => "<f2", f32 => "<f4", f64 => "<f8"
);

impl NpyElement for bool {
    const DESCR: &'static str = "|b1";
    fn decode(bytes: &[u8], _big_endian: bool) -> Self {
        // numpy writes 0 and 1; any other byte is taken as true, as `astype(bool)` would.
        bytes[0] != 0
    }
    fn encode(self, out: &mut Vec<u8>) {
        out.push(u8::from(self));
    }
}

/// The `descr` numpy writes for `dtype`.
fn descr(dtype: DType) -> &'static str {
    with_dtype!(dtype, T => <T as NpyElement>::DESCR)
}

/// The dtype and byte order of a `descr` such as `<f8`, or why lazygrad cannot hold it.
fn parse_descr(descr: &str) -> Result<(DType, bool), String> {
    let (order, code) = match descr.chars().next() {
        Some(order @ ('<' | '>' | '|' | '=')) => (order, &descr[1..]),
        _ => ('=', descr),
    };
    let big_endian = order == '>' || (order == '=' && cfg!(target_endian = "big"));
    let dtype = match code {
        "b1" | "?" => DType::Bool,
        "u1" | "B" => DType::U8,
        "i1" | "b" => DType::I8,
        "u2" | "H" => DType::U16,
        "i2" | "h" => DType::I16,
        "u4" | "I" => DType::U32,
        "i4" => DType::I32,
        "u8" => DType::U64,
        "i8" => DType::I64,
        "f2" | "e" => DType::F16,
        "f4" => DType::F32,
        "f8" => DType::F64,
        _ => {
            let name = match code {
                "f16" => "longdouble",
                "c8" => "complex64",
                "c16" => "complex128",
                "O" => "object",
                _ if code.starts_with('U') || code.starts_with('S') => "string",
                _ if code.starts_with('M') || code.starts_with('m') => "datetime",
                _ => "unknown",
            };
            return Err(format!(
                "dtype {name} ({descr:?}) is not supported: lazygrad reads bool, the signed and \
                 unsigned integers of 8 to 64 bits, float16, float32 and float64 (convert with \
                 astype before saving)"
            ));
        }
    };
    Ok((dtype, big_endian))
}

/// One value of the header dict.
#[derive(Debug, PartialEq)]
enum HeaderValue {
    Str(String),
    Bool(bool),
    Tuple(Vec<usize>),
}

/// Parses the header dict: string keys mapped to strings, booleans or tuples of integers, the
/// only Python literals a `.npy` header of a plain (non-structured) array contains.
fn parse_header(text: &str) -> Result<Vec<(String, HeaderValue)>, String> {
    let mut chars = text.trim().chars().peekable();
    let skip_space = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
    };
    let bad = || format!("malformed header {:?}", text.trim());
    if chars.next() != Some('{') {
        return Err(bad());
    }
    let mut entries = Vec::new();
    loop {
        skip_space(&mut chars);
        match chars.peek() {
            Some('}') => break,
            Some('\'' | '"') => {}
            _ => return Err(bad()),
        }
        let key = parse_string(&mut chars).ok_or_else(bad)?;
        skip_space(&mut chars);
        if chars.next() != Some(':') {
            return Err(bad());
        }
        skip_space(&mut chars);
        let value = match chars.peek() {
            Some('\'' | '"') => HeaderValue::Str(parse_string(&mut chars).ok_or_else(bad)?),
            Some('(') => {
                chars.next();
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                    inner.push(c);
                }
                let dims = inner
                    .split(',')
                    .map(str::trim)
                    .filter(|dim| !dim.is_empty())
                    // numpy 1.x on Windows wrote Python 2 longs such as `3L`.
                    .map(|dim| dim.trim_end_matches('L').parse::<usize>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| bad())?;
                HeaderValue::Tuple(dims)
            }
            Some('[') => {
                return Err("structured dtypes (a list as 'descr') are not supported".into());
            }
            _ => {
                let word: String =
                    std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric())).collect();
                match word.as_str() {
                    "True" => HeaderValue::Bool(true),
                    "False" => HeaderValue::Bool(false),
                    _ => return Err(bad()),
                }
            }
        };
        entries.push((key, value));
        skip_space(&mut chars);
        match chars.next() {
            Some(',') => {}
            Some('}') => break,
            _ => return Err(bad()),
        }
    }
    Ok(entries)
}

/// Parses a quoted Python string without escapes (header keys and dtype codes have none).
fn parse_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let quote = chars.next()?;
    let mut res = String::new();
    for c in chars.by_ref() {
        if c == quote {
            return Some(res);
        }
        res.push(c);
    }
    None
}

/// The C-ordered elements of the array whose axes are those of `data`'s reversed.
///
/// Fortran-ordered data of shape `(a, b, c)` is C-ordered data of shape `(c, b, a)`, so this one
/// transposition converts in both directions.
fn reverse_axes<T: Copy>(data: &[T], shape: &[usize]) -> Vec<T> {
    let ndim = shape.len();
    if ndim < 2 || data.is_empty() {
        return data.to_vec();
    }
    // Output axis `k` is input axis `ndim - 1 - k`, so its stride (in elements, over `data`) is
    // that input axis's C stride.
    let out_shape: Vec<usize> = shape.iter().rev().copied().collect();
    let mut in_strides = vec![1usize; ndim];
    for axis in (0..ndim - 1).rev() {
        in_strides[axis] = in_strides[axis + 1] * shape[axis + 1];
    }
    let strides: Vec<usize> = in_strides.iter().rev().copied().collect();
    let mut res = Vec::with_capacity(data.len());
    let mut idx = vec![0usize; ndim];
    let mut offset = 0usize;
    loop {
        res.push(data[offset]);
        let mut axis = ndim;
        loop {
            if axis == 0 {
                return res;
            }
            axis -= 1;
            idx[axis] += 1;
            offset += strides[axis];
            if idx[axis] < out_shape[axis] {
                break;
            }
            offset -= strides[axis] * out_shape[axis];
            idx[axis] = 0;
        }
    }
}

/// Decodes `count` elements of `T` from `bytes`, then puts them in C order.
fn decode_elements<T: NpyElement>(
    bytes: &[u8],
    shape: &[usize],
    big_endian: bool,
    fortran: bool,
) -> Buffer {
    let size = size_of::<T>();
    let values: Vec<T> = bytes
        .chunks_exact(size)
        .map(|chunk| T::decode(chunk, big_endian))
        .collect();
    if fortran {
        let reversed: Vec<usize> = shape.iter().rev().copied().collect();
        T::wrap(reverse_axes(&values, &reversed))
    } else {
        T::wrap(values)
    }
}

/// numpy's limit on the number of dimensions (`NPY_MAXDIMS` in numpy 2).
const MAX_DIMS: usize = 64;

/// Parses the bytes of a `.npy` file, as [`read_npy`] does, giving what is wrong without the
/// file's name; the `.npz` reader, the fuzz targets and the hostile-file tests call it.
///
/// Nothing is allocated for the elements until the header's shape and dtype are checked
/// against the bytes that follow it.
#[doc(hidden)]
pub fn decode(bytes: &[u8]) -> Result<Array, String> {
    if !bytes.starts_with(MAGIC) {
        return Err("not a .npy file: it does not start with \\x93NUMPY".into());
    }
    let truncated = || "truncated .npy file".to_string();
    let major = *bytes.get(6).ok_or_else(truncated)?;
    let (header_len, header_start) = match major {
        1 => {
            let len = bytes.get(8..10).ok_or_else(truncated)?;
            (usize::from(u16::from_le_bytes([len[0], len[1]])), 10usize)
        }
        2 | 3 => {
            let len = bytes.get(8..12).ok_or_else(truncated)?;
            (
                u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize,
                12,
            )
        }
        _ => {
            return Err(format!(
                ".npy format version {major} is not supported (1 to 3 are)"
            ));
        }
    };
    let header_bytes = bytes
        // A 32-bit length cannot overflow a 64-bit `usize`; saturating keeps 32-bit targets safe.
        .get(header_start..header_start.saturating_add(header_len))
        .ok_or_else(truncated)?;
    // Version 1 and 2 headers are latin-1, version 3 UTF-8; a plain array's header is ASCII.
    let header = std::str::from_utf8(header_bytes).map_err(|_| "header is not text".to_string())?;
    let entries = parse_header(header)?;
    let field = |key: &str| {
        entries
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
            .ok_or_else(|| format!("header has no {key:?}: {:?}", header.trim()))
    };
    let HeaderValue::Str(descr) = field("descr")? else {
        return Err("header 'descr' is not a string".into());
    };
    let HeaderValue::Bool(fortran) = *field("fortran_order")? else {
        return Err("header 'fortran_order' is not True or False".into());
    };
    let HeaderValue::Tuple(dims) = field("shape")? else {
        return Err("header 'shape' is not a tuple".into());
    };
    let (dtype, big_endian) = parse_descr(descr)?;
    if dims.len() > MAX_DIMS {
        return Err(format!(
            "the header's shape has {} dimensions, more than numpy's {MAX_DIMS}",
            dims.len()
        ));
    }
    let shape = Shape::new(dims);
    // numpy's rule: the byte size, with empty axes counted as 1, must fit `isize` (strides are
    // computed over every axis, so an empty array with huge other axes would overflow them).
    shape
        .iter()
        .try_fold(dtype.itemsize(), |acc, &dim| acc.checked_mul(dim.max(1)))
        .filter(|&bytes| bytes <= isize::MAX as usize)
        .ok_or_else(|| {
            format!(
                "array is too big: the header's shape {shape} of dtype {dtype} is larger than \
                 the maximum possible size"
            )
        })?;
    // The check above bounds this product, so it cannot overflow.
    let expected = dtype.itemsize() * shape.size();
    let data = &bytes[header_start + header_len..];
    if data.len() != expected {
        return Err(format!(
            "the header promises {expected} bytes of data for shape {shape} and dtype {dtype}, \
             but the file holds {}",
            data.len()
        ));
    }
    let data = with_dtype!(dtype, T => decode_elements::<T>(data, &shape, big_endian, fortran));
    Ok(Array { shape, data })
}

/// The elements of `array` as little-endian bytes in `order`.
fn encode_elements<T: NpyElement>(data: &[T], shape: &[usize], order: Order, out: &mut Vec<u8>) {
    out.reserve(size_of_val(data));
    match order {
        Order::C => data.iter().for_each(|&value| value.encode(out)),
        Order::Fortran => reverse_axes(data, shape)
            .into_iter()
            .for_each(|value| value.encode(out)),
    }
}

/// Serializes `array` to the bytes of a `.npy` file with its elements in `order`.
pub(crate) fn encode(array: &Array, order: Order) -> Vec<u8> {
    let dims: Vec<String> = array.shape.iter().map(|dim| dim.to_string()).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let fortran = if order == Order::Fortran {
        "True"
    } else {
        "False"
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': {fortran}, 'shape': {shape}, }}",
        descr(array.dtype())
    );
    // The header is padded with spaces and ends in a newline so that the data starts at a
    // multiple of 64 bytes, which lets numpy memory-map the file with aligned elements.
    let (version, prefix) = if MAGIC.len() + 4 + dict.len() < u16::MAX as usize {
        (1u8, MAGIC.len() + 4)
    } else {
        (2u8, MAGIC.len() + 6)
    };
    let header_len = (prefix + dict.len() + 1).div_ceil(ALIGN) * ALIGN - prefix;
    let mut out = Vec::with_capacity(prefix + header_len + array.data.len() * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        // The branch above chose version 1 only for headers that fit in 16 bits.
        out.extend_from_slice(&(header_len as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(prefix + header_len - 1, b' ');
    out.push(b'\n');
    with_dtype!(array.dtype(), T => encode_elements::<T>(
        T::slice(&array.data).expect("internal error: buffer differs from its dtype"),
        &array.shape,
        order,
        &mut out,
    ));
    out
}

/// Reads a `.npy` file written by `numpy.save` (any version, byte order and element order).
///
/// ```
/// use lazygrad_io::{Array, Buffer, npy};
/// let path = std::env::temp_dir().join("lazygrad_doc_read.npy");
/// let a = Array::new([2, 3], Buffer::F32(vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]))?;
/// npy::write_npy(&path, &a)?;
/// assert_eq!(npy::read_npy(&path)?, a);
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn read_npy(path: impl AsRef<Path>) -> Result<Array> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    decode(&bytes).map_err(|message| Error::format(path, message))
}

/// Writes `array` to a `.npy` file in C order, as `numpy.save` does.
pub fn write_npy(path: impl AsRef<Path>, array: &Array) -> Result<()> {
    write_npy_order(path, array, Order::C)
}

/// Writes `array` to a `.npy` file with its elements in `order`.
///
/// ```
/// use lazygrad_io::{Array, Buffer, npy};
/// let path = std::env::temp_dir().join("lazygrad_doc_fortran.npy");
/// let a = Array::new([2, 2], Buffer::I64(vec![1, 2, 3, 4]))?;
/// npy::write_npy_order(&path, &a, npy::Order::Fortran)?;
/// assert_eq!(npy::read_npy(&path)?, a); // read back in C order
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn write_npy_order(path: impl AsRef<Path>, array: &Array, order: Order) -> Result<()> {
    let path = path.as_ref();
    crate::atomic::write_bytes(path, &encode(array, order))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Array> {
        let shape = [2usize, 3, 2];
        let n = 12usize;
        vec![
            Buffer::Bool((0..n).map(|i| i % 3 == 0).collect()),
            Buffer::U8((0..n).map(|i| (i * 21) as u8).collect()),
            Buffer::I32((0..n).map(|i| i as i32 * -7 + 3).collect()),
            Buffer::I64((0..n).map(|i| (i as i64 - 5) << 40).collect()),
            Buffer::F32((0..n).map(|i| i as f32 * 0.25 - 1.0).collect()),
            Buffer::F64((0..n).map(|i| (i as f64).sqrt() * 1e-300).collect()),
        ]
        .into_iter()
        .map(|data| Array::new(shape, data).unwrap())
        .collect()
    }

    #[test]
    fn every_dtype_round_trips_in_both_orders() {
        for array in samples() {
            for order in [Order::C, Order::Fortran] {
                let bytes = encode(&array, order);
                assert_eq!(
                    decode(&bytes).unwrap(),
                    array,
                    "{:?} {order:?}",
                    array.dtype()
                );
            }
        }
    }

    #[test]
    fn files_agree_with_the_testutil_oracle() {
        let dir = std::env::temp_dir().join("lazygrad-io-npy-tests");
        std::fs::create_dir_all(&dir).unwrap();
        for array in samples() {
            let path = dir.join(format!("{}.npy", array.dtype()));
            write_npy(&path, &array).unwrap();
            let oracle = lazygrad_testutil::read_npy(&path).unwrap();
            assert_eq!(oracle.shape, array.shape.to_vec());
            assert_eq!(oracle.data.dtype_name(), array.dtype().name());
            assert_eq!(oracle.to_bytes().unwrap(), encode(&array, Order::C));
        }
    }

    #[test]
    fn reverse_axes_transposes() {
        // [[0, 1, 2], [3, 4, 5]] transposed is [[0, 3], [1, 4], [2, 5]].
        assert_eq!(
            reverse_axes(&[0, 1, 2, 3, 4, 5], &[2, 3]),
            [0, 3, 1, 4, 2, 5]
        );
        let data: Vec<usize> = (0..24).collect();
        let back = reverse_axes(&reverse_axes(&data, &[2, 3, 4]), &[4, 3, 2]);
        assert_eq!(back, data);
    }

    #[test]
    fn zero_d_and_empty_arrays_round_trip() {
        for array in [
            Array::new(Shape::scalar(), Buffer::F64(vec![2.5])).unwrap(),
            Array::new([0], Buffer::I32(vec![])).unwrap(),
            Array::new([3, 0, 2], Buffer::U8(vec![])).unwrap(),
        ] {
            for order in [Order::C, Order::Fortran] {
                assert_eq!(decode(&encode(&array, order)).unwrap(), array);
            }
        }
    }

    #[test]
    fn headers_are_aligned_and_match_numpy_text() {
        let array = Array::new([2, 3], Buffer::F64(vec![0.0; 6])).unwrap();
        let bytes = encode(&array, Order::C);
        assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
        assert!(header.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
        assert!(header.ends_with(" \n"));
    }

    #[test]
    fn big_endian_and_long_headers_are_read() {
        let big = b"{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }";
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[2, 0]);
        bytes.extend_from_slice(&(big.len() as u32).to_le_bytes());
        bytes.extend_from_slice(big);
        bytes.extend_from_slice(&[0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe]);
        let array = decode(&bytes).unwrap();
        assert_eq!(array.data, Buffer::I32(vec![258, -2]));
        assert_eq!(array.shape.to_vec(), vec![2]);
    }

    #[test]
    fn bad_files_are_errors_that_say_why() {
        let good = encode(&Array::new([2], Buffer::I64(vec![1, 2])).unwrap(), Order::C);
        // Replaces `from` by `to` in the header; the magic string is not UTF-8, so bytes are used.
        let patch = |from: &[u8], to: &[u8]| {
            let at = good.windows(from.len()).position(|w| w == from).unwrap();
            [&good[..at], to, &good[at + from.len()..]].concat()
        };
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"PK\x03\x04".to_vec(), "not a .npy file"),
            (good[..20].to_vec(), "truncated"),
            (good[..good.len() - 1].to_vec(), "promises 16 bytes"),
            (patch(b"<i8", b"<i2"), "int16"),
            (patch(b"(2,)", b"(2,x"), "malformed header"),
            (patch(b"False", b"Fals "), "malformed header"),
        ];
        for (bytes, expected) in cases {
            let message = decode(&bytes).unwrap_err();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
        let err = read_npy("/no/such/file.npy").unwrap_err();
        assert!(matches!(err, Error::Io { .. }) && err.to_string().contains("/no/such/file.npy"));
    }
}
