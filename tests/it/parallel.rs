//! Large kernels split across threads give the same bits as one thread, and the right values.

use lazygrad::{DType, Tensor, random::Generator, s};

/// Runs `body` on a rayon pool of `threads` threads.
fn on_threads<R: Send>(threads: usize, body: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(body)
}

fn results(x: &Tensor) -> Vec<Vec<f64>> {
    let outputs = [
        x.sum_axes([0], false),
        x.sum_axes([1], false),
        x.sum(),
        x.t().sum_axes([1], false),
        // Column reductions over 613 and 701 rows fold fixed chunks of 256 rows, here of a
        // contiguous and of a transposed input.
        x.max_axes([0], false),
        x.t().sum_axes([0], false),
        ((x * x + 1.0).sqrt() * 0.5).sum_axes([1], true),
        (x * 2.0 - 1.0).tanh(),
        // Products big enough to be cut into blocks (`gemm::task_count` splits from 2^25 bytes
        // of multiply-adds per batch entry): of columns (64 rows against 701 columns), of rows
        // through a transposed view, batched (200x600 @ 600x50 per entry), and in float32
        // (which `to_vec::<f64>` widens exactly); and one small enough to run whole.
        x.slice(s![..64, ..613]).matmul(x),
        x.slice(s![..64, ..613]).matmul(&x.slice(s![.., ..100])),
        x.t().matmul(&x.slice(s![.., ..64])),
        // The same product with an elementwise epilogue, which runs on each chunk of rows once
        // its last block of inner indices is in.
        x.t().matmul(&x.slice(s![.., ..64])) * 0.5 + 1.0,
        // Cut into blocks of columns on one and two threads (701 columns, in blocks of at
        // least `gemm::MIN_BLOCK_COLS`), into chunks of rows on four, with an epilogue that runs
        // once every column block is in.
        x.t().matmul(x) * 0.5 + 1.0,
        x.slice(s![..600, ..600])
            .reshape([3, 200, 600])
            .matmul(&x.slice(s![..600, ..50])),
        x.astype(DType::F32)
            .t()
            .matmul(&x.astype(DType::F32))
            .astype(DType::F64),
    ];
    outputs.iter().map(|t| t.to_vec::<f64>()).collect()
}

#[test]
fn thread_count_does_not_change_results() {
    // Tens of megabytes pass through the buffer pool here.
    let _exclusive = crate::memory::exclusive();
    let x = Generator::new(7).randn([613, 701]);
    x.realize();
    let one = on_threads(1, || results(&x));
    let two = on_threads(2, || results(&x));
    let four = on_threads(4, || results(&x));
    assert_eq!(one, two);
    assert_eq!(one, four);
}

#[test]
fn parallel_reductions_match_a_plain_loop() {
    let (rows, cols) = (613, 701);
    let x = Generator::new(3).randn([rows, cols]);
    let data = x.to_vec::<f64>();
    let col_sums: Vec<f64> = (0..cols)
        .map(|c| (0..rows).map(|r| data[r * cols + c]).sum())
        .collect();
    let row_sums: Vec<f64> = (0..rows)
        .map(|r| data[r * cols..(r + 1) * cols].iter().sum())
        .collect();
    let total: f64 = data.iter().sum();
    let close = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + y.abs()))
    };
    assert!(close(&x.sum_axes([0], false).to_vec::<f64>(), &col_sums));
    assert!(close(&x.sum_axes([1], false).to_vec::<f64>(), &row_sums));
    assert!(close(
        &x.t().sum_axes([0], false).to_vec::<f64>(),
        &row_sums
    ));
    assert!(close(&[x.sum().item::<f64>()], &[total]));
    let doubled = (&x * 2.0).to_vec::<f64>();
    assert!(doubled.iter().zip(&data).all(|(d, v)| *d == 2.0 * v));
}
