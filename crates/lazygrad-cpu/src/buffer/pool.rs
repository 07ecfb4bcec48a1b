//! A process-wide pool of large buffers, keyed by dtype and length.

use super::Buffer;
use lazygrad_ir::DType;
use std::sync::Mutex;

/// Buffers smaller than this are cheap to allocate and are not pooled.
pub(super) const MIN_BYTES: usize = 64 * 1024;

/// The pool never holds more than this many bytes; beyond it, dropped buffers are freed.
const MAX_POOLED_BYTES: usize = 1 << 30;

/// The pool never holds more than this many buffers.
const MAX_POOLED: usize = 64;

struct Pool {
    buffers: Vec<Buffer>,
    bytes: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    buffers: Vec::new(),
    bytes: 0,
});

fn lock() -> std::sync::MutexGuard<'static, Pool> {
    // The pool holds only whole buffers, so it is consistent even if a holder panicked.
    POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A pooled buffer of exactly this dtype and length, if there is one.
pub(super) fn take(dtype: DType, len: usize) -> Option<Buffer> {
    if len.saturating_mul(dtype.itemsize()) < MIN_BYTES {
        return None;
    }
    let mut pool = lock();
    let found = pool
        .buffers
        .iter()
        .position(|b| b.dtype() == dtype && b.len() == len)?;
    let buffer = pool.buffers.swap_remove(found);
    pool.bytes -= buffer.nbytes();
    Some(buffer)
}

/// Keeps a buffer for reuse, evicting the oldest ones beyond the pool's bounds.
pub(super) fn give(buffer: Buffer) {
    let bytes = buffer.nbytes();
    if bytes > MAX_POOLED_BYTES {
        free(buffer);
        return;
    }
    let mut evicted = Vec::new();
    {
        let mut pool = lock();
        while pool.buffers.len() >= MAX_POOLED || pool.bytes + bytes > MAX_POOLED_BYTES {
            let oldest = pool.buffers.remove(0);
            pool.bytes -= oldest.nbytes();
            evicted.push(oldest);
        }
        pool.bytes += bytes;
        pool.buffers.push(buffer);
    }
    // Freed outside the lock: dropping is where the memory goes back to the allocator.
    evicted.into_iter().for_each(free);
}

/// Frees a buffer's memory for real, bypassing the pool.
fn free(buffer: Buffer) {
    crate::with_dtype!(buffer.dtype(), T => drop(<T as super::Storage>::unwrap(buffer)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_large_buffers_come_back() {
        let len = MIN_BYTES / 8 + 17;
        let mut buffer = Buffer::zeros(DType::F64, len);
        if let Buffer::F64(data) = &mut buffer {
            data[0] = 42.0;
        }
        drop(buffer);
        // Another test may take it first; when it comes back it is the same memory.
        if let Some(Buffer::F64(data)) = take(DType::F64, len).as_ref() {
            assert_eq!(data.len(), len);
        }
        assert!(
            take(DType::F64, 3).is_none(),
            "small buffers are not pooled"
        );
    }
}
