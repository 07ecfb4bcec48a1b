//! Sorted searches, partitions and sets: `searchsorted`, `digitize`, `isin`, `partition`,
//! `argpartition`, `lexsort`, `unique`, `intersect1d`, `union1d` and `setdiff1d`.
//!
//! Searches are merges: the sorted array and the values are sorted together (a stable sort, so
//! ties keep the operand that comes first), and each value's rank among them minus the values
//! before it is its insertion point, all from sorts, scans and gathers. Results whose shape the
//! data decides (`unique` and the set functions) compute their mask when the node is built, as
//! boolean masks do (`docs/numpy.md`).

use crate::tensor::unwrap_at_caller;
use crate::{Tensor, s};
use lazygrad_ir::{DType, Error, Result, normalize_axis};

/// Which insertion point [`Tensor::searchsorted`] returns among equal values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Before the equal values (`side='left'`): the first `i` with `v <= a[i]`.
    Left,
    /// After the equal values (`side='right'`): the first `i` with `v < a[i]`.
    Right,
}

fn invalid(op: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid {
        op,
        message: message.into(),
    }
}

/// numpy's complaint about an array of the wrong depth where a 1-d one is needed.
fn check_1d(op: &'static str, a: &Tensor) -> Result<()> {
    match a.ndim() {
        0 => Err(invalid(op, "object of too small depth for desired array")),
        1 => Ok(()),
        _ => Err(invalid(op, "object too deep for desired array")),
    }
}

/// For each element of `v` (any shape), how many elements of the 1-d `a` sort before it in
/// numpy's order (NaN last): those `< v` for [`Side::Left`], `<= v` for [`Side::Right`]. For a
/// sorted `a` this is `np.searchsorted(a, v, side)`; `a` need not be sorted. int64, `v`'s shape.
pub(crate) fn count_below(a: &Tensor, v: &Tensor, side: Side) -> Result<Tensor> {
    let (na, nv) = (a.size(), v.size());
    if na == 0 || nv == 0 {
        return Ok(Tensor::full_dtype(v.shape(), 0, DType::I64));
    }
    let dtype = a.dtype().promote(v.dtype());
    let (a, flat_v) = (
        a.try_astype(dtype)?,
        v.try_reshape([-1])?.try_astype(dtype)?,
    );
    // A stable sort keeps equal keys in operand order: values first put each one before the
    // elements of `a` equal to it, values last put it after them.
    let (keys, from_a, v_start) = match side {
        Side::Left => (crate::try_concatenate(&[&flat_v, &a], 0)?, nv, 0),
        Side::Right => (crate::try_concatenate(&[&a, &flat_v], 0)?, 0, na),
    };
    let order = keys.argsort(0);
    let is_a = order
        .try_greater_equal(from_a as i64)?
        .try_logical_and(order.try_less((from_a + na) as i64)?)?
        .try_astype(DType::I64)?;
    // The elements of `a` strictly before each sorted position.
    let a_before = is_a.cumsum().try_subtract(&is_a)?;
    // Argsorting a permutation inverts it: each key's position in the sorted order.
    let rank = order.argsort(0);
    let v_rank = rank.try_slice(s![v_start..v_start + nv])?;
    a_before.take(&v_rank).try_reshape(v.shape())
}

impl Tensor {
    /// Where the values `v` would be inserted into this sorted 1-d tensor to keep it sorted, as
    /// `np.searchsorted(a, v, side)`: int64 of `v`'s shape. NaN sorts last, as in numpy.
    ///
    /// ```
    /// use lazygrad::{Side, array};
    /// let a = array([1, 2, 2, 5]);
    /// assert_eq!(a.searchsorted(&array([2, 6, 0]), Side::Left).to_vec::<i64>(), vec![1, 4, 0]);
    /// assert_eq!(a.searchsorted(&array([2]), Side::Right).to_vec::<i64>(), vec![3]);
    /// ```
    #[track_caller]
    pub fn searchsorted(&self, v: &Tensor, side: Side) -> Tensor {
        unwrap_at_caller(self.try_searchsorted(v, side))
    }

