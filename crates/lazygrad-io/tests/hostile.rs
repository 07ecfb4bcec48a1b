//! Hostile and damaged files through every reader: each must give `Ok` or a clean `Err`, never
//! a panic, an abort, or an allocation sized by what the file declares.
//!
//! - the crafted files of `tests-data/hostile/` (written by its `gen.py`) give the errors
//!   `expected.txt` lists, naming the file, with a small peak allocation;
//! - a deflated member that declares 16 bytes and inflates to 1 GiB stops after 17 bytes;
//! - every truncation of a small valid file of each format, and random byte mutations of
//!   them (proptest), give `Ok` or `Err`;
//! - the fuzz corpora committed under `fuzz/corpus/` replay through the fuzz targets' own
//!   functions (`fuzz/src/io.rs`, included below), so CI re-runs every input the fuzzers kept.

use lazygrad_io::{Array, Buffer, image, npy, npz};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};

#[path = "../../../fuzz/src/io.rs"]
mod harness;

/// The system allocator, counting the bytes each thread holds and the most it has held.
///
/// Counts are per thread so that tests running in parallel do not see each other's memory.
struct Counting;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn count_alloc(size: usize) {
    // `try_with` fails only while the thread is being torn down; those bytes go uncounted.
    let _ = HELD.try_with(|held| {
        held.set(held.get() + size);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(held.get())));
    });
}

