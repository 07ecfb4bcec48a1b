//! Seeded random arrays (`np.random`): a global generator and explicit [`Generator`]s.
//!
//! Streams are reproducible for a given seed and lazygrad version (Xoshiro256++), but are not
//! numpy's streams: the same seed gives different numbers than numpy.

use crate::Tensor;
use crate::args::IntoShape;
use crate::tensor::unwrap_at_caller;
use lazygrad_cpu::huge_page_vec;
use lazygrad_ir::Shape;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};
use std::sync::{Mutex, OnceLock};

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
        let shape = shape.into_shape();
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
        let shape = shape.into_shape();
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
        let shape: Shape = shape.into_shape();
        let values: Vec<f64> = unwrap_at_caller(huge_page_vec(
            "randn",
            shape.size(),
            (0..shape.size()).map(|_| StandardNormal.sample(&mut self.rng)),
        ));
        Tensor::from_data(values, shape)
    }

    /// Normal float64 samples with mean `loc` and standard deviation `scale` (`normal`).
    #[track_caller]
    pub fn normal(&mut self, loc: f64, scale: f64, shape: impl IntoShape) -> Tensor {
        let shape = shape.into_shape();
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
        let shape = shape.into_shape();
        let values = unwrap_at_caller(huge_page_vec(
            "randint",
            shape.size(),
            (0..shape.size()).map(|_| self.rng.random_range(low..high)),
        ));
        Tensor::from_data(values, shape)
    }
}

fn global() -> &'static Mutex<Generator> {
    static GLOBAL: OnceLock<Mutex<Generator>> = OnceLock::new();
    GLOBAL.get_or_init(|| Mutex::new(Generator::new(0)))
}

fn with_global<R>(body: impl FnOnce(&mut Generator) -> R) -> R {
    // A panic while sampling leaves the generator in a valid state, so a poisoned lock is usable.
    let mut generator = global()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    body(&mut generator)
}

/// Reseeds the global generator (`np.random.seed`); it starts seeded with 0.
pub fn seed(seed: u64) {
    with_global(|generator| *generator = Generator::new(seed));
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
    with_global(|generator| generator.random(shape))
}

/// Same as [`random`] (`np.random.rand`).
#[track_caller]
pub fn rand(shape: impl IntoShape) -> Tensor {
    random(shape)
}

/// Standard normal float64 samples (`np.random.randn(64, 100)` is `randn([64, 100])`).
#[track_caller]
pub fn randn(shape: impl IntoShape) -> Tensor {
    with_global(|generator| generator.randn(shape))
}

/// Normal float64 samples (`np.random.normal(loc, scale, shape)`).
#[track_caller]
pub fn normal(loc: f64, scale: f64, shape: impl IntoShape) -> Tensor {
    with_global(|generator| generator.normal(loc, scale, shape))
}

/// Uniform float64 samples in `[low, high)` (`np.random.uniform`).
#[track_caller]
pub fn uniform(low: f64, high: f64, shape: impl IntoShape) -> Tensor {
    with_global(|generator| generator.uniform(low, high, shape))
}

/// Uniform int64 samples in `[low, high)` (`np.random.randint`).
#[track_caller]
pub fn randint(low: i64, high: i64, shape: impl IntoShape) -> Tensor {
    with_global(|generator| generator.randint(low, high, shape))
}
