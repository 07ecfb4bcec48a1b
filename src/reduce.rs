//! Reductions and scans with numpy's axes, keepdims and result dtypes.

use crate::Tensor;
use crate::args::IntoAxes;
use crate::tensor::unwrap_at_caller;
use lazygrad_ir::{
    Axes, DType, Error, Op, ReduceOp, Result, Shape, normalize_axes, normalize_axis,
};

/// The dtype numpy accumulates `sum`, `prod`, `cumsum` and `cumprod` in: bool and signed
/// integers widen to int64, unsigned ones to uint64 (a `uint8` sum is `uint64`).
fn accumulate_dtype(dtype: DType) -> DType {
    match dtype {
        DType::Bool | DType::I8 | DType::I16 | DType::I32 => DType::I64,
        DType::U8 | DType::U16 | DType::U32 => DType::U64,
        other => other,
    }
}

/// The float dtype `mean`, `var` and `std` compute in: float32 stays, float16 computes in
/// float32 (and the result is float16 again, as numpy does), everything else is float64.
pub(crate) fn mean_dtype(dtype: DType) -> DType {
    match dtype {
        DType::F16 | DType::F32 => DType::F32,
        _ => DType::F64,
    }
}

/// The dtype of a `mean`, `var` or `std` of `dtype`: float16 stays float16.
fn mean_result(res: Tensor, dtype: DType) -> Result<Tensor> {
    if dtype == DType::F16 {
        res.try_astype(DType::F16)
    } else {
        Ok(res)
    }
}

impl Tensor {
    /// Reduces `axes` (all when `None`) with a primitive, dropping them unless `keepdims`.
    #[track_caller]
    fn reduce(
        &self,
        label: &'static str,
        op: ReduceOp,
        axes: Option<Vec<isize>>,
        keepdims: bool,
    ) -> Result<Tensor> {
        if self.dtype() == DType::F16 && matches!(op, ReduceOp::Sum | ReduceOp::Prod) {
            // numpy's float16 reductions accumulate in float32 and round once at the end.
            return self
                .try_astype(DType::F32)?
                .reduce(label, op, axes, keepdims)?
                .try_astype(DType::F16);
        }
        let axes: Axes = match axes {
            None => (0..self.ndim()).collect(),
            Some(axes) => normalize_axes(label, &axes, self.ndim())?,
        };
        // `any` and `all` are a max and a min over bools, which have identities (false and
        // true): numpy's `np.any([])` is False and `np.all([])` is True.
        if matches!(op, ReduceOp::Max | ReduceOp::Min)
            && !matches!(label, "any" | "all")
            && axes.iter().any(|&axis| self.shape()[axis] == 0)
        {
            // numpy names the ufunc whose reduction has no identity.
            let ufunc = if matches!(op, ReduceOp::Max) {
                "maximum"
            } else {
                "minimum"
            };
            return Err(Error::Invalid {
                op: label,
                message: format!(
                    "zero-size array to reduction operation {ufunc} which has no identity"
                ),
            });
        }
        let reduced = Tensor::try_op(Op::Reduce(op, axes.clone()), vec![self.clone()])?;
        if keepdims {
            return Ok(reduced);
        }
        let shape: Shape = self
            .shape()
            .iter()
            .enumerate()
            .filter(|(axis, _)| !axes.contains(axis))
            .map(|(_, &dim)| dim)
            .collect();
        reduced.try_reshape(&shape)
    }

