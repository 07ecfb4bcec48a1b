//! The `Element` trait: how each Rust element type stores a dtype and computes on it.
//!
//! The op table's rows are closures over `Element`, so one row serves every dtype. A row's
//! math comes from one of three places: the methods here that differ by dtype (wrapping
//! integer arithmetic, bool logic, numpy's floor division), the float type a dtype computes
//! its float functions in ([`Element::real`], with every function of [`num_traits::Float`]),
//! or its integer type for bitwise functions ([`Element::int`], [`num_traits::PrimInt`]). So a
//! new float or integer function is one row in `ops.rs` and no method here.
//! A row's dtype domain never lets a dtype reach a carrier it has no use for (the tensor layer
//! casts integers to float before `sqrt`), but every carrier is still total and documented.

use crate::{DType, Value};
use half::f16;
use num_traits::{CheckedRem, Float, FloatConst, PrimInt, WrappingMul};

/// The integer arithmetic bitwise rows compute with: [`PrimInt`] plus the wrapping and checked
/// forms numpy's results need, implemented by every primitive integer type.
pub trait Int: PrimInt + WrappingMul + CheckedRem + std::fmt::Debug {
    /// `|self|`, wrapping at the most negative value (which stays itself, as in numpy).
    fn wrapping_abs(self) -> Self;
}

macro_rules! int_carrier {
    (signed: $($s:ty),*; unsigned: $($u:ty),*) => {
        $(impl Int for $s {
            fn wrapping_abs(self) -> Self {
                <$s>::wrapping_abs(self)
            }
        })*
        $(impl Int for $u {
            fn wrapping_abs(self) -> Self {
                self
            }
        })*
    };
}

int_carrier!(signed: i8, i16, i32, i64; unsigned: u8, u16, u32, u64);

