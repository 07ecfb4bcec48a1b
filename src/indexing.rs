//! numpy indexing: basic slicing as views, integer-array (fancy) indexing, boolean masks, and
//! functional indexed writes.
//!
//! `a.slice(s![..2, 1..3])` is numpy's `a[:2, 1:3]`. Integers, ranges with steps, negative
//! indices, new axes and an ellipsis give a view (one `slice` and one `reshape` node, no copy).
//! Integer arrays and boolean masks follow numpy's advanced indexing rules and gather.
//! Writes (`index_put`, `index_add`, `add_at`) rebind the handle to a new value: a view of the
//! old value never sees them (numpy would write through; see `docs/numpy.md`).

use crate::Tensor;
use crate::args::IntoOperand;
use crate::tensor::unwrap_at_caller;
use lazygrad_ir::{
    DType, Error, Movement, Op, Result, ScatterMode, Shape, SliceAxis, broadcast_shapes,
};
use smallvec::SmallVec;
use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

/// One item of an index expression; `s![..]` builds a list of them.
#[derive(Clone, Debug)]
pub enum SliceArg {
    /// An integer: selects one position and removes the axis (`a[1]`, `a[-1]`).
    Index(isize),
    /// A range with a step (`a[1:3]`, `a[::2]`, `a[::-1]`); `None` ends take numpy's defaults.
    Range {
        /// The first index, or the start of the axis in the step's direction.
        start: Option<isize>,
        /// The index one past the last, or the end of the axis in the step's direction.
        stop: Option<isize>,
        /// The step; negative walks backwards.
        step: isize,
    },
    /// A new axis of extent 1 (`np.newaxis`).
    NewAxis,
    /// As many full slices as the other items leave (`...`).
    Ellipsis,
    /// An integer array (advanced indexing) or a boolean mask.
    Array(Tensor),
}

/// `np.newaxis` in `s![..]`.
#[derive(Clone, Copy, Debug)]
pub struct NewAxis;

/// `...` in `s![..]`: `s![1, Ellipsis]` is numpy's `x[1, ...]`.
#[derive(Clone, Copy, Debug)]
pub struct Ellipsis;

impl SliceArg {
    /// The same range with a step (`s![..;2]` calls this).
    pub fn step_by(self, step: isize) -> SliceArg {
        match self {
            SliceArg::Range { start, stop, .. } => SliceArg::Range { start, stop, step },
            other => panic!("s![]: only ranges take a step, not {other:?}"),
        }
    }
}

impl From<NewAxis> for SliceArg {
    fn from(_: NewAxis) -> SliceArg {
        SliceArg::NewAxis
    }
}

impl From<Ellipsis> for SliceArg {
    fn from(_: Ellipsis) -> SliceArg {
        SliceArg::Ellipsis
    }
}

impl From<RangeFull> for SliceArg {
    fn from(_: RangeFull) -> SliceArg {
        SliceArg::Range {
            start: None,
            stop: None,
            step: 1,
        }
    }
}

impl From<&Tensor> for SliceArg {
    fn from(t: &Tensor) -> SliceArg {
        SliceArg::Array(t.clone())
    }
}

impl From<Tensor> for SliceArg {
    fn from(t: Tensor) -> SliceArg {
        SliceArg::Array(t)
    }
}

/// An index as `isize`. A `usize` past `isize::MAX` saturates: it is past the end of any axis
/// either way, whereas `as` would wrap it to a negative index counting from the end.
fn to_isize(index: impl TryInto<isize>) -> isize {
    index.try_into().unwrap_or(isize::MAX)
}

/// The stop of an inclusive range ending at `end`: `-3..=-1` must run to the end of the axis,
/// which numpy spells as an open stop, and `..=isize::MAX` saturates (it is past any axis).
fn inclusive_stop(end: isize) -> Option<isize> {
    if end == -1 {
        None
    } else {
        Some(end.saturating_add(1))
    }
}