    /// Sum over `axes` (`np.sum(a, axis, keepdims=...)`); bool and small integers sum in int64.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.sum_axes([0], false).to_vec::<i64>(), vec![4, 6]);
    /// assert_eq!(a.sum_axes([-1], true).shape(), &[2, 1]);
    /// ```
    #[track_caller]
    pub fn sum_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_sum_axes(axes, keepdims))
    }

    /// Fallible [`Tensor::sum_axes`].
    #[track_caller]
    pub fn try_sum_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Result<Tensor> {
        self.try_astype(accumulate_dtype(self.dtype()))?.reduce(
            "sum",
            ReduceOp::Sum,
            Some(axes.into_axes()),
            keepdims,
        )
    }

    /// Sum of all elements (`a.sum()`), a 0-d tensor.
    ///
    /// ```
    /// assert_eq!(lazygrad::array([[1, 2], [3, 4]]).sum().item::<i64>(), 10);
    /// ```
    #[track_caller]
    pub fn sum(&self) -> Tensor {
        let all: Vec<isize> = (0..self.ndim() as isize).collect();
        self.sum_axes(all, false)
    }

    /// Sum along one axis (`a.sum(axis=1)`).
    #[track_caller]
    pub fn sum_axis(&self, axis: isize) -> Tensor {
        self.sum_axes(axis, false)
    }

    /// Product over `axes` (`np.prod`); bool and small integers multiply in int64.
    #[track_caller]
    pub fn prod_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.astype(accumulate_dtype(self.dtype())).reduce(
            "prod",
            ReduceOp::Prod,
            Some(axes.into_axes()),
            keepdims,
        ))
    }

    /// Product of all elements.
    #[track_caller]
    pub fn prod(&self) -> Tensor {
        unwrap_at_caller(self.astype(accumulate_dtype(self.dtype())).reduce(
            "prod",
            ReduceOp::Prod,
            None,
            false,
        ))
    }

    /// Largest element over `axes` (`np.max`); an error on an empty axis, as in numpy.
    #[track_caller]
    pub fn max_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.reduce("max", ReduceOp::Max, Some(axes.into_axes()), keepdims))
    }

    /// Largest element (`a.max()`).
    #[track_caller]
    pub fn max(&self) -> Tensor {
        unwrap_at_caller(self.reduce("max", ReduceOp::Max, None, false))
    }

    /// Smallest element over `axes` (`np.min`).
    #[track_caller]
    pub fn min_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.reduce("min", ReduceOp::Min, Some(axes.into_axes()), keepdims))
    }

    /// Smallest element (`a.min()`).
    #[track_caller]
    pub fn min(&self) -> Tensor {
        unwrap_at_caller(self.reduce("min", ReduceOp::Min, None, false))
    }

    /// Smallest element along one axis (`a.min(axis=1)`).
    #[track_caller]
    pub fn min_axis(&self, axis: isize) -> Tensor {
        self.min_axes(axis, false)
    }

    /// Largest element along one axis (`a.max(axis=1)`).
    #[track_caller]
    pub fn max_axis(&self, axis: isize) -> Tensor {
        self.max_axes(axis, false)
    }

    /// Whether any element over `axes` is nonzero (`np.any`).
    #[track_caller]
    pub fn any_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.truth().reduce(
            "any",
            ReduceOp::Max,
            Some(axes.into_axes()),
            keepdims,
        ))
    }

    /// Whether any element is nonzero.
    #[track_caller]
    pub fn any(&self) -> Tensor {
        unwrap_at_caller(self.truth().reduce("any", ReduceOp::Max, None, false))
    }

    /// Whether every element over `axes` is nonzero (`np.all`).
    #[track_caller]
    pub fn all_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.truth().reduce(
            "all",
            ReduceOp::Min,
            Some(axes.into_axes()),
            keepdims,
        ))
    }

    /// Whether every element is nonzero.
    #[track_caller]
    pub fn all(&self) -> Tensor {
        unwrap_at_caller(self.truth().reduce("all", ReduceOp::Min, None, false))
    }

    #[track_caller]
    fn truth(&self) -> Tensor {
        if self.dtype() == DType::Bool {
            self.clone()
        } else {
            self.not_equal(0)
        }
    }

    /// Mean over `axes` (`np.mean`): integers average in float64, float32 stays float32.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.mean_axes([1], false).to_vec::<f64>(), vec![1.5, 3.5]);
    /// ```
    #[track_caller]
    pub fn mean_axes(&self, axes: impl IntoAxes, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_mean(Some(axes.into_axes()), keepdims))
    }

    /// Mean of all elements.
    #[track_caller]
    pub fn mean(&self) -> Tensor {
        unwrap_at_caller(self.try_mean(None, false))
    }

    #[track_caller]
    fn try_mean(&self, axes: Option<Vec<isize>>, keepdims: bool) -> Result<Tensor> {
        let count = self.count("mean", &axes)?;
        let sum = self.try_astype(mean_dtype(self.dtype()))?.reduce(
            "mean",
            ReduceOp::Sum,
            axes,
            keepdims,
        )?;
        mean_result(sum.try_divide(count as f64)?, self.dtype())
    }

    /// The number of elements the reduction `op` over `axes` combines; `op` names it in errors.
    fn count(&self, op: &'static str, axes: &Option<Vec<isize>>) -> Result<usize> {
        Ok(match axes {
            None => self.size(),
            Some(axes) => normalize_axes(op, axes, self.ndim())?
                .iter()
                .map(|&axis| self.shape()[axis])
                .product(),
        })
    }

    /// Variance over `axes` with `ddof` delta degrees of freedom (`np.var`).
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, 3.0, 4.0]);
    /// assert_eq!(a.var(0).item::<f64>(), 1.25);
    /// assert_eq!(a.var_axes([0], 1, false).item::<f64>(), 5.0 / 3.0);
    /// ```
    #[track_caller]
    pub fn var_axes(&self, axes: impl IntoAxes, ddof: usize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_var("var", Some(axes.into_axes()), ddof, keepdims))
    }

    /// Variance of all elements with `ddof` delta degrees of freedom.
    #[track_caller]
    pub fn var(&self, ddof: usize) -> Tensor {
        unwrap_at_caller(self.try_var("var", None, ddof, false))
    }

    /// Standard deviation over `axes` (`np.std`), the square root of [`Tensor::var_axes`].
    #[track_caller]
    pub fn std_axes(&self, axes: impl IntoAxes, ddof: usize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.try_var("std", Some(axes.into_axes()), ddof, keepdims)).sqrt()
    }

    /// Standard deviation of all elements.
    #[track_caller]
    pub fn std(&self, ddof: usize) -> Tensor {
        self.var(ddof).sqrt()
    }

    /// Variance over `axes`; `op` (`var` or `std`) names the user's function in errors.
    #[track_caller]
    fn try_var(
        &self,
        op: &'static str,
        axes: Option<Vec<isize>>,
        ddof: usize,
        keepdims: bool,
    ) -> Result<Tensor> {
        let x = self.try_astype(mean_dtype(self.dtype()))?;
        // Counting first checks the axes under the user's name for the reduction.
        let count = self.count(op, &axes)?;
        let mean = x.try_mean(axes.clone(), true)?;
        let centered = x.try_subtract(&mean)?;
        let sum = (&centered * &centered).reduce(op, ReduceOp::Sum, axes, keepdims)?;
        mean_result(
            sum.try_divide(count.saturating_sub(ddof) as f64)?,
            self.dtype(),
        )
    }

    /// Index of the first largest element of the flattened tensor (`np.argmax`), int64.
    #[track_caller]
    pub fn argmax(&self) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Max, None, false))
    }

    /// Index of the first largest element along `axis`.
    #[track_caller]
    pub fn argmax_axis(&self, axis: isize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Max, Some(axis), keepdims))
    }

    /// `np.argmax(a, axis, keepdims=...)`: `axis` `None` searches the flattened tensor.
    #[track_caller]
    pub fn argmax_with(&self, axis: Option<isize>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Max, axis, keepdims))
    }

    /// `np.argmin(a, axis, keepdims=...)`: `axis` `None` searches the flattened tensor.
    #[track_caller]
    pub fn argmin_with(&self, axis: Option<isize>, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Min, axis, keepdims))
    }

    /// Index of the first smallest element of the flattened tensor (`np.argmin`), int64.
    #[track_caller]
    pub fn argmin(&self) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Min, None, false))
    }

    /// Index of the first smallest element along `axis`.
    #[track_caller]
    pub fn argmin_axis(&self, axis: isize, keepdims: bool) -> Tensor {
        unwrap_at_caller(self.arg_reduce(ReduceOp::Min, Some(axis), keepdims))
    }

    #[track_caller]
    fn arg_reduce(&self, op: ReduceOp, axis: Option<isize>, keepdims: bool) -> Result<Tensor> {
        let label = if op == ReduceOp::Max {
            "argmax"
        } else {
            "argmin"
        };
        let (input, axis) = match axis {
            None => (self.try_reshape([-1])?, 0),
            Some(axis) => (self.clone(), normalize_axis(label, axis, self.ndim())?),
        };
        if input.shape()[axis] == 0 {
            return Err(Error::Invalid {
                op: label,
                message: format!("attempt to get {label} of an empty sequence"),
            });
        }
        let res = Tensor::try_op(Op::ArgReduce(op, axis), vec![input.clone()])?;
        match (keepdims, self.ndim() == input.ndim()) {
            (true, true) => Ok(res),
            (true, false) => res.try_reshape(vec![1; self.ndim()]),
            (false, _) => {
                let mut shape = input.shape().to_vec();
                shape.remove(axis);
                res.try_reshape(&shape[..])
            }
        }
    }

    /// Cumulative sum along `axis` (`a.cumsum(axis)`); small integers accumulate in int64.
    ///
    /// ```
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.cumsum_axis(1).to_vec::<i64>(), vec![1, 3, 3, 7]);
    /// ```
    #[track_caller]
    pub fn cumsum_axis(&self, axis: isize) -> Tensor {
        unwrap_at_caller(self.scan(ReduceOp::Sum, Some(axis)))
    }

    /// Cumulative sum of the flattened tensor (`a.cumsum()`).
    #[track_caller]
    pub fn cumsum(&self) -> Tensor {
        unwrap_at_caller(self.scan(ReduceOp::Sum, None))
    }

    /// Cumulative product along `axis` (`a.cumprod(axis)`).
    #[track_caller]
    pub fn cumprod_axis(&self, axis: isize) -> Tensor {
        unwrap_at_caller(self.scan(ReduceOp::Prod, Some(axis)))
    }

    /// Cumulative product of the flattened tensor (`a.cumprod()`).
    #[track_caller]
    pub fn cumprod(&self) -> Tensor {
        unwrap_at_caller(self.scan(ReduceOp::Prod, None))
    }

    #[track_caller]
    fn scan(&self, op: ReduceOp, axis: Option<isize>) -> Result<Tensor> {
        let label = if op == ReduceOp::Sum {
            "cumsum"
        } else {
            "cumprod"
        };
        let input = self.try_astype(accumulate_dtype(self.dtype()))?;
        let (input, axis) = match axis {
            None => (input.try_reshape([-1])?, 0),
            Some(axis) => (input, normalize_axis(label, axis, self.ndim())?),
        };
        Tensor::try_op(Op::Scan(op, axis), vec![input])
    }
}

