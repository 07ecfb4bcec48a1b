//! Matrix products and norms (`matmul`, `dot`, `linalg::norm`).

use crate::tensor::unwrap_at_caller;
use crate::{Reduction, Tensor};
use lazygrad_ir::{DType, Error, Op, Result, Shape, broadcast_shapes, normalize_axis};

impl Tensor {
    /// Matrix product with numpy's `matmul` rules (`a @ b`): 1-d operands are promoted to a
    /// row or column and the added axis removed; leading axes are batch axes and broadcast.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// let b = lazygrad::array([[5, 6], [7, 8]]);
    /// assert_eq!(a.matmul(&b).to_vec::<i64>(), vec![19, 22, 43, 50]);
    /// ```
    #[track_caller]
    pub fn matmul(&self, rhs: &Tensor) -> Tensor {
        unwrap_at_caller(self.try_matmul(rhs))
    }

    /// Fallible [`Tensor::matmul`].
    #[track_caller]
    pub fn try_matmul(&self, rhs: &Tensor) -> Result<Tensor> {
        matmul("matmul", self, rhs)
    }

    /// numpy's `dot`: the inner product of 1-d operands, `matmul` for 2-d, and for N-d
    /// a sum over the last axis of `self` and the second-to-last of `rhs`.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// let b = lazygrad::array([[5, 6], [7, 8]]);
    /// assert_eq!(a.dot(&b).to_vec::<i64>(), vec![19, 22, 43, 50]);
    /// ```
    #[track_caller]
    pub fn dot(&self, rhs: &Tensor) -> Tensor {
        unwrap_at_caller(self.try_dot(rhs))
    }

    /// Fallible [`Tensor::dot`].
    #[track_caller]
    pub fn try_dot(&self, rhs: &Tensor) -> Result<Tensor> {
        if self.ndim() == 0 || rhs.ndim() == 0 {
            return self.try_multiply(rhs);
        }
        if rhs.ndim() <= 2 {
            return matmul("dot", self, rhs);
        }
        // dot(a, b)[i.., j.., n] = sum_k a[i.., k] * b[j.., k, n]: move b's contracted axis to the
        // front and contract two matrices, then restore the axes.
        let k = *self.shape().last().expect("ndim checked above");
        let nd = rhs.ndim();
        let mut perm: Vec<isize> = vec![nd as isize - 2];
        perm.extend((0..nd as isize - 2).chain([nd as isize - 1]));
        let rhs_matrix = rhs.try_permute(&perm)?.try_reshape([k as isize, -1])?;
        let lhs_matrix = self.try_reshape([-1, k as isize])?;
        if rhs.shape()[nd - 2] != k {
            return Err(Error::MatMul {
                op: "dot",
                lhs: self.shape_tuple().clone(),
                rhs: rhs.shape_tuple().clone(),
            });
        }
        let mut shape: Vec<usize> = self.shape()[..self.ndim() - 1].to_vec();
        shape.extend_from_slice(&rhs.shape()[..nd - 2]);
        shape.push(rhs.shape()[nd - 1]);
        matmul("dot", &lhs_matrix, &rhs_matrix)?.try_reshape(&shape[..])
    }
}

