//! Movement ops: reshape, transpose and broadcast, all views that copy nothing.

use crate::Tensor;
use crate::args::IntoReshape;
use crate::tensor::unwrap_at_caller;
use lazygrad_ir::{Error, Movement, Op, Result, Shape, normalize_axis};
use smallvec::SmallVec;

impl Tensor {
    /// The same elements in C order under a new shape (`a.reshape(2, -1)`); one `-1` is inferred.
    ///
    /// A view when the strides allow it, otherwise the value is copied when computed.
    ///
    /// ```
    /// let a = lazygrad::arange(12);
    /// assert_eq!(a.reshape([3, -1]).shape(), &[3, 4]);
    /// assert!(a.try_reshape([5, -1]).is_err());
    /// ```
    #[track_caller]
    pub fn reshape(&self, shape: impl IntoReshape) -> Tensor {
        unwrap_at_caller(self.try_reshape(shape))
    }

    /// Fallible [`Tensor::reshape`]: a size mismatch, an extent past `isize::MAX` ("Maximum
    /// allowed dimension exceeded") and a shape too big to address ([`Error::TooBig`]) are errors.
    #[track_caller]
    pub fn try_reshape(&self, shape: impl IntoReshape) -> Result<Tensor> {
        let shape = infer_shape(self.size(), &shape.into_reshape())?;
        if &shape == self.shape_tuple() {
            return Ok(self.clone());
        }
        Tensor::try_op(Op::Movement(Movement::Reshape(shape)), vec![self.clone()])
    }

    /// The elements as a 1-d tensor in C order (`a.ravel()`).
    #[track_caller]
    pub fn ravel(&self) -> Tensor {
        self.reshape([-1])
    }

    /// Same as [`Tensor::ravel`] (`a.flatten()`); values are immutable, so no copy is needed.
    #[track_caller]
    pub fn flatten(&self) -> Tensor {
        self.ravel()
    }

    /// Axes reordered: result axis `i` is axis `axes[i]` (`np.transpose(a, axes)`).
    #[track_caller]
    pub fn permute(&self, axes: &[isize]) -> Tensor {
        unwrap_at_caller(self.try_permute(axes))
    }

    /// Fallible [`Tensor::permute`].
    #[track_caller]
    pub fn try_permute(&self, axes: &[isize]) -> Result<Tensor> {
        let perm: SmallVec<[usize; 4]> = axes
            .iter()
            .map(|&axis| normalize_axis("transpose", axis, self.ndim()))
            .collect::<Result<_>>()?;
        if perm.iter().copied().eq(0..self.ndim()) {
            return Ok(self.clone());
        }
        Tensor::try_op(Op::Movement(Movement::Permute(perm)), vec![self.clone()])
    }

    /// Axes reversed (`a.T`, `np.transpose(a)`): a view.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.t().to_vec::<i64>(), vec![1, 3, 2, 4]);
    /// ```
    #[track_caller]
    pub fn t(&self) -> Tensor {
        let axes: Vec<isize> = (0..self.ndim() as isize).rev().collect();
        self.permute(&axes)
    }

    /// Same as [`Tensor::t`] (`a.transpose()`).
    #[track_caller]
    pub fn transpose(&self) -> Tensor {
        self.t()
    }

    /// Two axes exchanged (`np.swapaxes`).
    #[track_caller]
    pub fn swapaxes(&self, axis1: isize, axis2: isize) -> Tensor {
        let ndim = self.ndim();
        let (a, b) = unwrap_at_caller(
            normalize_axis("swapaxes", axis1, ndim)
                .and_then(|a| Ok((a, normalize_axis("swapaxes", axis2, ndim)?))),
        );
        let mut axes: Vec<isize> = (0..ndim as isize).collect();
        axes.swap(a, b);
        self.permute(&axes)
    }

    /// A new axis of extent 1 inserted at `axis` (`np.expand_dims`).
    #[track_caller]
    pub fn expand_dims(&self, axis: isize) -> Tensor {
        let axis = unwrap_at_caller(normalize_axis("expand_dims", axis, self.ndim() + 1));
        let mut shape = self.shape().to_vec();
        shape.insert(axis, 1);
        self.reshape(&shape[..])
    }

    /// Axes of extent 1 removed (`np.squeeze`).
    #[track_caller]
    pub fn squeeze(&self) -> Tensor {
        let shape: Vec<usize> = self.shape().iter().copied().filter(|&d| d != 1).collect();
        self.reshape(&shape[..])
    }
}

