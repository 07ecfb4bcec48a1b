//! Order statistics, averages, covariance, histograms and the NaN-ignoring reductions:
//! `median`, `percentile`, `quantile`, `average`, `ptp`, `cov`, `corrcoef`, `histogram`,
//! `bincount` and `nansum` .. `nanmedian`, each built from sorts, gathers, scatters and
//! reductions, so they differentiate and fuse like the primitives they are made of.
//!
//! NaN is found as `x != x` (NaN is the one value unequal to itself). Results whose shape the
//! data decides (`bincount`'s length) compute what they need when the node is built, as boolean
//! masks do (`docs/numpy.md`).

use crate::reduce::{Reduction, mean_dtype};
use crate::sets::{Side, count_below};
use crate::tensor::unwrap_at_caller;
use crate::{Ellipsis, Tensor, s};
use lazygrad_ir::{DType, Error, Result, Shape, normalize_axes};

/// Quantiles as [`Tensor::quantile`] takes them: one number (a result without a quantile axis)
/// or a list (a leading axis with one entry per quantile), as numpy's `q` is a scalar or a list.
pub trait IntoQuantiles {
    /// The quantiles, and whether they were given as one number.
    fn into_quantiles(self) -> (Vec<f64>, bool);
}

impl IntoQuantiles for f64 {
    fn into_quantiles(self) -> (Vec<f64>, bool) {
        (vec![self], true)
    }
}

impl IntoQuantiles for &[f64] {
    fn into_quantiles(self) -> (Vec<f64>, bool) {
        (self.to_vec(), false)
    }
}

impl IntoQuantiles for Vec<f64> {
    fn into_quantiles(self) -> (Vec<f64>, bool) {
        (self, false)
    }
}

impl<const N: usize> IntoQuantiles for [f64; N] {
    fn into_quantiles(self) -> (Vec<f64>, bool) {
        (self.to_vec(), false)
    }
}

/// `np.histogram`'s `bins`: a number of equal-width bins, or the bin edges themselves.
#[derive(Clone, Debug)]
pub enum Bins {
    /// This many equal-width bins over the range.
    Count(usize),
    /// The edges of the bins, increasing; the last bin includes its right edge.
    Edges(Tensor),
}

impl From<usize> for Bins {
    fn from(count: usize) -> Bins {
        Bins::Count(count)
    }
}

impl From<&Tensor> for Bins {
    fn from(edges: &Tensor) -> Bins {
        Bins::Edges(edges.clone())
    }
}

impl From<Tensor> for Bins {
    fn from(edges: Tensor) -> Bins {
        Bins::Edges(edges)
    }
}

fn invalid(op: &'static str, message: impl Into<String>) -> Error {
    Error::Invalid {
        op,
        message: message.into(),
    }
}

