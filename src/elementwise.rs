//! Elementwise math: numpy's ufuncs, with broadcasting, dtype promotion and operators.
//!
//! Every function here resolves its operands (promotion, weak literals, broadcasting) in
//! [`prepare`] and then builds one primitive from the op table; nothing here computes.

use crate::Tensor;
use crate::args::{IntoOperand, Operand};
use crate::tensor::unwrap_at_caller;
use lazygrad_ir::{
    BinaryOp, CompareOp, DType, Error, Movement, Op, Result, Shape, UnaryOp, broadcast_shapes,
};
use std::ops;

/// How an elementwise function picks the dtype it computes in from the promoted operand dtype.
#[derive(Clone, Copy)]
enum Compute {
    /// The promoted dtype.
    Promoted,
    /// The promoted dtype if float, else the float numpy uses (`true_divide`: float64).
    Divide,
    /// Always bool (logical functions).
    Bool,
}

/// Resolves operands to tensors of one dtype and one broadcast shape.
///
/// The dtype is numpy 2's: tensors promote with [`DType::promote`], literals are weak
/// ([`DType::promote_weak`]); `compute` may then move it (true division goes to float).
#[track_caller]
fn prepare(op: &'static str, operands: Vec<Operand>, compute: Compute) -> Result<Vec<Tensor>> {
    let mut dtype: Option<DType> = None;
    for operand in &operands {
        if let Operand::Tensor(t) = operand {
            dtype = Some(dtype.map_or(t.dtype(), |d| d.promote(t.dtype())));
        }
    }
    for operand in &operands {
        if let Operand::Weak(w) = operand {
            dtype = Some(dtype.map_or(w.default_dtype(), |d| d.promote_weak(w.kind())));
        }
    }
    let promoted = dtype.unwrap_or(DType::F64);
    let dtype = match compute {
        Compute::Promoted => promoted,
        Compute::Divide if promoted.is_float() => promoted,
        Compute::Divide => DType::F64,
        Compute::Bool => DType::Bool,
    };
    let mut shape: Option<Shape> = None;
    for operand in &operands {
        if let Operand::Tensor(t) = operand {
            shape = Some(match shape {
                None => t.shape_tuple().clone(),
                Some(s) => broadcast_shapes(op, &s, t.shape_tuple())?,
            });
        }
    }
    let shape = shape.unwrap_or_else(Shape::scalar);
    operands
        .into_iter()
        .map(|operand| {
            let tensor = match operand {
                Operand::Tensor(t) => t.try_astype(dtype)?,
                Operand::Weak(w) => {
                    // Under `Compute::Bool` any literal is truthy or not; elsewhere an integer
                    // literal that does not fit the dtype is an error, as in numpy 2.
                    let value = match compute {
                        Compute::Bool => Some(
                            w.to_value(DType::F64)
                                .expect("f64 holds any literal")
                                .cast(DType::Bool),
                        ),
                        _ => w.to_value(dtype),
                    };
                    let value = value.ok_or(match w {
                        lazygrad_ir::Weak::Int(value) => {
                            Error::ScalarOutOfBounds { op, value, dtype }
                        }
                        _ => Error::internal("a non-integer literal did not fit its dtype"),
                    })?;
                    Tensor::try_op(Op::Const(value), vec![])?
                }
            };
            tensor.try_broadcast_to(&shape)
        })
        .collect()
}

/// The ways a two-operand numpy function maps onto a primitive.
#[derive(Clone, Copy)]
enum Binary {
    /// A binary primitive in the promoted dtype.
    Arith(BinaryOp),
    /// True division.
    Divide,
    /// A comparison; `swapped` builds `rhs op lhs` (so `greater` is `less` swapped).
    Compare(CompareOp, bool),
    /// A logical primitive on operands cast to bool.
    Logical(BinaryOp),
}

#[track_caller]
fn binary(op: &'static str, lhs: Operand, rhs: Operand, kind: Binary) -> Result<Tensor> {
    let compute = match kind {
        Binary::Divide => Compute::Divide,
        Binary::Logical(_) => Compute::Bool,
        _ => Compute::Promoted,
    };
    let mut args = prepare(op, vec![lhs, rhs], compute)?;
    let (op, args) = match kind {
        Binary::Arith(op) | Binary::Logical(op) => (Op::Binary(op), args),
        Binary::Divide => (Op::Binary(BinaryOp::Div), args),
        Binary::Compare(op, false) => (Op::Compare(op), args),
        Binary::Compare(op, true) => {
            args.swap(0, 1);
            (Op::Compare(op), args)
        }
    };
    Tensor::try_op(op, args)
}

