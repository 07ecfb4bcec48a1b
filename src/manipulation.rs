//! Array manipulation and index helpers beyond the cheat sheet: stacking (`column_stack`,
//! `dstack`, `atleast_*d`), rearranging (`roll`, `rot90`, `moveaxis`), editing along an axis
//! (`append`, `insert`, `delete`, `repeat_counts`), choosing (`choose`, `select`), splitting
//! (`array_split`, `hsplit`, `vsplit`), index arithmetic (`unravel_index`, `ravel_multi_index`,
//! `tril_indices`, `triu_indices`, `diag_indices`, `ix_`, `flatnonzero`), `fill_diagonal`,
//! `broadcast_arrays` and the log-spaced ranges (`logspace`, `geomspace`).
//!
//! Every function is a composition of existing tensor ops (slices, concatenation, gathers,
//! `where`), so each is differentiable where its ops are. Functions whose output shape or
//! validity depends on index data (`flatnonzero`, `repeat_counts`, `insert` and `delete` with
//! index arrays, `unravel_index`, `ravel_multi_index`, `choose`) read that data when the node is
//! built, as boolean masks do (see `docs/numpy.md`).

use crate::args::{IntoAxes, IntoOperand, IntoShape, Operand};
use crate::indexing::{SliceArg, operand_tensor, resolve_range};
use crate::tensor::unwrap_at_caller;
use crate::{DType, Tensor};
use lazygrad_cpu::huge_page_vec;
use lazygrad_ir::{Error, Kind, Result, Shape, broadcast_shapes, normalize_axis};

fn invalid(op: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid {
        op,
        message: message.into(),
    }
}

/// An int64 tensor of host-computed positions (gather indices); allocated fallibly, since the
/// length can come from data (`repeat_counts`).
fn positions_tensor(
    op: &'static str,
    len: usize,
    values: impl Iterator<Item = i64>,
) -> Result<Tensor> {
    let shape = Shape::new(&[len]);
    shape.check_size(op, DType::I64)?;
    Ok(Tensor::from_data(huge_page_vec(op, len, values)?, shape))
}

/// The index data of `index` as int64 values, computed now; floats are numpy's index error.
fn index_values(op: &'static str, index: &Tensor) -> Result<Vec<i64>> {
    if index.dtype().is_float() {
        return Err(invalid(
            op,
            "arrays used as indices must be of integer (or boolean) type",
        ));
    }
    index.try_astype(DType::I64)?.try_to_vec::<i64>()
}

/// `self.slice` of `range` along `axis`, every other axis whole.
fn slice_along(a: &Tensor, axis: usize, range: std::ops::Range<usize>) -> Result<Tensor> {
    let mut args: Vec<SliceArg> = (0..axis).map(|_| SliceArg::from(..)).collect();
    args.push(SliceArg::from(range));
    a.try_slice(args)
}

/// `a` gathered at `positions` along `axis` (`np.take(a, positions, axis)`).
fn take_along(a: &Tensor, axis: usize, positions: Tensor) -> Result<Tensor> {
    let mut args: Vec<SliceArg> = (0..axis).map(|_| SliceArg::from(..)).collect();
    args.push(SliceArg::Array(positions));
    a.try_slice(args)
}

/// The shape `a` would have with at least `ndim` dimensions, ones prepended (numpy's `ndmin`).
fn with_ndmin(a: &Tensor, ndim: usize) -> Result<Tensor> {
    if a.ndim() >= ndim {
        return Ok(a.clone());
    }
    let mut shape = vec![1; ndim - a.ndim()];
    shape.extend_from_slice(a.shape());
    a.try_reshape(&shape[..])
}

/// The array with at least one dimension (`np.atleast_1d`): a 0-d array becomes shape `(1,)`.
///
/// ```
/// assert_eq!(lazygrad::atleast_1d(&lazygrad::array(5)).shape(), &[1]);
/// ```
#[track_caller]
pub fn atleast_1d(a: &Tensor) -> Tensor {
    unwrap_at_caller(with_ndmin(a, 1))
}

/// The array with at least two dimensions (`np.atleast_2d`): `(n,)` becomes `(1, n)`.
///
/// ```
/// assert_eq!(lazygrad::atleast_2d(&lazygrad::arange(3)).shape(), &[1, 3]);
/// ```
#[track_caller]
pub fn atleast_2d(a: &Tensor) -> Tensor {
    unwrap_at_caller(with_ndmin(a, 2))
}

/// The array with at least three dimensions (`np.atleast_3d`): `(n,)` becomes `(1, n, 1)` and
/// `(m, n)` becomes `(m, n, 1)`.
///
/// ```
/// assert_eq!(lazygrad::atleast_3d(&lazygrad::arange(3)).shape(), &[1, 3, 1]);
/// ```
#[track_caller]
pub fn atleast_3d(a: &Tensor) -> Tensor {
    unwrap_at_caller(at_least_3d(a))
}

fn at_least_3d(a: &Tensor) -> Result<Tensor> {
    match a.ndim() {
        0 => a.try_reshape([1, 1, 1]),
        1 => a.try_reshape([1, a.size() as isize, 1]),
        2 => a.try_reshape(&[a.shape()[0], a.shape()[1], 1][..]),
        _ => Ok(a.clone()),
    }
}

/// 1-d arrays stacked as columns of a 2-d array (`np.column_stack`); 2-d arrays join as they are.
///
/// ```
/// let (a, b) = (lazygrad::array([1, 2, 3]), lazygrad::array([4, 5, 6]));
/// assert_eq!(lazygrad::column_stack(&[&a, &b]).to_vec::<i64>(), vec![1, 4, 2, 5, 3, 6]);
/// ```
#[track_caller]
pub fn column_stack(arrays: &[&Tensor]) -> Tensor {
    unwrap_at_caller(try_column_stack(arrays))
}

/// Fallible [`column_stack`]: arrays whose rows differ are an error.
#[track_caller]
pub fn try_column_stack(arrays: &[&Tensor]) -> Result<Tensor> {
    // numpy's `array(a, ndmin=2).T`: a 0-d array is (1, 1), a 1-d one a column.
    let columns = arrays
        .iter()
        .map(|a| match a.ndim() {
            0 => a.try_reshape([1, 1]),
            1 => a.try_reshape([-1, 1]),
            _ => Ok((*a).clone()),
        })
        .collect::<Result<Vec<_>>>()?;
    crate::try_concatenate(&columns.iter().collect::<Vec<_>>(), 1)
}

/// Arrays stacked along a third axis (`np.dstack`), each first made 3-d as `atleast_3d` does.
///
/// ```
/// let (a, b) = (lazygrad::array([1, 2]), lazygrad::array([3, 4]));
/// let d = lazygrad::dstack(&[&a, &b]);
/// assert_eq!((d.shape(), d.to_vec::<i64>()), (&[1usize, 2, 2][..], vec![1, 3, 2, 4]));
/// ```
#[track_caller]
pub fn dstack(arrays: &[&Tensor]) -> Tensor {
    unwrap_at_caller(try_dstack(arrays))
}

/// Fallible [`dstack`].
#[track_caller]
pub fn try_dstack(arrays: &[&Tensor]) -> Result<Tensor> {
    let planes = arrays
        .iter()
        .map(|a| at_least_3d(a))
        .collect::<Result<Vec<_>>>()?;
    crate::try_concatenate(&planes.iter().collect::<Vec<_>>(), 2)
}

