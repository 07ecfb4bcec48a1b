//! Switches read from the environment: `LAZYGRAD_FUSION`, `LAZYGRAD_JIT` and `LAZYGRAD_DEBUG`.

use lazygrad_compiler::CompileOptions;
use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    static FUSION_OVERRIDE: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Whether fusion is on: `LAZYGRAD_FUSION=0` turns it off, [`with_fusion`] overrides it per thread.
pub fn fusion_enabled() -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    FUSION_OVERRIDE.with(Cell::get).unwrap_or_else(|| {
        *FROM_ENV.get_or_init(|| {
            std::env::var("LAZYGRAD_FUSION")
                .map(|v| v != "0")
                .unwrap_or(true)
        })
    })
}

/// Runs `body` with fusion switched on or off on this thread, as `LAZYGRAD_FUSION` does globally.
///
/// ```
/// let fused = lazygrad::with_fusion(true, || (lazygrad::arange(4) * 2).sum().item::<i64>());
/// let unfused = lazygrad::with_fusion(false, || (lazygrad::arange(4) * 2).sum().item::<i64>());
/// assert_eq!(fused, unfused);
/// ```
pub fn with_fusion<R>(enabled: bool, body: impl FnOnce() -> R) -> R {
    let before = FUSION_OVERRIDE.with(|cell| cell.replace(Some(enabled)));
    let res = body();
    FUSION_OVERRIDE.with(|cell| cell.set(before));
    res
}

/// Whether large elementwise kernels may run as compiled machine code: `LAZYGRAD_JIT=0` turns
/// it off (they run in the block VM), [`with_jit`] overrides it per thread.
pub fn jit_enabled() -> bool {
    lazygrad_cpu::jit_enabled()
}

/// Runs `body` with compiled elementwise code allowed or not on this thread, as `LAZYGRAD_JIT`
/// does globally. Results are the same bits either way (up to a NaN's payload); only the speed
/// differs.
///
/// ```
/// use lazygrad::{DType, arange, with_jit};
/// // 2^18 elements: kernels this large compile to single-pass machine code.
/// let x = arange(1 << 18).astype(DType::F32) / 1000.0;
/// x.realize();
/// let before = lazygrad::jit_programs();
/// let compiled = with_jit(true, || ((&x * &x + 1.0).sqrt() * 0.25).to_vec::<f32>());
/// assert!(lazygrad::jit_programs() > before);
/// let vm = with_jit(false, || ((&x * &x + 1.0).sqrt() * 0.25).to_vec::<f32>());
/// assert_eq!(compiled, vm);
/// ```
pub fn with_jit<R>(enabled: bool, body: impl FnOnce() -> R) -> R {
    lazygrad_cpu::with_jit(enabled, body)
}

/// How many elementwise programs this process has compiled to machine code so far (see
/// [`with_jit`]).
pub fn jit_programs() -> usize {
    lazygrad_cpu::jit_programs()
}

/// The `LAZYGRAD_DEBUG` level: 1 prints every plan to stderr, 3 also plan cache hits and
/// misses, 4 also every kernel's time and bandwidth.
pub fn debug_level() -> u8 {
    static LEVEL: OnceLock<u8> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        std::env::var("LAZYGRAD_DEBUG")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

thread_local! {
    static CACHE_COUNTS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// Counts a plan cache lookup on this thread.
pub(crate) fn count_cache(hit: bool) {
    CACHE_COUNTS.with(|counts| {
        let (hits, misses) = counts.get();
        counts.set(if hit {
            (hits + 1, misses)
        } else {
            (hits, misses + 1)
        });
    });
}

/// The plan cache's hits and misses for graphs realized on this thread so far.
///
/// ```
/// let (hits, _) = lazygrad::plan_cache_stats();
/// for _ in 0..2 {
///     (lazygrad::array([1.0, 2.0]) * 3.0).sum().realize();
/// }
/// assert!(lazygrad::plan_cache_stats().0 >= hits + 1);
/// ```
pub fn plan_cache_stats() -> (u64, u64) {
    CACHE_COUNTS.with(Cell::get)
}

pub(crate) fn compile_options() -> CompileOptions {
    CompileOptions {
        fusion: fusion_enabled(),
    }
}
