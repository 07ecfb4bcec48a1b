//! Fallible allocation for buffers sized by an argument (an image's or a figure's size), so a
//! size too large for the machine is an error the caller can handle, not an abort.
//!
//! Requests are checked in two steps: a byte size that overflows `usize` or exceeds
//! `isize::MAX` (the most any Rust allocation can hold) is an [`Error::Invalid`] in numpy's
//! words, and a size the allocator refuses is an [`Error::OutOfMemory`]. On Linux with
//! overcommit the allocator refuses only what the address space or the allocator cannot serve
//! (see [`Error::OutOfMemory`]).

use crate::{Error, Result};

/// The product of `extents`, or the error numpy gives for an array too big to exist.
pub(crate) fn checked_size(op: &'static str, extents: &[usize]) -> Result<usize> {
    extents
        .iter()
        .try_fold(1usize, |acc, &extent| acc.checked_mul(extent))
        .ok_or_else(|| too_big(op, extents))
}

fn too_big(op: &'static str, extents: &[usize]) -> Error {
    Error::Invalid {
        op,
        message: format!(
            "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum \
             possible size (extents {extents:?})"
        ),
    }
}

/// An empty vector with room for exactly `len` elements, reserved fallibly.
pub(crate) fn try_with_capacity<T>(op: &'static str, len: usize) -> Result<Vec<T>> {
    let bytes = len
        .checked_mul(size_of::<T>())
        .filter(|&bytes| isize::try_from(bytes).is_ok())
        .ok_or_else(|| too_big(op, &[len, size_of::<T>()]))?;
    let mut res = Vec::new();
    res.try_reserve_exact(len)
        .map_err(|_| Error::OutOfMemory { op, bytes })?;
    Ok(res)
}

/// A vector of `len` copies of `value`, reserved fallibly.
pub(crate) fn try_filled<T: Clone>(op: &'static str, len: usize, value: T) -> Result<Vec<T>> {
    let mut res = try_with_capacity(op, len)?;
    res.resize(len, value);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_beyond_the_address_space_are_errors_not_aborts() {
        // 2^58 bytes is beyond the 57-bit address space of the largest 64-bit Linux machines
        // (47 bits on most), so the allocator refuses it whatever the overcommit policy.
        let err = try_with_capacity::<u8>("test", 1 << 58).unwrap_err();
        assert!(
            matches!(err, Error::OutOfMemory { op: "test", bytes } if bytes == 1 << 58),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("Unable to allocate 288230376151711744 bytes"),
            "{err}"
        );
        let err = try_filled("test", 1 << 56, 0u64).unwrap_err();
        assert!(
            matches!(err, Error::OutOfMemory { bytes, .. } if bytes == 1 << 59),
            "{err:?}"
        );
        // Byte sizes past isize::MAX and overflowing products are too big to exist at all.
        let err = try_with_capacity::<u64>("test", usize::MAX / 4).unwrap_err();
        assert!(err.to_string().contains("array is too big"), "{err}");
        let err = checked_size("test", &[1 << 40, 1 << 40]).unwrap_err();
        assert!(err.to_string().contains("array is too big"), "{err}");
        assert_eq!(checked_size("test", &[3, 4, 5]).unwrap(), 60);
        assert_eq!(try_filled("test", 3, 7u8).unwrap(), [7, 7, 7]);
    }
}
