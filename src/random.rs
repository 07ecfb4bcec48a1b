//! Seeded random arrays (`np.random`): a global generator and explicit [`Generator`]s.
//!
//! Streams are reproducible for a given seed and lazygrad version (Xoshiro256++), but are not
//! numpy's streams: the same seed gives different numbers than numpy.
//! [`Generator`] has the methods of numpy's `np.random.default_rng()`, each with a `try_` twin
//! that returns numpy's error for bad parameters; the free functions draw from the global
//! generator under the names of numpy's `np.random` functions.
//! Samples are drawn when the call is made, so every result is a computed leaf; `permutation`,
//! `shuffle` and `choice` of an array gather its rows lazily (and differentiably) by the drawn
//! indices.

use crate::args::{IntoOperand, IntoShape, Operand};
use crate::indexing::SliceArg;
use crate::tensor::unwrap_at_caller;
use crate::{Storage, Tensor};
use lazygrad_cpu::huge_page_vec;
use lazygrad_ir::{DType, Error, Result, Shape, Weak};
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Binomial, Distribution, Exp1, Gamma, Poisson, StandardNormal, Uniform};
use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// A random generator with numpy's `default_rng` methods.
///
/// ```
/// let mut rng = lazygrad::random::Generator::new(0);
/// let x = rng.randn([2, 3]);
/// assert_eq!(x.shape(), &[2, 3]);
/// ```
#[derive(Clone, Debug)]
pub struct Generator {
    rng: Xoshiro256PlusPlus,
}

/// numpy's largest Poisson mean (`POISSON_LAM_MAX`): the int64 maximum less ten standard
/// deviations, so that a sample fits in int64.
const POISSON_LAM_MAX: f64 = i64::MAX as f64 - 10.0 * 3_037_000_499.976_05;

/// An [`Error::Invalid`] of a random op, with numpy's message.
fn invalid(op: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid {
        op,
        message: message.into(),
    }
}

/// numpy's `CONS_NON_NEGATIVE` check: a set sign bit (so -0.0 too) is refused, NaN is let
/// through to the samples.
fn check_non_negative(op: &'static str, name: &str, value: f64) -> Result<()> {
    if !value.is_nan() && value.is_sign_negative() {
        return Err(invalid(op, format!("{name} < 0")));
    }
    Ok(())
}

/// A sum in float64 with Kahan's compensation, as numpy sums probabilities before it checks
/// that they add up to 1.
fn kahan_sum(values: &[f64]) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for &value in values {
        let y = value - carry;
        let t = sum + y;
        carry = (t - sum) - y;
        sum = t;
    }
    sum
}

/// What `choice` and `permutation` draw from: the integers `0..n`, or the rows of an array.
enum Population {
    Range(i64),
    Rows(Tensor),
}

impl Population {
    /// The number of items to draw from; a negative range has none.
    fn len(&self) -> usize {
        match self {
            // A non-negative i64 fits in usize on the 64-bit targets lazygrad supports.
            Population::Range(n) => usize::try_from(*n).unwrap_or(0),
            Population::Rows(t) => t.shape()[0],
        }
    }

    /// The drawn items: the indices themselves, or the rows they select.
    #[track_caller]
    fn select(self, indices: Vec<i64>, shape: Shape) -> Result<Tensor> {
        let indices = Tensor::from_data(indices, shape);
        match self {
            Population::Range(_) => Ok(indices),
            Population::Rows(t) => t.try_slice([SliceArg::Array(indices)]),
        }
    }
}