/// Resolves a shape with at most one `-1` against an array of `size` elements.
pub(crate) fn infer_shape(size: usize, dims: &[isize]) -> Result<Shape> {
    let written = || {
        let parts: Vec<String> = dims
            .iter()
            .map(|&d| {
                if d == -1 {
                    "newaxis".to_string()
                } else {
                    d.to_string()
                }
            })
            .collect();
        if parts.len() == 1 {
            format!("({},)", parts[0])
        } else {
            format!("({})", parts.join(","))
        }
    };
    let unknown: Vec<usize> = dims
        .iter()
        .enumerate()
        .filter(|(_, d)| **d < 0)
        .map(|(i, _)| i)
        .collect();
    if dims.contains(&crate::args::TOO_LARGE) {
        return Err(Error::Invalid {
            op: "reshape",
            message: "Maximum allowed dimension exceeded".into(),
        });
    }
    if unknown.len() > 1 || dims.iter().any(|&d| d < -1) {
        return Err(Error::Invalid {
            op: "reshape",
            message: "can only specify one unknown dimension".into(),
        });
    }
    let mut shape: Vec<usize> = dims.iter().map(|&d| d.max(0) as usize).collect();
    // The known extents must form a shape that fits before their product is taken; the size
    // check at the node repeats this for the inferred shape.
    Shape::from(shape.clone()).check_size("reshape", lazygrad_ir::DType::Bool)?;
    let known: usize = dims
        .iter()
        .filter(|&&d| d >= 0)
        .map(|&d| d as usize)
        .product();
    if let Some(&idx) = unknown.first() {
        if known == 0 || !size.is_multiple_of(known) {
            return Err(Error::ReshapeInfer {
                size,
                shape: written(),
            });
        }
        shape[idx] = size / known;
    } else if known != size {
        return Err(Error::ReshapeInfer {
            size,
            shape: written(),
        });
    }
    Ok(Shape::from(shape))
}

impl Tensor {
    /// A view with explicit element strides over this tensor's elements in C order
    /// (`np.lib.stride_tricks.as_strided`, with strides and offset counted in elements, not
    /// bytes). Every element the view reaches must lie inside the data; this realizes `self`.
    ///
    /// ```
    /// let a = lazygrad::arange(6);
    /// let every_other = a.as_strided([3], &[2], 0);
    /// assert_eq!(every_other.to_vec::<i64>(), vec![0, 2, 4]);
    /// let reversed = a.as_strided([6], &[-1], 5);
    /// assert_eq!(reversed.to_vec::<i64>(), vec![5, 4, 3, 2, 1, 0]);
    /// ```
    #[track_caller]
    pub fn as_strided(
        &self,
        shape: impl crate::IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Tensor {
        unwrap_at_caller(self.try_as_strided(shape, strides, offset))
    }

    /// Fallible [`Tensor::as_strided`]: a shape too big to address ([`Error::TooBig`]) and a view
    /// reaching outside the data, however large its strides or offset, are errors.
    #[track_caller]
    pub fn try_as_strided(
        &self,
        shape: impl crate::IntoShape,
        strides: &[isize],
        offset: usize,
    ) -> Result<Tensor> {
        let shape = shape.into_shape();
        shape.check_size("as_strided", self.dtype())?;
        if strides.len() != shape.ndim() {
            return Err(Error::Invalid {
                op: "as_strided",
                message: format!(
                    "{} strides for a shape of {} dimensions",
                    strides.len(),
                    shape.ndim()
                ),
            });
        }
        let (buffer, view) = self.buffer()?;
        let (buffer, len) =
            if view.is_contiguous() && view.offset == 0 && buffer.len() == self.size() {
                (buffer, self.size())
            } else {
                let copy = Tensor::try_op(Op::Contiguous, vec![self.clone()])?;
                (copy.buffer()?.0, self.size())
            };
        let outside = || Error::Invalid {
            op: "as_strided",
            message: format!("the view reaches outside the {len} elements of the array"),
        };
        // An empty view reads nothing, so any offset is fine; it is stored as 0. The stride of an
        // axis of one element is never taken either, and is stored as 0 too: loops that step
        // one past an axis's end before wrapping (the odometers) would overflow on a stride
        // near `isize::MAX`, which the bounds check below cannot see for such an axis.
        let offset = if shape.contains(&0) { 0 } else { offset };
        let strides = shape
            .iter()
            .zip(strides)
            .map(|(&dim, &stride)| if dim <= 1 { 0 } else { stride })
            .collect();
        let view = lazygrad_ir::View {
            shape,
            strides,
            offset: isize::try_from(offset).map_err(|_| outside())?,
        };
        // `extent` saturates, so strides near `isize::MAX` fail this check instead of wrapping.
        if let Some((lo, hi)) = view.extent()
            && (lo < 0 || hi >= len as isize)
        {
            return Err(Error::Invalid {
                op: "as_strided",
                message: format!("the view reaches elements {lo}..={hi} of an array of {len}"),
            });
        }
        Ok(Tensor::from_buffer(buffer, view))
    }
}