macro_rules! slice_arg_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for SliceArg {
            fn from(index: $t) -> SliceArg {
                SliceArg::Index(to_isize(index))
            }
        }
        impl From<Range<$t>> for SliceArg {
            fn from(range: Range<$t>) -> SliceArg {
                SliceArg::Range { start: Some(to_isize(range.start)), stop: Some(to_isize(range.end)), step: 1 }
            }
        }
        impl From<RangeFrom<$t>> for SliceArg {
            fn from(range: RangeFrom<$t>) -> SliceArg {
                SliceArg::Range { start: Some(to_isize(range.start)), stop: None, step: 1 }
            }
        }
        impl From<RangeTo<$t>> for SliceArg {
            fn from(range: RangeTo<$t>) -> SliceArg {
                SliceArg::Range { start: None, stop: Some(to_isize(range.end)), step: 1 }
            }
        }
        impl From<RangeInclusive<$t>> for SliceArg {
            fn from(range: RangeInclusive<$t>) -> SliceArg {
                let (start, end) = range.into_inner();
                SliceArg::Range { start: Some(to_isize(start)), stop: inclusive_stop(to_isize(end)), step: 1 }
            }
        }
        impl From<RangeToInclusive<$t>> for SliceArg {
            fn from(range: RangeToInclusive<$t>) -> SliceArg {
                SliceArg::Range { start: None, stop: inclusive_stop(to_isize(range.end)), step: 1 }
            }
        }
    )*};
}

slice_arg_from_int!(i32, i64, isize, usize);

/// Builds an index expression, as ndarray's `s![]` does, for [`Tensor::slice`]:
/// `s![..2, 1..3]` is numpy's `[:2, 1:3]`, `s![.., 1]` is `[:, 1]`, `s![..;2]` is `[::2]`,
/// `s![..;-1]` is `[::-1]`, `s![-1]` is `[-1]`, `s![NewAxis, ..]`, `s![1, 2, Ellipsis]`,
/// and tensors index by integer arrays or boolean masks: `s![&rows, &cols]`, `s![&mask]`.
///
/// ```
/// use lazygrad::s;
/// let a = lazygrad::array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
/// assert_eq!(a.slice(s![..2, 1..3]).to_vec::<i64>(), vec![2, 3, 6, 7]);
/// assert_eq!(a.slice(s![.., 1]).shape(), &[3]);
/// assert_eq!(a.slice(s![.., 1..2]).shape(), &[3, 1]);
/// assert_eq!(a.slice(s![-1]).to_vec::<i64>(), vec![9, 10, 11, 12]);
/// assert_eq!(a.slice(s![0, ..;-2]).to_vec::<i64>(), vec![4, 2]);
/// ```
#[macro_export]
macro_rules! s {
    (@parse [$($done:expr),*]) => { vec![$($done),*] };
    (@parse [$($done:expr),*] $item:expr ; $step:expr) => {
        $crate::s!(@parse [$($done,)* $crate::SliceArg::from($item).step_by($step)])
    };
    (@parse [$($done:expr),*] $item:expr ; $step:expr , $($rest:tt)*) => {
        $crate::s!(@parse [$($done,)* $crate::SliceArg::from($item).step_by($step)] $($rest)*)
    };
    (@parse [$($done:expr),*] $item:expr) => {
        $crate::s!(@parse [$($done,)* $crate::SliceArg::from($item)])
    };
    (@parse [$($done:expr),*] $item:expr , $($rest:tt)*) => {
        $crate::s!(@parse [$($done,)* $crate::SliceArg::from($item)] $($rest)*)
    };
    ($($items:tt)*) => { $crate::s!(@parse [] $($items)*) };
}

/// numpy's slice arithmetic (`slice.indices`): the first index, the count and the step taken
/// from an axis of `dim` elements, clamping out-of-range ends as Python does.
///
/// A selection of at most one element gets step 1, since its step is never taken; so a huge
/// step such as `isize::MIN` costs nothing downstream (views, gradients).
pub(crate) fn resolve_range(
    start: Option<isize>,
    stop: Option<isize>,
    step: isize,
    dim: usize,
) -> Result<(usize, usize, isize)> {
    if step == 0 {
        return Err(Error::Invalid {
            op: "slice",
            message: "slice step cannot be zero".into(),
        });
    }
    // Python clamps a step of `isize::MIN` to `-isize::MAX` so that `-step` exists.
    let step = step.max(-isize::MAX);
    let len = dim as isize;
    let clamp = |index: isize| -> isize {
        let index = if index < 0 { index + len } else { index };
        if index < 0 {
            if step < 0 { -1 } else { 0 }
        } else if index >= len {
            if step < 0 { len - 1 } else { len }
        } else {
            index
        }
    };
    let start = match start {
        Some(index) => clamp(index),
        None if step < 0 => len - 1,
        None => 0,
    };
    let stop = match stop {
        Some(index) => clamp(index),
        None if step < 0 => -1,
        None => len,
    };
    let count = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    // An empty selection starts at 0 so the view's offset stays inside the buffer.
    Ok(match count {
        0 => (0, 0, 1),
        1 => (start as usize, 1, 1),
        _ => (start as usize, count as usize, step),
    })
}