/// A Rust type that stores the elements of one dtype.
pub trait Element: Copy + Send + Sync + PartialOrd + Default + std::fmt::Debug + 'static {
    /// The float type this dtype's float functions compute in: the type itself for floats,
    /// `f64` for integers and bool (which the tensor layer casts to a float dtype first).
    type Real: Float + FloatConst + std::fmt::Debug;
    /// The integer type bitwise functions compute in: the type itself for integers, `u8`
    /// holding 0 or 1 for bool, and `i64` for floats (which no bitwise row admits).
    type Int: Int;

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
    /// The element in its float type ([`Element::Real`]).
    fn to_real(self) -> Self::Real;
    /// An element from its float type: exact for floats; integers truncate and saturate.
    fn from_real(value: Self::Real) -> Self;
    /// The element in its integer type ([`Element::Int`]).
    fn to_int(self) -> Self::Int;
    /// An element from its integer type (bool: nonzero is true).
    fn from_int(value: Self::Int) -> Self;
    /// The element as `f64`.
    fn to_f64(self) -> f64;
    /// The element as `i64` (floats truncate toward zero; uint64 wraps).
    fn to_i64(self) -> i64;
    /// The element as `i128`, which holds every integer exactly (floats truncate toward zero).
    fn to_i128(self) -> i128;
    /// A bit pattern that identifies the element (floats by their bits), for plan keys.
    fn key_bits(self) -> u64;
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
    /// `f` applied to the element in its float type: how a row states a float function once
    /// for every dtype (`|x| x.real(|r| r.sin())`).
    #[inline(always)]
    fn real(self, f: impl Fn(Self::Real) -> Self::Real) -> Self {
        Self::from_real(f(self.to_real()))
    }
    /// `f` applied to two elements in their float type (`|x, y| x.real2(y, Float::atan2)`).
    #[inline(always)]
    fn real2(self, rhs: Self, f: impl Fn(Self::Real, Self::Real) -> Self::Real) -> Self {
        Self::from_real(f(self.to_real(), rhs.to_real()))
    }
    /// `f` applied to the element in its integer type (`|x| x.int(|i| !i)`).
    #[inline(always)]
    fn int(self, f: impl Fn(Self::Int) -> Self::Int) -> Self {
        Self::from_int(f(self.to_int()))
    }
    /// `f` applied to two elements in their integer type (`|x, y| x.int2(y, |a, b| a & b)`).
    #[inline(always)]
    fn int2(self, rhs: Self, f: impl Fn(Self::Int, Self::Int) -> Self::Int) -> Self {
        Self::from_int(f(self.to_int(), rhs.to_int()))
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
        crate::with_dtype!(dtype, U => self.cast::<U>().into_value())
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
            type Real = $t;
            type Int = i64;
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
                nan_max(self, rhs)
            }
            fn min(self, rhs: Self) -> Self {
                nan_min(self, rhs)
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
            #[inline(always)]
            fn to_real(self) -> Self {
                self
            }
            #[inline(always)]
            fn from_real(value: Self) -> Self {
                value
            }
            fn to_int(self) -> i64 {
                self as i64
            }
            fn from_int(value: i64) -> Self {
                value as $t
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_i64(self) -> i64 {
                self as i64
            }
            fn to_i128(self) -> i128 {
                self as i128
            }
            fn key_bits(self) -> u64 {
                self.to_bits() as u64
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
            type Real = f64;
            type Int = $t;
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
            fn to_real(self) -> f64 {
                self as f64
            }
            fn from_real(value: f64) -> Self {
                value as $t
            }
            #[inline(always)]
            fn to_int(self) -> Self {
                self
            }
            #[inline(always)]
            fn from_int(value: Self) -> Self {
                value
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_i64(self) -> i64 {
                self as i64
            }
            fn to_i128(self) -> i128 {
                self as i128
            }
            fn key_bits(self) -> u64 {
                self as u64
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
int_element!(i8, I8, I8);
int_element!(u16, U16, U16);
int_element!(i16, I16, I16);
int_element!(u32, U32, U32);
int_element!(i32, I32, I32);
int_element!(u64, U64, U64);
int_element!(i64, I64, I64);

/// float16 as numpy computes it: each operation in float32, rounded to half precision after.
impl Element for f16 {
    type Real = f32;
    type Int = i64;
    const DTYPE: DType = DType::F16;
    const ZERO: Self = f16::ZERO;
    const ONE: Self = f16::ONE;
    const MIN: Self = f16::NEG_INFINITY;
    const MAX: Self = f16::INFINITY;
    fn add(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::add)
    }
    fn sub(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::sub)
    }
    fn mul(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::mul)
    }
    fn div(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::div)
    }
    fn floor_div(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::floor_div)
    }
    fn rem(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::rem)
    }
    fn pow(self, rhs: Self) -> Self {
        via_f32(self, rhs, Element::pow)
    }
    fn max(self, rhs: Self) -> Self {
        nan_max(self, rhs)
    }
    fn min(self, rhs: Self) -> Self {
        nan_min(self, rhs)
    }
    fn neg(self) -> Self {
        -self
    }
    fn abs(self) -> Self {
        f16::from_bits(self.to_bits() & 0x7fff)
    }
    fn sign(self) -> Self {
        f16::from_f32(Element::sign(f32::from(self)))
    }
    fn to_real(self) -> f32 {
        f32::from(self)
    }
    fn from_real(value: f32) -> Self {
        f16::from_f32(value)
    }
    fn to_int(self) -> i64 {
        f32::from(self) as i64
    }
    fn from_int(value: i64) -> Self {
        f16::from_f64(value as f64)
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn to_i64(self) -> i64 {
        f32::from(self) as i64
    }
    fn to_i128(self) -> i128 {
        f32::from(self) as i128
    }
    fn key_bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn to_bool(self) -> bool {
        f32::from(self) != 0.0
    }
    // Directly from f64, as numpy's astype rounds once.
    fn from_f64(v: f64) -> Self {
        f16::from_f64(v)
    }
    fn from_i64(v: i64) -> Self {
        f16::from_f64(v as f64)
    }
    fn from_bool(v: bool) -> Self {
        if v { f16::ONE } else { f16::ZERO }
    }
    fn is_nan(self) -> bool {
        f16::is_nan(self)
    }
    value_conversions!(F16);
}

/// float16's binary operations: in float32, then rounded once to half precision.
#[inline(always)]
fn via_f32(lhs: f16, rhs: f16, op: fn(f32, f32) -> f32) -> f16 {
    f16::from_f32(op(f32::from(lhs), f32::from(rhs)))
}

/// numpy's `maximum` of floats: NaN propagates from either side.
#[inline(always)]
fn nan_max<T: Element>(lhs: T, rhs: T) -> T {
    if lhs.is_nan() || lhs > rhs { lhs } else { rhs }
}

/// numpy's `minimum` of floats: NaN propagates from either side.
#[inline(always)]
fn nan_min<T: Element>(lhs: T, rhs: T) -> T {
    if lhs.is_nan() || lhs < rhs { lhs } else { rhs }
}

/// Booleans: `add` and `max` are logical or, `mul` and `min` logical and, as in numpy.
impl Element for bool {
    type Real = f64;
    type Int = u8;
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
    fn to_real(self) -> f64 {
        self as u8 as f64
    }
    fn from_real(value: f64) -> Self {
        value != 0.0
    }
    fn to_int(self) -> u8 {
        self as u8
    }
    // The lowest bit, so that bitwise not (`!1 = 254`) is logical not, as numpy's `invert`.
    fn from_int(value: u8) -> Self {
        value & 1 != 0
    }
    fn to_f64(self) -> f64 {
        self as u8 as f64
    }
    fn to_i64(self) -> i64 {
        self as i64
    }
    fn to_i128(self) -> i128 {
        self as i128
    }
    fn key_bits(self) -> u64 {
        self as u64
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