    /// Fallible [`Tensor::searchsorted`]: `self` must be 1-d.
    #[track_caller]
    pub fn try_searchsorted(&self, v: &Tensor, side: Side) -> Result<Tensor> {
        check_1d("searchsorted", self)?;
        count_below(self, v, side)
    }

    /// The tensor rearranged so that the element at `kth` along `axis` is the one a sort puts
    /// there, smaller ones before it and larger ones after, as `np.partition(a, kth, axis)`.
    /// lazygrad sorts fully, one of the arrangements numpy allows, so any `kth` is in place.
    ///
    /// ```
    /// let a = lazygrad::array([7, 1, 5, 3]);
    /// assert_eq!(a.partition(1, -1).to_vec::<i64>()[1], 3);
    /// ```
    #[track_caller]
    pub fn partition(&self, kth: isize, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_partition(kth, axis))
    }

    /// Fallible [`Tensor::partition`]: a `kth` outside the axis is numpy's error.
    #[track_caller]
    pub fn try_partition(&self, kth: isize, axis: isize) -> Result<Tensor> {
        let axis = self.check_kth("partition", kth, axis)?;
        Ok(self.sort(axis))
    }

    /// The int64 indices that partition along `axis`, as `np.argpartition(a, kth, axis)`
    /// (here the stable sorting order, one of those numpy allows).
    ///
    /// ```
    /// let a = lazygrad::array([7, 1, 5, 3]);
    /// assert_eq!(a.argpartition(0, 0).to_vec::<i64>()[0], 1);
    /// ```
    #[track_caller]
    pub fn argpartition(&self, kth: isize, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_argpartition(kth, axis))
    }

    /// Fallible [`Tensor::argpartition`].
    #[track_caller]
    pub fn try_argpartition(&self, kth: isize, axis: isize) -> Result<Tensor> {
        let axis = self.check_kth("argpartition", kth, axis)?;
        Ok(self.argsort(axis))
    }

    /// Checks `axis` and `kth` as numpy's partitions do; returns the axis, normalized.
    fn check_kth(&self, op: &'static str, kth: isize, axis: isize) -> Result<isize> {
        let axis = normalize_axis(op, axis, self.ndim())?;
        // A checked shape's extents fit `isize`, and adding one to a negative `kth` cannot
        // overflow.
        let n = self.shape()[axis] as isize;
        let k = if kth < 0 { kth + n } else { kth };
        if k < 0 || k >= n {
            return Err(invalid(op, format!("kth(={k}) out of bounds ({n})")));
        }
        Ok(axis as isize)
    }

    /// The sorted distinct values of the flattened tensor, as `np.unique(a)`; NaNs count as one
    /// value, as numpy's `equal_nan=True`. Computes which elements are distinct (a mask).
    ///
    /// ```
    /// let a = lazygrad::array([[3, 1], [3, 2]]);
    /// assert_eq!(a.unique().to_vec::<i64>(), vec![1, 2, 3]);
    /// ```
    #[track_caller]
    pub fn unique(&self) -> Tensor {
        unwrap_at_caller(self.try_unique_all()).values
    }

    /// Fallible [`Tensor::unique`].
    #[track_caller]
    pub fn try_unique(&self) -> Result<Tensor> {
        Ok(self.try_unique_all()?.values)
    }

    /// `np.unique(a, return_index=True, return_inverse=True, return_counts=True)`: the values,
    /// where each first occurs, the index of each element's value, and how often each occurs.
    /// Only the values' mask is computed now; the other fields are lazy, so unused ones cost
    /// nothing.
    ///
    /// ```
    /// let u = lazygrad::array([3, 1, 3, 2]).unique_all();
    /// assert_eq!(u.values.to_vec::<i64>(), vec![1, 2, 3]);
    /// assert_eq!(u.indices.to_vec::<i64>(), vec![1, 3, 0]);
    /// assert_eq!(u.inverse.to_vec::<i64>(), vec![2, 0, 2, 1]);
    /// assert_eq!(u.counts.to_vec::<i64>(), vec![1, 1, 2]);
    /// ```
    #[track_caller]
    pub fn unique_all(&self) -> Unique {
        unwrap_at_caller(self.try_unique_all())
    }

    /// Fallible [`Tensor::unique_all`].
    #[track_caller]
    pub fn try_unique_all(&self) -> Result<Unique> {
        let flat = self.try_reshape([-1])?;
        let n = flat.size();
        let empty = || Tensor::full_dtype([0], 0, DType::I64);
        if n == 0 {
            return Ok(Unique {
                values: flat,
                indices: empty(),
                inverse: Tensor::full_dtype(self.shape(), 0, DType::I64),
                counts: empty(),
            });
        }
        // A stable order, so each value's first position comes first among its equals.
        let order = flat.argsort(0);
        let sorted = flat.take(&order);
        let (next, prev) = (sorted.try_slice(s![1..])?, sorted.try_slice(s![..n - 1])?);
        let mut starts_group = next.try_not_equal(&prev)?;
        if self.dtype().is_float() {
            // NaN != NaN, but numpy's `equal_nan` puts every NaN in one group.
            let both_nan = next
                .try_not_equal(&next)?
                .try_logical_and(prev.try_not_equal(&prev)?)?;
            starts_group = starts_group.try_logical_and(both_nan.try_logical_not()?)?;
        }
        let first = Tensor::full_dtype([1], true, DType::Bool);
        let starts_group = crate::try_concatenate(&[&first, &starts_group], 0)?;
        let starts = starts_group.try_nonzero()?.remove(0);
        let group = starts_group
            .try_astype(DType::I64)?
            .cumsum()
            .try_subtract(1)?;
        // The group of each sorted element, written back to where it came from.
        let inverse = Tensor::full_dtype([n], 0, DType::I64)
            .try_index_put(s![&order], &group)?
            .try_reshape(self.shape())?;
        let ends = crate::try_concatenate(
            &[
                &starts.try_slice(s![1..])?,
                &Tensor::full_dtype([1], n as i64, DType::I64),
            ],
            0,
        )?;
        Ok(Unique {
            values: sorted.take(&starts),
            indices: order.take(&starts),
            inverse,
            counts: ends.try_subtract(&starts)?,
        })
    }
}

