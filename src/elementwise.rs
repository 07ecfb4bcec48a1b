//! Elementwise math: numpy's ufuncs, with broadcasting, dtype promotion and operators.
//!
//! Every function here resolves its operands (promotion, weak literals, broadcasting) in
//! [`prepare`] and then builds one primitive from the op table; nothing here computes.

use crate::Tensor;
use crate::args::{IntoOperand, Operand};
use crate::tensor::unwrap_at_caller;
use crate::ufunc::Ufunc;
use lazygrad_ir::{
    BinaryOp, CompareOp, DType, Domain, Error, Movement, Op, Result, Shape, UnaryOp,
    broadcast_shapes,
};
use std::ops;

/// How an elementwise function picks the dtype it computes in from the promoted operand dtype.
#[derive(Clone, Copy)]
enum Compute {
    /// The promoted dtype.
    Promoted,
    /// The promoted dtype if float, else the float numpy uses (`true_divide`: float64).
    Divide,
    /// The promoted dtype if float, else the float numpy's float functions use for it.
    Float,
    /// The promoted dtype, with bool as int8 (numpy's integer loops start at int8).
    BoolAsInt8,
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
        Compute::Float => promoted.float_for(),
        Compute::BoolAsInt8 if promoted == DType::Bool => DType::I8,
        Compute::BoolAsInt8 => promoted,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binary {
    /// A binary primitive; float-only ones compute integers in the float numpy picks.
    Arith(BinaryOp),
    /// True division.
    Divide,
    /// A comparison; `swapped` builds `rhs op lhs` (so `greater` is `less` swapped).
    Compare(CompareOp, bool),
    /// A logical primitive on operands cast to bool.
    Logical(BinaryOp),
}

impl Binary {
    /// The binary primitive numpy's function of this kind is.
    const fn of(op: BinaryOp, kind: BinaryKind) -> Binary {
        match kind {
            BinaryKind::Arith => Binary::Arith(op),
            BinaryKind::Divide => Binary::Divide,
            BinaryKind::Logical => Binary::Logical(op),
        }
    }
}

/// The kind column of the binary primitives' table below.
#[derive(Clone, Copy)]
enum BinaryKind {
    /// Promoted operands, or their float for float-only primitives.
    Arith,
    /// True division: integers divide in float64.
    Divide,
    /// Operands cast to bool.
    Logical,
}

#[track_caller]
pub(crate) fn binary(op: &'static str, lhs: Operand, rhs: Operand, kind: Binary) -> Result<Tensor> {
    let compute = match kind {
        Binary::Divide => Compute::Divide,
        Binary::Logical(_) => Compute::Bool,
        Binary::Arith(op) if op.domain() == Domain::Float => Compute::Float,
        // numpy computes `//`, `%`, `**`, `fmod` and the shifts of bools in int8, but refuses
        // bool `subtract` (it names `^` instead), `gcd` and `lcm`.
        Binary::Arith(op)
            if !op.domain().admits(DType::Bool)
                && !matches!(op, BinaryOp::Sub | BinaryOp::Gcd | BinaryOp::Lcm) =>
        {
            Compute::BoolAsInt8
        }
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

/// A two-operand numpy function as a method and its `try_` form.
macro_rules! binary_methods {
    ($(#[$doc:meta])* $name:ident, $try_name:ident, $label:expr => $kind:expr) => {
        impl Tensor {
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
        }
    };
}

/// The facade's table of binary primitives: each row gives the public name, the kind (how
/// operands are cast) and the vector-Jacobian rule `|g, x, y, out| [dx, dy]` (`None` where no
/// gradient flows). It generates the methods, the free functions of [`ufuncs`], and
/// [`binary_vjp`], whose `match` is exhaustive, so a primitive without a row does not compile.
macro_rules! binary_primitives {
    ($( $(#[$doc:meta])* $name:ident, $try_name:ident => $op:ident, $kind:ident, $rule:expr; )*) => {
        $(binary_methods!($(#[$doc])* $name, $try_name, BinaryOp::$op.label() => Binary::of(BinaryOp::$op, BinaryKind::$kind));)*

        #[allow(non_upper_case_globals)]
        impl Ufunc {
            $(
                #[doc = concat!("`np.", stringify!($name), "` as a value, for its ufunc methods ([`Tensor::", stringify!($name), "`] applies it).")]
                pub const $name: Ufunc = Ufunc::new(BinaryOp::$op.label(), Binary::of(BinaryOp::$op, BinaryKind::$kind));
            )*
        }

        /// numpy's two-operand ufuncs as free functions (`lazygrad::maximum(&a, 0.0)`).
        pub mod ufuncs {
            use super::*;
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(lhs: impl IntoOperand, rhs: impl IntoOperand) -> Tensor {
                    unwrap_at_caller(binary(BinaryOp::$op.label(), lhs.into_operand(), rhs.into_operand(), Binary::of(BinaryOp::$op, BinaryKind::$kind)))
                }
            )*
        }

        /// The cotangents of `x` and `y` for `out = op(x, y)` given the cotangent `g` of `out`.
        pub(crate) fn binary_vjp(op: BinaryOp, g: &Tensor, x: &Tensor, y: &Tensor, out: &Tensor) -> [Option<Tensor>; 2] {
            match op {
                $(BinaryOp::$op => ($rule)(g, x, y, out),)*
            }
        }
    };
}

/// The comparison functions: each is a comparison primitive, possibly with swapped operands.
macro_rules! compare_fns {
    ($( $(#[$doc:meta])* $name:ident, $try_name:ident => $op:ident, $swapped:literal; )*) => {
        $(binary_methods!($(#[$doc])* $name, $try_name, stringify!($name) => Binary::Compare(CompareOp::$op, $swapped));)*

        #[allow(non_upper_case_globals)]
        impl Ufunc {
            $(
                #[doc = concat!("`np.", stringify!($name), "` as a value, for its ufunc methods.")]
                pub const $name: Ufunc = Ufunc::new(stringify!($name), Binary::Compare(CompareOp::$op, $swapped));
            )*
        }

        /// numpy's comparison ufuncs as free functions (`lazygrad::greater(1, &a)`).
        pub mod comparison_ufuncs {
            use super::*;
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(lhs: impl IntoOperand, rhs: impl IntoOperand) -> Tensor {
                    unwrap_at_caller(binary(stringify!($name), lhs.into_operand(), rhs.into_operand(), Binary::Compare(CompareOp::$op, $swapped)))
                }
            )*
        }
    };
}

// The operands of a primitive share the output's shape (broadcasting is an `expand` node with
// its own rule), so no rule here sums a cotangent back over broadcast axes.
binary_primitives! {
    /// Elementwise `self + rhs` (`np.add`), broadcasting.
    add, try_add => Add, Arith, |g: &Tensor, _, _, _| [Some(g.clone()), Some(g.clone())];
    /// Elementwise `self - rhs` (`np.subtract`).
    subtract, try_subtract => Sub, Arith, |g: &Tensor, _, _, _| [Some(g.clone()), Some(-g)];
    /// Elementwise `self * rhs` (`np.multiply`).
    multiply, try_multiply => Mul, Arith, |g: &Tensor, x, y, _| [Some(g * y), Some(g * x)];
    /// Elementwise true division (`np.divide`); integers divide in float64.
    // d(x/y)/dy = -x/y^2 = -out/y.
    divide, try_divide => Div, Divide, |g: &Tensor, _, y, out| [Some(g / y), Some(-(g * out) / y)];
    /// Elementwise division rounded toward negative infinity (`np.floor_divide`, `//`).
    // Piecewise constant: zero almost everywhere.
    floor_divide, try_floor_divide => FloorDiv, Arith, no_grads;
    /// Elementwise remainder with the sign of the divisor (`np.remainder`, `%`).
    // rem(x, y) = x - floor(x/y) * y, so d/dx = 1 and d/dy = -floor(x/y).
    remainder, try_remainder => Rem, Arith, |g: &Tensor, x: &Tensor, y, _| [Some(g.clone()), Some(-(g * x.floor_divide(y)))];
    /// Elementwise `self ** rhs` (`np.power`).
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 3.0]);
    /// assert_eq!(a.pow(2).to_vec::<f64>(), vec![1.0, 4.0, 9.0]);
    /// ```
    pow, try_pow => Pow, Arith, pow_vjp;
    /// Elementwise maximum (`np.maximum`); NaN propagates.
    ///
    /// ```
    /// let h = lazygrad::array([-1.0, 2.0]);
    /// assert_eq!(h.maximum(0.0).to_vec::<f64>(), vec![0.0, 2.0]);
    /// ```
    maximum, try_maximum => Maximum, Arith, |g, x, y, _| extremum_vjp(g, x, y, true);
    /// Elementwise minimum (`np.minimum`); NaN propagates.
    minimum, try_minimum => Minimum, Arith, |g, x, y, _| extremum_vjp(g, x, y, false);
    /// Elementwise logical and of truth values (`np.logical_and`).
    logical_and, try_logical_and => And, Logical, no_grads;
    /// Elementwise logical or of truth values (`np.logical_or`).
    logical_or, try_logical_or => Or, Logical, no_grads;
    /// Elementwise logical exclusive or of truth values (`np.logical_xor`).
    logical_xor, try_logical_xor => Xor, Logical, no_grads;
    /// Elementwise maximum ignoring NaN (`np.fmax`): NaN only where both are NaN.
    ///
    /// ```
    /// let a = lazygrad::array([f64::NAN, 1.0]);
    /// assert_eq!(a.fmax(0.5).to_vec::<f64>(), vec![0.5, 1.0]);
    /// ```
    fmax, try_fmax => Fmax, Arith, |g, x, y, _| extremum_vjp(g, x, y, true);
    /// Elementwise minimum ignoring NaN (`np.fmin`).
    fmin, try_fmin => Fmin, Arith, |g, x, y, _| extremum_vjp(g, x, y, false);
    /// Elementwise `arctan(self / rhs)` in the quadrant of the point `(rhs, self)` (`np.arctan2`).
    ///
    /// ```
    /// let y = lazygrad::array([1.0, -1.0]);
    /// let angle = y.arctan2(-1.0).to_vec::<f64>();
    /// assert!((angle[0] - 3.0 * std::f64::consts::FRAC_PI_4).abs() < 1e-15);
    /// ```
    // d atan2(x, y) = (y dx - x dy) / (x^2 + y^2).
    arctan2, try_arctan2 => Arctan2, Arith, |g: &Tensor, x: &Tensor, y: &Tensor, _| {
        let scale = g / &(x * x + y * y);
        [Some(&scale * y), Some(-(&scale * x))]
    };
    /// Elementwise `sqrt(self**2 + rhs**2)` without intermediate overflow (`np.hypot`).
    hypot, try_hypot => Hypot, Arith, |g: &Tensor, x, y, out| [Some(g * x / out), Some(g * y / out)];
    /// Elementwise magnitude of `self` with the sign of `rhs` (`np.copysign`).
    // copysign(x, y) = |x| s(y), so d/dx = sign(x) s(y) = sign(x * out), and 0 in y.
    copysign, try_copysign => Copysign, Arith, |g: &Tensor, x: &Tensor, _, out| [Some(g * (x * out).sign()), None];
    /// Elementwise remainder with the sign of the dividend, C's `fmod` (`np.fmod`).
    // fmod(x, y) = x - trunc(x/y) * y.
    fmod, try_fmod => Fmod, Arith, |g: &Tensor, x: &Tensor, y: &Tensor, _| [Some(g.clone()), Some(-(g * (x / y).trunc()))];
    /// Elementwise `log(exp(self) + exp(rhs))` without overflow (`np.logaddexp`).
    // d/dx = exp(x) / (exp(x) + exp(y)) = exp(x - out).
    logaddexp, try_logaddexp => Logaddexp, Arith, |g: &Tensor, x: &Tensor, y: &Tensor, out: &Tensor| {
        [Some(g * (x - out).exp()), Some(g * (y - out).exp())]
    };
    /// Elementwise `log2(2**self + 2**rhs)` (`np.logaddexp2`).
    // d/dx = 2^x / (2^x + 2^y) = 2^(x - out).
    logaddexp2, try_logaddexp2 => Logaddexp2, Arith, |g: &Tensor, x: &Tensor, y: &Tensor, out: &Tensor| {
        [Some(g * (x - out).exp2()), Some(g * (y - out).exp2())]
    };
    /// Elementwise greatest common divisor of integers (`np.gcd`).
    ///
    /// ```
    /// let a = lazygrad::array([12, -20, 0]);
    /// assert_eq!(a.gcd(8).to_vec::<i64>(), vec![4, 4, 8]);
    /// ```
    gcd, try_gcd => Gcd, Arith, no_grads;
    /// Elementwise least common multiple of integers (`np.lcm`).
    lcm, try_lcm => Lcm, Arith, no_grads;
    /// Elementwise bitwise and of integers, logical and of bools (`np.bitwise_and`, `&`).
    ///
    /// ```
    /// let a = lazygrad::array([12, 10]);
    /// assert_eq!((&a & 6).to_vec::<i64>(), vec![4, 2]);
    /// ```
    bitwise_and, try_bitwise_and => BitAnd, Arith, no_grads;
    /// Elementwise bitwise or of integers, logical or of bools (`np.bitwise_or`, `|`).
    bitwise_or, try_bitwise_or => BitOr, Arith, no_grads;
    /// Elementwise bitwise exclusive or of integers, logical xor of bools (`np.bitwise_xor`, `^`).
    bitwise_xor, try_bitwise_xor => BitXor, Arith, no_grads;
    /// Elementwise `self << rhs` on integers (`np.left_shift`); counts outside the width give 0.
    left_shift, try_left_shift => LeftShift, Arith, no_grads;
    /// Elementwise `self >> rhs` on integers, arithmetic for signed ones (`np.right_shift`).
    right_shift, try_right_shift => RightShift, Arith, no_grads;
}

/// The rule of a binary primitive through which no gradient flows.
fn no_grads(_: &Tensor, _: &Tensor, _: &Tensor, _: &Tensor) -> [Option<Tensor>; 2] {
    [None, None]
}

/// `z = x ** y`: dz/dx = y x^(y-1), dz/dy = z ln x.
///
/// `where` guards the points where a factor is infinite but the true derivative is not
/// (y = 0 in the first, x = 0 in the second), with the guarded operand made finite too, so the
/// second derivative does not meet `0 * inf` in the branch `where` discards.
fn pow_vjp(g: &Tensor, x: &Tensor, y: &Tensor, out: &Tensor) -> [Option<Tensor>; 2] {
    let y_zero = y.equal(0.0);
    let y_safe = where_(&y_zero, 1.0, y);
    let dx = where_(&y_zero, 0.0, g * y * &x.pow(&(&y_safe - 1.0)));
    let x_safe = where_(&x.equal(0.0), 1.0, x);
    let dy = g * out * &x_safe.log();
    [Some(dx), Some(dy)]
}

/// `maximum`/`minimum`: the larger (smaller) operand gets `g`; a tie gives each half, as JAX does.
fn extremum_vjp(g: &Tensor, x: &Tensor, y: &Tensor, max: bool) -> [Option<Tensor>; 2] {
    // Written with `where` rather than masks cast to floats: it is the same math in fewer
    // fused instructions, which matters for `relu` in every training step.
    let tie = x.equal(y);
    let half = where_(&tie, &(g * 0.5), 0.0);
    let (x_wins, y_wins) = if max {
        (x.greater(y), y.greater(x))
    } else {
        (x.less(y), y.less(x))
    };
    [
        Some(where_(&x_wins, g, &half)),
        Some(where_(&y_wins, g, &half)),
    ]
}

compare_fns! {
    /// Elementwise `self > rhs` (`np.greater`), giving bool.
    ///
    /// ```
    /// let a = lazygrad::array([1, 6, 9]);
    /// assert_eq!(a.greater(5).to_vec::<bool>(), vec![false, true, true]);
    /// ```
    greater, try_greater => Lt, true;
    /// Elementwise `self >= rhs` (`np.greater_equal`).
    greater_equal, try_greater_equal => Le, true;
    /// Elementwise `self < rhs` (`np.less`).
    less, try_less => Lt, false;
    /// Elementwise `self <= rhs` (`np.less_equal`).
    less_equal, try_less_equal => Le, false;
    /// Elementwise `self == rhs` (`np.equal`).
    equal, try_equal => Eq, false;
    /// Elementwise `self != rhs` (`np.not_equal`).
    not_equal, try_not_equal => Ne, false;
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

/// The facade's table of unary primitives: each row gives the public name and the
/// vector-Jacobian rule `|g, x, out| dx` (`None` where no gradient flows). It generates the
/// methods, the free functions of [`unary_ufuncs`], and [`unary_vjp`], whose `match` is
/// exhaustive, so a primitive without a row does not compile.
macro_rules! unary_primitives {
    ($( $(#[$doc:meta])* $name:ident, $try_name:ident => $op:ident, $rule:expr; )*) => {
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

        /// The cotangent of `x` for `out = op(x)` given the cotangent `g` of `out`.
        pub(crate) fn unary_vjp(op: UnaryOp, g: &Tensor, x: &Tensor, out: &Tensor) -> Option<Tensor> {
            match op {
                $(UnaryOp::$op => ($rule)(g, x, out),)*
            }
        }
    };
}

/// The rule of a unary primitive through which no gradient flows.
fn no_grad(_: &Tensor, _: &Tensor, _: &Tensor) -> Option<Tensor> {
    None
}

unary_primitives! {
    /// Elementwise numerical negative (`np.negative`, `-a`); an error on bool, as in numpy.
    negative, try_negative => Neg, |g: &Tensor, _, _| Some(-g);
    /// Elementwise absolute value (`np.abs`).
    // sign(0) = 0: the subgradient 0 at the kink.
    abs, try_abs => Abs, |g: &Tensor, x: &Tensor, _| Some(g * x.sign());
    /// Elementwise sign: -1, 0 or 1 (`np.sign`).
    sign, try_sign => Sign, no_grad;
    /// Elementwise square root (`np.sqrt`); integers compute in float.
    ///
    /// ```
    /// let a = lazygrad::array([1, 4, 9]);
    /// assert_eq!(a.sqrt().to_vec::<f64>(), vec![1.0, 2.0, 3.0]);
    /// ```
    // d sqrt(x) = 1 / (2 sqrt(x)).
    sqrt, try_sqrt => Sqrt, |g: &Tensor, _, out| Some(g * 0.5 / out);
    /// Elementwise natural exponential (`np.exp`).
    exp, try_exp => Exp, |g: &Tensor, _, out| Some(g * out);
    /// Elementwise natural logarithm (`np.log`).
    log, try_log => Log, |g: &Tensor, x, _| Some(g / x);
    /// Elementwise sine (`np.sin`).
    sin, try_sin => Sin, |g: &Tensor, x: &Tensor, _| Some(g * x.cos());
    /// Elementwise cosine (`np.cos`).
    cos, try_cos => Cos, |g: &Tensor, x: &Tensor, _| Some(-(g * x.sin()));
    /// Elementwise hyperbolic tangent (`np.tanh`).
    // d tanh(x) = 1 - tanh(x)^2.
    tanh, try_tanh => Tanh, |g: &Tensor, _, out: &Tensor| Some(g * (1.0 - out * out));
    /// Elementwise reciprocal `1 / x` (`np.reciprocal` for floats).
    // d (1/x) = -1/x^2 = -out^2.
    reciprocal, try_reciprocal => Recip, |g: &Tensor, _, out| Some(-(g * out * out));
    /// Elementwise logical not of truth values (`np.logical_not`).
    logical_not, try_logical_not => Not, no_grad;
    /// Elementwise floor (`np.floor`); integers keep their dtype, as in numpy 2.
    ///
    /// ```
    /// let a = lazygrad::array([-1.5, 0.5, 2.0]);
    /// assert_eq!(a.floor().to_vec::<f64>(), vec![-2.0, 0.0, 2.0]);
    /// ```
    // Piecewise constant, as are ceil, trunc and rint: zero almost everywhere.
    floor, try_floor => Floor, no_grad;
    /// Elementwise ceiling (`np.ceil`); integers keep their dtype.
    ceil, try_ceil => Ceil, no_grad;
    /// Elementwise rounding toward zero (`np.trunc`, `np.fix`); integers keep their dtype.
    trunc, try_trunc => Trunc, no_grad;
    /// Elementwise rounding to the nearest whole number, half to even (`np.rint`).
    ///
    /// ```
    /// let a = lazygrad::array([0.5, 1.5, 2.5, -0.5]);
    /// assert_eq!(a.rint().to_vec::<f64>(), vec![0.0, 2.0, 2.0, -0.0]);
    /// ```
    rint, try_rint => Rint, no_grad;
    /// Elementwise tangent (`np.tan`).
    // d tan(x) = 1 + tan(x)^2.
    tan, try_tan => Tan, |g: &Tensor, _, out: &Tensor| Some(g * (out * out + 1.0));
    /// Elementwise inverse sine (`np.arcsin`), in `[-pi/2, pi/2]`.
    // d asin(x) = 1 / sqrt(1 - x^2).
    arcsin, try_arcsin => Arcsin, |g: &Tensor, x: &Tensor, _| Some(g / (1.0 - x * x).sqrt());
    /// Elementwise inverse cosine (`np.arccos`), in `[0, pi]`.
    arccos, try_arccos => Arccos, |g: &Tensor, x: &Tensor, _| Some(-(g / (1.0 - x * x).sqrt()));
    /// Elementwise inverse tangent (`np.arctan`), in `(-pi/2, pi/2)`.
    arctan, try_arctan => Arctan, |g: &Tensor, x: &Tensor, _| Some(g / (x * x + 1.0));
    /// Elementwise hyperbolic sine (`np.sinh`).
    sinh, try_sinh => Sinh, |g: &Tensor, x: &Tensor, _| Some(g * x.cosh());
    /// Elementwise hyperbolic cosine (`np.cosh`).
    cosh, try_cosh => Cosh, |g: &Tensor, x: &Tensor, _| Some(g * x.sinh());
    /// Elementwise inverse hyperbolic sine (`np.arcsinh`).
    // d asinh(x) = 1 / sqrt(x^2 + 1).
    arcsinh, try_arcsinh => Arcsinh, |g: &Tensor, x: &Tensor, _| Some(g / (x * x + 1.0).sqrt());
    /// Elementwise inverse hyperbolic cosine (`np.arccosh`), for `x >= 1`.
    // d acosh(x) = 1 / sqrt(x^2 - 1).
    arccosh, try_arccosh => Arccosh, |g: &Tensor, x: &Tensor, _| Some(g / (x * x - 1.0).sqrt());
    /// Elementwise inverse hyperbolic tangent (`np.arctanh`), for `|x| < 1`.
    // d atanh(x) = 1 / (1 - x^2).
    arctanh, try_arctanh => Arctanh, |g: &Tensor, x: &Tensor, _| Some(g / (1.0 - x * x));
    /// Elementwise base-2 logarithm (`np.log2`).
    // d log2(x) = 1 / (x ln 2).
    log2, try_log2 => Log2, |g: &Tensor, x: &Tensor, _| Some(g / (x * std::f64::consts::LN_2));
    /// Elementwise base-10 logarithm (`np.log10`).
    log10, try_log10 => Log10, |g: &Tensor, x: &Tensor, _| Some(g / (x * std::f64::consts::LN_10));
    /// Elementwise `log(1 + x)`, accurate for small `x` (`np.log1p`).
    log1p, try_log1p => Log1p, |g: &Tensor, x: &Tensor, _| Some(g / (x + 1.0));
    /// Elementwise `exp(x) - 1`, accurate for small `x` (`np.expm1`).
    expm1, try_expm1 => Expm1, |g: &Tensor, _, out: &Tensor| Some(g * (out + 1.0));
    /// Elementwise `2 ** x` (`np.exp2`).
    // d 2^x = 2^x ln 2.
    exp2, try_exp2 => Exp2, |g: &Tensor, _, out: &Tensor| Some(g * (out * std::f64::consts::LN_2));
    /// Elementwise cube root (`np.cbrt`), real for negative `x`.
    // d cbrt(x) = 1 / (3 cbrt(x)^2).
    cbrt, try_cbrt => Cbrt, |g: &Tensor, _, out: &Tensor| Some(g / (out * out * 3.0));
    /// Elementwise bitwise not of integers, logical not of bools (`np.invert`, `~`; `!` in Rust).
    ///
    /// ```
    /// let a = lazygrad::array([0u8, 5, 255]);
    /// assert_eq!(a.invert().to_vec::<u8>(), vec![255, 250, 0]);
    /// ```
    invert, try_invert => Invert, no_grad;
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

        operators!(@scalar $trait, $method, $name: f64, i64, bool);
    )*};
    (@scalar $trait:ident, $method:ident, $name:ident: $($t:ty),*) => {$(
        impl ops::$trait<&Tensor> for $t {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: &Tensor) -> Tensor {
                ufuncs::$name(self, rhs)
            }
        }

        impl ops::$trait<Tensor> for $t {
            type Output = Tensor;
            #[track_caller]
            fn $method(self, rhs: Tensor) -> Tensor {
                ufuncs::$name(self, rhs)
            }
        }
    )*};
}

operators! {
    Add, add, AddAssign, add_assign => add;
    Sub, sub, SubAssign, sub_assign => subtract;
    Mul, mul, MulAssign, mul_assign => multiply;
    Div, div, DivAssign, div_assign => divide;
    Rem, rem, RemAssign, rem_assign => remainder;
}

macro_rules! unary_operators {
    ($($(#[$doc:meta])* $trait:ident, $method:ident => $name:ident;)*) => {$(
        $(#[$doc])*
        impl ops::$trait for &Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self) -> Tensor {
                self.$name()
            }
        }

        $(#[$doc])*
        impl ops::$trait for Tensor {
            type Output = Tensor;
            #[track_caller]
            fn $method(self) -> Tensor {
                self.$name()
            }
        }
    )*};
}

unary_operators! {
    /// `-a` is numpy's `-a` (`np.negative`).
    Neg, neg => negative;
    /// `!a` is numpy's `~a`: bitwise not of integers, logical not of bools (`np.invert`).
    Not, not => invert;
}

operators! {
    BitAnd, bitand, BitAndAssign, bitand_assign => bitwise_and;
    BitOr, bitor, BitOrAssign, bitor_assign => bitwise_or;
    BitXor, bitxor, BitXorAssign, bitxor_assign => bitwise_xor;
    Shl, shl, ShlAssign, shl_assign => left_shift;
    Shr, shr, ShrAssign, shr_assign => right_shift;
}
