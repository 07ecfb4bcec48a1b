//! The op table: every primitive is defined once, here.
//!
//! Each row gives a primitive's variant, its label (used by dumps, kernel names and errors),
//! the dtypes it accepts, and its scalar semantics as a closure over [`Element`]: a float
//! function is written once over the dtype's float type (`|x| x.real(Float::sin)`), a bitwise
//! one over its integer type (`|x, y| x.int2(y, |a, b| a & b)`), so adding a primitive takes
//! its row here and nothing else in this crate.
//! The macros turn the rows into an enum, `label()`, `ALL`, and monomorphised slice loops that
//! the runtime's block VM calls; no op has kernel code of its own beyond its row.
//! numpy-level functions (`mean`, `var`, `clip`, `linalg::norm`, ...) are built from these
//! primitives in the `lazygrad` facade.

use crate::element::Int;
use crate::{DType, Element, Error, Kind, Result, Shape, Value};
use num_traits::{CheckedRem, Float, FloatConst, Zero};
use smallvec::SmallVec;

/// Which dtypes a primitive accepts; the tensor layer casts operands into the domain before
/// building the node, so a violation that reaches here is the user's (e.g. `-` on bool).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Every dtype.
    Any,
    /// Every dtype but bool.
    Numeric,
    /// float32 and float64 only.
    Float,
    /// bool only.
    Bool,
    /// Integers only.
    Int,
    /// Integers and bool (bitwise functions, which are logical on bool).
    Bitwise,
}

impl Domain {
    /// Whether `dtype` is in the domain.
    pub fn admits(self, dtype: DType) -> bool {
        match self {
            Domain::Any => true,
            Domain::Numeric => dtype != DType::Bool,
            Domain::Float => dtype.kind() == Kind::Float,
            Domain::Bool => dtype == DType::Bool,
            Domain::Int => dtype.kind() == Kind::Int,
            Domain::Bitwise => dtype.kind() != Kind::Float,
        }
    }
}

