//! Elementwise: `sqrt(a*b + c*c) * 0.5`, fused, unfused, and written out by hand.
//!
//! Fused, the expression is one kernel that reads three arrays and writes one. Unfused, each of
//! its five primitives is a kernel with an array-sized intermediate. The hand-written loops write
//! into memory they reuse, so they show what a single pass costs without the library: one on
//! one thread, one splitting the slices in halves over two threads, since lazygrad may split
//! large arrays across rayon's threads. At 10M elements all of them are bound by memory
//! bandwidth. A third, `hand_blocks_2t`, writes the interpreter's own structure by hand (a loop
//! per operation over 1024-element blocks), to separate the cost of that structure from the
//! cost of lazygrad's dispatch.

use super::{assert_close, bench_fused_and_unfused, group, ideal_bytes, two_threads, uniform};
use criterion::{BenchmarkId, Criterion, criterion_group};
use lazygrad::{Storage, Tensor};
use std::hint::black_box;

/// Element counts and the labels `numpy_compare.py` knows them by.
const SIZES: [(usize, &str); 2] = [(1_000_000, "1M"), (10_000_000, "10M")];

/// The benched expression as lazygrad code.
fn expression(a: &Tensor, b: &Tensor, c: &Tensor) -> Tensor {
    (a * b + c * c).sqrt() * 0.5
}

/// The benched expression for one element, in the float type of the hand-written loop.
trait HandWritten: Storage + Into<f64> {
    /// `sqrt(a*b + c*c) * 0.5`.
    fn expression(a: Self, b: Self, c: Self) -> Self;
}

impl HandWritten for f32 {
    fn expression(a: f32, b: f32, c: f32) -> f32 {
        (a * b + c * c).sqrt() * 0.5
    }
}

impl HandWritten for f64 {
    fn expression(a: f64, b: f64, c: f64) -> f64 {
        (a * b + c * c).sqrt() * 0.5
    }
}

/// The expression over whole slices, the loop a programmer would write without a library.
fn hand_loop<T: HandWritten>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    for (((out, &a), &b), &c) in out.iter_mut().zip(a).zip(b).zip(c) {
        *out = T::expression(a, b, c);
    }
}

/// A hand-written loop over whole slices, writing into `out`.
type HandLoop<T> = fn(&[T], &[T], &[T], &mut [T]);

/// Runs `hand` on two threads, each writing one half of `out`. (lazygrad cuts the work into
/// tasks of 32768 elements that rayon's threads take in turn.)
fn on_two_threads<T: HandWritten>(hand: HandLoop<T>, a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    let mid = out.len() / 2;
    let ((a0, a1), (b0, b1), (c0, c1)) = (a.split_at(mid), b.split_at(mid), c.split_at(mid));
    let (out0, out1) = out.split_at_mut(mid);
    two_threads().join(|| hand(a0, b0, c0, out0), || hand(a1, b1, c1, out1));
}

/// [`hand_loop`] on two threads.
fn hand_loop_2t<T: HandWritten>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    on_two_threads(hand_loop::<T>, a, b, c, out);
}

/// The expression computed the way lazygrad's block interpreter runs it, but written by hand:
/// for each block of 1024 elements, one loop per operation (`a*b`, `c*c`, the sum, the square
/// root, the scaling), each writing a small reused buffer and the last writing the output.
/// Comparing it with `hand_loop` prices the interpreter's structure (a pass per instruction);
/// comparing it with `fused` prices what lazygrad adds to that structure: dispatch, building
/// the graph, the plan-cache lookup and the output buffer.
fn hand_blocks<T: HandWritten>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    const BLOCK: usize = 1024;
    let mut registers = [T::default(); 4 * BLOCK];
    let (r0, rest) = registers.split_at_mut(BLOCK);
    let (r1, rest) = rest.split_at_mut(BLOCK);
    let (r2, r3) = rest.split_at_mut(BLOCK);
    let half = T::from_f64(0.5);
    for (start, out) in (0..out.len()).step_by(BLOCK).zip(out.chunks_mut(BLOCK)) {
        let n = out.len();
        let (a, b, c) = (
            &a[start..start + n],
            &b[start..start + n],
            &c[start..start + n],
        );
        for ((r, &x), &y) in r0.iter_mut().zip(a).zip(b) {
            *r = x.mul(y);
        }
        for (r, &z) in r1.iter_mut().zip(c) {
            *r = z.mul(z);
        }
        for ((r, &x), &y) in r2.iter_mut().zip(&r0[..n]).zip(&r1[..n]) {
            *r = x.add(y);
        }
        for (r, &x) in r3.iter_mut().zip(&r2[..n]) {
            *r = lazygrad_ir::UnaryOp::Sqrt.apply(x);
        }
        for (o, &x) in out.iter_mut().zip(&r3[..n]) {
            *o = x.mul(half);
        }
    }
}

/// [`hand_blocks`] on two threads.
fn hand_blocks_2t<T: HandWritten>(a: &[T], b: &[T], c: &[T], out: &mut [T]) {
    on_two_threads(hand_blocks::<T>, a, b, c, out);
}

/// Benches the expression on each size in `T`'s dtype: fused, unfused and by hand.
fn elementwise<T: HandWritten>(criterion: &mut Criterion) {
    let mut group = group(criterion, "elementwise", T::DTYPE);
    for (len, label) in SIZES {
        // Inputs in [0, 1) keep `a*b + c*c` non-negative, so no NaN reaches the square root.
        let (a, b, c) = (
            uniform(1, [len], T::DTYPE),
            uniform(2, [len], T::DTYPE),
            uniform(3, [len], T::DTYPE),
        );
        let reference = expression(&a, &b, &c);
        group.throughput(ideal_bytes(&[&a, &b, &c], &reference));
        bench_fused_and_unfused(&mut group, label, || expression(&a, &b, &c));

        let (a, b, c) = (a.to_vec::<T>(), b.to_vec::<T>(), c.to_vec::<T>());
        let reference = reference.to_vec::<T>();
        let mut out = vec![T::default(); len];
        // Checking the loops against lazygrad once makes sure the baselines compute the same
        // thing; the bound is a few rounding errors of values below one.
        for (variant, hand) in [
            ("hand_loop", hand_loop::<T> as HandLoop<T>),
            ("hand_loop_2t", hand_loop_2t),
            ("hand_blocks_2t", hand_blocks_2t),
        ] {
            out.fill(T::default());
            hand(&a, &b, &c, &mut out);
            assert_close(variant, &reference, &out, 1e-6);
            group.bench_function(BenchmarkId::new(variant, label), |bencher| {
                bencher.iter(|| hand(black_box(&a), black_box(&b), black_box(&c), &mut out));
            });
        }
    }
    group.finish();
}

/// Float32 elementwise benches.
fn elementwise_f32(criterion: &mut Criterion) {
    elementwise::<f32>(criterion);
}

/// Float64 elementwise benches.
fn elementwise_f64(criterion: &mut Criterion) {
    elementwise::<f64>(criterion);
}

criterion_group! {
    name = benches;
    config = super::config();
    targets = elementwise_f32, elementwise_f64
}
