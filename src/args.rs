//! Conversions for arguments: operands (tensors or Rust literals), shapes and axes.

use crate::Tensor;
use lazygrad_ir::{Shape, Weak};

/// One operand of an elementwise op: a tensor, or a Rust literal that is weak under numpy 2's
/// rules (NEP 50), so `&a_f32 * 2.0` stays float32 and `&a_u8 * 2` stays uint8.
#[derive(Clone, Debug)]
pub enum Operand {
    /// A tensor operand.
    Tensor(Tensor),
    /// A literal operand.
    Weak(Weak),
}

/// Types usable as an operand: `Tensor`, `&Tensor`, and Rust literals.
pub trait IntoOperand {
    /// The operand.
    fn into_operand(self) -> Operand;
}

impl IntoOperand for Tensor {
    fn into_operand(self) -> Operand {
        Operand::Tensor(self)
    }
}

impl IntoOperand for &Tensor {
    fn into_operand(self) -> Operand {
        Operand::Tensor(self.clone())
    }
}

impl IntoOperand for Operand {
    fn into_operand(self) -> Operand {
        self
    }
}

macro_rules! weak_operand {
    ($variant:ident, $cast:ty: $($t:ty),*) => {
        $(impl IntoOperand for $t {
            fn into_operand(self) -> Operand {
                Operand::Weak(Weak::$variant(self as $cast))
            }
        })*
    };
}

weak_operand!(Int, i64: i32, i64, u8, u32, usize, isize);
weak_operand!(Float, f64: f32, f64);

impl IntoOperand for bool {
    fn into_operand(self) -> Operand {
        Operand::Weak(Weak::Bool(self))
    }
}

/// Types usable as a shape: `[usize; N]`, `&[usize]`, `Vec<usize>`, `usize` (1-d) and `()` (0-d).
pub trait IntoShape {
    /// The shape.
    fn into_shape(self) -> Shape;
}

impl<const N: usize> IntoShape for [usize; N] {
    fn into_shape(self) -> Shape {
        Shape::new(&self)
    }
}

impl IntoShape for &[usize] {
    fn into_shape(self) -> Shape {
        Shape::new(self)
    }
}

impl IntoShape for Vec<usize> {
    fn into_shape(self) -> Shape {
        Shape::new(&self)
    }
}

impl IntoShape for &Vec<usize> {
    fn into_shape(self) -> Shape {
        Shape::new(self)
    }
}

impl IntoShape for usize {
    fn into_shape(self) -> Shape {
        Shape::new(&[self])
    }
}

impl IntoShape for () {
    fn into_shape(self) -> Shape {
        Shape::scalar()
    }
}

impl IntoShape for &Shape {
    fn into_shape(self) -> Shape {
        self.clone()
    }
}

impl IntoShape for Shape {
    fn into_shape(self) -> Shape {
        self
    }
}

/// Axis lists for reductions: one axis (`1`, `-1`), several (`[0, 2]`, `&[0, 2]`, `vec![..]`);
/// negative axes count from the end.
pub trait IntoAxes {
    /// The axes as written.
    fn into_axes(self) -> Vec<isize>;
}

impl IntoAxes for isize {
    fn into_axes(self) -> Vec<isize> {
        vec![self]
    }
}

impl IntoAxes for i32 {
    fn into_axes(self) -> Vec<isize> {
        vec![self as isize]
    }
}

impl IntoAxes for usize {
    fn into_axes(self) -> Vec<isize> {
        vec![self as isize]
    }
}

impl<const N: usize> IntoAxes for [isize; N] {
    fn into_axes(self) -> Vec<isize> {
        self.to_vec()
    }
}

impl<const N: usize> IntoAxes for [i32; N] {
    fn into_axes(self) -> Vec<isize> {
        self.iter().map(|&axis| axis as isize).collect()
    }
}

impl IntoAxes for &[isize] {
    fn into_axes(self) -> Vec<isize> {
        self.to_vec()
    }
}

impl IntoAxes for Vec<isize> {
    fn into_axes(self) -> Vec<isize> {
        self
    }
}

/// An unsigned extent as `reshape` reads it: one past `isize::MAX` becomes [`TOO_LARGE`], which
/// `reshape` rejects as numpy does, instead of wrapping to a negative (`-1` would be inferred).
fn extent_to_isize(dim: usize) -> isize {
    isize::try_from(dim).unwrap_or(TOO_LARGE)
}

/// The extent an unsigned dimension beyond `isize::MAX` is read as by [`IntoReshape`]; reshape
/// reports it as numpy's "Maximum allowed dimension exceeded".
pub(crate) const TOO_LARGE: isize = isize::MIN;

/// Signed shapes for `reshape`, where one `-1` is inferred from the size.
pub trait IntoReshape {
    /// The extents as written.
    fn into_reshape(self) -> Vec<isize>;
}

impl<const N: usize> IntoReshape for [isize; N] {
    fn into_reshape(self) -> Vec<isize> {
        self.to_vec()
    }
}

impl<const N: usize> IntoReshape for [i32; N] {
    fn into_reshape(self) -> Vec<isize> {
        self.iter().map(|&d| d as isize).collect()
    }
}

impl<const N: usize> IntoReshape for [usize; N] {
    fn into_reshape(self) -> Vec<isize> {
        self.iter().map(|&d| extent_to_isize(d)).collect()
    }
}

impl IntoReshape for &[usize] {
    fn into_reshape(self) -> Vec<isize> {
        self.iter().map(|&d| extent_to_isize(d)).collect()
    }
}

impl IntoReshape for &[isize] {
    fn into_reshape(self) -> Vec<isize> {
        self.to_vec()
    }
}

impl IntoReshape for Vec<isize> {
    fn into_reshape(self) -> Vec<isize> {
        self
    }
}

impl IntoReshape for isize {
    fn into_reshape(self) -> Vec<isize> {
        vec![self]
    }
}

impl IntoReshape for i32 {
    fn into_reshape(self) -> Vec<isize> {
        vec![self as isize]
    }
}

impl IntoReshape for &Shape {
    fn into_reshape(self) -> Vec<isize> {
        self.iter().map(|&d| extent_to_isize(d)).collect()
    }
}
