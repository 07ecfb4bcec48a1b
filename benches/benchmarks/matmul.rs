//! Matrix products: a square 1024^3 product, the skinny 64x1000 @ 1000x100 of the 2-layer
//! network's forward pass, and the other products of its training step.
//!
//! The product is its own kernel, so fused and unfused should match; the pair is kept so every
//! family reports both, and so a later change that fuses into the product shows up here.

use super::{bench_fused_and_unfused, group, ideal_bytes, normal};
use criterion::{Criterion, criterion_group};
use lazygrad::DType;

/// `(m, k, n, a_transposed)` of `[m, k] @ [k, n]`; a transposed `a` is the view `x.T` of a
/// row-major `[k, m]` array, as in the weight gradient `x.T @ grad_h`.
const SHAPES: [(usize, usize, usize, bool); 5] = [
    (1024, 1024, 1024, false),
    (64, 1000, 100, false),
    // The rest of the 2-layer training step (N=64, D_in=1000, H=100, D_out=10): the weight
    // gradients `x.T @ grad_h` and `h.T @ grad_y`, and the forward `h @ w2`.
    (1000, 64, 100, true),
    (100, 64, 10, true),
    (64, 100, 10, false),
];

/// Benches each product in `dtype`, fused and unfused.
fn matmul(criterion: &mut Criterion, dtype: DType) {
    let mut group = group(criterion, "matmul", dtype);
    for (m, k, n, a_transposed) in SHAPES {
        let a = if a_transposed {
            normal(5, [k, m], dtype).t()
        } else {
            normal(5, [m, k], dtype)
        };
        let b = normal(6, [k, n], dtype);
        // Bytes are the natural unit for the other families; for a product they understate the
        // work, so `numpy_compare.py` also reports GFLOP/s from the shape.
        group.throughput(ideal_bytes(&[&a, &b], &a.matmul(&b)));
        let suffix = if a_transposed { "_at" } else { "" };
        let parameter = format!("{m}x{k}x{n}{suffix}");
        bench_fused_and_unfused(&mut group, &parameter, || a.matmul(&b));
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
