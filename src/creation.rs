//! Creating tensors: from Rust data, constants, ranges, grids and identity matrices.

use crate::Tensor;
use crate::args::{IntoOperand, IntoShape, Operand};
use crate::tensor::unwrap_at_caller;
use lazygrad_cpu::{Storage, huge_page_vec};
use lazygrad_ir::{DType, Error, Op, Result, Shape, Value, Weak};

/// Nested Rust data that `array` accepts: scalars, arrays, slices and `Vec`s of them.
///
/// Integer elements build int64 and float elements float64 as Python literals do in numpy;
/// `u8` builds uint8, `f32` float32 and `bool` bool.
pub trait ArrayLike {
    /// The element type stored.
    type Elem: Storage;
    /// Appends the elements in C order, recording the shape; errors on ragged nesting.
    fn collect_into(&self, depth: usize, collector: &mut Collector<Self::Elem>) -> Result<()>;
}

/// Accumulates the elements and shape of nested data for [`ArrayLike`].
#[derive(Debug)]
pub struct Collector<T> {
    shape: Vec<usize>,
    ndim: Option<usize>,
    data: Vec<T>,
}

impl<T> Collector<T> {
    fn ragged(&self, depth: usize) -> Error {
        Error::Invalid {
            op: "array",
            message: format!(
                "setting an array element with a sequence. The requested array has an inhomogeneous shape after {depth} dimensions. The detected shape was {} + inhomogeneous part.",
                Shape::new(&self.shape[..depth.min(self.shape.len())])
            ),
        }
    }

    /// Records a sequence of `len` items at `depth`.
    fn sequence(&mut self, depth: usize, len: usize) -> Result<()> {
        if self.ndim.is_some_and(|ndim| depth >= ndim) {
            return Err(self.ragged(depth));
        }
        if self.shape.len() == depth {
            self.shape.push(len);
        } else if self.shape[depth] != len {
            return Err(self.ragged(depth));
        }
        Ok(())
    }

    /// Records a scalar at `depth`.
    fn scalar(&mut self, depth: usize, value: T) -> Result<()> {
        match self.ndim {
            None if self.shape.len() == depth => self.ndim = Some(depth),
            Some(ndim) if ndim == depth => {}
            _ => return Err(self.ragged(depth)),
        }
        self.data.push(value);
        Ok(())
    }
}

macro_rules! array_scalar {
    ($($t:ty => $elem:ty),*) => {$(
        impl ArrayLike for $t {
            type Elem = $elem;
            fn collect_into(&self, depth: usize, collector: &mut Collector<$elem>) -> Result<()> {
                collector.scalar(depth, *self as $elem)
            }
        }
    )*};
}

array_scalar!(i32 => i64, i64 => i64, isize => i64, usize => i64, u8 => u8, f32 => f32, f64 => f64, bool => bool);

impl<A: ArrayLike, const N: usize> ArrayLike for [A; N] {
    type Elem = A::Elem;
    fn collect_into(&self, depth: usize, collector: &mut Collector<A::Elem>) -> Result<()> {
        self.as_slice().collect_into(depth, collector)
    }
}

impl<A: ArrayLike> ArrayLike for [A] {
    type Elem = A::Elem;
    fn collect_into(&self, depth: usize, collector: &mut Collector<A::Elem>) -> Result<()> {
        collector.sequence(depth, self.len())?;
        self.iter()
            .try_for_each(|item| item.collect_into(depth + 1, collector))
    }
}

impl<A: ArrayLike> ArrayLike for Vec<A> {
    type Elem = A::Elem;
    fn collect_into(&self, depth: usize, collector: &mut Collector<A::Elem>) -> Result<()> {
        self.as_slice().collect_into(depth, collector)
    }
}

impl<A: ArrayLike + ?Sized> ArrayLike for &A {
    type Elem = A::Elem;
    fn collect_into(&self, depth: usize, collector: &mut Collector<A::Elem>) -> Result<()> {
        (**self).collect_into(depth, collector)
    }
}

/// A tensor from nested Rust data (`np.array`); ragged nesting panics with numpy's message.
///
/// ```
/// let a = lazygrad::array([[1, 2, 3], [4, 5, 6]]);
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.dtype(), lazygrad::DType::I64);
/// assert_eq!(lazygrad::array(vec![0.5f32]).dtype(), lazygrad::DType::F32);
/// ```
#[track_caller]
pub fn array<A: ArrayLike>(data: A) -> Tensor {
    unwrap_at_caller(try_array(data))
}

/// Fallible [`array()`](crate::array()): ragged input is an error.
#[track_caller]
pub fn try_array<A: ArrayLike>(data: A) -> Result<Tensor> {
    let mut collector = Collector {
        shape: Vec::new(),
        ndim: None,
        data: Vec::new(),
    };
    data.collect_into(0, &mut collector)?;
    Ok(Tensor::from_data(
        collector.data,
        Shape::from(collector.shape),
    ))
}