fn resolve_index(index: isize, axis: usize, dim: usize) -> Result<usize> {
    let resolved = if index < 0 {
        index + dim as isize
    } else {
        index
    };
    if resolved < 0 || resolved >= dim as isize {
        return Err(Error::Index {
            op: "index",
            index,
            axis,
            size: dim,
        });
    }
    Ok(resolved as usize)
}

impl Tensor {
    /// numpy indexing `a[...]` with an index expression from [`s!`](crate::s): basic slices
    /// give a view; integer arrays and boolean masks gather (a mask realizes itself, since the
    /// result's shape depends on its data).
    ///
    /// ```
    /// use lazygrad::{array, arange, s};
    /// let a = array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    /// let picked = a.slice(s![&arange(3), &array([0, 1, 0])]);
    /// assert_eq!(picked.to_vec::<i64>(), vec![1, 6, 9]);
    /// assert_eq!(a.slice(s![&a.gt(5)]).to_vec::<i64>(), vec![6, 7, 8, 9, 10, 11, 12]);
    /// ```
    #[track_caller]
    pub fn slice(&self, args: impl AsRef<[SliceArg]>) -> Tensor {
        unwrap_at_caller(self.try_slice(args))
    }

    /// Fallible [`Tensor::slice`]. Any integer is accepted as Python accepts it: out-of-range
    /// slice ends clamp, a step of `isize::MIN` is read as `-isize::MAX`, and an unsigned index
    /// past `isize::MAX` is past the end (an error), never a negative index.
    #[track_caller]
    pub fn try_slice(&self, args: impl AsRef<[SliceArg]>) -> Result<Tensor> {
        // Boolean masks become the integer arrays of their nonzero positions. A mask covers as
        // many axes as it has dimensions, which must match the axes it covers; items after an
        // ellipsis are counted from the end.
        let args = args.as_ref();
        let covers = |arg: &SliceArg| match arg {
            SliceArg::NewAxis | SliceArg::Ellipsis => 0,
            SliceArg::Array(mask) if mask.dtype() == DType::Bool => mask.ndim(),
            _ => 1,
        };
        let total: usize = args.iter().map(covers).sum();
        let mut items: Vec<SliceArg> = Vec::new();
        let mut axis = 0;
        for arg in args {
            match arg {
                SliceArg::Ellipsis => axis = self.ndim().saturating_sub(total.saturating_sub(axis)),
                SliceArg::Array(mask) if mask.dtype() == DType::Bool && mask.ndim() == 0 => {
                    // numpy's `a[True]` adds an axis of 1 and `a[False]` one of 0.
                    if args.len() != 1 {
                        return Err(Error::Invalid {
                            op: "index",
                            message: "a 0-d boolean index is supported only on its own".into(),
                        });
                    }
                    let added = self.expand_dims(0);
                    return if mask.try_item::<bool>()? {
                        Ok(added)
                    } else {
                        added.try_slice(crate::s![0..0])
                    };
                }
                SliceArg::Array(mask) if mask.dtype() == DType::Bool => {
                    for (offset, &size) in mask.shape().iter().enumerate() {
                        let dim = self.shape().get(axis + offset).copied().unwrap_or(0);
                        if dim != size {
                            return Err(Error::Invalid {
                                op: "index",
                                message: format!(
                                    "boolean index did not match indexed array along axis {}; size of axis is {dim} but size of corresponding boolean axis is {size}",
                                    axis + offset
                                ),
                            });
                        }
                    }
                    items.extend(mask.try_nonzero()?.into_iter().map(SliceArg::Array));
                    axis += mask.ndim();
                    continue;
                }
                SliceArg::Array(index) if index.dtype().is_float() => {
                    return Err(Error::Invalid {
                        op: "index",
                        message: "arrays used as indices must be of integer (or boolean) type"
                            .into(),
                    });
                }
                _ => {}
            }
            axis += covers(arg);
            items.push(arg.clone());
        }
        let has_array = items.iter().any(|item| matches!(item, SliceArg::Array(_)));
        let consumed = items
            .iter()
            .filter(|item| !matches!(item, SliceArg::NewAxis | SliceArg::Ellipsis))
            .count();
        let ellipses = items
            .iter()
            .filter(|item| matches!(item, SliceArg::Ellipsis))
            .count();
        if ellipses > 1 {
            return Err(Error::Invalid {
                op: "index",
                message: "an index can only have a single ellipsis ('...')".into(),
            });
        }
        if consumed > self.ndim() {
            return Err(Error::Invalid {
                op: "index",
                message: format!(
                    "too many indices for array: array is {}-dimensional, but {consumed} were indexed",
                    self.ndim()
                ),
            });
        }
        // Expand the ellipsis (or pad at the end) so every axis has exactly one item.
        let fill = self.ndim() - consumed;
        let mut expanded: Vec<SliceArg> = Vec::new();
        for item in items {
            if let SliceArg::Ellipsis = item {
                expanded.extend((0..fill).map(|_| SliceArg::from(..)));
            } else {
                expanded.push(item);
            }
        }
        if ellipses == 0 {
            expanded.extend((0..fill).map(|_| SliceArg::from(..)));
        }
        // Basic pass: one strided window over every input axis, then a reshape that drops
        // integer-indexed axes and inserts new ones. With any array present, integers are
        // advanced indices too, as numpy treats them.
        let mut window: SmallVec<[SliceAxis; 4]> = SmallVec::new();
        let mut shape: Vec<usize> = Vec::new();
        let mut advanced: Vec<(usize, Tensor)> = Vec::new();
        let mut axis = 0;
        for item in expanded {
            match item {
                SliceArg::NewAxis => shape.push(1),
                SliceArg::Ellipsis => unreachable!("expanded above"),
                SliceArg::Index(index) => {
                    let dim = self.shape()[axis];
                    let resolved = resolve_index(index, axis, dim)?;
                    if has_array {
                        window.push(SliceAxis::full(dim));
                        advanced.push((shape.len(), Tensor::scalar(resolved as i64)));
                        shape.push(dim);
                    } else {
                        window.push(SliceAxis {
                            start: resolved,
                            len: 1,
                            step: 1,
                        });
                    }
                    axis += 1;
                }
                SliceArg::Range { start, stop, step } => {
                    let (start, len, step) = resolve_range(start, stop, step, self.shape()[axis])?;
                    window.push(SliceAxis { start, len, step });
                    shape.push(len);
                    axis += 1;
                }
                SliceArg::Array(index) => {
                    let dim = self.shape()[axis];
                    window.push(SliceAxis::full(dim));
                    advanced.push((shape.len(), index.try_astype(DType::I64)?));
                    shape.push(dim);
                    axis += 1;
                }
            }
        }
        let is_identity = window
            .iter()
            .zip(self.shape())
            .all(|(spec, &dim)| *spec == SliceAxis::full(dim));
        let windowed = if is_identity {
            self.clone()
        } else {
            Tensor::try_op(Op::Movement(Movement::Slice(window)), vec![self.clone()])?
        };
        let basic = windowed.try_reshape(&shape[..])?;
        if advanced.is_empty() {
            return Ok(basic);
        }
        gather_advanced(&basic, advanced)
    }

