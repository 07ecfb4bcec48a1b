//! Reductions of a 4096x4096 float32: row sums, column sums and the full sum.
//!
//! Row sums reduce the contiguous axis and column sums the strided one, so the pair shows
//! whether the reduce kernel depends on the memory order; nothing here fuses, so the fused and
//! unfused times should match. Row and column sums are also written out by hand, on one thread
//! and on two, into an output they reuse: the loops a programmer would write without a library.

use super::{assert_close, bench_fused_and_unfused, group, ideal_bytes, normal, two_threads};
use criterion::{BenchmarkId, Criterion, criterion_group};
use lazygrad::{DType, Tensor};
use std::hint::black_box;

/// Rows and columns of the reduced matrix.
const N: usize = 4096;

/// A reduction under test, as a function of the input matrix.
type Reduce = fn(&Tensor) -> Tensor;

/// A hand-written sum of the row-major `N`-column matrix `a` into `out`.
type HandLoop = fn(a: &[f32], out: &mut [f32]);

/// One benched sum.
struct Case {
    /// The name `numpy_compare.py` knows it by.
    name: &'static str,
    /// The sum in lazygrad.
    reduce: Reduce,
    /// The same sum by hand, on one thread and on two, where the issue asks for one.
    hand_loops: Option<(HandLoop, HandLoop)>,
}

/// Each sum, in the order the suite runs them.
const CASES: [Case; 3] = [
    Case {
        name: "sum_axis1",
        reduce: |a| a.sum_axes([1], false),
        hand_loops: Some((sum_axis1, sum_axis1_2t)),
    },
    Case {
        name: "sum_axis0",
        reduce: |a| a.sum_axes([0], false),
        hand_loops: Some((sum_axis0, sum_axis0_2t)),
    },
    Case {
        name: "sum_all",
        reduce: |a| a.sum(),
        hand_loops: None,
    },
];

/// The sum of one row, in eight interleaved accumulators.
fn row_sum(row: &[f32]) -> f32 {
    // One running sum would make every add wait for the previous one, and the compiler may not
    // reorder float adds; eight independent lanes are what it turns into vector adds.
    let mut lanes = [0.0f32; 8];
    let chunks = row.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Row sums: each row of `a` folded into one element of `out`.
fn sum_axis1(a: &[f32], out: &mut [f32]) {
    for (out, row) in out.iter_mut().zip(a.chunks_exact(N)) {
        *out = row_sum(row);
    }
}

/// [`sum_axis1`] on two threads, each taking half of the rows.
fn sum_axis1_2t(a: &[f32], out: &mut [f32]) {
    let (a0, a1) = a.split_at(a.len() / 2);
    let (out0, out1) = out.split_at_mut(out.len() / 2);
    two_threads().join(|| sum_axis1(a0, out0), || sum_axis1(a1, out1));
}

/// Column sums of the columns `columns` of `a`: every row added into the accumulator row `out`.
fn sum_columns(a: &[f32], columns: std::ops::Range<usize>, out: &mut [f32]) {
    out.fill(0.0);
    for row in a.chunks_exact(N) {
        for (out, &x) in out.iter_mut().zip(&row[columns.clone()]) {
            *out += x;
        }
    }
}

/// Column sums: each row of `a` added into `out`.
fn sum_axis0(a: &[f32], out: &mut [f32]) {
    sum_columns(a, 0..N, out);
}

/// [`sum_axis0`] on two threads, each taking half of the columns.
fn sum_axis0_2t(a: &[f32], out: &mut [f32]) {
    // Splitting the columns rather than the rows gives each thread its own half of `out`, so no
    // second accumulator row and no final add are needed, and each half row stays in cache.
    let (out0, out1) = out.split_at_mut(N / 2);
    two_threads().join(
        || sum_columns(a, 0..N / 2, out0),
        || sum_columns(a, N / 2..N, out1),
    );
}

/// Benches each sum fused and unfused, and the row and column sums by hand.
fn reduction_f32(criterion: &mut Criterion) {
    let a = normal(4, [N, N], DType::F32);
    let data = a.to_vec::<f32>();
    let mut group = group(criterion, "reduction", DType::F32);
    for case in CASES {
        let parameter = format!("{}_{N}x{N}", case.name);
        let reference = (case.reduce)(&a);
        group.throughput(ideal_bytes(&[&a], &reference));
        bench_fused_and_unfused(&mut group, &parameter, || (case.reduce)(&a));

        let Some((one_thread, two_thread)) = case.hand_loops else {
            continue;
        };
        let reference = reference.to_vec::<f32>();
        let mut out = vec![0.0f32; reference.len()];
        for (variant, hand) in [("hand_loop", one_thread), ("hand_loop_2t", two_thread)] {
            // Each of 4096 adds rounds by up to half an ulp of a partial sum near 64 (4e-6), and
            // another order changes the result by a random walk of those, about 1e-4; a missed
            // or doubled element would be off by about 1.
            out.fill(f32::NAN);
            hand(&data, &mut out);
            assert_close(variant, &reference, &out, 1e-3);
            group.bench_function(BenchmarkId::new(variant, &parameter), |bencher| {
                bencher.iter(|| hand(black_box(&data), &mut out));
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = super::config();
    targets = reduction_f32
}
