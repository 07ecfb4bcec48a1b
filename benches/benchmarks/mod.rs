//! What the bench groups share: criterion settings, seeded realized inputs, the helper that
//! times one expression with fusion on and off, and the two-thread pool and the check of the
//! hand-written baselines.
//!
//! Benchmark ids are `<family>_<dtype>/<variant>/<parameter>`, for example
//! `elementwise_float32/fused/1M`; `benches/numpy_compare.py` matches its numpy cases on the
//! group and parameter, so a renamed bench needs the same rename there.

pub mod elementwise;
pub mod matmul;
pub mod overhead;
pub mod reduction;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use lazygrad::random::Generator;
use lazygrad::{DType, IntoShape, Tensor};
use rayon::ThreadPool;
use std::sync::OnceLock;
use std::time::Duration;

/// Criterion settings that keep the whole suite to about four minutes on two cores.
pub fn config() -> Criterion {
    // Ten samples is criterion's minimum. The slowest benches take up to half a second per
    // iteration, so five seconds fits their ten samples and longer windows would buy little
    // precision for a lot of wall time; flags such as `--measurement-time` still override this.
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        // Without criterion's `rayon` feature the bootstrap runs on one thread, and 100 000
        // resamples of ten samples add seconds per bench without changing the estimates.
        .nresamples(10_000)
}

/// A bench group named `<family>_<dtype>` that samples with a flat iteration count.
pub fn group<'a>(
    criterion: &'a mut Criterion,
    family: &str,
    dtype: DType,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(format!("{family}_{}", dtype.name()));
    // Linear sampling runs at least 1 + 2 + ... + 10 = 55 iterations, which for the 10M-element
    // and 1024^3 benches alone would take longer than the rest of the suite.
    group.sampling_mode(SamplingMode::Flat);
    group
}

/// Standard normal samples of `shape` in `dtype`, realized so that benches time only their op.
pub fn normal(seed: u64, shape: impl IntoShape, dtype: DType) -> Tensor {
    let tensor = Generator::new(seed).randn(shape).astype(dtype);
    tensor.realize();
    tensor
}

/// Uniform samples in `[0, 1)` of `shape` in `dtype`, realized.
pub fn uniform(seed: u64, shape: impl IntoShape, dtype: DType) -> Tensor {
    let tensor = Generator::new(seed).random(shape).astype(dtype);
    tensor.realize();
    tensor
}

/// The bytes one ideal pass moves: every input read once and the output written once.
pub fn ideal_bytes(inputs: &[&Tensor], output: &Tensor) -> Throughput {
    let bytes: usize = inputs.iter().map(|t| t.nbytes()).sum::<usize>() + output.nbytes();
    Throughput::Bytes(bytes as u64)
}

/// Times `build` fused and unfused under `parameter`; `build` adds the graph and returns its root.
pub fn bench_fused_and_unfused(
    group: &mut BenchmarkGroup<'_, WallTime>,
    parameter: &str,
    build: impl Fn() -> Tensor,
) {
    // Both variants set the switch explicitly, so `LAZYGRAD_FUSION=0` in the environment cannot
    // quietly turn the fused numbers into a second unfused run.
    for (variant, fusion) in [("fused", true), ("unfused", false)] {
        group.bench_function(BenchmarkId::new(variant, parameter), |bencher| {
            bencher.iter(|| {
                lazygrad::with_fusion(fusion, || {
                    let out = build();
                    out.realize();
                    // Returning the tensor drops its buffer inside the timed loop, as numpy
                    // frees its result each round; the hand loop's reused Vec shows the gap.
                    out
                })
            });
        });
    }
}

/// A pool of exactly two threads for the `hand_loop_2t` baselines.
pub fn two_threads() -> &'static ThreadPool {
    // A pool of its own keeps the baselines at two threads whatever RAYON_NUM_THREADS says, and
    // its threads persist, as lazygrad's do, so no bench pays for spawning threads each iteration.
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|index| format!("hand-loop-{index}"))
            .build()
            .expect("two threads for the hand-written loops")
    })
}

/// Panics unless `actual` is within `tolerance` of `expected` everywhere (relative above one).
pub fn assert_close<T: Copy + Into<f64>>(what: &str, expected: &[T], actual: &[T], tolerance: f64) {
    assert_eq!(expected.len(), actual.len(), "{what}: lengths differ");
    for (index, (&x, &y)) in expected.iter().zip(actual).enumerate() {
        let (x, y) = (x.into(), y.into());
        let error = (x - y).abs() / x.abs().max(1.0);
        // A NaN on either side makes the comparison false, so it fails too.
        assert!(
            error <= tolerance,
            "{what} disagrees with lazygrad at {index}: {y} instead of {x}"
        );
    }
}