/// What [`Tensor::unique_all`] returns: numpy's `unique` with every `return_*` flag set.
#[derive(Clone, Debug)]
pub struct Unique {
    /// The sorted distinct values (`np.unique(a)`).
    pub values: Tensor,
    /// The flat index of each value's first occurrence (`return_index`), int64.
    pub indices: Tensor,
    /// For each element, the index of its value in `values`, of the input's shape
    /// (`return_inverse`), int64.
    pub inverse: Tensor,
    /// How often each value occurs (`return_counts`), int64.
    pub counts: Tensor,
}

/// The indices of the bins of `bins` each element of `x` falls in, as `np.digitize(x, bins,
/// right)`: for increasing bins, `i` with `bins[i-1] <= x < bins[i]` (`<` and `<=` swapped when
/// `right`); decreasing bins count from the other end. Reads `bins` to find its direction.
///
/// ```
/// let bins = lazygrad::array([0.0, 1.0, 2.5]);
/// let x = lazygrad::array([-1.0, 1.0, 2.0, 3.0]);
/// assert_eq!(lazygrad::digitize(&x, &bins, false).to_vec::<i64>(), vec![0, 2, 2, 3]);
/// assert_eq!(lazygrad::digitize(&x, &bins, true).to_vec::<i64>(), vec![0, 1, 2, 3]);
/// ```
#[track_caller]
pub fn digitize(x: &Tensor, bins: &Tensor, right: bool) -> Tensor {
    unwrap_at_caller(try_digitize(x, bins, right))
}

