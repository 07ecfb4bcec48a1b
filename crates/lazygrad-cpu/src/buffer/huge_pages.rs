//! Large buffers backed by transparent huge pages, as numpy backs its arrays.
//!
//! A 4 KiB page covers 1024 float32s, so a kernel streaming a 40 MB array takes a TLB miss every
//! 1024 elements, and under a hypervisor each miss walks two page tables. numpy asks Linux for
//! transparent huge pages (`madvise(MADV_HUGEPAGE)`) on every allocation of 4 MiB or more
//! (`numpy/_core/src/multiarray/alloc.c`), which matters where the system setting is `madvise`,
//! as on this project's machine. lazygrad does the same, so both sides of a comparison with
//! numpy run on the same kind of page.

use lazygrad_ir::Error;

/// Buffers from this many bytes up ask for huge pages: numpy's threshold.
pub const HUGE_PAGE_MIN_BYTES: usize = 1 << 22;

/// Returns a vector of the first `len` elements of `values` (all of them, if there are fewer),
/// asking the OS first to back it with transparent huge pages when `len` elements take at least
/// [`HUGE_PAGE_MIN_BYTES`].
///
/// The advice is given before the elements are written, because the kernel picks the page size
/// when a page is first touched. Where the OS has no transparent huge pages the vector is
/// simply built.
///
/// The allocation is fallible: a request the allocator refuses is [`Error::OutOfMemory`]
/// naming `op`, never an abort.
///
/// ```
/// let values = lazygrad_cpu::huge_page_vec("arange", 1 << 20, (0..1 << 20).map(|i| i as f32))?;
/// assert_eq!(values.len(), 1 << 20);
/// assert_eq!(values[12345], 12345.0);
/// assert!(lazygrad_cpu::huge_page_vec("eye", 1 << 61, std::iter::repeat(0.0f64)).is_err());
/// # Ok::<(), lazygrad_ir::Error>(())
/// ```
pub fn huge_page_vec<T>(
    op: &'static str,
    len: usize,
    values: impl IntoIterator<Item = T>,
) -> Result<Vec<T>, Error> {
    let mut data = Vec::new();
    data.try_reserve_exact(len)
        .map_err(|_| Error::OutOfMemory {
            op,
            bytes: len.saturating_mul(size_of::<T>()),
        })?;
    advise_huge_pages(&data);
    data.extend(values.into_iter().take(len));
    Ok(data)
}

/// Asks the OS to back the pages inside `data`'s allocation with huge pages, if it is large;
/// returns whether the advice was given and accepted.
pub(super) fn advise_huge_pages<T>(data: &Vec<T>) -> bool {
    let bytes = data.capacity().saturating_mul(size_of::<T>());
    if bytes < HUGE_PAGE_MIN_BYTES {
        return false;
    }
    advise(data.as_ptr() as usize, bytes)
}

#[cfg(target_os = "linux")]
fn advise(start: usize, bytes: usize) -> bool {
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let Ok(page) = usize::try_from(page) else {
        return false;
    };
    // madvise takes whole pages, so the advice covers the pages lying wholly inside the
    // allocation; the allocation is at least 4 MiB, so there are some.
    let first = start.next_multiple_of(page);
    let end = (start + bytes) / page * page;
    if end <= first {
        return false;
    }
    // SAFETY: [first, end) lies inside an allocation this process owns (the vector's capacity),
    // and MADV_HUGEPAGE is only a hint about how to back those pages: it never changes their
    // contents, their mapping or who may access them.
    unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: usize, _bytes: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `VmFlags` line of the mapping of this process that contains `address`.
    #[cfg(target_os = "linux")]
    fn vm_flags(address: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("reading /proc/self/smaps");
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_whitespace().next().unwrap_or("");
            if let Some((low, high)) = range.split_once('-')
                && let (Ok(low), Ok(high)) = (
                    usize::from_str_radix(low, 16),
                    usize::from_str_radix(high, 16),
                )
            {
                inside = (low..high).contains(&address);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.trim().to_string();
            }
        }
        panic!("no mapping of this process contains {address:#x}")
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn large_vectors_ask_for_huge_pages_and_small_ones_do_not() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            // A kernel built without transparent huge pages rejects the advice; the vector is
            // still built, which the other test checks.
            eprintln!("this kernel has no transparent huge pages; only the fallback is tested");
            return;
        }
        // One element short of the threshold, and one element over it (an unaligned length).
        let small: Vec<f32> =
            huge_page_vec("test", HUGE_PAGE_MIN_BYTES / 4 - 1, std::iter::repeat(1.0)).unwrap();
        let large: Vec<f32> =
            huge_page_vec("test", HUGE_PAGE_MIN_BYTES / 4 + 1, std::iter::repeat(1.0)).unwrap();
        assert!(!advise_huge_pages(&small));
        // `hg` is the flag madvise(MADV_HUGEPAGE) sets on the mapping.
        let middle = large.as_ptr() as usize + large.len() * 2;
        let flags = vm_flags(middle);
        assert!(
            flags.split_whitespace().any(|flag| flag == "hg"),
            "mapping flags {flags}"
        );
        assert!(large.iter().all(|&value| value == 1.0));
        // Kernel outputs: zeros from the allocator, advised before anything writes them.
        let zeros = crate::Buffer::zeros(lazygrad_ir::DType::F64, HUGE_PAGE_MIN_BYTES / 8 + 1);
        let crate::Buffer::F64(zeros) = &zeros else {
            panic!("a float64 buffer holds float64")
        };
        let flags = vm_flags(zeros.as_ptr() as usize + zeros.len() * 4);
        assert!(
            flags.split_whitespace().any(|flag| flag == "hg"),
            "mapping flags {flags}"
        );
        assert!(zeros.iter().all(|&value| value == 0.0));
    }

    #[test]
    fn values_are_taken_in_order_and_cut_at_the_length() {
        let values = huge_page_vec("test", HUGE_PAGE_MIN_BYTES, 0u64..).unwrap();
        assert_eq!(values.len(), HUGE_PAGE_MIN_BYTES);
        assert!(values.iter().enumerate().all(|(i, &v)| v == i as u64));
        let short = huge_page_vec("test", 10, [1u8, 2, 3]).unwrap();
        assert_eq!(short, [1, 2, 3]);
    }
}
