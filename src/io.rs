//! Files and figures: line plots now; images, `.npy`/`.npz` and checkpoints as they land.
//!
//! The formats live in the `lazygrad-io` crate, which never sees a [`Tensor`](crate::Tensor);
//! this module is the tensor-facing API over it.

pub use lazygrad_io::plot;
pub use lazygrad_io::{Error, Result};