macro_rules! unary_ops {
    ($( $(#[$doc:meta])* $name:ident => $label:literal, $domain:ident, |$x:ident| $body:expr; )*) => {
        /// Elementwise primitives of one operand, output dtype equal to the input's.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum UnaryOp { $( $(#[$doc])* $name, )* }

        impl UnaryOp {
            /// Every unary primitive.
            pub const ALL: &'static [UnaryOp] = &[$(UnaryOp::$name),*];

            /// The op's name in dumps and errors.
            pub const fn label(self) -> &'static str {
                match self { $(UnaryOp::$name => $label,)* }
            }

            /// The dtypes the op accepts.
            pub fn domain(self) -> Domain {
                match self { $(UnaryOp::$name => Domain::$domain,)* }
            }

            /// The op applied to one element.
            #[inline]
            pub fn apply<T: Element>(self, value: T) -> T {
                match self { $(UnaryOp::$name => { let $x = value; $body })* }
            }

            /// The op applied to a block: `out[i] = op(x[i])`, one tight loop per op.
            // Always inlined, so the executor's AVX2 variant compiles this loop for AVX2.
            #[inline(always)]
            pub fn eval<T: Element>(self, x: &[T], out: &mut [T]) {
                match self {
                    $(UnaryOp::$name => {
                        for (o, &$x) in out.iter_mut().zip(x) {
                            *o = $body;
                        }
                    })*
                }
            }
        }
    };
}

macro_rules! binary_ops {
    ($( $(#[$doc:meta])* $name:ident => $label:literal, $domain:ident, |$x:ident, $y:ident| $body:expr; )*) => {
        /// Elementwise primitives of two operands of one dtype, output of the same dtype.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum BinaryOp { $( $(#[$doc])* $name, )* }

        impl BinaryOp {
            /// Every binary primitive.
            pub const ALL: &'static [BinaryOp] = &[$(BinaryOp::$name),*];

            /// The op's name in dumps and errors.
            pub const fn label(self) -> &'static str {
                match self { $(BinaryOp::$name => $label,)* }
            }

            /// The dtypes the op accepts.
            pub fn domain(self) -> Domain {
                match self { $(BinaryOp::$name => Domain::$domain,)* }
            }

            /// The op applied to one pair of elements.
            #[inline]
            pub fn apply<T: Element>(self, lhs: T, rhs: T) -> T {
                match self { $(BinaryOp::$name => { let ($x, $y) = (lhs, rhs); $body })* }
            }

            /// The op applied to a block: `out[i] = op(x[i], y[i])`.
            // Always inlined, so the executor's AVX2 variant compiles this loop for AVX2.
            #[inline(always)]
            pub fn eval<T: Element>(self, x: &[T], y: &[T], out: &mut [T]) {
                match self {
                    $(BinaryOp::$name => {
                        for (o, (&$x, &$y)) in out.iter_mut().zip(x.iter().zip(y)) {
                            *o = $body;
                        }
                    })*
                }
            }

            /// The op applied with a broadcast right operand: `out[i] = op(x[i], y)`.
            // Always inlined, so the executor's AVX2 variant compiles this loop for AVX2.
            #[inline(always)]
            pub fn eval_scalar_rhs<T: Element>(self, x: &[T], rhs: T, out: &mut [T]) {
                match self {
                    $(BinaryOp::$name => {
                        let $y = rhs;
                        for (o, &$x) in out.iter_mut().zip(x) {
                            *o = $body;
                        }
                    })*
                }
            }

            /// The op applied with a broadcast left operand: `out[i] = op(x, y[i])`.
            // Always inlined, so the executor's AVX2 variant compiles this loop for AVX2.
            #[inline(always)]
            pub fn eval_scalar_lhs<T: Element>(self, lhs: T, y: &[T], out: &mut [T]) {
                match self {
                    $(BinaryOp::$name => {
                        let $x = lhs;
                        for (o, &$y) in out.iter_mut().zip(y) {
                            *o = $body;
                        }
                    })*
                }
            }
        }
    };
}

macro_rules! compare_ops {
    ($( $(#[$doc:meta])* $name:ident => $label:literal, |$x:ident, $y:ident| $body:expr; )*) => {
        /// Comparisons of two operands of one dtype, giving bool.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum CompareOp { $( $(#[$doc])* $name, )* }

        impl CompareOp {
            /// Every comparison primitive.
            pub const ALL: &'static [CompareOp] = &[$(CompareOp::$name),*];

            /// The op's name in dumps and errors.
            pub const fn label(self) -> &'static str {
                match self { $(CompareOp::$name => $label,)* }
            }

            /// The comparison of one pair of elements.
            #[inline]
            pub fn apply<T: Element>(self, lhs: T, rhs: T) -> bool {
                match self { $(CompareOp::$name => { let ($x, $y) = (lhs, rhs); $body })* }
            }

            /// The comparison of a block: `out[i] = x[i] op y[i]`, written as `O` (bool in
            /// every plan; the executor's generic instruction loop names it `O`).
            // Always inlined, so the executor's AVX2 variant compiles this loop for AVX2.
            #[inline(always)]
            pub fn eval<T: Element, O: Element>(self, x: &[T], y: &[T], out: &mut [O]) {
                match self {
                    $(CompareOp::$name => {
                        for (o, (&$x, &$y)) in out.iter_mut().zip(x.iter().zip(y)) {
                            *o = O::from_bool($body);
                        }
                    })*
                }
            }
        }
    };
}

macro_rules! reduce_ops {
    ($( $(#[$doc:meta])* $name:ident => $label:literal, $identity:expr, |$acc:ident, $x:ident| $body:expr; )*) => {
        /// Reductions (and, along one axis, scans) that fold elements with an associative op.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ReduceOp { $( $(#[$doc])* $name, )* }

        impl ReduceOp {
            /// Every reduction primitive.
            pub const ALL: &'static [ReduceOp] = &[$(ReduceOp::$name),*];

            /// The op's name in dumps and errors.
            pub const fn label(self) -> &'static str {
                match self { $(ReduceOp::$name => $label,)* }
            }

            /// The value an empty reduction gives, or `None` where numpy raises (max and min).
            pub fn identity<T: Element>(self) -> Option<T> {
                match self { $(ReduceOp::$name => $identity,)* }
            }

            /// The start value of an accumulator: the identity, or the dtype's extreme for max and min.
            pub fn init<T: Element>(self) -> T {
                match self {
                    ReduceOp::Max => T::MIN,
                    ReduceOp::Min => T::MAX,
                    op => op.identity().unwrap_or(T::ZERO),
                }
            }

            /// Folds one element into an accumulator.
            #[inline]
            pub fn combine<T: Element>(self, acc: T, value: T) -> T {
                match self { $(ReduceOp::$name => { let ($acc, $x) = (acc, value); $body })* }
            }

            /// Folds a block into an accumulator, in order.
            pub fn fold<T: Element>(self, init: T, xs: &[T]) -> T {
                match self {
                    $(ReduceOp::$name => xs.iter().fold(init, |$acc, &$x| $body),)*
                }
            }

            /// Folds whole chunks of `lanes.len()` elements of `xs` into the lanes in turn
            /// (`lanes[i] = op(lanes[i], xs[k * L + i])`), ignoring a shorter tail. The match
            /// is outside the loop, so each op's loop is one the compiler vectorizes.
            pub fn fold_lanes<T: Element, const L: usize>(self, lanes: &mut [T; L], xs: &[T]) {
                match self {
                    $(ReduceOp::$name => {
                        for chunk in xs.chunks_exact(L) {
                            for (a, &$x) in lanes.iter_mut().zip(chunk) {
                                let $acc = *a;
                                *a = $body;
                            }
                        }
                    })*
                }
            }

            /// Folds a block elementwise into a row of accumulators: `acc[i] = op(acc[i], x[i])`.
            pub fn fold_rows<T: Element>(self, acc: &mut [T], xs: &[T]) {
                match self {
                    $(ReduceOp::$name => {
                        for (a, &$x) in acc.iter_mut().zip(xs) {
                            let $acc = *a;
                            *a = $body;
                        }
                    })*
                }
            }
        }
    };
}

// Helpers of rows longer than one expression, each above the rows that use it.

/// Floats rounded by `f`; integers and bool are already whole, and keep their dtype
/// (numpy 2's `floor`, `ceil` and `trunc` of integers).
#[inline(always)]
fn whole<T: Element>(x: T, f: impl Fn(T::Real) -> T::Real) -> T {
    if T::DTYPE.is_float() { x.real(f) } else { x }
}

/// Rounds half to even, as numpy's `rint` and `round` do (`2.5` to `2`, `3.5` to `4`).
fn round_half_even<R: Float>(x: R) -> R {
    let rounded = x.round();
    let two = R::one() + R::one();
    if (rounded - x).abs() == R::one() / two {
        // A tie: `x / 2` is exact, and rounding it lands on the even neighbour's half.
        (x / two).round() * two
    } else {
        rounded
    }
}

unary_ops! {
    /// Numerical negative (`-x`).
    Neg => "negative", Numeric, |x| x.neg();
    /// Absolute value.
    Abs => "abs", Any, |x| x.abs();
    /// Sign: -1, 0 or 1.
    Sign => "sign", Numeric, |x| x.sign();
    /// Square root.
    Sqrt => "sqrt", Float, |x| x.real(Float::sqrt);
    /// Natural exponential.
    Exp => "exp", Float, |x| x.real(Float::exp);
    /// Natural logarithm.
    Log => "log", Float, |x| x.real(Float::ln);
    /// Sine.
    Sin => "sin", Float, |x| x.real(Float::sin);
    /// Cosine.
    Cos => "cos", Float, |x| x.real(Float::cos);
    /// Hyperbolic tangent.
    Tanh => "tanh", Float, |x| x.real(Float::tanh);
    /// Reciprocal `1 / x`.
    Recip => "reciprocal", Float, |x| T::ONE.div(x);
    /// Logical not of a bool.
    Not => "logical_not", Bool, |x| T::from_bool(!x.to_bool());
    /// The largest whole number not above `x`.
    Floor => "floor", Any, |x| whole(x, Float::floor);
    /// The smallest whole number not below `x`.
    Ceil => "ceil", Any, |x| whole(x, Float::ceil);
    /// `x` rounded toward zero.
    Trunc => "trunc", Any, |x| whole(x, Float::trunc);
    /// `x` rounded to the nearest whole number, half to even.
    Rint => "rint", Float, |x| x.real(round_half_even);
    /// Tangent.
    Tan => "tan", Float, |x| x.real(Float::tan);
    /// Inverse sine.
    Arcsin => "arcsin", Float, |x| x.real(Float::asin);
    /// Inverse cosine.
    Arccos => "arccos", Float, |x| x.real(Float::acos);
    /// Inverse tangent.
    Arctan => "arctan", Float, |x| x.real(Float::atan);
    /// Hyperbolic sine.
    Sinh => "sinh", Float, |x| x.real(Float::sinh);
    /// Hyperbolic cosine.
    Cosh => "cosh", Float, |x| x.real(Float::cosh);
    /// Inverse hyperbolic sine.
    Arcsinh => "arcsinh", Float, |x| x.real(Float::asinh);
    /// Inverse hyperbolic cosine.
    Arccosh => "arccosh", Float, |x| x.real(Float::acosh);
    /// Inverse hyperbolic tangent.
    Arctanh => "arctanh", Float, |x| x.real(Float::atanh);
    /// Base-2 logarithm.
    Log2 => "log2", Float, |x| x.real(Float::log2);
    /// Base-10 logarithm.
    Log10 => "log10", Float, |x| x.real(Float::log10);
    /// `log(1 + x)`, accurate for small `x`.
    Log1p => "log1p", Float, |x| x.real(Float::ln_1p);
    /// `exp(x) - 1`, accurate for small `x`.
    Expm1 => "expm1", Float, |x| x.real(Float::exp_m1);
    /// `2 ** x`.
    Exp2 => "exp2", Float, |x| x.real(Float::exp2);
    /// Cube root.
    Cbrt => "cbrt", Float, |x| x.real(Float::cbrt);
    /// Bitwise not of an integer (`~x`).
    Invert => "invert", Bitwise, |x| x.int(|i| !i);
}

/// numpy's `fmod`: C's remainder, with the sign of the dividend; an integer remainder by 0 is 0.
#[inline(always)]
fn fmod<T: Element>(x: T, y: T) -> T {
    if T::DTYPE.is_float() {
        x.real2(y, |a, b| a % b)
    } else {
        x.int2(y, |a, b| a.checked_rem(&b).unwrap_or_else(Zero::zero))
    }
}

/// `log(exp(x) + exp(y))` as numpy computes it: exact at equal arguments (infinities included).
fn logaddexp<R: Float + FloatConst>(x: R, y: R) -> R {
    if x == y {
        return x + R::LN_2();
    }
    let diff = x - y;
    if diff > R::zero() {
        x + (-diff).exp().ln_1p()
    } else if diff <= R::zero() {
        y + diff.exp().ln_1p()
    } else {
        diff
    }
}

/// `log2(2**x + 2**y)` as numpy computes it.
fn logaddexp2<R: Float + FloatConst>(x: R, y: R) -> R {
    if x == y {
        return x + R::one();
    }
    let diff = x - y;
    if diff > R::zero() {
        x + R::LOG2_E() * (-diff).exp2().ln_1p()
    } else if diff <= R::zero() {
        y + R::LOG2_E() * diff.exp2().ln_1p()
    } else {
        diff
    }
}

/// The greatest common divisor, non-negative (numpy's `npy_gcd`: Euclid on absolute values,
/// which wrap at the most negative integer as numpy's do).
fn gcd<I: Int>(a: I, b: I) -> I {
    let (mut a, mut b) = (a.wrapping_abs(), b.wrapping_abs());
    while a != I::zero() {
        let next = b.checked_rem(&a).unwrap_or_else(I::zero);
        b = a;
        a = next;
    }
    b
}

/// The least common multiple, non-negative; 0 if either is 0 (numpy's `npy_lcm`).
fn lcm<I: Int>(a: I, b: I) -> I {
    let divisor = gcd(a, b);
    if divisor == I::zero() {
        return I::zero();
    }
    a.checked_div(&divisor)
        .unwrap_or_else(I::zero)
        .wrapping_mul(&b)
        .wrapping_abs()
}

/// `a << b`; shifting by the width or more, or by a negative count, gives 0 (numpy's rule).
fn left_shift<I: Int>(a: I, b: I) -> I {
    match b.to_u32().filter(|&n| n < I::zero().count_zeros()) {
        Some(n) => a << n as usize,
        None => I::zero(),
    }
}

/// `a >> b`, arithmetic for signed integers; out-of-range counts give the sign fill.
fn right_shift<I: Int>(a: I, b: I) -> I {
    match b.to_u32().filter(|&n| n < I::zero().count_zeros()) {
        Some(n) => a >> n as usize,
        None if a < I::zero() => !I::zero(),
        None => I::zero(),
    }
}

binary_ops! {
    /// Addition (logical or on bool).
    Add => "add", Any, |x, y| x.add(y);
    /// Subtraction.
    Sub => "subtract", Numeric, |x, y| x.sub(y);
    /// Multiplication (logical and on bool).
    Mul => "multiply", Any, |x, y| x.mul(y);
    /// True division.
    Div => "divide", Float, |x, y| x.div(y);
    /// Division rounded toward negative infinity.
    FloorDiv => "floor_divide", Numeric, |x, y| x.floor_div(y);
    /// Remainder with the sign of the divisor.
    Rem => "remainder", Numeric, |x, y| x.rem(y);
    /// `x ** y`.
    Pow => "power", Numeric, |x, y| x.pow(y);
    /// Elementwise maximum; NaN propagates.
    Maximum => "maximum", Any, |x, y| x.max(y);
    /// Elementwise minimum; NaN propagates.
    Minimum => "minimum", Any, |x, y| x.min(y);
    /// Logical and of bools.
    And => "logical_and", Bool, |x, y| x.mul(y);
    /// Logical or of bools.
    Or => "logical_or", Bool, |x, y| x.add(y);
    /// Logical exclusive or of bools.
    Xor => "logical_xor", Bool, |x, y| T::from_bool(x.to_bool() != y.to_bool());
    /// Elementwise maximum that ignores NaN unless both are NaN.
    Fmax => "fmax", Any, |x, y| if x >= y || y.is_nan() { x } else { y };
    /// Elementwise minimum that ignores NaN unless both are NaN.
    Fmin => "fmin", Any, |x, y| if x <= y || y.is_nan() { x } else { y };
    /// The angle of the point `(y, x)`: `atan(x / y)` in the right quadrant (numpy's `arctan2(x1, x2)`).
    Arctan2 => "arctan2", Float, |x, y| x.real2(y, Float::atan2);
    /// `sqrt(x**2 + y**2)` without overflow.
    Hypot => "hypot", Float, |x, y| x.real2(y, Float::hypot);
    /// The magnitude of `x` with the sign of `y`.
    Copysign => "copysign", Float, |x, y| x.real2(y, Float::copysign);
    /// C's remainder, with the sign of the dividend.
    Fmod => "fmod", Numeric, |x, y| fmod(x, y);
    /// `log(exp(x) + exp(y))`.
    Logaddexp => "logaddexp", Float, |x, y| x.real2(y, logaddexp);
    /// `log2(2**x + 2**y)`.
    Logaddexp2 => "logaddexp2", Float, |x, y| x.real2(y, logaddexp2);
    /// Greatest common divisor of integers.
    Gcd => "gcd", Int, |x, y| x.int2(y, gcd);
    /// Least common multiple of integers.
    Lcm => "lcm", Int, |x, y| x.int2(y, lcm);
    /// Bitwise and of integers (logical and on bool).
    BitAnd => "bitwise_and", Bitwise, |x, y| x.int2(y, |a, b| a & b);
    /// Bitwise or of integers (logical or on bool).
    BitOr => "bitwise_or", Bitwise, |x, y| x.int2(y, |a, b| a | b);
    /// Bitwise exclusive or of integers (logical xor on bool).
    BitXor => "bitwise_xor", Bitwise, |x, y| x.int2(y, |a, b| a ^ b);
    /// `x << y` on integers.
    LeftShift => "left_shift", Int, |x, y| x.int2(y, left_shift);
    /// `x >> y` on integers, arithmetic for signed ones.
    RightShift => "right_shift", Int, |x, y| x.int2(y, right_shift);
}

compare_ops! {
    /// `x < y`.
    Lt => "less", |x, y| x < y;
    /// `x <= y`.
    Le => "less_equal", |x, y| x <= y;
    /// `x == y`.
    Eq => "equal", |x, y| x == y;
    /// `x != y`.
    Ne => "not_equal", |x, y| x != y;
}

reduce_ops! {
    /// Sum of elements.
    Sum => "sum", Some(T::ZERO), |acc, x| acc.add(x);
    /// Product of elements.
    Prod => "prod", Some(T::ONE), |acc, x| acc.mul(x);
    /// Largest element; NaN propagates.
    Max => "max", None, |acc, x| acc.max(x);
    /// Smallest element; NaN propagates.
    Min => "min", None, |acc, x| acc.min(x);
}

/// Axis lists of reductions, sorted and free of repeats.
pub type Axes = SmallVec<[usize; 4]>;

/// One axis of a [`Movement::Slice`]: `len` elements starting at `start`, `step` apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SliceAxis {
    /// The index of the first element taken.
    pub start: usize,
    /// The number of elements taken.
    pub len: usize,
    /// The distance between taken elements; negative steps walk backwards (`flip` is `-1`).
    pub step: isize,
}

impl SliceAxis {
    /// The whole axis of extent `dim`, unchanged.
    pub fn full(dim: usize) -> SliceAxis {
        SliceAxis {
            start: 0,
            len: dim,
            step: 1,
        }
    }
}

/// How a scatter combines values with what is already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScatterMode {
    /// The last write to an index wins (`a[idx] = v`).
    Set,
    /// Writes to an index accumulate (`np.add.at`).
    Add,
}

/// Primitives that only change the view of their input, never its data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Movement {
    /// Same elements in C order under a new shape of equal size.
    Reshape(Shape),
    /// Axes reordered: output axis `i` is input axis `perm[i]`.
    Permute(SmallVec<[usize; 4]>),
    /// Broadcast to a larger shape (numpy's `broadcast_to`).
    Expand(Shape),
    /// A strided window on every axis: numpy's basic slicing and `flip`.
    Slice(SmallVec<[SliceAxis; 4]>),
}

impl Movement {
    /// The op's name in dumps and errors.
    pub fn label(&self) -> &'static str {
        match self {
            Movement::Reshape(_) => "reshape",
            Movement::Permute(_) => "permute",
            Movement::Expand(_) => "expand",
            Movement::Slice(_) => "slice",
        }
    }
}

