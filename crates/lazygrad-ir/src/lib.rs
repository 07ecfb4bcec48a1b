//! The intermediate representation shared by lazygrad's compiler and runtime.
//!
//! This crate owns the vocabulary: [`DType`] and [`Value`], [`Shape`] and numpy broadcasting,
//! [`View`] (shape, signed element strides, offset), the op table in [`ops`] (every primitive
//! defined once, with its label, dtype domain and scalar semantics over [`Element`]), the
//! [`Error`] type, and the [`Plan`]/[`Kernel`] types the compiler emits and the runtime executes.
//!
//! Start reading at `ops.rs`. This crate never touches buffer data and never sees a `Tensor`.
//! Its unit tests live beside the code; behaviour against numpy is tested in the facade's
//! `tests/it` binary.

#![warn(missing_docs)]

mod dtype;
mod element;
mod error;
mod kernel;
pub mod ops;
mod shape;
mod view;

pub use dtype::{DType, Kind, Value, Weak};
pub use element::Element;
pub use error::{Error, Result};
/// numpy's `float16`, the Rust type of [`DType::F16`] elements (from the `half` crate).
pub use half::f16;
pub use kernel::{Epilogue, Instr, Kernel, KernelKind, Operand, Plan, Program, Reg, SlotId};
pub use ops::{
    Axes, BinaryOp, CompareOp, Domain, Movement, Op, ReduceOp, ScatterMode, SliceAxis, UnaryOp,
    keep_dims,
};
pub use shape::{Shape, broadcast_shapes, normalize_axes, normalize_axis};
pub use view::{Strides, View};

/// Runs `$body` with `$T` bound to the Rust element type of `$dtype`.
#[macro_export]
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::DType::U8 => {
                type $T = u8;
                $body
            }
            $crate::DType::I8 => {
                type $T = i8;
                $body
            }
            $crate::DType::U16 => {
                type $T = u16;
                $body
            }
            $crate::DType::I16 => {
                type $T = i16;
                $body
            }
            $crate::DType::U32 => {
                type $T = u32;
                $body
            }
            $crate::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::DType::U64 => {
                type $T = u64;
                $body
            }
            $crate::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::DType::F16 => {
                type $T = $crate::f16;
                $body
            }
            $crate::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}