/// A float as Python prints it in numpy's messages (`nan`, `inf`, `1.0`).
fn py_float(value: f64) -> String {
    match value {
        v if v.is_nan() => "nan".into(),
        v if v.is_infinite() => if v > 0.0 { "inf" } else { "-inf" }.into(),
        v if v != 0.0 && !(1e-4..1e16).contains(&v.abs()) => {
            // Python's repr switches to an exponent with a sign and at least two digits.
            let text = format!("{v:e}");
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        v if v.fract() == 0.0 => format!("{v:.1}"),
        v => format!("{v}"),
    }
}

/// A 0-d NaN of `dtype`, which must be a float dtype.
fn nan(dtype: DType) -> Tensor {
    Tensor::full_dtype((), f64::NAN, dtype)
}

/// `a` with the reduced `axes` (all when `None`) moved last and merged into one axis, and the
/// shape the reduction's result takes (with or without `keepdims`).
fn merge_axes(
    a: &Tensor,
    op: &'static str,
    axes: Option<&[isize]>,
    keepdims: bool,
) -> Result<(Tensor, Vec<usize>)> {
    let axes: Vec<usize> = match axes {
        None => (0..a.ndim()).collect(),
        Some(axes) => normalize_axes(op, axes, a.ndim())?.to_vec(),
    };
    let kept: Vec<usize> = (0..a.ndim()).filter(|axis| !axes.contains(axis)).collect();
    let perm: Vec<isize> = kept
        .iter()
        .chain(&axes)
        .map(|&axis| axis as isize)
        .collect();
    let mut merged: Vec<usize> = kept.iter().map(|&axis| a.shape()[axis]).collect();
    let out_shape = if keepdims {
        let dims = a.shape().iter().enumerate();
        dims.map(|(axis, &dim)| if axes.contains(&axis) { 1 } else { dim })
            .collect()
    } else {
        merged.clone()
    };
    merged.push(axes.iter().map(|&axis| a.shape()[axis]).product());
    Ok((a.try_permute(&perm)?.try_reshape(&merged[..])?, out_shape))
}

/// Where the last element along the sorted axis is NaN (sorts put NaN last), the result is NaN,
/// as numpy's median and quantile give for a slice holding one.
fn propagate_nan(sorted: &Tensor, res: &Tensor) -> Result<Tensor> {
    let last = sorted.try_slice(s![Ellipsis, -1])?;
    crate::try_where(&last.try_not_equal(&last)?, &last, res)
}

/// The mean of the two middle values `lower` and `upper` (equal indices take one value as is),
/// the way numpy's median averages them.
fn middle(lower: &Tensor, upper: &Tensor) -> Result<Tensor> {
    lower.try_add(upper)?.try_divide(2.0)
}

impl Tensor {
    /// The median over `axes` (all when `None`), as `np.median(a, axis, keepdims=...)`: the
    /// middle value, or the mean of the two middle values; NaN in a slice gives NaN.
    ///
    /// ```
    /// let a = lazygrad::array([[10.0, 7.0, 4.0], [3.0, 2.0, 1.0]]);
    /// assert_eq!(a.median(None, false).item::<f64>(), 3.5);
    /// assert_eq!(a.median(Some(&[1]), false).to_vec::<f64>(), vec![7.0, 2.0]);
    /// ```
    #[track_caller]
    pub fn median(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_median(axes, keepdims))
    }

    /// Fallible [`Tensor::median`]: bad axes are errors; an empty slice's median is NaN.
    #[track_caller]
    pub fn try_median(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        let (merged, out_shape) = merge_axes(self, "median", axes, keepdims)?;
        let dtype = mean_dtype(self.dtype());
        let n = merged.shape()[merged.ndim() - 1];
        if n == 0 {
            // numpy takes the mean of no values: NaN, with a warning.
            return nan(dtype).try_broadcast_to(&Shape::from(out_shape));
        }
        let sorted = merged.try_astype(dtype)?.sort(-1);
        let upper = sorted.try_slice(s![Ellipsis, n / 2])?;
        let res = if n % 2 == 1 {
            upper
        } else {
            middle(&sorted.try_slice(s![Ellipsis, n / 2 - 1])?, &upper)?
        };
        propagate_nan(&sorted, &res)?.try_reshape(&out_shape[..])
    }

    /// The `q`-th quantiles (`0 <= q <= 1`) over `axes`, as `np.quantile(a, q, axis,
    /// keepdims=...)` with numpy's default method, `'linear'`. A list of quantiles gives a
    /// leading axis with one entry per quantile.
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 3.0, 4.0]);
    /// assert_eq!(a.quantile(0.25, None, false).item::<f64>(), 1.75);
    /// assert_eq!(a.quantile([0.0, 1.0], None, false).to_vec::<f64>(), vec![1.0, 4.0]);
    /// ```
    #[track_caller]
    pub fn quantile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Tensor {
        unwrap_at_caller(self.try_quantile(q, axes, keepdims))
    }

    /// Fallible [`Tensor::quantile`]: a `q` outside `[0, 1]`, bad axes and an empty slice are
    /// numpy's errors.
    #[track_caller]
    pub fn try_quantile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.quantiles("quantile", q, 1.0, axes, keepdims)
    }

    /// The `q`-th percentiles (`0 <= q <= 100`) over `axes`, as `np.percentile`: the quantiles
    /// of `q / 100`.
    ///
    /// ```
    /// let a = lazygrad::array([[10, 7, 4], [3, 2, 1]]);
    /// assert_eq!(a.percentile(50.0, Some(&[0]), false).to_vec::<f64>(), vec![6.5, 4.5, 2.5]);
    /// ```
    #[track_caller]
    pub fn percentile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Tensor {
        unwrap_at_caller(self.try_percentile(q, axes, keepdims))
    }

    /// Fallible [`Tensor::percentile`]: a `q` outside `[0, 100]` is numpy's error.
    #[track_caller]
    pub fn try_percentile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.quantiles("percentile", q, 100.0, axes, keepdims)
    }

    /// The quantiles `q / scale`, each of which must lie in `[0, 1]`, by numpy's 'linear'
    /// method; `op` (`quantile` or `percentile`) names the function in errors.
    #[track_caller]
    fn quantiles(
        &self,
        op: &'static str,
        q: impl IntoQuantiles,
        scale: f64,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.quantiles_of(op, q, scale, axes, keepdims, false)
    }

    /// [`Tensor::quantiles`], skipping NaN (`np.nanquantile`) when `skip_nan`: each slice's
    /// quantile is that of its values that are not NaN, and NaN where there are none.
    fn quantiles_of(
        &self,
        op: &'static str,
        q: impl IntoQuantiles,
        scale: f64,
        axes: Option<&[isize]>,
        keepdims: bool,
        skip_nan: bool,
    ) -> Result<Tensor> {
        let (qs, scalar) = q.into_quantiles();
        if !qs.iter().all(|q| (0.0..=scale).contains(q)) {
            let (name, top) = if scale == 1.0 {
                ("Quantiles", "1")
            } else {
                ("Percentiles", "100")
            };
            return Err(invalid(
                op,
                format!("{name} must be in the range [0, {top}]"),
            ));
        }
        let qs: Vec<f64> = qs.iter().map(|q| q / scale).collect();
        let (merged, out_shape) = merge_axes(self, op, axes, keepdims)?;
        let dtype = mean_dtype(self.dtype());
        // One quantile is a weak Python float to numpy, which keeps float32; a list is a
        // float64 array, which gives float64 results, interpolated in float32 all the same.
        let out_dtype = if scalar { dtype } else { DType::F64 };
        let n = merged.shape()[merged.ndim() - 1];
        if n == 0 {
            return Err(invalid(
                op,
                "index -1 is out of bounds for axis 0 with size 0",
            ));
        }
        if qs.is_empty() {
            let mut shape = vec![0];
            shape.extend(&out_shape);
            return Ok(Tensor::full_dtype(shape, 0, out_dtype));
        }
        let sorted = merged.try_astype(dtype)?.sort(-1);
        // NaN sorts last, so the `count` values that are not NaN come first in each slice.
        let count = if skip_nan && self.dtype().is_float() {
            Some(
                merged
                    .try_equal(&merged)?
                    .try_reduce(Reduction::Sum, Some(&[-1]), true)?,
            )
        } else {
            None
        };
        let parts = qs
            .iter()
            .map(|&q| {
                let res = match &count {
                    Some(count) => nan_linear_quantile(&sorted, count, q, out_dtype)?,
                    None => {
                        let res = linear_quantile(&sorted, n, q, out_dtype)?;
                        propagate_nan(&sorted, &res)?
                    }
                };
                res.try_reshape(&out_shape[..])
            })
            .collect::<Result<Vec<_>>>()?;
        if scalar {
            return Ok(parts[0].clone());
        }
        crate::try_stack(&parts.iter().collect::<Vec<_>>(), 0)
    }
}

/// numpy's quantile method 'linear' for one `q` over the last axis (of length `n > 0`) of
/// `sorted`, as `dtype`, with numpy's arithmetic: its virtual index, its clamping at both ends, and its
/// two-sided interpolation (from below when the fraction is under one half, else from above).
fn linear_quantile(sorted: &Tensor, n: usize, q: f64, dtype: DType) -> Result<Tensor> {
    // `_compute_virtual_index` with alpha = beta = 1, in numpy's order of operations:
    // `n * q + (alpha + q * (1 - alpha - beta)) - 1`.
    let virtual_index = n as f64 * q + (1.0 - q) - 1.0;
    let last = n - 1;
    // `_get_indexes`: past the last index both neighbours are the last value (numpy's -1), and
    // the fraction is measured from -1, as numpy's is; below 0 both are the first value.
    let (below, above, gamma) = if virtual_index >= last as f64 {
        (last, last, virtual_index + 1.0)
    } else if virtual_index < 0.0 {
        (0, 0, virtual_index)
    } else {
        let floor = virtual_index.floor();
        (floor as usize, floor as usize + 1, virtual_index - floor)
    };
    let a = sorted.try_slice(s![Ellipsis, below])?;
    let b = sorted.try_slice(s![Ellipsis, above])?;
    // `_lerp`: a + (b - a) t, or b - (b - a)(1 - t) for t >= 1/2, which is exact at t = 1. The
    // difference is taken in the data's dtype and the rest in the result's, as numpy does when
    // a list of quantiles (float64) meets float32 data.
    let diff = b.try_subtract(&a)?.try_astype(dtype)?;
    let (a, b) = (a.try_astype(dtype)?, b.try_astype(dtype)?);
    if gamma >= 0.5 {
        b.try_subtract(diff.try_multiply(1.0 - gamma)?)
    } else {
        a.try_add(diff.try_multiply(gamma)?)
    }
}