/// Fallible [`digitize`]: `bins` must be 1-d and monotonic.
#[track_caller]
pub fn try_digitize(x: &Tensor, bins: &Tensor, right: bool) -> Result<Tensor> {
    check_1d("digitize", bins)?;
    let edges = bins.try_astype(DType::F64)?.try_to_vec::<f64>()?;
    let side = if right { Side::Left } else { Side::Right };
    // numpy's `_monotonicity`: equal edges count as increasing.
    if edges.windows(2).all(|pair| pair[0] <= pair[1]) {
        return count_below(bins, x, side);
    }
    if !edges.windows(2).all(|pair| pair[0] >= pair[1]) {
        return Err(invalid(
            "digitize",
            "bins must be monotonically increasing or decreasing",
        ));
    }
    let from_end = count_below(&bins.flip(0), x, side)?;
    Tensor::full_dtype((), bins.size() as i64, DType::I64).try_subtract(&from_end)
}

/// Whether each element of `element` occurs in `test_elements`, as `np.isin(element,
/// test_elements, invert=...)`: bool of `element`'s shape (NaN is in nothing, as `==` says).
///
/// ```
/// let a = lazygrad::array([[1, 5], [2, 7]]);
/// let found = lazygrad::isin(&a, &lazygrad::array([2, 5]), false);
/// assert_eq!(found.to_vec::<bool>(), vec![false, true, true, false]);
/// ```
#[track_caller]
pub fn isin(element: &Tensor, test_elements: &Tensor, invert: bool) -> Tensor {
    unwrap_at_caller(try_isin(element, test_elements, invert))
}

/// Fallible [`isin`].
#[track_caller]
pub fn try_isin(element: &Tensor, test_elements: &Tensor, invert: bool) -> Result<Tensor> {
    let tests = test_elements.try_reshape([-1])?;
    // Elements equal to `e` sort after those below it: more at or below `e` than below it
    // means one is equal (or NaN, which the last factor rules out).
    let through = count_below(&tests, element, Side::Right)?;
    let below = count_below(&tests, element, Side::Left)?;
    let found = through
        .try_greater(&below)?
        .try_logical_and(element.try_equal(element)?)?;
    if invert {
        found.try_logical_not()
    } else {
        Ok(found)
    }
}

/// The indices that sort by several keys, the last key first, as `np.lexsort(keys)`: along the
/// last axis, stable, int64.
///
/// ```
/// let surnames = lazygrad::array([2, 1, 2, 1]);
/// let first_names = lazygrad::array([0, 9, 5, 3]);
/// let order = lazygrad::lexsort(&[&first_names, &surnames]);
/// assert_eq!(order.to_vec::<i64>(), vec![3, 1, 0, 2]);
/// ```
#[track_caller]
pub fn lexsort(keys: &[&Tensor]) -> Tensor {
    unwrap_at_caller(try_lexsort(keys))
}

/// Fallible [`lexsort`]: no keys, or keys of different shapes, are numpy's errors.
#[track_caller]
pub fn try_lexsort(keys: &[&Tensor]) -> Result<Tensor> {
    let Some((first, rest)) = keys.split_first() else {
        return Err(invalid(
            "lexsort",
            "need sequence of keys with len > 0 in lexsort",
        ));
    };
    if rest.iter().any(|key| key.shape() != first.shape()) {
        return Err(invalid("lexsort", "all keys need to be the same shape"));
    }
    if first.ndim() == 0 {
        return Err(Error::Axis {
            op: "lexsort",
            axis: -1,
            ndim: 0,
        });
    }
    // Stable sorts by each key in turn leave the last key primary, earlier ones breaking ties.
    let mut order = first.argsort(-1);
    for key in rest {
        let reordered = key.try_take_along_axis(&order, -1)?;
        order = order.try_take_along_axis(&reordered.argsort(-1), -1)?;
    }
    Ok(order)
}

