//! The CPU runtime: typed buffers and the kernels that execute a plan.
//!
//! [`Buffer`] is flat typed storage; [`execute`] runs a [`lazygrad_ir::Plan`] over buffers.
//! Fused elementwise and reduction kernels are register programs evaluated over blocks of
//! [`BLOCK`] elements (`exec.rs`); large float elementwise kernels run as single-pass machine
//! code compiled with Cranelift instead (`jit.rs`, switched off by `LAZYGRAD_JIT=0`); iteration merges contiguous dimensions first (`strided.rs`),
//! and matrix products go through AVX-512 kernels of our own or `matrixmultiply`, with strides
//! passed as they are (`gemm.rs`, `gemm/avx512.rs`).
//! The runtime never sees a `Tensor`; unit tests live beside the code, behaviour is tested in the
//! facade's `tests/it` binary.

#![warn(missing_docs)]

mod buffer;
mod exec;
pub mod gemm;
mod jit;
mod movement;
mod strided;
#[cfg(test)]
mod test_random;

pub use buffer::{Buffer, HUGE_PAGE_MIN_BYTES, SliceRef, Storage, huge_page_vec};
pub use exec::{BLOCK, KernelProfile, buffers_allocated, execute, execute_profiled};
pub use jit::{jit_enabled, jit_programs, with_jit};
pub use lazygrad_ir::with_dtype;