impl Tensor {
    /// A tensor of `shape` over `data` in C order; the dtype is `T`'s (`i32` stays int32 here).
    ///
    /// ```
    /// let a = lazygrad::Tensor::from_vec(vec![1i32, 2, 3, 4], [2, 2]);
    /// assert_eq!(a.dtype(), lazygrad::DType::I32);
    /// ```
    #[track_caller]
    pub fn from_vec<T: Storage>(data: Vec<T>, shape: impl IntoShape) -> Tensor {
        unwrap_at_caller(Tensor::try_from_vec(data, shape))
    }

    /// Fallible [`Tensor::from_vec`]: the length must match the shape, and a shape whose size
    /// overflows is numpy's "array is too big" error ([`Error::TooBig`]).
    #[track_caller]
    pub fn try_from_vec<T: Storage>(data: Vec<T>, shape: impl IntoShape) -> Result<Tensor> {
        let shape = shape.into_shape();
        shape.check_size("from_vec", T::DTYPE)?;
        if data.len() != shape.size() {
            return Err(Error::Reshape {
                size: data.len(),
                shape,
            });
        }
        Ok(Tensor::from_data(data, shape))
    }

    /// A 0-d tensor holding one value.
    #[track_caller]
    pub fn scalar<T: Storage>(value: T) -> Tensor {
        Tensor::from_data(vec![value], Shape::scalar())
    }

    /// A tensor of `shape` filled with `value` of `dtype`: one constant broadcast, no buffer.
    ///
    /// Panics with numpy's "array is too big" message if the shape's size overflows.
    #[track_caller]
    pub fn full_dtype(shape: impl IntoShape, value: impl IntoOperand, dtype: DType) -> Tensor {
        filled("full", shape.into_shape(), value, dtype)
    }
}

/// [`Tensor::full_dtype`] naming the creating function (`zeros`, `ones`, `full`) in errors.
#[track_caller]
fn filled(op: &'static str, shape: Shape, value: impl IntoOperand, dtype: DType) -> Tensor {
    unwrap_at_caller(shape.check_size(op, dtype));
    let value = match value.into_operand() {
        Operand::Weak(Weak::Bool(v)) => Value::Bool(v).cast(dtype),
        Operand::Weak(Weak::Int(v)) => Value::I64(v).cast(dtype),
        Operand::Weak(Weak::Float(v)) => Value::F64(v).cast(dtype),
        Operand::Tensor(t) => return t.astype(dtype).broadcast_to(shape),
    };
    Tensor::op(Op::Const(value), vec![]).broadcast_to(shape)
}

/// A float64 tensor of zeros (`np.zeros(shape)`).
///
/// ```
/// let a = lazygrad::zeros([3, 2]);
/// assert_eq!((a.shape(), a.dtype()), (&[3usize, 2][..], lazygrad::DType::F64));
/// ```
#[track_caller]
pub fn zeros(shape: impl IntoShape) -> Tensor {
    filled("zeros", shape.into_shape(), 0.0, DType::F64)
}

/// A float64 tensor of ones (`np.ones(shape)`).
#[track_caller]
pub fn ones(shape: impl IntoShape) -> Tensor {
    filled("ones", shape.into_shape(), 1.0, DType::F64)
}

/// A tensor filled with `value` (`np.full(shape, value)`): int64 for integers, float64 for floats.
///
/// ```
/// let a = lazygrad::full([1, 3], 7);
/// assert_eq!(a.to_vec::<i64>(), vec![7, 7, 7]);
/// ```
#[track_caller]
pub fn full(shape: impl IntoShape, value: impl IntoOperand) -> Tensor {
    match value.into_operand() {
        Operand::Weak(w) => Tensor::full_dtype(shape, Operand::Weak(w), w.default_dtype()),
        Operand::Tensor(t) => t.broadcast_to(shape),
    }
}

/// Zeros of the shape and dtype of `like` (`np.zeros_like`).
#[track_caller]
pub fn zeros_like(like: &Tensor) -> Tensor {
    Tensor::full_dtype(like.shape_tuple(), 0, like.dtype())
}

/// Ones of the shape and dtype of `like` (`np.ones_like`).
#[track_caller]
pub fn ones_like(like: &Tensor) -> Tensor {
    Tensor::full_dtype(like.shape_tuple(), 1, like.dtype())
}

/// `value` in the shape and dtype of `like` (`np.full_like`).
#[track_caller]
pub fn full_like(like: &Tensor, value: impl IntoOperand) -> Tensor {
    Tensor::full_dtype(like.shape_tuple(), value, like.dtype())
}