/// Arrays broadcast to one shape (`np.broadcast_arrays`): views, nothing is copied.
///
/// ```
/// let (a, b) = (lazygrad::array([[1], [2]]), lazygrad::array([10, 20, 30]));
/// let both = lazygrad::broadcast_arrays(&[&a, &b]);
/// assert_eq!(both[0].to_vec::<i64>(), vec![1, 1, 1, 2, 2, 2]);
/// assert_eq!(both[1].shape(), &[2, 3]);
/// ```
#[track_caller]
pub fn broadcast_arrays(arrays: &[&Tensor]) -> Vec<Tensor> {
    unwrap_at_caller(try_broadcast_arrays(arrays))
}

/// Fallible [`broadcast_arrays`]: shapes that do not broadcast give numpy's "shape mismatch"
/// message naming the first two arguments that disagree.
#[track_caller]
pub fn try_broadcast_arrays(arrays: &[&Tensor]) -> Result<Vec<Tensor>> {
    let shape = common_shape("broadcast_arrays", arrays)?;
    arrays.iter().map(|a| a.try_broadcast_to(&shape)).collect()
}

/// The shape every array broadcasts to, or numpy's `np.broadcast` mismatch error.
fn common_shape(op: &'static str, arrays: &[&Tensor]) -> Result<Shape> {
    let mut shape = Shape::scalar();
    for (index, a) in arrays.iter().enumerate() {
        shape = match broadcast_shapes(op, &shape, a.shape_tuple()) {
            Ok(shape) => shape,
            Err(_) => {
                // The earlier argument that disagrees with this one; the accumulated shape
                // disagrees with `a`, so one of them does.
                let earlier = arrays[..index]
                    .iter()
                    .position(|b| broadcast_shapes(op, b.shape_tuple(), a.shape_tuple()).is_err())
                    .unwrap_or(0);
                return Err(invalid(
                    op,
                    format!(
                        "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg {earlier} with shape {} and arg {index} with shape {}.",
                        arrays[earlier].shape_tuple(),
                        a.shape_tuple()
                    ),
                ));
            }
        };
    }
    Ok(shape)
}

/// `values` appended to `arr` (`np.append`): with `axis` `None` both are flattened first.
///
/// ```
/// let a = lazygrad::array([[1, 2], [3, 4]]);
/// assert_eq!(lazygrad::append(&a, &lazygrad::array([5, 6]), None).to_vec::<i64>(), vec![1, 2, 3, 4, 5, 6]);
/// assert_eq!(lazygrad::append(&a, &lazygrad::array([[5, 6]]), Some(0)).shape(), &[3, 2]);
/// ```
#[track_caller]
pub fn append(arr: &Tensor, values: &Tensor, axis: Option<isize>) -> Tensor {
    unwrap_at_caller(try_append(arr, values, axis))
}

/// Fallible [`append`]: with an axis, the arrays must match as `concatenate` requires.
#[track_caller]
pub fn try_append(arr: &Tensor, values: &Tensor, axis: Option<isize>) -> Result<Tensor> {
    match axis {
        None => crate::try_concatenate(&[&arr.try_reshape([-1])?, &values.try_reshape([-1])?], 0),
        Some(axis) => crate::try_concatenate(&[arr, values], axis),
    }
}

/// An index argument of `insert` and `delete`, resolved against an axis of `len` elements.
enum Obj {
    /// One integer: numpy's scalar path (for `insert`, `values` keep their own extent).
    Scalar(isize),
    /// A list of integers from a range or an index array, not yet bounds-checked.
    List(Vec<i64>),
    /// A boolean mask (checked by the caller).
    Mask(Vec<bool>, Shape),
}

fn resolve_obj(op: &'static str, obj: SliceArg, len: usize) -> Result<Obj> {
    Ok(match obj {
        SliceArg::Index(index) => Obj::Scalar(index),
        SliceArg::Range { start, stop, step } => {
            let (start, count, step) = resolve_range(start, stop, step, len)?;
            // Every position lies inside the axis, whose length fits `isize`.
            Obj::List(
                (0..count)
                    .map(|i| (start as isize + i as isize * step) as i64)
                    .collect(),
            )
        }
        SliceArg::Array(index) if index.dtype() == DType::Bool => {
            Obj::Mask(index.try_to_vec::<bool>()?, index.shape_tuple().clone())
        }
        SliceArg::Array(index) => {
            let values = index_values(op, &index)?;
            if index.ndim() == 0 {
                // A 0-d array behaves as the integer it holds (isize is i64 here).
                Obj::Scalar(values[0] as isize)
            } else if index.ndim() > 1 && op == "insert" {
                return Err(invalid(
                    op,
                    "index array argument obj to insert must be one dimensional or scalar",
                ));
            } else {
                Obj::List(values)
            }
        }
        SliceArg::NewAxis | SliceArg::Ellipsis => {
            return Err(invalid(
                op,
                "obj must be an integer, a range or an index array",
            ));
        }
    })
}

/// `arr` flattened when `axis` is `None`, with the axis resolved (`np.insert`/`np.delete`).
fn along_axis(op: &'static str, arr: &Tensor, axis: Option<isize>) -> Result<(Tensor, usize)> {
    match axis {
        None => Ok((arr.try_reshape([-1])?, 0)),
        Some(axis) => Ok((arr.clone(), normalize_axis(op, axis, arr.ndim())?)),
    }
}

/// `arr` with the entries at `obj` along `axis` removed (`np.delete`); `None` flattens first.
///
/// `obj` is an integer, a range (`1..3`, `SliceArg::from(..).step_by(2)`) or an integer or
/// boolean index array; an index array is read when the node is built, since it decides the
/// result's shape.
///
/// ```
/// use lazygrad::{array, delete};
/// let a = array([[1, 2, 3], [4, 5, 6]]);
/// assert_eq!(delete(&a, 1, Some(1)).to_vec::<i64>(), vec![1, 3, 4, 6]);
/// assert_eq!(delete(&a, 1..5, None).to_vec::<i64>(), vec![1, 6]);
/// assert_eq!(delete(&a, &array([0, -1]), None).to_vec::<i64>(), vec![2, 3, 4, 5]);
/// ```
#[track_caller]
pub fn delete(arr: &Tensor, obj: impl Into<SliceArg>, axis: Option<isize>) -> Tensor {
    unwrap_at_caller(try_delete(arr, obj, axis))
}

/// Fallible [`delete`]: an index out of bounds, a float index array and a mask whose length is
/// not the axis's are numpy's errors.
#[track_caller]
pub fn try_delete(arr: &Tensor, obj: impl Into<SliceArg>, axis: Option<isize>) -> Result<Tensor> {
    let op = "delete";
    let (arr, axis) = along_axis(op, arr, axis)?;
    let len = arr.shape()[axis];
    let out_of_bounds = |index: i64| Error::Index {
        op,
        index: index as isize,
        axis,
        size: len,
    };
    // The flags are as many as the axis's entries, which may be a huge broadcast.
    let mut keep = huge_page_vec(op, len, std::iter::repeat(true))?;
    match resolve_obj(op, obj.into(), len)? {
        Obj::Scalar(index) => {
            let resolved = if index < 0 {
                index.checked_add(len as isize)
            } else {
                Some(index)
            };
            match resolved {
                Some(i) if (0..len as isize).contains(&i) => keep[i as usize] = false,
                _ => return Err(out_of_bounds(index as i64)),
            }
        }
        Obj::List(indices) => {
            for index in indices {
                let resolved = if index < 0 { index + len as i64 } else { index };
                if !(0..len as i64).contains(&resolved) {
                    return Err(out_of_bounds(index));
                }
                keep[resolved as usize] = false;
            }
        }
        Obj::Mask(mask, shape) => {
            if shape.as_ref() != [len] {
                return Err(invalid(
                    op,
                    format!(
                        "boolean array argument obj to delete must be one dimensional and match the axis length of {len}"
                    ),
                ));
            }
            keep.iter_mut().zip(mask).for_each(|(k, m)| *k = !m);
        }
    }
    if keep.iter().all(|&k| k) {
        return Ok(arr);
    }
    let kept = keep.iter().filter(|&&k| k).count();
    let positions = keep
        .iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| i as i64);
    take_along(&arr, axis, positions_tensor(op, kept, positions)?)
}

