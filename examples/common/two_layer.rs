//! The cheat sheet's 2-layer network, shared by `examples/two_layer_net.rs` and the test that
//! checks autodiff against the hand-written backprop (`tests/it/train.rs`).
//!
//! `x` (N, D_in) and `y` (N, D_out) are random, the weights `w1` (D_in, H) and `w2` (H, D_out)
//! too; each step computes `loss = sum((relu(x w1) w2 - y)^2)` and moves the weights down its
//! gradient, by autodiff through [`lazygrad::nn::Sgd`] or by the sheet's backprop.

use lazygrad::nn::{Optimizer, Sgd};
use lazygrad::random::Generator;
use lazygrad::{DType, Tensor, realize_all};
use std::time::{Duration, Instant};

/// Batch size, input, hidden and output widths: the sheet's `N, D_in, H, D_out`.
pub const SIZES: (usize, usize, usize, usize) = (64, 1000, 100, 10);

/// How to train.
#[derive(Clone, Debug)]
pub struct Config {
    /// The number of steps.
    pub steps: usize,
    /// float32 or float64.
    pub dtype: DType,
    /// The seed of the data and the weights.
    pub seed: u64,
    /// The learning rate.
    pub lr: f64,
    /// Train with the sheet's hand-written backprop instead of autodiff.
    pub manual: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            steps: 500,
            dtype: DType::F64,
            seed: 0,
            lr: 1e-6,
            manual: false,
        }
    }
}

/// Where a step's time went: building the graph (forward, gradient and update nodes) and
/// `realize` (the plan cache lookup and the kernels, or compiling on a miss).
#[derive(Clone, Copy, Debug, Default)]
pub struct StepTimes {
    /// Building the step's nodes.
    pub graph: Duration,
    /// Computing the loss and the new weights.
    pub realize: Duration,
}

/// The sheet's data and weights: standard normal samples from one seeded generator.
pub fn init(config: &Config) -> [Tensor; 4] {
    let (n, d_in, h, d_out) = SIZES;
    let mut rng = Generator::new(config.seed);
    [[n, d_in], [n, d_out], [d_in, h], [h, d_out]].map(|shape| {
        let t = rng.randn(shape).astype(config.dtype);
        t.realize();
        t
    })
}

/// One step's loss and updated weights, built but not computed: by autodiff (the updates as
/// `Sgd` builds them) or by the sheet's backprop. `train` runs the same graph; dumps draw it.
pub fn step_graph(config: &Config, [x, y, w1, w2]: &[Tensor; 4]) -> [Tensor; 3] {
    let h = x.dot(w1);
    let h_relu = h.maximum(0.0);
    let y_pred = h_relu.dot(w2);
    let loss = (&y_pred - y).square().sum();
    let (grad_w1, grad_w2) = if config.manual {
        let grad_y_pred = (&y_pred - y) * 2.0;
        let grad_w2 = h_relu.t().dot(&grad_y_pred);
        let grad_h_relu = grad_y_pred.dot(&w2.t());
        let grad_h = lazygrad::where_(&h.lt(0.0), 0.0, &grad_h_relu);
        (x.t().dot(&grad_h), grad_w2)
    } else {
        let [grad_w1, grad_w2]: [Tensor; 2] =
            loss.grad(&[w1, w2]).try_into().expect("two gradients");
        (grad_w1, grad_w2)
    };
    let (w1, w2) =
        lazygrad::no_grad(|| (w1 - &(&grad_w1 * config.lr), w2 - &(&grad_w2 * config.lr)));
    [loss, w1, w2]
}

/// Trains, calling `on_step(t, loss, times)` after every step, and returns the losses.
pub fn train(config: &Config, mut on_step: impl FnMut(usize, f64, StepTimes)) -> Vec<f64> {
    let [x, y, mut w1, mut w2] = init(config);
    let mut sgd = Sgd::new(config.lr);
    let mut losses = Vec::with_capacity(config.steps);
    for t in 0..config.steps {
        let start = Instant::now();
        let (value, times) = if config.manual {
            let [loss, new_w1, new_w2] = step_graph(config, &[x.clone(), y.clone(), w1, w2]);
            let built = Instant::now();
            realize_all(&[&loss, &new_w1, &new_w2]).expect("the step computes");
            (w1, w2) = (new_w1, new_w2);
            let times = StepTimes {
                graph: built - start,
                realize: built.elapsed(),
            };
            (loss_value(&loss), times)
        } else {
            let loss = (&x.dot(&w1).maximum(0.0).dot(&w2) - &y).square().sum();
            // `step` builds the gradients and updates, then realizes. To split the two, the
            // gradient graph is also built once on its own here (it is cheap and dropped).
            let built = Instant::now();
            drop(loss.grad(&[&w1, &w2]));
            let gradients = built.elapsed();
            let stepped = Instant::now();
            let value = sgd
                .step(&loss, vec![&mut w1, &mut w2])
                .expect("the step computes");
            let times = StepTimes {
                graph: built - start + gradients,
                realize: stepped.elapsed().saturating_sub(gradients),
            };
            (value, times)
        };
        losses.push(value);
        on_step(t, value, times);
    }
    losses
}

fn loss_value(loss: &Tensor) -> f64 {
    match loss.dtype() {
        DType::F32 => f64::from(loss.item::<f32>()),
        _ => loss.item::<f64>(),
    }
}
