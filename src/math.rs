//! numpy's elementwise functions that are compositions of primitives: the floating point class
//! tests (`isnan`, `isinf`, ...), rounding to decimals, angle conversions, `nan_to_num`,
//! `heaviside`, and the closeness tests (`isclose`, `allclose`, `array_equal`, `array_equiv`).
//!
//! Each is one function of table primitives, so it fuses, differentiates and prints like them;
//! each computes what numpy's own implementation computes, step for step, so results agree bit
//! for bit where the steps are exact.

use crate::Tensor;
use crate::args::{IntoOperand, Operand};
use crate::elementwise::where_;
use lazygrad_ir::DType;

impl Tensor {
    /// Elementwise test for NaN (`np.isnan`); false for integers and bools.
    ///
    /// ```
    /// let a = lazygrad::array([1.0, f64::NAN]);
    /// assert_eq!(a.isnan().to_vec::<bool>(), vec![false, true]);
    /// ```
    #[track_caller]
    pub fn isnan(&self) -> Tensor {
        // NaN is the one value unequal to itself.
        self.not_equal(self)
    }

    /// Elementwise test for positive or negative infinity (`np.isinf`).
    #[track_caller]
    pub fn isinf(&self) -> Tensor {
        if !self.dtype().is_float() {
            return crate::zeros_like(self).astype(DType::Bool);
        }
        self.abs().equal(f64::INFINITY)
    }

    /// Elementwise test for finite values, neither infinity nor NaN (`np.isfinite`).
    #[track_caller]
    pub fn isfinite(&self) -> Tensor {
        if !self.dtype().is_float() {
            return crate::ones_like(self).astype(DType::Bool);
        }
        // NaN compares false, so only finite values pass.
        self.abs().less(f64::INFINITY)
    }

    /// Elementwise test for positive infinity (`np.isposinf`).
    #[track_caller]
    pub fn isposinf(&self) -> Tensor {
        self.equal(f64::INFINITY)
    }

    /// Elementwise test for negative infinity (`np.isneginf`).
    #[track_caller]
    pub fn isneginf(&self) -> Tensor {
        self.equal(f64::NEG_INFINITY)
    }

    /// Elementwise test of the sign bit (`np.signbit`): true for negative numbers, `-0.0`
    /// and NaNs with the sign bit set.
    ///
    /// ```
    /// let a = lazygrad::array([-0.0, 0.0, -2.0]);
    /// assert_eq!(a.signbit().to_vec::<bool>(), vec![true, false, true]);
    /// ```
    #[track_caller]
    pub fn signbit(&self) -> Tensor {
        if !self.dtype().is_float() {
            return self.less(0);
        }
        crate::copysign(1.0, self).less(0.0)
    }

    /// Elementwise rounding toward zero (`np.fix`): [`Tensor::trunc`], as numpy 2 defines it.
    #[track_caller]
    pub fn fix(&self) -> Tensor {
        self.trunc()
    }

    /// Elementwise rounding to `decimals` places, half to even (`np.round`, `np.around`);
    /// negative `decimals` round to tens, hundreds, ...
    ///
    /// As numpy does, it scales by `10**decimals`, rounds with [`Tensor::rint`] and scales back,
    /// so results agree with numpy's bit for bit (including the representation error of
    /// values such as 2.675, which rounds to 2.67). Integers keep their dtype.
    ///
    /// ```
    /// let a = lazygrad::array([0.125, 2.5, 1234.5]);
    /// assert_eq!(a.round(2).to_vec::<f64>(), vec![0.12, 2.5, 1234.5]);
    /// assert_eq!(a.round(-2).to_vec::<f64>(), vec![0.0, 0.0, 1200.0]);
    /// ```
    #[track_caller]
    pub fn round(&self, decimals: i32) -> Tensor {
        let float = self.dtype().is_float();
        if !float && decimals >= 0 {
            return self.clone();
        }
        // numpy's `power_of_ten`: the exact double for every `decimals` that matters.
        let factor = 10f64.powi(decimals.unsigned_abs().min(400) as i32);
        let x = if float {
            self.clone()
        } else {
            self.astype(DType::F64)
        };
        let rounded = if decimals >= 0 {
            (&x * factor).rint() / factor
        } else {
            (&x / factor).rint() * factor
        };
        rounded.astype(self.dtype())
    }