    /// The positions of nonzero elements, one int64 array per axis (`np.nonzero`); realizes `self`.
    ///
    /// ```
    /// let a = lazygrad::array([[0, 3], [4, 0]]);
    /// let nz = a.nonzero();
    /// assert_eq!(nz[0].to_vec::<i64>(), vec![0, 1]);
    /// assert_eq!(nz[1].to_vec::<i64>(), vec![1, 0]);
    /// ```
    #[track_caller]
    pub fn nonzero(&self) -> Vec<Tensor> {
        unwrap_at_caller(self.try_nonzero())
    }

    /// Fallible [`Tensor::nonzero`].
    #[track_caller]
    pub fn try_nonzero(&self) -> Result<Vec<Tensor>> {
        if self.ndim() == 0 {
            return Err(Error::Invalid {
                op: "nonzero",
                message: "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.".into(),
            });
        }
        let truth = if self.dtype() == DType::Bool {
            self.clone()
        } else {
            self.try_not_equal(0)?
        };
        let flags = truth.try_to_vec::<bool>()?;
        let strides = self.shape_tuple().contiguous_strides();
        let hits: Vec<usize> = flags
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(i, _)| i)
            .collect();
        Ok((0..self.ndim())
            .map(|axis| {
                let positions: Vec<i64> = hits
                    .iter()
                    .map(|&flat| (flat as isize / strides[axis]) as i64 % self.shape()[axis] as i64)
                    .collect();
                let len = positions.len();
                Tensor::from_data(positions, Shape::new(&[len]))
            })
            .collect())
    }

    /// The positions of nonzero elements as an int64 `(count, ndim)` array (`np.argwhere`).
    #[track_caller]
    pub fn argwhere(&self) -> Tensor {
        if self.ndim() == 0 {
            return Tensor::from_data(
                Vec::<i64>::new(),
                Shape::new(&[usize::from(self.size() > 0 && self.item_truth()), 0]),
            );
        }
        let columns: Vec<Tensor> = self.nonzero().iter().map(|c| c.expand_dims(1)).collect();
        crate::concatenate(&columns.iter().collect::<Vec<_>>(), 1)
    }

    fn item_truth(&self) -> bool {
        self.astype(DType::Bool)
            .to_vec::<bool>()
            .first()
            .copied()
            .unwrap_or(false)
    }

    /// The number of nonzero elements, int64 (`np.count_nonzero`).
    #[track_caller]
    pub fn count_nonzero(&self) -> Tensor {
        self.not_equal(0).sum()
    }

    /// Elements at `indices` of the flattened tensor (`np.take(a, indices)`).
    #[track_caller]
    pub fn take(&self, indices: &Tensor) -> Tensor {
        self.ravel().slice(vec![SliceArg::Array(indices.clone())])
    }

    /// Elements at `indices` along `axis` (`np.take(a, indices, axis)`).
    #[track_caller]
    pub fn take_axis(&self, indices: &Tensor, axis: isize) -> Tensor {
        let axis = unwrap_at_caller(lazygrad_ir::normalize_axis("take", axis, self.ndim()));
        let mut args: Vec<SliceArg> = (0..axis).map(|_| SliceArg::from(..)).collect();
        args.push(SliceArg::Array(indices.clone()));
        self.slice(args)
    }

    /// `np.take_along_axis(a, indices, axis)`: `indices` has `a`'s number of dimensions and
    /// picks, along `axis`, the element for each position of the other axes.
    ///
    /// ```
    /// let a = lazygrad::array([[10, 30, 20], [60, 40, 50]]);
    /// let order = a.argsort(-1);
    /// assert_eq!(a.take_along_axis(&order, -1).to_vec::<i64>(), vec![10, 20, 30, 40, 50, 60]);
    /// ```
    #[track_caller]
    pub fn take_along_axis(&self, indices: &Tensor, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_take_along_axis(indices, axis))
    }

    /// Fallible [`Tensor::take_along_axis`].
    #[track_caller]
    pub fn try_take_along_axis(&self, indices: &Tensor, axis: isize) -> Result<Tensor> {
        let axis = lazygrad_ir::normalize_axis("take_along_axis", axis, self.ndim())?;
        if indices.ndim() != self.ndim() {
            return Err(Error::Invalid {
                op: "take_along_axis",
                message: "`indices` and `arr` must have the same number of dimensions".into(),
            });
        }
        // Every other axis is indexed by its own position, broadcast against `indices`.
        let args: Vec<SliceArg> = (0..self.ndim())
            .map(|a| {
                if a == axis {
                    Ok(SliceArg::Array(indices.clone()))
                } else {
                    let mut shape = vec![1; self.ndim()];
                    shape[a] = self.shape()[a];
                    let positions = crate::try_arange_step(0, self.shape()[a] as i64, 1)?;
                    Ok(SliceArg::Array(positions.try_reshape(&shape[..])?))
                }
            })
            .collect::<Result<_>>()?;
        self.try_slice(args)
    }

    /// The flat positions `slice(args)` selects, as an int64 tensor of the selection's shape.
    #[track_caller]
    fn positions(&self, args: &[SliceArg]) -> Result<Tensor> {
        // A checked shape's size fits `isize`, so it fits int64.
        crate::try_arange_step(0, self.size() as i64, 1)?
            .try_reshape(self.shape_tuple())?
            .try_slice(args)
    }

    #[track_caller]
    pub(crate) fn scatter(
        &self,
        args: &[SliceArg],
        values: Tensor,
        mode: ScatterMode,
    ) -> Result<Tensor> {
        let positions = self.positions(args)?;
        let values = values
            .try_astype(self.dtype())?
            .try_broadcast_to(positions.shape_tuple())?;
        let flat = Tensor::try_op(
            Op::Scatter(1, mode),
            vec![
                self.try_reshape([-1])?,
                positions.try_reshape([-1])?,
                values.try_reshape([-1])?,
            ],
        )?;
        flat.try_reshape(self.shape_tuple())
    }

    /// `a[args] = values` (numpy's indexed assignment), rebinding `self` to the new value;
    /// with repeated indices the last write wins. Views of the old value do not change.
    ///
    /// ```
    /// use lazygrad::{array, s};
    /// let mut a = array([[1, 2], [3, 4]]);
    /// a.index_put(s![.., 0], 0);
    /// assert_eq!(a.to_vec::<i64>(), vec![0, 2, 0, 4]);
    /// let mask = a.gt(2);
    /// a.index_put(s![&mask], -1);
    /// assert_eq!(a.to_vec::<i64>(), vec![0, 2, 0, -1]);
    /// ```
    #[track_caller]
    pub fn index_put(&mut self, args: impl AsRef<[SliceArg]>, values: impl IntoOperand) {
        *self = unwrap_at_caller(self.try_index_put(args, values));
    }

    /// Fallible, non-mutating [`Tensor::index_put`]: returns the new value.
    #[track_caller]
    pub fn try_index_put(
        &self,
        args: impl AsRef<[SliceArg]>,
        values: impl IntoOperand,
    ) -> Result<Tensor> {
        let values = operand_tensor("index_put", values, self.dtype())?;
        // A full-shape mask with a broadcastable value needs no realize: it is a `where`.
        if let [SliceArg::Array(mask)] = args.as_ref()
            && mask.dtype() == DType::Bool
            && mask.shape() == self.shape()
            && broadcast_shapes("index_put", values.shape_tuple(), self.shape_tuple())
                .is_ok_and(|s| &s == self.shape_tuple())
            && values.ndim() <= self.ndim()
            && values.size() == 1
        {
            return crate::try_where(mask, &values, self);
        }
        self.scatter(args.as_ref(), values, ScatterMode::Set)
    }

    /// `a[args] += values` with numpy's semantics: repeated indices add once (the gathered
    /// values are updated, then written back). Rebinds `self`.
    ///
    /// ```
    /// use lazygrad::{array, arange, s};
    /// let mut a = array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    /// a.index_add(s![&arange(3), &array([0, 1, 0])], 10);
    /// assert_eq!(a.slice(s![.., ..2]).to_vec::<i64>(), vec![11, 2, 5, 16, 19, 10]);
    /// ```
    #[track_caller]
    pub fn index_add(&mut self, args: impl AsRef<[SliceArg]>, values: impl IntoOperand) {
        let updated = unwrap_at_caller(
            self.try_slice(args.as_ref())
                .and_then(|current| current.try_add(values)),
        );
        *self = unwrap_at_caller(self.scatter(args.as_ref(), updated, ScatterMode::Set));
    }

    /// `np.add.at(a, args, values)`: unlike `index_add`, repeated indices accumulate. Rebinds `self`.
    ///
    /// ```
    /// use lazygrad::{array, s};
    /// let mut a = array([0, 0, 0]);
    /// a.add_at(s![&array([0, 0, 2])], 1);
    /// assert_eq!(a.to_vec::<i64>(), vec![2, 0, 1]);
    /// ```
    #[track_caller]
    pub fn add_at(&mut self, args: impl AsRef<[SliceArg]>, values: impl IntoOperand) {
        *self = unwrap_at_caller(self.try_add_at(args, values));
    }

    /// Fallible, non-mutating [`Tensor::add_at`], for functions built on it (`bincount`).
    #[track_caller]
    pub(crate) fn try_add_at(
        &self,
        args: impl AsRef<[SliceArg]>,
        values: impl IntoOperand,
    ) -> Result<Tensor> {
        let values = operand_tensor("add_at", values, self.dtype())?;
        self.scatter(args.as_ref(), values, ScatterMode::Add)
    }

    /// The elements reversed along `axis` (`np.flip`): a view with a negative stride.
    #[track_caller]
    pub fn flip(&self, axis: isize) -> Tensor {
        let axis = unwrap_at_caller(lazygrad_ir::normalize_axis("flip", axis, self.ndim()));
        let mut args: Vec<SliceArg> = (0..axis).map(|_| SliceArg::from(..)).collect();
        args.push(SliceArg::from(..).step_by(-1));
        self.slice(args)
    }
}