/// `values` inserted into `arr` before the positions `obj` along `axis` (`np.insert`); `None`
/// flattens `arr` first. Values are cast to `arr`'s dtype and broadcast as numpy does.
///
/// `obj` is an integer, a range or a 1-d integer or boolean index array; several positions take
/// one value each, in the order given (positions refer to `arr` before the insertion).
///
/// ```
/// use lazygrad::{array, insert};
/// let a = array([[1, 2], [3, 4]]);
/// assert_eq!(insert(&a, 1, 9, Some(1)).to_vec::<i64>(), vec![1, 9, 2, 3, 9, 4]);
/// let b = array([1, 2, 3]);
/// assert_eq!(insert(&b, &array([2, 0]), &array([7, 8]), None).to_vec::<i64>(), vec![8, 1, 2, 7, 3]);
/// ```
#[track_caller]
pub fn insert(
    arr: &Tensor,
    obj: impl Into<SliceArg>,
    values: impl IntoOperand,
    axis: Option<isize>,
) -> Tensor {
    unwrap_at_caller(try_insert(arr, obj, values, axis))
}

/// Fallible [`insert`]: an index outside `[-n, n]`, values that do not broadcast into the new
/// slots and a literal that does not fit the dtype are errors.
#[track_caller]
pub fn try_insert(
    arr: &Tensor,
    obj: impl Into<SliceArg>,
    values: impl IntoOperand,
    axis: Option<isize>,
) -> Result<Tensor> {
    let op = "insert";
    let (arr, axis) = along_axis(op, arr, axis)?;
    let len = arr.shape()[axis];
    let values = operand_tensor(op, values, arr.dtype())?.try_astype(arr.dtype())?;
    let values = with_ndmin(&values, arr.ndim())?;
    let obj = resolve_obj(op, obj.into(), len)?;
    let in_bounds = |index: i64| -> Result<usize> {
        let resolved = if index < 0 { index + len as i64 } else { index };
        if (0..=len as i64).contains(&resolved) {
            Ok(resolved as usize)
        } else {
            Err(Error::Index {
                op,
                index: index as isize,
                axis,
                size: len,
            })
        }
    };
    let indices = match obj {
        Obj::Scalar(index) => {
            // numpy's scalar path moves the values' first axis to `axis`, so they keep their
            // own extent there: `insert(a, 1, [1, 2, 3], axis=1)` inserts one column.
            let index = in_bounds(index as i64)?;
            let values = values.try_moveaxis(0, axis as isize)?;
            return insert_block(&arr, axis, index, &values);
        }
        Obj::List(indices) => indices,
        Obj::Mask(mask, shape) => {
            if shape.ndim() != 1 {
                return Err(invalid(
                    op,
                    "boolean array argument obj to insert must be one dimensional",
                ));
            }
            mask.iter()
                .enumerate()
                .filter(|(_, m)| **m)
                .map(|(i, _)| i as i64)
                .collect()
        }
    };
    let indices = indices
        .into_iter()
        .map(in_bounds)
        .collect::<Result<Vec<_>>>()?;
    if let [index] = indices[..] {
        // A one-element list inserts every value at one place, without moving axes.
        return insert_block(&arr, axis, index, &values);
    }
    let mut slots = arr.shape().to_vec();
    slots[axis] = indices.len();
    let values = values.try_broadcast_to(&Shape::from(slots))?;
    // Value k lands at its index plus the number of values placed before it, in stable sorted
    // order (numpy's `indices[order] += arange(numnew)`).
    let mut order: Vec<usize> = (0..indices.len()).collect();
    order.sort_by_key(|&k| indices[k]);
    let total = len + indices.len();
    let mut source = huge_page_vec(op, total, std::iter::repeat(None))?;
    for (rank, &k) in order.iter().enumerate() {
        source[indices[k] + rank] = Some(len + k);
    }
    let mut old = 0..len;
    let positions = source.iter().map(|slot| match slot {
        Some(value) => *value as i64,
        // The slots no value took hold the old entries, in order; there are exactly `len`.
        None => old.next().unwrap_or(0) as i64,
    });
    let positions = positions_tensor(op, total, positions)?;
    let joined = crate::try_concatenate(&[&arr, &values], axis as isize)?;
    take_along(&joined, axis, positions)
}

/// `values` (already `arr`'s rank) inserted as one block before `index` along `axis`.
fn insert_block(arr: &Tensor, axis: usize, index: usize, values: &Tensor) -> Result<Tensor> {
    let mut slots = arr.shape().to_vec();
    slots[axis] = values.shape().get(axis).copied().unwrap_or(1);
    let values = values.try_broadcast_to(&Shape::from(slots))?;
    let len = arr.shape()[axis];
    let before = slice_along(arr, axis, 0..index)?;
    let after = slice_along(arr, axis, index..len)?;
    crate::try_concatenate(&[&before, &values, &after], axis as isize)
}

/// The coordinate arrays of flat indices into an array of `shape` (`np.unravel_index`), one
/// int64 array per axis, each of the indices' shape. Reads `indices` to check its bounds.
///
/// ```
/// let coords = lazygrad::unravel_index(&lazygrad::array([22, 41, 37]), [7, 6]);
/// assert_eq!(coords[0].to_vec::<i64>(), vec![3, 6, 6]);
/// assert_eq!(coords[1].to_vec::<i64>(), vec![4, 5, 1]);
/// ```
#[track_caller]
pub fn unravel_index(indices: &Tensor, shape: impl IntoShape) -> Vec<Tensor> {
    unwrap_at_caller(try_unravel_index(indices, shape))
}

/// Fallible [`unravel_index`]: a float index and an index outside the array ("index 10 is out
/// of bounds for array with size 6") are numpy's errors.
#[track_caller]
pub fn try_unravel_index(indices: &Tensor, shape: impl IntoShape) -> Result<Vec<Tensor>> {
    let op = "unravel_index";
    let shape = shape.into_shape();
    shape.check_size(op, DType::I64)?;
    if indices.dtype().kind() != Kind::Int {
        return Err(invalid(op, "only int indices permitted"));
    }
    let flat = indices.try_astype(DType::I64)?;
    let size = shape.size() as i64;
    if let Some(bad) = flat
        .try_to_vec::<i64>()?
        .into_iter()
        .find(|&i| !(0..size).contains(&i))
    {
        return Err(invalid(
            op,
            format!("index {bad} is out of bounds for array with size {size}"),
        ));
    }
    let strides = shape.contiguous_strides();
    shape
        .iter()
        .zip(strides.iter())
        .map(|(&dim, &stride)| {
            // Every index is inside the array, so dividing by the stride and taking the
            // remainder by the extent stays in int64 and never divides by zero.
            flat.try_floor_divide(stride as i64)?
                .try_remainder(dim.max(1) as i64)
        })
        .collect()
}

