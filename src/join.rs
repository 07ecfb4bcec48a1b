//! Joining, repeating and reshaping helpers: `concatenate`, `stack`, `tile`, `repeat`,
//! `split`, `resize`, grids (`meshgrid`, `diag`, `triu`), `sort` and `pad`.

use crate::args::IntoOperand;
use crate::indexing::SliceArg;
use crate::tensor::unwrap_at_caller;
use crate::{Operand, Tensor};
use lazygrad_ir::{Error, Op, Result, Shape, normalize_axis};
use smallvec::SmallVec;

/// Arrays joined along an existing axis (`np.concatenate`); dtypes promote as in numpy.
///
/// ```
/// let a = lazygrad::array([[1, 2], [3, 4]]);
/// let b = lazygrad::array([[5, 6]]);
/// assert_eq!(lazygrad::concatenate(&[&a, &b], 0).to_vec::<i64>(), vec![1, 2, 3, 4, 5, 6]);
/// ```
#[track_caller]
pub fn concatenate(arrays: &[&Tensor], axis: isize) -> Tensor {
    unwrap_at_caller(try_concatenate(arrays, axis))
}

/// Fallible [`concatenate`]: also an error when the joined extent is too big to address
/// ([`Error::TooBig`]).
#[track_caller]
pub fn try_concatenate(arrays: &[&Tensor], axis: isize) -> Result<Tensor> {
    let Some(first) = arrays.first() else {
        return Err(Error::Invalid {
            op: "concatenate",
            message: "need at least one array to concatenate".into(),
        });
    };
    if first.ndim() == 0 {
        return Err(Error::Invalid {
            op: "concatenate",
            message: "zero-dimensional arrays cannot be concatenated".into(),
        });
    }
    if let Some(other) = arrays.iter().find(|a| a.ndim() != first.ndim()) {
        return Err(Error::Invalid {
            op: "concatenate",
            message: format!(
                "all the input arrays must have same number of dimensions, but the array at index 0 has {} dimension(s) and another has {} dimension(s)",
                first.ndim(),
                other.ndim()
            ),
        });
    }
    let axis = normalize_axis("concatenate", axis, first.ndim())?;
    let dtype = arrays
        .iter()
        .skip(1)
        .fold(first.dtype(), |d, a| d.promote(a.dtype()));
    if arrays.len() == 1 {
        return first.try_astype(dtype);
    }
    let parts = arrays
        .iter()
        .map(|a| a.try_astype(dtype))
        .collect::<Result<Vec<_>>>()?;
    Tensor::try_op(Op::Concat(axis), parts)
}

/// Arrays of one shape joined along a new axis (`np.stack`).
///
/// ```
/// let a = lazygrad::array([1, 2]);
/// let b = lazygrad::array([3, 4]);
/// assert_eq!(lazygrad::stack(&[&a, &b], 1).to_vec::<i64>(), vec![1, 3, 2, 4]);
/// ```
#[track_caller]
pub fn stack(arrays: &[&Tensor], axis: isize) -> Tensor {
    unwrap_at_caller(try_stack(arrays, axis))
}

/// Fallible [`stack`].
#[track_caller]
pub fn try_stack(arrays: &[&Tensor], axis: isize) -> Result<Tensor> {
    let Some(first) = arrays.first() else {
        return Err(Error::Invalid {
            op: "stack",
            message: "need at least one array to stack".into(),
        });
    };
    if arrays.iter().any(|a| a.shape() != first.shape()) {
        return Err(Error::Invalid {
            op: "stack",
            message: "all input arrays must have the same shape".into(),
        });
    }
    let axis = normalize_axis("stack", axis, first.ndim() + 1)? as isize;
    let expanded: Vec<Tensor> = arrays.iter().map(|a| a.expand_dims(axis)).collect();
    try_concatenate(&expanded.iter().collect::<Vec<_>>(), axis)
}

