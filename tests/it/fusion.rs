//! Fusion never changes results: random graphs compiled fused and unfused agree.

use lazygrad::{DType, Tensor, array, with_fusion};
use proptest::prelude::*;

/// One step of a random graph: an op applied to earlier values.
#[derive(Clone, Debug)]
enum Step {
    Unary(usize, u8),
    Binary(usize, usize, u8),
    Scalar(usize, f64, u8),
    Reduce(usize, bool),
    Transpose(usize),
    MatMul(usize, usize),
    Cast(usize, u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..8usize, 0..6u8).prop_map(|(a, op)| Step::Unary(a, op)),
        (0..8usize, 0..8usize, 0..6u8).prop_map(|(a, b, op)| Step::Binary(a, b, op)),
        (0..8usize, -3.0..3.0f64, 0..3u8).prop_map(|(a, s, op)| Step::Scalar(a, s, op)),
        (0..8usize, any::<bool>()).prop_map(|(a, k)| Step::Reduce(a, k)),
        (0..8usize).prop_map(Step::Transpose),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Step::MatMul(a, b)),
        (0..8usize, 0..3u8).prop_map(|(a, d)| Step::Cast(a, d)),
    ]
}

/// Builds the graph: every value is a 4x4 tensor so any two combine.
fn build(inputs: &[Tensor], steps: &[Step]) -> Vec<Tensor> {
    let mut values: Vec<Tensor> = inputs.to_vec();
    for step in steps {
        let pick = |i: usize| values[i % values.len()].clone();
        let next = match step.clone() {
            Step::Unary(a, op) => {
                let x = pick(a);
                match op {
                    0 => x.abs(),
                    1 => (x.abs() + 1.0).sqrt(),
                    2 => x.tanh(),
                    3 => -&x,
                    4 => x.sign(),
                    _ => x.exp().minimum(100.0),
                }
            }
            Step::Binary(a, b, op) => {
                let (x, y) = (pick(a), pick(b));
                match op {
                    0 => &x + &y,
                    1 => &x * &y,
                    2 => &x - &y,
                    3 => x.maximum(&y),
                    4 => lazygrad::where_(&x.gt(&y), &x, &y),
                    _ => &x / (y.abs() + 1.0),
                }
            }
            Step::Scalar(a, s, op) => {
                let x = pick(a);
                match op {
                    0 => &x * s,
                    1 => &x + s,
                    _ => s - &x,
                }
            }
            Step::Reduce(a, keep) => {
                let x = pick(a);
                // Reduce and broadcast back so the value stays 4x4.
                let r = if keep {
                    x.sum_axes([1], true)
                } else {
                    x.max_axes([0], false)
                };
                r.broadcast_to([4, 4]) + &x
            }
            Step::Transpose(a) => pick(a).t(),
            Step::MatMul(a, b) => pick(a).matmul(&pick(b)) * 0.25,
            Step::Cast(a, d) => {
                let x = pick(a);
                let dtype = [DType::F32, DType::F64, DType::I64][d as usize];
                x.astype(dtype).astype(DType::F64)
            }
        };
        values.push(next);
    }
    values
}

fn input(seed: u64) -> Tensor {
    let data: Vec<f64> = (0..16)
        .map(|i| (((i as u64 * 2654435761 + seed * 97) % 1000) as f64 - 500.0) / 250.0)
        .collect();
    Tensor::from_vec(data, [4, 4])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_graphs_fuse_without_changing_results(steps in prop::collection::vec(step(), 1..14), seed in 0u64..1000) {
        let inputs = [input(seed), input(seed + 1).t(), input(seed + 2)];
        let outputs = |fusion: bool| -> Vec<Vec<f64>> {
            with_fusion(fusion, || {
                let values = build(&inputs, &steps);
                // Realize several values at once so shared subgraphs and multi-output plans are covered.
                let tail: Vec<&Tensor> = values.iter().rev().take(3).collect();
                lazygrad::realize_all(&tail).unwrap();
                tail.iter().map(|t| t.to_vec::<f64>()).collect()
            })
        };
        let (fused, unfused) = (outputs(true), outputs(false));
        for (a, b) in fused.iter().zip(&unfused) {
            for (x, y) in a.iter().zip(b) {
                // Same operations in the same order: equal bits, NaN included.
                prop_assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()), "{x} != {y}");
            }
        }
    }
}

