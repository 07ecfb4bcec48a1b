//! Initializers: random parameter tensors drawn from an explicit, seeded [`Generator`].
//!
//! Each takes the shape, the dtype and a generator, so a model built twice from the same seed
//! starts from the same weights.

use crate::random::Generator;
use crate::{DType, IntoShape, Tensor};

/// Normal samples with standard deviation `std` (`torch.nn.init.normal_`).
///
/// ```
/// let mut rng = lazygrad::random::Generator::new(0);
/// let w = lazygrad::nn::init::normal(&mut rng, [3, 2], 0.1, lazygrad::DType::F32);
/// assert_eq!((w.shape(), w.dtype()), (&[3usize, 2][..], lazygrad::DType::F32));
/// ```
#[track_caller]
pub fn normal(rng: &mut Generator, shape: impl IntoShape, std: f64, dtype: DType) -> Tensor {
    realized(rng.normal(0.0, std, shape).astype(dtype))
}

/// Uniform samples in `[low, high)` (`torch.nn.init.uniform_`).
#[track_caller]
pub fn uniform(
    rng: &mut Generator,
    shape: impl IntoShape,
    low: f64,
    high: f64,
    dtype: DType,
) -> Tensor {
    realized(rng.uniform(low, high, shape).astype(dtype))
}

/// He (Kaiming) normal for a `(fan_in, fan_out)` weight: std `sqrt(2 / fan_in)`, which keeps
/// the variance of activations steady through ReLU layers.
#[track_caller]
pub fn he_normal(rng: &mut Generator, fan_in: usize, fan_out: usize, dtype: DType) -> Tensor {
    normal(rng, [fan_in, fan_out], (2.0 / fan_in as f64).sqrt(), dtype)
}

/// Xavier (Glorot) uniform for a `(fan_in, fan_out)` weight: `U(-a, a)` with
/// `a = sqrt(6 / (fan_in + fan_out))`, suited to tanh and sigmoid layers.
#[track_caller]
pub fn xavier_uniform(rng: &mut Generator, fan_in: usize, fan_out: usize, dtype: DType) -> Tensor {
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
    uniform(rng, [fan_in, fan_out], -limit, limit, dtype)
}

/// Parameters are leaves holding data, so a cast is computed once here, not every step.
#[track_caller]
fn realized(t: Tensor) -> Tensor {
    t.realize();
    t.detach()
}