fn count_dealloc(size: usize) {
    let _ = HELD.try_with(|held| held.set(held.get().saturating_sub(size)));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s
// guarantees hold; the counting touches only const-initialised thread-locals, which never
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which `System.alloc` shares.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count_alloc(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (every allocation goes there).
        unsafe { System.dealloc(ptr, layout) };
        count_dealloc(layout.size());
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count_alloc(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract, which `System.realloc` shares.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count_dealloc(layout.size());
            count_alloc(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the most bytes this thread held beyond what it held
/// before the call.
fn peak_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = HELD.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let res = f();
    (res, PEAK.with(Cell::get) - before)
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests-data/hostile")
}

/// Reads `path` with the reader its extension names, as a user would.
fn read_any(path: &Path) -> lazygrad_io::Result<()> {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("npy") => npy::read_npy(path).map(drop),
        Some("npz") => npz::read_npz(path).map(drop),
        _ => image::imread(path).map(drop),
    }
}

#[test]
fn every_hostile_file_is_an_error_naming_the_file_and_the_problem() {
    let dir = hostile_dir();
    let listing = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let mut checked = 0;
    for line in listing.lines().filter(|line| !line.starts_with('#')) {
        let (name, expected) = line.split_once('\t').unwrap();
        let path = dir.join(name);
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        let (res, peak) = peak_allocation(|| read_any(&path));
        let message = match res {
            Ok(()) => panic!("{name} was read without an error"),
            Err(err) => err.to_string(),
        };
        assert!(
            message.contains(name) && message.contains(expected),
            "{name}: the error {message:?} lacks the file's name or {expected:?}"
        );
        // The file itself is read into memory; anything beyond a small multiple of it would be
        // an allocation sized by a declared length.
        let bound = 2 * len + (1 << 20);
        assert!(
            peak <= bound,
            "{name}: reading it allocated {peak} bytes at its peak, more than {bound}"
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} hostile files are listed");
}

/// A zip archive of one member, with its declared size and CRC as given.
fn zip_of_one(name: &str, method: u16, crc: u32, declared: u32, packed: &[u8]) -> Vec<u8> {
    let name = name.as_bytes();
    let mut out = Vec::new();
    let sizes = |out: &mut Vec<u8>| {
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // time and date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        out.extend_from_slice(&declared.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0]); // version needed, flags
    sizes(&mut out);
    out.extend_from_slice(name);
    out.extend_from_slice(packed);
    let directory = out.len() as u32;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0]); // made by, needed, flags
    sizes(&mut out);
    out.extend_from_slice(&[0; 12]); // comment, disk, attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name);
    let directory_len = out.len() as u32 - directory;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&directory_len.to_le_bytes());
    out.extend_from_slice(&directory.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn a_member_that_inflates_to_a_gibibyte_while_declaring_16_bytes_stops_at_17() {
    use flate2::{Compress, Compression, FlushCompress};
    // One MiB of zeros, compressed and then fully flushed: the flush ends the block on a byte
    // boundary and resets the window, so 1024 copies of it inflate to 1 GiB of zeros.
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(1 << 20);
    compress
        .compress_vec(&vec![0u8; 1 << 20], &mut block, FlushCompress::Full)
        .unwrap();
    let mut stream = block.repeat(1024);
    stream.extend_from_slice(&[3, 0]); // a final, empty block of fixed codes
    let archive = zip_of_one("a.npy", 8, 0, 16, &stream);
    let (res, peak) = peak_allocation(|| npz::decode(&archive));
    let message = res.unwrap_err();
    assert!(
        message.contains("inflates to more than the 16 bytes it declares"),
        "{message}"
    );
    assert!(
        peak < 1 << 20,
        "inflating a member that declares 16 bytes allocated {peak} bytes"
    );
}

#[test]
fn a_panic_inside_an_image_codec_is_an_error_naming_the_file() {
    // The `jpeg` fuzz target's finding: zune-jpeg's AVX2 inverse DCT panics on this file. Its
    // scalar code (on CPUs without AVX2) may decode it, so only the AVX2 result is pinned.
    let path = hostile_dir().join("jpeg_zune_avx2_idct_panic.jpg");
    let res = std::panic::catch_unwind(|| image::imread(&path));
    let res = res.expect("imread panicked instead of returning an error");
    if std::arch::is_x86_feature_detected!("avx2") {
        let message = res.unwrap_err().to_string();
        assert!(
            message.contains("jpeg_zune_avx2_idct_panic.jpg")
                && message.contains("decoder failed on corrupt data"),
            "{message}"
        );
    }
}

/// Small valid files of every format the readers take, as (name, reader format, bytes);
/// `None` is a `.npy` or `.npz` file.
fn valid_files() -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    let dir = std::env::temp_dir().join("lazygrad-io-hostile-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let pixels: Vec<u8> = (0..6 * 5 * 3).map(|i| (i * 37 % 256) as u8).collect();
    let rgb = Array::new([6, 5, 3], Buffer::U8(pixels)).unwrap();
    let matrix = Array::new([2, 3], Buffer::F32(vec![0.5, 1.0, -2.0, 3.5, 0.0, 7.0])).unwrap();
    let ints = Array::new([3], Buffer::I64(vec![1, -2, 3])).unwrap();
    let mut files = Vec::new();
    let mut written = |name: &'static str, format, write: &dyn Fn(&Path)| {
        let path = dir.join(name);
        write(&path);
        files.push((name, format, std::fs::read(&path).unwrap()));
    };
    written("a.npy", None, &|path| {
        npy::write_npy(path, &matrix).unwrap()
    });
    written("fortran.npy", None, &|path| {
        npy::write_npy_order(path, &matrix, npy::Order::Fortran).unwrap()
    });
    written("stored.npz", None, &|path| {
        npz::write_npz(path, &[("w", &matrix), ("b", &ints)]).unwrap()
    });
    written("deflated.npz", None, &|path| {
        npz::write_npz_compressed(path, &[("w", &matrix), ("b", &ints)]).unwrap()
    });
    for (name, format) in [
        ("a.png", "png"),
        ("a.jpg", "jpeg"),
        ("a.bmp", "bmp"),
        ("a.webp", "webp"),
        ("a.ppm", "pnm"),
    ] {
        written(name, Some(format), &|path| {
            image::imsave(path, &rgb).unwrap()
        });
    }
    files.push(("a.gif", Some("gif"), gif_bytes()));
    files
}

/// A small two-frame animated GIF with a transparent colour, from `image`'s encoder (`imsave`
/// writes no GIF).
fn gif_bytes() -> Vec<u8> {
    use ::image::codecs::gif::GifEncoder;
    use ::image::{Delay, Frame, RgbaImage};
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        for shift in [0u8, 40] {
            let frame = RgbaImage::from_fn(5, 4, |x, y| {
                let alpha = if x == 0 { 0 } else { 255 };
                ::image::Rgba([x as u8 * 50 + shift, y as u8 * 60, 9, alpha])
            });
            encoder
                .encode_frame(Frame::from_parts(
                    frame,
                    0,
                    0,
                    Delay::from_numer_denom_ms(10, 1),
                ))
                .unwrap();
        }
    }
    out
}

/// Decodes `bytes` with the reader for `format` (`None`: `.npy` or `.npz`, by `name`), through
/// the fuzz targets' functions, returning whether it was `Ok`.
fn decodes(name: &str, format: Option<&str>, bytes: &[u8]) -> bool {
    match format {
        Some(format) => image::decode(bytes, Some(format), harness::MAX_PIXELS).is_ok(),
        None if name.ends_with(".npz") => npz::decode(bytes).is_ok(),
        None => npy::decode(bytes).is_ok(),
    }
}

#[test]
fn every_truncation_of_a_valid_file_is_ok_or_err() {
    for (name, format, bytes) in valid_files() {
        assert!(
            decodes(name, format, &bytes),
            "{name} does not decode whole"
        );
        for len in 0..bytes.len() {
            let prefix = &bytes[..len];
            let ok = std::panic::catch_unwind(|| decodes(name, format, prefix))
                .unwrap_or_else(|_| panic!("{name} cut to {len} bytes panicked"));
            // These formats end in data a reader needs (npy: every element; npz: the end
            // record; JPEG: the scan, read strictly), so a truncated file must be an error.
            let must_fail = matches!(format, None | Some("jpeg"));
            assert!(
                !(ok && must_fail),
                "{name} cut to {len} of {} bytes was read without an error",
                bytes.len()
            );
        }
    }
}

#[test]
fn a_truncated_jpeg_file_is_an_error_naming_it() {
    let path = std::env::temp_dir().join("lazygrad-io-hostile-truncated.jpg");
    let pixels: Vec<u8> = (0..32 * 32 * 3).map(|i| (i * 7 % 256) as u8).collect();
    image::imsave(&path, &Array::new([32, 32, 3], Buffer::U8(pixels)).unwrap()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() * 3 / 4]).unwrap();
    let message = image::imread(&path).unwrap_err().to_string();
    assert!(
        message.contains("lazygrad-io-hostile-truncated.jpg") && message.contains("decode"),
        "{message}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random bytes overwritten, inserted or removed in valid files of every format.
    #[test]
    fn mutated_files_give_ok_or_err_never_a_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8)
    ) {
        for (name, format, bytes) in valid_files() {
            let mut bytes = bytes;
            for (at, value, kind) in &edits {
                let at = at.index(bytes.len().max(1)).min(bytes.len());
                match kind {
                    0 | 1 if at < bytes.len() => bytes[at] = *value,
                    2 => bytes.insert(at, *value),
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            let res = std::panic::catch_unwind(|| decodes(name, format, &bytes));
            prop_assert!(res.is_ok(), "{} with edits {:?} panicked", name, edits);
        }
    }
}

/// The files under `fuzz/corpus/<target>/`, which must exist and be non-empty.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files.sort();
    files
}

#[test]
fn the_committed_fuzz_corpora_replay_without_panics() {
    type Target = Box<dyn Fn(&[u8])>;
    let mut targets: Vec<(&str, Target)> = vec![
        ("npy", Box::new(harness::npy)),
        ("npz", Box::new(harness::npz)),
    ];
    for format in harness::IMAGE_FORMATS {
        targets.push((format, Box::new(move |bytes| harness::image(format, bytes))));
    }
    for (target, run) in &targets {
        for (path, bytes) in corpus(target) {
            let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&bytes)));
            assert!(res.is_ok(), "{} panicked", path.display());
        }
    }
    // The crafted files go through the same functions, as every format's target would.
    for entry in std::fs::read_dir(hostile_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        harness::npy(&bytes);
        harness::npz(&bytes);
        harness::IMAGE_FORMATS
            .iter()
            .for_each(|format| harness::image(format, &bytes));
    }
}
