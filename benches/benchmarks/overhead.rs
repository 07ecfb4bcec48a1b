//! Overhead: what lazygrad costs around its kernels, on graphs too small for the kernels to
//! matter.
//!
//! `cached_realize/30` rebuilds a 30-node graph of 64-element float32 tensors from fresh leaves
//! every iteration and realizes it: after the first iteration the plan cache hits, so the time
//! is building the nodes, walking them into the cache key, looking the key up and running the
//! cached plan's few tiny kernels. The goal is under 20 us for the whole step, so that a small
//! model's training step is not dominated by the library.
//!
//! `cold_compile/1000` builds a 1000-node graph of 4-element tensors and realizes it with a plan
//! cache miss every iteration, so the time is mostly lowering and compiling. The facade has no
//! public way to empty the cache, so each iteration adds a different constant to the input:
//! keys include every constant's bits, so each graph misses, as any graph the cache has not
//! seen would.
//!
//! `threads/wake_after_idle/1ms` prices handing work to rayon's pool: after 1 ms of work on the
//! calling thread, by when the pool's threads have gone to sleep (as they do between the
//! products of a training step), it times how long until the second half of a `join` starts.
//! The call comes from outside the pool, as a realize does, so this includes waking the thread
//! that takes the join and a second one that takes its other half. That wait is why matrix
//! products below a size run on one thread (`gemm::task_count`).

use super::group;
use criterion::{BenchmarkId, Criterion, criterion_group};
use lazygrad::{DType, Tensor};
use std::time::{Duration, Instant};

/// One step of the benched graphs: a small normalized layer, `side x side` in and out.
///
/// A block is 30 equations in the graph's listing (`lazygrad::viz::graph_text`), not counting
/// the scalar constants they broadcast: the 30-node graph is one block after the input's
/// reshape (31), and the 1000-node graph 33 blocks and four equations around them (994). It
/// mixes what models do at every step: a broadcast row, elementwise chains, reductions over
/// each axis with kept dims, and a transpose whose flattening reshape copies.
fn block(h: &Tensor, row: &Tensor) -> Tensor {
    let side = h.shape()[0];
    let h = (h * row + 0.5).tanh();
    let centered = &h - h.mean_axes([1], true);
    let scale = (centered.square().mean_axes([1], true) + 1e-5)
        .sqrt()
        .reciprocal();
    let normed = &centered * scale;
    let soft = (&normed - normed.max_axes([0], true)).exp();
    let soft = &soft / soft.sum_axes([0], true);
    soft.t().reshape([side * side]).reshape([side, side])
}

/// The 30-node graph: one block on an 8x8 input.
fn graph_30(x: &Tensor, row: &Tensor) -> Tensor {
    block(&x.reshape([8, 8]), row)
}

/// The 1000-node graph: blocks on a 2x2 input, offset first by `salt`.
fn graph_1000(x: &Tensor, row: &Tensor, salt: f32) -> Tensor {
    let mut h = x.reshape([2, 2]) + f64::from(salt);
    for _ in 0..BLOCKS_1000 {
        h = block(&h, row);
    }
    h.sum()
}

/// Blocks in the 1000-node graph.
const BLOCKS_1000: usize = 33;

/// Builds and realizes [`graph_30`] from fresh leaves holding `x` and `row`.
fn cached_step(x: &[f32], row: &[f32]) -> Tensor {
    // Fresh leaves each step, as a training loop feeds a new batch: the cache keys leaves by
    // slot, not by buffer, so the plan is still reused.
    let x = Tensor::from_vec(x.to_vec(), [64]);
    let row = Tensor::from_vec(row.to_vec(), [8]);
    realize_fused(graph_30(&x, &row))
}

/// Builds and realizes [`graph_1000`] from fresh 4-element leaves, offset by `salt`.
fn cold_step(salt: f32) -> Tensor {
    let x = Tensor::from_vec(vec![0.25f32, -0.5, 0.75, 1.0], [4]);
    let row = Tensor::from_vec(vec![1.0f32, 0.5], [2]);
    realize_fused(graph_1000(&x, &row, salt))
}