impl Generator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    /// A new array of `shape` whose elements are drawn one by one with `draw`, after checking
    /// that its size fits and reserving its buffer fallibly: sampling allocates it at once.
    fn try_fill<T: Storage>(
        &mut self,
        op: &'static str,
        shape: impl IntoShape,
        mut draw: impl FnMut(&mut Xoshiro256PlusPlus) -> T,
    ) -> Result<Tensor> {
        let shape = shape.into_shape();
        shape.check_size(op, T::DTYPE)?;
        let rng = &mut self.rng;
        let values = huge_page_vec(op, shape.size(), std::iter::repeat_with(|| draw(rng)))?;
        Ok(Tensor::from_data(values, shape))
    }

    /// Uniform float64 samples in `[0, 1)` (`random`).
    #[track_caller]
    pub fn random(&mut self, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_fill("random", shape, |rng| rng.random::<f64>()))
    }

    /// Uniform float64 samples in `[low, high)` (`uniform`); `low == high` gives `low`.
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let x = rng.uniform(-1.0, 1.0, [100]);
    /// assert!(x.ge(-1.0).all().item::<bool>() && x.lt(1.0).all().item::<bool>());
    /// assert_eq!(
    ///     rng.try_uniform(1.0, 0.0, [2]).unwrap_err().to_string(),
    ///     "uniform: high - low < 0"
    /// );
    /// ```
    #[track_caller]
    pub fn uniform(&mut self, low: f64, high: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_uniform(low, high, shape))
    }

    /// Fallible [`Generator::uniform`]: numpy's `high - low < 0`, and its "range exceeds valid
    /// bounds" when `high - low` is not finite.
    #[track_caller]
    pub fn try_uniform(&mut self, low: f64, high: f64, shape: impl IntoShape) -> Result<Tensor> {
        let op = "uniform";
        let range = high - low;
        if !range.is_finite() {
            return Err(invalid(op, "high - low range exceeds valid bounds"));
        }
        if range < 0.0 {
            return Err(invalid(op, "high - low < 0"));
        }
        if range == 0.0 {
            // rand's uniform needs a non-empty range; numpy returns `low`.
            return self.try_fill(op, shape, |_| low);
        }
        let dist = Uniform::new(low, high).map_err(|err| invalid(op, err.to_string()))?;
        self.try_fill(op, shape, |rng| dist.sample(rng))
    }

    /// Standard normal float64 samples (`standard_normal`, `np.random.randn`).
    #[track_caller]
    pub fn randn(&mut self, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_fill("randn", shape, |rng| -> f64 { StandardNormal.sample(rng) }))
    }

    /// Normal float64 samples with mean `loc` and standard deviation `scale` (`normal`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let x = rng.normal(5.0, 0.1, [1000]);
    /// assert!((x.mean().item::<f64>() - 5.0).abs() < 0.05);
    /// ```
    #[track_caller]
    pub fn normal(&mut self, loc: f64, scale: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_normal(loc, scale, shape))
    }

    /// Fallible [`Generator::normal`]: a negative `scale` is numpy's `scale < 0`.
    #[track_caller]
    pub fn try_normal(&mut self, loc: f64, scale: f64, shape: impl IntoShape) -> Result<Tensor> {
        check_non_negative("normal", "scale", scale)?;
        // rand_distr's `Normal` computes the same `loc + scale * z` but refuses a non-finite
        // scale, which numpy lets through to the samples.
        self.try_fill("normal", shape, |rng| {
            let z: f64 = StandardNormal.sample(rng);
            loc + scale * z
        })
    }

    /// Uniform int64 samples in `[low, high)` (`np.random.randint`; the same stream as
    /// [`Generator::integers`]).
    #[track_caller]
    pub fn randint(&mut self, low: i64, high: i64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_randint(low, high, shape))
    }

    /// Fallible [`Generator::randint`].
    #[track_caller]
    pub fn try_randint(&mut self, low: i64, high: i64, shape: impl IntoShape) -> Result<Tensor> {
        self.try_uniform_ints("randint", low, high, shape)
    }

    /// Uniform int64 samples in `[low, high)` (`integers`: `high` is exclusive).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let dice = rng.integers(1, 7, [10]);
    /// assert_eq!(dice.dtype(), lazygrad::DType::I64);
    /// assert!(dice.ge(1).all().item::<bool>() && dice.le(6).all().item::<bool>());
    /// ```
    #[track_caller]
    pub fn integers(&mut self, low: i64, high: i64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_integers(low, high, shape))
    }

    /// Fallible [`Generator::integers`]: an empty range is numpy's `low >= high`.
    #[track_caller]
    pub fn try_integers(&mut self, low: i64, high: i64, shape: impl IntoShape) -> Result<Tensor> {
        self.try_uniform_ints("integers", low, high, shape)
    }

    /// The samples of `integers` and `randint`, under the name of the op called.
    fn try_uniform_ints(
        &mut self,
        op: &'static str,
        low: i64,
        high: i64,
        shape: impl IntoShape,
    ) -> Result<Tensor> {
        if low >= high {
            return Err(invalid(op, format!("low >= high ({low} >= {high})")));
        }
        self.try_fill(op, shape, |rng| rng.random_range(low..high))
    }

    /// Exponential float64 samples with mean `scale` (`exponential`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let waits = rng.exponential(2.0, [1000]);
    /// assert!(waits.ge(0.0).all().item::<bool>());
    /// ```
    #[track_caller]
    pub fn exponential(&mut self, scale: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_exponential(scale, shape))
    }

    /// Fallible [`Generator::exponential`]: a negative `scale` is numpy's `scale < 0`.
    #[track_caller]
    pub fn try_exponential(&mut self, scale: f64, shape: impl IntoShape) -> Result<Tensor> {
        check_non_negative("exponential", "scale", scale)?;
        // numpy scales a standard exponential too, so a zero scale gives zeros.
        self.try_fill("exponential", shape, |rng| {
            let standard: f64 = Exp1.sample(rng);
            scale * standard
        })
    }

    /// Gamma float64 samples with shape `shape` and scale `scale` (`gamma`; mean
    /// `shape * scale`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let x = rng.gamma(2.0, 3.0, [1000]);
    /// assert!(x.ge(0.0).all().item::<bool>());
    /// ```
    #[track_caller]
    pub fn gamma(&mut self, shape: f64, scale: f64, size: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_gamma(shape, scale, size))
    }

    /// Fallible [`Generator::gamma`]: numpy's `shape < 0` and `scale < 0`.
    #[track_caller]
    pub fn try_gamma(&mut self, shape: f64, scale: f64, size: impl IntoShape) -> Result<Tensor> {
        let op = "gamma";
        check_non_negative(op, "shape", shape)?;
        check_non_negative(op, "scale", scale)?;
        // rand_distr's `Gamma` needs positive parameters; numpy's degenerate cases give NaN
        // for a NaN parameter and 0 for a zero one.
        if shape.is_nan() || scale.is_nan() {
            return self.try_fill(op, size, |_| f64::NAN);
        }
        if shape == 0.0 || scale == 0.0 {
            return self.try_fill(op, size, |_| 0.0f64);
        }
        let dist = Gamma::new(shape, scale).map_err(|err| invalid(op, err.to_string()))?;
        self.try_fill(op, size, |rng| dist.sample(rng))
    }

    /// Beta float64 samples in `[0, 1]` with parameters `a` and `b` (`beta`; mean
    /// `a / (a + b)`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let x = rng.beta(2.0, 5.0, [1000]);
    /// assert!(x.ge(0.0).all().item::<bool>() && x.le(1.0).all().item::<bool>());
    /// ```
    #[track_caller]
    pub fn beta(&mut self, a: f64, b: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_beta(a, b, shape))
    }

    /// Fallible [`Generator::beta`]: numpy's `a <= 0` and `b <= 0`.
    #[track_caller]
    pub fn try_beta(&mut self, a: f64, b: f64, shape: impl IntoShape) -> Result<Tensor> {
        let op = "beta";
        if a <= 0.0 {
            return Err(invalid(op, "a <= 0"));
        }
        if b <= 0.0 {
            return Err(invalid(op, "b <= 0"));
        }
        // numpy lets NaN through and gives NaN for an infinite parameter too.
        if !a.is_finite() || !b.is_finite() {
            return self.try_fill(op, shape, |_| f64::NAN);
        }
        let dist = Beta::new(a, b).map_err(|err| invalid(op, err.to_string()))?;
        self.try_fill(op, shape, |rng| dist.sample(rng))
    }

    /// Binomial int64 samples: successes in `n` trials of probability `p` (`binomial`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let heads = rng.binomial(10, 0.5, [1000]);
    /// assert_eq!(heads.dtype(), lazygrad::DType::I64);
    /// assert!(heads.ge(0).all().item::<bool>() && heads.le(10).all().item::<bool>());
    /// ```
    #[track_caller]
    pub fn binomial(&mut self, n: i64, p: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_binomial(n, p, shape))
    }

    /// Fallible [`Generator::binomial`]: numpy's `n < 0` and `p < 0, p > 1 or p is NaN`.
    #[track_caller]
    pub fn try_binomial(&mut self, n: i64, p: f64, shape: impl IntoShape) -> Result<Tensor> {
        let op = "binomial";
        if n < 0 {
            return Err(invalid(op, "n < 0"));
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(invalid(op, "p < 0, p > 1 or p is NaN"));
        }
        // `n` is non-negative, so it converts exactly, and a sample is at most `n`.
        let dist = Binomial::new(n as u64, p).map_err(|err| invalid(op, err.to_string()))?;
        self.try_fill(op, shape, |rng| dist.sample(rng) as i64)
    }

    /// Poisson int64 samples with mean `lam` (`poisson`).
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let counts = rng.poisson(3.0, [1000]);
    /// assert_eq!(counts.dtype(), lazygrad::DType::I64);
    /// ```
    #[track_caller]
    pub fn poisson(&mut self, lam: f64, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_poisson(lam, shape))
    }

    /// Fallible [`Generator::poisson`]: numpy's `lam < 0 or lam is NaN`, and `lam value too
    /// large` beyond the largest mean whose samples fit int64.
    #[track_caller]
    pub fn try_poisson(&mut self, lam: f64, shape: impl IntoShape) -> Result<Tensor> {
        let op = "poisson";
        if lam.is_nan() || lam < 0.0 {
            return Err(invalid(op, "lam < 0 or lam is NaN"));
        }
        if lam > POISSON_LAM_MAX {
            return Err(invalid(op, "lam value too large"));
        }
        if lam == 0.0 {
            // rand_distr's `Poisson` needs a positive mean; every sample of mean 0 is 0.
            return self.try_fill(op, shape, |_| 0i64);
        }
        let dist = Poisson::new(lam).map_err(|err| invalid(op, err.to_string()))?;
        // The mean is at most `POISSON_LAM_MAX`, so samples fit (and `as` saturates anyway).
        self.try_fill(op, shape, |rng| {
            let sample: f64 = dist.sample(rng);
            sample as i64
        })
    }

    /// Multinomial int64 samples (`multinomial`): counts of `n` draws over `pvals.len()`
    /// categories, one row of shape `shape + [pvals.len()]` per sample, each summing to `n`.
    ///
    /// As in numpy, the last category takes whatever the others leave, so only `pvals[..k-1]`
    /// are used beyond their checks.
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let rolls = rng.multinomial(20, &[1.0 / 6.0; 6], [3]);
    /// assert_eq!(rolls.shape(), &[3, 6]);
    /// assert_eq!(rolls.sum_axis(1).to_vec::<i64>(), vec![20, 20, 20]);
    /// ```
    #[track_caller]
    pub fn multinomial(&mut self, n: i64, pvals: &[f64], shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(self.try_multinomial(n, pvals, shape))
    }

    /// Fallible [`Generator::multinomial`]: numpy's `n < 0`, `pvals < 0, pvals > 1 or pvals
    /// contains NaNs`, `sum(pvals[:-1]) > 1.0`, and its error for no categories.
    #[track_caller]
    pub fn try_multinomial(
        &mut self,
        n: i64,
        pvals: &[f64],
        shape: impl IntoShape,
    ) -> Result<Tensor> {
        let op = "multinomial";
        if n < 0 {
            return Err(invalid(op, "n < 0"));
        }
        let Some((_, leading)) = pvals.split_last() else {
            return Err(invalid(
                op,
                "pvals must have at least 1 dimension and the last dimension of pvals must be \
                 greater than 0.",
            ));
        };
        if pvals.iter().any(|p| !(0.0..=1.0).contains(p)) {
            return Err(invalid(op, "pvals < 0, pvals > 1 or pvals contains NaNs"));
        }
        if kahan_sum(leading) > 1.0 + 1e-12 {
            return Err(invalid(op, "sum(pvals[:-1]) > 1.0"));
        }
        let mut shape = shape.into_shape().to_vec();
        shape.push(pvals.len());
        let shape = Shape::from(shape);
        shape.check_size(op, DType::I64)?;
        let mut counts = huge_page_vec(op, shape.size(), std::iter::repeat_n(0i64, shape.size()))?;
        for row in counts.chunks_exact_mut(pvals.len()) {
            self.multinomial_row(n, leading, row);
        }
        Ok(Tensor::from_data(counts, shape))
    }

    /// One multinomial sample into `row` (zeros on entry), numpy's way: each category but the
    /// last takes a binomial share of the draws left, given the probability left.
    fn multinomial_row(&mut self, n: i64, leading: &[f64], row: &mut [i64]) {
        let (mut left, mut p_left) = (n, 1.0f64);
        for (count, &p) in row.iter_mut().zip(leading) {
            // Rounding can push the ratio past 1 or, once nothing is left, make it NaN.
            let ratio = (p / p_left).min(1.0);
            let ratio = if ratio >= 0.0 { ratio } else { 0.0 };
            // Both parameters are in range by construction, so the distribution exists.
            if let Ok(dist) = Binomial::new(left as u64, ratio) {
                *count = dist.sample(&mut self.rng) as i64;
            }
            left -= *count;
            if left <= 0 {
                return;
            }
            p_left -= p;
        }
        if let Some(last) = row.last_mut() {
            *last = left;
        }
    }

    /// A random permutation (`permutation`): of `0..x` as int64 for an integer `x`, or of an
    /// array's rows (along axis 0) for an array.
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let order = rng.permutation(5);
    /// assert_eq!(order.sort(0).to_vec::<i64>(), vec![0, 1, 2, 3, 4]);
    /// let rows = rng.permutation(&lazygrad::array([[1, 2], [3, 4], [5, 6]]));
    /// assert_eq!(rows.shape(), &[3, 2]);
    /// ```
    #[track_caller]
    pub fn permutation(&mut self, x: impl IntoOperand) -> Tensor {
        unwrap_at_caller(self.try_permutation(x))
    }

    /// Fallible [`Generator::permutation`]: a 0-d array or a float is numpy's `axis 0 is out
    /// of bounds for array of dimension 0`.
    #[track_caller]
    pub fn try_permutation(&mut self, x: impl IntoOperand) -> Result<Tensor> {
        let op = "permutation";
        let population = match x.into_operand() {
            Operand::Weak(Weak::Int(n)) => Population::Range(n),
            Operand::Weak(Weak::Bool(b)) => Population::Range(i64::from(b)),
            Operand::Tensor(t) if t.ndim() > 0 => Population::Rows(t),
            Operand::Weak(Weak::Float(_)) | Operand::Tensor(_) => {
                return Err(Error::Axis {
                    op,
                    axis: 0,
                    ndim: 0,
                });
            }
        };
        let len = population.len();
        let shape = Shape::from(vec![len]);
        shape.check_size(op, DType::I64)?;
        // Indices below a length that fits in isize fit in i64.
        let mut order = huge_page_vec(op, len, (0..len).map(|i| i as i64))?;
        order.shuffle(&mut self.rng);
        population.select(order, shape)
    }

    /// Shuffles `x` along axis 0 (`shuffle`): as numpy's in-place shuffle, it rebinds the
    /// handle `x` to a new node, as [`Tensor::index_put`] does.
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let mut x = lazygrad::arange(10);
    /// rng.shuffle(&mut x);
    /// assert_eq!(x.sort(0).to_vec::<i64>(), (0..10).collect::<Vec<i64>>());
    /// ```
    #[track_caller]
    pub fn shuffle(&mut self, x: &mut Tensor) {
        unwrap_at_caller(self.try_shuffle(x))
    }

    /// Fallible [`Generator::shuffle`]: `x` is rebound only on success; a 0-d array is
    /// numpy's `len() of unsized object`.
    #[track_caller]
    pub fn try_shuffle(&mut self, x: &mut Tensor) -> Result<()> {
        if x.ndim() == 0 {
            return Err(invalid("shuffle", "len() of unsized object"));
        }
        *x = self.try_permutation(&*x)?;
        Ok(())
    }

    /// Samples from `a` (`choice`): from `0..a` as int64 for an integer `a` (or a 0-d
    /// integer array), or rows of the array `a` along axis 0; with or without `replace`ment,
    /// and with probabilities `p` (one per item) or uniformly.
    ///
    /// The result has shape `size` for an integer and `size + a.shape[1..]` for an array.
    /// Without replacement the items come in random order, as numpy's `shuffle=True` default.
    ///
    /// ```
    /// let mut rng = lazygrad::random::default_rng(0);
    /// let hand = rng.choice(52, [5], false, None);
    /// assert_eq!(hand.shape(), &[5]);
    /// let loaded = rng.choice(&lazygrad::array([10, 20, 30]), [4], true, Some(&[0.0, 0.0, 1.0]));
    /// assert_eq!(loaded.to_vec::<i64>(), vec![30; 4]);
    /// ```
    #[track_caller]
    pub fn choice(
        &mut self,
        a: impl IntoOperand,
        size: impl IntoShape,
        replace: bool,
        p: Option<&[f64]>,
    ) -> Tensor {
        unwrap_at_caller(self.try_choice(a, size, replace, p))
    }

    /// Fallible [`Generator::choice`], with numpy's errors: `a must be a positive integer
    /// unless no samples are taken`, `a cannot be empty unless no samples are taken`,
    /// `Cannot take a larger sample than population when replace is False`, `a and p must
    /// have same size`, `Probabilities contain NaN`, `Probabilities are not non-negative`,
    /// `Probabilities do not sum to 1` and `Fewer non-zero entries in p than size`.
    #[track_caller]
    pub fn try_choice(
        &mut self,
        a: impl IntoOperand,
        size: impl IntoShape,
        replace: bool,
        p: Option<&[f64]>,
    ) -> Result<Tensor> {
        let op = "choice";
        let population = match a.into_operand() {
            Operand::Weak(Weak::Int(n)) => Population::Range(n),
            Operand::Weak(Weak::Bool(b)) => Population::Range(i64::from(b)),
            Operand::Weak(Weak::Float(_)) => {
                return Err(invalid(
                    op,
                    "a must be a sequence or an integer, not a float",
                ));
            }
            Operand::Tensor(t) if t.ndim() > 0 => Population::Rows(t),
            Operand::Tensor(t) if t.dtype().is_float() => {
                return Err(invalid(
                    op,
                    format!(
                        "a must be a sequence or an integer, not a 0-d {} array",
                        t.dtype()
                    ),
                ));
            }
            // numpy takes a 0-d integer array as the integer it holds.
            Operand::Tensor(t) => Population::Range(t.astype(DType::I64).try_item::<i64>()?),
        };
        let shape = size.into_shape();
        shape.check_size(op, DType::I64)?;
        let count = shape.size();
        let pop = population.len();
        if pop == 0 && count != 0 {
            return Err(invalid(
                op,
                match population {
                    Population::Range(_) => {
                        "a must be a positive integer unless no samples are taken"
                    }
                    Population::Rows(_) => "a cannot be empty unless no samples are taken",
                },
            ));
        }
        if let Some(p) = p {
            check_probabilities(op, p, pop)?;
        }
        if !replace && count > pop {
            return Err(invalid(
                op,
                "Cannot take a larger sample than population when replace is False",
            ));
        }
        let indices = match (replace, p) {
            (true, None) => {
                // `pop` is an i64 or a dimension, so it fits in i64.
                let pop = pop as i64;
                huge_page_vec(
                    op,
                    count,
                    std::iter::repeat_with(|| self.rng.random_range(0..pop)),
                )?
            }
            (true, Some(p)) => self.weighted_with_replacement(op, p, count)?,
            (false, None) => self.sample_without_replacement(op, pop, count)?,
            (false, Some(p)) => self.weighted_without_replacement(op, p, count)?,
        };
        population.select(indices, shape)
    }

    /// `count` indices below `pop` drawn with replacement with probabilities `p`, numpy's way:
    /// a uniform draw looked up in the normalized cumulative sum, so an item of probability 0
    /// is never drawn.
    fn weighted_with_replacement(
        &mut self,
        op: &'static str,
        p: &[f64],
        count: usize,
    ) -> Result<Vec<i64>> {
        let mut cdf: Vec<f64> = p
            .iter()
            .scan(0.0, |sum, &p| {
                *sum += p;
                Some(*sum)
            })
            .collect();
        // The probabilities sum to about 1 (checked), so the total is positive and dividing
        // by it makes the last entry exactly 1, above every uniform draw.
        let total = cdf.last().copied().unwrap_or(1.0);
        cdf.iter_mut().for_each(|c| *c /= total);
        let rng = &mut self.rng;
        huge_page_vec(
            op,
            count,
            std::iter::repeat_with(|| {
                let u = rng.random::<f64>();
                cdf.partition_point(|&c| c <= u) as i64
            }),
        )
    }

    /// `count` distinct indices below `pop` in random order, in memory proportional to
    /// `count`: a partial Fisher-Yates shuffle when the sample is at least half the population,
    /// and otherwise draws that retry an index already taken (fewer than two tries per index on
    /// average).
    fn sample_without_replacement(
        &mut self,
        op: &'static str,
        pop: usize,
        count: usize,
    ) -> Result<Vec<i64>> {
        if count.saturating_mul(2) >= pop {
            let mut all = huge_page_vec(op, pop, (0..pop).map(|i| i as i64))?;
            // The shuffled items are the last `count`, each drawn from those not yet taken.
            let _ = all.partial_shuffle(&mut self.rng, count);
            all.drain(..pop - count);
            return Ok(all);
        }
        let mut taken = HashSet::new();
        taken.try_reserve(count).map_err(|_| Error::OutOfMemory {
            op,
            bytes: count.saturating_mul(size_of::<i64>()),
        })?;
        let pop = pop as i64;
        let rng = &mut self.rng;
        huge_page_vec(
            op,
            count,
            std::iter::repeat_with(|| {
                loop {
                    let index = rng.random_range(0..pop);
                    if taken.insert(index) {
                        break index;
                    }
                }
            }),
        )
    }

    /// `count` distinct indices drawn one after another with probabilities `p` renormalized over
    /// the items left (numpy's distribution), by the Gumbel-top-k trick: the items with the
    /// `count` largest keys `ln(u) / p`, in decreasing order of key, are such a draw.
    fn weighted_without_replacement(
        &mut self,
        op: &'static str,
        p: &[f64],
        count: usize,
    ) -> Result<Vec<i64>> {
        if p.iter().filter(|&&p| p > 0.0).count() < count {
            return Err(invalid(op, "Fewer non-zero entries in p than size"));
        }
        let mut keys: Vec<(f64, usize)> = p
            .iter()
            .enumerate()
            .map(|(index, &p)| {
                // `1 - u` is in (0, 1], so its log is finite; an item of probability 0 is never
                // among the `count` largest, as there are enough others.
                let u = 1.0 - self.rng.random::<f64>();
                let key = if p > 0.0 {
                    u.ln() / p
                } else {
                    f64::NEG_INFINITY
                };
                (key, index)
            })
            .collect();
        keys.sort_by(|a, b| b.0.total_cmp(&a.0));
        huge_page_vec(op, count, keys.iter().map(|&(_, index)| index as i64))
    }
}

