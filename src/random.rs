//! Seeded random arrays (`np.random`): a global generator and explicit [`Generator`]s.
//!
//! Streams are reproducible for a given seed and lazygrad version (Xoshiro256++), but are not
//! numpy's streams: the same seed gives different numbers than numpy.

use crate::Tensor;
use crate::args::IntoShape;
use crate::tensor::unwrap_at_caller;
use lazygrad_cpu::huge_page_vec;
use lazygrad_ir::{DType, Shape};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};
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

impl Generator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    /// Uniform float64 samples in `[0, 1)` (`random`).
    #[track_caller]
    pub fn random(&mut self, shape: impl IntoShape) -> Tensor {
        let shape = checked(shape, "random", DType::F64);
        let values = unwrap_at_caller(huge_page_vec(
            "random",
            shape.size(),
            (0..shape.size()).map(|_| self.rng.random::<f64>()),
        ));
        Tensor::from_data(values, shape)
    }

    /// Uniform float64 samples in `[low, high)` (`uniform`).
    #[track_caller]
    pub fn uniform(&mut self, low: f64, high: f64, shape: impl IntoShape) -> Tensor {
        let shape = checked(shape, "uniform", DType::F64);
        let dist = Uniform::new(low, high).unwrap_or_else(|err| panic!("uniform: {err}"));
        let values = unwrap_at_caller(huge_page_vec(
            "uniform",
            shape.size(),
            (0..shape.size()).map(|_| dist.sample(&mut self.rng)),
        ));
        Tensor::from_data(values, shape)
    }

    /// Standard normal float64 samples (`standard_normal`, `np.random.randn`).
    #[track_caller]
    pub fn randn(&mut self, shape: impl IntoShape) -> Tensor {
        let shape = checked(shape, "randn", DType::F64);
        let values: Vec<f64> = unwrap_at_caller(huge_page_vec(
            "randn",
            shape.size(),
            (0..shape.size()).map(|_| StandardNormal.sample(&mut self.rng)),
        ));
        Tensor::from_data(values, shape)
    }

    /// Normal float64 samples with mean `loc` and standard deviation `scale` (`normal`); a
    /// negative `scale` panics with numpy's `normal: scale < 0`.
    #[track_caller]
    pub fn normal(&mut self, loc: f64, scale: f64, shape: impl IntoShape) -> Tensor {
        // numpy rejects a set sign bit (so -0.0 too) but lets NaN through to the samples.
        assert!(
            scale.is_nan() || scale.is_sign_positive(),
            "normal: scale < 0"
        );
        let shape = checked(shape, "normal", DType::F64);
        let dist = Normal::new(loc, scale).unwrap_or_else(|err| panic!("normal: {err}"));
        let values = unwrap_at_caller(huge_page_vec(
            "normal",
            shape.size(),
            (0..shape.size()).map(|_| dist.sample(&mut self.rng)),
        ));
        Tensor::from_data(values, shape)
    }

    /// Uniform int64 samples in `[low, high)` (`randint`).
    #[track_caller]
    pub fn randint(&mut self, low: i64, high: i64, shape: impl IntoShape) -> Tensor {
        assert!(low < high, "randint: low >= high ({low} >= {high})");
        let shape = checked(shape, "randint", DType::I64);
        let values = unwrap_at_caller(huge_page_vec(
            "randint",
            shape.size(),
            (0..shape.size()).map(|_| self.rng.random_range(low..high)),
        ));
        Tensor::from_data(values, shape)
    }
}

/// The shape, after panicking at the caller's line with numpy's "array is too big" if its
/// size overflows: sampling allocates the whole array at once.
#[track_caller]
fn checked(shape: impl IntoShape, op: &'static str, dtype: DType) -> Shape {
    let shape = shape.into_shape();
    unwrap_at_caller(shape.check_size(op, dtype));
    shape
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