/// Arrays stacked row-wise (`np.vstack`): 1-d arrays become rows.
///
/// ```
/// let a = lazygrad::array([1, 2]);
/// let b = lazygrad::array([3, 4]);
/// assert_eq!(lazygrad::vstack(&[&a, &b]).shape(), &[2, 2]);
/// ```
#[track_caller]
pub fn vstack(arrays: &[&Tensor]) -> Tensor {
    let rows: Vec<Tensor> = arrays
        .iter()
        .map(|a| match a.ndim() {
            0 => a.reshape([1, 1]),
            1 => a.reshape([1, -1]),
            _ => (*a).clone(),
        })
        .collect();
    concatenate(&rows.iter().collect::<Vec<_>>(), 0)
}

/// Arrays stacked column-wise (`np.hstack`): along axis 0 for 1-d arrays, else axis 1.
///
/// ```
/// let a = lazygrad::array([[1], [2]]);
/// let b = lazygrad::array([[3], [4]]);
/// assert_eq!(lazygrad::hstack(&[&a, &b]).to_vec::<i64>(), vec![1, 3, 2, 4]);
/// ```
#[track_caller]
pub fn hstack(arrays: &[&Tensor]) -> Tensor {
    let parts: Vec<Tensor> = arrays
        .iter()
        .map(|a| {
            if a.ndim() == 0 {
                a.reshape([1])
            } else {
                (*a).clone()
            }
        })
        .collect();
    let axis = if parts.iter().all(|a| a.ndim() == 1) {
        0
    } else {
        1
    };
    concatenate(&parts.iter().collect::<Vec<_>>(), axis)
}

/// `np.resize(a, shape)`: the flattened data repeated (or cut) to fill `shape`.
///
/// ```
/// let a = lazygrad::array([1, 2, 3]);
/// assert_eq!(lazygrad::resize(&a, [2, 4]).to_vec::<i64>(), vec![1, 2, 3, 1, 2, 3, 1, 2]);
/// ```
#[track_caller]
pub fn resize(a: &Tensor, shape: impl crate::IntoShape) -> Tensor {
    let shape = shape.into_shape();
    unwrap_at_caller(shape.check_size("resize", a.dtype()));
    let size = shape.size();
    if a.size() == 0 || size == 0 {
        return Tensor::full_dtype(&shape, 0, a.dtype());
    }
    let copies = size.div_ceil(a.size());
    a.ravel()
        .tile(&[copies])
        .slice(crate::s![..size])
        .reshape(&shape)
}

/// Each element of `input` repeated `repeats` times along `axis` (a broadcast, no gather); the
/// shared body of `repeat` and `repeat_counts` with one count.
#[track_caller]
pub(crate) fn repeat_each(input: &Tensor, repeats: usize, axis: usize) -> Result<Tensor> {
    let mut expanded = input.shape().to_vec();
    expanded.insert(axis + 1, repeats);
    let mut merged = input.shape().to_vec();
    merged[axis] = merged[axis].saturating_mul(repeats);
    // A saturated extent fails the size check, so nothing below computes with it.
    Shape::from(merged.clone()).check_size("repeat", input.dtype())?;
    input
        .try_reshape(&[&input.shape()[..=axis], &[1], &input.shape()[axis + 1..]].concat()[..])?
        .try_broadcast_to(&Shape::from(expanded))?
        .try_reshape(&merged[..])
}

/// Coordinate matrices from coordinate vectors (`np.meshgrid`, `indexing='xy'`): for `x` of
/// length `n` and `y` of length `m`, both outputs have shape `(m, n)`.
///
/// ```
/// let (x, y) = (lazygrad::array([1, 2, 3]), lazygrad::array([10, 20]));
/// let grids = lazygrad::meshgrid(&[&x, &y]);
/// assert_eq!(grids[0].to_vec::<i64>(), vec![1, 2, 3, 1, 2, 3]);
/// assert_eq!(grids[1].to_vec::<i64>(), vec![10, 10, 10, 20, 20, 20]);
/// ```
#[track_caller]
pub fn meshgrid(arrays: &[&Tensor]) -> Vec<Tensor> {
    let mut axes: Vec<usize> = (0..arrays.len()).collect();
    if arrays.len() >= 2 {
        axes.swap(0, 1);
    }
    let mut shape = vec![0; arrays.len()];
    for (array, &axis) in arrays.iter().zip(&axes) {
        shape[axis] = array.size();
    }
    arrays
        .iter()
        .zip(&axes)
        .map(|(array, &axis)| {
            let mut along = vec![1; arrays.len()];
            along[axis] = array.size();
            array.reshape(&along[..]).broadcast_to(&shape[..])
        })
        .collect()
}