/// [`linear_quantile`] with a count of values per slice (`count`, int64, the last axis kept):
/// the same virtual index, clamping and interpolation, slice by slice, and NaN for a slice of
/// no values (numpy's `nanquantile`, which drops each slice's NaN before its quantile).
fn nan_linear_quantile(sorted: &Tensor, count: &Tensor, q: f64, dtype: DType) -> Result<Tensor> {
    let n = count.try_astype(DType::F64)?;
    let virtual_index = n.try_multiply(q)?.try_add(1.0 - q)?.try_subtract(1.0)?;
    let last = n.try_subtract(1.0)?;
    let floor = virtual_index.try_floor()?;
    let past_last = virtual_index.try_greater_equal(&last)?;
    let before_first = virtual_index.try_less(0.0)?;
    let pick = |past: &Tensor, before: f64, inside: &Tensor| -> Result<Tensor> {
        crate::try_where(
            &past_last,
            past,
            crate::try_where(&before_first, before, inside)?,
        )
    };
    let below = pick(&last, 0.0, &floor)?;
    let above = pick(&last, 0.0, &floor.try_add(1.0)?)?;
    let gamma = crate::try_where(
        &past_last,
        virtual_index.try_add(1.0)?,
        crate::try_where(
            &before_first,
            &virtual_index,
            virtual_index.try_subtract(&floor)?,
        )?,
    )?;
    // A slice of NaN only has `last = -1`; it reads its first element and becomes NaN below.
    let at = |index: &Tensor| -> Result<Tensor> {
        let index = index.try_maximum(0.0)?.try_astype(DType::I64)?;
        sorted.try_take_along_axis(&index, -1)
    };
    let (a, b) = (at(&below)?, at(&above)?);
    let diff = b.try_subtract(&a)?.try_astype(dtype)?;
    let (a, b) = (a.try_astype(dtype)?, b.try_astype(dtype)?);
    // `1 - gamma` and `gamma` are computed in float64 and meet the data as numpy's scalars do.
    let from_above =
        b.try_subtract(diff.try_multiply(gamma.try_negative()?.try_add(1.0)?.try_astype(dtype)?)?)?;
    let from_below = a.try_add(diff.try_multiply(gamma.try_astype(dtype)?)?)?;
    let res = crate::try_where(&gamma.try_greater_equal(0.5)?, &from_above, &from_below)?;
    let res = crate::try_where(&count.try_equal(0)?, nan(dtype), &res)?;
    res.try_reshape(&res.shape()[..res.ndim() - 1])
}

