//! Typed buffers: the flat storage behind every realized array.

use lazygrad_ir::with_dtype;
use lazygrad_ir::{DType, Element, Error, Result, f16};

mod huge_pages;
mod pool;

pub use huge_pages::{HUGE_PAGE_MIN_BYTES, huge_page_vec};

/// A flat, typed, C-ordered run of elements; views give it a shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Buffer {
    /// `bool` elements.
    Bool(Vec<bool>),
    /// `uint8` elements.
    U8(Vec<u8>),
    /// `int8` elements.
    I8(Vec<i8>),
    /// `uint16` elements.
    U16(Vec<u16>),
    /// `int16` elements.
    I16(Vec<i16>),
    /// `uint32` elements.
    U32(Vec<u32>),
    /// `int32` elements.
    I32(Vec<i32>),
    /// `uint64` elements.
    U64(Vec<u64>),
    /// `int64` elements.
    I64(Vec<i64>),
    /// `float16` elements.
    F16(Vec<f16>),
    /// `float32` elements.
    F32(Vec<f32>),
    /// `float64` elements.
    F64(Vec<f64>),
}

/// A borrowed run of elements of any dtype, so code generic over one element type can hand a
/// slice to code generic over another ([`Storage::from_slice_ref`] takes it back).
#[derive(Clone, Copy, Debug)]
pub enum SliceRef<'a> {
    /// `bool` elements.
    Bool(&'a [bool]),
    /// `uint8` elements.
    U8(&'a [u8]),
    /// `int8` elements.
    I8(&'a [i8]),
    /// `uint16` elements.
    U16(&'a [u16]),
    /// `int16` elements.
    I16(&'a [i16]),
    /// `uint32` elements.
    U32(&'a [u32]),
    /// `int32` elements.
    I32(&'a [i32]),
    /// `uint64` elements.
    U64(&'a [u64]),
    /// `int64` elements.
    I64(&'a [i64]),
    /// `float16` elements.
    F16(&'a [f16]),
    /// `float32` elements.
    F32(&'a [f32]),
    /// `float64` elements.
    F64(&'a [f64]),
}

impl SliceRef<'_> {
    /// The dtype of the elements.
    pub fn dtype(self) -> DType {
        match self {
            SliceRef::Bool(_) => DType::Bool,
            SliceRef::U8(_) => DType::U8,
            SliceRef::I8(_) => DType::I8,
            SliceRef::U16(_) => DType::U16,
            SliceRef::I16(_) => DType::I16,
            SliceRef::U32(_) => DType::U32,
            SliceRef::I32(_) => DType::I32,
            SliceRef::U64(_) => DType::U64,
            SliceRef::I64(_) => DType::I64,
            SliceRef::F16(_) => DType::F16,
            SliceRef::F32(_) => DType::F32,
            SliceRef::F64(_) => DType::F64,
        }
    }

    /// The number of elements.
    pub fn len(self) -> usize {
        with_dtype!(self.dtype(), T => T::from_slice_ref(self).map_or(0, <[T]>::len))
    }

    /// Whether there are no elements.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// An element type that a [`Buffer`] can hold.
pub trait Storage: Element + crate::gemm::GemmElement {
    /// The elements, if the buffer holds this type.
    fn slice(buffer: &Buffer) -> Option<&[Self]>;
    /// The elements mutably, if the buffer holds this type.
    fn slice_mut(buffer: &mut Buffer) -> Option<&mut [Self]>;
    /// Wraps a vector.
    fn wrap(data: Vec<Self>) -> Buffer;
    /// Unwraps a buffer of this type.
    fn unwrap(buffer: Buffer) -> Option<Vec<Self>>;
    /// Borrows a slice as a [`SliceRef`].
    fn slice_ref(data: &[Self]) -> SliceRef<'_>;
    /// The elements of a [`SliceRef`], if it holds this type.
    fn from_slice_ref(data: SliceRef<'_>) -> Option<&[Self]>;
}

macro_rules! storage {
    ($t:ty, $variant:ident) => {
        impl Storage for $t {
            fn slice(buffer: &Buffer) -> Option<&[Self]> {
                match buffer {
                    Buffer::$variant(data) => Some(data),
                    _ => None,
                }
            }
            fn slice_mut(buffer: &mut Buffer) -> Option<&mut [Self]> {
                match buffer {
                    Buffer::$variant(data) => Some(data),
                    _ => None,
                }
            }
            fn wrap(data: Vec<Self>) -> Buffer {
                Buffer::$variant(data)
            }
            fn slice_ref(data: &[Self]) -> SliceRef<'_> {
                SliceRef::$variant(data)
            }
            fn from_slice_ref(data: SliceRef<'_>) -> Option<&[Self]> {
                match data {
                    SliceRef::$variant(data) => Some(data),
                    _ => None,
                }
            }
            fn unwrap(mut buffer: Buffer) -> Option<Vec<Self>> {
                // Taking the vector leaves an empty buffer behind, which `Drop` ignores.
                match &mut buffer {
                    Buffer::$variant(data) => Some(std::mem::take(data)),
                    _ => None,
                }
            }
        }
    };
}

storage!(bool, Bool);
storage!(u8, U8);
storage!(i8, I8);
storage!(u16, U16);
storage!(i16, I16);
storage!(u32, U32);
storage!(i32, I32);
storage!(u64, U64);
storage!(f16, F16);
storage!(i64, I64);
storage!(f32, F32);
storage!(f64, F64);

impl Buffer {
    /// A buffer of `len` zeros (or `False`), on huge pages when it is large.
    ///
    /// Panics when the allocator refuses (see [`Buffer::try_zeros`]).
    pub fn zeros(dtype: DType, len: usize) -> Buffer {
        Buffer::try_zeros("zeros", dtype, len).unwrap_or_else(|err| panic!("{err}"))
    }

    /// A buffer of `len` zeros (or `False`), on huge pages when it is large, or
    /// [`Error::OutOfMemory`] naming `op` when the allocator refuses the request.
    ///
    /// On Linux with overcommit the allocator refuses only requests beyond what the address
    /// space or the allocator can serve; a smaller request succeeds here and its pages are
    /// found missing only when first written, as for numpy.
    pub fn try_zeros(op: &'static str, dtype: DType, len: usize) -> Result<Buffer> {
        // Zeroed memory from the allocator is, for a large buffer, a fresh mapping nobody has
        // written yet, so the huge-page advice still comes before the first write, and the
        // kernel that fills the buffer is the one to touch its pages.
        with_dtype!(dtype, T => {
            let data = zeroed_vec::<T>(len).map_err(|bytes| Error::OutOfMemory { op, bytes })?;
            huge_pages::advise_huge_pages(&data);
            Ok(T::wrap(data))
        })
    }

    /// A buffer of `len` elements for a kernel to overwrite: a recycled one of the same dtype
    /// and length when the pool has one (its old contents are still there), else fresh zeros;
    /// [`Error::OutOfMemory`] naming `op` when the allocator refuses.
    ///
    /// Reuse matters: writing a fresh 40 MB allocation costs about 17 ms of page faults on the
    /// reference machine against about 1 ms for a reused one, more than the kernel itself.
    pub fn for_overwrite(op: &'static str, dtype: DType, len: usize) -> Result<Buffer> {
        match pool::take(dtype, len) {
            Some(buffer) => Ok(buffer),
            None => Buffer::try_zeros(op, dtype, len),
        }
    }

    /// The number of bytes the elements take.
    pub fn nbytes(&self) -> usize {
        self.len() * self.dtype().itemsize()
    }

    /// The dtype of the elements.
    pub fn dtype(&self) -> DType {
        match self {
            Buffer::Bool(_) => DType::Bool,
            Buffer::U8(_) => DType::U8,
            Buffer::I8(_) => DType::I8,
            Buffer::U16(_) => DType::U16,
            Buffer::I16(_) => DType::I16,
            Buffer::U32(_) => DType::U32,
            Buffer::I32(_) => DType::I32,
            Buffer::U64(_) => DType::U64,
            Buffer::I64(_) => DType::I64,
            Buffer::F16(_) => DType::F16,
            Buffer::F32(_) => DType::F32,
            Buffer::F64(_) => DType::F64,
        }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        with_dtype!(self.dtype(), T => typed::<T>(self).len())
    }

    /// Whether the buffer has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A vector of `len` zeros, or the size in bytes of the request the allocator refused.
///
/// `vec![T::ZERO; len]` would abort the process on a refused request, and `try_reserve_exact`
/// followed by `resize` would write every page before the kernel that fills the buffer writes
/// it again (and before the huge-page advice). Zeroed memory from the allocator is what
/// `vec!` itself asks for, made fallible.
fn zeroed_vec<T: ZeroValid>(len: usize) -> std::result::Result<Vec<T>, usize> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let bytes = len.saturating_mul(size_of::<T>());
    let layout = std::alloc::Layout::array::<T>(len).map_err(|_| bytes)?;
    // SAFETY: `layout` has a non-zero size: `len > 0` and every `Storage` type is one to eight
    // bytes wide.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        return Err(bytes);
    }
    // SAFETY: `ptr` comes from the global allocator with the layout of `len` `T`s, the layout
    // `Vec<T>` uses for a capacity of `len`; all `len` elements are initialised, because the
    // all-zero bit pattern is a valid `T` (the contract of `ZeroValid`); the vector takes sole
    // ownership.
    Ok(unsafe { Vec::from_raw_parts(ptr, len, len) })
}

/// Element types whose all-zero bit pattern is a valid value, which `zeroed_vec` relies on.
/// Private, so that no type outside this module can claim it (`Storage` is public and could be
/// implemented by a type for which zero bits are invalid).
///
/// # Safety
/// Every value of the type's size whose bytes are all zero must be a valid value of the type.
unsafe trait ZeroValid: Sized {}

// SAFETY: zero bytes are `false`, integer 0 and float +0.0.
unsafe impl ZeroValid for bool {}
// SAFETY: as above.
unsafe impl ZeroValid for u8 {}
// SAFETY: as above.
unsafe impl ZeroValid for i8 {}
// SAFETY: as above.
unsafe impl ZeroValid for u16 {}
// SAFETY: as above.
unsafe impl ZeroValid for i16 {}
// SAFETY: as above.
unsafe impl ZeroValid for u32 {}
// SAFETY: as above.
unsafe impl ZeroValid for i32 {}
// SAFETY: as above.
unsafe impl ZeroValid for u64 {}
// SAFETY: as above.
unsafe impl ZeroValid for i64 {}
// SAFETY: as above (`f16` is a `u16` of IEEE half-precision bits; zero bits are +0.0).
unsafe impl ZeroValid for f16 {}
// SAFETY: as above.
unsafe impl ZeroValid for f32 {}
// SAFETY: as above.
unsafe impl ZeroValid for f64 {}

/// The elements of a buffer the plan says holds `T`.
pub(crate) fn typed<T: Storage>(buffer: &Buffer) -> &[T] {
    // Invariant: the compiler infers every slot's dtype from the op table, and kernels only
    // ever read a slot as the dtype the plan gives it.
    T::slice(buffer).unwrap_or_else(|| {
        panic!(
            "internal error: buffer of {} read as {}",
            buffer.dtype(),
            T::DTYPE
        )
    })
}

/// The elements of a buffer the plan says holds `T`, mutably.
pub(crate) fn typed_mut<T: Storage>(buffer: &mut Buffer) -> &mut [T] {
    let dtype = buffer.dtype();
    T::slice_mut(buffer)
        .unwrap_or_else(|| panic!("internal error: buffer of {dtype} written as {}", T::DTYPE))
}

/// Large buffers go back to the pool when their last handle drops, so a training loop that
/// rebuilds the same graph reuses the same memory instead of faulting in fresh pages.
impl Drop for Buffer {
    fn drop(&mut self) {
        if self.nbytes() >= pool::MIN_BYTES {
            let taken = std::mem::replace(self, Buffer::Bool(Vec::new()));
            pool::give(taken);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_buffers_hold_zeros_of_every_dtype_and_refusals_are_errors() {
        for dtype in DType::ALL {
            // The edges of the one unsafe allocation: no elements, one, a large buffer on huge
            // pages, a request the allocator refuses, and one whose size overflows.
            for len in [0, 1, 1000, pool::MIN_BYTES + 3] {
                let buffer = Buffer::try_zeros("test", dtype, len).expect("a small buffer");
                assert_eq!((buffer.dtype(), buffer.len()), (dtype, len));
                with_dtype!(dtype, T => assert!(typed::<T>(&buffer).iter().all(|&x| x == <T as Element>::ZERO)));
            }
            for len in [1 << 45, usize::MAX / 2, usize::MAX] {
                let err = Buffer::try_zeros("test", dtype, len).expect_err("refused");
                assert!(
                    matches!(err, Error::OutOfMemory { op: "test", bytes } if bytes == len.saturating_mul(dtype.itemsize())),
                    "{err:?}"
                );
            }
        }
    }
}