/// Flat indices of the coordinates `multi_index` into an array of `dims` (`np.ravel_multi_index`,
/// `mode='raise'`, C order): int64 of the coordinates' broadcast shape. Reads the coordinates.
///
/// ```
/// use lazygrad::{array, ravel_multi_index};
/// let flat = ravel_multi_index(&[&array([3, 6, 6]), &array([4, 5, 1])], [7, 6]);
/// assert_eq!(flat.to_vec::<i64>(), vec![22, 41, 37]);
/// ```
#[track_caller]
pub fn ravel_multi_index(multi_index: &[&Tensor], dims: impl IntoShape) -> Tensor {
    unwrap_at_caller(try_ravel_multi_index(multi_index, dims))
}

/// Fallible [`ravel_multi_index`]: a coordinate outside its axis is numpy's "invalid entry in
/// coordinates array", and a wrong number of coordinate arrays an error too.
#[track_caller]
pub fn try_ravel_multi_index(multi_index: &[&Tensor], dims: impl IntoShape) -> Result<Tensor> {
    let op = "ravel_multi_index";
    let dims = dims.into_shape();
    if dims.check_size(op, DType::I64).is_err() {
        return Err(invalid(
            op,
            "invalid dims: array size defined by dims is larger than the maximum possible size.",
        ));
    }
    if multi_index.len() != dims.ndim() {
        return Err(invalid(
            op,
            format!(
                "parameter multi_index must be a sequence of length {}",
                dims.ndim()
            ),
        ));
    }
    if multi_index.iter().any(|c| c.dtype().kind() != Kind::Int) {
        return Err(invalid(op, "only int indices permitted"));
    }
    let shape = common_shape(op, multi_index)?;
    let strides = dims.contiguous_strides();
    let mut flat = Tensor::full_dtype(&shape, 0, DType::I64);
    for ((coords, &dim), &stride) in multi_index.iter().zip(dims.iter()).zip(strides.iter()) {
        let coords = coords.try_astype(DType::I64)?;
        if coords
            .try_to_vec::<i64>()?
            .iter()
            .any(|&c| !(0..dim as i64).contains(&c))
        {
            return Err(invalid(op, "invalid entry in coordinates array"));
        }
        // Each coordinate is below its extent, so the sum stays below the checked size.
        flat = flat.try_add(&coords.try_multiply(stride as i64)?)?;
    }
    Ok(flat)
}

impl Tensor {
    /// Positions of the nonzero elements of the flattened array (`np.flatnonzero`); this
    /// computes `self`, since the result's length depends on its data.
    ///
    /// ```
    /// let a = lazygrad::array([[0, 3], [4, 0]]);
    /// assert_eq!(a.flatnonzero().to_vec::<i64>(), vec![1, 2]);
    /// ```
    #[track_caller]
    pub fn flatnonzero(&self) -> Tensor {
        unwrap_at_caller(self.try_flatnonzero())
    }

    /// Fallible [`Tensor::flatnonzero`]: errors only when computing `self` fails.
    #[track_caller]
    pub fn try_flatnonzero(&self) -> Result<Tensor> {
        let mut positions = self.try_reshape([-1])?.try_nonzero()?;
        Ok(positions.remove(0))
    }

    /// The elements shifted by `shift` along `axis`, wrapping around (`np.roll`); `None` rolls
    /// the flattened array and restores the shape.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2, 3], [4, 5, 6]]);
    /// assert_eq!(a.roll(1, None).to_vec::<i64>(), vec![6, 1, 2, 3, 4, 5]);
    /// assert_eq!(a.roll(-1, Some(1)).to_vec::<i64>(), vec![2, 3, 1, 5, 6, 4]);
    /// ```
    #[track_caller]
    pub fn roll(&self, shift: isize, axis: Option<isize>) -> Tensor {
        unwrap_at_caller(self.try_roll(shift, axis))
    }

    /// Fallible [`Tensor::roll`]: an axis out of range is an error.
    #[track_caller]
    pub fn try_roll(&self, shift: isize, axis: Option<isize>) -> Result<Tensor> {
        match axis {
            None => self
                .try_reshape([-1])?
                .try_roll_axes(&[shift], &[0])?
                .try_reshape(self.shape_tuple()),
            Some(axis) => self.try_roll_axes(&[shift], &[axis]),
        }
    }

    /// The elements rolled along several axes at once (`np.roll(a, shifts, axes)`): `shifts`
    /// and `axes` broadcast against each other, and shifts of a repeated axis add up.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2, 3], [4, 5, 6]]);
    /// assert_eq!(a.roll_axes(&[1, 1], &[0, 1]).to_vec::<i64>(), vec![6, 4, 5, 3, 1, 2]);
    /// assert_eq!(a.roll_axes(&[1], &[1, 1]).to_vec::<i64>(), vec![2, 3, 1, 5, 6, 4]);
    /// ```
    #[track_caller]
    pub fn roll_axes(&self, shifts: &[isize], axes: &[isize]) -> Tensor {
        unwrap_at_caller(self.try_roll_axes(shifts, axes))
    }

    /// Fallible [`Tensor::roll_axes`]: lists that do not broadcast and axes out of range are
    /// errors.
    #[track_caller]
    pub fn try_roll_axes(&self, shifts: &[isize], axes: &[isize]) -> Result<Tensor> {
        let op = "roll";
        let count = match (shifts.len(), axes.len()) {
            (s, a) if s == a || a == 1 => s,
            (1, a) => a,
            (s, a) => {
                return Err(invalid(
                    op,
                    format!(
                        "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape ({s},) and arg 1 with shape ({a},)."
                    ),
                ));
            }
        };
        // Shifts of one axis add up modulo its extent, so the total never overflows.
        let mut totals = vec![0usize; self.ndim()];
        for i in 0..count {
            let shift = shifts[if shifts.len() == 1 { 0 } else { i }];
            let axis = normalize_axis(op, axes[if axes.len() == 1 { 0 } else { i }], self.ndim())?;
            let dim = self.shape()[axis];
            if dim > 0 {
                let step = shift.rem_euclid(dim as isize) as usize;
                totals[axis] = (totals[axis] + step) % dim;
            }
        }
        let mut res = self.clone();
        for (axis, &shift) in totals.iter().enumerate() {
            if shift == 0 {
                continue;
            }
            let dim = self.shape()[axis];
            let tail = slice_along(&res, axis, dim - shift..dim)?;
            let head = slice_along(&res, axis, 0..dim - shift)?;
            res = crate::try_concatenate(&[&tail, &head], axis as isize)?;
        }
        Ok(res)
    }

    /// The array rotated by 90 degrees `k` times in the plane of `axes`, from the first axis
    /// toward the second (`np.rot90(a, k, axes)`; numpy's default axes are `[0, 1]`): a view.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.rot90(1, [0, 1]).to_vec::<i64>(), vec![2, 4, 1, 3]);
    /// assert_eq!(a.rot90(-1, [0, 1]).to_vec::<i64>(), vec![3, 1, 4, 2]);
    /// ```
    #[track_caller]
    pub fn rot90(&self, k: isize, axes: [isize; 2]) -> Tensor {
        unwrap_at_caller(self.try_rot90(k, axes))
    }