/// `0, 1, ..., stop - 1` (`np.arange(stop)`): int64 for an integer `stop`, float64 for a float.
///
/// ```
/// assert_eq!(lazygrad::arange(4).to_vec::<i64>(), vec![0, 1, 2, 3]);
/// ```
#[track_caller]
pub fn arange(stop: impl IntoOperand) -> Tensor {
    match stop.into_operand() {
        Operand::Weak(Weak::Float(stop)) => arange_step(0.0, stop, 1.0),
        Operand::Weak(Weak::Int(stop)) => arange_step(0, stop, 1),
        _ => panic!("arange: stop must be a number"),
    }
}

/// Values from `start` toward `stop` by `step` (`np.arange(start, stop, step)`); the dtype
/// is int64 when all three are integers, float64 otherwise (use `astype` for others).
///
/// ```
/// assert_eq!(lazygrad::arange_step(10, 0, -3).to_vec::<i64>(), vec![10, 7, 4, 1]);
/// assert_eq!(lazygrad::arange_step(2, 11, 1).astype(lazygrad::DType::F64).dtype(), lazygrad::DType::F64);
/// ```
#[track_caller]
pub fn arange_step(
    start: impl IntoOperand,
    stop: impl IntoOperand,
    step: impl IntoOperand,
) -> Tensor {
    unwrap_at_caller(try_arange_step(start, stop, step))
}

/// Fallible [`arange_step`]: a zero step, a length that is NaN (`arange: cannot compute
/// length`) or beyond `isize` (`arange: Maximum allowed size exceeded`), and a length whose
/// bytes overflow ([`Error::TooBig`]) are errors, as in numpy.
///
/// ```
/// assert!(lazygrad::try_arange_step(0.0, f64::INFINITY, 1.0).is_err());
/// assert!(lazygrad::try_arange_step(0.0, f64::NAN, 1.0).is_err());
/// assert_eq!(lazygrad::try_arange_step(0.0, 1.0, f64::INFINITY)?.to_vec::<f64>(), vec![0.0]);
/// # Ok::<(), lazygrad::Error>(())
/// ```
#[track_caller]
pub fn try_arange_step(
    start: impl IntoOperand,
    stop: impl IntoOperand,
    step: impl IntoOperand,
) -> Result<Tensor> {
    let weak = |operand: Operand| match operand {
        Operand::Weak(w) => Ok(w),
        Operand::Tensor(_) => Err(Error::Invalid {
            op: "arange",
            message: "arguments must be numbers".into(),
        }),
    };
    let (start, stop, step) = (
        weak(start.into_operand())?,
        weak(stop.into_operand())?,
        weak(step.into_operand())?,
    );
    let as_f64 = |w: Weak| w.to_value(DType::F64).map(Value::to_f64).unwrap_or(0.0);
    if as_f64(step) == 0.0 {
        return Err(Error::Invalid {
            op: "arange",
            message: "Maximum allowed size exceeded (step is zero)".into(),
        });
    }
    let too_long = || Error::Invalid {
        op: "arange",
        message: "Maximum allowed size exceeded".into(),
    };
    Ok(match (start, stop, step) {
        (Weak::Int(start), Weak::Int(stop), Weak::Int(step)) => {
            // Exact in i128, where float64 would round extents near `i64::MAX`: the length is
            // the quotient rounded up (`/` truncates toward zero, which rounds a negative one
            // up already). Every value lies between `start` and `stop`, so it fits int64, but
            // `i * step` alone may not, hence i128 for the values too.
            let (span, step) = (i128::from(stop) - i128::from(start), i128::from(step));
            let rounds_up = span % step != 0 && (span > 0) == (step > 0);
            let len = (span / step + i128::from(rounds_up)).max(0);
            let len = usize::try_from(len).map_err(|_| too_long())?;
            let shape = Shape::new(&[len]);
            shape.check_size("arange", DType::I64)?;
            let value = |i: usize| (i128::from(start) + i as i128 * step) as i64;
            Tensor::from_data(huge_page_vec("arange", len, (0..len).map(value))?, shape)
        }
        _ => {
            let (start, stop, step) = (as_f64(start), as_f64(stop), as_f64(step));
            let len = float_length(start, stop, step)?;
            let shape = Shape::new(&[len]);
            shape.check_size("arange", DType::F64)?;
            // The first value is `start` itself, as numpy stores it: `0 * step` would turn it
            // into NaN for an infinite step.
            let value = |i: usize| {
                if i == 0 {
                    start
                } else {
                    start + i as f64 * step
                }
            };
            Tensor::from_data(huge_page_vec("arange", len, (0..len).map(value))?, shape)
        }
    })
}

