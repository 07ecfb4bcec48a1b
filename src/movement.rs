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

    /// Fallible [`Tensor::reshape`].
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
            format!("({})", parts.join(", "))
        }
    };
    let unknown: Vec<usize> = dims
        .iter()
        .enumerate()
        .filter(|(_, d)| **d < 0)
        .map(|(i, _)| i)
        .collect();
    if unknown.len() > 1 || dims.iter().any(|&d| d < -1) {
        return Err(Error::Invalid {
            op: "reshape",
            message: format!("can only specify one unknown dimension, got {}", written()),
        });
    }
    let known: usize = dims
        .iter()
        .filter(|&&d| d >= 0)
        .map(|&d| d as usize)
        .product();
    let mut shape: Vec<usize> = dims.iter().map(|&d| d.max(0) as usize).collect();
    if let Some(&idx) = unknown.first() {
        if known == 0 || size % known != 0 {
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