/// numpy's checks of `choice`'s probabilities, in numpy's order.
fn check_probabilities(op: &'static str, p: &[f64], pop: usize) -> Result<()> {
    if p.len() != pop {
        return Err(invalid(op, "a and p must have same size"));
    }
    if p.iter().any(|p| p.is_nan()) {
        return Err(invalid(op, "Probabilities contain NaN"));
    }
    if p.iter().any(|&p| p < 0.0) {
        return Err(invalid(op, "Probabilities are not non-negative"));
    }
    // numpy's tolerance: the square root of float64's machine epsilon. An infinite sum fails
    // it too (its difference from 1 is infinite or NaN).
    let off = (kahan_sum(p) - 1.0).abs();
    if off.is_nan() || off > f64::EPSILON.sqrt() {
        return Err(invalid(
            op,
            "Probabilities do not sum to 1. See Notes section of docstring for more information.",
        ));
    }
    Ok(())
}

/// The global generator, locked. A guard rather than a closure, so `#[track_caller]` reaches
/// the sampling methods and errors and tensors name the user's line.
fn global() -> MutexGuard<'static, Generator> {
    static GLOBAL: OnceLock<Mutex<Generator>> = OnceLock::new();
    // A panic while sampling leaves the generator in a valid state, so a poisoned lock is usable.
    GLOBAL
        .get_or_init(|| Mutex::new(Generator::new(0)))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A new [`Generator`] seeded with `seed` (`np.random.default_rng(seed)`).
