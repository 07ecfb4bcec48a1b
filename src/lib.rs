//! lazygrad: numpy for Rust, made lazy and differentiable.
//!
//! Array code reads like numpy: [`array()`](crate::array()), [`zeros`], [`arange`], slicing through views,
//! elementwise math with broadcasting and numpy 2's dtype rules, reductions with axes,
//! [`Tensor::matmul`]/[`Tensor::dot`] and [`linalg::norm`]. Nothing is computed while you write
//! it: every operation adds a node to a graph, and [`Tensor::realize`] (or reading a value)
//! compiles the pending graph into a plan of fused kernels and runs them.
//!
//! ```
//! use lazygrad::prelude::*;
//! let x = array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
//! let v = array([1, 0, 1]);
//! let y = &x + &v; // broadcasting, as in numpy
//! assert_eq!(y.to_vec::<i64>()[..3], [2, 2, 4]);
//! assert_eq!(format!("{:?}", y.sum_axes([0], false)), "array([26, 26, 34])");
//! # Ok::<(), lazygrad::Error>(())
//! ```
//!
//! The crate is a facade: the op table, shapes and views live in `lazygrad-ir`, graph passes and
//! fusion in `lazygrad-compiler`, buffers and kernels in `lazygrad-cpu`. Start reading at
//! [`Tensor`]; `ARCHITECTURE.md` has the map. Integration tests live in `tests/it`.

#![deny(missing_docs)]

mod args;
mod autodiff;
mod config;
mod convert;
mod creation;
mod elementwise;
mod indexing;
pub mod io;
mod join;
mod linalg_impl;
mod manipulation;
mod math;
mod movement;
pub mod nn;
mod print;
pub mod random;
mod reduce;
mod sets;
mod statistics;
mod svd;
mod tensor;
mod ufunc;
pub mod viz;

pub use args::{IntoAxes, IntoOperand, IntoReshape, IntoShape, Operand};
pub use autodiff::{is_grad_enabled, no_grad};
pub use config::{
    debug_level, fusion_enabled, jit_enabled, jit_programs, plan_cache_stats, with_fusion, with_jit,
};
pub use creation::{
    ArrayLike, Collector, E, PI, arange, arange_step, array, eye, eye_k, full, full_like, indices,
    linspace, linspace_endpoint, ones, ones_like, try_arange_step, try_array, zeros, zeros_like,
};
pub use elementwise::comparison_ufuncs::*;
pub use elementwise::ufuncs::*;
pub use elementwise::unary_ufuncs::*;
pub use elementwise::{try_where, where_};
pub use indexing::{Ellipsis, NewAxis, SliceArg};
pub use io::{imread, imresize, imsave};
pub use join::*;
pub use lazygrad_cpu::{Storage, buffers_allocated};
pub use lazygrad_ir::{DType, Error, Kind, Plan, Result, Shape, f16};
pub use linalg_impl::linalg;
pub use manipulation::*;
pub use math::{allclose, around, array_equal, array_equiv, divmod};
pub use reduce::Reduction;
pub use sets::{
    Side, Unique, digitize, intersect1d, isin, lexsort, setdiff1d, setxor1d, try_digitize,
    try_intersect1d, try_isin, try_lexsort, try_setdiff1d, try_union1d, union1d,
};
pub use statistics::{Bins, IntoQuantiles, corrcoef, cov, try_corrcoef, try_cov};
pub use tensor::{Tensor, plan_for, realize_all};
pub use ufunc::Ufunc;

/// The names most programs use: `use lazygrad::prelude::*;`.
pub mod prelude {
    pub use crate::linalg;
    pub use crate::random;
    pub use crate::{
        DType, E, Ellipsis, NewAxis, PI, Tensor, arange, arange_step, array, concatenate, eye,
        eye_k, full, hstack, indices, linspace, ones, realize_all, s, stack, vstack, where_, zeros,
    };
}

/// Everything that can go wrong, re-exported for `?` in examples.
pub mod error {
    pub use lazygrad_ir::{Error, Result};
}

/// The Rust snippets of `README.md`, compiled (and run, unless marked `no_run`) as doctests so
/// the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// `docs/coverage.md`'s block of every lazygrad spelling of a numpy function, compiled as a
/// doctest so that no listed name can go missing (`tests/it/coverage.rs` checks the block holds
/// every expression of the tables).
#[cfg(doctest)]
#[doc = include_str!("../docs/coverage.md")]
pub struct CoverageDoctests;
