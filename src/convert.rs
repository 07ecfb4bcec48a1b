//! Reading values out: `to_vec`, `item`, `ndarray` interop, and printing as numpy does.

use crate::Tensor;
use crate::print::{PrintValues, array_repr, array_str};
use crate::tensor::unwrap_at_caller;
use lazygrad_cpu::Storage;
use lazygrad_ir::{Error, Result, Shape, View};
use std::fmt;
use std::sync::Arc;

/// The elements of `view` over `data` in C order, or [`Error::OutOfMemory`] naming `op` when
/// the allocator refuses (a broadcast view can describe far more elements than its buffer has).
fn gather<T: Copy>(op: &'static str, data: &[T], view: &View) -> Result<Vec<T>> {
    let mut res = Vec::new();
    res.try_reserve_exact(view.shape.size())
        .map_err(|_| Error::OutOfMemory {
            op,
            bytes: view.shape.size().saturating_mul(size_of::<T>()),
        })?;
    if view.is_contiguous() && view.offset == 0 && data.len() == view.shape.size() {
        res.extend_from_slice(data);
        return Ok(res);
    }
    let ndim = view.shape.ndim();
    if view.shape.size() == 0 {
        return Ok(res);
    }
    let mut idx = vec![0usize; ndim];
    let mut offset = view.offset;
    loop {
        res.push(data[offset as usize]);
        let mut axis = ndim;
        loop {
            if axis == 0 {
                return Ok(res);
            }
            axis -= 1;
            idx[axis] += 1;
            offset += view.strides[axis];
            if idx[axis] < view.shape[axis] {
                break;
            }
            offset -= view.strides[axis] * view.shape[axis] as isize;
            idx[axis] = 0;
        }
    }
}

/// The elements `print_with` shows; a formatter can only say that it failed, and the
/// panicking `to_string` then reports it.
fn printed<T: Copy>(data: &[T], view: &View) -> std::result::Result<Vec<T>, fmt::Error> {
    gather("print", data, view).map_err(|_| fmt::Error)
}

impl Tensor {
    /// The elements in C order as a `Vec<T>`; `T` must match the dtype (use `astype` first).
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.t().to_vec::<i64>(), vec![1, 3, 2, 4]);
    /// ```
    #[track_caller]
    pub fn to_vec<T: Storage>(&self) -> Vec<T> {
        unwrap_at_caller(self.try_to_vec())
    }

    /// Fallible [`Tensor::to_vec`].
    pub fn try_to_vec<T: Storage>(&self) -> Result<Vec<T>> {
        if T::DTYPE != self.dtype() {
            return Err(Error::ElementType {
                op: "to_vec",
                actual: self.dtype(),
                requested: T::DTYPE,
            });
        }
        let (buffer, view) = self.buffer()?;
        let data = T::slice(&buffer)
            .ok_or_else(|| Error::internal("buffer dtype differs from its node's"))?;
        gather("to_vec", data, &view)
    }

    /// The only element of a size-1 tensor (`a.item()`).
    ///
    /// ```
    /// assert_eq!(lazygrad::array([[1.5]]).item::<f64>(), 1.5);
    /// ```
    #[track_caller]
    pub fn item<T: Storage>(&self) -> T {
        unwrap_at_caller(self.try_item())
    }

    /// Fallible [`Tensor::item`].
    pub fn try_item<T: Storage>(&self) -> Result<T> {
        if self.size() != 1 {
            return Err(Error::Invalid {
                op: "item",
                message: "can only convert an array of size 1 to a Python scalar".into(),
            });
        }
        Ok(self.try_to_vec::<T>()?[0])
    }

    /// The value as an `ndarray` array of `T` (which must match the dtype).
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, 2.0], [3.0, 4.0]]);
    /// let nd = a.to_ndarray::<f64>();
    /// assert_eq!(nd[[1, 0]], 3.0);
    /// ```
    #[track_caller]
    pub fn to_ndarray<T: Storage>(&self) -> ndarray::ArrayD<T> {
        unwrap_at_caller(self.try_to_ndarray())
    }

    /// Fallible [`Tensor::to_ndarray`]: a dtype other than `T`'s, or a failed realize, is an error.
    pub fn try_to_ndarray<T: Storage>(&self) -> Result<ndarray::ArrayD<T>> {
        let data = self.try_to_vec::<T>()?;
        ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(self.shape()), data)
            .map_err(|_| Error::internal("to_vec returned a length other than the size"))
    }

    fn print_with(
        &self,
        f: &mut fmt::Formatter<'_>,
        format: fn(PrintValues<'_>, &[usize]) -> String,
    ) -> fmt::Result {
        let (buffer, view) = self.buffer().map_err(|_| fmt::Error)?;
        let text = lazygrad_ir::with_dtype!(buffer.dtype(), T => {
            let data = T::slice(&buffer).ok_or(fmt::Error)?;
            format(T::slice_ref(&printed(data, &view)?), self.shape())
        });
        f.write_str(&text)
    }
}

