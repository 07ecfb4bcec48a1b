//! The `Element` trait: the scalar semantics of every primitive for each Rust element type.
//!
//! The op table's rows are closures over these methods, so one row serves all six dtypes.
//! Methods an op's dtype rule never lets a dtype reach (say `sqrt` on integers, which the
//! tensor layer casts to float first) still have a total, documented definition.

use crate::{DType, Value};

/// A Rust type that stores the elements of one dtype.
pub trait Element: Copy + Send + Sync + PartialOrd + Default + std::fmt::Debug + 'static {
    /// The dtype this type stores.
    const DTYPE: DType;
    /// The additive identity.
    const ZERO: Self;
    /// The multiplicative identity.
    const ONE: Self;
    /// The smallest value (the identity of `max`).
    const MIN: Self;
    /// The largest value (the identity of `min`).
    const MAX: Self;

    /// `self + rhs`, wrapping for integers, logical or for bool.
    fn add(self, rhs: Self) -> Self;
    /// `self - rhs`, wrapping for integers.
    fn sub(self, rhs: Self) -> Self;
    /// `self * rhs`, wrapping for integers, logical and for bool.
    fn mul(self, rhs: Self) -> Self;
    /// `self / rhs` (true division; integers only reach it through `floor_div`).
    fn div(self, rhs: Self) -> Self;
    /// numpy's `floor_divide`: rounds toward negative infinity; integer division by 0 gives 0.
    fn floor_div(self, rhs: Self) -> Self;
    /// numpy's `remainder`: the result takes the sign of the divisor; integer remainder by 0 gives 0.
    fn rem(self, rhs: Self) -> Self;
    /// numpy's `power`.
    fn pow(self, rhs: Self) -> Self;
    /// numpy's `maximum`: NaN propagates.
    fn max(self, rhs: Self) -> Self;
    /// numpy's `minimum`: NaN propagates.
    fn min(self, rhs: Self) -> Self;
    /// Numerical negative, wrapping for integers.
    fn neg(self) -> Self;
    /// Absolute value, wrapping for the most negative integer as numpy does.
    fn abs(self) -> Self;
    /// -1, 0 or 1 by sign; NaN stays NaN.
    fn sign(self) -> Self;
    /// Square root.
    fn sqrt(self) -> Self;
    /// Natural exponential.
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// The element as `f64`.
    fn to_f64(self) -> f64;
    /// The element as `i64` (floats truncate toward zero).
    fn to_i64(self) -> i64;
    /// Whether the element is nonzero.
    fn to_bool(self) -> bool;
    /// An element from `f64`, rounding to nearest for float32 and truncating for integers.
    fn from_f64(v: f64) -> Self;
    /// An element from `i64`, wrapping for narrower integers.
    fn from_i64(v: i64) -> Self;
    /// `True` as one, `False` as zero.
    fn from_bool(v: bool) -> Self;
    /// Whether the element is NaN.
    fn is_nan(self) -> bool {
        false
    }
    /// The element as a typed value.
    fn into_value(self) -> Value;
    /// The element from a value of the same dtype, or `None` for another dtype.
    fn from_value(value: Value) -> Option<Self>;

    /// The element converted to another element type with numpy's `astype` results for in-range values.
    fn cast<U: Element>(self) -> U {
        match (U::DTYPE.kind(), Self::DTYPE.kind()) {
            (crate::Kind::Bool, _) => U::from_bool(self.to_bool()),
            (crate::Kind::Float, _) | (_, crate::Kind::Float) => U::from_f64(self.to_f64()),
            _ => U::from_i64(self.to_i64()),
        }
    }

    /// The element converted to `dtype`, as a value.
    fn cast_value(self, dtype: DType) -> Value {
        match dtype {
            DType::Bool => Value::Bool(self.cast()),
            DType::U8 => Value::U8(self.cast()),
            DType::I32 => Value::I32(self.cast()),
            DType::I64 => Value::I64(self.cast()),
            DType::F32 => Value::F32(self.cast()),
            DType::F64 => Value::F64(self.cast()),
        }
    }
}

macro_rules! value_conversions {
    ($variant:ident) => {
        fn into_value(self) -> Value {
            Value::$variant(self)
        }
        fn from_value(value: Value) -> Option<Self> {
            match value {
                Value::$variant(v) => Some(v),
                _ => None,
            }
        }
    };
}