macro_rules! binary_fns {
    ($( $(#[$doc:meta])* $name:ident, $try_name:ident, $label:literal => $kind:expr; )*) => {
        impl Tensor {
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(&self, rhs: impl IntoOperand) -> Tensor {
                    unwrap_at_caller(self.$try_name(rhs))
                }

                #[doc = concat!("Fallible [`Tensor::", stringify!($name), "`]: returns broadcasting and dtype errors.")]
                #[track_caller]
                pub fn $try_name(&self, rhs: impl IntoOperand) -> Result<Tensor> {
                    binary($label, Operand::Tensor(self.clone()), rhs.into_operand(), $kind)
                }
            )*
        }

        /// numpy's two-operand ufuncs as free functions (`lazygrad::maximum(&a, 0.0)`).
        pub mod ufuncs {
            use super::*;
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(lhs: impl IntoOperand, rhs: impl IntoOperand) -> Tensor {
                    unwrap_at_caller(binary($label, lhs.into_operand(), rhs.into_operand(), $kind))
                }
            )*
        }
    };
}

binary_fns! {
    /// Elementwise `self + rhs` (`np.add`), broadcasting.
    add, try_add, "add" => Binary::Arith(BinaryOp::Add);
    /// Elementwise `self - rhs` (`np.subtract`).
    subtract, try_subtract, "subtract" => Binary::Arith(BinaryOp::Sub);
    /// Elementwise `self * rhs` (`np.multiply`).
    multiply, try_multiply, "multiply" => Binary::Arith(BinaryOp::Mul);
    /// Elementwise true division (`np.divide`); integers divide in float64.
    divide, try_divide, "divide" => Binary::Divide;
    /// Elementwise division rounded toward negative infinity (`np.floor_divide`, `//`).
    floor_divide, try_floor_divide, "floor_divide" => Binary::Arith(BinaryOp::FloorDiv);
    /// Elementwise remainder with the sign of the divisor (`np.remainder`, `%`).
    remainder, try_remainder, "remainder" => Binary::Arith(BinaryOp::Rem);
    /// Elementwise `self ** rhs` (`np.power`).
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 3.0]);
    /// assert_eq!(a.pow(2).to_vec::<f64>(), vec![1.0, 4.0, 9.0]);
    /// ```
    pow, try_pow, "power" => Binary::Arith(BinaryOp::Pow);
    /// Elementwise maximum (`np.maximum`); NaN propagates.
    ///
    /// ```
    /// let h = lazygrad::array([-1.0, 2.0]);
    /// assert_eq!(h.maximum(0.0).to_vec::<f64>(), vec![0.0, 2.0]);
    /// ```
    maximum, try_maximum, "maximum" => Binary::Arith(BinaryOp::Maximum);
    /// Elementwise minimum (`np.minimum`); NaN propagates.
    minimum, try_minimum, "minimum" => Binary::Arith(BinaryOp::Minimum);
    /// Elementwise `self > rhs` (`np.greater`), giving bool.
    ///
    /// ```
    /// let a = lazygrad::array([1, 6, 9]);
    /// assert_eq!(a.greater(5).to_vec::<bool>(), vec![false, true, true]);
    /// ```
    greater, try_greater, "greater" => Binary::Compare(CompareOp::Lt, true);
    /// Elementwise `self >= rhs` (`np.greater_equal`).
    greater_equal, try_greater_equal, "greater_equal" => Binary::Compare(CompareOp::Le, true);
    /// Elementwise `self < rhs` (`np.less`).
    less, try_less, "less" => Binary::Compare(CompareOp::Lt, false);
    /// Elementwise `self <= rhs` (`np.less_equal`).
    less_equal, try_less_equal, "less_equal" => Binary::Compare(CompareOp::Le, false);
    /// Elementwise `self == rhs` (`np.equal`).
    equal, try_equal, "equal" => Binary::Compare(CompareOp::Eq, false);
    /// Elementwise `self != rhs` (`np.not_equal`).
    not_equal, try_not_equal, "not_equal" => Binary::Compare(CompareOp::Ne, false);
    /// Elementwise logical and of truth values (`np.logical_and`).
    logical_and, try_logical_and, "logical_and" => Binary::Logical(BinaryOp::And);
    /// Elementwise logical or of truth values (`np.logical_or`).
    logical_or, try_logical_or, "logical_or" => Binary::Logical(BinaryOp::Or);
    /// Elementwise logical exclusive or of truth values (`np.logical_xor`).
    logical_xor, try_logical_xor, "logical_xor" => Binary::Logical(BinaryOp::Xor);
}