/// The number of values of a float `arange`, as numpy's `PyArray_Arange` computes it.
fn float_length(start: f64, stop: f64, step: f64) -> Result<usize> {
    let (delta, len) = (stop - start, (stop - start) / step);
    // A quotient that underflowed (or a step of infinity) still takes `start` when the range
    // runs in the step's direction, as numpy's "underflow and divide-by-inf check" does.
    if len == 0.0 && delta != 0.0 {
        return Ok(usize::from(!len.is_sign_negative()));
    }
    let len = len.ceil();
    if len.is_nan() {
        return Err(Error::Invalid {
            op: "arange",
            message: "cannot compute length".into(),
        });
    }
    if len > isize::MAX as f64 {
        return Err(Error::Invalid {
            op: "arange",
            message: "Maximum allowed size exceeded".into(),
        });
    }
    // The comparison above bounds the value, and a negative length means an empty range.
    Ok(len.max(0.0) as usize)
}

/// `num` evenly spaced float64 values from `start` to `stop` inclusive (`np.linspace`).
///
/// ```
/// let a = lazygrad::linspace(1.0, 4.0, 6);
/// assert_eq!(format!("{a:?}"), "array([1. , 1.6, 2.2, 2.8, 3.4, 4. ])");
/// ```
#[track_caller]
pub fn linspace(start: f64, stop: f64, num: usize) -> Tensor {
    linspace_endpoint(start, stop, num, true)
}

/// [`linspace`] with numpy's `endpoint` flag: `false` leaves `stop` out.
#[track_caller]
pub fn linspace_endpoint(start: f64, stop: f64, num: usize, endpoint: bool) -> Tensor {
    unwrap_at_caller(try_linspace_endpoint(start, stop, num, endpoint))
}

/// Fallible [`linspace_endpoint`]: a `num` too big to address or to allocate is an error.
pub(crate) fn try_linspace_endpoint(
    start: f64,
    stop: f64,
    num: usize,
    endpoint: bool,
) -> Result<Tensor> {
    Shape::new(&[num]).check_size("linspace", DType::F64)?;
    let div = if endpoint { num.saturating_sub(1) } else { num };
    let step = (stop - start) / div.max(1) as f64;
    // numpy computes `i * step + start` and pins the last value to `stop` exactly.
    let mut values = huge_page_vec("linspace", num, (0..num).map(|i| i as f64 * step + start))?;
    if endpoint && num > 1 {
        values[num - 1] = stop;
    }
    Ok(Tensor::from_data(values, Shape::new(&[num])))
}

/// The `n x n` float64 identity matrix (`np.eye(n)`).
///
/// ```
/// assert_eq!(lazygrad::eye(2).to_vec::<f64>(), vec![1.0, 0.0, 0.0, 1.0]);
/// ```
#[track_caller]
pub fn eye(n: usize) -> Tensor {
    eye_k(n, n, 0)
}

/// An `n x m` float64 matrix with ones on diagonal `k` (`np.eye(n, m, k)`; `k > 0` is above).
#[track_caller]
pub fn eye_k(n: usize, m: usize, k: isize) -> Tensor {
    let shape = Shape::new(&[n, m]);
    unwrap_at_caller(shape.check_size("eye", DType::F64));
    let mut values = unwrap_at_caller(huge_page_vec("eye", n * m, std::iter::repeat(0.0)));
    // The checked shape bounds `n` and `m` by `isize::MAX`; the column is computed in i128 so
    // any `k` works, and only the rows that meet the diagonal are visited.
    let first_row = (-(k as i128)).clamp(0, n as i128) as usize;
    for row in first_row..n {
        let col = row as i128 + k as i128;
        if col >= m as i128 {
            break;
        }
        values[row * m + col as usize] = 1.0;
    }
    Tensor::from_data(values, shape)
}

/// A grid of indices (`np.indices(dims)`): int64 of shape `(len(dims), *dims)` where slice `i`
/// holds each element's index along axis `i`.
///
/// ```
/// let a = lazygrad::indices([2, 2]);
/// assert_eq!(a.to_vec::<i64>(), vec![0, 0, 1, 1, 0, 1, 0, 1]);
/// ```
#[track_caller]
pub fn indices(dims: impl IntoShape) -> Tensor {
    let dims = dims.into_shape();
    let mut shape = vec![dims.ndim()];
    shape.extend_from_slice(&dims);
    let shape = Shape::from(shape);
    unwrap_at_caller(shape.check_size("indices", DType::I64));
    let size = dims.size();
    let strides = dims.contiguous_strides();
    let mut values = Vec::with_capacity(size * dims.ndim());
    for (axis, &dim) in dims.iter().enumerate() {
        values.extend(
            (0..size).map(|flat| (flat as isize / strides[axis]) as i64 % dim.max(1) as i64),
        );
    }
    Tensor::from_data(values, shape)
}

/// Euler's number (`np.e`).
pub const E: f64 = std::f64::consts::E;
/// The ratio of a circle's circumference to its diameter (`np.pi`).
pub const PI: f64 = std::f64::consts::PI;
