//! Data types, typed scalar values and numpy 2's promotion rules.

use crate::Element;
use std::fmt;

/// The element type of an array, decided at run time as numpy does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`: one byte, `True` or `False`.
    Bool,
    /// `uint8`: the dtype of images.
    U8,
    /// `int8`.
    I8,
    /// `uint16`.
    U16,
    /// `int16`.
    I16,
    /// `uint32`.
    U32,
    /// `int32`.
    I32,
    /// `uint64`.
    U64,
    /// `int64`: the dtype Rust integer literals build, as Python ints do in numpy.
    I64,
    /// `float16`: stored as IEEE half precision, computed in float32 and rounded after each
    /// operation, as numpy does.
    F16,
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
    /// Every dtype: bool, the integers by width, the floats.
    pub const ALL: [DType; 12] = [
        DType::Bool,
        DType::U8,
        DType::I8,
        DType::U16,
        DType::I16,
        DType::U32,
        DType::I32,
        DType::U64,
        DType::I64,
        DType::F16,
        DType::F32,
        DType::F64,
    ];

    /// numpy's name for the dtype (`a.dtype.name`).
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "uint8",
            DType::I8 => "int8",
            DType::U16 => "uint16",
            DType::I16 => "int16",
            DType::U32 => "uint32",
            DType::I32 => "int32",
            DType::U64 => "uint64",
            DType::I64 => "int64",
            DType::F16 => "float16",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// The size of one element in bytes (`a.itemsize`).
    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::U8 | DType::I8 => 1,
            DType::U16 | DType::I16 | DType::F16 => 2,
            DType::U32 | DType::I32 | DType::F32 => 4,
            DType::U64 | DType::I64 | DType::F64 => 8,
        }
    }

    /// Whether this is a boolean, integer or floating point dtype.
    pub fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::F16 | DType::F32 | DType::F64 => Kind::Float,
            _ => Kind::Int,
        }
    }

    /// Whether the dtype is `float16`, `float32` or `float64`.
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    /// Whether the dtype is a signed integer or a float (numpy's `kind` `'i'` or `'f'`).
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            DType::I8 | DType::I16 | DType::I32 | DType::I64 | DType::F16 | DType::F32 | DType::F64
        )
    }

    /// The dtype numpy gives when two arrays of these dtypes meet in a binary operation:
    /// numpy 2's `result_type`, e.g. `int64 + float32 -> float64`, `uint8 + int8 -> int16`,
    /// `uint64 + int64 -> float64`, `int16 + float16 -> float32`.
    pub fn promote(self, other: DType) -> DType {
        use DType::*;
        match (self.kind(), other.kind()) {
            (Kind::Bool, _) => other,
            (_, Kind::Bool) => self,
            (Kind::Float, Kind::Float) => {
                if self.itemsize() >= other.itemsize() {
                    self
                } else {
                    other
                }
            }
            (Kind::Int, Kind::Int) => {
                let (signed, unsigned) = match (self.is_signed(), other.is_signed()) {
                    (true, true) | (false, false) => {
                        return if self.itemsize() >= other.itemsize() {
                            self
                        } else {
                            other
                        };
                    }
                    (true, false) => (self, other),
                    (false, true) => (other, self),
                };
                // A signed type holds the unsigned one only when it is wider; otherwise the
                // next wider signed type does, and nothing holds uint64 but float64.
                if signed.itemsize() > unsigned.itemsize() {
                    signed
                } else {
                    match unsigned {
                        U8 => I16,
                        U16 => I32,
                        U32 => I64,
                        _ => F64,
                    }
                }
            }
            _ => {
                let (int, float) = if self.is_float() {
                    (other, self)
                } else {
                    (self, other)
                };
                // The smallest float whose mantissa holds every value of the integer type.
                let holds = match int.itemsize() {
                    1 => F16,
                    2 => F32,
                    _ => F64,
                };
                holds.promote(float)
            }
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

    /// Whether this integer dtype holds `value` (numpy 2 rejects a Python int it does not).
    pub fn holds(self, value: i64) -> bool {
        let value = i128::from(value);
        crate::with_dtype!(self, T => (T::MIN.to_i128()..=T::MAX.to_i128()).contains(&value))
    }

    /// The float dtype numpy computes `sqrt`, `exp` and friends in for inputs of this dtype:
    /// the smallest float that holds every value (float16 for bool, uint8 and int8).
    pub fn float_for(self) -> DType {
        match self {
            DType::F16 | DType::F32 | DType::F64 => self,
            _ => DType::F16.promote(self),
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
    /// An `int8` element.
    I8(i8),
    /// A `uint16` element.
    U16(u16),
    /// An `int16` element.
    I16(i16),
    /// A `uint32` element.
    U32(u32),
    /// An `int32` element.
    I32(i32),
    /// A `uint64` element.
    U64(u64),
    /// An `int64` element.
    I64(i64),
    /// A `float16` element.
    F16(half::f16),
    /// A `float32` element.
    F32(f32),
    /// A `float64` element.
    F64(f64),
}

/// Runs `$body` with `$v` bound to the element a [`Value`] holds, whatever its type.
macro_rules! each_value {
    ($value:expr, $v:ident => $body:expr) => {
        match $value {
            Value::Bool($v) => $body,
            Value::U8($v) => $body,
            Value::I8($v) => $body,
            Value::U16($v) => $body,
            Value::I16($v) => $body,
            Value::U32($v) => $body,
            Value::I32($v) => $body,
            Value::U64($v) => $body,
            Value::I64($v) => $body,
            Value::F16($v) => $body,
            Value::F32($v) => $body,
            Value::F64($v) => $body,
        }
    };
}

/// The dtype of an element's type.
fn dtype_of<T: Element>(_: T) -> DType {
    T::DTYPE
}

impl Value {
    /// The dtype of the value.
    pub fn dtype(self) -> DType {
        each_value!(self, v => dtype_of(v))
    }

    /// The value as `f64` (exact for every dtype but 64-bit integers beyond 2^53).
    pub fn to_f64(self) -> f64 {
        each_value!(self, v => v.to_f64())
    }

    /// The value converted to `dtype` with numpy's `astype` results for in-range values.
    pub fn cast(self, dtype: DType) -> Value {
        each_value!(self, v => v.cast_value(dtype))
    }

    /// A bit pattern that identifies the value, for hashing plans (floats by their bits).
    pub fn key(self) -> (DType, u64) {
        (self.dtype(), each_value!(self, v => v.key_bits()))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::Bool(v) => write!(f, "{}", if v { "True" } else { "False" }),
            Value::F16(v) => write!(f, "{:?}", f32::from(v)),
            Value::F32(v) => write!(f, "{v:?}"),
            Value::F64(v) => write!(f, "{v:?}"),
            // Integers print as themselves, through i128 (which holds every one).
            value => write!(f, "{}", each_value!(value, v => v.to_i128())),
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
        Some(match (self, dtype) {
            (Weak::Int(v), d) if d.kind() == Kind::Int && !d.holds(v) => return None,
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