impl Tensor {
    /// The `q`-th quantiles over `axes` of the values that are not NaN (`np.nanquantile`); NaN
    /// where a slice holds only NaN.
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, f64::NAN, 3.0], [f64::NAN, f64::NAN, f64::NAN]]);
    /// let q = a.nanquantile(0.5, Some(&[1]), false).to_vec::<f64>();
    /// assert_eq!(q[0], 2.0);
    /// assert!(q[1].is_nan());
    /// ```
    #[track_caller]
    pub fn nanquantile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Tensor {
        unwrap_at_caller(self.try_nanquantile(q, axes, keepdims))
    }

    /// Fallible [`Tensor::nanquantile`].
    #[track_caller]
    pub fn try_nanquantile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.quantiles_of("nanquantile", q, 1.0, axes, keepdims, true)
    }

    /// The `q`-th percentiles over `axes` of the values that are not NaN (`np.nanpercentile`).
    #[track_caller]
    pub fn nanpercentile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Tensor {
        unwrap_at_caller(self.try_nanpercentile(q, axes, keepdims))
    }

    /// Fallible [`Tensor::nanpercentile`].
    #[track_caller]
    pub fn try_nanpercentile(
        &self,
        q: impl IntoQuantiles,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.quantiles_of("nanpercentile", q, 100.0, axes, keepdims, true)
    }

    /// The weighted average over `axes`, as `np.average(a, axis, weights, keepdims=...)`:
    /// `sum(a * w) / sum(w)`, the plain mean without weights. Weights have `a`'s shape, or the
    /// shape of `a` along `axes`.
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, 2.0], [3.0, 4.0]]);
    /// let w = lazygrad::array([3.0, 1.0]);
    /// assert_eq!(a.average(Some(&[1]), Some(&w), false).to_vec::<f64>(), vec![1.25, 3.25]);
    /// ```
    #[track_caller]
    pub fn average(
        &self,
        axes: Option<&[isize]>,
        weights: Option<&Tensor>,
        keepdims: bool,
    ) -> Tensor {
        unwrap_at_caller(self.try_average(axes, weights, keepdims))
    }

    /// Fallible [`Tensor::average`].
    #[track_caller]
    pub fn try_average(
        &self,
        axes: Option<&[isize]>,
        weights: Option<&Tensor>,
        keepdims: bool,
    ) -> Result<Tensor> {
        Ok(self.try_average_returned(axes, weights, keepdims)?.0)
    }

    /// `np.average(..., returned=True)`: the average and the sum of the weights behind each
    /// value (the count of elements without weights), of the average's shape.
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 4.0]);
    /// let (avg, total) = a.average_returned(None, Some(&lazygrad::array([1.0, 1.0, 2.0])), false);
    /// assert_eq!((avg.item::<f64>(), total.item::<f64>()), (2.75, 4.0));
    /// ```
    #[track_caller]
    pub fn average_returned(
        &self,
        axes: Option<&[isize]>,
        weights: Option<&Tensor>,
        keepdims: bool,
    ) -> (Tensor, Tensor) {
        unwrap_at_caller(self.try_average_returned(axes, weights, keepdims))
    }

    /// Fallible [`Tensor::average_returned`]: weights of a shape numpy rejects, and weights that
    /// sum to zero (which this computes, as numpy checks them before dividing), are errors.
    #[track_caller]
    pub fn try_average_returned(
        &self,
        axes: Option<&[isize]>,
        weights: Option<&Tensor>,
        keepdims: bool,
    ) -> Result<(Tensor, Tensor)> {
        let Some(weights) = weights else {
            let avg = self.try_reduce(Reduction::Mean, axes, keepdims)?;
            let count = self.size().checked_div(avg.size()).unwrap_or(0);
            let total = Tensor::full_dtype((), count as f64, avg.dtype());
            let total = total.try_broadcast_to(avg.shape_tuple())?;
            return Ok((avg, total));
        };
        // Integers and bools average in float64; floats keep numpy's promotion of the pair.
        let promoted = self.dtype().promote(weights.dtype());
        let dtype = if self.dtype().is_float() {
            promoted
        } else {
            promoted.promote(DType::F64)
        };
        let weights = if weights.shape() == self.shape() {
            weights.clone()
        } else {
            let Some(axes) = axes else {
                return Err(invalid(
                    "average",
                    "Axis must be specified when shapes of a and weights differ.",
                ));
            };
            let given = axes
                .iter()
                .map(|&axis| lazygrad_ir::normalize_axis("average", axis, self.ndim()))
                .collect::<Result<Vec<_>>>()?;
            let along: Vec<usize> = given.iter().map(|&axis| self.shape()[axis]).collect();
            if weights.shape() != &along[..] {
                return Err(invalid(
                    "average",
                    "Shape of weights must be consistent with shape of a along specified axis.",
                ));
            }
            // The weights' axes in increasing order, then ones on the other axes of `a`.
            let mut order: Vec<isize> = (0..given.len() as isize).collect();
            order.sort_by_key(|&i| given[i as usize]);
            let shape: Vec<usize> = (0..self.ndim())
                .map(|axis| {
                    if given.contains(&axis) {
                        self.shape()[axis]
                    } else {
                        1
                    }
                })
                .collect();
            weights
                .try_permute(&order)?
                .try_reshape(&shape[..])?
                .try_broadcast_to(self.shape_tuple())?
        };
        let weights = weights.try_astype(dtype)?;
        let total = weights.try_reduce(Reduction::Sum, axes, keepdims)?;
        let any_zero = total
            .try_equal(0)?
            .try_reduce(Reduction::Any, None, false)?;
        if any_zero.try_item::<bool>()? {
            return Err(invalid(
                "average",
                "Weights sum to zero, can't be normalized",
            ));
        }
        let weighted = self.try_astype(dtype)?.try_multiply(&weights)?;
        let avg = weighted
            .try_reduce(Reduction::Sum, axes, keepdims)?
            .try_divide(&total)?;
        Ok((avg, total))
    }

    /// The range of values (maximum minus minimum) over `axes`, as `np.ptp(a, axis,
    /// keepdims=...)`; integers keep their dtype.
    ///
    /// ```
    /// let a = lazygrad::array([[4, 9, 2], [1, 1, 7]]);
    /// assert_eq!(a.ptp(Some(&[1]), false).to_vec::<i64>(), vec![7, 6]);
    /// ```
    #[track_caller]
    pub fn ptp(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_ptp(axes, keepdims))
    }

    /// Fallible [`Tensor::ptp`].
    #[track_caller]
    pub fn try_ptp(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        let max = self.try_reduce(Reduction::Max, axes, keepdims)?;
        max.try_subtract(&self.try_reduce(Reduction::Min, axes, keepdims)?)
    }
}

/// The covariance matrix of the variables in `m`'s rows (its columns when `rowvar` is false),
/// with `y`'s variables appended, as `np.cov(m, y, rowvar, bias, ddof)`: normalized by `N - 1`,
/// or by `N` when `bias`, or by `N - ddof` when `ddof` is given. Always float64, with numpy's
/// squeeze (one variable gives a 0-d result).
///
/// ```
/// let m = lazygrad::array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]);
/// assert_eq!(lazygrad::cov(&m, None, true, false, None).to_vec::<f64>(), vec![1.0, -1.0, -1.0, 1.0]);
/// ```
#[track_caller]
pub fn cov(
    m: &Tensor,
    y: Option<&Tensor>,
    rowvar: bool,
    bias: bool,
    ddof: Option<usize>,
) -> Tensor {
    unwrap_at_caller(try_cov(m, y, rowvar, bias, ddof))
}

/// Fallible [`cov`]: more than two dimensions, or `y` with another number of observations,
/// are errors.
#[track_caller]
pub fn try_cov(
    m: &Tensor,
    y: Option<&Tensor>,
    rowvar: bool,
    bias: bool,
    ddof: Option<usize>,
) -> Result<Tensor> {
    let as_rows = |t: &Tensor, name: &str| -> Result<Tensor> {
        if t.ndim() > 2 {
            return Err(invalid("cov", format!("{name} has more than 2 dimensions")));
        }
        let t = t.try_astype(DType::F64)?;
        let t = if t.ndim() < 2 {
            t.try_reshape([1, -1])?
        } else {
            t
        };
        Ok(if !rowvar && t.shape()[0] != 1 {
            t.t()
        } else {
            t
        })
    };
    let mut x = as_rows(m, "m")?;
    if x.shape()[0] == 0 {
        return Ok(Tensor::full_dtype([0, 0], 0.0, DType::F64));
    }
    if let Some(y) = y {
        x = crate::try_concatenate(&[&x, &as_rows(y, "y")?], 0)?;
    }
    let ddof = ddof.unwrap_or(usize::from(!bias));
    let observations = x.shape()[1];
    // numpy normalizes by zero (to infinities and NaN) when there are too few observations.
    let fact = observations.saturating_sub(ddof) as f64;
    let centered = x.try_subtract(x.try_reduce(Reduction::Mean, Some(&[1]), true)?)?;
    let c = centered
        .try_matmul(&centered.t())?
        .try_multiply(1.0 / fact)?;
    Ok(c.squeeze())
}