pub fn default_rng(seed: u64) -> Generator {
    Generator::new(seed)
}

/// Reseeds the global generator (`np.random.seed`); it starts seeded with 0.
pub fn seed(seed: u64) {
    *global() = Generator::new(seed);
}

/// Uniform float64 samples in `[0, 1)` (`np.random.random(shape)`).
///
/// ```
/// lazygrad::random::seed(0);
/// let e = lazygrad::random::random([2, 2]);
/// assert!(e.ge(0.0).all().item::<bool>() && e.lt(1.0).all().item::<bool>());
/// ```
#[track_caller]
pub fn random(shape: impl IntoShape) -> Tensor {
    global().random(shape)
}

/// Same as [`random`] (`np.random.rand`).
#[track_caller]
pub fn rand(shape: impl IntoShape) -> Tensor {
    random(shape)
}

/// Standard normal float64 samples (`np.random.randn(64, 100)` is `randn([64, 100])`).
#[track_caller]
pub fn randn(shape: impl IntoShape) -> Tensor {
    global().randn(shape)
}

/// Normal float64 samples (`np.random.normal(loc, scale, shape)`).
#[track_caller]
pub fn normal(loc: f64, scale: f64, shape: impl IntoShape) -> Tensor {
    global().normal(loc, scale, shape)
}

