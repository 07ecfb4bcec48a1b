//! "`try_` never panics": every public fallible function, called with hostile arguments.
//!
//! [`TRY_FNS`] has one row per public `try_` function of the facade (including `linalg`) and per
//! `Result`-returning function of `lazygrad::io`, `lazygrad::nn` and `lazygrad_io`. Each row
//! calls its function with adversarial arguments (`usize::MAX`, `isize::MIN`, `isize::MAX`,
//! NaN, infinities, empty and zero-size arrays, sizes such as `1 << 40` and `1 << 62`) under
//! `catch_unwind`, and requires an `Err` or a value it checks. Numeric arguments get proptest
//! properties against reference implementations (Python's slice arithmetic, strided offsets).
//! `tidy_every_fallible_function_has_a_row` scans the sources so that a function added later
//! cannot skip the table. Rows whose allocation the allocator must refuse are in
//! [`NEEDS_FALLIBLE_ALLOC`].

use lazygrad::io::{self, Filter, Order};
use lazygrad::linalg::{self, Ord};
use lazygrad::nn::{self, Module, Optimizer};
use lazygrad::random::Generator;
use lazygrad::{DType, Reduction, Shape, SliceArg, Tensor, Ufunc, arange, array, s, zeros};
use proptest::prelude::*;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Extents no real array has: too big to address, or at the edges of `usize`.
const HUGE: [usize; 6] = [
    usize::MAX,
    isize::MAX as usize,
    isize::MAX as usize + 1,
    1 << 62,
    1 << 40,
    1 << 33,
];

/// Signed arguments (axes, indices, steps, strides) at the edges of `isize`.
const EDGES: [isize; 8] = [
    isize::MIN,
    isize::MIN + 1,
    -(1 << 40),
    -1,
    0,
    1 << 40,
    isize::MAX - 1,
    isize::MAX,
];

/// Float arguments at the edges of `f64`.
const FLOATS: [f64; 10] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    1e-300,
    -1e-300,
    1e300,
    f64::MAX,
    f64::MIN_POSITIVE,
];

/// What one row found wrong; empty when the row passes.
#[derive(Default)]
struct Probe {
    failures: Vec<String>,
}

/// A panic's message, whatever its payload.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "<non-string panic>".into())
}

impl Probe {
    /// Runs `call`, recording a panic as a failure; returns its result for value checks.
    fn call<T, E>(
        &mut self,
        case: &str,
        call: impl FnOnce() -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        match catch_unwind(AssertUnwindSafe(call)) {
            Ok(res) => Some(res),
            Err(payload) => {
                self.failures
                    .push(format!("{case}: panicked: {}", panic_message(&*payload)));
                None
            }
        }
    }

    /// Runs `call`, which must not panic; either outcome is accepted.
    fn any<T, E>(&mut self, case: &str, call: impl FnOnce() -> Result<T, E>) {
        self.call(case, call);
    }

    /// Runs `read` on every path of [`bad_paths`]`(row)`; each must return `Err`.
    fn rejects_bad_paths<T, E>(&mut self, row: &str, mut read: impl FnMut(&Path) -> Result<T, E>) {
        for path in bad_paths(row) {
            self.err(&path.display().to_string(), || read(&path));
        }
    }

    /// Runs `call`, which must return `Err`.
    fn err<T, E>(&mut self, case: &str, call: impl FnOnce() -> Result<T, E>) {
        if let Some(Ok(_)) = self.call(case, call) {
            self.failures
                .push(format!("{case}: returned Ok, expected Err"));
        }
    }

    /// Runs `call`, which must return `Ok`; returns the value.
    fn ok<T, E: std::fmt::Display>(
        &mut self,
        case: &str,
        call: impl FnOnce() -> Result<T, E>,
    ) -> Option<T> {
        match self.call(case, call)? {
            Ok(value) => Some(value),
            Err(err) => {
                self.failures
                    .push(format!("{case}: returned Err({err}), expected Ok"));
                None
            }
        }
    }

    /// Records a failed value check.
    fn check(&mut self, holds: bool, case: &str) {
        if !holds {
            self.failures.push(format!("{case}: wrong value"));
        }
    }

    /// Runs `call`; an `Ok` tensor is realized too, which must not panic either.
    fn realized(&mut self, case: &str, call: impl FnOnce() -> lazygrad::Result<Tensor>) {
        let res = self.call(case, call);
        if let Some(Ok(t)) = res {
            self.any(&format!("{case} (realized)"), || t.try_realize());
        }
    }
}

/// Small arrays of every kind, safe to realize: 0-d, empty, zero-size 2-d, non-finite values,
/// bool, uint8 and int64 extremes.
fn small() -> Vec<(&'static str, Tensor)> {
    vec![
        ("0-d", Tensor::scalar(2.5f64)),
        ("empty", zeros([0])),
        ("zero-size", Tensor::from_vec(Vec::<i64>::new(), [3, 0])),
        (
            "non-finite",
            array([
                [f64::NAN, f64::INFINITY, -0.0],
                [f64::NEG_INFINITY, 1e300, -1e-300],
            ]),
        ),
        ("bool", array([[true, false], [false, true]])),
        ("uint8", Tensor::from_vec(vec![0u8, 255, 7], [3])),
        ("int64", array([i64::MIN, -1, 0, i64::MAX])),
        (
            "int32",
            Tensor::from_vec(vec![i32::MIN, -1, 0, i32::MAX], [2, 2]),
        ),
    ]
}

/// Arrays too big to compute but cheap to build (broadcast constants): only graph building is
/// probed on them; computing them is a case for [`NEEDS_FALLIBLE_ALLOC`].
fn huge() -> Vec<(&'static str, Tensor)> {
    vec![
        ("1<<40", zeros([1 << 40])),
        ("1<<20 x 1<<20", zeros([1 << 20, 1 << 20])),
        (
            "bool 1<<62",
            Tensor::full_dtype([1usize << 62], true, DType::Bool),
        ),
    ]
}

/// A fresh directory for the io rows' files.
fn scratch(row: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("lazygrad-hostile-{}", std::process::id()))
        .join(row);
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    dir
}

/// Paths every reader must reject: missing, empty, garbage, a directory, a truncated header.
fn bad_paths(row: &str) -> Vec<PathBuf> {
    let dir = scratch(row);
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("the temp dir is writable");
        path
    };
    vec![
        dir.join("missing.npy"),
        write("empty.npy", b""),
        write("garbage.png", &[0xff; 64]),
        write("truncated.npy", b"\x93NUMPY\x01\x00\xff\xff{'descr'"),
        write("zip.npz", b"PK\x03\x04garbage"),
        dir.clone(),
    ]
}

/// Text files no reader should panic on: ragged, binary, huge numbers, odd separators.
fn hostile_texts() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("empty", b""),
        ("blank lines", b"\n\n \r\n\t\n"),
        ("ragged", b"1 2 3\n4\n\n5 6\n"),
        ("binary", &[0xff, 0xfe, 0x00, b'\n', 0x80, b' ', b'1']),
        ("nul", b"\0 \0\n"),
        (
            "huge numbers",
            b"1e999999999999999 -1e-999999999 99999999999999999999999999\n",
        ),
        ("signs", b"- + . e -e +. nan -inf\n"),
        ("commas", b",,,\n,\n1,,2\n"),
        ("lone returns", b"1 2\r3 4\r"),
        ("comments only", b"# a\n#\n   # b\n"),
        ("unicode", "1\u{00a0}2\u{2028}3 \u{1F600}\n".as_bytes()),
    ]
}

/// loadtxt options at the edges: every dtype, extreme column indices and counts.
fn hostile_loadtxt_options() -> Vec<io::LoadTxt> {
    let base = io::LoadTxt::default;
    let mut res = vec![base()];
    for dtype in [DType::Bool, DType::U8, DType::I32, DType::I64, DType::F32] {
        res.push(io::LoadTxt { dtype, ..base() });
    }
    for usecols in [vec![isize::MIN], vec![isize::MAX], vec![-1, 0, -1], vec![]] {
        res.push(io::LoadTxt {
            usecols: Some(usecols),
            ..base()
        });
    }
    for delimiter in [',', '\n', '\0', ' ', '\u{1F600}'] {
        res.push(io::LoadTxt {
            delimiter: Some(delimiter),
            ..base()
        });
    }
    res.push(io::LoadTxt {
        comments: vec![String::new(), "1".into()],
        ..base()
    });
    res.push(io::LoadTxt {
        max_rows: Some(0),
        ndmin: 2,
        unpack: true,
        ..base()
    });
    res.push(io::LoadTxt {
        skiprows: usize::MAX,
        ndmin: 1,
        ..base()
    });
    res
}

/// genfromtxt options at the edges.
fn hostile_genfromtxt_options() -> Vec<io::GenFromTxt> {
    let base = io::GenFromTxt::default;
    let mut res = vec![base()];
    for dtype in [DType::I32, DType::I64, DType::F32] {
        res.push(io::GenFromTxt { dtype, ..base() });
    }
    for usecols in [vec![isize::MIN], vec![isize::MAX], vec![-1, -1], vec![]] {
        res.push(io::GenFromTxt {
            usecols: Some(usecols),
            delimiter: Some(','),
            ..base()
        });
    }
    res.push(io::GenFromTxt {
        skip_header: usize::MAX,
        skip_footer: usize::MAX,
        max_rows: Some(usize::MAX),
        ..base()
    });
    res.push(io::GenFromTxt {
        skip_footer: 1,
        ndmin: 2,
        comments: None,
        ..base()
    });
    res.push(io::GenFromTxt {
        missing_values: vec![String::new(), "nan".into()],
        filling_values: Some(f64::NAN),
        delimiter: Some('\0'),
        comments: Some(String::new()),
        ..base()
    });
    res
}

/// A stream reader's row: every hostile text under every option set, through the facade and
/// through lazygrad-io, then endless lines, which must stop at the line limit.
fn text_stream_row<O: std::fmt::Debug>(
    p: &mut Probe,
    options: Vec<O>,
    facade: impl Fn(&mut dyn std::io::Read, &O) -> Result<(), io::Error>,
    io_crate: impl Fn(&mut dyn std::io::Read, &O) -> Result<(), io::Error>,
) {
    for (name, contents) in hostile_texts() {
        for opts in &options {
            // Each call reads its own copy of the slice, which reading advances.
            p.any(&format!("{name} {opts:?}"), || {
                facade(&mut { contents }, opts)
            });
            p.any(&format!("{name} {opts:?} io"), || {
                io_crate(&mut { contents }, opts)
            });
        }
    }
    for byte in [b'1', b' ', b','] {
        let case = format!("endless {:?}", byte as char);
        p.err(&case, || facade(&mut std::io::repeat(byte), &options[0]));
        p.err(&case, || io_crate(&mut std::io::repeat(byte), &options[0]));
    }
}

/// One text reader given bad paths: missing files and directories are errors; binary files
/// are errors when `strict` (loadtxt's "could not convert string"), while genfromtxt fills
/// what it cannot parse; an empty file is an empty array.
fn text_reader_row<T>(
    p: &mut Probe,
    row: &str,
    strict: bool,
    mut read: impl FnMut(&Path) -> Result<T, io::Error>,
) {
    for path in bad_paths(row) {
        let name = path.display().to_string();
        let empty = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0);
        if empty {
            p.ok(&name, || read(&path));
        } else if strict || name.ends_with("missing.npy") || path.is_dir() {
            p.err(&name, || read(&path));
        } else {
            p.any(&name, || read(&path));
        }
    }
}

/// One binary ufunc row: operands of every kind, literals at the edges of their types.
fn binary_row(p: &mut Probe, op: fn(&Tensor, &Tensor) -> lazygrad::Result<Tensor>) {
    let samples = small();
    for (a_name, a) in &samples {
        for (b_name, b) in &samples {
            p.realized(&format!("{a_name} with {b_name}"), || op(a, b));
        }
    }
    for (name, big) in huge() {
        p.any(&format!("{name} with itself"), || op(&big, &big));
        p.any(&format!("{name} with 0-d"), || op(&big, &samples[0].1));
    }
    p.err("mismatched shapes", || op(&zeros([4, 3]), &zeros([2])));
}

/// One binary ufunc row through its `try_` method with a weak literal, which must fit the dtype.
fn literal_row(p: &mut Probe, op: fn(&Tensor, i64) -> lazygrad::Result<Tensor>) {
    for (name, a) in small() {
        for literal in [i64::MIN, -1, 0, 1, 300, i64::MAX] {
            p.realized(&format!("{name} with {literal}"), || op(&a, literal));
        }
    }
}

/// One unary ufunc row: every kind of operand, realized.
fn unary_row(p: &mut Probe, op: fn(&Tensor) -> lazygrad::Result<Tensor>) {
    for (name, a) in small() {
        p.realized(name, || op(&a));
    }
    for (name, big) in huge() {
        p.any(name, || op(&big));
    }
}

/// One row of a function joining arrays: none, mismatched ones, every kind, huge broadcasts.
fn joining_row(p: &mut Probe, join: fn(&[&Tensor]) -> lazygrad::Result<Tensor>) {
    p.err("no arrays", || join(&[]));
    p.err("mismatched", || join(&[&zeros([2]), &zeros([3])]));
    for (name, a) in small() {
        p.realized(name, || join(&[&a, &a]));
    }
    for (name, big) in huge() {
        p.any(name, || join(&[&big, &big]));
    }
}

/// A slicing case: its text, its index expression, and what it selects (`None`: an error).
type SliceCase = (&'static str, Vec<SliceArg>, Option<Vec<i64>>);

/// A row's function: it probes one public fallible function.
type Row = fn(&mut Probe);

macro_rules! binary_rows {
    ($($name:ident),* $(,)?) => {
        &[$(
            (stringify!($name), (|p: &mut Probe| {
                binary_row(p, |a, b| a.$name(b));
                literal_row(p, |a, v| a.$name(v));
            }) as Row),
        )*]
    };
}

macro_rules! unary_rows {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), (|p: &mut Probe| unary_row(p, |a| a.$name())) as Row),)*]
    };
}