/// `np.diag`: a 2-d array with `v` on diagonal `k` for 1-d `v`, or the diagonal of a 2-d array.
///
/// ```
/// let v = lazygrad::array([1, 2]);
/// assert_eq!(lazygrad::diag(&v, 0).to_vec::<i64>(), vec![1, 0, 0, 2]);
/// assert_eq!(lazygrad::diag(&lazygrad::diag(&v, 1), 1).to_vec::<i64>(), vec![1, 2]);
/// ```
#[track_caller]
pub fn diag(v: &Tensor, k: isize) -> Tensor {
    match v.ndim() {
        1 => {
            // Checked before any arithmetic on `n`, which must index an `(n, n)` array.
            let n = v.size().saturating_add(k.unsigned_abs());
            unwrap_at_caller(Shape::new(&[n, n]).check_size("diag", v.dtype()));
            let (before, after) = if k >= 0 {
                (0, k as usize)
            } else {
                (k.unsigned_abs(), 0)
            };
            let column = v.pad(&[(before, after)], 0).reshape([n as isize, 1]);
            let mask = crate::eye_k(n, n, k).not_equal(0.0);
            crate::where_(&mask, &column, Tensor::full_dtype((), 0, v.dtype()))
        }
        2 => v.diagonal(k),
        _ => panic!("diag: Input must be 1- or 2-d."),
    }
}

impl Tensor {
    /// The repeated tensor (`np.tile(a, reps)`).
    ///
    /// ```
    /// let v = lazygrad::array([1, 0, 1]);
    /// assert_eq!(v.tile(&[4, 1]).shape(), &[4, 3]);
    /// ```
    #[track_caller]
    pub fn tile(&self, reps: &[usize]) -> Tensor {
        let ndim = self.ndim().max(reps.len());
        let mut shape = vec![1; ndim - self.ndim()];
        shape.extend_from_slice(self.shape());
        let mut reps_full = vec![1; ndim - reps.len()];
        reps_full.extend_from_slice(reps);
        let (mut split, mut expanded, mut merged) = (Vec::new(), Vec::new(), Vec::new());
        for (&dim, &rep) in shape.iter().zip(&reps_full) {
            split.extend([1, dim]);
            expanded.extend([rep, dim]);
            merged.push(rep.saturating_mul(dim));
        }
        // A saturated extent fails the size check, so the result is checked before any
        // reshape computes with it.
        unwrap_at_caller(Shape::from(merged.clone()).check_size("tile", self.dtype()));
        self.reshape(&split[..])
            .broadcast_to(&expanded[..])
            .reshape(&merged[..])
    }

    /// Each element repeated `repeats` times along `axis` (`np.repeat`); `None` flattens first.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.repeat(2, Some(0)).to_vec::<i64>(), vec![1, 2, 1, 2, 3, 4, 3, 4]);
    /// assert_eq!(a.repeat(2, None).to_vec::<i64>(), vec![1, 1, 2, 2, 3, 3, 4, 4]);
    /// ```
    #[track_caller]
    pub fn repeat(&self, repeats: usize, axis: Option<isize>) -> Tensor {
        let (input, axis) = match axis {
            None => (self.ravel(), 0),
            Some(axis) => (
                self.clone(),
                unwrap_at_caller(normalize_axis("repeat", axis, self.ndim())),
            ),
        };
        unwrap_at_caller(repeat_each(&input, repeats, axis))
    }