/// Uniform float64 samples in `[low, high)` (`np.random.uniform`).
#[track_caller]
pub fn uniform(low: f64, high: f64, shape: impl IntoShape) -> Tensor {
    global().uniform(low, high, shape)
}

/// Uniform int64 samples in `[low, high)` (`np.random.randint`).
#[track_caller]
pub fn randint(low: i64, high: i64, shape: impl IntoShape) -> Tensor {
    global().randint(low, high, shape)
}

/// Exponential float64 samples with mean `scale` (`np.random.exponential`).
#[track_caller]
pub fn exponential(scale: f64, shape: impl IntoShape) -> Tensor {
    global().exponential(scale, shape)
}

/// Gamma float64 samples (`np.random.gamma(shape, scale, size)`).
#[track_caller]
pub fn gamma(shape: f64, scale: f64, size: impl IntoShape) -> Tensor {
    global().gamma(shape, scale, size)
}

/// Beta float64 samples (`np.random.beta(a, b, size)`).
#[track_caller]
pub fn beta(a: f64, b: f64, shape: impl IntoShape) -> Tensor {
    global().beta(a, b, shape)
}

/// Binomial int64 samples (`np.random.binomial(n, p, size)`).
#[track_caller]
pub fn binomial(n: i64, p: f64, shape: impl IntoShape) -> Tensor {
    global().binomial(n, p, shape)
}

/// Poisson int64 samples (`np.random.poisson(lam, size)`).
#[track_caller]
pub fn poisson(lam: f64, shape: impl IntoShape) -> Tensor {
    global().poisson(lam, shape)
}

/// Multinomial int64 counts (`np.random.multinomial(n, pvals, size)`).
#[track_caller]
pub fn multinomial(n: i64, pvals: &[f64], shape: impl IntoShape) -> Tensor {
    global().multinomial(n, pvals, shape)
}

/// A random permutation of `0..x` or of an array's rows (`np.random.permutation`).
#[track_caller]
pub fn permutation(x: impl IntoOperand) -> Tensor {
    global().permutation(x)
}

/// Shuffles `x` along axis 0, rebinding the handle (`np.random.shuffle`).
#[track_caller]
pub fn shuffle(x: &mut Tensor) {
    global().shuffle(x)
}

/// Samples from `0..a` or an array's rows (`np.random.choice(a, size, replace, p)`).
#[track_caller]
pub fn choice(
    a: impl IntoOperand,
    size: impl IntoShape,
    replace: bool,
    p: Option<&[f64]>,
) -> Tensor {
    global().choice(a, size, replace, p)
}