/// The binary ufuncs' `try_` forms (generated by `binary_primitives!` and `compare_fns!` in
/// `src/elementwise.rs`).
const BINARY_FNS: &[(&str, Row)] = binary_rows!(
    try_add,
    try_subtract,
    try_multiply,
    try_divide,
    try_floor_divide,
    try_remainder,
    try_pow,
    try_maximum,
    try_minimum,
    try_greater,
    try_greater_equal,
    try_less,
    try_less_equal,
    try_equal,
    try_not_equal,
    try_logical_and,
    try_logical_or,
    try_logical_xor,
    try_fmax,
    try_fmin,
    try_arctan2,
    try_hypot,
    try_copysign,
    try_fmod,
    try_logaddexp,
    try_logaddexp2,
    try_gcd,
    try_lcm,
    try_bitwise_and,
    try_bitwise_or,
    try_bitwise_xor,
    try_left_shift,
    try_right_shift,
);

/// The unary ufuncs' `try_` forms (generated by `unary_primitives!` in `src/elementwise.rs`).
const UNARY_FNS: &[(&str, Row)] = unary_rows!(
    try_negative,
    try_abs,
    try_sign,
    try_sqrt,
    try_exp,
    try_log,
    try_sin,
    try_cos,
    try_tanh,
    try_reciprocal,
    try_logical_not,
    try_floor,
    try_ceil,
    try_trunc,
    try_rint,
    try_tan,
    try_arcsin,
    try_arccos,
    try_arctan,
    try_sinh,
    try_cosh,
    try_arcsinh,
    try_arccosh,
    try_arctanh,
    try_log2,
    try_log10,
    try_log1p,
    try_expm1,
    try_exp2,
    try_cbrt,
    try_invert,
);

/// Sizes of random arrays whose byte count overflows `isize`: numpy's "array is too big" before
/// anything is drawn or allocated.
const TOO_BIG_SIZES: [usize; 3] = [usize::MAX, isize::MAX as usize + 1, 1 << 62];

/// One row of a random sampler with two float parameters (a one-parameter sampler ignores the
/// second): every pair of edge floats gives `Err` or three samples that realize, and a size
/// too big to address gives `Err`.
fn sampler_row(
    p: &mut Probe,
    sample: fn(&mut Generator, f64, f64, &[usize]) -> lazygrad::Result<Tensor>,
) {
    let mut rng = Generator::new(0);
    for a in FLOATS.iter().chain(&[1.0, 0.5, -1.0]) {
        for b in FLOATS.iter().chain(&[1.0, 0.5, -1.0]) {
            p.realized(&format!("({a}, {b})"), || sample(&mut rng, *a, *b, &[3]));
        }
    }
    for size in TOO_BIG_SIZES {
        p.err(&format!("size {size}"), || {
            sample(&mut rng, 1.0, 0.5, &[size])
        });
        p.err(&format!("size {size} x {size}"), || {
            sample(&mut rng, 1.0, 0.5, &[size, size])
        });
    }
}

