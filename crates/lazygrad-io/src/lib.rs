//! Files and figures for lazygrad: `.npy`/`.npz`, checkpoints, images, resizing and plots.
//!
//! This crate owns everything that turns arrays into bytes on disk or pixels in a figure:
//! - [`image`]: `imread`/`imsave` for PNG, JPEG, BMP, WebP and PNM (and `imread` for GIF), as
//!   uint8 (height, width[, channels]);
//! - [`resize`]: `imresize` with PIL's filters and PIL's arithmetic;
//! - [`npy`] and [`npz`]: numpy's files, every lazygrad dtype, C and Fortran order;
//! - [`text`]: `loadtxt`, `genfromtxt` and `savetxt`, numpy's text files of numbers;
//! - [`plot`]: line plots (loss curves) and `imshow`-like image grids, as PNG or SVG;
//! - [`atomic`]: the one way files are written: a temporary file renamed over the target, so
//!   a write that fails partway keeps the previous file intact.
//!
//! It never sees a `Tensor`: arrays cross its boundary as an [`Array`], a shape plus a C-ordered
//! [`Buffer`], and the `lazygrad` facade converts (`lazygrad::io` is the API users call, taking
//! and returning tensors). Keeping the formats out of the facade means the facade's frequent edits
//! never recompile them, and this crate's heavy dependencies (`image`, `plotters`) build in
//! parallel with the compiler and runtime crates.
//!
//! Start reading at the module of the format you care about. Unit tests live beside the code;
//! the round trips through tensors, numpy goldens and PIL goldens are in the facade's `tests/it/io.rs`,
//! and `tests/it/atomic.rs` makes every writer fail partway under a file-size limit.

#![warn(missing_docs)]

mod alloc;
pub mod atomic;
mod error;
pub mod image;
pub mod npy;
pub mod npz;
pub mod plot;
mod raster;
pub mod resize;
pub mod text;
mod zipfile;

pub use error::{Error, Mismatch, Result};
pub use lazygrad_cpu::Buffer;
pub use lazygrad_ir::{DType, Shape};

/// An array as plain data: its shape and its elements in C (row-major) order.
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    /// The extents of the dimensions, outermost first; empty for a 0-d array.
    pub shape: Shape,
    /// The elements in C order; there are `shape.size()` of them.
    pub data: Buffer,
}

impl Array {
    /// An array of `shape` over `data`; the lengths must agree, and a shape whose size
    /// overflows is numpy's "array is too big" error.
    ///
    /// ```
    /// use lazygrad_io::{Array, Buffer};
    /// let a = Array::new([2, 2], Buffer::U8(vec![1, 2, 3, 4]))?;
    /// assert_eq!(a.dtype(), lazygrad_io::DType::U8);
    /// assert!(Array::new([3], Buffer::U8(vec![1])).is_err());
    /// # Ok::<(), lazygrad_io::Error>(())
    /// ```
    pub fn new(shape: impl Into<Shape>, data: Buffer) -> Result<Array> {
        let shape = shape.into();
        // The size of a shape is only computed once it is known to fit.
        shape.check_size("Array::new", data.dtype())?;
        if shape.size() != data.len() {
            return Err(Error::Invalid {
                op: "Array::new",
                message: format!("{} elements cannot have shape {shape}", data.len()),
            });
        }
        Ok(Array { shape, data })
    }

    /// The dtype of the elements.
    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }
}
