//! The readers under fuzzing: each takes a file's bytes and must return `Ok` or `Err`, never
//! panic, abort or allocate without bound.
//!
//! This file is compiled twice: by the fuzz crate, and by lazygrad-io's stable tests
//! (`tests/hostile.rs`), which replay the committed corpora through it.

/// The largest image the image targets decode, in pixels: 4 Mi pixels (at most 32 MiB of
/// 16-bit RGBA). `imread` allows PIL's limit of about 179 M pixels, but a fuzzer that decodes
/// gigabyte images explores nothing and trips libFuzzer's memory limit; the limit itself is
/// the same code path either way.
pub const MAX_PIXELS: u64 = 1 << 22;

/// The image formats with a target each, by the extension the decoder is forced to.
pub const IMAGE_FORMATS: [&str; 6] = ["png", "jpeg", "bmp", "gif", "webp", "pnm"];

/// Decodes `data` as a `.npy` file.
pub fn npy(data: &[u8]) {
    if let Ok(array) = lazygrad_io::npy::decode(data) {
        check_array(&array);
    }
}

/// Decodes `data` as a `.npz` archive.
pub fn npz(data: &[u8]) {
    if let Ok(arrays) = lazygrad_io::npz::decode(data) {
        arrays.iter().for_each(|(_, array)| check_array(array));
    }
}

/// Decodes `data` as an image of `format` (an extension such as `"png"`).
///
/// `image::decode` turns a panic inside a third-party codec into an error, but libFuzzer's
/// panic hook aborts before any unwinding; the default hook is restored so that the reader's
/// `catch_unwind` works as it does for users. A panic that escapes the reader still fails the
/// run: libfuzzer-sys aborts on any panic that reaches the target.
pub fn image(format: &str, data: &[u8]) {
    static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(array) = lazygrad_io::image::decode(data, Some(format), MAX_PIXELS) {
        check_array(&array);
        let pixels = array.shape.iter().take(2).product::<usize>() as u64;
        assert!(
            pixels <= MAX_PIXELS,
            "decoded {pixels} pixels past the limit"
        );
    }
}

/// A decoded array must hold as many elements as its shape says.
fn check_array(array: &lazygrad_io::Array) {
    assert_eq!(
        array.shape.size(),
        array.data.len(),
        "shape and data disagree"
    );
}