/// Integer parameters at the edges of `i64`.
const INT_EDGES: [i64; 7] = [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
/// Axis lists at the edges, for the reductions that take `Option<&[isize]>`.
const AXES: [Option<&[isize]>; 6] = [
    None,
    Some(&[isize::MIN]),
    Some(&[isize::MAX]),
    Some(&[0]),
    Some(&[-1, -1]),
    Some(&[]),
];

/// A reduction over optional axes: every small array with every axis list, realized, and the
/// huge ones built only when `huge_too` (the functions that read data would compute them).
fn axes_row(
    p: &mut Probe,
    huge_too: bool,
    op: fn(&Tensor, Option<&[isize]>, bool) -> lazygrad::Result<Tensor>,
) {
    for axes in AXES {
        for keepdims in [false, true] {
            for (name, a) in small() {
                p.realized(&format!("{name} {axes:?} {keepdims}"), || {
                    op(&a, axes, keepdims)
                });
            }
            if huge_too {
                for (name, big) in huge() {
                    p.any(&format!("{name} {axes:?}"), || op(&big, axes, keepdims));
                }
            }
        }
    }
}

/// A function of two arrays: every pair of small arrays, realized.
fn pair_row(p: &mut Probe, op: fn(&Tensor, &Tensor) -> lazygrad::Result<Tensor>) {
    for (a_name, a) in small() {
        for (b_name, b) in small() {
            p.realized(&format!("{a_name} with {b_name}"), || op(&a, &b));
        }
    }
}

/// A function taking an axis and an index along it (`kth`): edges of both, realized.
fn kth_row(p: &mut Probe, op: fn(&Tensor, isize, isize) -> lazygrad::Result<Tensor>) {
    for (name, a) in small() {
        for kth in EDGES {
            for axis in [isize::MIN, -1, 0, 1, isize::MAX] {
                p.realized(&format!("{name} kth {kth} axis {axis}"), || {
                    op(&a, kth, axis)
                });
            }
        }
    }
    p.err("kth past the end", || arange(4).try_partition(4, 0));
    let kth = p.ok("kth -1", || arange(4).try_partition(-1, 0));
    p.check(kth.is_some_and(|t| t.to_vec::<i64>()[3] == 3), "kth -1");
}

/// A function of one array that reads its data: every small array, realized.
fn unary_row_small(p: &mut Probe, op: fn(&Tensor) -> lazygrad::Result<Tensor>) {
    for (name, a) in small() {
        p.realized(name, || op(&a));
    }
}

/// A quantile function: the array, the quantiles and the axes.
type QuantileFn = fn(&Tensor, Vec<f64>, Option<&[isize]>) -> lazygrad::Result<Tensor>;

/// Quantiles at the edges of `f64` and of their range, over every axis list.
fn quantile_row(p: &mut Probe, top: f64, op: QuantileFn) {
    let mut qs: Vec<Vec<f64>> = FLOATS.iter().map(|&q| vec![q]).collect();
    qs.extend([vec![], vec![0.0, top], vec![top / 2.0; 3]]);
    for q in qs {
        for axes in AXES {
            for (name, a) in small() {
                p.realized(&format!("{name} q {q:?} {axes:?}"), || {
                    op(&a, q.clone(), axes)
                });
            }
        }
    }
    p.err("q above the top", || {
        arange(3).try_quantile(vec![top * 2.0 + 1.0], None, false)
    });
}

/// Every other public fallible function, one row each.
const TRY_FNS: &[(&str, Row)] = &[
    ("try_median", |p| {
        axes_row(p, true, |a, axes, k| a.try_median(axes, k))
    }),
    ("try_quantile", |p| {
        quantile_row(p, 1.0, |a, q, axes| a.try_quantile(q, axes, false));
    }),
    ("try_nanquantile", |p| {
        quantile_row(p, 1.0, |a, q, axes| a.try_nanquantile(q, axes, false));
    }),
    ("try_nanpercentile", |p| {
        quantile_row(p, 100.0, |a, q, axes| a.try_nanpercentile(q, axes, true));
    }),
    ("try_percentile", |p| {
        quantile_row(p, 100.0, |a, q, axes| a.try_percentile(q, axes, true));
        p.err("101", || arange(3).try_percentile(101.0, None, false));
    }),
    ("try_ptp", |p| {
        axes_row(p, true, |a, axes, k| a.try_ptp(axes, k))
    }),
    ("try_nanprod", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanprod(axes, k))
    }),
    ("try_nancumsum", |p| {
        for (name, a) in small() {
            for axis in [None, Some(0), Some(-1), Some(isize::MIN), Some(isize::MAX)] {
                p.any(&format!("{name} {axis:?}"), || {
                    a.try_nancumsum(axis)?.try_realize()
                });
                p.any(&format!("{name} {axis:?}"), || {
                    a.try_nancumprod(axis)?.try_realize()
                });
            }
        }
        for (name, big) in huge() {
            p.any(name, || big.try_nancumsum(Some(0)));
        }
    }),
    ("try_nancumprod", |p| {
        for (name, big) in huge() {
            p.any(name, || big.try_nancumprod(None));
        }
    }),
    ("try_diff", |p| {
        for (name, a) in small() {
            for n in [0, 1, 2, usize::MAX] {
                for axis in [0, -1, isize::MIN, isize::MAX] {
                    p.any(&format!("{name} n={n} axis={axis}"), || {
                        a.try_diff(n, axis)?.try_realize()
                    });
                }
            }
        }
        p.err("0-d", || lazygrad::array(1.0).try_diff(1, 0));
        for (name, big) in huge() {
            p.any(name, || big.try_diff(3, 0));
        }
    }),
    ("try_nansum", |p| {
        axes_row(p, true, |a, axes, k| a.try_nansum(axes, k))
    }),
    ("try_nanmean", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanmean(axes, k))
    }),
    ("try_nanmax", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanmax(axes, k))
    }),
    ("try_nanmin", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanmin(axes, k))
    }),
    ("try_nanmedian", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanmedian(axes, k));
    }),
    ("try_nanvar", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanvar(axes, usize::MAX, k));
        axes_row(p, false, |a, axes, k| a.try_nanvar(axes, 1, k));
    }),
    ("try_nanstd", |p| {
        axes_row(p, true, |a, axes, k| a.try_nanstd(axes, 0, k));
        let nan = p.ok("ddof too big", || {
            array([1.0, f64::NAN]).try_nanstd(None, 1, false)
        });
        p.check(
            nan.is_some_and(|t| t.item::<f64>().is_nan()),
            "ddof too big",
        );
    }),
    ("try_nanargmax", |p| {
        for axis in [None, Some(isize::MIN), Some(-1), Some(0), Some(isize::MAX)] {
            for (name, a) in small() {
                p.realized(&format!("{name} {axis:?}"), || a.try_nanargmax(axis, true));
            }
        }
        p.err("all NaN", || array([f64::NAN]).try_nanargmax(None, false));
    }),
    ("try_nanargmin", |p| {
        for axis in [None, Some(isize::MIN), Some(-1), Some(0), Some(isize::MAX)] {
            for (name, a) in small() {
                p.realized(&format!("{name} {axis:?}"), || a.try_nanargmin(axis, false));
            }
        }
    }),
    ("try_average", |p| {
        axes_row(p, true, |a, axes, k| a.try_average(axes, None, k));
        for (name, a) in small() {
            for (w_name, w) in small() {
                for axes in AXES {
                    p.realized(&format!("{name} weighted by {w_name} {axes:?}"), || {
                        a.try_average(axes, Some(&w), false)
                    });
                }
            }
        }
        p.err("weights sum to zero", || {
            array([1.0, 2.0]).try_average(None, Some(&array([1.0, -1.0])), false)
        });
    }),
    ("try_average_returned", |p| {
        for (name, a) in small() {
            for axes in AXES {
                p.any(&format!("{name} {axes:?}"), || {
                    a.try_average_returned(axes, Some(&a), true)
                });
            }
        }
        let total = p.ok("count", || {
            arange(6)
                .reshape([2, 3])
                .try_average_returned(Some(&[1]), None, false)
        });
        p.check(
            total.is_some_and(|(_, t)| t.to_vec::<f64>() == [3.0, 3.0]),
            "count",
        );
    }),
    ("try_cov", |p| {
        for (name, a) in small() {
            for ddof in [None, Some(0), Some(usize::MAX)] {
                for rowvar in [false, true] {
                    p.realized(&format!("{name} {ddof:?} {rowvar}"), || {
                        lazygrad::try_cov(&a, None, rowvar, true, ddof)
                    });
                    p.realized(&format!("{name} with itself"), || {
                        lazygrad::try_cov(&a, Some(&a), rowvar, false, ddof)
                    });
                }
            }
        }
        p.err("3-d", || {
            lazygrad::try_cov(&zeros([2, 2, 2]), None, true, false, None)
        });
    }),
    ("try_corrcoef", |p| {
        pair_row(p, |a, b| lazygrad::try_corrcoef(a, Some(b), true));
        for (name, a) in small() {
            p.realized(name, || lazygrad::try_corrcoef(&a, None, false));
        }
    }),
    ("try_histogram", |p| {
        let ranges = [
            None,
            Some((0.0, 1.0)),
            Some((1.0, 0.0)),
            Some((f64::NAN, 1.0)),
            Some((-f64::MAX, f64::MAX)),
            Some((f64::NEG_INFINITY, 0.0)),
        ];
        for (name, a) in small() {
            for range in ranges {
                for bins in [0, 1, 3, usize::MAX, isize::MAX as usize, 1 << 40] {
                    p.any(&format!("{name} {bins} bins {range:?}"), || {
                        a.try_histogram(bins, range).and_then(|(counts, edges)| {
                            // Only realize what a machine can hold.
                            if bins <= 3 {
                                lazygrad::realize_all(&[&counts, &edges])?;
                            }
                            Ok(())
                        })
                    });
                }
                for (e_name, edges) in small() {
                    p.realized(&format!("{name} edges {e_name}"), || {
                        a.try_histogram(&edges, range).map(|(counts, _)| counts)
                    });
                }
            }
        }
        let counts = p.ok("closed last bin", || {
            array([0.0, 1.0, 1.0]).try_histogram(2, None)
        });
        p.check(
            counts.is_some_and(|(c, _)| c.to_vec::<i64>() == [1, 2]),
            "closed last bin",
        );
    }),
    ("try_bincount", |p| {
        for (name, a) in small() {
            for minlength in [0, 3, 1 << 40, usize::MAX] {
                p.any(&format!("{name} minlength {minlength}"), || {
                    a.try_bincount(None, minlength)
                });
                p.any(&format!("{name} weighted"), || a.try_bincount(Some(&a), 0));
            }
        }
        p.err("huge value", || array([i64::MAX]).try_bincount(None, 0));
        p.err("negative", || array([3, -1]).try_bincount(None, 0));
        p.err("2-d", || zeros([2, 2]).try_bincount(None, 0));
    }),
    ("try_searchsorted", |p| {
        pair_row(p, |a, v| a.try_searchsorted(v, lazygrad::Side::Left));
        pair_row(p, |a, v| a.try_searchsorted(v, lazygrad::Side::Right));
        p.any("1<<40 values, built", || {
            array([1.0]).try_searchsorted(&zeros([1 << 40]), lazygrad::Side::Right)
        });
        p.err("2-d", || {
            zeros([2, 2]).try_searchsorted(&zeros([1]), lazygrad::Side::Left)
        });
    }),
    ("try_digitize", |p| {
        pair_row(p, |x, bins| lazygrad::try_digitize(x, bins, false));
        pair_row(p, |x, bins| lazygrad::try_digitize(x, bins, true));
    }),
    ("try_isin", |p| {
        pair_row(p, |a, b| lazygrad::try_isin(a, b, false));
        pair_row(p, |a, b| lazygrad::try_isin(a, b, true));
    }),
    ("try_lexsort", |p| {
        p.err("no keys", || lazygrad::try_lexsort(&[]));
        pair_row(p, |a, b| lazygrad::try_lexsort(&[a, b]));
        for (name, a) in small() {
            p.realized(name, || lazygrad::try_lexsort(&[&a]));
        }
    }),
    ("try_partition", |p| {
        kth_row(p, |a, kth, axis| a.try_partition(kth, axis))
    }),
    ("try_argpartition", |p| {
        kth_row(p, |a, kth, axis| a.try_argpartition(kth, axis));
    }),
    ("try_unique", |p| unary_row_small(p, Tensor::try_unique)),
    ("try_unique_all", |p| {
        for (name, a) in small() {
            p.any(name, || {
                let u = a.try_unique_all()?;
                lazygrad::realize_all(&[&u.values, &u.indices, &u.inverse, &u.counts])
            });
        }
        let u = p.ok("NaN once", || {
            array([f64::NAN, 1.0, f64::NAN]).try_unique_all()
        });
        p.check(
            u.is_some_and(|u| u.counts.to_vec::<i64>() == [1, 2]),
            "NaN once",
        );
    }),
    ("try_intersect1d", |p| {
        pair_row(p, lazygrad::try_intersect1d)
    }),
    ("try_union1d", |p| pair_row(p, lazygrad::try_union1d)),
    ("try_setdiff1d", |p| pair_row(p, lazygrad::try_setdiff1d)),
    ("try_array", |p| {
        p.err("ragged", || lazygrad::try_array(vec![vec![1, 2], vec![3]]));
        let empty = p.ok("empty", || lazygrad::try_array(Vec::<Vec<f64>>::new()));
        p.check(empty.is_some_and(|t| t.shape() == [0]), "empty");
        p.ok("non-finite", || lazygrad::try_array(FLOATS));
        p.ok("usize::MAX element", || lazygrad::try_array([usize::MAX]));
    }),
    ("try_from_vec", |p| {
        for dim in HUGE {
            for shape in [vec![dim], vec![dim, dim], vec![dim, 0], vec![0, dim, dim]] {
                p.err(&format!("{shape:?}"), || {
                    Tensor::try_from_vec(vec![1.0f64], shape.clone())
                });
            }
        }
        let empty = p.ok("(0, 7)", || Tensor::try_from_vec(Vec::<u8>::new(), [0, 7]));
        p.check(empty.is_some_and(|t| t.shape() == [0, 7]), "(0, 7)");
    }),
    ("try_arange_step", |p| {
        for start in FLOATS {
            for stop in FLOATS {
                for step in FLOATS {
                    arange_case(p, start, stop, step);
                }
            }
        }
        let edges = [i64::MIN, i64::MIN + 1, -3, -1, 0, 1, 3, i64::MAX];
        for start in edges {
            for stop in edges {
                for step in edges {
                    arange_int_case(p, start, stop, step);
                }
            }
        }
    }),
    ("try_concatenate", |p| {
        p.err("no arrays", || lazygrad::try_concatenate(&[], 0));
        let a = arange(6).reshape([2, 3]);
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || {
                lazygrad::try_concatenate(&[&a, &a], axis)
            });
        }
        p.err("0-d", || {
            lazygrad::try_concatenate(&[&array(1), &array(2)], 0)
        });
        let big = Tensor::full_dtype([1usize << 62], true, DType::Bool);
        p.err("length overflows", || {
            lazygrad::try_concatenate(&[&big, &big], 0)
        });
        let small = small();
        for (a_name, a) in &small {
            for (b_name, b) in &small {
                p.realized(&format!("{a_name} with {b_name}"), || {
                    lazygrad::try_concatenate(&[a, b], -1)
                });
            }
        }
    }),
    ("try_stack", |p| {
        p.err("no arrays", || lazygrad::try_stack(&[], 0));
        let a = arange(3);
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || {
                lazygrad::try_stack(&[&a, &a], axis)
            });
        }
        let big = Tensor::full_dtype([1usize << 62], true, DType::Bool);
        p.err("size overflows", || lazygrad::try_stack(&[&big, &big], 0));
        for (name, a) in small() {
            p.realized(name, || lazygrad::try_stack(&[&a, &a], 0));
        }
    }),
    ("try_where", |p| {
        let small = small();
        for (c_name, c) in &small {
            for (x_name, x) in &small {
                p.realized(&format!("{c_name} picks {x_name}"), || {
                    lazygrad::try_where(c, x, f64::NAN)
                });
            }
        }
        for (name, big) in huge() {
            p.any(name, || {
                lazygrad::try_where(&big.try_greater(0.0)?, &big, 1.0)
            });
        }
    }),
    ("try_sum_axes", |p| {
        for (name, a) in small() {
            for axis in EDGES {
                p.realized(&format!("{name} axis {axis}"), || {
                    a.try_sum_axes([axis], true)
                });
            }
            p.any(&format!("{name} repeated axis"), || {
                a.try_sum_axes([0, 0], false)
            });
        }
        let total = p.ok("empty", || zeros([0]).try_sum_axes([0], false));
        p.check(total.is_some_and(|t| t.item::<f64>() == 0.0), "empty");
    }),
    ("try_reduce", |p| {
        let reductions = [
            Reduction::Sum,
            Reduction::Prod,
            Reduction::Max,
            Reduction::Min,
            Reduction::Any,
            Reduction::All,
            Reduction::Mean,
            Reduction::Var(0),
            Reduction::Var(usize::MAX),
            Reduction::Std(usize::MAX),
            Reduction::ArgMax,
            Reduction::ArgMin,
            Reduction::CumSum,
            Reduction::CumProd,
        ];
        let axes: [Option<&[isize]>; 6] = [
            None,
            Some(&[isize::MIN]),
            Some(&[isize::MAX]),
            Some(&[0]),
            Some(&[-1, -1]),
            Some(&[]),
        ];
        for reduction in reductions {
            for axis in axes {
                for (name, a) in small() {
                    p.realized(&format!("{reduction:?} {axis:?} of {name}"), || {
                        a.try_reduce(reduction, axis, false)
                    });
                }
                for (name, big) in huge() {
                    p.any(&format!("{reduction:?} {axis:?} of {name}"), || {
                        big.try_reduce(reduction, axis, true)
                    });
                }
            }
        }
        p.err("max of empty", || {
            zeros([0]).try_reduce(Reduction::Max, None, false)
        });
    }),
    ("try_pad", |p| {
        let a = array([1, 2]);
        for before in HUGE {
            // Valid exactly when the padded length's bytes fit (int64: 8 bytes).
            let fits = fits_f64(before.checked_add(3));
            let padded = p.call(&format!("({before}, 1)"), || a.try_pad(&[(before, 1)], 0));
            p.check(
                padded.is_some_and(|res| res.is_ok() == fits),
                &format!("({before}, 1)"),
            );
            let padded = p.call(&format!("(1, {before})"), || a.try_pad(&[(1, before)], 0));
            p.check(
                padded.is_some_and(|res| res.is_ok() == fits),
                &format!("(1, {before})"),
            );
        }
        p.err("widths per axis", || a.try_pad(&[(1, 1), (1, 1)], 0));
        p.err("uint8 fill 300", || {
            Tensor::from_vec(vec![1u8], [1]).try_pad(&[(1, 1)], 300)
        });
        let padded = p.ok("(1, 2)", || a.try_pad(&[(1, 2)], 0));
        p.check(
            padded.is_some_and(|t| t.to_vec::<i64>() == [0, 1, 2, 0, 0]),
            "(1, 2)",
        );
        for (name, a) in small() {
            let widths = vec![(1, 0); a.ndim()];
            p.realized(name, || a.try_pad(&widths, f64::NAN));
        }
        p.any("huge by one", || zeros([1 << 40]).try_pad(&[(1, 1)], 0));
    }),
    ("try_matmul", |p| {
        let small = small();
        for (a_name, a) in &small {
            for (b_name, b) in &small {
                p.realized(&format!("{a_name} @ {b_name}"), || a.try_matmul(b));
            }
        }
        p.err("0-d", || array(1.0).try_matmul(&zeros([2])));
        let (tall, wide) = (zeros([1 << 32, 1]), zeros([1, 1 << 32]));
        p.err("product too big", || tall.try_matmul(&wide));
        p.any("huge square", || {
            zeros([1 << 20, 1 << 20]).try_matmul(&zeros([1 << 20, 1 << 20]))
        });
    }),
    ("try_dot", |p| {
        let small = small();
        for (a_name, a) in &small {
            for (b_name, b) in &small {
                p.realized(&format!("{a_name} . {b_name}"), || a.try_dot(b));
            }
        }
        let (tall, wide) = (zeros([1 << 32, 1]), zeros([1, 1 << 32]));
        p.err("product too big", || tall.try_dot(&wide));
        p.any("3-d huge", || {
            zeros([1 << 20, 1 << 20]).try_dot(&zeros([2, 1 << 20, 3]))
        });
    }),
    ("try_norm", |p| {
        let ords = [
            Ord::Default,
            Ord::Fro,
            Ord::Inf,
            Ord::NegInf,
            Ord::P(f64::NAN),
            Ord::P(f64::INFINITY),
            Ord::P(0.0),
            Ord::P(-1.0),
            Ord::P(1e300),
            Ord::P(1.0),
            Ord::P(2.0),
            Ord::P(-2.0),
        ];
        let axes: [Option<&[isize]>; 7] = [
            None,
            Some(&[isize::MIN]),
            Some(&[0]),
            Some(&[0, 0]),
            Some(&[0, 1, 2]),
            Some(&[0, 1]),
            Some(&[-1, isize::MIN]),
        ];
        for ord in ords {
            for axis in axes {
                for (name, a) in small() {
                    p.realized(&format!("{ord:?} {axis:?} of {name}"), || {
                        linalg::try_norm(&a, ord, axis, true)
                    });
                }
            }
        }
    }),
    ("try_grad", |p| {
        let x = array([1.0, f64::NAN]).requires_grad();
        p.err("not one element", || (&x * 2.0).try_grad(&[&x]));
        p.err("not float", || arange(3).sum().try_grad(&[&x]));
        let grads = p.ok("NaN input", || (&x * &x).sum().try_grad(&[&x]));
        p.check(
            grads.is_some_and(|g| g[0].to_vec::<f64>()[0] == 2.0),
            "NaN input",
        );
        let empty = zeros([0]).requires_grad();
        p.any("empty input", || empty.sum().try_grad(&[&empty]));
        p.any("unrelated input", || (&x * 2.0).sum().try_grad(&[&empty]));
    }),
    ("try_vjp", |p| {
        let x = zeros([0, 3]).requires_grad();
        p.any("zero-size", || (&x * 2.0).try_vjp(&[&x], &zeros([0, 3])));
        p.err("cotangent shape", || (&x * 2.0).try_vjp(&[&x], &zeros([3])));
        // Marking a tensor with `requires_grad` realizes it, so the huge one stays unmarked.
        let big = zeros([1 << 40]);
        p.any("huge", || big.exp().try_vjp(&[&big], &zeros([1 << 40])));
    }),
    ("try_backward", |p| {
        p.err("nothing requires grad", || arange(3).sum().try_backward());
        let x = array([f64::INFINITY]).requires_grad();
        p.any("infinite", || (&x * &x).sum().try_backward());
    }),
    ("try_reshape", |p| {
        let a = arange(6);
        for dim in HUGE {
            p.err(&format!("[{dim}]"), || a.try_reshape(&[dim][..]));
            let empty = p.call(&format!("[{dim}, 0]"), || {
                zeros([0]).try_reshape(&[dim, 0][..])
            });
            let fits = dim
                .checked_mul(8)
                .is_some_and(|bytes| bytes <= isize::MAX as usize);
            p.check(
                empty.is_some_and(|res| res.is_ok() == fits),
                &format!("[{dim}, 0]"),
            );
        }
        for dim in EDGES {
            p.any(&format!("[{dim}]"), || a.try_reshape([dim]));
            p.any(&format!("[{dim}, -1]"), || a.try_reshape([dim, -1]));
        }
        p.err("two unknowns", || a.try_reshape([-1, -1]));
        p.err("known zero", || a.try_reshape([0, -1]));
        let res = p.ok("[3, -1]", || a.try_reshape([3, -1]));
        p.check(res.is_some_and(|t| t.shape() == [3, 2]), "[3, -1]");
        for (name, big) in huge() {
            p.any(name, || big.try_reshape([-1, 2]));
        }
    }),
    ("try_permute", |p| {
        let a = zeros([2, 3]);
        for axis in EDGES {
            p.any(&format!("[{axis}, 0]"), || a.try_permute(&[axis, 0]));
        }
        p.err("repeated", || a.try_permute(&[0, 0]));
        p.err("too few", || a.try_permute(&[0]));
        p.err("0-d", || array(1).try_permute(&[0]));
    }),
    ("try_as_strided", |p| {
        let a = arange(6);
        for stride in EDGES {
            p.any(&format!("stride {stride}"), || {
                a.try_as_strided([3], &[stride], 0)
            });
            p.any(&format!("2-d stride {stride}"), || {
                a.try_as_strided([2, 2], &[stride, stride], 1)
            });
        }
        for dim in HUGE {
            // A stride of 0 reads one element however long the axis, so only the size limits it.
            let repeated = p.call(&format!("shape {dim}"), || a.try_as_strided([dim], &[0], 0));
            let fits = dim
                .checked_mul(8)
                .is_some_and(|bytes| bytes <= isize::MAX as usize);
            p.check(
                repeated.is_some_and(|res| res.is_ok() == fits),
                &format!("shape {dim}"),
            );
            p.err(&format!("shape {dim} stride 1"), || {
                a.try_as_strided([dim], &[1], 0)
            });
            p.err(&format!("offset {dim}"), || {
                a.try_as_strided([1], &[1], dim)
            });
        }
        p.err("stride count", || a.try_as_strided([2], &[1, 1], 0));
        let view = p.ok("reversed", || a.try_as_strided([6], &[-1], 5));
        p.check(
            view.is_some_and(|t| t.to_vec::<i64>() == [5, 4, 3, 2, 1, 0]),
            "reversed",
        );
        // A stride of isize::MIN on an axis of one element is never taken, even by a flip.
        let one = p.ok("isize::MIN on one element", || {
            a.try_as_strided([1, 2], &[isize::MIN, 1], 0)
        });
        if let Some(one) = one {
            let flipped = p.ok("flipped", || one.try_slice(s![..;-1, ..;-1]));
            p.check(
                flipped.is_some_and(|t| t.to_vec::<i64>() == [1, 0]),
                "flipped",
            );
        }
    }),
    ("try_slice", |p| {
        let a = arange(5);
        let cases: [SliceCase; 9] = [
            ("..;isize::MIN", s![..;isize::MIN], Some(vec![4])),
            ("..;isize::MAX", s![..;isize::MAX], Some(vec![0])),
            (
                "isize::MIN..isize::MAX",
                s![isize::MIN..isize::MAX],
                Some(vec![0, 1, 2, 3, 4]),
            ),
            (
                "..=isize::MAX",
                s![..=isize::MAX],
                Some(vec![0, 1, 2, 3, 4]),
            ),
            ("usize::MAX..", s![usize::MAX..], Some(vec![])),
            ("..usize::MAX", s![..usize::MAX], Some(vec![0, 1, 2, 3, 4])),
            ("usize::MAX", s![usize::MAX], None),
            ("isize::MIN", s![isize::MIN], None),
            ("isize::MAX", s![isize::MAX], None),
        ];
        for (case, args, want) in cases {
            match want {
                Some(want) => {
                    let got = p.ok(case, || a.try_slice(&args));
                    p.check(got.is_some_and(|t| t.to_vec::<i64>() == want), case);
                }
                None => p.err(case, || a.try_slice(&args)),
            }
        }
        p.err("step zero", || a.try_slice(s![..;0]));
        for (name, t) in small() {
            p.realized(&format!("{name} ..;-1"), || t.try_slice(s![..;-1]));
            p.realized(&format!("{name} 0"), || t.try_slice(s![0]));
            p.realized(&format!("{name} mask"), || t.try_slice(s![&t.gt(0)]));
        }
        for (name, big) in huge() {
            p.any(name, || big.try_slice(s![1..;isize::MIN]));
            p.any(name, || big.try_slice(s![usize::MAX]));
        }
    }),
    ("try_nonzero", |p| {
        p.err("0-d", || array(5).try_nonzero());
        for (name, a) in small().into_iter().skip(1) {
            p.ok(name, || a.try_nonzero());
        }
    }),
    ("try_take_along_axis", |p| {
        let a = array([[10, 30, 20], [60, 40, 50]]);
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || {
                a.try_take_along_axis(&array([[0], [1]]), axis)
            });
        }
        p.err("ndim", || a.try_take_along_axis(&array([0]), 0));
        for index in [i64::MIN, -4, 3, i64::MAX] {
            p.err(&format!("index {index}"), || {
                a.try_take_along_axis(&array([[index]]), 1)?.try_realize()
            });
        }
    }),
    ("try_call", |p| {
        binary_row(p, |a, b| Ufunc::subtract.try_call(a, b));
        binary_row(p, |a, b| Ufunc::gcd.try_call(a, b));
        binary_row(p, |a, b| Ufunc::greater.try_call(a, b));
    }),
    ("try_outer", |p| {
        for (name, a) in small() {
            p.realized(name, || Ufunc::multiply.try_outer(&a, &a));
        }
        for (name, big) in huge() {
            p.any(name, || Ufunc::multiply.try_outer(&big, &big));
        }
    }),
    ("try_reduce", |p| {
        for ufunc in [Ufunc::add, Ufunc::subtract, Ufunc::bitwise_xor, Ufunc::pow] {
            for (name, a) in small() {
                for axis in [None, Some(0), Some(-1), Some(isize::MIN), Some(isize::MAX)] {
                    p.any(&format!("{} {name} {axis:?}", ufunc.name()), || {
                        ufunc.try_reduce(&a, axis, true)?.try_realize()
                    });
                }
            }
            for (name, big) in huge() {
                p.any(name, || ufunc.try_reduce(&big, Some(0), false));
            }
        }
        p.err("empty subtract", || {
            Ufunc::subtract.try_reduce(&zeros([0, 3]), Some(0), false)
        });
        p.err("several axes of subtract", || {
            Ufunc::subtract.try_reduce(&zeros([2, 3]), None, false)
        });
    }),
    ("try_accumulate", |p| {
        for ufunc in [
            Ufunc::add,
            Ufunc::maximum,
            Ufunc::subtract,
            Ufunc::logaddexp,
        ] {
            for (name, a) in small() {
                for axis in [0, -1, isize::MIN, isize::MAX] {
                    p.any(&format!("{} {name} {axis}", ufunc.name()), || {
                        ufunc.try_accumulate(&a, axis)?.try_realize()
                    });
                }
            }
            for (name, big) in huge() {
                p.any(name, || ufunc.try_accumulate(&big, 0));
            }
        }
    }),
    ("try_reduceat", |p| {
        let a = arange(8);
        for index in [i64::MIN, -1, 8, i64::MAX] {
            p.err(&format!("index {index}"), || {
                Ufunc::add.try_reduceat(&a, &[0, index], 0)
            });
        }
        p.err("axis", || Ufunc::add.try_reduceat(&a, &[0], 1));
        p.ok("no indices", || Ufunc::add.try_reduceat(&a, &[], 0));
        let many = vec![0i64; Ufunc::MAX_FOLD_STEPS + 1];
        p.err("too many stretches", || {
            Ufunc::maximum.try_reduceat(&a, &many, 0)
        });
        for (name, big) in huge() {
            p.any(name, || Ufunc::subtract.try_reduceat(&big, &[0, 1], 0));
        }
    }),
    ("try_at", |p| {
        let a = arange(5);
        for ufunc in [Ufunc::add, Ufunc::multiply, Ufunc::maximum] {
            for index in [i64::MIN, -6, 5, i64::MAX] {
                p.err(&format!("{} index {index}", ufunc.name()), || {
                    ufunc.try_at(&a, s![&array([index])], 1)?.try_realize()
                });
            }
            p.err("values shape", || ufunc.try_at(&a, s![..2], arange(3)));
            p.any("literal out of range", || {
                ufunc.try_at(&a, s![..2], i64::MAX)
            });
        }
        let repeated = Tensor::full_dtype([Ufunc::MAX_FOLD_STEPS + 1], 0i64, DType::I64);
        p.err("too many repeats", || {
            Ufunc::multiply.try_at(&a, s![&repeated], 2)
        });
        for (name, big) in huge() {
            p.any(name, || Ufunc::multiply.try_at(&big, s![..2], 2));
        }
    }),
    ("try_index_put", |p| {
        let a = arange(5);
        for index in [i64::MIN, -6, 5, i64::MAX] {
            p.err(&format!("index {index}"), || {
                a.try_index_put(s![&array([index])], 1)?.try_realize()
            });
        }
        p.err("values shape", || a.try_index_put(s![..2], arange(3)));
        let bytes = Tensor::from_vec(vec![1u8, 2], [2]);
        for literal in [300, -1, i64::MIN, i64::MAX] {
            p.err(&format!("uint8 {literal}"), || {
                bytes.try_index_put(s![0], literal)
            });
        }
        let put = p.ok("..;isize::MIN", || a.try_index_put(s![..;isize::MIN], -1));
        p.check(
            put.is_some_and(|t| t.to_vec::<i64>() == [0, 1, 2, 3, -1]),
            "..;isize::MIN",
        );
        for (name, t) in small() {
            p.realized(name, || t.try_index_put(s![&t.gt(0)], f64::NAN));
        }
    }),
    ("try_broadcast_to", |p| {
        for dim in HUGE {
            for shape in [vec![dim, dim], vec![0, dim, dim]] {
                p.err(&format!("{shape:?}"), || {
                    array(1.0).try_broadcast_to(&Shape::from(shape.clone()))
                });
            }
            let long = p.call(&format!("[{dim}]"), || {
                array(1.0).try_broadcast_to(&Shape::from([dim]))
            });
            p.check(
                long.is_some_and(|res| res.is_ok() == fits_f64(Some(dim))),
                &format!("[{dim}]"),
            );
            // Empty, so valid when the other extent's bytes fit (numpy skips zeros).
            let empty = p.call(&format!("[{dim}, 0]"), || {
                array(1.0).try_broadcast_to(&Shape::from([dim, 0]))
            });
            let fits = dim
                .checked_mul(8)
                .is_some_and(|bytes| bytes <= isize::MAX as usize);
            p.check(
                empty.is_some_and(|res| res.is_ok() == fits),
                &format!("[{dim}, 0]"),
            );
        }
        p.err("incompatible", || {
            zeros([3]).try_broadcast_to(&Shape::from([0]))
        });
        let empty = p.ok("to (0, 3)", || {
            zeros([3]).try_broadcast_to(&Shape::from([0, 3]))
        });
        p.check(empty.is_some_and(|t| t.size() == 0), "to (0, 3)");
    }),
    ("try_uniform", |p| {
        sampler_row(p, |rng, low, high, size| rng.try_uniform(low, high, size));
    }),
    ("try_normal", |p| {
        sampler_row(p, |rng, loc, scale, size| rng.try_normal(loc, scale, size));
    }),
    ("try_exponential", |p| {
        sampler_row(p, |rng, scale, _, size| rng.try_exponential(scale, size));
    }),
    ("try_gamma", |p| {
        sampler_row(p, |rng, shape, scale, size| {
            rng.try_gamma(shape, scale, size)
        });
    }),
    ("try_beta", |p| {
        sampler_row(p, |rng, a, b, size| rng.try_beta(a, b, size));
    }),
    ("try_poisson", |p| {
        sampler_row(p, |rng, lam, _, size| rng.try_poisson(lam, size));
    }),
    ("try_binomial", |p| {
        sampler_row(p, |rng, n, prob, size| {
            rng.try_binomial(n as i64, prob, size)
        });
        let mut rng = Generator::new(0);
        for n in INT_EDGES {
            for prob in [0.0, 1e-300, 0.5, 1.0 - 1e-16, 1.0] {
                p.realized(&format!("({n}, {prob})"), || rng.try_binomial(n, prob, [3]));
            }
        }
    }),
    ("try_integers", |p| {
        let mut rng = Generator::new(0);
        for low in INT_EDGES {
            for high in INT_EDGES {
                let res = p.call(&format!("({low}, {high})"), || {
                    rng.try_integers(low, high, [3])
                });
                match res {
                    Some(Ok(t)) => p.check(
                        low < high && t.to_vec::<i64>().iter().all(|x| (low..high).contains(x)),
                        &format!("({low}, {high})"),
                    ),
                    Some(Err(_)) => p.check(low >= high, &format!("({low}, {high}) refused")),
                    None => {}
                }
            }
        }
        for size in TOO_BIG_SIZES {
            p.err(&format!("size {size}"), || rng.try_integers(0, 2, [size]));
        }
    }),
    ("try_randint", |p| {
        let mut rng = Generator::new(0);
        for low in INT_EDGES {
            for high in INT_EDGES {
                p.realized(&format!("({low}, {high})"), || {
                    rng.try_randint(low, high, [3])
                });
            }
        }
        p.err("empty range", || rng.try_randint(3, 3, [3]));
        for size in TOO_BIG_SIZES {
            p.err(&format!("size {size}"), || rng.try_randint(0, 2, [size]));
        }
    }),
    ("try_multinomial", |p| {
        let mut rng = Generator::new(0);
        let pvals: [&[f64]; 6] = [
            &[],
            &[1.0],
            &[0.5, 0.5],
            &FLOATS,
            &[1e-300, 1.0 - 1e-16, 0.0],
            &[0.0; 3],
        ];
        for n in INT_EDGES {
            for pv in pvals {
                p.realized(&format!("({n}, {pv:?})"), || {
                    rng.try_multinomial(n, pv, [2])
                });
            }
        }
        let sums = p.ok("a row of large counts", || {
            rng.try_multinomial(i64::MAX, &[0.5, 0.5], [4])
        });
        p.check(
            sums.is_some_and(|t| {
                t.to_vec::<i64>()
                    .chunks(2)
                    .all(|r| r[0].checked_add(r[1]) == Some(i64::MAX))
            }),
            "rows sum to i64::MAX",
        );
        for size in TOO_BIG_SIZES {
            p.err(&format!("size {size}"), || {
                rng.try_multinomial(5, &[0.5, 0.5], [size])
            });
        }
        p.err("size (1 << 62) x 2 categories", || {
            rng.try_multinomial(5, &[0.5, 0.5], [1 << 62])
        });
    }),
    ("try_permutation", |p| {
        let mut rng = Generator::new(0);
        for n in [i64::MIN, -1, 0, 1, 5] {
            let perm = p.ok(&format!("{n}"), || rng.try_permutation(n));
            p.check(
                perm.is_some_and(|t| t.size() == n.max(0) as usize),
                &format!("{n}"),
            );
        }
        for n in [i64::MAX, 1 << 62] {
            p.err(&format!("{n}"), || rng.try_permutation(n));
        }
        for float in FLOATS {
            p.err(&format!("{float}"), || rng.try_permutation(float));
        }
        for (name, a) in small() {
            let res = p.call(name, || rng.try_permutation(&a));
            match res {
                Some(Ok(t)) => {
                    p.check(a.ndim() > 0 && t.shape() == a.shape(), name);
                    p.any(&format!("{name} (realized)"), || t.try_realize());
                }
                Some(Err(_)) => p.check(a.ndim() == 0, &format!("{name} refused")),
                None => {}
            }
        }
    }),
    ("try_shuffle", |p| {
        let mut rng = Generator::new(0);
        for (name, a) in small() {
            let mut x = a.clone();
            let res = p.call(name, || rng.try_shuffle(&mut x));
            match res {
                Some(Ok(())) => p.check(a.ndim() > 0 && x.shape() == a.shape(), name),
                Some(Err(_)) => p.check(a.ndim() == 0 && x.ndim() == 0, &format!("{name} refused")),
                None => {}
            }
            p.any(&format!("{name} (realized)"), || x.try_realize());
        }
    }),
    ("try_choice", |p| {
        let mut rng = Generator::new(0);
        let probabilities: [Option<&[f64]>; 5] = [
            None,
            Some(&[]),
            Some(&[1.0]),
            Some(&[0.5, 0.5, 0.0]),
            Some(&FLOATS),
        ];
        for n in INT_EDGES {
            for count in [0usize, 1, 3] {
                for replace in [true, false] {
                    for prob in probabilities {
                        p.realized(&format!("({n}, {count}, {replace}, {prob:?})"), || {
                            rng.try_choice(n, [count], replace, prob)
                        });
                    }
                }
            }
        }
        for (name, a) in small() {
            for replace in [true, false] {
                for prob in probabilities {
                    p.realized(&format!("{name}, {replace}, {prob:?}"), || {
                        rng.try_choice(&a, [2, 1], replace, prob)
                    });
                }
            }
        }
        for float in FLOATS {
            p.err(&format!("{float}"), || {
                rng.try_choice(float, [1], true, None)
            });
        }
        for size in TOO_BIG_SIZES {
            p.err(&format!("size {size}"), || {
                rng.try_choice(i64::MAX, [size], true, None)
            });
            p.err(&format!("size {size} without replacement"), || {
                rng.try_choice(i64::MAX, [size], false, None)
            });
        }
    }),
    ("try_realize", |p| {
        for (name, a) in small() {
            p.ok(name, || a.try_realize());
        }
        p.err("gather out of range", || {
            arange(3).slice(s![&array([7])]).try_realize()
        });
    }),
    ("try_to_vec", |p| {
        for (name, a) in small() {
            p.any(name, || a.try_to_vec::<f64>());
            p.any(name, || a.try_to_vec::<bool>());
        }
        p.err("dtype", || arange(3).try_to_vec::<f64>());
    }),
    ("try_item", |p| {
        for (name, a) in small() {
            p.any(name, || a.try_item::<f64>());
        }
        p.err("empty", || zeros([0]).try_item::<f64>());
        p.err("two", || zeros([2]).try_item::<f64>());
    }),
    ("try_to_ndarray", |p| {
        for (name, a) in small() {
            p.any(name, || a.try_to_ndarray::<i64>());
        }
        let nd = p.ok("zero-size", || {
            Tensor::from_vec(Vec::<i64>::new(), [3, 0]).try_to_ndarray::<i64>()
        });
        p.check(nd.is_some_and(|nd| nd.shape() == [3, 0]), "zero-size");
    }),
    ("realize_all", |p| {
        p.ok("nothing", || lazygrad::realize_all(&[]));
        let bad = arange(3).slice(s![&array([-7])]);
        p.err("gather out of range", || {
            lazygrad::realize_all(&[&bad, &arange(2)])
        });
    }),
    ("viz::profile", |p| {
        p.any("nothing", || lazygrad::viz::profile(&[]));
        let bad = arange(3).slice(s![&array([i64::MAX])]);
        p.err("gather out of range", || lazygrad::viz::profile(&[&bad]));
        p.ok("empty", || lazygrad::viz::profile(&[&zeros([0]).exp()]));
    }),
    ("io::load", |p| {
        p.rejects_bad_paths("load", |path| io::load(path));
    }),
    ("io::load_npz", |p| {
        p.rejects_bad_paths("load_npz", |path| io::load_npz(path));
    }),
    ("io::load_checkpoint", |p| {
        p.rejects_bad_paths("load_checkpoint", |path| io::load_checkpoint(path));
    }),
    ("io::imread", |p| {
        p.rejects_bad_paths("imread", |path| io::imread(path));
    }),
    ("io::save", |p| {
        let dir = scratch("save");
        for (name, a) in small() {
            let path = dir.join(format!("{name}.npy"));
            p.ok(name, || io::save(&path, &a));
            let back = p.ok(&format!("{name} read back"), || io::load(&path));
            p.check(back.is_some_and(|b| b.shape() == a.shape()), name);
        }
        p.err("missing directory", || {
            io::save(dir.join("no/such/dir.npy"), &zeros([1]))
        });
        p.err("a directory", || io::save(&dir, &zeros([1])));
    }),
    ("io::save_order", |p| {
        let dir = scratch("save_order");
        for (name, a) in small() {
            for order in [Order::C, Order::Fortran] {
                p.ok(name, || {
                    io::save_order(dir.join(format!("{name}.npy")), &a, order)
                });
            }
        }
        p.err("missing directory", || {
            io::save_order(dir.join("no/such/dir.npy"), &zeros([1]), Order::Fortran)
        });
    }),
    ("io::savez", |p| {
        let dir = scratch("savez");
        let small = small();
        let named: Vec<(&str, &Tensor)> = small.iter().map(|(n, t)| (*n, t)).collect();
        p.ok("every kind", || io::savez(dir.join("all.npz"), &named));
        p.ok("nothing", || io::savez(dir.join("none.npz"), &[]));
        p.any("odd names", || {
            io::savez(
                dir.join("odd.npz"),
                &[("", &zeros([1])), ("a/../b", &zeros([1]))],
            )
        });
        p.err("missing directory", || {
            io::savez(dir.join("no/such.npz"), &named)
        });
    }),
    ("io::savez_compressed", |p| {
        let dir = scratch("savez_compressed");
        let small = small();
        let named: Vec<(&str, &Tensor)> = small.iter().map(|(n, t)| (*n, t)).collect();
        p.ok("every kind", || {
            io::savez_compressed(dir.join("all.npz"), &named)
        });
        let back = p.ok("read back", || io::load_npz(dir.join("all.npz")));
        p.check(back.is_some_and(|b| b.len() == named.len()), "read back");
        p.err("missing directory", || {
            io::savez_compressed(dir.join("no/such.npz"), &named)
        });
    }),
    ("io::save_checkpoint", |p| {
        let dir = scratch("save_checkpoint");
        p.ok("empty", || io::save_checkpoint(dir.join("empty.npz"), &[]));
        p.ok("zero-size", || {
            io::save_checkpoint(dir.join("zero.npz"), &[("w", &zeros([0, 3]))])
        });
        p.err("missing directory", || {
            io::save_checkpoint(dir.join("no/such.npz"), &[])
        });
    }),
    ("io::imsave", |p| {
        let dir = scratch("imsave");
        for (name, a) in small() {
            for ext in ["png", "jpg", "bmp", "gif", "nope"] {
                p.any(&format!("{name}.{ext}"), || {
                    io::imsave(dir.join(format!("{name}.{ext}")), &a)
                });
            }
        }
        p.err("4-d", || {
            io::imsave(dir.join("4d.png"), &zeros([2, 2, 2, 2]))
        });
        p.err("0-d", || io::imsave(dir.join("0d.png"), &array(1.0)));
        p.any("zero-size", || {
            io::imsave(dir.join("zero.png"), &zeros([0, 0]))
        });
    }),
    ("io::imresize", |p| {
        let image = zeros([4, 4, 3]);
        for size in [(0, 0), (0, 5), (5, 0), (1, 1)] {
            p.any(&format!("{size:?}"), || io::imresize(&image, size));
        }
        p.err("0-d", || io::imresize(&array(1.0), (2, 2)));
        p.any("zero-size image", || io::imresize(&zeros([0, 0]), (2, 2)));
    }),
    ("io::imresize_with", |p| {
        let image = array([[f64::NAN, f64::INFINITY], [-1e300, 0.0]]);
        for filter in [
            Filter::Nearest,
            Filter::Bilinear,
            Filter::Bicubic,
            Filter::Lanczos,
        ] {
            p.any(&format!("{filter:?}"), || {
                io::imresize_with(&image, (3, 3), filter)
            });
            p.any(&format!("{filter:?} to nothing"), || {
                io::imresize_with(&image, (0, 3), filter)
            });
        }
    }),
    ("io::save_image_grid", |p| {
        let dir = scratch("save_image_grid");
        let image = zeros([4, 4]);
        p.any("nothing", || {
            io::save_image_grid(dir.join("none.png"), &[], 3)
        });
        for cols in [0, 1, usize::MAX] {
            p.any(&format!("{cols} columns"), || {
                io::save_image_grid(dir.join("grid.png"), &[("a", &image)], cols)
            });
        }
        p.err("4-d", || {
            io::save_image_grid(dir.join("bad.png"), &[("a", &zeros([1, 1, 1, 1]))], 1)
        });
    }),
    ("io::loadtxt", |p| {
        text_reader_row(p, "loadtxt", true, |path| io::loadtxt(path));
        text_reader_row(p, "loadtxt io", true, |path| {
            lazygrad_io::text::loadtxt(path, &io::LoadTxt::default())
        });
    }),
    ("io::loadtxt_with", |p| {
        let dir = scratch("loadtxt_with");
        let path = dir.join("small.txt");
        std::fs::write(&path, "1 2 3\n4 5 6\n").expect("the temp dir is writable");
        for opts in hostile_loadtxt_options() {
            p.any(&format!("{opts:?}"), || io::loadtxt_with(&path, &opts));
        }
        let huge = io::LoadTxt {
            skiprows: usize::MAX,
            max_rows: Some(usize::MAX),
            ..io::LoadTxt::default()
        };
        let res = p.ok("skip every line", || io::loadtxt_with(&path, &huge));
        p.check(res.is_some_and(|t| t.shape() == [0]), "skip every line");
        p.err("ndmin 3", || {
            io::loadtxt_with(
                &path,
                &io::LoadTxt {
                    ndmin: usize::MAX,
                    ..io::LoadTxt::default()
                },
            )
        });
        for opts in [
            io::LoadTxt::default(),
            io::LoadTxt {
                delimiter: Some(','),
                ..io::LoadTxt::default()
            },
        ] {
            p.err("missing file", || {
                io::loadtxt_with(dir.join("missing.txt"), &opts)
            });
        }
    }),
    ("io::loadtxt_from", |p| {
        text_stream_row(
            p,
            hostile_loadtxt_options(),
            |reader, opts| io::loadtxt_from(reader, opts).map(drop),
            |reader, opts| lazygrad_io::text::loadtxt_from(reader, opts).map(drop),
        );
    }),
    ("io::genfromtxt", |p| {
        text_reader_row(p, "genfromtxt", false, |path| io::genfromtxt(path));
        text_reader_row(p, "genfromtxt io", false, |path| {
            lazygrad_io::text::genfromtxt(path, &io::GenFromTxt::default())
        });
    }),
    ("io::genfromtxt_with", |p| {
        let dir = scratch("genfromtxt_with");
        let path = dir.join("small.csv");
        std::fs::write(&path, "1,,3\n4,x,6\n").expect("the temp dir is writable");
        for opts in hostile_genfromtxt_options() {
            p.any(&format!("{opts:?}"), || io::genfromtxt_with(&path, &opts));
        }
        for dtype in [DType::Bool, DType::U8] {
            p.err(&format!("{dtype}"), || {
                io::genfromtxt_with(
                    &path,
                    &io::GenFromTxt {
                        dtype,
                        ..io::GenFromTxt::default()
                    },
                )
            });
        }
        for fill in [f64::NAN, f64::INFINITY, 0.5, 1e300] {
            p.err(&format!("int fill {fill}"), || {
                io::genfromtxt_with(
                    &path,
                    &io::GenFromTxt {
                        dtype: DType::I64,
                        filling_values: Some(fill),
                        ..io::GenFromTxt::default()
                    },
                )
            });
        }
    }),
    ("io::genfromtxt_from", |p| {
        text_stream_row(
            p,
            hostile_genfromtxt_options(),
            |reader, opts| io::genfromtxt_from(reader, opts).map(drop),
            |reader, opts| lazygrad_io::text::genfromtxt_from(reader, opts).map(drop),
        );
    }),
    ("io::savetxt", |p| {
        let dir = scratch("savetxt");
        for (name, a) in small() {
            let res = p.call(name, || io::savetxt(dir.join(format!("{name}.txt")), &a));
            let written_or_refused = match res {
                Some(Ok(())) => a.ndim() == 1 || a.ndim() == 2,
                Some(Err(_)) => !(a.ndim() == 1 || a.ndim() == 2),
                None => true,
            };
            p.check(written_or_refused, name);
        }
        p.err("missing directory", || {
            io::savetxt(dir.join("no/such.txt"), &zeros([2]))
        });
        p.err("a directory", || io::savetxt(&dir, &zeros([2])));
    }),
    ("io::savetxt_with", |p| {
        let dir = scratch("savetxt_with");
        let formats = [
            "%d",
            "%x",
            "%s",
            "%",
            "%%",
            "%*d",
            "%.d",
            "%-+ 0#20.3g",
            "%99999999999999999999999d",
            "%.32769f",
            "%.32768e",
            "%.32768g",
            "%32768g",
            "%#.32768G",
            "%lld",
            "%d %d",
            "",
            "%d,%d,%d",
            "%c",
            "\0%e\u{1F600}",
        ];
        for (name, a) in small() {
            for fmt in formats {
                let opts = io::SaveTxt {
                    fmt: fmt.into(),
                    header: "a\nb".into(),
                    ..io::SaveTxt::default()
                };
                p.any(&format!("{name} {fmt:?}"), || {
                    io::savetxt_with(dir.join(format!("{name}.txt")), &a, &opts)
                });
            }
        }
        let array = io_array([2, 3]);
        p.ok("io crate", || {
            lazygrad_io::text::savetxt(dir.join("io.txt"), &array, &io::SaveTxt::default())
        });
        p.err("io crate 3-d", || {
            lazygrad_io::text::savetxt(
                dir.join("io.txt"),
                &io_array([1, 1, 1]),
                &io::SaveTxt::default(),
            )
        });
    }),
    ("io::save_line_plot", |p| {
        let dir = scratch("save_line_plot");
        let series: [(&str, &[f64]); 4] = [
            ("empty", &[]),
            ("one", &[1.0]),
            ("nan", &[f64::NAN, 1.0]),
            ("tiny", &[1e-300, -1e-300]),
        ];
        for (name, values) in series {
            p.any(name, || {
                io::save_line_plot(dir.join(format!("{name}.svg")), name, &[(name, values)])
            });
        }
        p.any("no series", || {
            io::save_line_plot(dir.join("none.svg"), "", &[])
        });
        p.err("missing directory", || {
            io::save_line_plot(dir.join("no/such.svg"), "", &[("a", &[1.0])])
        });
    }),
    ("nn::save_parameters", |p| {
        let dir = scratch("save_parameters");
        let mut model = nn::Linear::new(2, 3, &mut lazygrad::random::Generator::new(0));
        p.ok("linear", || {
            nn::save_parameters(&mut model, dir.join("linear.npz"))
        });
        p.err("missing directory", || {
            nn::save_parameters(&mut model, dir.join("no/such.npz"))
        });
    }),
    ("nn::load_parameters", |p| {
        let dir = scratch("load_parameters");
        let mut model = nn::Linear::new(2, 3, &mut lazygrad::random::Generator::new(0));
        p.rejects_bad_paths("load_parameters", |path| {
            nn::load_parameters(&mut model, path)
        });
        let other = dir.join("other.npz");
        let mut wider = nn::Linear::new(5, 3, &mut lazygrad::random::Generator::new(0));
        p.ok("save", || nn::save_parameters(&mut wider, &other));
        p.err("other shapes", || nn::load_parameters(&mut model, &other));
    }),
    ("nn::Optimizer::step", |p| {
        let mut model = nn::Linear::new(2, 1, &mut lazygrad::random::Generator::new(0));
        let x = array([[f64::NAN, f64::INFINITY]]);
        let loss = nn::mse(&model.forward(&x), &zeros([1, 1]));
        p.any("sgd on NaN", || {
            nn::Sgd::new(f64::INFINITY).step(&loss, model.parameters())
        });
        let loss = nn::mse(&model.forward(&x), &zeros([1, 1]));
        p.any("adam on NaN", || {
            nn::Adam::new(f64::NAN).step(&loss, model.parameters())
        });
        p.err("integer loss", || {
            nn::Sgd::new(0.1).step(&arange(3).sum(), model.parameters())
        });
    }),
    ("lazygrad_io::npy::read_npy", |p| {
        p.rejects_bad_paths("read_npy", |path| lazygrad_io::npy::read_npy(path));
    }),
    ("lazygrad_io::npz::read_npz", |p| {
        p.rejects_bad_paths("read_npz", |path| lazygrad_io::npz::read_npz(path));
    }),
    ("lazygrad_io::npy::decode", |p| {
        // One row for the three byte decoders the readers and the fuzz targets share.
        for bytes in [&b""[..], b"\x93NUMPY", b"PK\x05\x06", &[0xff; 64]] {
            p.err("npy", || lazygrad_io::npy::decode(bytes));
            p.err("npz", || lazygrad_io::npz::decode(bytes));
            p.err("image", || lazygrad_io::image::decode(bytes, None, 1 << 22));
            p.err("png", || lazygrad_io::image::decode(bytes, Some("png"), 0));
        }
    }),
    ("lazygrad_io::atomic::write_bytes", |p| {
        let dir = scratch("write_bytes");
        p.err("missing dir", || {
            lazygrad_io::atomic::write_bytes(dir.join("no/such.bin"), b"x")
        });
        p.err("a directory", || {
            lazygrad_io::atomic::write_bytes(&dir, b"x")
        });
        p.err("empty path", || lazygrad_io::atomic::write_bytes("", b"x"));
        p.ok("empty contents", || {
            lazygrad_io::atomic::write_bytes(dir.join("empty.bin"), b"")
        });
    }),
    ("lazygrad_io::atomic::write_atomic", |p| {
        let dir = scratch("write_atomic");
        p.err("failing writer", || {
            lazygrad_io::atomic::write_atomic(dir.join("a.bin"), |_| {
                Err(lazygrad_io::Error::io(
                    Path::new("a.bin"),
                    std::io::Error::other("refused"),
                ))
            })
        });
        p.err("missing dir", || {
            lazygrad_io::atomic::write_atomic(dir.join("no/such.bin"), |_| Ok(()))
        });
    }),
    ("lazygrad_io::npy::write_npy", |p| {
        let dir = scratch("write_npy");
        let empty = io_array([0, 3]);
        p.ok("zero-size", || {
            lazygrad_io::npy::write_npy(dir.join("zero.npy"), &empty)
        });
        p.err("missing directory", || {
            lazygrad_io::npy::write_npy(dir.join("no/such.npy"), &empty)
        });
    }),
    ("lazygrad_io::npy::write_npy_order", |p| {
        let dir = scratch("write_npy_order");
        let empty = io_array([3, 0]);
        p.ok("zero-size", || {
            lazygrad_io::npy::write_npy_order(dir.join("zero.npy"), &empty, Order::Fortran)
        });
        let back = p.ok("read back", || {
            lazygrad_io::npy::read_npy(dir.join("zero.npy"))
        });
        p.check(
            back.is_some_and(|a| a.shape == Shape::from([3, 0])),
            "read back",
        );
    }),
    ("lazygrad_io::npz::write_npz", |p| {
        let dir = scratch("write_npz");
        let empty = io_array([0]);
        p.ok("nothing", || {
            lazygrad_io::npz::write_npz(dir.join("none.npz"), &[])
        });
        p.any("odd names", || {
            lazygrad_io::npz::write_npz(dir.join("odd.npz"), &[("", &empty), ("../x", &empty)])
        });
        p.err("missing directory", || {
            lazygrad_io::npz::write_npz(dir.join("no/such.npz"), &[])
        });
    }),
    ("lazygrad_io::npz::write_npz_compressed", |p| {
        let dir = scratch("write_npz_compressed");
        let empty = io_array([0, 0]);
        p.ok("zero-size", || {
            lazygrad_io::npz::write_npz_compressed(dir.join("zero.npz"), &[("a", &empty)])
        });
        p.err("missing directory", || {
            lazygrad_io::npz::write_npz_compressed(dir.join("no/such.npz"), &[])
        });
    }),
    ("lazygrad_io::resize::resize", |p| {
        use lazygrad_io::resize::{Filter, resize};
        let image = io_array([2, 2]);
        for size in [(0, 0), (1, 0), (3, 3)] {
            for filter in [
                Filter::Nearest,
                Filter::Bilinear,
                Filter::Bicubic,
                Filter::Lanczos,
            ] {
                p.any(&format!("{size:?} {filter:?}"), || {
                    resize(&image, size, filter)
                });
            }
        }
        p.any("zero-size image", || {
            resize(&io_array([0, 4]), (2, 2), Filter::Bilinear)
        });
        p.err("4-d", || {
            resize(&io_array([1, 1, 1, 1]), (2, 2), Filter::Bilinear)
        });
    }),
    ("lazygrad_io::Array::new", |p| {
        use lazygrad_io::{Array, Buffer};
        for dim in HUGE {
            p.err(&format!("[{dim}, {dim}]"), || {
                Array::new([dim, dim], Buffer::U8(vec![1]))
            });
            p.any(&format!("[{dim}, 0]"), || {
                Array::new([dim, 0], Buffer::U8(vec![]))
            });
        }
        p.err("[usize::MAX, 0]", || {
            Array::new([usize::MAX, 0], Buffer::U8(vec![]))
        });
        p.ok("[0, 3]", || Array::new([0, 3], Buffer::F64(vec![])));
    }),
    // The manipulation and index helpers of issue 17 (the manip slice).
    ("try_column_stack", |p| {
        joining_row(p, lazygrad::try_column_stack);
        let res = p.ok("columns", || {
            lazygrad::try_column_stack(&[&arange(2), &arange(2)])
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<i64>() == [0, 0, 1, 1]),
            "columns",
        );
    }),
    ("try_dstack", |p| joining_row(p, lazygrad::try_dstack)),
    ("try_broadcast_arrays", |p| {
        p.ok("no arrays", || lazygrad::try_broadcast_arrays(&[]));
        p.err("mismatch", || {
            lazygrad::try_broadcast_arrays(&[&zeros([2]), &zeros([3])])
        });
        for (name, big) in huge() {
            p.any(name, || {
                lazygrad::try_broadcast_arrays(&[&big, &zeros([1])])
            });
        }
        let both = p.ok("2x3", || {
            lazygrad::try_broadcast_arrays(&[&zeros([2, 1]), &zeros([3])])
        });
        p.check(both.is_some_and(|b| b[1].shape() == [2, 3]), "2x3");
    }),
    ("try_append", |p| {
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || {
                lazygrad::try_append(&zeros([2, 2]), &zeros([1, 2]), Some(axis))
            });
        }
        p.err("shapes", || {
            lazygrad::try_append(&zeros([2, 2]), &zeros([3]), Some(0))
        });
        for (name, a) in small() {
            p.realized(name, || lazygrad::try_append(&a, &a, None));
        }
    }),
    ("try_delete", |p| {
        let a = arange(5);
        for index in EDGES {
            let res = p.call(&format!("index {index}"), || {
                lazygrad::try_delete(&a, index, None)
            });
            p.check(
                res.is_some_and(|r| r.is_ok() == (index == 0 || index == -1)),
                &format!("index {index}"),
            );
            p.any(&format!("axis {index}"), || {
                lazygrad::try_delete(&a, 0, Some(index))
            });
            p.any(&format!("range ..{index};{index}"), || {
                lazygrad::try_delete(&a, SliceArg::from(..index).step_by(index.max(1)), None)
            });
        }
        for index in [i64::MIN, -6, 5, i64::MAX] {
            p.err(&format!("array [{index}, 0]"), || {
                lazygrad::try_delete(&a, array([index, 0]), None)
            });
        }
        p.err("step 0", || {
            lazygrad::try_delete(&a, SliceArg::from(..).step_by(0), None)
        });
        p.err("float index", || {
            lazygrad::try_delete(&a, array([1.0]), None)
        });
        p.err("mask length", || {
            lazygrad::try_delete(&a, array([true]), None)
        });
        p.err("new axis", || {
            lazygrad::try_delete(&a, lazygrad::NewAxis, None)
        });
        p.err("0-d with an axis", || {
            lazygrad::try_delete(&array(1), 0, Some(0))
        });
        let res = p.ok("empty list", || {
            lazygrad::try_delete(&a, Tensor::from_vec(Vec::<i64>::new(), [0]), None)
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<i64>() == [0, 1, 2, 3, 4]),
            "empty list",
        );
        for (name, t) in small() {
            p.realized(name, || lazygrad::try_delete(&t, 0, None));
        }
    }),
    ("try_insert", |p| {
        let a = arange(5);
        for index in EDGES {
            let res = p.call(&format!("index {index}"), || {
                lazygrad::try_insert(&a, index, 7, None)
            });
            p.check(
                res.is_some_and(|r| r.is_ok() == (-5..=5).contains(&index)),
                &format!("index {index}"),
            );
            p.any(&format!("axis {index}"), || {
                lazygrad::try_insert(&a, 0, 7, Some(index))
            });
        }
        for index in [i64::MIN, -6, 6, i64::MAX] {
            p.err(&format!("array [{index}, 0]"), || {
                lazygrad::try_insert(&a, array([index, 0]), 7, None)
            });
        }
        p.err("2-d index", || {
            lazygrad::try_insert(&a, array([[1]]), 7, None)
        });
        p.err("2-d mask", || {
            lazygrad::try_insert(&a, array([[true]]), 7, None)
        });
        p.err("float index", || {
            lazygrad::try_insert(&a, array([1.0]), 7, None)
        });
        p.err("values shape", || {
            lazygrad::try_insert(&a, array([1, 2]), arange(3), None)
        });
        let bytes = Tensor::from_vec(vec![1u8, 2], [2]);
        p.err("uint8 300", || lazygrad::try_insert(&bytes, 0, 300, None));
        let res = p.ok("empty list", || {
            lazygrad::try_insert(&a, Tensor::from_vec(Vec::<i64>::new(), [0]), 7, None)
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<i64>() == [0, 1, 2, 3, 4]),
            "empty list",
        );
        for (name, t) in small() {
            p.realized(name, || lazygrad::try_insert(&t, 0, &t, None));
        }
    }),
    ("try_unravel_index", |p| {
        for index in [i64::MIN, -1, 6, i64::MAX] {
            p.err(&format!("index {index}"), || {
                lazygrad::try_unravel_index(&array([index]), [2, 3])
            });
        }
        p.err("float", || {
            lazygrad::try_unravel_index(&array([1.0]), [2, 3])
        });
        p.err("empty shape", || {
            lazygrad::try_unravel_index(&array([0]), [0])
        });
        for dim in HUGE {
            p.any(&format!("[{dim}, {dim}]"), || {
                lazygrad::try_unravel_index(&array([5]), [dim, dim])
            });
            p.any(&format!("[{dim}]"), || {
                lazygrad::try_unravel_index(&array([5]), [dim])
            });
        }
        let res = p.ok("22 in (7, 6)", || {
            lazygrad::try_unravel_index(&array([22]), [7, 6])
        });
        p.check(
            res.is_some_and(|c| c[0].to_vec::<i64>() == [3] && c[1].to_vec::<i64>() == [4]),
            "22 in (7, 6)",
        );
    }),
    ("try_ravel_multi_index", |p| {
        for coord in [i64::MIN, -1, 2, i64::MAX] {
            p.err(&format!("coordinate {coord}"), || {
                lazygrad::try_ravel_multi_index(&[&array([coord]), &array([0])], [2, 3])
            });
        }
        p.err("one array for two axes", || {
            lazygrad::try_ravel_multi_index(&[&array([0])], [2, 3])
        });
        p.err("float", || {
            lazygrad::try_ravel_multi_index(&[&array([0.0])], [2])
        });
        p.err("mismatch", || {
            lazygrad::try_ravel_multi_index(&[&array([0, 1]), &array([0, 1, 2])], [2, 3])
        });
        for dim in HUGE {
            p.any(&format!("[{dim}, {dim}]"), || {
                lazygrad::try_ravel_multi_index(&[&array([1]), &array([1])], [dim, dim])
            });
        }
        let res = p.ok("(3, 4) in (7, 6)", || {
            lazygrad::try_ravel_multi_index(&[&array([3]), &array([4])], [7, 6])
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<i64>() == [22]),
            "(3, 4) in (7, 6)",
        );
    }),
    ("try_flatnonzero", |p| {
        for (name, a) in small() {
            p.ok(name, || a.try_flatnonzero());
        }
    }),
    ("try_roll", |p| {
        for shift in EDGES {
            for axis in EDGES {
                p.any(&format!("{shift} along {axis}"), || {
                    arange(5).try_roll(shift, Some(axis))
                });
            }
            let res = p.ok(&format!("{shift} flat"), || arange(5).try_roll(shift, None));
            let expected: Vec<i64> = (0..5i128)
                .map(|i| (i - shift as i128).rem_euclid(5) as i64)
                .collect();
            p.check(
                res.is_some_and(|t| t.to_vec::<i64>() == expected),
                &format!("{shift} flat"),
            );
        }
        for (name, a) in small() {
            p.realized(name, || a.try_roll(3, None));
        }
    }),
    ("try_roll_axes", |p| {
        let a = zeros([2, 3]);
        p.err("lengths", || a.try_roll_axes(&[1, 2], &[0, 1, 0]));
        p.ok("no axes", || a.try_roll_axes(&[], &[]));
        for shift in EDGES {
            p.any(&format!("{shift}"), || {
                a.try_roll_axes(&[shift, shift], &[1, 1])
            });
            p.any(&format!("axis {shift}"), || {
                a.try_roll_axes(&[1], &[0, shift])
            });
        }
    }),
    ("try_rot90", |p| {
        for k in EDGES {
            for axis in EDGES {
                p.any(&format!("k {k} axes (0, {axis})"), || {
                    zeros([2, 3]).try_rot90(k, [0, axis])
                });
            }
        }
        p.err("same axes", || zeros([2, 3]).try_rot90(1, [1, 1]));
        p.err("1-d", || zeros([3]).try_rot90(1, [0, 1]));
        for (name, a) in small() {
            p.any(name, || a.try_rot90(1, [0, -1]));
        }
    }),
    ("try_moveaxis", |p| {
        let a = zeros([2, 3, 4]);
        for axis in EDGES {
            p.any(&format!("{axis} to 0"), || a.try_moveaxis(axis, 0));
            p.any(&format!("0 to {axis}"), || a.try_moveaxis(0, axis));
        }
        p.err("repeated source", || a.try_moveaxis([0, 0], [1, 2]));
        p.err("repeated destination", || a.try_moveaxis([0, 1], [2, -1]));
        p.err("lengths", || a.try_moveaxis([0], [1, 2]));
        let res = p.ok("0 to -1", || a.try_moveaxis(0, -1));
        p.check(res.is_some_and(|t| t.shape() == [3, 4, 2]), "0 to -1");
    }),
    ("try_repeat_counts", |p| {
        let a = arange(3);
        for count in [i64::MIN, -1, i64::MAX, 1 << 62] {
            p.err(&format!("one count {count}"), || {
                a.try_repeat_counts(&array([count]), None)
            });
            p.err(&format!("counts [{count}, {count}, 1]"), || {
                a.try_repeat_counts(&array([count, count, 1]), None)
            });
        }
        p.err("float counts", || a.try_repeat_counts(&array([1.0]), None));
        p.err("2-d counts", || a.try_repeat_counts(&array([[1]]), None));
        p.err("lengths", || a.try_repeat_counts(&array([1, 2]), None));
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || {
                a.try_repeat_counts(&array([1, 2, 3]), Some(axis))
            });
        }
        for (name, t) in small() {
            p.realized(name, || t.try_repeat_counts(&array([2]), None));
        }
    }),
    ("try_array_split", |p| {
        let a = arange(5);
        p.err("zero sections", || a.try_array_split(0, 0));
        for sections in [usize::MAX, isize::MAX as usize, 1 << 62, 1 << 40] {
            p.err(&format!("{sections} sections"), || {
                a.try_array_split(sections, 0)
            });
        }
        for axis in EDGES {
            p.any(&format!("axis {axis}"), || a.try_array_split(2, axis));
        }
        let parts = p.ok("7 in 3", || arange(7).try_array_split(3, 0));
        p.check(
            parts.is_some_and(|p| p.iter().map(Tensor::size).eq([3, 2, 2])),
            "7 in 3",
        );
    }),
    ("try_hsplit", |p| {
        p.err("0-d", || array(1).try_hsplit(1));
        p.err("zero sections", || arange(4).try_hsplit(0));
        p.err("unequal", || arange(4).try_hsplit(3));
        for sections in HUGE {
            p.err(&format!("{sections} of an empty axis"), || {
                zeros([0]).try_hsplit(sections)
            });
        }
        p.ok("2 of 4", || arange(4).try_hsplit(2));
    }),
    ("try_vsplit", |p| {
        p.err("1-d", || arange(4).try_vsplit(2));
        p.err("unequal", || zeros([3, 2]).try_vsplit(2));
        for sections in HUGE {
            p.err(&format!("{sections} of an empty axis"), || {
                zeros([0, 2]).try_vsplit(sections)
            });
        }
        p.ok("3 of 3", || zeros([3, 2]).try_vsplit(3));
    }),
    ("try_fill_diagonal", |p| {
        p.err("1-d", || arange(3).try_fill_diagonal(1));
        p.err("unequal 3-d", || zeros([2, 3, 2]).try_fill_diagonal(1));
        let same = p.ok("empty values", || {
            zeros([2, 2]).try_fill_diagonal(zeros([0]))
        });
        p.check(
            same.is_some_and(|t| t.to_vec::<f64>() == [0.0; 4]),
            "empty values",
        );
        let bytes = Tensor::from_vec(vec![1u8, 2, 3, 4], [2, 2]);
        p.err("uint8 300", || bytes.try_fill_diagonal(300));
        for (name, a) in small() {
            p.realized(name, || a.try_fill_diagonal(f64::NAN));
        }
        for (name, big) in huge() {
            p.any(name, || big.try_fill_diagonal(1.0));
        }
        let res = p.ok("cycled values", || {
            zeros([3, 3]).try_fill_diagonal(array([1.0, 2.0]))
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<f64>() == [1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 1.0]),
            "cycled values",
        );
    }),
    ("try_choose", |p| {
        let c = arange(2);
        for index in [i64::MIN, -1, 2, i64::MAX] {
            p.err(&format!("index {index}"), || {
                lazygrad::try_choose(&array([0, index]), &[&c, &c])
            });
        }
        p.err("no choices", || lazygrad::try_choose(&array([0]), &[]));
        p.err("float index", || lazygrad::try_choose(&array([0.0]), &[&c]));
        p.err("mismatch", || {
            lazygrad::try_choose(&array([0, 0, 0]), &[&c])
        });
        for (name, a) in small() {
            p.realized(name, || lazygrad::try_choose(&array(0), &[&a, &a]));
        }
    }),
    ("try_select", |p| {
        let a = arange(3);
        p.err("empty", || lazygrad::try_select(&[], &[], 0));
        p.err("lengths", || {
            lazygrad::try_select(&[&a.gt(0)], &[&a, &a], 0)
        });
        p.err("not bool", || lazygrad::try_select(&[&a], &[&a], 0));
        p.err("mismatch", || {
            lazygrad::try_select(&[&a.gt(0)], &[&arange(2)], 0)
        });
        let bytes = Tensor::from_vec(vec![1u8, 2, 3], [3]);
        p.err("uint8 default 300", || {
            lazygrad::try_select(&[&a.gt(0)], &[&bytes], 300)
        });
        for (name, t) in small() {
            p.realized(name, || lazygrad::try_select(&[&t.gt(0)], &[&t], f64::NAN));
        }
    }),
    ("try_tril_indices", |p| {
        for n in HUGE {
            p.err(&format!("{n}"), || lazygrad::try_tril_indices(n, 0, None));
            let empty = p.call(&format!("{n} by 0"), || {
                lazygrad::try_tril_indices(n, 0, Some(0))
            });
            p.check(
                empty.is_some_and(|res| res.is_err() || res.is_ok_and(|(r, _)| r.size() == 0)),
                &format!("{n} by 0"),
            );
        }
        let empty = p.ok("1 << 40 by 0", || {
            lazygrad::try_tril_indices(1 << 40, 0, Some(0))
        });
        p.check(
            empty.is_some_and(|(r, c)| r.size() == 0 && c.size() == 0),
            "1 << 40 by 0",
        );
        for k in EDGES {
            let res = p.ok(&format!("k {k}"), || {
                lazygrad::try_tril_indices(3, k, Some(2))
            });
            let expected = (0..3i64)
                .flat_map(|r| (0..2i64).map(move |c| (r, c)))
                .filter(|(r, c)| (c - r) as i128 <= k as i128)
                .count();
            p.check(
                res.is_some_and(|(r, _)| r.size() == expected),
                &format!("k {k}"),
            );
        }
    }),
    ("try_triu_indices", |p| {
        for n in HUGE {
            p.err(&format!("{n}"), || lazygrad::try_triu_indices(n, 0, None));
        }
        for k in EDGES {
            p.ok(&format!("k {k}"), || {
                lazygrad::try_triu_indices(2, k, Some(3))
            });
        }
    }),
    ("try_diag_indices", |p| {
        for n in HUGE {
            p.err(&format!("n {n}"), || lazygrad::try_diag_indices(n, 2));
        }
        for ndim in [usize::MAX, isize::MAX as usize, 1 << 62, 1 << 40] {
            p.err(&format!("ndim {ndim}"), || {
                lazygrad::try_diag_indices(2, ndim)
            });
        }
        let res = p.ok("3, 0", || lazygrad::try_diag_indices(3, 0));
        p.check(res.is_some_and(|d| d.is_empty()), "3, 0");
    }),
    ("try_ix_", |p| {
        p.ok("no arrays", || lazygrad::try_ix_(&[]));
        p.err("2-d", || lazygrad::try_ix_(&[&zeros([2, 2])]));
        p.err("0-d", || lazygrad::try_ix_(&[&array(1)]));
        p.err("float", || lazygrad::try_ix_(&[&array([1.0])]));
        let res = p.ok("mask", || {
            lazygrad::try_ix_(&[&array([true, false, true]), &arange(2)])
        });
        p.check(
            res.is_some_and(|ix| ix[0].to_vec::<i64>() == [0, 2] && ix[1].shape() == [1, 2]),
            "mask",
        );
    }),
    ("try_geomspace", |p| {
        for (start, stop) in [(0.0, 1.0), (1.0, 0.0), (-0.0, 1.0)] {
            p.err(&format!("{start} to {stop}"), || {
                lazygrad::try_geomspace(start, stop, 3, true)
            });
        }
        for start in FLOATS {
            for stop in FLOATS {
                if start != 0.0 && stop != 0.0 {
                    p.realized(&format!("{start} to {stop}"), || {
                        lazygrad::try_geomspace(start, stop, 4, true)
                    });
                }
            }
        }
        for num in HUGE {
            p.err(&format!("num {num}"), || {
                lazygrad::try_geomspace(1.0, 2.0, num, false)
            });
        }
        let res = p.ok("1 to 1000", || {
            lazygrad::try_geomspace(1.0, 1000.0, 4, true)
        });
        p.check(
            res.is_some_and(|t| t.to_vec::<f64>() == [1.0, 10.0, 100.0, 1000.0]),
            "1 to 1000",
        );
    }),
];