    /// Equal parts along `axis` (`np.split(a, sections, axis)`); an error if they can't be equal.
    ///
    /// ```
    /// let parts = lazygrad::arange(6).split(3, 0);
    /// assert_eq!(parts[2].to_vec::<i64>(), vec![4, 5]);
    /// ```
    #[track_caller]
    pub fn split(&self, sections: usize, axis: isize) -> Vec<Tensor> {
        let axis_idx = unwrap_at_caller(normalize_axis("split", axis, self.ndim()));
        let dim = self.shape()[axis_idx];
        if sections == 0 || !dim.is_multiple_of(sections) {
            panic!("split: array split does not result in an equal division");
        }
        // `sections` divides `dim`, so each bound is exact and stays below `dim`.
        let bounds: Vec<usize> = (1..sections).map(|i| i * (dim / sections)).collect();
        self.split_at(&bounds, axis)
    }

    /// Parts between the given indices along `axis` (`np.split(a, [i, j], axis)`).
    #[track_caller]
    pub fn split_at(&self, indices: &[usize], axis: isize) -> Vec<Tensor> {
        let axis_idx = unwrap_at_caller(normalize_axis("split", axis, self.ndim()));
        let dim = self.shape()[axis_idx];
        let mut bounds = vec![0];
        bounds.extend(indices.iter().map(|&i| i.min(dim)));
        bounds.push(dim);
        bounds
            .windows(2)
            .map(|pair| {
                let mut args: Vec<SliceArg> = (0..axis_idx).map(|_| SliceArg::from(..)).collect();
                args.push(SliceArg::from(pair[0]..pair[1].max(pair[0])));
                self.slice(args)
            })
            .collect()
    }

    /// numpy's `a.resize(shape)` in place: the handle is rebound to the first elements in C
    /// order, padded with zeros when growing.
    ///
    /// ```
    /// let mut a = lazygrad::array([[1, 2], [3, 4]]);
    /// a.resize([3, 2]);
    /// assert_eq!(a.to_vec::<i64>(), vec![1, 2, 3, 4, 0, 0]);
    /// ```
    #[track_caller]
    pub fn resize(&mut self, shape: impl crate::IntoShape) {
        let shape = shape.into_shape();
        unwrap_at_caller(shape.check_size("resize", self.dtype()));
        let size = shape.size();
        let flat = self.ravel();
        let kept = flat.slice(crate::s![..size.min(self.size())]);
        let grown = if size > kept.size() {
            kept.pad(&[(0, size - kept.size())], 0)
        } else {
            kept
        };
        *self = grown.reshape(&shape);
    }

    /// The tensor padded with `value` (`np.pad(a, widths, constant_values=value)`); one
    /// `(before, after)` pair per axis.
    ///
    /// ```
    /// let a = lazygrad::array([1, 2]);
    /// assert_eq!(a.pad(&[(1, 2)], 0).to_vec::<i64>(), vec![0, 1, 2, 0, 0]);
    /// ```
    #[track_caller]
    pub fn pad(&self, widths: &[(usize, usize)], value: impl IntoOperand) -> Tensor {
        unwrap_at_caller(self.try_pad(widths, value))
    }

    /// Fallible [`Tensor::pad`]: widths whose padded extents overflow are numpy's "array is too
    /// big" error ([`Error::TooBig`]).
    #[track_caller]
    pub fn try_pad(&self, widths: &[(usize, usize)], value: impl IntoOperand) -> Result<Tensor> {
        if widths.len() != self.ndim() {
            return Err(Error::Invalid {
                op: "pad",
                message: format!(
                    "{} pad widths for an array of {} dimensions",
                    widths.len(),
                    self.ndim()
                ),
            });
        }
        let fill = match value.into_operand() {
            Operand::Weak(w) => w.to_value(self.dtype()).ok_or_else(|| Error::Invalid {
                op: "pad",
                message: format!("constant {w} out of bounds for {}", self.dtype()),
            })?,
            Operand::Tensor(_) => {
                return Err(Error::Invalid {
                    op: "pad",
                    message: "constant_values must be a literal".into(),
                });
            }
        };
        if widths
            .iter()
            .all(|&(before, after)| before == 0 && after == 0)
        {
            return Ok(self.clone());
        }
        let widths: SmallVec<[(usize, usize); 4]> = widths.iter().copied().collect();
        Tensor::try_op(Op::Pad(widths, fill), vec![self.clone()])
    }