/// One node's operation in the lazy graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Data that already exists in a buffer: a leaf.
    Buffer,
    /// A 0-d constant; broadcasting it costs nothing.
    Const(Value),
    /// An elementwise op of one operand.
    Unary(UnaryOp),
    /// An elementwise op of two operands of equal shape and dtype.
    Binary(BinaryOp),
    /// A comparison of two operands of equal shape and dtype, giving bool.
    Compare(CompareOp),
    /// `where(cond, x, y)`: cond is bool, x and y share shape and dtype.
    Where,
    /// Conversion to another dtype (`astype`).
    Cast(DType),
    /// A reduction over sorted axes; reduced axes are kept with extent 1.
    Reduce(ReduceOp, Axes),
    /// The index of the first max (`ArgReduce(Max, ..)`) or min along one axis, kept with extent 1; int64.
    ArgReduce(ReduceOp, usize),
    /// Inclusive scan along one axis (`cumsum` is `Scan(Sum, axis)`).
    Scan(ReduceOp, usize),
    /// Batched matrix product of `(..., m, k)` and `(..., k, n)` with equal batch shapes.
    MatMul,
    /// A change of view.
    Movement(Movement),
    /// A copy into a fresh C-ordered buffer.
    Contiguous,
    /// The input surrounded by `(before, after)` elements of a constant on each axis.
    Pad(SmallVec<[(usize, usize); 4]>, Value),
    /// Inputs of equal dtype and shape but for `axis`, joined along it.
    Concat(usize),
    /// Advanced indexing of the first `k` axes: inputs are `x` and `k` int64 index arrays of
    /// one shape `B`; the output is `B + x.shape[k..]`. Negative indices count from the end.
    Gather(usize),
    /// Indexed writes into the first `k` axes: inputs are `x`, `k` int64 index arrays of shape
    /// `B`, and values of shape `B + x.shape[k..]`; the output is `x` with the values written.
    Scatter(usize, ScatterMode),
    /// A stable sort along `axis`; with `indices` the int64 positions that sort it (`argsort`).
    Sort {
        /// The axis sorted.
        axis: usize,
        /// Whether to return the sorting permutation instead of the values.
        indices: bool,
    },
}