/// Whether an 8-byte array of `len` elements fits the address space (`None`: the length overflowed).
fn fits_f64(len: Option<usize>) -> bool {
    len.and_then(|len| len.checked_mul(8))
        .is_some_and(|bytes| bytes <= isize::MAX as usize)
}

/// A float64 `lazygrad_io` array of `shape` holding zeros.
fn io_array<const N: usize>(shape: [usize; N]) -> lazygrad_io::Array {
    let shape = Shape::from(shape);
    let data = lazygrad_io::Buffer::F64(vec![0.0; shape.size()]);
    lazygrad_io::Array::new(shape, data).expect("a shape that fits its data")
}

/// The `arange` case `(start, stop, step)` in float64, checked against numpy's length rule.
fn arange_case(p: &mut Probe, start: f64, stop: f64, step: f64) {
    let case = format!("arange({start:e}, {stop:e}, {step:e})");
    let quotient = (stop - start) / step;
    // Lengths that fit but need more memory than a test has wait for fallible allocation.
    if quotient.is_finite() && quotient > (1u64 << 24) as f64 && quotient < 1e19 {
        return;
    }
    let Some(res) = p.call(&case, || lazygrad::try_arange_step(start, stop, step)) else {
        return;
    };
    let expected_len = if step == 0.0 || quotient.is_nan() || quotient.ceil() >= 1e19 {
        None
    } else if quotient == 0.0 && stop - start != 0.0 {
        Some(usize::from(quotient.is_sign_positive()))
    } else {
        Some(quotient.ceil().max(0.0) as usize)
    };
    match (res, expected_len) {
        (Ok(t), Some(len)) => {
            let values = t.to_vec::<f64>();
            // numpy stores `start` itself first, then `start + i * step`.
            let want: Vec<f64> = (0..len)
                .map(|i| {
                    if i == 0 {
                        start
                    } else {
                        start + i as f64 * step
                    }
                })
                .collect();
            let same = values.len() == want.len()
                && values
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
            p.check(same, &case);
        }
        (Err(_), None) => {}
        (Ok(t), None) => p
            .failures
            .push(format!("{case}: Ok of {:?}, expected Err", t.shape())),
        (Err(err), Some(len)) => p
            .failures
            .push(format!("{case}: Err({err}), expected {len} values")),
    }
}