/// A reduction's input that the fused kernel walks in other rows than the unfused sum of the
/// materialized input: `x` combined with an operand broadcast along a row or a column, a
/// transposed view, or a strided slice. Only the logical shape and axes may decide how the
/// additions group, so both plans must give the same bits.
fn reduction_input(dims: (usize, usize, usize), operand: u8, seed: u64) -> Tensor {
    let (a, b, c) = dims;
    let mut generator = lazygrad::random::Generator::new(seed);
    let x = generator.randn([a, b, c]);
    match operand {
        0 => &x + generator.randn([c]),
        1 => &x * generator.randn([b, 1]),
        2 => &x - generator.randn([c, b, a]).permute(&[2, 1, 0]),
        _ => {
            generator
                .randn([a, b, c + 3])
                .slice(lazygrad::s![.., .., 1..c + 1])
                * 1.5
                + &x
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reductions_group_their_additions_by_shape_not_layout(
        dims in (1..24usize, 1..160usize, 1..160usize),
        axes in prop::sample::subsequence(vec![0isize, 1, 2], 1..=3),
        operand in 0..4u8,
        op in 0..3u8,
        float32 in any::<bool>(),
        seed in 0u64..1000,
    ) {
        fused_equals_unfused(|| {
            let mut x = reduction_input(dims, operand, seed);
            if float32 {
                x = x.astype(DType::F32);
            }
            vec![match op {
                0 => x.sum_axes(axes.clone(), false),
                1 => x.mean_axes(axes.clone(), true),
                _ => x.max_axes(axes.clone(), false),
            }]
        });
    }
}

/// The number of kernels a plan for `outputs` compiles to.
fn kernels(outputs: &[&Tensor]) -> usize {
    lazygrad::plan_for(outputs).kernels.len()
}

#[test]
fn elementwise_chains_and_reduction_inputs_fuse_into_one_kernel() {
    let (a, b, c) = (array([1.0, 2.0]), array([3.0, 4.0]), array([5.0, 6.0]));
    assert_eq!(kernels(&[&(&a * &b + &c).sum()]), 1);
    assert_eq!(kernels(&[&((&a * &b + &c * &c).sqrt() * 0.5)]), 1);
    // Unfused, each of mul, mul, add, sqrt and mul is its own kernel; the literal 0.5 is not.
    with_fusion(false, || {
        assert_eq!(kernels(&[&((&a * &b + &c * &c).sqrt() * 0.5)]), 5)
    });
}

#[test]
fn softmax_is_four_kernels() {
    // The row max (1 reduction); exp(x - max), written once because both the row sum and the
    // division read it (1 elementwise kernel); the row sum (1 reduction); and the division,
    // which needs the sum broadcast back over the row (1 elementwise kernel).
    let x = array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]);
    let shifted = &x - x.max_axes([1], true);
    let e = shifted.exp();
    let softmax = &e / e.sum_axes([1], true);
    assert_eq!(kernels(&[&softmax]), 4);
    let total: f64 = softmax.sum().item();
    assert!((total - 2.0).abs() < 1e-12);
}

#[test]
fn the_plan_cache_hits_on_the_same_graph_and_misses_on_a_different_one() {
    let step = |a: &Tensor, b: &Tensor| (((a * b).abs() + 1.5).sqrt() * 0.5).sum_axes([1], false);
    let fresh = |seed: u64, shape: [usize; 2]| lazygrad::random::Generator::new(seed).randn(shape);
    let (hits, misses) = lazygrad::plan_cache_stats();
    let first = step(&fresh(1, [3, 4]), &fresh(2, [3, 4]));
    first.realize();
    let second = step(&fresh(3, [3, 4]), &fresh(4, [3, 4]));
    second.realize();
    let (hits2, misses2) = lazygrad::plan_cache_stats();
    assert_eq!(hits2, hits + 1, "new buffers, same graph: a hit");
    assert!(misses2 <= misses + 1);
    // The replayed plan computed from the new buffers, not the old ones.
    assert_ne!(first.to_vec::<f64>(), second.to_vec::<f64>());
    let expected = with_fusion(true, || {
        let (a, b) = (fresh(3, [3, 4]), fresh(4, [3, 4]));
        let data: Vec<f64> = a
            .to_vec::<f64>()
            .iter()
            .zip(b.to_vec::<f64>())
            .map(|(x, y)| (((x * y).abs() + 1.5).sqrt()) * 0.5)
            .collect();
        data.chunks(4)
            .map(|row| row.iter().sum::<f64>())
            .collect::<Vec<f64>>()
    });
    for (got, want) in second.to_vec::<f64>().iter().zip(&expected) {
        assert!((got - want).abs() < 1e-12);
    }
    // A new shape, a new op or a new constant is a different graph.
    step(&fresh(5, [4, 4]), &fresh(6, [4, 4])).realize();
    (fresh(7, [3, 4]) * fresh(8, [3, 4]) + 2.5).sqrt().realize();
    (((fresh(7, [3, 4]) * fresh(8, [3, 4])).abs() + 1.5).sqrt() * 0.25)
        .sum_axes([1], false)
        .realize();
    let (hits3, _) = lazygrad::plan_cache_stats();
    assert_eq!(hits3, hits2, "changed graphs never replay a cached plan");
}