/// Pearson correlation coefficients of the variables in `x`'s rows (columns when `rowvar` is
/// false) and `y`'s, as `np.corrcoef(x, y, rowvar)`: the covariance scaled by the standard
/// deviations, clipped to `[-1, 1]`.
///
/// ```
/// let x = lazygrad::array([[1.0, 2.0, 3.0], [6.0, 4.0, 2.0]]);
/// assert_eq!(lazygrad::corrcoef(&x, None, true).to_vec::<f64>(), vec![1.0, -1.0, -1.0, 1.0]);
/// ```
#[track_caller]
pub fn corrcoef(x: &Tensor, y: Option<&Tensor>, rowvar: bool) -> Tensor {
    unwrap_at_caller(try_corrcoef(x, y, rowvar))
}

/// Fallible [`corrcoef`].
#[track_caller]
pub fn try_corrcoef(x: &Tensor, y: Option<&Tensor>, rowvar: bool) -> Result<Tensor> {
    let c = try_cov(x, y, rowvar, false, None)?;
    if c.ndim() != 2 {
        // numpy's `diag` fails on the 0-d covariance of one variable, and it returns `c / c`.
        return c.try_divide(&c);
    }
    let stddev = c.diagonal(0).try_sqrt()?;
    let c = c
        .try_divide(stddev.try_reshape([-1, 1])?)?
        .try_divide(stddev.try_reshape([1, -1])?)?;
    Ok(c.clip(-1.0, 1.0))
}

impl Tensor {
    /// The histogram of the flattened tensor, as `np.histogram(a, bins, range)`: the int64
    /// counts and the bin edges. Each bin holds `edges[i] <= x < edges[i + 1]`, the last one
    /// `x <= edges[-1]` too; values outside the edges (and NaN) are not counted.
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 2.0, 4.0]);
    /// let (counts, edges) = a.histogram(3, None);
    /// assert_eq!(counts.to_vec::<i64>(), vec![1, 2, 1]);
    /// assert_eq!(edges.to_vec::<f64>(), vec![1.0, 2.0, 3.0, 4.0]);
    /// ```
    #[track_caller]
    pub fn histogram(&self, bins: impl Into<Bins>, range: Option<(f64, f64)>) -> (Tensor, Tensor) {
        unwrap_at_caller(self.try_histogram(bins, range))
    }

    /// Fallible [`Tensor::histogram`]: zero bins, edges that decrease, a bad or non-finite range
    /// (including one found from data holding NaN or infinities) are numpy's errors.
    #[track_caller]
    pub fn try_histogram(
        &self,
        bins: impl Into<Bins>,
        range: Option<(f64, f64)>,
    ) -> Result<(Tensor, Tensor)> {
        let flat = self.try_reshape([-1])?;
        let edges = match bins.into() {
            Bins::Count(0) => {
                return Err(invalid(
                    "histogram",
                    "`bins` must be positive, when an integer",
                ));
            }
            Bins::Count(count) => {
                let (first, last) = outer_edges(&flat, range)?;
                let dtype = mean_dtype(self.dtype());
                equal_edges(first, last, count)?.try_astype(dtype)?
            }
            Bins::Edges(edges) => {
                if edges.ndim() != 1 || edges.size() == 0 {
                    return Err(invalid("histogram", "`bins` must be 1d, when an array"));
                }
                let values = edges.try_astype(DType::F64)?.try_to_vec::<f64>()?;
                if values.windows(2).any(|pair| pair[0] > pair[1]) {
                    return Err(invalid(
                        "histogram",
                        "`bins` must increase monotonically, when an array",
                    ));
                }
                edges
            }
        };
        // numpy's `_search_sorted_inclusive`: how many values lie below each edge, counting
        // the values equal to the last edge too; the differences are the counts.
        let n_edges = edges.size();
        let below = count_below(&flat, &edges.try_slice(s![..n_edges - 1])?, Side::Left)?;
        let through_last = count_below(&flat, &edges.try_slice(s![n_edges - 1..])?, Side::Right)?;
        let cumulative = crate::try_concatenate(&[&below, &through_last], 0)?;
        let counts = cumulative
            .try_slice(s![1..])?
            .try_subtract(cumulative.try_slice(s![..n_edges - 1])?)?;
        Ok((counts, edges))
    }
}

/// numpy's `_get_outer_edges`: the range given, or the data's minimum and maximum (which this
/// computes), widened by one half each way when they are equal.
fn outer_edges(flat: &Tensor, range: Option<(f64, f64)>) -> Result<(f64, f64)> {
    let (first, last) = match range {
        Some((first, last)) => {
            if first > last {
                return Err(invalid(
                    "histogram",
                    "max must be larger than min in range parameter.",
                ));
            }
            if !(first.is_finite() && last.is_finite()) {
                let (first, last) = (py_float(first), py_float(last));
                return Err(invalid(
                    "histogram",
                    format!("supplied range of [{first}, {last}] is not finite"),
                ));
            }
            (first, last)
        }
        None if flat.size() == 0 => (0.0, 1.0),
        None => {
            let extreme = |reduction| -> Result<f64> {
                let value = flat.try_reduce(reduction, None, false)?;
                value.try_astype(DType::F64)?.try_item::<f64>()
            };
            let (first, last) = (extreme(Reduction::Min)?, extreme(Reduction::Max)?);
            if !(first.is_finite() && last.is_finite()) {
                let (first, last) = (py_float(first), py_float(last));
                return Err(invalid(
                    "histogram",
                    format!("autodetected range of [{first}, {last}] is not finite"),
                ));
            }
            (first, last)
        }
    };
    Ok(if first == last {
        (first - 0.5, last + 0.5)
    } else {
        (first, last)
    })
}

/// `count + 1` equally spaced float64 edges from `first` to `last`, as numpy's `linspace`
/// computes them (`i * step + first`, the last edge exactly `last`), built fallibly so that a
/// count no machine can hold is an error.
fn equal_edges(first: f64, last: f64, count: usize) -> Result<Tensor> {
    // A checked size's bytes fit `isize`, so one more edge cannot overflow.
    Shape::new(&[count]).check_size("histogram", DType::F64)?;
    Shape::new(&[count + 1]).check_size("histogram", DType::F64)?;
    let step = (last - first) / count as f64;
    let inner = crate::try_arange_step(0, count as i64, 1)?
        .try_astype(DType::F64)?
        .try_multiply(step)?
        .try_add(first)?;
    crate::try_concatenate(&[&inner, &Tensor::full_dtype([1], last, DType::F64)], 0)
}

