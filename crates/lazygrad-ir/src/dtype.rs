//! Data types, typed scalar values and numpy 2's promotion rules.

use std::fmt;

/// The element type of an array, decided at run time as numpy does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`: one byte, `True` or `False`.
    Bool,
    /// `uint8`: the dtype of images.
    U8,
    /// `int32`.
    I32,
    /// `int64`: the dtype Rust integer literals build, as Python ints do in numpy.
    I64,
    /// `float32`.
    F32,
    /// `float64`: the dtype Rust float literals build.
    F64,
}

/// The broad kind of a dtype, which decides how weak scalars promote (NEP 50).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Booleans.
    Bool,
    /// Signed and unsigned integers.
    Int,
    /// Floating point numbers.
    Float,
}

impl DType {
    /// Every dtype, in promotion order.
    pub const ALL: [DType; 6] = [
        DType::Bool,
        DType::U8,
        DType::I32,
        DType::I64,
        DType::F32,
        DType::F64,
    ];

    /// numpy's name for the dtype (`a.dtype.name`).
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "uint8",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// The size of one element in bytes (`a.itemsize`).
    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::U8 => 1,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }

    /// Whether this is a boolean, integer or floating point dtype.
    pub fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::U8 | DType::I32 | DType::I64 => Kind::Int,
            DType::F32 | DType::F64 => Kind::Float,
        }
    }

    /// Whether the dtype is `float32` or `float64`.
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    /// The dtype numpy gives when two arrays of these dtypes meet in a binary operation.
    ///
    /// This is numpy's `result_type` restricted to the six dtypes lazygrad supports,
    /// e.g. `int64 + float32 -> float64` and `uint8 + int32 -> int32`.
    pub fn promote(self, other: DType) -> DType {
        use DType::*;
        let (lo, hi) = if self <= other {
            (self, other)
        } else {
            (other, self)
        };
        match (lo, hi) {
            (a, b) if a == b => a,
            (Bool, b) => b,
            // Integers of 32 bits or more do not fit in float32's mantissa, so numpy goes to float64.
            (I32 | I64, F32) => F64,
            (_, b) => b,
        }
    }

    /// The dtype of combining an array of this dtype with a weak (Rust literal) scalar of `kind`.
    ///
    /// Under NEP 50 a Python scalar never widens an array of its own kind or above:
    /// `uint8 * 2 -> uint8`, `float32 * 2.0 -> float32`, while `int32 * 2.0 -> float64`.
    pub fn promote_weak(self, kind: Kind) -> DType {
        match (self.kind(), kind) {
            (a, b) if a >= b => self,
            (_, Kind::Int) => DType::I64,
            (_, Kind::Float) => DType::F64,
            (_, Kind::Bool) => self,
        }
    }

    /// The float dtype numpy computes `sqrt`, `exp` and friends in for inputs of this dtype.
    ///
    /// numpy picks float16 for bool and uint8; lazygrad has no float16 and uses float32.
    pub fn float_for(self) -> DType {
        match self {
            DType::Bool | DType::U8 | DType::F32 => DType::F32,
            DType::I32 | DType::I64 | DType::F64 => DType::F64,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed scalar value: one element of a given dtype.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A `bool` element.
    Bool(bool),
    /// A `uint8` element.
    U8(u8),
    /// An `int32` element.
    I32(i32),
    /// An `int64` element.
    I64(i64),
    /// A `float32` element.
    F32(f32),
    /// A `float64` element.
    F64(f64),
}

impl Value {
    /// The dtype of the value.
    pub fn dtype(self) -> DType {
        match self {
            Value::Bool(_) => DType::Bool,
            Value::U8(_) => DType::U8,
            Value::I32(_) => DType::I32,
            Value::I64(_) => DType::I64,
            Value::F32(_) => DType::F32,
            Value::F64(_) => DType::F64,
        }
    }

    /// The value as `f64` (exact for every dtype but int64 beyond 2^53).
    pub fn to_f64(self) -> f64 {
        match self {
            Value::Bool(v) => v as u8 as f64,
            Value::U8(v) => v as f64,
            Value::I32(v) => v as f64,
            Value::I64(v) => v as f64,
            Value::F32(v) => v as f64,
            Value::F64(v) => v,
        }
    }

    /// The value converted to `dtype` with numpy's `astype` results for in-range values.
    pub fn cast(self, dtype: DType) -> Value {
        match self {
            Value::Bool(v) => crate::Element::cast_value(v, dtype),
            Value::U8(v) => crate::Element::cast_value(v, dtype),
            Value::I32(v) => crate::Element::cast_value(v, dtype),
            Value::I64(v) => crate::Element::cast_value(v, dtype),
            Value::F32(v) => crate::Element::cast_value(v, dtype),
            Value::F64(v) => crate::Element::cast_value(v, dtype),
        }
    }

    /// A bit pattern that identifies the value, for hashing plans (floats by their bits).
    pub fn key(self) -> (DType, u64) {
        let bits = match self {
            Value::Bool(v) => v as u64,
            Value::U8(v) => v as u64,
            Value::I32(v) => v as u64,
            Value::I64(v) => v as u64,
            Value::F32(v) => v.to_bits() as u64,
            Value::F64(v) => v.to_bits(),
        };
        (self.dtype(), bits)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(v) => write!(f, "{}", if *v { "True" } else { "False" }),
            Value::U8(v) => write!(f, "{v}"),
            Value::I32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{v:?}"),
            Value::F64(v) => write!(f, "{v:?}"),
        }
    }
}