impl Tensor {
    /// Short for [`Tensor::greater`]: `a.gt(5)` is numpy's `a > 5`.
    #[track_caller]
    pub fn gt(&self, rhs: impl IntoOperand) -> Tensor {
        self.greater(rhs)
    }

    /// Short for [`Tensor::greater_equal`].
    #[track_caller]
    pub fn ge(&self, rhs: impl IntoOperand) -> Tensor {
        self.greater_equal(rhs)
    }

    /// Short for [`Tensor::less`].
    #[track_caller]
    pub fn lt(&self, rhs: impl IntoOperand) -> Tensor {
        self.less(rhs)
    }

    /// Short for [`Tensor::less_equal`].
    #[track_caller]
    pub fn le(&self, rhs: impl IntoOperand) -> Tensor {
        self.less_equal(rhs)
    }

    /// The tensor converted to `dtype` (`a.astype(dtype)`), with numpy's results for in-range values.
    ///
    /// ```
    /// use lazygrad::DType;
    /// let a = lazygrad::array([1.7, -2.7]);
    /// assert_eq!(a.astype(DType::I32).to_vec::<i32>(), vec![1, -2]);
    /// ```
    #[track_caller]
    pub fn astype(&self, dtype: DType) -> Tensor {
        unwrap_at_caller(self.try_astype(dtype))
    }

    /// Fallible [`Tensor::astype`] for the `try_` paths: widening a huge array (bool to int64)
    /// can make its bytes overflow, which is [`Error::TooBig`](lazygrad_ir::Error::TooBig).
    #[track_caller]
    pub(crate) fn try_astype(&self, dtype: DType) -> Result<Tensor> {
        if dtype == self.dtype() {
            return Ok(self.clone());
        }
        Tensor::try_op(Op::Cast(dtype), vec![self.clone()])
    }

    /// The tensor broadcast to `shape` (`np.broadcast_to`), a view with stride 0 on new axes.
    #[track_caller]
    pub fn broadcast_to(&self, shape: impl crate::IntoShape) -> Tensor {
        unwrap_at_caller(self.try_broadcast_to(&shape.into_shape()))
    }

    /// Fallible [`Tensor::broadcast_to`]: incompatible shapes, and a shape too big to address
    /// ([`Error::TooBig`](lazygrad_ir::Error::TooBig)) even though a broadcast copies nothing.
    #[track_caller]
    pub fn try_broadcast_to(&self, shape: &Shape) -> Result<Tensor> {
        if self.shape_tuple() == shape {
            return Ok(self.clone());
        }
        Tensor::try_op(
            Op::Movement(Movement::Expand(shape.clone())),
            vec![self.clone()],
        )
    }

    /// `where(self, x, y)` with `self` as the condition: `x` where true, `y` elsewhere.
    #[track_caller]
    pub fn where_(&self, x: impl IntoOperand, y: impl IntoOperand) -> Tensor {
        where_(self, x, y)
    }

    /// Elements limited to `[min, max]` (`np.clip`), i.e. `minimum(maximum(a, min), max)`.
    ///
    /// ```
    /// let a = lazygrad::array([-5, 0, 5]);
    /// assert_eq!(a.clip(-2, 3).to_vec::<i64>(), vec![-2, 0, 3]);
    /// ```
    #[track_caller]
    pub fn clip(&self, min: impl IntoOperand, max: impl IntoOperand) -> Tensor {
        self.maximum(min).minimum(max)
    }

    /// Elementwise `self * self` (`np.square`).
    #[track_caller]
    pub fn square(&self) -> Tensor {
        self * self
    }

    #[track_caller]
    fn unary(&self, op: UnaryOp) -> Result<Tensor> {
        let input = match op.domain() {
            lazygrad_ir::Domain::Float if !self.dtype().is_float() => {
                self.try_astype(self.dtype().float_for())?
            }
            lazygrad_ir::Domain::Bool if self.dtype() != DType::Bool => self.try_not_equal(0)?,
            _ => self.clone(),
        };
        Tensor::try_op(Op::Unary(op), vec![input])
    }
}