/// An `ndarray` array as a tensor of the same shape and element type (`np.asarray(nd)`).
///
/// A C-ordered array gives up its buffer; any other layout (Fortran order, a transposed, sliced
/// or reversed array) is copied in logical C order, so the tensor reads as `nd` indexes.
///
/// ```
/// use ndarray::{array, s};
/// let nd = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let t = lazygrad::Tensor::from(nd.slice_move(s![..;-1, 1..]));
/// assert_eq!(t.to_vec::<f64>(), vec![5.0, 6.0, 2.0, 3.0]);
/// ```
impl<T: Storage, D: ndarray::Dimension> From<ndarray::Array<T, D>> for Tensor {
    #[track_caller]
    fn from(array: ndarray::Array<T, D>) -> Tensor {
        let shape = Shape::new(array.shape());
        let data: Vec<T> = if array.is_standard_layout() {
            // A sliced array may own elements before, after or (when empty) instead of the ones
            // it shows; they are cut off in place.
            let (mut data, offset) = array.into_raw_vec_and_offset();
            match offset {
                Some(offset) => {
                    data.truncate(offset + shape.size());
                    data.drain(..offset);
                }
                None => data.clear(),
            }
            data
        } else {
            array.iter().copied().collect()
        };
        Tensor::from_buffer(Arc::new(T::wrap(data)), View::contiguous(&shape))
    }
}

/// A copy of an `ndarray` view (`a.view()`, `a.slice(s![..;-1, 1..])`, `a.t()`) in C order.
///
/// ```
/// use ndarray::array;
/// let nd = array![[1i64, 2], [3, 4]];
/// assert_eq!(lazygrad::Tensor::from(nd.t()).to_vec::<i64>(), vec![1, 3, 2, 4]);
/// ```
impl<T: Storage, D: ndarray::Dimension> From<ndarray::ArrayView<'_, T, D>> for Tensor {
    #[track_caller]
    fn from(view: ndarray::ArrayView<'_, T, D>) -> Tensor {
        let shape = Shape::new(view.shape());
        let data: Vec<T> = view.iter().copied().collect();
        Tensor::from_buffer(Arc::new(T::wrap(data)), View::contiguous(&shape))
    }
}

/// A copy of a borrowed `ndarray` array or view in C order (`Tensor::from(&nd)`).
impl<T: Storage, S: ndarray::Data<Elem = T>, D: ndarray::Dimension> From<&ndarray::ArrayBase<S, D>>
    for Tensor
{
    #[track_caller]
    fn from(array: &ndarray::ArrayBase<S, D>) -> Tensor {
        Tensor::from(array.view())
    }
}

/// The tensor's value as an `ndarray` array (`np.asarray(t)` the other way round); realizes it.
///
/// `T` must be the tensor's dtype (an [`Error::ElementType`] otherwise, as for
/// [`Tensor::to_vec`]) and `D` must fit its number of dimensions (`IxDyn` always does).
///
/// ```
/// use ndarray::{Array2, ArrayD};
/// let t = lazygrad::arange(6).reshape([2, 3]).t();
/// let m = Array2::<i64>::try_from(&t)?;
/// assert_eq!(m, ndarray::array![[0, 3], [1, 4], [2, 5]]);
/// let any: ArrayD<i64> = t.try_into()?;
/// assert_eq!(any.shape(), &[3, 2]);
/// assert!(ArrayD::<f64>::try_from(lazygrad::arange(3)).is_err());
/// # Ok::<(), lazygrad::Error>(())
/// ```
impl<T: Storage, D: ndarray::Dimension> TryFrom<&Tensor> for ndarray::Array<T, D> {
    type Error = Error;

    fn try_from(tensor: &Tensor) -> Result<ndarray::Array<T, D>> {
        let ndim = tensor.ndim();
        tensor
            .try_to_ndarray::<T>()?
            .into_dimensionality::<D>()
            .map_err(|_| Error::Invalid {
                op: "to_ndarray",
                message: format!(
                    "an array of dimension {ndim} does not fit an ndarray of dimension {}",
                    D::NDIM.map_or("any".to_string(), |n| n.to_string())
                ),
            })
    }
}

/// The tensor's value as an `ndarray` array, consuming the handle; see the `&Tensor` conversion.
impl<T: Storage, D: ndarray::Dimension> TryFrom<Tensor> for ndarray::Array<T, D> {
    type Error = Error;

    fn try_from(tensor: Tensor) -> Result<ndarray::Array<T, D>> {
        ndarray::Array::try_from(&tensor)
    }
}

/// numpy's `str(a)`, what `print(a)` shows: `[[1 2]\n [3 4]]`.
impl fmt::Display for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.print_with(f, array_str)
    }
}

/// numpy's `repr(a)`: `array([[1, 2],\n       [3, 4]])`, with `dtype=` where numpy shows one.
impl fmt::Debug for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.print_with(f, array_repr)
    }
}