    /// Diagonal `k` of a 2-d tensor (`np.diagonal`; `k > 0` above the main diagonal).
    #[track_caller]
    pub fn diagonal(&self, k: isize) -> Tensor {
        assert!(
            self.ndim() == 2,
            "diagonal: needs a 2-d array, got {} dimensions",
            self.ndim()
        );
        // In i128 so any `k`, `isize::MIN` included, is just an offset past the array.
        let (rows, cols, k) = (self.shape()[0] as i128, self.shape()[1] as i128, k as i128);
        let len = if k >= 0 {
            rows.min(cols - k)
        } else {
            (rows + k).min(cols)
        }
        .max(0);
        // An empty diagonal starts at (0, 0); a nonempty one starts inside the array, so its
        // indices fit int64.
        let (row0, col0) = match (len, k >= 0) {
            (0, _) => (0, 0),
            (_, true) => (0, k),
            (_, false) => (-k, 0),
        };
        let r = crate::arange_step(row0 as i64, (row0 + len) as i64, 1);
        let c = crate::arange_step(col0 as i64, (col0 + len) as i64, 1);
        self.slice(crate::s![&r, &c])
    }

    /// The lower triangle of the last two axes, zero above diagonal `k` (`np.tril`).
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.tril(0).to_vec::<i64>(), vec![1, 0, 3, 4]);
    /// assert_eq!(a.triu(1).to_vec::<i64>(), vec![0, 2, 0, 0]);
    /// ```
    #[track_caller]
    pub fn tril(&self, k: isize) -> Tensor {
        let offset = self.column_minus_row();
        crate::where_(&offset.le(k as i64), self, self.zero())
    }

    /// The upper triangle of the last two axes, zero below diagonal `k` (`np.triu`).
    #[track_caller]
    pub fn triu(&self, k: isize) -> Tensor {
        let offset = self.column_minus_row();
        crate::where_(&offset.ge(k as i64), self, self.zero())
    }

    /// A 0-d zero of this tensor's dtype (a literal 0 would promote bool to int64).
    #[track_caller]
    fn zero(&self) -> Tensor {
        Tensor::full_dtype((), 0, self.dtype())
    }

    /// `col - row` over the last two axes, as an int64 `(rows, cols)` grid.
    #[track_caller]
    fn column_minus_row(&self) -> Tensor {
        assert!(self.ndim() >= 2, "tril/triu: needs at least 2 dimensions");
        let (rows, cols) = (self.shape()[self.ndim() - 2], self.shape()[self.ndim() - 1]);
        let r = crate::arange(rows as i64).reshape([-1, 1]);
        let c = crate::arange(cols as i64).reshape([1, -1]);
        &c - &r
    }

    /// The values sorted along `axis` (`np.sort(a, axis)`, stable; NaN sorts last).
    ///
    /// ```
    /// let a = lazygrad::array([[3, 1, 2], [0, 5, 4]]);
    /// assert_eq!(a.sort(-1).to_vec::<i64>(), vec![1, 2, 3, 0, 4, 5]);
    /// assert_eq!(a.argsort(0).to_vec::<i64>(), vec![1, 0, 0, 0, 1, 1]);
    /// ```
    #[track_caller]
    pub fn sort(&self, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_sort(axis, false))
    }

    /// The int64 positions that sort along `axis` (`np.argsort(a, axis, kind='stable')`).
    #[track_caller]
    pub fn argsort(&self, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_sort(axis, true))
    }

    #[track_caller]
    fn try_sort(&self, axis: isize, indices: bool) -> Result<Tensor> {
        let (input, axis) = if self.ndim() == 0 {
            (self.try_reshape([1])?, 0)
        } else {
            (self.clone(), axis)
        };
        let axis = normalize_axis(if indices { "argsort" } else { "sort" }, axis, input.ndim())?;
        Tensor::try_op(Op::Sort { axis, indices }, vec![input])
    }
}