/// A literal or tensor operand as a tensor (literals take `dtype`, as weak scalars do); an
/// integer literal that does not fit is numpy 2's error, named after `op`.
#[track_caller]
pub(crate) fn operand_tensor(
    op: &'static str,
    values: impl IntoOperand,
    dtype: DType,
) -> Result<Tensor> {
    match values.into_operand() {
        crate::Operand::Tensor(t) => Ok(t),
        crate::Operand::Weak(w) => match (w.to_value(dtype), w) {
            (Some(value), _) => Tensor::try_op(Op::Const(value), vec![]),
            (None, lazygrad_ir::Weak::Int(value)) => {
                Err(Error::ScalarOutOfBounds { op, value, dtype })
            }
            (None, _) => Err(Error::Invalid {
                op,
                message: format!("literal {w} out of bounds for {dtype}"),
            }),
        },
    }
}

/// Applies advanced indices at `positions` of `basic` with numpy's placement rule: the
/// broadcast index shape replaces the indexed axes where they are adjacent, else goes first.
#[track_caller]
fn gather_advanced(basic: &Tensor, advanced: Vec<(usize, Tensor)>) -> Result<Tensor> {
    let mut index_shape = advanced[0].1.shape_tuple().clone();
    for (_, index) in &advanced[1..] {
        index_shape = broadcast_shapes("index", &index_shape, index.shape_tuple()).map_err(|_| {
            let shapes: Vec<String> = advanced.iter().map(|(_, t)| t.shape_tuple().compact()).collect();
            Error::Invalid {
                op: "index",
                message: format!(
                    "shape mismatch: indexing arrays could not be broadcast together with shapes {}",
                    shapes.join(" ")
                ),
            }
        })?;
    }
    let axes: Vec<usize> = advanced.iter().map(|(axis, _)| *axis).collect();
    let adjacent = axes.windows(2).all(|pair| pair[1] == pair[0] + 1);
    let rest: Vec<isize> = (0..basic.ndim())
        .filter(|a| !axes.contains(a))
        .map(|a| a as isize)
        .collect();
    let mut perm: Vec<isize> = axes.iter().map(|&a| a as isize).collect();
    perm.extend(&rest);
    let moved = basic.try_permute(&perm)?;
    let mut inputs = vec![moved];
    for (_, index) in &advanced {
        inputs.push(index.try_broadcast_to(&index_shape)?);
    }
    let gathered = Tensor::try_op(Op::Gather(advanced.len()), inputs)?;
    if !adjacent || axes[0] == 0 {
        return Ok(gathered);
    }
    // Move the index dimensions back to where the first indexed axis was.
    let (n_index, first) = (index_shape.ndim(), axes[0]);
    let mut back: Vec<isize> = (n_index..n_index + first).map(|a| a as isize).collect();
    back.extend((0..n_index).map(|a| a as isize));
    back.extend((n_index + first..gathered.ndim()).map(|a| a as isize));
    gathered.try_permute(&back)
}