/// The `arange` case `(start, stop, step)` in int64: exact lengths and values.
fn arange_int_case(p: &mut Probe, start: i64, stop: i64, step: i64) {
    let case = format!("arange({start}, {stop}, {step})");
    let Some(res) = p.call(&case, || lazygrad::try_arange_step(start, stop, step)) else {
        return;
    };
    let span = i128::from(stop) - i128::from(start);
    let len = if step == 0 {
        None
    } else {
        let step = i128::from(step);
        Some(((span + step - step.signum()) / step).max(0))
    };
    match (res, len) {
        (Err(_), None) => {}
        (Ok(_), None) => p.failures.push(format!("{case}: Ok for a zero step")),
        (Err(_), Some(len)) if len * 8 > isize::MAX as i128 => {}
        (Err(err), Some(len)) => p
            .failures
            .push(format!("{case}: Err({err}), expected {len} values")),
        (Ok(t), Some(len)) => {
            let want: Vec<i64> = (0..len)
                .map(|i| (i128::from(start) + i * i128::from(step)) as i64)
                .collect();
            p.check(t.to_vec::<i64>() == want, &case);
        }
    }
}

/// Rows whose sizes fit in `isize` but in no memory: requests of 2^58 bytes or more, which the
/// allocator refuses under every overcommit policy (beyond a 57-bit address space), so each is
/// `Error::OutOfMemory` (or another error found first), never an abort.
const NEEDS_FALLIBLE_ALLOC: &[(&str, Row)] = &[
    ("try_realize of zeros([1 << 55])", |p| {
        p.err("zeros", || zeros([1 << 55]).try_realize());
        p.err("exp", || zeros([1 << 55]).exp().try_realize());
    }),
    ("try_vjp of a huge input that requires grad", |p| {
        p.err("vjp", || {
            let x = array([1.0]).requires_grad();
            let big = x.try_broadcast_to(&Shape::new(&[1 << 55]))?;
            // The gradient with respect to the broadcast itself has its 2^55 elements.
            let grads = big.exp().try_vjp(&[&big], &zeros([1 << 55]))?;
            grads[0].try_realize()
        });
    }),
    ("try_index_put into a huge broadcast", |p| {
        p.err("index_put", || zeros([1 << 55]).try_index_put(s![0], 1.0));
    }),
    ("try_to_vec of a huge broadcast", |p| {
        p.err("to_vec", || zeros([1 << 28, 1 << 27]).try_to_vec::<f64>());
    }),
    ("try_arange_step of 1e18 values", |p| {
        p.err("arange", || lazygrad::try_arange_step(0.0, 1e18, 1.0));
    }),
    (
        "try_matmul with an output of 1<<55 elements, realized",
        |p| {
            p.err("matmul", || {
                zeros([1 << 28, 1])
                    .try_matmul(&zeros([1, 1 << 27]))?
                    .try_realize()
            });
        },
    ),
    ("try_nonzero of a huge broadcast", |p| {
        p.err("nonzero", || zeros([1 << 55]).try_nonzero());
    }),
    ("try_as_strided of a huge broadcast", |p| {
        p.err("as_strided", || {
            zeros([1 << 55]).try_as_strided([1], &[1], 0)
        });
    }),
    ("io::imresize to (1 << 28, 1 << 28)", |p| {
        p.err("imresize", || {
            io::imresize(&zeros([4, 4, 3]), (1 << 28, 1 << 28))
        });
    }),
    ("random samplers of 1 << 55 values", |p| {
        let mut rng = Generator::new(0);
        let n = 1usize << 55;
        p.err("integers", || rng.try_integers(0, 2, [n]));
        p.err("normal", || rng.try_normal(0.0, 1.0, [n]));
        p.err("multinomial", || {
            rng.try_multinomial(5, &[0.5, 0.5], [n / 2])
        });
        p.err("permutation", || rng.try_permutation(n as i64));
        p.err("permutation of a broadcast", || {
            rng.try_permutation(zeros([n]))
        });
        p.err("choice with replacement", || {
            rng.try_choice(2, [n], true, None)
        });
        p.err("choice with p", || {
            rng.try_choice(2, [n], true, Some(&[0.5, 0.5]))
        });
        // Below half the population, draws that retry need a set of `n` indices.
        p.err("choice of a few", || {
            rng.try_choice(i64::MAX, [n], false, None)
        });
        // At least half, a partial shuffle needs the whole population.
        p.err("choice of most", || {
            rng.try_choice(n as i64 + 1, [n], false, None)
        });
    }),
    ("io::save of a huge broadcast", |p| {
        let path = scratch("save_huge").join("huge.npy");
        p.err("save", || io::save(&path, &zeros([1 << 55])));
    }),
    ("try_delete and try_insert along a huge broadcast", |p| {
        let big = zeros([1 << 55]);
        p.err("delete", || lazygrad::try_delete(&big, 0, None));
        p.err("insert a list", || {
            lazygrad::try_insert(&big, array([0, 1]), 1.0, None)
        });
        p.err("flatnonzero", || big.try_flatnonzero());
        p.err("repeat_counts", || {
            arange(2).try_repeat_counts(&array([1i64 << 58, 1]), None)
        });
    }),
];