    /// Fallible [`Tensor::rot90`]: equal axes ("Axes must be different.") and axes out of range
    /// are numpy's errors.
    #[track_caller]
    pub fn try_rot90(&self, k: isize, axes: [isize; 2]) -> Result<Tensor> {
        let op = "rot90";
        let ndim = self.ndim() as isize;
        let [a0, a1] = axes;
        if a0 == a1 || a0.abs_diff(a1) == self.ndim() {
            return Err(invalid(op, "Axes must be different."));
        }
        if [a0, a1].iter().any(|&a| a >= ndim || a < -ndim) {
            return Err(invalid(
                op,
                format!("Axes=({a0}, {a1}) out of range for array of ndim={ndim}."),
            ));
        }
        let (a0, a1) = (
            normalize_axis(op, a0, self.ndim())?,
            normalize_axis(op, a1, self.ndim())?,
        );
        let mut swapped: Vec<isize> = (0..ndim).collect();
        swapped.swap(a0, a1);
        let flip = |t: &Tensor, axis: usize| {
            let mut args: Vec<SliceArg> = (0..axis).map(|_| SliceArg::from(..)).collect();
            args.push(SliceArg::from(..).step_by(-1));
            t.try_slice(args)
        };
        match k.rem_euclid(4) {
            0 => Ok(self.clone()),
            2 => flip(&flip(self, a0)?, a1),
            1 => flip(self, a1)?.try_permute(&swapped),
            _ => flip(&self.try_permute(&swapped)?, a1),
        }
    }

    /// Axes moved to new positions, the others keeping their order (`np.moveaxis`); one axis
    /// (`a.moveaxis(0, -1)`) or several (`a.moveaxis([0, 1], [-1, -2])`). A view.
    ///
    /// ```
    /// let a = lazygrad::zeros([3, 4, 5]);
    /// assert_eq!(a.moveaxis(0, -1).shape(), &[4, 5, 3]);
    /// assert_eq!(a.moveaxis([0, 1], [-1, -2]).shape(), &[5, 4, 3]);
    /// ```
    #[track_caller]
    pub fn moveaxis(&self, source: impl IntoAxes, destination: impl IntoAxes) -> Tensor {
        unwrap_at_caller(self.try_moveaxis(source, destination))
    }