/// An operand's shape: a tensor's own, a literal's `()`.
fn operand_shape(operand: &Operand) -> Shape {
    match operand {
        Operand::Tensor(t) => t.shape_tuple().clone(),
        Operand::Weak(_) => Shape::scalar(),
    }
}

/// `x` where `cond` is true, `y` elsewhere (`np.where(cond, x, y)`), broadcasting all three.
///
/// ```
/// let a = lazygrad::array([1.0, -2.0, 3.0]);
/// let r = lazygrad::where_(&a.gt(0.0), &a, 0.0);
/// assert_eq!(r.to_vec::<f64>(), vec![1.0, 0.0, 3.0]);
/// ```
#[track_caller]
pub fn where_(cond: &Tensor, x: impl IntoOperand, y: impl IntoOperand) -> Tensor {
    unwrap_at_caller(try_where(cond, x, y))
}

/// Fallible [`where_`].
#[track_caller]
pub fn try_where(cond: &Tensor, x: impl IntoOperand, y: impl IntoOperand) -> Result<Tensor> {
    let cond = if cond.dtype() == DType::Bool {
        cond.clone()
    } else {
        cond.try_not_equal(0)?
    };
    let (x, y) = (x.into_operand(), y.into_operand());
    // numpy broadcasts the three together and, on failure, lists all three shapes, a literal's
    // as `()`.
    let shapes = [
        cond.shape_tuple().clone(),
        operand_shape(&x),
        operand_shape(&y),
    ];
    let shape = shapes[1..]
        .iter()
        .try_fold(shapes[0].clone(), |acc, s| {
            broadcast_shapes("where", &acc, s)
        })
        .map_err(|_| Error::BroadcastAll {
            op: "where",
            shapes: shapes.to_vec(),
        })?;
    let values = prepare("where", vec![x, y], Compute::Promoted)?;
    let args = vec![
        cond.try_broadcast_to(&shape)?,
        values[0].try_broadcast_to(&shape)?,
        values[1].try_broadcast_to(&shape)?,
    ];
    Tensor::try_op(Op::Where, args)
}

macro_rules! unary_fns {
    ($( $(#[$doc:meta])* $name:ident, $try_name:ident => $op:ident; )*) => {
        impl Tensor {
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(&self) -> Tensor {
                    unwrap_at_caller(self.unary(UnaryOp::$op))
                }

                #[doc = concat!("Fallible [`Tensor::", stringify!($name), "`].")]
                #[track_caller]
                pub fn $try_name(&self) -> Result<Tensor> {
                    self.unary(UnaryOp::$op)
                }
            )*
        }

        /// numpy's one-operand ufuncs as free functions (`lazygrad::sqrt(&a)`).
        pub mod unary_ufuncs {
            use crate::Tensor;
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(x: &Tensor) -> Tensor {
                    x.$name()
                }
            )*
        }
    };
}

unary_fns! {
    /// Elementwise numerical negative (`np.negative`, `-a`); an error on bool, as in numpy.
    negative, try_negative => Neg;
    /// Elementwise absolute value (`np.abs`).
    abs, try_abs => Abs;
    /// Elementwise sign: -1, 0 or 1 (`np.sign`).
    sign, try_sign => Sign;
    /// Elementwise square root (`np.sqrt`); integers compute in float.
    ///
    /// ```
    /// let a = lazygrad::array([1, 4, 9]);
    /// assert_eq!(a.sqrt().to_vec::<f64>(), vec![1.0, 2.0, 3.0]);
    /// ```
    sqrt, try_sqrt => Sqrt;
    /// Elementwise natural exponential (`np.exp`).
    exp, try_exp => Exp;
    /// Elementwise natural logarithm (`np.log`).
    log, try_log => Log;
    /// Elementwise sine (`np.sin`).
    sin, try_sin => Sin;
    /// Elementwise cosine (`np.cos`).
    cos, try_cos => Cos;
    /// Elementwise hyperbolic tangent (`np.tanh`).
    tanh, try_tanh => Tanh;
    /// Elementwise reciprocal `1 / x` (`np.reciprocal` for floats).
    reciprocal, try_reciprocal => Recip;
    /// Elementwise logical not of truth values (`np.logical_not`).
    logical_not, try_logical_not => Not;
}