/// A reduction or scan by name, for [`Tensor::try_reduce`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// `np.sum`.
    Sum,
    /// `np.prod`.
    Prod,
    /// `np.max`.
    Max,
    /// `np.min`.
    Min,
    /// `np.any`.
    Any,
    /// `np.all`.
    All,
    /// `np.mean`.
    Mean,
    /// `np.var` with `ddof`.
    Var(usize),
    /// `np.std` with `ddof`.
    Std(usize),
    /// `np.argmax` (one axis or flattened).
    ArgMax,
    /// `np.argmin` (one axis or flattened).
    ArgMin,
    /// `np.cumsum` (one axis or flattened; `keepdims` is ignored).
    CumSum,
    /// `np.cumprod` (one axis or flattened; `keepdims` is ignored).
    CumProd,
}

impl Tensor {
    /// The fallible form of every reduction: `axes` `None` reduces all (flattens, for the arg
    /// and cumulative forms, which take at most one axis); bad axes and empty `max`/`argmax`
    /// come back as errors instead of panics.
    ///
    /// ```
    /// use lazygrad::Reduction;
    /// let a = lazygrad::array([[1, 2], [3, 4]]);
    /// assert_eq!(a.try_reduce(Reduction::Max, Some(&[1]), false)?.to_vec::<i64>(), vec![2, 4]);
    /// assert!(a.try_reduce(Reduction::Mean, Some(&[2]), false).is_err());
    /// # Ok::<(), lazygrad::Error>(())
    /// ```
    #[track_caller]
    pub fn try_reduce(
        &self,
        reduction: Reduction,
        axes: Option<&[isize]>,
        keepdims: bool,
    ) -> Result<Tensor> {
        let many = axes.map(<[isize]>::to_vec);
        let one = || -> Result<Option<isize>> {
            match axes {
                None => Ok(None),
                Some([axis]) => Ok(Some(*axis)),
                Some(other) => Err(Error::Invalid {
                    op: "reduce",
                    message: format!("{reduction:?} takes one axis, got {}", other.len()),
                }),
            }
        };
        let widened = || self.try_astype(accumulate_dtype(self.dtype()));
        match reduction {
            Reduction::Sum => widened()?.reduce("sum", ReduceOp::Sum, many, keepdims),
            Reduction::Prod => widened()?.reduce("prod", ReduceOp::Prod, many, keepdims),
            Reduction::Max => self.reduce("max", ReduceOp::Max, many, keepdims),
            Reduction::Min => self.reduce("min", ReduceOp::Min, many, keepdims),
            Reduction::Any => self.truth().reduce("any", ReduceOp::Max, many, keepdims),
            Reduction::All => self.truth().reduce("all", ReduceOp::Min, many, keepdims),
            Reduction::Mean => self.try_mean(many, keepdims),
            Reduction::Var(ddof) => self.try_var("var", many, ddof, keepdims),
            Reduction::Std(ddof) => self.try_var("std", many, ddof, keepdims)?.try_sqrt(),
            Reduction::ArgMax => self.arg_reduce(ReduceOp::Max, one()?, keepdims),
            Reduction::ArgMin => self.arg_reduce(ReduceOp::Min, one()?, keepdims),
            Reduction::CumSum => self.scan(ReduceOp::Sum, one()?),
            Reduction::CumProd => self.scan(ReduceOp::Prod, one()?),
        }
    }
}
