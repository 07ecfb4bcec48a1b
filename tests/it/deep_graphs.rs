//! Graphs far deeper than a thread's stack: no walk, drop or dump recurses once per node.
//!
//! Each test runs on a thread of its own with a 2 MiB stack (the default for spawned threads),
//! where a recursion of a few tens of thousands of frames would overflow.

use lazygrad::{Tensor, array};

/// The depth of the chains: a recursion per node of even 8 bytes of stack would need 8 MB.
const DEPTH: usize = 1_000_000;

/// Runs `body` on a spawned thread with a 2 MiB stack and returns its result.
fn on_small_stack<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(body)
        .expect("a thread spawns")
        .join()
        .expect("the body ran without panicking")
}

/// `x + 1 + 1 + ...`, `depth` additions deep, none of it realized.
fn chain(x: &Tensor, depth: usize) -> Tensor {
    let mut y = x.clone();
    for _ in 0..depth {
        y = &y + 1.0;
    }
    y
}

#[test]
fn a_pending_chain_of_a_million_ops_drops() {
    on_small_stack(|| drop(chain(&array([1.0, 2.0, 3.0, 4.0]), DEPTH)));
}

#[test]
fn a_chain_of_a_million_ops_dumps_differentiates_realizes_prints_and_drops() {
    let dir = std::env::temp_dir().join(format!("lazygrad-deep-dump-{}", std::process::id()));
    let (listing, paths, value, grad, printed) = on_small_stack({
        let dir = dir.clone();
        move || {
            // One chain serves every walk, to keep the test's time and memory down: with a
            // leaf that requires grad, realized nodes keep their inputs, so the whole chain
            // is still there to be dropped at the end.
            let x = array([1.0, 2.0, 3.0, 4.0]).requires_grad();
            let y = chain(&x, DEPTH);
            let listing = lazygrad::viz::graph_text(&[&y]);
            let paths = lazygrad::viz::write_dumps(&dir, "deep", &[&y]).expect("dumps write");
            let loss = y.sum();
            let grad = loss.grad(&[&x]).remove(0);
            lazygrad::realize_all(&[&loss, &grad]).expect("the step runs");
            let printed = format!("{y:?}");
            (
                listing,
                paths,
                loss.item::<f64>(),
                grad.to_vec::<f64>(),
                printed,
            )
        }
    });
    assert_eq!(
        listing.matches(" add ").count(),
        DEPTH,
        "{}",
        &listing[..200]
    );
    assert_eq!(paths.len(), 6);
    // The SVGs are drawn from the outputs back: the output is there, with the nodes nearest
    // it, and a note says how many were left out.
    let graph_svg = std::fs::read_to_string(dir.join("deep-graph.svg")).expect("the SVG dump");
    assert!(graph_svg.contains("nodes farthest from the outputs are not drawn"));
    assert!(graph_svg.contains("output 0"), "the output node is drawn");
    assert!(graph_svg.matches("stroke-width=\"2.5\"").count() >= 1);
    let plan_svg = std::fs::read_to_string(dir.join("deep-plan.svg")).expect("the SVG dump");
    assert!(plan_svg.contains("nodes farthest from the outputs are not drawn"));
    assert!(
        plan_svg.matches("stroke-width=\"2.5\"").count() >= 1,
        "the output slot is drawn"
    );
    assert_eq!(value, 10.0 + 4.0 * DEPTH as f64);
    assert_eq!(grad, vec![1.0; 4]);
    assert_eq!(printed, "array([1000001., 1000002., 1000003., 1000004.])");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_fused_chain_of_100k_ops_over_a_mebibyte_needs_registers_for_its_live_values_only() {
    if !crate::memory::in_own_process(
        "deep_graphs::a_fused_chain_of_100k_ops_over_a_mebibyte_needs_registers_for_its_live_values_only",
    ) {
        return;
    }
    // 2^17 float64 values are 1 MiB. The simplified program is 100,000 additions of one
    // constant: one register per instruction would take 100,000 registers of a block each
    // (800 MB); registers reused by liveness take five (40 KB). The same chain over four
    // elements first sets the peak that the graph and its compilation take (a register holds
    // at most as many elements as the kernel has). It runs twice, as the allocator's peak
    // settles only after the first run.
    for _ in 0..2 {
        let small = chain(&lazygrad::arange(4).astype(lazygrad::DType::F64), 100_000);
        assert_eq!(
            small.to_vec::<f64>(),
            vec![100_000.0, 100_001.0, 100_002.0, 100_003.0]
        );
    }
    let x = lazygrad::arange(1 << 17).astype(lazygrad::DType::F64);
    x.realize();
    let before = peak_kib();
    let y = chain(&x, 100_000);
    assert_eq!(
        lazygrad::plan_for(&[&y]).kernels.len(),
        1,
        "the chain fuses"
    );
    let values = y.to_vec::<f64>();
    let after = peak_kib();
    assert!(
        values
            .iter()
            .enumerate()
            .all(|(idx, &v)| v == idx as f64 + 100_000.0)
    );
    if let (Some(before), Some(after)) = (before, after) {
        // Even so the peak moves by up to 70 MiB between runs of the same graph (measured:
        // 68 MiB with one warm-up run and once with two), so the bound sits between that
        // noise and the 800 MB of registers sized by the program's length.
        assert!(
            after < before + 256 * 1024,
            "peak resident memory grew from {before} KiB to {after} KiB"
        );
    }
}

/// The process's peak resident set size in KiB, where `/proc` tells it.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
