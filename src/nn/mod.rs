//! The ML prototyping layer: layers, activations, losses, initializers and optimizers.
//!
//! Everything here is built from the tensor ops of the crate, so it is lazy and differentiable
//! like the rest: a model is a [`Module`] (a `forward` and its parameters), a loss is an ordinary
//! scalar tensor, and an [`Optimizer`]'s `step` takes the gradients of the loss with
//! [`Tensor::grad`](crate::Tensor::grad) and computes the loss and the updated parameters
//! together in one plan.
//!
//! ```
//! use lazygrad::nn::{self, Module, Optimizer};
//! use lazygrad::random::Generator;
//! let mut rng = Generator::new(0);
//! let (x, y) = (rng.randn([16, 3]), rng.randn([16, 1]));
//! let mut model = nn::Linear::new(3, 1, &mut rng);
//! let mut sgd = nn::Sgd::new(0.1);
//! let first = sgd.step(&nn::mse(&model.forward(&x), &y), model.parameters())?;
//! for _ in 0..20 {
//!     sgd.step(&nn::mse(&model.forward(&x), &y), model.parameters())?;
//! }
//! let last = nn::mse(&model.forward(&x), &y).item::<f64>();
//! assert!(last < first);
//! # Ok::<(), lazygrad::Error>(())
//! ```
//!
//! A trained model is saved with [`save_parameters`] and restored with [`load_parameters`]: an
//! `.npz` checkpoint keyed by [`Module::named_parameters`] (`"0.weight"`, `"0.bias"`, ...),
//! checked name by name, shape by shape and dtype by dtype when it is loaded.
//!
//! The module lives in the facade (not in a `lazygrad-nn` crate) because it is written against
//! the facade's `Tensor`: a separate crate could not be re-exported as `lazygrad::nn` without a
//! dependency cycle. Its tests are the doctests here and `tests/it/nn.rs`.

mod checkpoint;
mod functional;
pub mod init;
mod layers;
mod optim;

pub use checkpoint::{load_parameters, save_parameters};
pub use functional::{
    cross_entropy, log_softmax, mse, one_hot, relu, sigmoid, softmax, sum_of_squares,
};
pub use layers::{Activation, Linear, Module, Sequential, prefixed};
pub use optim::{Adam, Optimizer, Sgd};