impl Tensor {
    /// How often each value occurs in a 1-d tensor of non-negative integers, as
    /// `np.bincount(x, weights, minlength)`: int64 counts, or float64 sums of `weights`. The
    /// length is `max(x) + 1` (at least `minlength`), which this computes, as masks do.
    ///
    /// ```
    /// let x = lazygrad::array([0, 1, 1, 3]);
    /// assert_eq!(x.bincount(None, 0).to_vec::<i64>(), vec![1, 2, 0, 1]);
    /// let w = lazygrad::array([0.5, 1.0, 1.0, 2.0]);
    /// assert_eq!(x.bincount(Some(&w), 6).to_vec::<f64>(), vec![0.5, 2.0, 0.0, 2.0, 0.0, 0.0]);
    /// ```
    #[track_caller]
    pub fn bincount(&self, weights: Option<&Tensor>, minlength: usize) -> Tensor {
        unwrap_at_caller(self.try_bincount(weights, minlength))
    }

    /// Fallible [`Tensor::bincount`]: negative values, floats, other than 1-d input and weights
    /// of another length are numpy's errors, and a length too big to allocate is an error.
    #[track_caller]
    pub fn try_bincount(&self, weights: Option<&Tensor>, minlength: usize) -> Result<Tensor> {
        match self.ndim() {
            0 => {
                return Err(invalid(
                    "bincount",
                    "object of too small depth for desired array",
                ));
            }
            1 => {}
            _ => return Err(invalid("bincount", "object too deep for desired array")),
        }
        if self.dtype().is_float() {
            let dtype = self.dtype();
            return Err(invalid(
                "bincount",
                format!(
                    "Cannot cast array data from dtype('{dtype}') to dtype('int64') according to the rule 'safe'"
                ),
            ));
        }
        if weights.is_some_and(|w| w.shape() != self.shape()) {
            return Err(invalid(
                "bincount",
                "The weights and list don't have the same length.",
            ));
        }
        let x = self.try_astype(DType::I64)?;
        let length = if x.size() == 0 {
            minlength
        } else {
            let lowest = x
                .try_reduce(Reduction::Min, None, false)?
                .try_item::<i64>()?;
            if lowest < 0 {
                return Err(invalid(
                    "bincount",
                    "'list' argument must have no negative elements",
                ));
            }
            let highest = x
                .try_reduce(Reduction::Max, None, false)?
                .try_item::<i64>()?;
            // `highest` is non-negative and below `i64::MAX`, so one more fits `usize`.
            (highest as usize + 1).max(minlength)
        };
        let dtype = if weights.is_some() {
            DType::F64
        } else {
            DType::I64
        };
        Shape::new(&[length]).check_size("bincount", dtype)?;
        let zeros = Tensor::full_dtype([length], 0, dtype);
        match weights {
            Some(w) => zeros.try_add_at(s![&x], w.try_astype(DType::F64)?),
            None => zeros.try_add_at(s![&x], 1),
        }
    }
}

// The NaN-ignoring reductions: numpy's `nanfunctions`, which replace NaN by a neutral value and
// count what is left. Integer and bool tensors hold no NaN, so they take the plain reductions.
impl Tensor {
    /// Where the elements are NaN, or `None` for dtypes that cannot hold NaN.
    fn nan_mask(&self) -> Result<Option<Tensor>> {
        if self.dtype().is_float() {
            Ok(Some(self.try_not_equal(self)?))
        } else {
            Ok(None)
        }
    }

    /// The tensor with NaN replaced by `value`, and where the NaN were.
    fn replace_nan(&self, value: f64) -> Result<(Tensor, Option<Tensor>)> {
        let Some(mask) = self.nan_mask()? else {
            return Ok((self.clone(), None));
        };
        let filled = Tensor::full_dtype((), value, self.dtype());
        Ok((crate::try_where(&mask, &filled, self)?, Some(mask)))
    }