/// A Rust literal used as an operand: weak in numpy 2's sense (NEP 50), so it takes the array's dtype.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Weak {
    /// A `bool` literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
}

impl Weak {
    /// The kind of the literal.
    pub fn kind(self) -> Kind {
        match self {
            Weak::Bool(_) => Kind::Bool,
            Weak::Int(_) => Kind::Int,
            Weak::Float(_) => Kind::Float,
        }
    }

    /// The dtype the literal builds on its own: `bool`, `int64` or `float64`, as numpy does.
    pub fn default_dtype(self) -> DType {
        match self {
            Weak::Bool(_) => DType::Bool,
            Weak::Int(_) => DType::I64,
            Weak::Float(_) => DType::F64,
        }
    }

    /// The literal as a value of `dtype`, or `None` when an integer does not fit (numpy 2 raises then).
    pub fn to_value(self, dtype: DType) -> Option<Value> {
        let fits = |lo: i64, hi: i64, v: i64| (lo..=hi).contains(&v);
        Some(match (self, dtype) {
            (Weak::Int(v), DType::U8) if !fits(0, u8::MAX as i64, v) => return None,
            (Weak::Int(v), DType::I32) if !fits(i32::MIN as i64, i32::MAX as i64, v) => {
                return None;
            }
            (Weak::Bool(v), d) => Value::Bool(v).cast(d),
            (Weak::Int(v), d) => Value::I64(v).cast(d),
            (Weak::Float(v), d) => Value::F64(v).cast(d),
        })
    }
}

impl fmt::Display for Weak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Weak::Bool(v) => Value::Bool(*v).fmt(f),
            Weak::Int(v) => write!(f, "{v}"),
            Weak::Float(v) => write!(f, "{v:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn promotion_matches_numpy_table() {
        // Rows of numpy's `np.result_type(a, b)` for the supported dtypes.
        let cases = [
            (Bool, Bool, Bool),
            (Bool, U8, U8),
            (U8, I32, I32),
            (U8, I64, I64),
            (U8, F32, F32),
            (U8, F64, F64),
            (I32, I64, I64),
            (I32, F32, F64),
            (I64, F32, F64),
            (I64, F64, F64),
            (F32, F64, F64),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.promote(b), want, "{a} + {b}");
            assert_eq!(b.promote(a), want, "{b} + {a}");
        }
    }

    #[test]
    fn weak_scalars_follow_nep50() {
        assert_eq!(U8.promote_weak(Kind::Int), U8);
        assert_eq!(F32.promote_weak(Kind::Float), F32);
        assert_eq!(I32.promote_weak(Kind::Float), F64);
        assert_eq!(Bool.promote_weak(Kind::Int), I64);
        assert_eq!(Bool.promote_weak(Kind::Bool), Bool);
        assert_eq!(Weak::Int(300).to_value(U8), None);
        assert_eq!(Weak::Int(-1).to_value(I64), Some(Value::I64(-1)));
    }
}
