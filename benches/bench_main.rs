//! The criterion suite: one group per op family and dtype, each expression timed fused and
//! unfused (`cargo bench --bench bench_main`).
//!
//! Results land in `target/criterion/<group>/<variant>/<parameter>/new/`;
//! `benches/numpy_compare.py target/criterion` puts them next to numpy's times for the same work.

mod benchmarks;

criterion::criterion_main!(
    benchmarks::elementwise::benches,
    benchmarks::reduction::benches,
    benchmarks::matmul::benches,
    benchmarks::overhead::benches,
);