macro_rules! operators {
    ($($trait:ident, $method:ident, $assign_trait:ident, $assign_method:ident => $name:ident;)*) => {$(
        impl<R: IntoOperand> ops::$trait<R> for &Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: R) -> Tensor {
                self.$name(rhs)
            }
        }

        impl<R: IntoOperand> ops::$trait<R> for Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: R) -> Tensor {
                (&self).$name(rhs)
            }
        }

        /// Rebinds the handle to a new node: views of the old value are not written through.
        impl<R: IntoOperand> ops::$assign_trait<R> for Tensor {
            #[track_caller]
            fn $assign_method(&mut self, rhs: R) {
                *self = (&*self).$name(rhs);
            }
        }

        operators!(@scalar $trait, $method, $name: f64, f32, i64, i32, u8, bool);
    )*};
    (@scalar $trait:ident, $method:ident, $name:ident: $($t:ty),*) => {$(
        impl ops::$trait<&Tensor> for $t {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: &Tensor) -> Tensor {
                unwrap_at_caller(binary_named(stringify!($name), self.into_operand(), rhs.clone().into_operand()))
            }
        }

        impl ops::$trait<Tensor> for $t {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: Tensor) -> Tensor {
                unwrap_at_caller(binary_named(stringify!($name), self.into_operand(), rhs.into_operand()))
            }
        }
    )*};
}

/// The operator functions by name, for literals on the left (`2.0 * &a`).
#[track_caller]
fn binary_named(name: &str, lhs: Operand, rhs: Operand) -> Result<Tensor> {
    match name {
        "add" => binary("add", lhs, rhs, Binary::Arith(BinaryOp::Add)),
        "subtract" => binary("subtract", lhs, rhs, Binary::Arith(BinaryOp::Sub)),
        "multiply" => binary("multiply", lhs, rhs, Binary::Arith(BinaryOp::Mul)),
        "divide" => binary("divide", lhs, rhs, Binary::Divide),
        _ => binary("remainder", lhs, rhs, Binary::Arith(BinaryOp::Rem)),
    }
}

operators! {
    Add, add, AddAssign, add_assign => add;
    Sub, sub, SubAssign, sub_assign => subtract;
    Mul, mul, MulAssign, mul_assign => multiply;
    Div, div, DivAssign, div_assign => divide;
    Rem, rem, RemAssign, rem_assign => remainder;
}

impl ops::Neg for &Tensor {
    type Output = Tensor;
    #[track_caller]
    fn neg(self) -> Tensor {
        self.negative()
    }
}

impl ops::Neg for Tensor {
    type Output = Tensor;
    #[track_caller]
    fn neg(self) -> Tensor {
        self.negative()
    }
}

/// `!mask` is numpy's `~mask` on bool tensors: logical not.
impl ops::Not for &Tensor {
    type Output = Tensor;
    #[track_caller]
    fn not(self) -> Tensor {
        if self.dtype() != DType::Bool {
            panic!(
                "invert: `!` is logical not and needs a bool tensor, not {}; use logical_not",
                self.dtype()
            );
        }
        self.logical_not()
    }
}

impl ops::Not for Tensor {
    type Output = Tensor;
    #[track_caller]
    fn not(self) -> Tensor {
        !&self
    }
}

macro_rules! logical_operators {
    ($($trait:ident, $method:ident, $name:ident, $symbol:literal;)*) => {$(
        /// On bool tensors, numpy's logical operator; integers (bitwise in numpy) are rejected.
        impl<R: IntoOperand> ops::$trait<R> for &Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: R) -> Tensor {
                let rhs = rhs.into_operand();
                let is_bool = |operand: &Operand| match operand {
                    Operand::Tensor(t) => t.dtype() == DType::Bool,
                    Operand::Weak(w) => matches!(w, lazygrad_ir::Weak::Bool(_)),
                };
                if self.dtype() != DType::Bool || !is_bool(&rhs) {
                    panic!(concat!("`", $symbol, "` is logical on bool tensors; bitwise integer operators are not supported, use ", stringify!($name)));
                }
                self.$name(rhs)
            }
        }

        impl<R: IntoOperand> ops::$trait<R> for Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: R) -> Tensor {
                ops::$trait::$method(&self, rhs)
            }
        }
    )*};
}

logical_operators! {
    BitAnd, bitand, logical_and, "&";
    BitOr, bitor, logical_or, "|";
    BitXor, bitxor, logical_xor, "^";
}