    /// The fractional and whole parts, each with the sign of `self` (`np.modf`):
    /// `modf(-2.5) = (-0.5, -2.0)`, `modf(inf) = (0.0, inf)`.
    ///
    /// ```
    /// let (frac, whole) = lazygrad::array([3.25, -2.5]).modf();
    /// assert_eq!(frac.to_vec::<f64>(), vec![0.25, -0.5]);
    /// assert_eq!(whole.to_vec::<f64>(), vec![3.0, -2.0]);
    /// ```
    #[track_caller]
    pub fn modf(&self) -> (Tensor, Tensor) {
        let x = self.float();
        let whole = x.trunc();
        let frac = where_(&x.isinf(), 0.0, &(&x - &whole));
        (frac.copysign(&x), whole)
    }

    /// Elementwise conversion from degrees to radians (`np.deg2rad`, `np.radians`).
    #[track_caller]
    pub fn deg2rad(&self) -> Tensor {
        self.float() * (std::f64::consts::PI / 180.0)
    }

    /// Elementwise conversion from radians to degrees (`np.rad2deg`, `np.degrees`).
    #[track_caller]
    pub fn rad2deg(&self) -> Tensor {
        self.float() * (180.0 / std::f64::consts::PI)
    }

    /// NaN replaced by 0 and infinities by the dtype's largest finite values (`np.nan_to_num`).
    ///
    /// ```
    /// let a = lazygrad::array([f64::NAN, f64::INFINITY, -1.0]);
    /// assert_eq!(a.nan_to_num().to_vec::<f64>(), vec![0.0, f64::MAX, -1.0]);
    /// ```
    #[track_caller]
    pub fn nan_to_num(&self) -> Tensor {
        let (lowest, highest) = match self.dtype() {
            DType::F32 => (f32::MIN as f64, f32::MAX as f64),
            _ => (f64::MIN, f64::MAX),
        };
        self.nan_to_num_with(0.0, highest, lowest)
    }

    /// [`Tensor::nan_to_num`] with numpy's `nan`, `posinf` and `neginf` replacements.
    #[track_caller]
    pub fn nan_to_num_with(&self, nan: f64, posinf: f64, neginf: f64) -> Tensor {
        if !self.dtype().is_float() {
            return self.clone();
        }
        let finite = where_(&self.isneginf(), neginf, self);
        let finite = where_(&self.isposinf(), posinf, &finite);
        where_(&self.isnan(), nan, &finite)
    }

    /// The Heaviside step function (`np.heaviside(x1, x2)`): 0 below zero, `x2` at zero, 1
    /// above, NaN at NaN.
    ///
    /// ```
    /// let x = lazygrad::array([-1.0, 0.0, 2.0]);
    /// assert_eq!(x.heaviside(0.5).to_vec::<f64>(), vec![0.0, 0.5, 1.0]);
    /// ```
    #[track_caller]
    pub fn heaviside(&self, x2: impl IntoOperand) -> Tensor {
        let x = self.float();
        let at_zero = where_(&x.equal(0.0), x2, &x);
        where_(&x.less(0.0), 0.0, where_(&x.greater(0.0), 1.0, &at_zero))
    }

    /// Elementwise `|self - other| <= atol + rtol * |other|` with numpy's defaults
    /// (`rtol = 1e-5`, `atol = 1e-8`), a lazy bool tensor (`np.isclose`).
    ///
    /// ```
    /// let a = lazygrad::array([1.0, 2.0, f64::NAN]);
    /// let close = a.isclose(&lazygrad::array([1.0 + 1e-9, 2.1, f64::NAN]));
    /// assert_eq!(close.to_vec::<bool>(), vec![true, false, false]);
    /// ```
    #[track_caller]
    pub fn isclose(&self, other: impl IntoOperand) -> Tensor {
        self.isclose_with(other, 1e-5, 1e-8, false)
    }