    /// Fallible [`Tensor::moveaxis`]: repeated axes, axes out of range and lists of different
    /// lengths are numpy's errors.
    #[track_caller]
    pub fn try_moveaxis(
        &self,
        source: impl IntoAxes,
        destination: impl IntoAxes,
    ) -> Result<Tensor> {
        let op = "moveaxis";
        let ndim = self.ndim();
        let normalize = |axes: Vec<isize>, name: &str| -> Result<Vec<usize>> {
            let resolved = axes
                .iter()
                .map(|&axis| {
                    normalize_axis(op, axis, ndim).map_err(|_| {
                        invalid(
                            op,
                            format!(
                                "{name}: axis {axis} is out of bounds for array of dimension {ndim}"
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let mut sorted = resolved.clone();
            sorted.sort_unstable();
            if sorted.windows(2).any(|pair| pair[0] == pair[1]) {
                return Err(invalid(op, format!("repeated axis in `{name}` argument")));
            }
            Ok(resolved)
        };
        let source = normalize(source.into_axes(), "source")?;
        let destination = normalize(destination.into_axes(), "destination")?;
        if source.len() != destination.len() {
            return Err(invalid(
                op,
                "`source` and `destination` arguments must have the same number of elements",
            ));
        }
        let mut order: Vec<usize> = (0..ndim).filter(|a| !source.contains(a)).collect();
        let mut pairs: Vec<(usize, usize)> = destination.into_iter().zip(source).collect();
        pairs.sort_unstable();
        for (dest, src) in pairs {
            order.insert(dest, src);
        }
        let perm: Vec<isize> = order.iter().map(|&a| a as isize).collect();
        self.try_permute(&perm)
    }

    /// Each element repeated by its own count along `axis` (`np.repeat(a, counts, axis)`); one
    /// count applies to every element, and `None` flattens first. Reads `counts`, which decides
    /// the result's length.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// let counts = lazygrad::array([1, 2]);
    /// assert_eq!(a.repeat_counts(&counts, Some(0)).to_vec::<i64>(), vec![1, 2, 3, 4, 3, 4]);
    /// assert_eq!(a.repeat_counts(&lazygrad::array([0, 1, 0, 2]), None).to_vec::<i64>(), vec![2, 4, 4]);
    /// ```
    #[track_caller]
    pub fn repeat_counts(&self, counts: &Tensor, axis: Option<isize>) -> Tensor {
        unwrap_at_caller(self.try_repeat_counts(counts, axis))
    }

    /// Fallible [`Tensor::repeat_counts`]: negative counts, a float or multi-dimensional
    /// `counts`, counts that do not broadcast to the axis and a result too big are errors.
    #[track_caller]
    pub fn try_repeat_counts(&self, counts: &Tensor, axis: Option<isize>) -> Result<Tensor> {
        let op = "repeat";
        if counts.dtype().kind() != Kind::Int && counts.dtype() != DType::Bool {
            return Err(invalid(
                op,
                format!(
                    "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'",
                    counts.dtype()
                ),
            ));
        }
        if counts.ndim() > 1 {
            return Err(invalid(op, "repeats must be a scalar or a 1-d array"));
        }
        let (input, axis) = along_axis(op, self, axis)?;
        let values = counts.try_astype(DType::I64)?.try_to_vec::<i64>()?;
        if values.iter().any(|&c| c < 0) {
            return Err(invalid(op, "repeats may not contain negative values."));
        }
        let dim = input.shape()[axis];
        if let [count] = values[..] {
            // One count repeats every element alike: a broadcast, no gather.
            return crate::join::repeat_each(&input, count as usize, axis);
        }
        if values.len() != dim {
            return Err(invalid(
                op,
                format!(
                    "operands could not be broadcast together with shape ({dim},) ({},)",
                    values.len()
                ),
            ));
        }
        let total = values
            .iter()
            .try_fold(0usize, |sum, &c| sum.checked_add(c as usize))
            .ok_or_else(|| Error::TooBig {
                op,
                shape: vec![usize::MAX],
                dtype: input.dtype(),
            })?;
        let mut merged = input.shape().to_vec();
        merged[axis] = total;
        Shape::from(merged).check_size(op, input.dtype())?;
        let positions = values
            .iter()
            .enumerate()
            .flat_map(|(i, &c)| std::iter::repeat_n(i as i64, c as usize));
        take_along(&input, axis, positions_tensor(op, total, positions)?)
    }

    /// Parts along `axis` as equal as possible (`np.array_split(a, sections, axis)`): the first
    /// `len % sections` parts have one element more.
    ///
    /// ```
    /// let parts = lazygrad::arange(7).array_split(3, 0);
    /// assert_eq!(parts.iter().map(|p| p.size()).collect::<Vec<_>>(), vec![3, 2, 2]);
    /// ```
    #[track_caller]
    pub fn array_split(&self, sections: usize, axis: isize) -> Vec<Tensor> {
        unwrap_at_caller(self.try_array_split(sections, axis))
    }

    /// Fallible [`Tensor::array_split`]: zero sections ("number sections must be larger than
    /// 0.") and an axis out of range are errors.
    #[track_caller]
    pub fn try_array_split(&self, sections: usize, axis: isize) -> Result<Vec<Tensor>> {
        let op = "array_split";
        if sections == 0 {
            return Err(invalid(op, "number sections must be larger than 0."));
        }
        let axis = normalize_axis(op, axis, self.ndim())?;
        let dim = self.shape()[axis];
        let (each, extras) = (dim / sections, dim % sections);
        // numpy builds a list of `sections` arrays however many are empty; the list is reserved
        // fallibly so that an absurd count is an error, not an abort.
        let mut parts = Vec::new();
        parts
            .try_reserve_exact(sections)
            .map_err(|_| Error::OutOfMemory {
                op,
                bytes: sections.saturating_mul(std::mem::size_of::<Tensor>()),
            })?;
        // The parts' sizes sum to `dim`, so every bound stays inside the axis.
        let mut start = 0;
        for i in 0..sections {
            let end = start + each + usize::from(i < extras);
            parts.push(slice_along(self, axis, start..end)?);
            start = end;
        }
        Ok(parts)
    }

    /// Equal parts along the second axis, or the first for 1-d arrays (`np.hsplit`).
    ///
    /// ```
    /// let parts = lazygrad::arange(6).reshape([2, 3]).hsplit(3);
    /// assert_eq!(parts[1].to_vec::<i64>(), vec![1, 4]);
    /// ```
    #[track_caller]
    pub fn hsplit(&self, sections: usize) -> Vec<Tensor> {
        unwrap_at_caller(self.try_hsplit(sections))
    }

    /// Fallible [`Tensor::hsplit`]: a 0-d array and sections that do not divide the axis are
    /// numpy's errors.
    #[track_caller]
    pub fn try_hsplit(&self, sections: usize) -> Result<Vec<Tensor>> {
        if self.ndim() == 0 {
            return Err(invalid(
                "hsplit",
                "hsplit only works on arrays of 1 or more dimensions",
            ));
        }
        self.equal_split("hsplit", sections, usize::from(self.ndim() > 1))
    }

    /// Equal parts along the first axis of an array of 2 or more dimensions (`np.vsplit`).
    ///
    /// ```
    /// let parts = lazygrad::arange(6).reshape([2, 3]).vsplit(2);
    /// assert_eq!(parts[1].to_vec::<i64>(), vec![3, 4, 5]);
    /// ```
    #[track_caller]
    pub fn vsplit(&self, sections: usize) -> Vec<Tensor> {
        unwrap_at_caller(self.try_vsplit(sections))
    }

    /// Fallible [`Tensor::vsplit`]: fewer than 2 dimensions and sections that do not divide the
    /// axis are numpy's errors.
    #[track_caller]
    pub fn try_vsplit(&self, sections: usize) -> Result<Vec<Tensor>> {
        if self.ndim() < 2 {
            return Err(invalid(
                "vsplit",
                "vsplit only works on arrays of 2 or more dimensions",
            ));
        }
        self.equal_split("vsplit", sections, 0)
    }

    fn equal_split(&self, op: &'static str, sections: usize, axis: usize) -> Result<Vec<Tensor>> {
        let dim = self.shape()[axis];
        if sections == 0 || !dim.is_multiple_of(sections) {
            return Err(invalid(
                op,
                "array split does not result in an equal division",
            ));
        }
        self.try_array_split(sections, axis as isize)
    }

    /// The array with `val` written on its main diagonal (`np.fill_diagonal(a, val)`, numpy's
    /// `wrap=False`), rebinding `self` as `index_put` does. An array `val` is repeated along the
    /// diagonal, as numpy's flat assignment repeats it.
    ///
    /// ```
    /// let mut a = lazygrad::zeros([2, 3]);
    /// a.fill_diagonal(5.0);
    /// assert_eq!(a.to_vec::<f64>(), vec![5.0, 0.0, 0.0, 0.0, 5.0, 0.0]);
    /// ```
    #[track_caller]
    pub fn fill_diagonal(&mut self, val: impl IntoOperand) {
        *self = unwrap_at_caller(self.try_fill_diagonal(val));
    }

    /// Fallible, non-mutating [`Tensor::fill_diagonal`]: returns the new value. Fewer than two
    /// dimensions, unequal extents beyond two dimensions and a literal that does not fit the
    /// dtype are errors; an empty `val` writes nothing, as in numpy.
    #[track_caller]
    pub fn try_fill_diagonal(&self, val: impl IntoOperand) -> Result<Tensor> {
        let op = "fill_diagonal";
        if self.ndim() < 2 {
            return Err(invalid(op, "array must be at least 2-d"));
        }
        if self.ndim() > 2 && self.shape().iter().any(|&d| d != self.shape()[0]) {
            return Err(invalid(
                op,
                "All dimensions of input must be of equal length",
            ));
        }
        let len = self.shape().iter().copied().min().unwrap_or(0);
        let diagonal = positions_tensor(op, len, 0..len as i64)?;
        let args: Vec<SliceArg> = (0..self.ndim())
            .map(|_| SliceArg::Array(diagonal.clone()))
            .collect();
        match val.into_operand() {
            Operand::Tensor(val) => {
                if val.size() == 0 {
                    // numpy's flat assignment of no values writes nothing.
                    return Ok(self.clone());
                }
                let copies = len.div_ceil(val.size());
                let cycled = val
                    .try_reshape([1, -1])?
                    .try_broadcast_to(&Shape::new(&[copies, val.size()]))?
                    .try_reshape([-1])?;
                let cycled = slice_along(&cycled, 0, 0..len)?;
                self.try_index_put(args, &cycled)
            }
            weak => self.try_index_put(args, weak),
        }
    }
}

/// Elements picked from `choices` by the index array `a` (`np.choose(a, choices)`, numpy's
/// `mode='raise'`): all arrays broadcast together, and `a` is read to check its range.
///
/// ```
/// use lazygrad::{array, choose};
/// let (c0, c1) = (array([10, 11, 12]), array([20, 21, 22]));
/// assert_eq!(choose(&array([1, 0, 1]), &[&c0, &c1]).to_vec::<i64>(), vec![20, 11, 22]);
/// ```
#[track_caller]
pub fn choose(a: &Tensor, choices: &[&Tensor]) -> Tensor {
    unwrap_at_caller(try_choose(a, choices))
}

/// Fallible [`choose`]: an index outside `[0, len(choices))` is numpy's "invalid entry in choice
/// array"; a float `a`, no choices and shapes that do not broadcast are errors too.
#[track_caller]
pub fn try_choose(a: &Tensor, choices: &[&Tensor]) -> Result<Tensor> {
    let op = "choose";
    if a.dtype().kind() != Kind::Int && a.dtype() != DType::Bool {
        return Err(invalid(
            op,
            format!(
                "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'",
                a.dtype()
            ),
        ));
    }
    let Some(first) = choices.first() else {
        return Err(invalid(op, "choices must not be empty"));
    };
    let mut all = vec![a];
    all.extend_from_slice(choices);
    let shape = common_shape(op, &all)?;
    let index = a.try_astype(DType::I64)?;
    if index
        .try_to_vec::<i64>()?
        .iter()
        .any(|&i| !(0..choices.len() as i64).contains(&i))
    {
        return Err(invalid(op, "invalid entry in choice array"));
    }
    let dtype = choices
        .iter()
        .fold(first.dtype(), |d, c| d.promote(c.dtype()));
    let stacked = choices
        .iter()
        .map(|c| c.try_astype(dtype)?.try_broadcast_to(&shape))
        .collect::<Result<Vec<_>>>()?;
    let stacked = crate::try_stack(&stacked.iter().collect::<Vec<_>>(), 0)?;
    let index = index.try_broadcast_to(&shape)?.try_reshape(
        &std::iter::once(1)
            .chain(shape.iter().copied())
            .collect::<Vec<_>>()[..],
    )?;
    stacked.try_take_along_axis(&index, 0)?.try_reshape(&shape)
}

/// For each element, the value of the first choice whose condition holds, else `default`
/// (`np.select(condlist, choicelist, default)`). Built from `where_`, so it stays lazy.
///
/// ```
/// use lazygrad::{arange, select};
/// let x = arange(6);
/// let picked = select(&[&x.lt(3), &x.gt(4)], &[&x, &(&x * 10)], -1);
/// assert_eq!(picked.to_vec::<i64>(), vec![0, 1, 2, -1, -1, 50]);
/// ```
#[track_caller]
pub fn select(condlist: &[&Tensor], choicelist: &[&Tensor], default: impl IntoOperand) -> Tensor {
    unwrap_at_caller(try_select(condlist, choicelist, default))
}

/// Fallible [`select`]: lists of different lengths, an empty list and a condition that is not
/// boolean are numpy's errors.
#[track_caller]
pub fn try_select(
    condlist: &[&Tensor],
    choicelist: &[&Tensor],
    default: impl IntoOperand,
) -> Result<Tensor> {
    let op = "select";
    if condlist.len() != choicelist.len() {
        return Err(invalid(
            op,
            "list of cases must be same length as list of conditions",
        ));
    }
    if condlist.is_empty() {
        return Err(invalid(
            op,
            "select with an empty condition list is not possible",
        ));
    }
    if let Some(bad) = condlist.iter().position(|c| c.dtype() != DType::Bool) {
        return Err(invalid(
            op,
            format!("invalid entry {bad} in condlist: should be boolean ndarray"),
        ));
    }
    // numpy takes the result dtype of every choice and the default together; promoting them
    // first keeps a later choice from changing an earlier one's dtype along the chain.
    let default = match default.into_operand() {
        Operand::Tensor(t) => t,
        Operand::Weak(w) => {
            let dtype = choicelist
                .iter()
                .fold(choicelist[0].dtype(), |d, c| d.promote(c.dtype()))
                .promote_weak(w.kind());
            operand_tensor(op, Operand::Weak(w), dtype)?
        }
    };
    let dtype = choicelist
        .iter()
        .fold(default.dtype(), |d, c| d.promote(c.dtype()));
    let mut res = default.try_astype(dtype)?;
    // Applied from the last condition to the first, so the first that holds wins.
    for (cond, choice) in condlist.iter().zip(choicelist).rev() {
        res = crate::try_where(cond, &choice.try_astype(dtype)?, &res)?;
    }
    Ok(res)
}

/// The row and column indices of the lower triangle of an `(n, m)` array, at or below diagonal
/// `k` (`np.tril_indices(n, k, m)`; `m` defaults to `n`), as int64 arrays in C order.
///
/// ```
/// let (rows, cols) = lazygrad::tril_indices(3, 0, None);
/// assert_eq!(rows.to_vec::<i64>(), vec![0, 1, 1, 2, 2, 2]);
/// assert_eq!(cols.to_vec::<i64>(), vec![0, 0, 1, 0, 1, 2]);
/// ```
#[track_caller]
pub fn tril_indices(n: usize, k: isize, m: Option<usize>) -> (Tensor, Tensor) {
    unwrap_at_caller(try_tril_indices(n, k, m))
}

/// Fallible [`tril_indices`]: a grid too big to address or to allocate is an error.
#[track_caller]
pub fn try_tril_indices(n: usize, k: isize, m: Option<usize>) -> Result<(Tensor, Tensor)> {
    triangle_indices("tril_indices", n, k, m, true)
}

/// The row and column indices of the upper triangle of an `(n, m)` array, at or above diagonal
/// `k` (`np.triu_indices(n, k, m)`; `m` defaults to `n`), as int64 arrays in C order.
///
/// ```
/// let (rows, cols) = lazygrad::triu_indices(3, 1, None);
/// assert_eq!(rows.to_vec::<i64>(), vec![0, 0, 1]);
/// assert_eq!(cols.to_vec::<i64>(), vec![1, 2, 2]);
/// ```
#[track_caller]
pub fn triu_indices(n: usize, k: isize, m: Option<usize>) -> (Tensor, Tensor) {
    unwrap_at_caller(try_triu_indices(n, k, m))
}

/// Fallible [`triu_indices`]: a grid too big to address or to allocate is an error.
#[track_caller]
pub fn try_triu_indices(n: usize, k: isize, m: Option<usize>) -> Result<(Tensor, Tensor)> {
    triangle_indices("triu_indices", n, k, m, false)
}

/// The nonzero positions of the `(n, m)` triangle mask `col - row <= k` (lower) or `>= k`.
fn triangle_indices(
    op: &'static str,
    n: usize,
    k: isize,
    m: Option<usize>,
    lower: bool,
) -> Result<(Tensor, Tensor)> {
    let m = m.unwrap_or(n);
    let grid = Shape::new(&[n, m]);
    grid.check_size(op, DType::I64)?;
    if grid.size() == 0 {
        let empty = || Tensor::from_data(Vec::<i64>::new(), Shape::new(&[0]));
        return Ok((empty(), empty()));
    }
    // A nonempty checked grid has both extents below `isize::MAX`, so they fit int64.
    let rows = positions_tensor(op, n, 0..n as i64)?.try_reshape([-1, 1])?;
    let cols = positions_tensor(op, m, 0..m as i64)?.try_reshape([1, -1])?;
    let offset = cols.try_subtract(&rows)?;
    let mask = if lower {
        offset.try_less_equal(k as i64)?
    } else {
        offset.try_greater_equal(k as i64)?
    };
    let mut found = mask.try_nonzero()?;
    let cols = found.pop();
    let rows = found.pop();
    match (rows, cols) {
        (Some(rows), Some(cols)) => Ok((rows, cols)),
        _ => Err(Error::Internal(
            "nonzero of a 2-d mask gives two arrays".into(),
        )),
    }
}

/// The indices of the main diagonal of an `ndim`-dimensional array of extent `n`
/// (`np.diag_indices(n, ndim)`): `ndim` copies of `arange(n)`.
///
/// ```
/// let mut a = lazygrad::zeros([3, 3]);
/// let diagonal = lazygrad::diag_indices(3, 2);
/// a.index_put(lazygrad::s![&diagonal[0], &diagonal[1]], 1.0);
/// assert_eq!(a.to_vec::<f64>(), lazygrad::eye(3).to_vec::<f64>());
/// ```
#[track_caller]
pub fn diag_indices(n: usize, ndim: usize) -> Vec<Tensor> {
    unwrap_at_caller(try_diag_indices(n, ndim))
}

/// Fallible [`diag_indices`]: an `n` too big to address is an error.
#[track_caller]
pub fn try_diag_indices(n: usize, ndim: usize) -> Result<Vec<Tensor>> {
    // `positions_tensor` checks `n` against the address space before reading the range, so
    // `n as i64` is exact whenever the range is used.
    let op = "diag_indices";
    let diagonal = positions_tensor(op, n, 0..n as i64)?;
    let mut res = Vec::new();
    res.try_reserve_exact(ndim)
        .map_err(|_| Error::OutOfMemory {
            op,
            bytes: ndim.saturating_mul(std::mem::size_of::<Tensor>()),
        })?;
    res.resize(ndim, diagonal);
    Ok(res)
}

/// Open-mesh index arrays (`np.ix_`): the `i`-th 1-d sequence is shaped to run along axis `i`
/// of `len(arrays)` axes, so `a.slice(s![&ix[0], &ix[1]])` picks a cross product. Boolean
/// sequences become the positions of their `true` elements.
///
/// ```
/// use lazygrad::{array, arange, ix_, s};
/// let a = arange(12).reshape([3, 4]);
/// let ix = ix_(&[&array([0, 2]), &array([1, 3])]);
/// assert_eq!(a.slice(s![&ix[0], &ix[1]]).to_vec::<i64>(), vec![1, 3, 9, 11]);
/// ```
#[track_caller]
pub fn ix_(arrays: &[&Tensor]) -> Vec<Tensor> {
    unwrap_at_caller(try_ix_(arrays))
}

/// Fallible [`ix_`]: a sequence that is not 1-d ("Cross index must be 1 dimensional") or holds
/// floats is an error.
#[track_caller]
pub fn try_ix_(arrays: &[&Tensor]) -> Result<Vec<Tensor>> {
    let op = "ix_";
    let count = arrays.len();
    arrays
        .iter()
        .enumerate()
        .map(|(axis, a)| {
            if a.ndim() != 1 {
                return Err(invalid(op, "Cross index must be 1 dimensional"));
            }
            let seq = match a.dtype() {
                DType::Bool => a.try_nonzero()?.remove(0),
                d if d.is_float() => {
                    return Err(invalid(
                        op,
                        "arrays used as indices must be of integer (or boolean) type",
                    ));
                }
                _ => (*a).clone(),
            };
            let mut shape = vec![1; count];
            shape[axis] = seq.size();
            seq.try_reshape(&shape[..])
        })
        .collect()
}

/// The `n x n` float64 identity matrix (`np.identity(n)`), the same as [`eye`](crate::eye).
///
/// ```
/// assert_eq!(lazygrad::identity(2).to_vec::<f64>(), vec![1.0, 0.0, 0.0, 1.0]);
/// ```
#[track_caller]
pub fn identity(n: usize) -> Tensor {
    crate::eye(n)
}

/// `num` float64 values spaced evenly on a log scale from `10^start` to `10^stop` inclusive
/// (`np.logspace(start, stop, num)`).
///
/// ```
/// let a = lazygrad::logspace(0.0, 2.0, 3);
/// assert_eq!(a.to_vec::<f64>(), vec![1.0, 10.0, 100.0]);
/// ```
#[track_caller]
pub fn logspace(start: f64, stop: f64, num: usize) -> Tensor {
    logspace_with(start, stop, num, true, 10.0)
}

/// [`logspace`] with numpy's `endpoint` and `base`: `base ** linspace(start, stop, num, endpoint)`.
///
/// ```
/// let a = lazygrad::logspace_with(0.0, 3.0, 3, false, 2.0);
/// assert_eq!(a.to_vec::<f64>(), vec![1.0, 2.0, 4.0]);
/// ```
#[track_caller]
pub fn logspace_with(start: f64, stop: f64, num: usize, endpoint: bool, base: f64) -> Tensor {
    unwrap_at_caller(log_spaced(start, stop, num, endpoint, base))
}

/// `base ** linspace(start, stop, num, endpoint)`, as numpy's `logspace` computes it.
fn log_spaced(start: f64, stop: f64, num: usize, endpoint: bool, base: f64) -> Result<Tensor> {
    let exponents = crate::creation::try_linspace_endpoint(start, stop, num, endpoint)?;
    Tensor::full_dtype((), base, DType::F64).try_pow(&exponents)
}

/// `num` float64 values in geometric progression from `start` to `stop` inclusive
/// (`np.geomspace(start, stop, num)`); the endpoints are exactly `start` and `stop`.
///
/// ```
/// let a = lazygrad::geomspace(1.0, 1000.0, 4);
/// assert_eq!(a.to_vec::<f64>(), vec![1.0, 10.0, 100.0, 1000.0]);
/// // Between the pinned ends the values are numpy's, last bit included: -7.999999999999999.
/// let b = lazygrad::geomspace(-1.0, -16.0, 5);
/// assert_eq!(format!("{b:?}"), "array([ -1.,  -2.,  -4.,  -8., -16.])");
/// ```
#[track_caller]
pub fn geomspace(start: f64, stop: f64, num: usize) -> Tensor {
    unwrap_at_caller(try_geomspace(start, stop, num, true))
}

/// Fallible [`geomspace`] with numpy's `endpoint` flag: a zero `start` or `stop` ("Geometric
/// sequence cannot include zero") and a `num` too big to address are errors.
#[track_caller]
pub fn try_geomspace(start: f64, stop: f64, num: usize, endpoint: bool) -> Result<Tensor> {
    let op = "geomspace";
    if start == 0.0 || stop == 0.0 {
        return Err(invalid(op, "Geometric sequence cannot include zero"));
    }
    Shape::new(&[num]).check_size(op, DType::F64)?;
    // numpy rotates `start` to the positive reals, takes logarithms, and rotates back; it then
    // pins both ends to the arguments, since `10 ** log10(x)` need not give `x` back.
    let sign = if start.is_nan() {
        f64::NAN
    } else {
        start.signum()
    };
    let (start, stop) = (start / sign, stop / sign);
    let mut res = log_spaced(start.log10(), stop.log10(), num, endpoint, 10.0)?;
    if num > 0 {
        res = res.try_index_put(crate::s![0], start)?;
        if num > 1 && endpoint {
            res = res.try_index_put(crate::s![-1], stop)?;
        }
    }
    res.try_multiply(sign)
}

impl Tensor {
    /// The columns in reverse order (`np.fliplr`): [`Tensor::flip`] of axis 1, for 2-d and up.
    #[track_caller]
    pub fn fliplr(&self) -> Tensor {
        if self.ndim() < 2 {
            panic!("fliplr: Input must be >= 2-d.");
        }
        self.flip(1)
    }

    /// The rows in reverse order (`np.flipud`): [`Tensor::flip`] of axis 0, for 1-d and up.
    #[track_caller]
    pub fn flipud(&self) -> Tensor {
        if self.ndim() < 1 {
            panic!("flipud: Input must be >= 1-d.");
        }
        self.flip(0)
    }
}

/// Ones at and below the `k`-th diagonal of an `n x m` float64 matrix (`np.tri(n, m, k)`).
///
/// ```
/// assert_eq!(lazygrad::tri(2, None, 0).to_vec::<f64>(), vec![1.0, 0.0, 1.0, 1.0]);
/// ```
#[track_caller]
pub fn tri(n: usize, m: Option<usize>, k: isize) -> Tensor {
    crate::ones([n, m.unwrap_or(n)]).tril(k)
}

/// A 2-d matrix with the flattened input on its `k`-th diagonal (`np.diagflat(v, k)`).
#[track_caller]
pub fn diagflat(v: &Tensor, k: isize) -> Tensor {
    crate::diag(&v.ravel(), k)
}