    /// The sum over `axes` treating NaN as zero, as `np.nansum(a, axis, keepdims=...)`.
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, f64::NAN], [2.0, 3.0]]);
    /// assert_eq!(a.nansum(Some(&[1]), false).to_vec::<f64>(), vec![1.0, 5.0]);
    /// ```
    #[track_caller]
    pub fn nansum(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nansum(axes, keepdims))
    }

    /// Fallible [`Tensor::nansum`].
    #[track_caller]
    pub fn try_nansum(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        self.replace_nan(0.0)?
            .0
            .try_reduce(Reduction::Sum, axes, keepdims)
    }

    /// The product over `axes` treating NaN as one, as `np.nanprod(a, axis, keepdims=...)`.
    ///
    /// ```
    /// let a = lazygrad::array([[2.0, f64::NAN], [2.0, 3.0]]);
    /// assert_eq!(a.nanprod(Some(&[1]), false).to_vec::<f64>(), vec![2.0, 6.0]);
    /// ```
    #[track_caller]
    pub fn nanprod(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanprod(axes, keepdims))
    }

    /// Fallible [`Tensor::nanprod`].
    #[track_caller]
    pub fn try_nanprod(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        self.replace_nan(1.0)?
            .0
            .try_reduce(Reduction::Prod, axes, keepdims)
    }

    /// The running sum along `axis` (the flattened tensor for `None`) treating NaN as zero, as
    /// `np.nancumsum(a, axis)`.
    #[track_caller]
    pub fn nancumsum(&self, axis: Option<isize>) -> Tensor {
        unwrap_at_caller(self.try_nancumsum(axis))
    }

    /// Fallible [`Tensor::nancumsum`].
    #[track_caller]
    pub fn try_nancumsum(&self, axis: Option<isize>) -> Result<Tensor> {
        let axes = axis.map(|axis| [axis]);
        self.replace_nan(0.0)?
            .0
            .try_reduce(Reduction::CumSum, axes.as_ref().map(|a| &a[..]), false)
    }

    /// The running product along `axis` (the flattened tensor for `None`) treating NaN as one,
    /// as `np.nancumprod(a, axis)`.
    #[track_caller]
    pub fn nancumprod(&self, axis: Option<isize>) -> Tensor {
        unwrap_at_caller(self.try_nancumprod(axis))
    }

    /// Fallible [`Tensor::nancumprod`].
    #[track_caller]
    pub fn try_nancumprod(&self, axis: Option<isize>) -> Result<Tensor> {
        let axes = axis.map(|axis| [axis]);
        self.replace_nan(1.0)?.0.try_reduce(
            Reduction::CumProd,
            axes.as_ref().map(|a| &a[..]),
            false,
        )
    }

    /// The `n`-th discrete difference along `axis` (`np.diff(a, n, axis)`): `a[1:] - a[:-1]`,
    /// `n` times; bools give `a[1:] != a[:-1]`, as numpy's.
    ///
    /// ```
    /// let a = lazygrad::array([1, 2, 4, 7, 0]);
    /// assert_eq!(a.diff(1, -1).to_vec::<i64>(), vec![1, 2, 3, -7]);
    /// assert_eq!(a.diff(2, -1).to_vec::<i64>(), vec![1, 1, -10]);
    /// ```
    #[track_caller]
    pub fn diff(&self, n: usize, axis: isize) -> Tensor {
        unwrap_at_caller(self.try_diff(n, axis))
    }

    /// Fallible [`Tensor::diff`]: an axis out of range, or a 0-d tensor, is numpy's error.
    #[track_caller]
    pub fn try_diff(&self, n: usize, axis: isize) -> Result<Tensor> {
        if self.ndim() == 0 {
            lazygrad_ir::bail!(
                "diff",
                "diff requires input that is at least one dimensional"
            );
        }
        let axis = lazygrad_ir::normalize_axis("diff", axis, self.ndim())?;
        let window = |start: Option<isize>, stop: Option<isize>| {
            let mut args: Vec<crate::SliceArg> = (0..self.ndim())
                .map(|_| crate::SliceArg::from(..))
                .collect();
            args[axis] = crate::SliceArg::Range {
                start,
                stop,
                step: 1,
            };
            args
        };
        let mut res = self.clone();
        // Past the axis length every further difference is empty, so the loop stops there.
        for _ in 0..n.min(self.shape()[axis] + 1) {
            let (later, earlier) = (
                res.try_slice(window(Some(1), None))?,
                res.try_slice(window(None, Some(-1)))?,
            );
            res = if res.dtype() == DType::Bool {
                later.try_not_equal(&earlier)?
            } else {
                later.try_subtract(&earlier)?
            };
        }
        Ok(res)
    }

    /// The differences of the flattened tensor (`np.ediff1d(a)`); unlike `diff`, bools are
    /// numpy's subtract error.
    #[track_caller]
    pub fn ediff1d(&self) -> Tensor {
        let flat = self.ravel();
        flat.slice(s![1..]) - flat.slice(s![..-1])
    }

    /// The mean over `axes` of the values that are not NaN, as `np.nanmean`; NaN where a slice
    /// holds only NaN.
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, f64::NAN], [2.0, 3.0]]);
    /// assert_eq!(a.nanmean(Some(&[1]), false).to_vec::<f64>(), vec![1.0, 2.5]);
    /// ```
    #[track_caller]
    pub fn nanmean(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanmean(axes, keepdims))
    }

    /// Fallible [`Tensor::nanmean`].
    #[track_caller]
    pub fn try_nanmean(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        let (filled, Some(mask)) = self.replace_nan(0.0)? else {
            return self.try_reduce(Reduction::Mean, axes, keepdims);
        };
        let total = filled.try_reduce(Reduction::Sum, axes, keepdims)?;
        total.try_divide(&self.count_not_nan(&mask, axes, keepdims)?)
    }

    /// The number of values that are not NaN over `axes`, in this tensor's float dtype.
    fn count_not_nan(
        &self,
        mask: &Tensor,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        let count = mask
            .try_logical_not()?
            .try_reduce(Reduction::Sum, axes, keepdims)?;
        count.try_astype(self.dtype())
    }

    /// The variance over `axes` of the values that are not NaN, with `ddof` delta degrees of
    /// freedom, as `np.nanvar`; NaN where fewer than `ddof + 1` values are left.
    ///
    /// ```
    /// let a = lazygrad::array([1.0, f64::NAN, 3.0]);
    /// assert_eq!(a.nanvar(None, 0, false).item::<f64>(), 1.0);
    /// ```
    #[track_caller]
    pub fn nanvar(&self, axes: Option<&[isize]>, ddof: usize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanvar(axes, ddof, keepdims))
    }

    /// Fallible [`Tensor::nanvar`].
    #[track_caller]
    pub fn try_nanvar(
        &self,
        axes: Option<&[isize]>,
        ddof: usize,
        keepdims: bool,
    ) -> Result<Tensor> {
        let (filled, Some(mask)) = self.replace_nan(0.0)? else {
            return self.try_reduce(Reduction::Var(ddof), axes, keepdims);
        };
        let count = self.count_not_nan(&mask, axes, true)?;
        let mean = filled
            .try_reduce(Reduction::Sum, axes, true)?
            .try_divide(&count)?;
        let zero = Tensor::full_dtype((), 0, self.dtype());
        let centered = crate::try_where(&mask, &zero, filled.try_subtract(&mean)?)?;
        let squares = centered.try_multiply(&centered)?;
        let total = squares.try_reduce(Reduction::Sum, axes, keepdims)?;
        let count = count.try_reshape(total.shape_tuple())?;
        // `ddof` beyond any count makes every slice NaN; saturating keeps that without overflow.
        let dof = count.try_subtract(ddof.min(1 << 53) as f64)?;
        crate::try_where(
            &dof.try_less_equal(0)?,
            nan(self.dtype()),
            total.try_divide(&dof)?,
        )
    }

    /// The standard deviation over `axes` of the values that are not NaN, as `np.nanstd`: the
    /// square root of [`Tensor::nanvar`].
    #[track_caller]
    pub fn nanstd(&self, axes: Option<&[isize]>, ddof: usize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanstd(axes, ddof, keepdims))
    }

    /// Fallible [`Tensor::nanstd`].
    #[track_caller]
    pub fn try_nanstd(
        &self,
        axes: Option<&[isize]>,
        ddof: usize,
        keepdims: bool,
    ) -> Result<Tensor> {
        self.try_nanvar(axes, ddof, keepdims)?.try_sqrt()
    }

    /// The largest value over `axes` ignoring NaN, as `np.nanmax`; NaN where a slice holds
    /// only NaN.
    ///
    /// ```
    /// let a = lazygrad::array([[1.0, f64::NAN], [f64::NAN, f64::NAN]]);
    /// assert_eq!(a.nanmax(Some(&[1]), false).to_vec::<f64>()[0], 1.0);
    /// assert!(a.nanmax(Some(&[1]), false).to_vec::<f64>()[1].is_nan());
    /// ```
    #[track_caller]
    pub fn nanmax(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanmax(axes, keepdims))
    }

    /// Fallible [`Tensor::nanmax`]: an empty slice is numpy's error, as for `max`.
    #[track_caller]
    pub fn try_nanmax(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        self.nan_extreme(Reduction::Max, f64::NEG_INFINITY, axes, keepdims)
    }

    /// The smallest value over `axes` ignoring NaN, as `np.nanmin`.
    #[track_caller]
    pub fn nanmin(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanmin(axes, keepdims))
    }

    /// Fallible [`Tensor::nanmin`].
    #[track_caller]
    pub fn try_nanmin(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        self.nan_extreme(Reduction::Min, f64::INFINITY, axes, keepdims)
    }

    /// `reduction` (max or min) with NaN replaced by `fill`, its identity; slices of NaN only
    /// give NaN back.
    #[track_caller]
    fn nan_extreme(
        &self,
        reduction: Reduction,
        fill: f64,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        let (filled, Some(mask)) = self.replace_nan(fill)? else {
            return self.try_reduce(reduction, axes, keepdims);
        };
        let res = filled.try_reduce(reduction, axes, keepdims)?;
        let all_nan = mask.try_reduce(Reduction::All, axes, keepdims)?;
        crate::try_where(&all_nan, nan(self.dtype()), &res)
    }

    /// The int64 index of the largest value ignoring NaN, along `axis` (flattened when `None`),
    /// as `np.nanargmax`; a slice of NaN only is numpy's error, which this computes.
    ///
    /// ```
    /// let a = lazygrad::array([[f64::NAN, 4.0], [2.0, 1.0]]);
    /// assert_eq!(a.nanargmax(None, false).item::<i64>(), 1);
    /// assert_eq!(a.nanargmax(Some(0), false).to_vec::<i64>(), vec![1, 0]);
    /// ```
    #[track_caller]
    pub fn nanargmax(&self, axis: Option<isize>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanargmax(axis, keepdims))
    }

    /// Fallible [`Tensor::nanargmax`].
    #[track_caller]
    pub fn try_nanargmax(&self, axis: Option<isize>, keepdims: bool) -> Result<Tensor> {
        self.nan_arg_extreme(Reduction::ArgMax, f64::NEG_INFINITY, axis, keepdims)
    }

    /// The int64 index of the smallest value ignoring NaN, as `np.nanargmin`.
    #[track_caller]
    pub fn nanargmin(&self, axis: Option<isize>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanargmin(axis, keepdims))
    }

    /// Fallible [`Tensor::nanargmin`].
    #[track_caller]
    pub fn try_nanargmin(&self, axis: Option<isize>, keepdims: bool) -> Result<Tensor> {
        self.nan_arg_extreme(Reduction::ArgMin, f64::INFINITY, axis, keepdims)
    }

    #[track_caller]
    fn nan_arg_extreme(
        &self,
        reduction: Reduction,
        fill: f64,
        axis: Option<isize>,
        keepdims: bool,
    ) -> Result<Tensor> {
        let axes = axis.map(|axis| [axis]);
        let axes = axes.as_ref().map(|axes| &axes[..]);
        let (filled, mask) = self.replace_nan(fill)?;
        let res = filled.try_reduce(reduction, axes, keepdims)?;
        if let Some(mask) = mask {
            let all_nan = mask.try_reduce(Reduction::All, axes, false)?;
            if all_nan
                .try_reduce(Reduction::Any, None, false)?
                .try_item::<bool>()?
            {
                let op = if reduction == Reduction::ArgMax {
                    "nanargmax"
                } else {
                    "nanargmin"
                };
                return Err(invalid(op, "All-NaN slice encountered"));
            }
        }
        Ok(res)
    }

    /// The median over `axes` of the values that are not NaN, as `np.nanmedian`; NaN where a
    /// slice holds only NaN.
    ///
    /// ```
    /// let a = lazygrad::array([[3.0, f64::NAN, 1.0], [4.0, 2.0, f64::NAN]]);
    /// assert_eq!(a.nanmedian(Some(&[1]), false).to_vec::<f64>(), vec![2.0, 3.0]);
    /// ```
    #[track_caller]
    pub fn nanmedian(&self, axes: Option<&[isize]>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_nanmedian(axes, keepdims))
    }

    /// Fallible [`Tensor::nanmedian`].
    #[track_caller]
    pub fn try_nanmedian(&self, axes: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
        if !self.dtype().is_float() {
            return self.try_median(axes, keepdims);
        }
        let (merged, out_shape) = merge_axes(self, "nanmedian", axes, keepdims)?;
        let n = merged.shape()[merged.ndim() - 1];
        if n == 0 {
            return nan(self.dtype()).try_broadcast_to(&Shape::from(out_shape));
        }
        // NaN sorts last, so the values that are not NaN come first, `count` of them per slice;
        // the two middle ones of those sit at `(count - 1) / 2` and `count / 2`. A slice of NaN
        // only reads its first element, which is NaN.
        let count = merged
            .try_equal(&merged)?
            .try_reduce(Reduction::Sum, Some(&[-1]), true)?;
        let lower_at = count.try_subtract(1)?.try_floor_divide(2)?.try_maximum(0)?;
        let upper_at = count.try_floor_divide(2)?.try_minimum(n as i64 - 1)?;
        let sorted = merged.sort(-1);
        let lower = sorted.try_take_along_axis(&lower_at, -1)?;
        let upper = sorted.try_take_along_axis(&upper_at, -1)?;
        let res = crate::try_where(
            &lower_at.try_equal(&upper_at)?,
            &lower,
            middle(&lower, &upper)?,
        )?;
        res.try_reshape(&out_shape[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_floats_print_as_numpy_messages_show_them() {
        let printed: Vec<String> = [
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            1.0,
            -2.5,
            1e300,
            1.5e-7,
        ]
        .into_iter()
        .map(py_float)
        .collect();
        assert_eq!(
            printed,
            ["nan", "inf", "-inf", "1.0", "-2.5", "1e+300", "1.5e-07"]
        );
    }

    #[test]
    fn merged_axes_keep_the_other_axes_in_order() {
        let a = crate::arange(24).reshape([2, 3, 4]);
        let (merged, out) = merge_axes(&a, "median", Some(&[0, 2]), true).expect("valid axes");
        assert_eq!((merged.shape(), &out[..]), (&[3, 8][..], &[1, 3, 1][..]));
        assert_eq!(
            merged.slice(s![1]).to_vec::<i64>(),
            vec![4, 5, 6, 7, 16, 17, 18, 19]
        );
    }
}