macro_rules! float_element {
    ($t:ident, $variant:ident, $dtype:ident) => {
        impl Element for $t {
            const DTYPE: DType = DType::$dtype;
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const MIN: Self = $t::NEG_INFINITY;
            const MAX: Self = $t::INFINITY;
            fn add(self, rhs: Self) -> Self {
                self + rhs
            }
            fn sub(self, rhs: Self) -> Self {
                self - rhs
            }
            fn mul(self, rhs: Self) -> Self {
                self * rhs
            }
            fn div(self, rhs: Self) -> Self {
                self / rhs
            }
            // numpy's `npy_divmod`: derive the quotient from fmod so that
            // `a == b * floor_divide(a, b) + remainder(a, b)` holds as closely as floats allow.
            fn floor_div(self, rhs: Self) -> Self {
                if rhs == 0.0 {
                    return self / rhs;
                }
                let modulo = self % rhs;
                let mut div = (self - modulo) / rhs;
                if modulo != 0.0 && ((rhs < 0.0) != (modulo < 0.0)) {
                    div -= 1.0;
                }
                if div == 0.0 {
                    return (0.0 as $t).copysign(self / rhs);
                }
                let floor = div.floor();
                if div - floor > 0.5 {
                    floor + 1.0
                } else {
                    floor
                }
            }
            fn rem(self, rhs: Self) -> Self {
                if rhs == 0.0 {
                    return self % rhs;
                }
                let modulo = self % rhs;
                if modulo == 0.0 {
                    (0.0 as $t).copysign(rhs)
                } else if (rhs < 0.0) != (modulo < 0.0) {
                    modulo + rhs
                } else {
                    modulo
                }
            }
            fn pow(self, rhs: Self) -> Self {
                self.powf(rhs)
            }
            fn max(self, rhs: Self) -> Self {
                if self.is_nan() || self > rhs {
                    self
                } else {
                    rhs
                }
            }
            fn min(self, rhs: Self) -> Self {
                if self.is_nan() || self < rhs {
                    self
                } else {
                    rhs
                }
            }
            fn neg(self) -> Self {
                -self
            }
            fn abs(self) -> Self {
                $t::abs(self)
            }
            fn sign(self) -> Self {
                if self > 0.0 {
                    1.0
                } else if self < 0.0 {
                    -1.0
                } else {
                    // Zero stays zero and NaN stays NaN.
                    self
                }
            }
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            fn exp(self) -> Self {
                $t::exp(self)
            }
            fn ln(self) -> Self {
                $t::ln(self)
            }
            fn sin(self) -> Self {
                $t::sin(self)
            }
            fn cos(self) -> Self {
                $t::cos(self)
            }
            fn tanh(self) -> Self {
                $t::tanh(self)
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_i64(self) -> i64 {
                self as i64
            }
            fn to_bool(self) -> bool {
                self != 0.0
            }
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            fn from_i64(v: i64) -> Self {
                v as $t
            }
            fn from_bool(v: bool) -> Self {
                v as u8 as $t
            }
            fn is_nan(self) -> bool {
                $t::is_nan(self)
            }
            value_conversions!($variant);
        }
    };
}

float_element!(f32, F32, F32);
float_element!(f64, F64, F64);

macro_rules! int_element {
    ($t:ident, $variant:ident, $dtype:ident) => {
        impl Element for $t {
            const DTYPE: DType = DType::$dtype;
            const ZERO: Self = 0;
            const ONE: Self = 1;
            const MIN: Self = $t::MIN;
            const MAX: Self = $t::MAX;
            fn add(self, rhs: Self) -> Self {
                self.wrapping_add(rhs)
            }
            fn sub(self, rhs: Self) -> Self {
                self.wrapping_sub(rhs)
            }
            fn mul(self, rhs: Self) -> Self {
                self.wrapping_mul(rhs)
            }
            fn div(self, rhs: Self) -> Self {
                self.floor_div(rhs)
            }
            fn floor_div(self, rhs: Self) -> Self {
                if rhs == 0 {
                    return 0;
                }
                let quotient = self.wrapping_div(rhs);
                #[allow(unused_comparisons)]
                let signs_differ = (self < 0) != (rhs < 0);
                if signs_differ && quotient.wrapping_mul(rhs) != self {
                    quotient - 1
                } else {
                    quotient
                }
            }
            fn rem(self, rhs: Self) -> Self {
                if rhs == 0 {
                    return 0;
                }
                let modulo = self.wrapping_rem(rhs);
                #[allow(unused_comparisons)]
                let signs_differ = (modulo < 0) != (rhs < 0);
                if modulo != 0 && signs_differ {
                    modulo.wrapping_add(rhs)
                } else {
                    modulo
                }
            }
            // numpy raises for negative integer exponents; lazygrad gives the truncated
            // mathematical result instead (documented in docs/numpy.md).
            #[allow(unused_comparisons)]
            fn pow(self, rhs: Self) -> Self {
                if rhs < 0 {
                    return match self.to_i64() {
                        1 => 1,
                        -1 => {
                            if rhs.to_i64() % 2 == 0 {
                                1
                            } else {
                                self
                            }
                        }
                        _ => 0,
                    };
                }
                self.wrapping_pow(Ord::min(rhs.to_i64(), u32::MAX as i64) as u32)
            }
            fn max(self, rhs: Self) -> Self {
                Ord::max(self, rhs)
            }
            fn min(self, rhs: Self) -> Self {
                Ord::min(self, rhs)
            }
            fn neg(self) -> Self {
                self.wrapping_neg()
            }
            #[allow(unused_comparisons)]
            fn abs(self) -> Self {
                if self < 0 { self.wrapping_neg() } else { self }
            }
            #[allow(unused_comparisons)]
            fn sign(self) -> Self {
                if self > 0 {
                    1
                } else if self < 0 {
                    (0 as $t).wrapping_sub(1)
                } else {
                    0
                }
            }
            fn sqrt(self) -> Self {
                Self::from_f64(self.to_f64().sqrt())
            }
            fn exp(self) -> Self {
                Self::from_f64(self.to_f64().exp())
            }
            fn ln(self) -> Self {
                Self::from_f64(self.to_f64().ln())
            }
            fn sin(self) -> Self {
                Self::from_f64(self.to_f64().sin())
            }
            fn cos(self) -> Self {
                Self::from_f64(self.to_f64().cos())
            }
            fn tanh(self) -> Self {
                Self::from_f64(self.to_f64().tanh())
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_i64(self) -> i64 {
                self as i64
            }
            fn to_bool(self) -> bool {
                self != 0
            }
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            fn from_i64(v: i64) -> Self {
                v as $t
            }
            fn from_bool(v: bool) -> Self {
                v as $t
            }
            value_conversions!($variant);
        }
    };
}

int_element!(u8, U8, U8);
int_element!(i32, I32, I32);
int_element!(i64, I64, I64);

/// Booleans: `add` and `max` are logical or, `mul` and `min` logical and, as in numpy.
impl Element for bool {
    const DTYPE: DType = DType::Bool;
    const ZERO: Self = false;
    const ONE: Self = true;
    const MIN: Self = false;
    const MAX: Self = true;
    fn add(self, rhs: Self) -> Self {
        self | rhs
    }
    fn sub(self, rhs: Self) -> Self {
        self ^ rhs
    }
    fn mul(self, rhs: Self) -> Self {
        self & rhs
    }
    fn div(self, rhs: Self) -> Self {
        self & rhs
    }
    fn floor_div(self, rhs: Self) -> Self {
        self & rhs
    }
    fn rem(self, _rhs: Self) -> Self {
        false
    }
    fn pow(self, rhs: Self) -> Self {
        self | !rhs
    }
    fn max(self, rhs: Self) -> Self {
        self | rhs
    }
    fn min(self, rhs: Self) -> Self {
        self & rhs
    }
    fn neg(self) -> Self {
        self
    }
    fn abs(self) -> Self {
        self
    }
    fn sign(self) -> Self {
        self
    }
    fn sqrt(self) -> Self {
        self
    }
    fn exp(self) -> Self {
        true
    }
    fn ln(self) -> Self {
        false
    }
    fn sin(self) -> Self {
        self
    }
    fn cos(self) -> Self {
        true
    }
    fn tanh(self) -> Self {
        self
    }
    fn to_f64(self) -> f64 {
        self as u8 as f64
    }
    fn to_i64(self) -> i64 {
        self as i64
    }
    fn to_bool(self) -> bool {
        self
    }
    fn from_f64(v: f64) -> Self {
        v != 0.0
    }
    fn from_i64(v: i64) -> Self {
        v != 0
    }
    fn from_bool(v: bool) -> Self {
        v
    }
    value_conversions!(Bool);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_division_and_remainder_follow_python() {
        assert_eq!(Element::floor_div(-7i64, 2), -4);
        assert_eq!(Element::rem(-7i64, 2), 1);
        assert_eq!(Element::rem(7i64, -2), -1);
        assert_eq!(Element::floor_div(7i32, 0), 0);
        assert_eq!(Element::floor_div(-7.0f64, 2.0), -4.0);
        assert_eq!(Element::rem(-7.0f64, 2.0), 1.0);
        assert_eq!(Element::rem(7.5f64, -2.0), -0.5);
        assert!(Element::floor_div(1.0f64, 0.0).is_infinite());
    }

    #[test]
    fn casts_match_numpy_astype() {
        assert_eq!(Element::cast::<u8>(300i64), 44);
        assert_eq!(Element::cast::<i32>(-2.7f64), -2);
        assert!(Element::cast::<bool>(0.5f32));
        assert_eq!(Element::cast::<f32>(true), 1.0);
        assert_eq!(Element::cast::<i64>(255u8), 255);
    }

    #[test]
    fn maximum_propagates_nan() {
        assert!(Element::max(f64::NAN, 1.0).is_nan());
        assert!(Element::max(1.0, f64::NAN).is_nan());
        assert!(Element::min(f32::NAN, 1.0).is_nan());
    }
}
