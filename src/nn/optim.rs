//! Optimizers: each `step` builds the updates from lazy gradients and computes the loss, the new
//! parameters and the optimizer's state together in one `realize_all` plan.

use crate::{Error, Result, Tensor, realize_all};

/// Something that updates parameters from the gradients of a loss.
pub trait Optimizer {
    /// Takes one step down the gradient of `loss` with respect to `params` (rebinding them),
    /// computes everything in one plan, and returns the loss's value.
    fn step(&mut self, loss: &Tensor, params: Vec<&mut Tensor>) -> Result<f64>;
}

/// Stochastic gradient descent with optional momentum (PyTorch's `SGD`):
/// `v = momentum * v + g; p = p - lr * v`.
#[derive(Clone, Debug)]
pub struct Sgd {
    /// The learning rate.
    pub lr: f64,
    /// The momentum factor; 0 is plain gradient descent.
    pub momentum: f64,
    velocity: Vec<Option<Tensor>>,
}

impl Sgd {
    /// Plain gradient descent, `p = p - lr * g`.
    pub fn new(lr: f64) -> Sgd {
        Sgd::with_momentum(lr, 0.0)
    }

    /// Gradient descent with momentum.
    pub fn with_momentum(lr: f64, momentum: f64) -> Sgd {
        Sgd {
            lr,
            momentum,
            velocity: Vec::new(),
        }
    }
}

impl Optimizer for Sgd {
    fn step(&mut self, loss: &Tensor, params: Vec<&mut Tensor>) -> Result<f64> {
        let (lr, momentum) = (self.lr, self.momentum);
        let velocity = &mut self.velocity;
        let (value, state) = run_step(loss, params, |idx, param, grad| {
            if momentum == 0.0 {
                return (param - &(&grad * lr), Vec::new());
            }
            let v = match slot(velocity, idx).take() {
                Some(v) => &(&v * momentum) + &grad,
                None => grad,
            };
            (param - &(&v * lr), vec![v])
        })?;
        for (idx, mut new) in state.into_iter().enumerate() {
            *slot(&mut self.velocity, idx) = new.pop();
        }
        Ok(value)
    }
}

/// Adam (Kingma and Ba, 2015) with bias correction:
/// `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`,
/// `p = p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)`.
#[derive(Clone, Debug)]
pub struct Adam {
    /// The learning rate.
    pub lr: f64,
    /// The decay of the first moment.
    pub beta1: f64,
    /// The decay of the second moment.
    pub beta2: f64,
    /// Added to the denominator to avoid dividing by zero.
    pub eps: f64,
    steps: i32,
    moments: Vec<Option<(Tensor, Tensor)>>,
}

impl Adam {
    /// Adam with the usual defaults: betas 0.9 and 0.999, eps 1e-8.
    pub fn new(lr: f64) -> Adam {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            steps: 0,
            moments: Vec::new(),
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, loss: &Tensor, params: Vec<&mut Tensor>) -> Result<f64> {
        self.steps += 1;
        let Adam {
            lr,
            beta1,
            beta2,
            eps,
            steps,
            ..
        } = *self;
        let (correct1, correct2) = (1.0 - beta1.powi(steps), 1.0 - beta2.powi(steps));
        let moments = &mut self.moments;
        let (value, state) = run_step(loss, params, |idx, param, grad| {
            let (m, v) = match slot(moments, idx).take() {
                Some((m, v)) => (
                    &(&m * beta1) + &(&grad * (1.0 - beta1)),
                    &(&v * beta2) + &(&grad.square() * (1.0 - beta2)),
                ),
                None => (&grad * (1.0 - beta1), &grad.square() * (1.0 - beta2)),
            };
            let step = &(&m * (lr / correct1)) / &(&(&v / correct2).sqrt() + eps);
            (param - &step, vec![m, v])
        })?;
        for (idx, new) in state.into_iter().enumerate() {
            let mut moments = new.into_iter();
            *slot(&mut self.moments, idx) = moments.next().zip(moments.next());
        }
        Ok(value)
    }
}

/// The state slot for parameter `idx`, growing the list as needed.
fn slot<T>(slots: &mut Vec<Option<T>>, idx: usize) -> &mut Option<T> {
    if slots.len() <= idx {
        slots.resize_with(idx + 1, || None);
    }
    &mut slots[idx]
}

/// The step every optimizer shares: gradients of `loss`, updates built by `update` with
/// tracking off (so neither they nor the new state carry a graph into the next step), one plan
/// for the loss, the new parameters and the new state, then the parameters rebound.
fn run_step(
    loss: &Tensor,
    mut params: Vec<&mut Tensor>,
    mut update: impl FnMut(usize, &Tensor, Tensor) -> (Tensor, Vec<Tensor>),
) -> Result<(f64, Vec<Vec<Tensor>>)> {
    let current: Vec<&Tensor> = params.iter().map(|p| &**p).collect();
    let grads = loss.try_grad(&current)?;
    let (updated, state): (Vec<Tensor>, Vec<Vec<Tensor>>) = crate::no_grad(|| {
        current
            .iter()
            .zip(grads)
            .enumerate()
            .map(|(idx, (param, grad))| update(idx, param, grad))
            .unzip()
    });
    let mut outputs: Vec<&Tensor> = vec![loss];
    outputs.extend(&updated);
    outputs.extend(state.iter().flatten());
    realize_all(&outputs)?;
    for (param, new) in params.iter_mut().zip(updated) {
        // A parameter marked with `requires_grad` stays marked, as a fresh leaf.
        **param = if param.tracks_grad() {
            new.requires_grad()
        } else {
            new
        };
    }
    Ok((scalar_value(loss)?, state))
}

/// A realized one-element float tensor's value as `f64`.
fn scalar_value(loss: &Tensor) -> Result<f64> {
    match loss.dtype() {
        crate::DType::F32 => Ok(f64::from(loss.try_item::<f32>()?)),
        crate::DType::F64 => loss.try_item::<f64>(),
        other => Err(Error::Invalid {
            op: "step",
            message: format!("the loss must be float32 or float64, not {other}"),
        }),
    }
}
