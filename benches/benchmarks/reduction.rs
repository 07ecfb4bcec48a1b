//! Reductions of a 4096x4096 float32: row sums, column sums and the full sum.
//!
//! Row sums reduce the contiguous axis and column sums the strided one, so the pair shows
//! whether the reduce kernel depends on the memory order; nothing here fuses, so the fused and
//! unfused times should match.

use super::{bench_fused_and_unfused, group, ideal_bytes, normal};
use criterion::{Criterion, criterion_group};
use lazygrad::{DType, Tensor};

/// Rows and columns of the reduced matrix.
const N: usize = 4096;

/// A reduction under test, as a function of the input matrix.
type Reduce = fn(&Tensor) -> Tensor;

/// Each sum, named as `numpy_compare.py` knows it.
const CASES: [(&str, Reduce); 3] = [
    ("sum_axis1", |a| a.sum_axes([1], false)),
    ("sum_axis0", |a| a.sum_axes([0], false)),
    ("sum_all", |a| a.sum()),
];

/// Benches each sum fused and unfused.
fn reduction_f32(criterion: &mut Criterion) {
    let a = normal(4, [N, N], DType::F32);
    let mut group = group(criterion, "reduction", DType::F32);
    for (name, reduce) in CASES {
        group.throughput(ideal_bytes(&[&a], &reduce(&a)));
        bench_fused_and_unfused(&mut group, &format!("{name}_{N}x{N}"), || reduce(&a));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = super::config();
    targets = reduction_f32
}