#[test]
fn elementwise_work_on_a_matrix_product_runs_as_its_epilogue() {
    use lazygrad::random::Generator;
    let mut rng = Generator::new(11);
    // Shapes that take each path of the product: one task, and, above the 2^25 bytes of
    // multiply-add work per batch entry that `gemm::task_count` splits, blocks of rows (a tall,
    // narrow output), blocks of columns (m < n), and a batch cut into column blocks. A pool of two
    // threads makes the splits happen whatever the machine's core count.
    let cases: Vec<(Tensor, Tensor)> = vec![
        (rng.randn([3, 4]), rng.randn([4, 5])),
        (rng.randn([600, 400]), rng.randn([400, 80])),
        (rng.randn([80, 400]), rng.randn([400, 600])),
        (rng.randn([3, 100, 300]), rng.randn([3, 300, 200])),
    ];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        for (a, b) in &cases {
            let n = b.shape()[b.ndim() - 1];
            let bias = rng.randn([n]);
            let old = rng.randn(a.matmul(b).shape());
            let graphs = |fusion: bool| -> Vec<Vec<f64>> {
                with_fusion(fusion, || {
                    let biased = (a.matmul(b) + &bias).tanh();
                    // The last instruction reads the product itself, so the epilogue copies each
                    // block of it to a register before overwriting it; in the others, earlier
                    // instructions read it in place.
                    let shifted = a.matmul(b) + &bias;
                    let updated = &old - a.matmul(b) * 1e-3;
                    let ints = a.astype(DType::I64).matmul(&b.astype(DType::I64)) * 3 + 1;
                    if fusion {
                        // The bias and tanh, the update, and the integer affine map each run inside
                        // their product's kernel: one kernel apiece.
                        assert_eq!(kernels(&[&biased]), 1);
                        assert_eq!(kernels(&[&shifted]), 1);
                        assert_eq!(kernels(&[&updated]), 1);
                        assert_eq!(kernels(&[&ints]), 3);
                    }
                    [biased, shifted, updated, ints.astype(DType::F64)]
                        .iter()
                        .map(|t| t.to_vec::<f64>())
                        .collect()
                })
            };
            let (fused, unfused) = (graphs(true), graphs(false));
            for (x, y) in fused.iter().zip(&unfused) {
                assert!(
                    x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()),
                    "an epilogue changed the results of a product of {:?} and {:?}",
                    a.shape(),
                    b.shape()
                );
            }
        }
    });
    // A product read transposed, read twice, or turned into another dtype stays a kernel of its
    // own: the epilogue must see each element of its own block, once, in the product's dtype.
    let (a, b) = (rng.randn([8, 8]), rng.randn([8, 8]));
    let product = a.matmul(&b);
    assert_eq!(kernels(&[&(product.t() + 1.0)]), 2);
    assert_eq!(kernels(&[&(&product * &product.sum())]), 3);
    assert_eq!(kernels(&[&product.gt(0.0)]), 2);
}

/// Fused and unfused values of `outputs`, which must agree bit for bit.
fn fused_equals_unfused(build: impl Fn() -> Vec<Tensor>) {
    let values = |fusion: bool| -> Vec<Vec<f64>> {
        with_fusion(fusion, || {
            build()
                .iter()
                .map(|t| t.astype(DType::F64).to_vec::<f64>())
                .collect()
        })
    };
    let (fused, unfused) = (values(true), values(false));
    for (x, y) in fused.iter().zip(&unfused) {
        assert!(x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()));
    }
}

#[test]
fn cheap_producers_are_recomputed_and_costly_ones_written_once() {
    let x = lazygrad::random::Generator::new(3).randn([50, 40]);
    // `x * 2.0` feeds a sum and an elementwise consumer: recomputing it in both is cheaper than
    // writing it out, so the plan is the row sum plus one elementwise kernel.
    let cheap = || {
        let doubled = &x * 2.0;
        vec![&doubled.sum_axes([1], true) + &doubled]
    };
    assert_eq!(kernels(&[&cheap()[0]]), 2);
    fused_equals_unfused(cheap);
    // `exp(x)` is a transcendental: written once, then read by both.
    let costly = || {
        let e = x.exp();
        vec![&e.sum_axes([1], true) + &e]
    };
    assert_eq!(kernels(&[&costly()[0]]), 3);
    fused_equals_unfused(costly);
    // A cheap producer that a matrix product reads is written once for every reader.
    let both = || {
        let shifted = &x - 1.0;
        vec![shifted.t().matmul(&shifted) + shifted.sum()]
    };
    fused_equals_unfused(both);
    assert_eq!(kernels(&[&both()[0]]), 3);
}

