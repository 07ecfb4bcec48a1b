//! Realized nodes drop their inputs, so a loop that builds and realizes graphs stays flat.

use lazygrad::array;

/// Held by the tests that allocate tens of megabytes (`train.rs`, `parallel.rs`) and by the
/// tests that read resident memory, so those tests never run at once. The samples themselves
/// are taken in a process of their own ([`in_own_process`]).
static RESIDENT_MEMORY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Takes [`RESIDENT_MEMORY`]; a test that panicked while holding it leaves nothing behind.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    RESIDENT_MEMORY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Marks the child process that [`in_own_process`] starts.
const OWN_PROCESS: &str = "LAZYGRAD_TEST_OWN_PROCESS";

/// Returns true in a process that runs only the test `name`; elsewhere runs this test binary
/// again on that one test, checks that it passed, and returns false. Resident memory counts
/// every thread's allocations, so tests running alongside once grew it by 8-25 MiB within a
/// sample (three of six runs of the whole binary failed that way).
pub fn in_own_process(name: &str) -> bool {
    if std::env::var_os(OWN_PROCESS).is_some() {
        return true;
    }
    rerun_alone(name, &[(OWN_PROCESS, std::ffi::OsStr::new("1"))]);
    false
}

/// Runs this test binary again on the test `name` alone, with the environment variables
/// `envs`, and checks that it passed.
pub fn rerun_alone(name: &str, envs: &[(&str, &std::ffi::OsStr)]) {
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", name, "--test-threads=1", "--nocapture"])
        .envs(envs.iter().copied())
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{name} in a process of its own:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn memory_stays_flat_over_100k_realizations() {
    if !in_own_process("memory::memory_stays_flat_over_100k_realizations") {
        return;
    }
    let _exclusive = exclusive();
    let w = array([[0.5, -0.25], [0.125, 1.0]]);
    let mut x = array([1.0, 2.0]);
    let rss_after = |step: usize| {
        if step == 10_000 || step == 99_999 {
            resident_kib()
        } else {
            None
        }
    };
    let mut samples = Vec::new();
    for step in 0..100_000 {
        x = (w.matmul(&x) * 0.5).tanh() + 0.1;
        x.realize();
        if let Some(kib) = rss_after(step) {
            samples.push(kib);
        }
    }
    assert!(x.sum().item::<f64>().is_finite());
    if let [early, late] = samples[..] {
        // Allowing a little allocator noise: a leak of even 100 bytes per step would be 10 MB.
        assert!(
            late < early + 4096,
            "resident memory grew from {early} KiB to {late} KiB"
        );
    }
}

/// The process's resident set size in KiB, where `/proc` tells it.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn memory_stays_flat_over_training_steps_that_read_the_loss_first() {
    if !in_own_process("memory::memory_stays_flat_over_training_steps_that_read_the_loss_first") {
        return;
    }
    let _exclusive = exclusive();
    use lazygrad::nn::{Optimizer, Sgd};
    // Parameters that require grad make realized nodes keep their inputs; reading the loss
    // before the step exercises that, and nothing may pile up from step to step.
    let mut rng = lazygrad::random::Generator::new(0);
    // Parameters of 256 KiB: keeping every step's old weights alive would add 375 MiB over
    // the sampled steps, far above the allocator's noise.
    let (x, y) = (rng.randn([16, 256]), rng.randn([16, 4]));
    let mut w1 = (rng.randn([256, 128]) * 0.01).requires_grad();
    let mut w2 = (rng.randn([128, 4]) * 0.01).requires_grad();
    let mut sgd = Sgd::with_momentum(1e-3, 0.9);
    let mut samples = Vec::new();
    for step in 0..2000 {
        let loss = (&x.matmul(&w1).relu().matmul(&w2) - &y).square().sum();
        let value = loss.item::<f64>();
        let stepped = sgd
            .step(&loss, vec![&mut w1, &mut w2])
            .expect("the step computes");
        assert_eq!(stepped, value);
        if (step == 500 || step == 1999)
            && let Some(kib) = resident_kib()
        {
            samples.push(kib);
        }
    }
    assert!(w1.tracks_grad(), "parameters stay marked after a step");
    if let [early, late] = samples[..] {
        assert!(
            late < early + 32 * 1024,
            "resident memory grew from {early} KiB to {late} KiB"
        );
    }
}

#[test]
fn kernels_write_over_intermediates_that_die_there() {
    let a = lazygrad::random::Generator::new(5).randn([400, 400]);
    a.realize();
    let input = a.to_vec::<f64>();
    // The scan writes a buffer that only the fused elementwise kernel reads, element for
    // element, so that kernel writes its result over the scan's (in parallel blocks: 160 000
    // elements is above the threading threshold).
    let out = (a.cumsum_axis(0).exp() * 0.5).tanh();
    assert_eq!(lazygrad::plan_for(&[&out]).kernels.len(), 2);
    let before = lazygrad::buffers_allocated();
    out.realize();
    assert_eq!(
        lazygrad::buffers_allocated(),
        before + 1,
        "the elementwise kernel reuses the scan's buffer"
    );
    // A scan a tensor still holds is never written; neither is one read transposed, whose
    // element i is not the output's element i.
    let scanned = a.cumsum_axis(0);
    scanned.realize();
    let scanned_values = scanned.to_vec::<f64>();
    let kept = (scanned.exp() * 0.5).tanh();
    let transposed = (a.cumsum_axis(0).t().exp() * 0.5).tanh();
    let before = lazygrad::buffers_allocated();
    lazygrad::realize_all(&[&kept, &transposed]).unwrap();
    assert_eq!(lazygrad::buffers_allocated(), before + 3);
    assert_eq!(out.to_vec::<f64>(), kept.to_vec::<f64>());
    assert_eq!(scanned.to_vec::<f64>(), scanned_values);
    assert_eq!(out.t().to_vec::<f64>(), transposed.to_vec::<f64>());
    assert_eq!(a.to_vec::<f64>(), input, "inputs are never written");
}