/// Realizes `out` with fusion on and returns it, so its buffer is dropped inside the timed loop.
fn realize_fused(out: Tensor) -> Tensor {
    // Setting the switch keeps `LAZYGRAD_FUSION=0` in the environment from changing what the
    // overhead benches time: the fused pipeline is the one users run.
    lazygrad::with_fusion(true, || {
        out.realize();
    });
    out
}

/// Panics unless `step` hits and misses the plan cache as often as expected.
fn assert_cache(what: &str, step: impl FnOnce() -> Tensor, hits: u64, misses: u64) {
    let before = lazygrad::plan_cache_stats();
    drop(step());
    let after = lazygrad::plan_cache_stats();
    assert_eq!(
        (after.0 - before.0, after.1 - before.1),
        (hits, misses),
        "{what}: unexpected plan cache (hits, misses)"
    );
}

/// Benches a cached and a cold realize of small graphs.
fn overhead_f32(criterion: &mut Criterion) {
    let mut group = group(criterion, "overhead", DType::F32);

    let x: Vec<f32> = (0..64).map(|i| (i as f32 * 0.37).sin()).collect();
    let row: Vec<f32> = (0..8).map(|i| 1.0 + i as f32 * 0.1).collect();
    // The first step compiles, so the second must be the cache hit the bench is about.
    drop(cached_step(&x, &row));
    assert_cache("cached_realize", || cached_step(&x, &row), 1, 0);
    group.bench_function(BenchmarkId::new("cached_realize", 30), |bencher| {
        bencher.iter(|| cached_step(&x, &row));
    });

    // The counter stays below 2^24, where every integer is a distinct float32; by the time it
    // wraps, the cache has long evicted the graph that first used the value.
    // The same plan's kernels alone, timed by the runtime's profiler: what `cached_realize`
    // spends beyond this is the overhead the < 20 us goal is about (graph building, the walk
    // and cache lookup, buffer binding).
    group.bench_function(BenchmarkId::new("kernels_only", 30), |bencher| {
        bencher.iter_custom(|iterations| {
            (0..iterations)
                .map(|_| {
                    let x = Tensor::from_vec(x.clone(), [64]);
                    let row = Tensor::from_vec(row.clone(), [8]);
                    let out = graph_30(&x, &row);
                    lazygrad::with_fusion(true, || lazygrad::viz::profile(&[&out]))
                        .expect("the 30-node graph runs")
                        .total()
                })
                .sum()
        });
    });

    let mut salt = 0u32;
    let mut next_salt = move || {
        salt = (salt + 1) % (1 << 24);
        salt as f32
    };
    assert_cache("cold_compile", || cold_step(next_salt()), 0, 1);
    assert_cache("cold_compile", || cold_step(next_salt()), 0, 1);
    group.bench_function(BenchmarkId::new("cold_compile", 1000), |bencher| {
        bencher.iter(|| cold_step(next_salt()));
    });
    group.finish();
}

/// Spins for `duration`, keeping this thread busy as a kernel would.
fn spin(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}

/// Times how long after a `join` is called from outside the pool its second half begins on a
/// pool thread, after the pool has been idle for 1 ms; if no second thread takes it within the
/// first half's 200 us, it runs after it and the time is about 200 us plus the first wake.
fn thread_wake(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("threads");
    group.bench_function(BenchmarkId::new("wake_after_idle", "1ms"), |bencher| {
        bencher.iter_custom(|iterations| {
            let mut waited = Duration::ZERO;
            for _ in 0..iterations {
                spin(Duration::from_millis(1));
                let start = Instant::now();
                let ((), second) = rayon::join(|| spin(Duration::from_micros(200)), Instant::now);
                waited += second.duration_since(start);
            }
            waited
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = super::config();
    targets = overhead_f32, thread_wake
}