#[track_caller]
fn matmul(label: &'static str, lhs: &Tensor, rhs: &Tensor) -> Result<Tensor> {
    // numpy's gufunc message names the operand and its number of dimensions.
    if let Some((index, _)) = [lhs, rhs].iter().enumerate().find(|(_, t)| t.ndim() == 0) {
        return Err(Error::Invalid {
            op: label,
            message: format!(
                "Input operand {index} does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)"
            ),
        });
    }
    let dtype = lhs.dtype().promote(rhs.dtype());
    let a = if lhs.ndim() == 1 {
        lhs.try_reshape([1, -1])?
    } else {
        lhs.clone()
    };
    let b = if rhs.ndim() == 1 {
        rhs.try_reshape([-1, 1])?
    } else {
        rhs.clone()
    };
    let (nd_a, nd_b) = (a.ndim(), b.ndim());
    if a.shape()[nd_a - 1] != b.shape()[nd_b - 2] {
        return Err(if label == "dot" {
            Error::MatMul {
                op: label,
                lhs: lhs.shape_tuple().clone(),
                rhs: rhs.shape_tuple().clone(),
            }
        } else {
            Error::CoreDim {
                lhs_k: a.shape()[nd_a - 1],
                rhs_k: b.shape()[nd_b - 2],
            }
        });
    }
    let batch = broadcast_shapes(
        label,
        &Shape::new(&a.shape()[..nd_a - 2]),
        &Shape::new(&b.shape()[..nd_b - 2]),
    )?;
    let full = |t: &Tensor, rows: usize, cols: usize| -> Result<Tensor> {
        let mut shape = batch.to_vec();
        shape.extend([rows, cols]);
        t.try_astype(dtype)?.try_broadcast_to(&Shape::from(shape))
    };
    let (m, k, n) = (
        a.shape()[nd_a - 2],
        a.shape()[nd_a - 1],
        b.shape()[nd_b - 1],
    );
    let res = Tensor::try_op(Op::MatMul, vec![full(&a, m, k)?, full(&b, k, n)?])?;
    let mut shape = batch.to_vec();
    if lhs.ndim() > 1 {
        shape.push(m);
    }
    if rhs.ndim() > 1 {
        shape.push(n);
    }
    res.try_reshape(&shape[..])
}

/// `np.linalg`: norms.
pub mod linalg {
    use super::*;

    /// The order of a norm (`ord=` in numpy).
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub enum Ord {
        /// `ord=None`: the 2-norm of vectors, the Frobenius norm of matrices.
        Default,
        /// `ord='fro'`: the Frobenius norm of a matrix.
        Fro,
        /// `ord=inf`: max of absolute values (vectors), max absolute row sum (matrices).
        Inf,
        /// `ord=-inf`: min of absolute values (vectors), min absolute row sum (matrices).
        NegInf,
        /// A numeric order: `sum(abs(x)**p)**(1/p)` for vectors (0 counts nonzeros); 1 and -1
        /// are the max and min absolute column sums of matrices.
        P(f64),
    }

    /// The norm of a vector or matrix: `np.linalg.norm(x)` (the 2-norm of the flattened array).
    ///
    /// ```
    /// let a = lazygrad::array([3.0, 4.0]);
    /// assert_eq!(lazygrad::linalg::norm(&a).item::<f64>(), 5.0);
    /// ```
    #[track_caller]
    pub fn norm(x: &Tensor) -> Tensor {
        unwrap_at_caller(try_norm(x, Ord::Default, None, false))
    }

    /// `np.linalg.norm(x, ord, axis, keepdims)`: vector norms along one axis, matrix norms over
    /// two, and for `axis=None` the vector norm of 1-d and the matrix norm of 2-d input.
    ///
    /// ```
    /// use lazygrad::linalg::{norm_with, Ord};
    /// let a = lazygrad::array([[1.0, 2.0], [3.0, 4.0]]);
    /// let rows = norm_with(&a, Ord::P(2.0), Some(&[1]), true);
    /// assert_eq!(rows.shape(), &[2, 1]);
    /// assert_eq!(rows.to_vec::<f64>(), vec![5f64.sqrt(), 5.0]);
    /// ```
    #[track_caller]
    pub fn norm_with(x: &Tensor, ord: Ord, axis: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(try_norm(x, ord, axis, keepdims))
    }

    /// Fallible [`norm_with`].
    #[track_caller]
    pub fn try_norm(
        x: &Tensor,
        ord: Ord,
        axis: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        let x = if x.dtype().is_float() {
            x.clone()
        } else {
            x.try_astype(DType::F64)?
        };
        let axes: Vec<isize> = match axis {
            Some(axes) => axes.to_vec(),
            None if ord == Ord::Default => {
                let flat = x.try_reshape([-1])?;
                let res = (&flat * &flat).try_sum_axes([0], false)?.try_sqrt()?;
                return if keepdims {
                    res.try_reshape(vec![1; x.ndim()])
                } else {
                    Ok(res)
                };
            }
            None => (0..x.ndim() as isize).collect(),
        };
        match axes.len() {
            1 => vector_norm(&x, ord, axes[0], keepdims),
            2 => matrix_norm(&x, ord, axes[0], axes[1], keepdims),
            _ => Err(Error::Invalid {
                op: "norm",
                message: "Improper number of dimensions to norm.".into(),
            }),
        }
    }