impl Op {
    /// The op's name in dumps, kernel names and errors.
    pub fn label(&self) -> &'static str {
        match self {
            Op::Buffer => "buffer",
            Op::Const(_) => "const",
            Op::Unary(op) => op.label(),
            Op::Binary(op) => op.label(),
            Op::Compare(op) => op.label(),
            Op::Where => "where",
            Op::Cast(_) => "cast",
            Op::Reduce(op, _) => op.label(),
            Op::ArgReduce(ReduceOp::Max, _) => "argmax",
            Op::ArgReduce(_, _) => "argmin",
            Op::Scan(ReduceOp::Sum, _) => "cumsum",
            Op::Scan(ReduceOp::Prod, _) => "cumprod",
            Op::Scan(ReduceOp::Max, _) => "cummax",
            Op::Scan(ReduceOp::Min, _) => "cummin",
            Op::MatMul => "matmul",
            Op::Movement(op) => op.label(),
            Op::Contiguous => "contiguous",
            Op::Pad(..) => "pad",
            Op::Concat(_) => "concatenate",
            Op::Gather(_) => "gather",
            Op::Scatter(_, ScatterMode::Set) => "scatter",
            Op::Scatter(_, ScatterMode::Add) => "scatter_add",
            Op::Sort { indices: false, .. } => "sort",
            Op::Sort { indices: true, .. } => "argsort",
        }
    }

    /// Whether the op runs elementwise over its output's shape.
    pub fn is_elementwise(&self) -> bool {
        matches!(
            self,
            Op::Unary(_) | Op::Binary(_) | Op::Compare(_) | Op::Where | Op::Cast(_)
        )
    }

    /// The shape and dtype of the op's output, checked against the primitive's rule.
    ///
    /// The tensor layer has already broadcast and promoted the operands; what is checked here
    /// is what the primitive itself requires, so every graph that gets built is well-typed.
    ///
    /// Every output shape is checked with [`Shape::check_size`] here, the one place every
    /// pending node's shape comes from, so no op can build an array too big to address.
    pub fn infer(&self, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
        let (shape, dtype) = self.infer_unchecked(inputs)?;
        shape.check_size(self.label(), dtype)?;
        Ok((shape, dtype))
    }

    /// [`Op::infer`] without the size check of the output shape.
    fn infer_unchecked(&self, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
        let label = self.label();
        let same = |a: usize, b: usize| -> Result<()> {
            let ((sa, da), (sb, db)) = (inputs[a], inputs[b]);
            if sa != sb {
                return Err(Error::Broadcast {
                    op: label,
                    lhs: sa.clone(),
                    rhs: sb.clone(),
                });
            }
            if da != db {
                return Err(Error::internal(format!(
                    "{label}: operand dtypes {da} and {db} differ"
                )));
            }
            Ok(())
        };
        let in_domain = |domain: Domain, dtype: DType| -> Result<()> {
            if domain.admits(dtype) {
                Ok(())
            } else {
                Err(Error::DType { op: label, dtype })
            }
        };
        let arity = match self {
            Op::Buffer | Op::Const(_) => 0,
            Op::Binary(_) | Op::Compare(_) | Op::MatMul => 2,
            Op::Where => 3,
            Op::Concat(_) => inputs.len().max(1),
            Op::Gather(k) => k + 1,
            Op::Scatter(k, _) => k + 2,
            _ => 1,
        };
        if inputs.len() != arity {
            return Err(Error::internal(format!(
                "{label} takes {arity} operands, got {}",
                inputs.len()
            )));
        }
        let (shape, dtype) = inputs
            .first()
            .map(|(s, d)| ((*s).clone(), *d))
            .unwrap_or((Shape::scalar(), DType::Bool));
        Ok(match self {
            Op::Buffer => return Err(Error::internal("buffers have no inputs to infer from")),
            Op::Const(value) => (Shape::scalar(), value.dtype()),
            Op::Unary(op) => {
                in_domain(op.domain(), dtype)?;
                (shape, dtype)
            }
            Op::Binary(op) => {
                same(0, 1)?;
                in_domain(op.domain(), dtype)?;
                (shape, dtype)
            }
            Op::Compare(_) => {
                same(0, 1)?;
                (shape, DType::Bool)
            }
            Op::Where => {
                same(1, 2)?;
                if inputs[0].0 != inputs[1].0 || inputs[0].1 != DType::Bool {
                    return Err(Error::internal(
                        "where: condition must be bool of the same shape",
                    ));
                }
                (inputs[1].0.clone(), inputs[1].1)
            }
            Op::Cast(to) => (shape, *to),
            Op::Reduce(_, axes) => {
                check_axes(label, axes, shape.ndim())?;
                (keep_dims(&shape, axes), dtype)
            }
            Op::ArgReduce(_, axis) => {
                check_axes(label, &[*axis], shape.ndim())?;
                (keep_dims(&shape, &[*axis]), DType::I64)
            }
            Op::Scan(_, axis) => {
                check_axes(label, &[*axis], shape.ndim())?;
                (shape, dtype)
            }
            Op::MatMul => {
                let (a, b) = (inputs[0].0, inputs[1].0);
                let (nd_a, nd_b) = (a.ndim(), b.ndim());
                if nd_a < 2
                    || nd_a != nd_b
                    || a[..nd_a - 2] != b[..nd_b - 2]
                    || a[nd_a - 1] != b[nd_b - 2]
                {
                    return Err(Error::internal(format!("matmul of {a} and {b}")));
                }
                if inputs[0].1 != inputs[1].1 {
                    return Err(Error::internal("matmul: operand dtypes differ"));
                }
                let mut out: Vec<usize> = a[..nd_a - 1].to_vec();
                out.push(b[nd_b - 1]);
                (Shape::from(out), dtype)
            }
            Op::Movement(Movement::Reshape(to)) => {
                // The target's size is only computed once it is known to fit.
                to.check_size(label, dtype)?;
                if to.size() != shape.size() {
                    return Err(Error::Reshape {
                        size: shape.size(),
                        shape: to.clone(),
                    });
                }
                (to.clone(), dtype)
            }
            Op::Movement(Movement::Permute(perm)) => {
                let mut seen = perm.clone();
                seen.sort_unstable();
                if !seen.iter().copied().eq(0..shape.ndim()) {
                    // numpy checks the length first, then each axis, then for repeats.
                    if perm.len() == shape.ndim() && perm.iter().all(|&axis| axis < shape.ndim()) {
                        return Err(Error::PermuteRepeated {
                            perm: perm.to_vec(),
                        });
                    }
                    return Err(Error::Permute {
                        perm: perm.to_vec(),
                        ndim: shape.ndim(),
                    });
                }
                (perm.iter().map(|&axis| shape[axis]).collect(), dtype)
            }
            Op::Movement(Movement::Expand(to)) => {
                let merged = crate::broadcast_shapes(label, &shape, to);
                if merged.as_ref() != Ok(to) {
                    return Err(Error::BroadcastTo {
                        op: "broadcast_to",
                        shape,
                        requested: to.clone(),
                    });
                }
                (to.clone(), dtype)
            }
            Op::Movement(Movement::Slice(axes)) => {
                if axes.len() != shape.ndim() {
                    return Err(Error::internal("slice: one spec per axis"));
                }
                for (axis, (spec, &dim)) in axes.iter().zip(shape.iter()).enumerate() {
                    if spec.len == 0 {
                        continue;
                    }
                    // Checked, since a window is built from user-given steps; an overflow
                    // reaches past the axis whatever its sign.
                    let last = isize::try_from(spec.start).ok().and_then(|start| {
                        let reach = isize::try_from(spec.len - 1).ok()?.checked_mul(spec.step)?;
                        start.checked_add(reach)
                    });
                    match last {
                        Some(last) if spec.start < dim && last >= 0 && last < dim as isize => {}
                        _ => {
                            return Err(Error::Index {
                                op: label,
                                index: last.unwrap_or(isize::MAX),
                                axis,
                                size: dim,
                            });
                        }
                    }
                }
                (axes.iter().map(|spec| spec.len).collect(), dtype)
            }
            Op::Contiguous => (shape, dtype),
            Op::Pad(pads, value) => {
                if pads.len() != shape.ndim() || value.dtype() != dtype {
                    return Err(Error::internal(
                        "pad: one width per axis, fill of the input's dtype",
                    ));
                }
                let padded: Option<Shape> = shape
                    .iter()
                    .zip(pads)
                    .map(|(&dim, (before, after))| before.checked_add(dim)?.checked_add(*after))
                    .collect();
                match padded {
                    Some(padded) => (padded, dtype),
                    None => return Err(too_big(label, &shape, pads, dtype)),
                }
            }
            Op::Concat(axis) => {
                check_axes(label, &[*axis], shape.ndim())?;
                let mut out: Vec<usize> = shape.to_vec();
                out[*axis] = 0;
                for (index, (part_shape, part_dtype)) in inputs.iter().enumerate() {
                    if part_shape.ndim() != shape.ndim() {
                        return Err(Error::internal("concatenate: operands of different ranks"));
                    }
                    if let Some(dim) =
                        (0..shape.ndim()).find(|&a| a != *axis && part_shape[a] != shape[a])
                    {
                        return Err(Error::Concat {
                            dim,
                            first: shape[dim],
                            index,
                            size: part_shape[dim],
                        });
                    }
                    if *part_dtype != dtype {
                        return Err(Error::internal("concatenate: operand dtypes differ"));
                    }
                    out[*axis] = match out[*axis].checked_add(part_shape[*axis]) {
                        Some(extent) => extent,
                        None => {
                            return Err(Error::TooBig {
                                op: label,
                                shape: out,
                                dtype,
                            });
                        }
                    };
                }
                (Shape::from(out), dtype)
            }
            Op::Gather(k) | Op::Scatter(k, _) => {
                if *k > shape.ndim() || *k == 0 {
                    return Err(Error::internal(format!(
                        "{label}: {k} index arrays for {} axes",
                        shape.ndim()
                    )));
                }
                let index_shape = inputs[1].0;
                if inputs[1..=*k]
                    .iter()
                    .any(|(s, d)| *s != index_shape || *d != DType::I64)
                {
                    return Err(Error::internal(format!(
                        "{label}: index arrays must be int64 of one shape"
                    )));
                }
                let mut gathered: Vec<usize> = index_shape.to_vec();
                gathered.extend_from_slice(&shape[*k..]);
                let gathered = Shape::from(gathered);
                if let Op::Scatter(..) = self {
                    let (values, values_dtype) = inputs[k + 1];
                    if values != &gathered || values_dtype != dtype {
                        return Err(Error::internal(format!(
                            "{label}: values of shape {values} for indexed shape {gathered}"
                        )));
                    }
                    (shape, dtype)
                } else {
                    (gathered, dtype)
                }
            }
            Op::Sort { axis, indices } => {
                check_axes(label, &[*axis], shape.ndim())?;
                (shape, if *indices { DType::I64 } else { dtype })
            }
        })
    }
}