    /// [`Tensor::isclose`] with numpy's `rtol`, `atol` and `equal_nan`.
    #[track_caller]
    pub fn isclose_with(
        &self,
        other: impl IntoOperand,
        rtol: f64,
        atol: f64,
        equal_nan: bool,
    ) -> Tensor {
        let x = self;
        // numpy computes in `result_type(y, 1.0)`: integers compare as float64, and a literal
        // is a Python float, weak against a float `x`.
        let y = &match other.into_operand() {
            Operand::Tensor(t) => t.float_or_f64(),
            literal @ Operand::Weak(_) => {
                let dtype = if x.dtype().is_float() {
                    x.dtype()
                } else {
                    DType::F64
                };
                crate::full([], literal).astype(dtype)
            }
        };
        let near = (x - y).abs().less_equal(y.abs() * rtol + atol);
        let res = near.logical_and(y.isfinite()).logical_or(x.equal(y));
        if equal_nan {
            res.logical_or(x.isnan().logical_and(y.isnan()))
        } else {
            res
        }
    }

    /// Whether every element is close to `other`'s (`np.allclose`), a lazy 0-d bool tensor;
    /// [`allclose`] gives a plain `bool`.
    #[track_caller]
    pub fn allclose(&self, other: impl IntoOperand) -> Tensor {
        self.isclose(other).all()
    }

    /// [`Tensor::allclose`] with numpy's `rtol`, `atol` and `equal_nan`.
    #[track_caller]
    pub fn allclose_with(
        &self,
        other: impl IntoOperand,
        rtol: f64,
        atol: f64,
        equal_nan: bool,
    ) -> Tensor {
        self.isclose_with(other, rtol, atol, equal_nan).all()
    }

    /// Whether `other` has the same shape and elements (`np.array_equal`), a lazy 0-d bool;
    /// [`array_equal`] gives a plain `bool`.
    #[track_caller]
    pub fn array_equal(&self, other: &Tensor) -> Tensor {
        if self.shape() != other.shape() {
            return crate::full([], false);
        }
        self.equal(other).all()
    }

    /// Whether `other` broadcasts to the same elements (`np.array_equiv`), a lazy 0-d bool;
    /// [`array_equiv`] gives a plain `bool`.
    #[track_caller]
    pub fn array_equiv(&self, other: &Tensor) -> Tensor {
        match self.try_equal(other) {
            Ok(equal) => equal.all(),
            Err(_) => crate::full([], false),
        }
    }

    /// The tensor in the float dtype numpy's float functions use for it.
    fn float(&self) -> Tensor {
        if self.dtype().is_float() {
            self.clone()
        } else {
            self.astype(self.dtype().float_for())
        }
    }

    /// The tensor as float, integers and bools as float64 (numpy's `result_type(x, 1.0)`).
    fn float_or_f64(&self) -> Tensor {
        if self.dtype().is_float() {
            self.clone()
        } else {
            self.astype(DType::F64)
        }
    }
}

/// The floor quotient and the remainder at once (`np.divmod(a, b)`).
///
/// ```
/// let (q, r) = lazygrad::divmod(&lazygrad::array([7, -7]), 2);
/// assert_eq!((q.to_vec::<i64>(), r.to_vec::<i64>()), (vec![3, -4], vec![1, 1]));
/// ```
#[track_caller]
pub fn divmod(a: &Tensor, b: impl IntoOperand + Clone) -> (Tensor, Tensor) {
    (a.floor_divide(b.clone()), a.remainder(b))
}

/// Elementwise rounding to `decimals` places (`np.around`); see [`Tensor::round`].
#[track_caller]
pub fn around(x: &Tensor, decimals: i32) -> Tensor {
    x.round(decimals)
}

/// Whether every element of `a` is close to `b`'s (`np.allclose`), computed now.
///
/// ```
/// let a = lazygrad::array([1.0, 2.0]);
/// assert!(lazygrad::allclose(&a, &(&a + 1e-9)));
/// ```
#[track_caller]
pub fn allclose(a: &Tensor, b: impl IntoOperand) -> bool {
    a.allclose(b).item::<bool>()
}

/// Whether `a` and `b` have the same shape and elements (`np.array_equal`), computed now.
#[track_caller]
pub fn array_equal(a: &Tensor, b: &Tensor) -> bool {
    a.array_equal(b).item::<bool>()
}

/// Whether `a` and `b` broadcast to the same elements (`np.array_equiv`), computed now.
#[track_caller]
pub fn array_equiv(a: &Tensor, b: &Tensor) -> bool {
    a.array_equiv(b).item::<bool>()
}