    #[track_caller]
    fn vector_norm(x: &Tensor, ord: Ord, axis: isize, keepdims: bool) -> Result<Tensor> {
        let abs = x.try_abs()?;
        match ord {
            Ord::Default | Ord::P(2.0) => (x * x).try_sum_axes(axis, keepdims)?.try_sqrt(),
            Ord::Inf => abs.try_reduce(Reduction::Max, Some(&[axis]), keepdims),
            Ord::NegInf => abs.try_reduce(Reduction::Min, Some(&[axis]), keepdims),
            Ord::P(0.0) => x
                .try_not_equal(0)?
                .try_astype(x.dtype())?
                .try_sum_axes(axis, keepdims),
            Ord::P(1.0) => abs.try_sum_axes(axis, keepdims),
            Ord::P(p) => abs
                .try_pow(p)?
                .try_sum_axes(axis, keepdims)?
                .try_pow(1.0 / p),
            Ord::Fro => Err(Error::Invalid {
                op: "norm",
                message: "Invalid norm order 'fro' for vectors".into(),
            }),
        }
    }

    #[track_caller]
    fn matrix_norm(x: &Tensor, ord: Ord, row: isize, col: isize, keepdims: bool) -> Result<Tensor> {
        let (row, col) = (
            normalize_axis("norm", row, x.ndim())?,
            normalize_axis("norm", col, x.ndim())?,
        );
        if row == col {
            return Err(Error::Invalid {
                op: "norm",
                message: "Duplicate axes given.".into(),
            });
        }
        let abs = x.try_abs()?;
        // Reducing `first` then `second` (with keepdims) keeps axis numbers valid.
        let twice = |first: usize, second: usize, outer_max: bool| -> Result<Tensor> {
            let sums = abs.try_sum_axes(first as isize, true)?;
            let extreme = if outer_max {
                Reduction::Max
            } else {
                Reduction::Min
            };
            let res = sums.try_reduce(extreme, Some(&[second as isize]), true)?;
            squeeze_axes(&res, &[row, col], keepdims)
        };
        match ord {
            Ord::Default | Ord::Fro => {
                let res = (x * x)
                    .try_sum_axes([row as isize, col as isize], true)?
                    .try_sqrt()?;
                squeeze_axes(&res, &[row, col], keepdims)
            }
            Ord::P(1.0) => twice(row, col, true),
            Ord::P(-1.0) => twice(row, col, false),
            Ord::Inf => twice(col, row, true),
            Ord::NegInf => twice(col, row, false),
            Ord::P(p) if p == 2.0 || p == -2.0 => {
                let singular = crate::svd::singular_values(x, row, col)?;
                let extreme = if p > 0.0 {
                    Reduction::Max
                } else {
                    Reduction::Min
                };
                let res = singular.try_reduce(extreme, Some(&[-1]), false)?;
                if keepdims {
                    let mut shape = x.shape().to_vec();
                    shape[row] = 1;
                    shape[col] = 1;
                    res.try_reshape(&shape[..])
                } else {
                    Ok(res)
                }
            }
            Ord::P(_) => Err(Error::Invalid {
                op: "norm",
                message: "Invalid norm order for matrices.".into(),
            }),
        }
    }

    fn squeeze_axes(x: &Tensor, axes: &[usize], keepdims: bool) -> Result<Tensor> {
        if keepdims {
            return Ok(x.clone());
        }
        let shape: Vec<usize> = x
            .shape()
            .iter()
            .enumerate()
            .filter(|(axis, _)| !axes.contains(axis))
            .map(|(_, &d)| d)
            .collect();
        x.try_reshape(&shape[..])
    }
}
