//! lazygrad's matrix product against numpy's own OpenBLAS, call by call in one process.
//!
//! ```text
//! cargo bench --bench openblas_paired -- --dtype f64 --shape 1024,1024,1024 --rounds 20
//! OPENBLAS_NUM_THREADS=1 RAYON_NUM_THREADS=1 cargo bench --bench openblas_paired -- --dtype f32
//! ```
//!
//! This project's VM changes speed within seconds, so two programs timed one after the other
//! can differ by more than the libraries do. This one loads the OpenBLAS library that numpy's
//! wheel ships (found through `python3`, or given with `--lib`) and alternates in one process:
//! `--calls` products `a.matmul(&b)` realized by lazygrad, then as many `cblas_?gemm` calls on
//! the same numbers into a reused output, for `--rounds` rounds. It prints each round's medians
//! and the median of the rounds' ratios. Inputs are on huge pages on both sides, as numpy's are.
//! OpenBLAS's threads spin for a while after a call, so each round sleeps 300 ms after them
//! before lazygrad runs; rayon's threads sleep instead, so they leave OpenBLAS alone.

use lazygrad::random::Generator;
use lazygrad::{DType, Storage};
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: openblas_paired [--dtype f32|f64] [--shape M,K,N] [--rounds R] [--calls C] [--lib PATH]

  --dtype   float32 or float64 products (f64)
  --shape   a is MxK, b is KxN (1024,1024,1024)
  --rounds  alternations of the two libraries (20)
  --calls   products per library per round (3)
  --lib     numpy's OpenBLAS library (found through python3 by default)
";

/// The row-major, no-transpose `cblas_?gemm` of an OpenBLAS built with 64-bit integers, as
/// numpy's wheels ship it.
type Gemm<T> = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    i64,
    i64,
    i64,
    T,
    *const T,
    i64,
    *const T,
    i64,
    T,
    *mut T,
    i64,
);

/// CBLAS's `CblasRowMajor` and `CblasNoTrans`.
const ROW_MAJOR: c_int = 101;
const NO_TRANS: c_int = 111;

/// The element types with a `cblas_?gemm`.
trait Blas: Storage + Copy + Into<f64> {
    /// The symbol of the matching gemm in numpy's OpenBLAS.
    const SYMBOL: &'static CStr;
    /// One and zero, for `alpha` and `beta`.
    const ALPHA: Self;
    const BETA: Self;
}

impl Blas for f32 {
    const SYMBOL: &'static CStr = c"scipy_cblas_sgemm64_";
    const ALPHA: Self = 1.0;
    const BETA: Self = 0.0;
}

impl Blas for f64 {
    const SYMBOL: &'static CStr = c"scipy_cblas_dgemm64_";
    const ALPHA: Self = 1.0;
    const BETA: Self = 0.0;
}

struct Args {
    dtype: DType,
    shape: [usize; 3],
    rounds: usize,
    calls: usize,
    lib: Option<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        dtype: DType::F64,
        shape: [1024; 3],
        rounds: 20,
        calls: 3,
        lib: None,
    };
    let number = |text: &str| {
        text.parse::<usize>()
            .map_err(|err| format!("{text}: {err}"))
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--dtype" => {
                parsed.dtype = match value()?.as_str() {
                    "f32" | "float32" => DType::F32,
                    "f64" | "float64" => DType::F64,
                    other => return Err(format!("--dtype: expected f32 or f64, got {other}")),
                }
            }
            "--shape" => {
                let dims = value()?
                    .split(',')
                    .map(number)
                    .collect::<Result<Vec<_>, _>>()?;
                parsed.shape = dims
                    .try_into()
                    .map_err(|_| "--shape takes three sizes, M,K,N".to_string())?;
            }
            "--rounds" => parsed.rounds = number(&value()?)?.max(1),
            "--calls" => parsed.calls = number(&value()?)?.max(1),
            "--lib" => parsed.lib = Some(value()?),
            // `cargo bench` passes `--bench` to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(parsed)
}

