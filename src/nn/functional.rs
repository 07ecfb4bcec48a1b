//! Activations and losses as numpy-level functions built from primitives.

use crate::{DType, Tensor};

impl Tensor {
    /// `max(x, 0)` elementwise (the rectifier); its gradient at exactly 0 is 1/2 (see `maximum`).
    ///
    /// ```
    /// let h = lazygrad::array([-1.0, 2.0]);
    /// assert_eq!(h.relu().to_vec::<f64>(), vec![0.0, 2.0]);
    /// ```
    #[track_caller]
    pub fn relu(&self) -> Tensor {
        self.maximum(0.0)
    }

    /// The logistic function `1 / (1 + exp(-x))`, computed as `(tanh(x / 2) + 1) / 2`, which
    /// neither overflows for large `|x|` nor gives a NaN gradient there.
    ///
    /// ```
    /// let x = lazygrad::array([0.0, -1000.0, 1000.0]);
    /// assert_eq!(x.sigmoid().to_vec::<f64>(), vec![0.5, 0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn sigmoid(&self) -> Tensor {
        (&(self * 0.5).tanh() + 1.0) * 0.5
    }

    /// `log(softmax(x))` along `axis`, stable for large inputs: `x - m - log(sum(exp(x - m)))`
    /// with `m` the (detached) maximum, whose gradient would cancel anyway.
    ///
    /// ```
    /// let x = lazygrad::array([[1000.0, 1000.0]]);
    /// let expected = -(2f64.ln());
    /// assert_eq!(x.log_softmax(-1).to_vec::<f64>(), vec![expected, expected]);
    /// ```
    #[track_caller]
    pub fn log_softmax(&self, axis: isize) -> Tensor {
        let shifted = self - &self.max_axes(axis, true).detach();
        &shifted - &shifted.exp().sum_axes(axis, true).log()
    }

    /// `exp(x) / sum(exp(x))` along `axis` (stable: computed from [`Tensor::log_softmax`]).
    ///
    /// ```
    /// let p = lazygrad::array([[1.0, 1.0, 1.0, 1.0]]).softmax(1);
    /// assert_eq!(p.to_vec::<f64>(), vec![0.25; 4]);
    /// ```
    #[track_caller]
    pub fn softmax(&self, axis: isize) -> Tensor {
        self.log_softmax(axis).exp()
    }
}

/// [`Tensor::relu`] as a function.
#[track_caller]
pub fn relu(x: &Tensor) -> Tensor {
    x.relu()
}

/// [`Tensor::sigmoid`] as a function.
#[track_caller]
pub fn sigmoid(x: &Tensor) -> Tensor {
    x.sigmoid()
}

/// [`Tensor::softmax`] as a function.
#[track_caller]
pub fn softmax(x: &Tensor, axis: isize) -> Tensor {
    x.softmax(axis)
}

/// [`Tensor::log_softmax`] as a function.
#[track_caller]
pub fn log_softmax(x: &Tensor, axis: isize) -> Tensor {
    x.log_softmax(axis)
}

/// `sum((pred - target)^2)`, the cheat sheet's loss.
///
/// ```
/// let loss = lazygrad::nn::sum_of_squares(&lazygrad::array([1.0, 2.0]), &lazygrad::array([0.0, 0.0]));
/// assert_eq!(loss.item::<f64>(), 5.0);
/// ```
#[track_caller]
pub fn sum_of_squares(pred: &Tensor, target: &Tensor) -> Tensor {
    (pred - target).square().sum()
}

/// The mean squared error `mean((pred - target)^2)`.
#[track_caller]
pub fn mse(pred: &Tensor, target: &Tensor) -> Tensor {
    (pred - target).square().mean()
}

/// Integer labels of shape `(n,)` as `(n, classes)` one-hot rows of `dtype`.
///
/// Built by comparison (`labels[:, None] == arange(classes)`), so it needs no gather.
///
/// ```
/// use lazygrad::DType;
/// let rows = lazygrad::nn::one_hot(&lazygrad::array([2, 0]), 3, DType::F64);
/// assert_eq!(rows.to_vec::<f64>(), vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// ```
#[track_caller]
pub fn one_hot(labels: &Tensor, classes: usize, dtype: DType) -> Tensor {
    // A count past int64 saturates, so it fails as too big instead of wrapping to a negative
    // count (an empty range of classes).
    let classes = i64::try_from(classes).unwrap_or(i64::MAX);
    labels
        .expand_dims(1)
        .equal(crate::arange(classes))
        .astype(dtype)
}

/// The mean cross-entropy of `(n, classes)` logits against `(n,)` integer labels, computed
/// from [`Tensor::log_softmax`] so large logits neither overflow nor lose precision.
///
/// ```
/// let logits = lazygrad::array([[0.0, 0.0], [10.0, -10.0]]);
/// let loss = lazygrad::nn::cross_entropy(&logits, &lazygrad::array([1, 0]));
/// assert!((loss.item::<f64>() - 2f64.ln() / 2.0).abs() < 1e-8);
/// ```
#[track_caller]
pub fn cross_entropy(logits: &Tensor, labels: &Tensor) -> Tensor {
    let classes = logits.shape()[logits.ndim() - 1];
    let picked = one_hot(labels, classes, logits.dtype());
    -(&picked * &logits.log_softmax(-1))
        .sum_axes(-1, false)
        .mean()
}