#[test]
fn kernels_read_at_most_max_operands_buffers() {
    let mut rng = lazygrad::random::Generator::new(4);
    let inputs: Vec<Tensor> = (0..40).map(|_| rng.randn([7, 5])).collect();
    let total = || {
        vec![
            inputs
                .iter()
                .skip(1)
                .fold(inputs[0].clone(), |acc, t| acc + t),
        ]
    };
    let plan = lazygrad::plan_for(&[&total()[0]]);
    let widest = plan
        .kernels
        .iter()
        .map(|k| k.operands().len())
        .max()
        .unwrap();
    assert!(
        widest <= lazygrad_compiler::MAX_OPERANDS,
        "a kernel reads {widest} buffers"
    );
    assert_eq!(plan.kernels.len(), 3, "40 inputs fit in three kernels");
    fused_equals_unfused(total);
}

#[test]
fn operations_on_constants_fold_at_compile_time() {
    let x = array([1.0, 2.0, 3.0]);
    // (2 + 0.25).sqrt() is one constant in the plan's program.
    let scale = lazygrad::full([3], 2.0) + 0.25;
    let y = &x * scale.sqrt();
    let plan = lazygrad::plan_for(&[&y]);
    let lazygrad_ir::KernelKind::Elementwise(program) = &plan.kernels[0].kind else {
        panic!("expected one elementwise kernel");
    };
    assert_eq!(plan.kernels.len(), 1);
    assert_eq!(
        program.instrs.len(),
        3,
        "load, the folded constant, multiply: {program:?}"
    );
    assert_eq!(y.to_vec::<f64>(), vec![1.5, 3.0, 4.5]);
}

/// Large elementwise kernels run as compiled single-pass code; it gives the block VM's bits,
/// fused and unfused, on contiguous, sliced, broadcast and transposed operands in both float
/// dtypes.
#[test]
fn compiled_elementwise_code_gives_the_vms_bits() {
    // 520 x 520 = 270 400 elements, above the size from which kernels compile.
    let n = 520;
    for dtype in [DType::F32, DType::F64] {
        let input = |seed: u64, shape: [usize; 2]| {
            let t = lazygrad::random::Generator::new(seed)
                .randn(shape)
                .astype(dtype);
            t.realize();
            t
        };
        let a = input(1, [n, n + 1]);
        let b = input(2, [n, n]);
        let row = input(3, [1, n]);
        let column = input(4, [n, 1]);
        // A sliced operand (rows of `n` in a buffer of rows of `n + 1`), a row broadcast down
        // the rows (step 1 in the inner loop), a column broadcast along them (step 0), and a
        // transposed operand, which runs in the VM.
        let sliced = a.slice(lazygrad::s![.., 1..]);
        let expressions = || {
            vec![
                ((&sliced * &b + &row * &row).abs().sqrt() * 0.5),
                (&b - &column) / (b.abs() + 1.0) - b.t(),
                -(&sliced * 3.0).reciprocal() + &column,
                // relu and a clip (the unit tests in `exec.rs` pair -0, +0 and NaN).
                (&b - &column).maximum(0.0).minimum(&row),
            ]
        };
        let run = |jit: bool, fusion: bool| -> Vec<Vec<f64>> {
            lazygrad::with_jit(jit, || {
                with_fusion(fusion, || {
                    let values = expressions();
                    // Realized before the cast to float64, which would otherwise fuse into
                    // their kernels; casts run in the VM.
                    lazygrad::realize_all(&values.iter().collect::<Vec<_>>()).unwrap();
                    values
                        .iter()
                        .map(|t| t.astype(DType::F64).to_vec::<f64>())
                        .collect()
                })
            })
        };
        let before = lazygrad::jit_programs();
        let compiled = run(true, true);
        assert!(
            lazygrad::jit_programs() > before,
            "no kernel compiled in {dtype:?}"
        );
        for (jit, fusion) in [(false, true), (true, false), (false, false)] {
            for (x, y) in compiled.iter().zip(&run(jit, fusion)) {
                let same = x
                    .iter()
                    .zip(y)
                    .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()));
                assert!(
                    same,
                    "{dtype:?}: jit {jit}, fusion {fusion} differs from compiled fused code"
                );
            }
        }
    }
}