/// The error for a pad whose extents overflow `usize`: the shape shows each saturated extent.
fn too_big(op: &'static str, shape: &Shape, pads: &[(usize, usize)], dtype: DType) -> Error {
    Error::TooBig {
        op,
        shape: shape
            .iter()
            .zip(pads)
            .map(|(&dim, (before, after))| before.saturating_add(dim).saturating_add(*after))
            .collect(),
        dtype,
    }
}

fn check_axes(op: &'static str, axes: &[usize], ndim: usize) -> Result<()> {
    match axes.iter().find(|&&axis| axis >= ndim) {
        Some(&axis) => Err(Error::Axis {
            op,
            axis: axis as isize,
            ndim,
        }),
        None => Ok(()),
    }
}

/// `shape` with the extents of `axes` set to 1, as a keepdims reduction leaves it.
pub fn keep_dims(shape: &Shape, axes: &[usize]) -> Shape {
    shape
        .iter()
        .enumerate()
        .map(|(axis, &dim)| if axes.contains(&axis) { 1 } else { dim })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique() {
        let mut labels: Vec<&str> = UnaryOp::ALL
            .iter()
            .map(|op| op.label())
            .chain(BinaryOp::ALL.iter().map(|op| op.label()))
            .chain(CompareOp::ALL.iter().map(|op| op.label()))
            .chain(ReduceOp::ALL.iter().map(|op| op.label()))
            .collect();
        let before = labels.len();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), before);
    }

    #[test]
    fn rows_evaluate_per_dtype() {
        let mut out = [0.0f32; 3];
        UnaryOp::Sqrt.eval(&[4.0, 9.0, 16.0], &mut out);
        assert_eq!(out, [2.0, 3.0, 4.0]);
        let mut out = [0u8; 2];
        BinaryOp::Add.eval(&[250u8, 1], &[10, 2], &mut out);
        assert_eq!(out, [4, 3], "uint8 addition wraps as in numpy");
        assert!(!UnaryOp::Not.apply(true));
        assert_eq!(ReduceOp::Prod.fold(1i64, &[2, 3, 4]), 24);
    }

    #[test]
    fn inference_rejects_bad_operands() {
        let shape = Shape::new(&[2, 3]);
        let op = Op::Unary(UnaryOp::Neg);
        assert!(matches!(
            op.infer(&[(&shape, DType::Bool)]),
            Err(Error::DType { op: "negative", .. })
        ));
        let reshape = Op::Movement(Movement::Reshape(Shape::new(&[5, 2])));
        assert_eq!(
            reshape
                .infer(&[(&shape, DType::F32)])
                .unwrap_err()
                .to_string(),
            "cannot reshape array of size 6 into shape (5,2)"
        );
    }

    #[test]
    fn inference_rejects_shapes_too_big_to_address() {
        let shape = Shape::new(&[2, 3]);
        let big = Shape::new(&[1 << 33, 1 << 33]);
        let too_big = |op: Op, inputs: &[(&Shape, DType)]| {
            let err = op.infer(inputs).unwrap_err();
            assert!(matches!(err, Error::TooBig { .. }), "{op:?}: {err}");
        };
        too_big(
            Op::Movement(Movement::Expand(big.clone())),
            &[(&Shape::scalar(), DType::F64)],
        );
        too_big(
            Op::Movement(Movement::Reshape(big.clone())),
            &[(&shape, DType::F64)],
        );
        too_big(
            Op::Pad(
                SmallVec::from_slice(&[(usize::MAX, 1), (0, 0)]),
                Value::F64(0.0),
            ),
            &[(&shape, DType::F64)],
        );
        let long = Shape::new(&[usize::MAX / 2 + 1]);
        too_big(Op::Concat(0), &[(&long, DType::Bool), (&long, DType::Bool)]);
        // An empty shape with huge extents is too big for numpy too, which skips only zeros.
        too_big(
            Op::Movement(Movement::Reshape(Shape::new(&[1 << 62, 1 << 62, 0]))),
            &[(&Shape::new(&[0]), DType::F64)],
        );
        // Half the address space of bytes fits; one more element of eight bytes does not.
        let fits = Shape::new(&[(isize::MAX as usize) / 8]);
        assert!(fits.check_size("zeros", DType::F64).is_ok());
        let over = Shape::new(&[(isize::MAX as usize) / 8 + 1]);
        assert!(over.check_size("zeros", DType::F64).is_err());
        let window = Op::Movement(Movement::Slice(SmallVec::from_slice(&[
            SliceAxis {
                start: 1,
                len: 2,
                step: isize::MAX,
            },
            SliceAxis::full(3),
        ])));
        assert!(matches!(
            window.infer(&[(&shape, DType::F64)]),
            Err(Error::Index { op: "slice", .. })
        ));
    }
}
