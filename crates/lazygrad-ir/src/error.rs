//! The one error type of lazygrad, re-exported by the facade as `lazygrad::Error`.

use crate::{DType, Shape};

/// Everything that can go wrong building or running a lazygrad graph.
///
/// Messages follow numpy's wording where numpy has one, prefixed by the op's label.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Operand shapes are incompatible under numpy's broadcasting rules.
    #[error("{op}: operands could not be broadcast together with shapes {} {}", lhs.compact(), rhs.compact())]
    Broadcast {
        /// The op that broadcast.
        op: &'static str,
        /// The left operand's shape.
        lhs: Shape,
        /// The right operand's shape.
        rhs: Shape,
    },
    /// Three or more operands that do not broadcast together (`where`); numpy lists every
    /// operand's shape, a scalar's as `()`.
    #[error(
        "{op}: operands could not be broadcast together with shapes {}",
        compact_all(shapes)
    )]
    BroadcastAll {
        /// The op that broadcast.
        op: &'static str,
        /// Every operand's shape, in argument order.
        shapes: Vec<Shape>,
    },
    /// A shape that cannot be broadcast to the requested one (`np.broadcast_to`), in numpy's
    /// "remapped shapes" wording (numpy puts two spaces before "and").
    #[error("{op}: operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}", shape.compact(), requested.compact())]
    BroadcastTo {
        /// The op that broadcast.
        op: &'static str,
        /// The operand's shape.
        shape: Shape,
        /// The shape asked for.
        requested: Shape,
    },
    /// An axis outside `-ndim..ndim`.
    #[error("{op}: axis {axis} is out of bounds for array of dimension {ndim}")]
    Axis {
        /// The op given the axis.
        op: &'static str,
        /// The axis as the user wrote it.
        axis: isize,
        /// The number of dimensions of the operand.
        ndim: usize,
    },
    /// The same axis given twice.
    #[error("{op}: repeated axis {axis}")]
    RepeatedAxis {
        /// The op given the axes.
        op: &'static str,
        /// The repeated axis.
        axis: isize,
    },
    /// A reshape to a shape of another size.
    #[error("cannot reshape array of size {size} into shape {}", shape.compact())]
    Reshape {
        /// The number of elements of the array.
        size: usize,
        /// The requested shape.
        shape: Shape,
    },
    /// A shape given with an invalid `-1` (more than one, or not dividing the size).
    #[error("cannot reshape array of size {size} into shape {shape}")]
    ReshapeInfer {
        /// The number of elements of the array.
        size: usize,
        /// The requested shape as written, `-1` shown as numpy does.
        shape: String,
    },
    /// An axis permutation that is not one.
    #[error("permute: axes {perm:?} don't match array of dimension {ndim}")]
    Permute {
        /// The permutation given.
        perm: Vec<usize>,
        /// The number of dimensions of the operand.
        ndim: usize,
    },
    /// An axis permutation naming the same axis twice.
    #[error("permute: repeated axis in transpose")]
    PermuteRepeated {
        /// The permutation given.
        perm: Vec<usize>,
    },
    /// A dtype the op does not accept; bool `negative` and `subtract` get numpy's hints.
    #[error("{op}: {}", dtype_message(op, *dtype))]
    DType {
        /// The op.
        op: &'static str,
        /// The rejected dtype.
        dtype: DType,
    },
    /// `dot` operands whose contracted dimensions disagree.
    #[error("shapes {} and {} not aligned: {} (dim {}) != {} (dim {})", lhs.compact(), rhs.compact(), lhs[lhs.ndim() - 1], lhs.ndim() - 1, rhs[rhs.ndim().saturating_sub(2)], rhs.ndim().saturating_sub(2))]
    MatMul {
        /// `dot`.
        op: &'static str,
        /// The left operand's shape.
        lhs: Shape,
        /// The right operand's shape.
        rhs: Shape,
    },
    /// `matmul` operands whose core dimensions disagree, in numpy's gufunc wording.
    #[error(
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {rhs_k} is different from {lhs_k})"
    )]
    CoreDim {
        /// The contracted extent of the left operand.
        lhs_k: usize,
        /// The contracted extent of the right operand.
        rhs_k: usize,
    },
    /// An integer index outside an axis.
    #[error("{op}: index {index} is out of bounds for axis {axis} with size {size}")]
    Index {
        /// The indexing op.
        op: &'static str,
        /// The index as given.
        index: isize,
        /// The axis indexed.
        axis: usize,
        /// The extent of the axis.
        size: usize,
    },
    /// Arrays that cannot be joined along an axis.
    #[error(
        "concatenate: all the input array dimensions except for the concatenation axis must match exactly, but along dimension {dim}, the array at index 0 has size {first} and the array at index {index} has size {size}"
    )]
    Concat {
        /// The dimension that differs.
        dim: usize,
        /// Its extent in the first array.
        first: usize,
        /// The position of the mismatched array.
        index: usize,
        /// Its extent in that array.
        size: usize,
    },
    /// A Rust integer literal that does not fit the array's dtype (numpy 2 raises too).
    #[error("{op}: Python integer {value} out of bounds for {dtype}")]
    ScalarOutOfBounds {
        /// The op given the literal.
        op: &'static str,
        /// The literal.
        value: i64,
        /// The array's dtype.
        dtype: DType,
    },
    /// Input that is invalid for reasons the other variants don't cover (ragged nested arrays, bad arguments).
    #[error("{op}: {message}")]
    Invalid {
        /// The op.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An error only the data could show, found while running a kernel.
    #[error("{op} (created at {location}): {message}")]
    Data {
        /// The op whose kernel failed.
        op: &'static str,
        /// Where the user created the node, as `file:line:column`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A requested element type that differs from the array's dtype.
    #[error("{op}: array has dtype {actual}, not {requested}")]
    ElementType {
        /// The accessor.
        op: &'static str,
        /// The array's dtype.
        actual: DType,
        /// The dtype of the Rust type asked for.
        requested: DType,
    },
    /// A shape whose element count or byte size does not fit the address space, in numpy's
    /// words (numpy raises `ValueError` when it builds such an array).
    #[error(
        "{op}: array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."
    )]
    TooBig {
        /// The op that would build the array.
        op: &'static str,
        /// The requested extents.
        shape: Vec<usize>,
        /// The element type, whose size multiplies the count.
        dtype: DType,
    },
    /// An allocation the allocator refused (numpy's `MemoryError`).
    ///
    /// On Linux with overcommit the allocator refuses only requests beyond what the address
    /// space or the allocator can serve; smaller ones succeed and may fail later, when their
    /// pages are first written, as they would for numpy.
    #[error("{op}: Unable to allocate {bytes} bytes (out of memory)")]
    OutOfMemory {
        /// The op whose buffer could not be allocated.
        op: &'static str,
        /// The size of the refused request.
        bytes: usize,
    },
    /// A broken internal invariant: a bug in lazygrad, never the user's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An internal error with its message.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Internal(message.into())
    }
}

/// The shapes as numpy lists them in a broadcast error, separated by spaces.
fn compact_all(shapes: &[Shape]) -> String {
    let compact: Vec<String> = shapes.iter().map(Shape::compact).collect();
    compact.join(" ")
}

/// numpy's text for a dtype an op rejects: its bool-specific hints, else the generic ufunc one.
fn dtype_message(op: &str, dtype: DType) -> String {
    match (op, dtype) {
        ("negative", DType::Bool) => "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.".to_string(),
        ("subtract", DType::Bool) => "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.".to_string(),
        // numpy's text, then the dtype it leaves the reader to find.
        _ => format!(
            "ufunc '{op}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe'' (input dtype {dtype})"
        ),
    }
}

/// `Result` with lazygrad's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Returns early with an [`Error::Invalid`] naming the op.
#[macro_export]
macro_rules! bail {
    ($op:expr, $($arg:tt)*) => {
        return Err($crate::Error::Invalid { op: $op, message: format!($($arg)*) })
    };
}
