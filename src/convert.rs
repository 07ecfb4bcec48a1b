//! Reading values out: `to_vec`, `item`, `ndarray` interop, and printing as numpy does.

use crate::Tensor;
use crate::print::{PrintValues, array_repr, array_str};
use crate::tensor::unwrap_at_caller;
use lazygrad_cpu::{Buffer, Storage};
use lazygrad_ir::{Error, Result, Shape, View};
use std::fmt;
use std::sync::Arc;

/// The elements of `view` over `data` in C order.
fn gather<T: Copy>(data: &[T], view: &View) -> Vec<T> {
    if view.is_contiguous() && view.offset == 0 && data.len() == view.shape.size() {
        return data.to_vec();
    }
    let mut res = Vec::with_capacity(view.shape.size());
    let ndim = view.shape.ndim();
    if view.shape.size() == 0 {
        return res;
    }
    let mut idx = vec![0usize; ndim];
    let mut offset = view.offset;
    loop {
        res.push(data[offset as usize]);
        let mut axis = ndim;
        loop {
            if axis == 0 {
                return res;
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
        Ok(gather(data, &view))
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
        let data = self.to_vec::<T>();
        // Invariant: `to_vec` returns exactly `size` elements in C order.
        ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(self.shape()), data)
            .expect("internal error: to_vec length")
    }

    fn print_with(
        &self,
        f: &mut fmt::Formatter<'_>,
        format: fn(PrintValues<'_>, &[usize]) -> String,
    ) -> fmt::Result {
        let (buffer, view) = self.buffer().map_err(|_| fmt::Error)?;
        let text = match &*buffer {
            Buffer::Bool(data) => format(PrintValues::Bool(&gather(data, &view)), self.shape()),
            Buffer::U8(data) => format(PrintValues::U8(&gather(data, &view)), self.shape()),
            Buffer::I32(data) => format(PrintValues::I32(&gather(data, &view)), self.shape()),
            Buffer::I64(data) => format(PrintValues::I64(&gather(data, &view)), self.shape()),
            Buffer::F32(data) => format(PrintValues::F32(&gather(data, &view)), self.shape()),
            Buffer::F64(data) => format(PrintValues::F64(&gather(data, &view)), self.shape()),
        };
        f.write_str(&text)
    }
}

impl<T: Storage, D: ndarray::Dimension> From<ndarray::Array<T, D>> for Tensor {
    /// Takes an `ndarray` array's elements in C order (copying only if it is not C-ordered).
    #[track_caller]
    fn from(array: ndarray::Array<T, D>) -> Tensor {
        let shape = Shape::new(array.shape());
        let data: Vec<T> = if array.is_standard_layout() {
            let (data, offset) = array.into_raw_vec_and_offset();
            match offset {
                Some(0) | None => data,
                Some(offset) => data[offset..offset + shape.size()].to_vec(),
            }
        } else {
            array.iter().copied().collect()
        };
        Tensor::from_buffer(Arc::new(T::wrap(data)), View::contiguous(&shape))
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