/// Runs every row on its own thread, so a hang fails the row instead of the whole run.
fn run_rows(rows: &[(&'static str, Row)]) {
    let mut failures = Vec::new();
    for &(name, row) in rows {
        let (send, receive) = mpsc::channel();
        std::thread::Builder::new()
            .name(format!("hostile {name}"))
            .spawn(move || {
                let mut probe = Probe::default();
                let outcome = catch_unwind(AssertUnwindSafe(|| row(&mut probe)));
                if let Err(payload) = outcome {
                    probe.failures.push(format!(
                        "panicked outside a probe: {}",
                        panic_message(&*payload)
                    ));
                }
                // The receiver is gone only if the row timed out, which was already reported.
                let _ = send.send(probe.failures);
            })
            .expect("spawning a thread");
        match receive.recv_timeout(Duration::from_secs(300)) {
            Ok(found) => failures.extend(found.into_iter().map(|f| format!("{name}: {f}"))),
            Err(_) => failures.push(format!("{name}: did not return within 300 s")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn try_never_panics() {
    run_rows(TRY_FNS);
}

#[test]
fn try_ufuncs_never_panic() {
    run_rows(BINARY_FNS);
    run_rows(UNARY_FNS);
}

#[test]
fn every_needs_fallible_alloc_row_returns_err() {
    run_rows(NEEDS_FALLIBLE_ALLOC);
}

/// The names of the public fallible functions in `src/` and `crates/lazygrad-io/src/`: every
/// `pub fn try_..`, every `try_..` a ufunc macro row generates, and every `pub fn` of the io
/// modules (`src/io.rs`, `src/nn/`, `crates/lazygrad-io/src/`) whose signature returns `Result`.
fn fallible_functions() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "crates/lazygrad-io/src"] {
        collect_rs(&root.join(dir), &mut files);
    }
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let rel = file
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let io_module = rel == "src/io.rs"
            || rel.starts_with("src/nn/")
            || rel.starts_with("crates/lazygrad-io/");
        for (idx, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("pub fn try_") {
                names.push(format!("try_{}", identifier(rest)));
            } else if let Some((_, rest)) = trimmed.split_once(", try_")
                && trimmed.split(',').next().is_some_and(|first| {
                    first
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                })
            {
                // A ufunc macro row: `add, try_add, "add" => ...;` or `sqrt, try_sqrt => Sqrt;`.
                names.push(format!("try_{}", identifier(rest)));
            } else if io_module && let Some(rest) = trimmed.strip_prefix("pub fn ") {
                let signature: String =
                    text.lines().skip(idx).take(8).collect::<Vec<_>>().join(" ");
                let signature = signature.split('{').next().unwrap_or("");
                if signature.contains("-> Result<") {
                    names.push(identifier(rest).to_string());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The identifier at the start of `text`.
fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Every `.rs` file under `dir`.
fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn tidy_every_fallible_function_has_a_row() {
    let rows: Vec<&str> = TRY_FNS
        .iter()
        .chain(BINARY_FNS)
        .chain(UNARY_FNS)
        .map(|(name, _)| *name)
        .collect();
    // A row's name is the function's, with its module path for the io functions.
    let covered = |name: &str| {
        rows.iter()
            .any(|row| *row == name || row.rsplit("::").next() == Some(name))
    };
    let found = fallible_functions();
    assert!(found.len() >= 40, "the scan found only {found:?}");
    let missing: Vec<&String> = found.iter().filter(|name| !covered(name)).collect();
    assert!(
        missing.is_empty(),
        "public fallible functions without a row in tests/it/hostile.rs: {missing:?}"
    );
}

// Properties over numeric arguments, against reference implementations.

/// Python's `range(*slice(start, stop, step).indices(len))`, computed in i128.
fn python_slice(len: i128, start: Option<i128>, stop: Option<i128>, step: i128) -> Vec<i64> {
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let bound = |value: Option<i128>, default: i128| match value {
        None => default,
        Some(v) => {
            let v = if v < 0 { v + len } else { v };
            v.clamp(lower, upper)
        }
    };
    let (mut at, stop) = if step < 0 {
        (bound(start, upper), bound(stop, lower))
    } else {
        (bound(start, lower), bound(stop, upper))
    };
    let mut res = Vec::new();
    while (step > 0 && at < stop) || (step < 0 && at > stop) {
        res.push(at as i64);
        at += step;
    }
    res
}

/// Signed arguments: the edges, or small values that land inside small arrays.
fn signed() -> impl Strategy<Value = isize> {
    prop_oneof![prop::sample::select(EDGES.to_vec()), -8isize..8]
}

/// Unsigned arguments: the huge extents, or small ones.
fn unsigned() -> impl Strategy<Value = usize> {
    prop_oneof![prop::sample::select(HUGE.to_vec()), 0usize..5]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn slices_follow_python(
        len in 0usize..7,
        start in proptest::option::of(signed()),
        stop in proptest::option::of(signed()),
        step in signed(),
    ) {
        let a = arange(len as i64);
        let res = a.try_slice(vec![SliceArg::Range { start, stop, step }]);
        if step == 0 {
            prop_assert!(res.is_err());
        } else {
            let want = python_slice(len as i128, start.map(|v| v as i128), stop.map(|v| v as i128), step as i128);
            prop_assert_eq!(res.unwrap().to_vec::<i64>(), want);
        }
    }

    #[test]
    fn as_strided_reads_exactly_the_reachable_elements(
        len in 0usize..7,
        shape in prop::collection::vec(prop_oneof![0usize..4, prop::sample::select(HUGE.to_vec())], 1..3),
        strides in prop::collection::vec(signed(), 2),
        offset in unsigned(),
    ) {
        let a = arange(len as i64);
        let strides = &strides[..shape.len()];
        let res = a.try_as_strided(&shape[..], strides, offset);
        // The reference, in i128: numpy's size rule, then the lowest and highest index read.
        let bytes = shape.iter().filter(|&&d| d != 0).fold(8u128, |acc, &d| acc.saturating_mul(d as u128));
        let (mut lo, mut hi) = (offset as i128, offset as i128);
        for (&dim, &stride) in shape.iter().zip(strides) {
            // Saturating: only shapes that fit get this far in the checks below, but two
            // extreme axes can still pass i128's range.
            let reach = (dim as i128 - 1).saturating_mul(stride as i128);
            if reach < 0 { lo = lo.saturating_add(reach) } else { hi = hi.saturating_add(reach) }
        }
        if bytes > isize::MAX as u128 {
            prop_assert!(res.is_err(), "accepted a view too big: {:?}", shape);
        } else if shape.contains(&0) {
            prop_assert_eq!(res.unwrap().size(), 0);
        } else if lo < 0 || hi >= len as i128 {
            prop_assert!(res.is_err(), "accepted a view reaching {}..={} of {}", lo, hi, len);
        } else {
            let view = res.unwrap();
            prop_assert_eq!(view.shape(), &shape[..]);
            let size: usize = shape.iter().product();
            if size <= 64 {
                let want: Vec<i64> = (0..size)
                    .map(|flat| {
                        let mut rest = flat;
                        let mut at = offset as i128;
                        for axis in (0..shape.len()).rev() {
                            at += (rest % shape[axis]) as i128 * strides[axis] as i128;
                            rest /= shape[axis];
                        }
                        at as i64
                    })
                    .collect();
                prop_assert_eq!(view.to_vec::<i64>(), want);
            }
        }
    }

    #[test]
    fn reshape_keeps_the_size_or_fails(
        len in 0usize..13,
        dims in prop::collection::vec(prop_oneof![Just(-1isize), signed(), prop::sample::select(HUGE.iter().map(|&d| d as isize).collect::<Vec<_>>())], 0..4),
    ) {
        let a = arange(len as i64);
        if let Ok(t) = a.try_reshape(&dims[..]) {
            prop_assert_eq!(t.size(), len);
            for (&got, &asked) in t.shape().iter().zip(&dims) {
                prop_assert!(asked == -1 || got as isize == asked);
            }
            prop_assert_eq!(t.to_vec::<i64>(), (0..len as i64).collect::<Vec<_>>());
        }
        let unsigned: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
        if let Ok(t) = a.try_reshape(&unsigned[..]) {
            prop_assert_eq!(t.shape(), &unsigned[..]);
        }
    }

    #[test]
    fn pad_and_broadcast_give_the_asked_shape_or_fail(
        widths in prop::collection::vec((unsigned(), unsigned()), 2),
        shape in prop::collection::vec(unsigned(), 0..4),
    ) {
        let a = zeros([2, 1]);
        if let Ok(t) = a.try_pad(&widths, 1.0) {
            let want: Vec<usize> = [2, 1].iter().zip(&widths).map(|(d, (b, e))| d + b + e).collect();
            prop_assert_eq!(t.shape(), &want[..]);
            if t.size() <= 1 << 12 {
                let total: f64 = t.to_vec::<f64>().iter().sum();
                prop_assert_eq!(total as usize, t.size() - 2);
            }
        }
        if let Ok(t) = a.try_broadcast_to(&Shape::from(shape.clone())) {
            prop_assert_eq!(t.shape(), &shape[..]);
        }
        let data = vec![0u8; 4];
        if let Ok(t) = Tensor::try_from_vec(data, shape.clone()) {
            prop_assert_eq!(t.shape(), &shape[..]);
            prop_assert_eq!(t.size(), 4);
        }
    }

    #[test]
    fn integer_ufuncs_at_the_edges_compute(
        lhs in prop::sample::select(vec![i64::MIN, i64::MIN + 1, -1, 0, 1, 2, i64::MAX]),
        rhs in prop::sample::select(vec![i64::MIN, -1, 0, 1, 2, 63, 64, i64::MAX]),
        int32 in any::<bool>(),
    ) {
        let (a, b) = if int32 {
            let narrow = |v: i64| v.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
            (Tensor::from_vec(vec![narrow(lhs)], [1]), Tensor::from_vec(vec![narrow(rhs)], [1]))
        } else {
            (array([lhs]), array([rhs]))
        };
        let ops: [fn(&Tensor, &Tensor) -> lazygrad::Result<Tensor>; 6] = [
            |a, b| a.try_floor_divide(b),
            |a, b| a.try_remainder(b),
            |a, b| a.try_pow(b),
            |a, b| a.try_multiply(b),
            |a, b| a.try_add(b),
            |a, b| a.try_subtract(b),
        ];
        for op in ops {
            if let Ok(t) = op(&a, &b) {
                t.try_realize()?;
            }
        }
        for op in [Tensor::try_abs, Tensor::try_negative, Tensor::try_sign] {
            op(&a)?.try_realize()?;
        }
        a.try_reduce(Reduction::CumProd, None, false)?.try_realize()?;
        a.try_reduce(Reduction::Sum, None, false)?.try_realize()?;
    }
}