/// The path of the OpenBLAS library inside the numpy that `python3` imports.
fn numpy_openblas() -> Result<String, String> {
    let script = "import glob, os, numpy; \
        d = os.path.join(os.path.dirname(numpy.__file__), '..', 'numpy.libs'); \
        print(sorted(glob.glob(os.path.join(d, 'libscipy_openblas*.so')))[0])";
    let output = Command::new("python3")
        .args(["-c", script])
        .output()
        .map_err(|err| format!("running python3: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "python3 found no OpenBLAS in numpy's wheel: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Loads `T`'s gemm from the library at `path`.
fn load<T: Blas>(path: &str) -> Result<Gemm<T>, String> {
    let path_c = CString::new(path).map_err(|_| format!("{path}: contains a NUL byte"))?;
    // SAFETY: both strings are NUL-terminated and outlive the calls; loading a shared library
    // runs its initializers, which for OpenBLAS only set up its threads and kernels.
    let symbol = unsafe {
        let handle = libc::dlopen(path_c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        if handle.is_null() {
            let err = CStr::from_ptr(libc::dlerror() as *const c_char);
            return Err(format!("dlopen {path}: {}", err.to_string_lossy()));
        }
        libc::dlsym(handle, T::SYMBOL.as_ptr())
    };
    if symbol.is_null() {
        return Err(format!("{path} has no {}", T::SYMBOL.to_string_lossy()));
    }
    // SAFETY: the symbol is OpenBLAS's ILP64 `cblas_?gemm` for `T`, whose C signature is
    // `Gemm<T>`; the library stays loaded for the rest of the process (it is never closed).
    Ok(unsafe { std::mem::transmute::<*mut c_void, Gemm<T>>(symbol) })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn run<T: Blas>(args: &Args, gemm: Gemm<T>) -> Result<(), String> {
    let [m, k, n] = args.shape;
    let mut generator = Generator::new(0);
    let a = generator
        .randn([m, k])
        .astype(<T as lazygrad_ir::Element>::DTYPE);
    let b = generator
        .randn([k, n])
        .astype(<T as lazygrad_ir::Element>::DTYPE);
    let expected = a.matmul(&b).to_vec::<T>();
    let a_host = lazygrad_cpu::huge_page_vec("bench", m * k, a.to_vec::<T>()).expect("a fits");
    let b_host = lazygrad_cpu::huge_page_vec("bench", k * n, b.to_vec::<T>()).expect("b fits");
    let mut out =
        lazygrad_cpu::huge_page_vec("bench", m * n, std::iter::repeat(T::BETA)).expect("out fits");
    // The lengths the gemm call's safety rests on.
    assert_eq!(
        (a_host.len(), b_host.len(), out.len()),
        (m * k, k * n, m * n)
    );
    let call_blas = |out: &mut [T]| {
        // SAFETY: `a_host` is m x k, `b_host` k x n and `out` m x n, all row-major with leading
        // dimensions k, n and n, so OpenBLAS reads and writes only inside them; `out` is
        // borrowed mutably for the call and nothing else aliases it.
        unsafe {
            gemm(
                ROW_MAJOR,
                NO_TRANS,
                NO_TRANS,
                m as i64,
                n as i64,
                k as i64,
                T::ALPHA,
                a_host.as_ptr(),
                k as i64,
                b_host.as_ptr(),
                n as i64,
                T::BETA,
                out.as_mut_ptr(),
                n as i64,
            )
        }
    };
    call_blas(&mut out);
    // Both are sums of k products in different orders, so they agree to rounding only.
    let scale = expected.iter().map(|&x| x.into().abs()).fold(1.0, f64::max);
    let worst = expected
        .iter()
        .zip(&out)
        .map(|(&x, &y)| (x.into() - y.into()).abs())
        .fold(0.0, f64::max);
    let tolerance = if <T as lazygrad_ir::Element>::DTYPE == DType::F32 {
        1e-4
    } else {
        1e-12
    } * scale;
    if worst > tolerance {
        return Err(format!(
            "lazygrad and OpenBLAS differ by {worst:e} (tolerance {tolerance:e})"
        ));
    }

    let flops = 2.0 * (m * k * n) as f64;
    println!(
        "{m}x{k} @ {k}x{n} {}, {} calls per library per round, RAYON_NUM_THREADS={} \
         OPENBLAS_NUM_THREADS={}",
        <T as lazygrad_ir::Element>::DTYPE,
        args.calls,
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "unset".into()),
        std::env::var("OPENBLAS_NUM_THREADS").unwrap_or_else(|_| "unset".into()),
    );
    println!("round  lazygrad ms  openblas ms  ratio");
    let (mut ours_all, mut theirs_all, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..args.rounds {
        let mut ours: Vec<f64> = (0..args.calls)
            .map(|_| {
                let start = Instant::now();
                a.matmul(&b).realize();
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        let mut theirs: Vec<f64> = (0..args.calls)
            .map(|_| {
                let start = Instant::now();
                call_blas(&mut out);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        let (ours_median, theirs_median) = (median(&mut ours), median(&mut theirs));
        ratios.push(ours_median / theirs_median);
        println!(
            "{round:5}  {ours_median:11.3}  {theirs_median:11.3}  {:5.2}",
            ours_median / theirs_median
        );
        ours_all.extend(ours);
        theirs_all.extend(theirs);
    }
    let (ours, theirs) = (median(&mut ours_all), median(&mut theirs_all));
    let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "lazygrad: median {ours:.3} ms, best {:.3} ms ({:.0} GFLOP/s at best)",
        best(&ours_all),
        flops / best(&ours_all) / 1e6
    );
    println!(
        "openblas: median {theirs:.3} ms, best {:.3} ms ({:.0} GFLOP/s at best)",
        best(&theirs_all),
        flops / best(&theirs_all) / 1e6
    );
    let spread = |pick: fn(f64, f64) -> f64, start| ratios.iter().copied().fold(start, pick);
    println!(
        "median of the rounds' ratios lazygrad/openblas: {:.3} (rounds {:.2}-{:.2})",
        median(&mut ratios.clone()),
        spread(f64::min, f64::INFINITY),
        spread(f64::max, 0.0)
    );
    Ok(())
}

fn main() -> ExitCode {
    let result = parse(std::env::args().skip(1)).and_then(|args| {
        let lib = match &args.lib {
            Some(lib) => lib.clone(),
            None => numpy_openblas()?,
        };
        match args.dtype {
            DType::F32 => run::<f32>(&args, load::<f32>(&lib)?),
            _ => run::<f64>(&args, load::<f64>(&lib)?),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("openblas_paired: {err}\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}