/// The sorted values found in both tensors, as `np.intersect1d(a, b)` (flattened, distinct).
///
/// ```
/// let a = lazygrad::array([1, 3, 4, 3]);
/// let b = lazygrad::array([3, 1, 2, 1]);
/// assert_eq!(lazygrad::intersect1d(&a, &b).to_vec::<i64>(), vec![1, 3]);
/// ```
#[track_caller]
pub fn intersect1d(a: &Tensor, b: &Tensor) -> Tensor {
    unwrap_at_caller(try_intersect1d(a, b))
}

/// Fallible [`intersect1d`].
#[track_caller]
pub fn try_intersect1d(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let dtype = a.dtype().promote(b.dtype());
    select_unique(&a.try_astype(dtype)?, b, false)
}

/// The sorted values in either tensor, as `np.union1d(a, b)`.
///
/// ```
/// let u = lazygrad::union1d(&lazygrad::array([-1, 0, 1]), &lazygrad::array([-2, 0, 2]));
/// assert_eq!(u.to_vec::<i64>(), vec![-2, -1, 0, 1, 2]);
/// ```
#[track_caller]
pub fn union1d(a: &Tensor, b: &Tensor) -> Tensor {
    unwrap_at_caller(try_union1d(a, b))
}

/// Fallible [`union1d`].
#[track_caller]
pub fn try_union1d(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    crate::try_concatenate(&[&a.try_reshape([-1])?, &b.try_reshape([-1])?], 0)?.try_unique()
}

/// The sorted distinct values of `a` that are not in `b`, as `np.setdiff1d(a, b)`.
///
/// ```
/// let d = lazygrad::setdiff1d(&lazygrad::array([1, 2, 3, 2, 4, 1]), &lazygrad::array([3, 4, 5, 6]));
/// assert_eq!(d.to_vec::<i64>(), vec![1, 2]);
/// ```
#[track_caller]
pub fn setdiff1d(a: &Tensor, b: &Tensor) -> Tensor {
    unwrap_at_caller(try_setdiff1d(a, b))
}

/// Fallible [`setdiff1d`].
#[track_caller]
pub fn try_setdiff1d(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    select_unique(a, b, true)
}

/// The distinct values of `a` that are in `b` (not in `b` when `invert`); computes the mask.
fn select_unique(a: &Tensor, b: &Tensor, invert: bool) -> Result<Tensor> {
    let values = a.try_unique()?;
    let keep = try_isin(&values, b, invert)?;
    values.try_slice(s![&keep])
}

/// The sorted distinct values in exactly one of `a` and `b`, as `np.setxor1d(a, b)`.
///
/// ```
/// let x = lazygrad::setxor1d(&lazygrad::array([1, 2, 3, 2, 4]), &lazygrad::array([2, 3, 5, 7, 5]));
/// assert_eq!(x.to_vec::<i64>(), vec![1, 4, 5, 7]);
/// ```
#[track_caller]
pub fn setxor1d(a: &Tensor, b: &Tensor) -> Tensor {
    setdiff1d(&union1d(a, b), &intersect1d(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array;

    #[test]
    fn counts_below_do_not_need_a_sorted_array_and_put_nan_last() {
        let a = array([3.0, f64::NAN, 1.0, 2.0, 2.0]);
        let v = array([2.0, f64::NAN, 0.0, 9.0]);
        let left = count_below(&a, &v, Side::Left).expect("valid operands");
        let right = count_below(&a, &v, Side::Right).expect("valid operands");
        assert_eq!(left.to_vec::<i64>(), vec![1, 4, 0, 4]);
        assert_eq!(right.to_vec::<i64>(), vec![3, 5, 0, 4]);
    }

    #[test]
    fn isin_of_nan_is_false_and_invert_flips_it() {
        let a = array([f64::NAN, 1.0]);
        let found = try_isin(&a, &array([f64::NAN, 1.0]), false).expect("valid operands");
        assert_eq!(found.to_vec::<bool>(), vec![false, true]);
        let missing = try_isin(&a, &array([f64::NAN, 1.0]), true).expect("valid operands");
        assert_eq!(missing.to_vec::<bool>(), vec![true, false]);
    }
}
