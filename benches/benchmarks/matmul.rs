//! Matrix products: a square 1024^3 product and a skinny 64x1000 @ 1000x100 one.
//!
//! The product is its own kernel, so fused and unfused should match; the pair is kept so every
//! family reports both, and so a later change that fuses into the product shows up here.

use super::{bench_fused_and_unfused, group, ideal_bytes, normal};
use criterion::{Criterion, criterion_group};
use lazygrad::DType;

/// `(m, k, n)` of `[m, k] @ [k, n]`.
const SHAPES: [(usize, usize, usize); 2] = [(1024, 1024, 1024), (64, 1000, 100)];

/// Benches each product in `dtype`, fused and unfused.
fn matmul(criterion: &mut Criterion, dtype: DType) {
    let mut group = group(criterion, "matmul", dtype);
    for (m, k, n) in SHAPES {
        let (a, b) = (normal(5, [m, k], dtype), normal(6, [k, n], dtype));
        // Bytes are the natural unit for the other families; for a product they understate the
        // work, so `numpy_compare.py` also reports GFLOP/s from the shape.
        group.throughput(ideal_bytes(&[&a, &b], &a.matmul(&b)));
        bench_fused_and_unfused(&mut group, &format!("{m}x{k}x{n}"), || a.matmul(&b));
    }
    group.finish();
}

/// Float32 matrix products.
fn matmul_f32(criterion: &mut Criterion) {
    matmul(criterion, DType::F32);
}

/// Float64 matrix products.
fn matmul_f64(criterion: &mut Criterion) {
    matmul(criterion, DType::F64);
}

criterion_group! {
    name = benches;
    config = super::config();
    targets = matmul_f32, matmul_f64
}
