//! Reading and writing images as uint8 arrays of (height, width, channels): PNG, JPEG, BMP,
//! GIF, WebP and PNM (PGM/PPM) are read, and all but GIF are written.
//!
//! The conventions are those of `imageio` and `matplotlib.pyplot.imread` for 8-bit files:
//! greyscale reads as (height, width), greyscale with alpha as (height, width, 2), colour as
//! (height, width, 3) and colour with alpha as (height, width, 4). Palette images are expanded
//! to colour and 16-bit images are reduced to 8 bits, since lazygrad has no uint16.
//!
//! The codecs are `image`'s pure-Rust ones. TIFF is left out on purpose: `image`'s TIFF
//! decoder pulls in `half` and `zerocopy`'s derive macros, which cost more build time than all
//! the other codecs together.

use crate::raster::save_pixels;
use crate::resize::image_dims;
use crate::{Array, Buffer, Error, Result, Shape};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::Path;

/// The most pixels [`imread`] decodes: PIL's decompression-bomb limit (PIL warns above
/// `Image.MAX_IMAGE_PIXELS`, 89,478,485 pixels, and refuses twice that).
///
/// A file declaring more is an error before any pixel is decoded; the few bytes of a PNG,
/// WebP or BMP header can declare gigapixels that decode from next to no data.
pub const MAX_IMAGE_PIXELS: u64 = 2 * 89_478_485;

/// The most bytes a pixel of a decoded image takes (16-bit RGBA), which bounds the decoders'
/// allocations in terms of the pixel limit.
const MAX_BYTES_PER_PIXEL: u64 = 8;

/// Reads an image file into a uint8 array of (height, width) or (height, width, channels).
///
/// The format (PNG, JPEG, BMP, GIF, WebP, or PNM: PBM/PGM/PPM/PAM) comes from the file's
/// contents, not its name. A GIF reads as the colours of its first frame: RGB, or RGBA when it
/// has transparent pixels, or greyscale when every pixel is grey (as for a paletted BMP).
/// Missing or unreadable files and undecodable contents are errors naming the file, and so are
/// images of more than [`MAX_IMAGE_PIXELS`] pixels and JPEGs cut short before their
/// end-of-image marker (which the JPEG decoder would fill with grey).
///
/// ```
/// use lazygrad_io::{Array, Buffer, image};
/// let path = std::env::temp_dir().join("lazygrad_doc_imread.png");
/// let img = Array::new([1, 2, 3], Buffer::U8(vec![255, 0, 0, 0, 0, 255]))?;
/// image::imsave(&path, &img)?;
/// assert_eq!(image::imread(&path)?, img);
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn imread(path: impl AsRef<Path>) -> Result<Array> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    decode(&bytes, None, MAX_IMAGE_PIXELS).map_err(|message| Error::format(path, message))
}

/// Decodes an image file's bytes as [`imread`] does, giving what is wrong without the file's
/// name; the fuzz targets and the hostile-file tests call it.
///
/// `format` is an extension such as `"png"` that forces the decoder (the fuzz targets give one
/// per format), or `None` to guess it from the contents as `imread` does. Images of more than
/// `max_pixels` pixels are refused after reading their header and before decoding.
#[doc(hidden)]
pub fn decode(bytes: &[u8], format: Option<&str>, max_pixels: u64) -> Result<Array, String> {
    let not_image = || "not an image this build reads (PNG, JPEG, BMP, GIF, WebP or PNM)";
    let format = match format {
        Some(ext) => ImageFormat::from_extension(ext).ok_or_else(not_image)?,
        None => image::guess_format(bytes).map_err(|_| not_image())?,
    };
    let cannot = |err: &dyn std::fmt::Display| format!("cannot decode the image: {err}");
    if format == ImageFormat::Jpeg {
        check_jpeg_complete(bytes).map_err(|err| cannot(&err))?;
    }
    // The codecs are third-party code, and some panic on corrupt files (zune-jpeg's AVX2
    // inverse DCT unwraps an out-of-range slice on odd sampling factors; upstream issue
    // etemesi254/zune-image#361, found here by the `jpeg` fuzz target). A file's contents must
    // give an error, not a panic, so a panic inside a codec is caught and reported as one. The
    // closure owns its decoder and only reads `bytes`, so nothing is left half-updated.
    let decoded = std::panic::catch_unwind(|| decode_pixels(bytes, format, max_pixels))
        .unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|message| message.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(cannot(&format!(
                "the {format:?} decoder failed on corrupt data ({message})"
            )))
        })?;
    let mut array = from_dynamic(decoded);
    if format == ImageFormat::Gif {
        drop_opaque_alpha(&mut array);
    }
    if (format == ImageFormat::Bmp && reader_bits_per_pixel(bytes) <= 8)
        || format == ImageFormat::Gif
    {
        grey_palette_to_greyscale(&mut array);
    }
    Ok(array)
}

/// The pixels of an image of `format`, refused after reading the header if it has more than
/// `max_pixels`.
fn decode_pixels(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
) -> Result<DynamicImage, String> {
    let cannot = |err: &dyn std::fmt::Display| format!("cannot decode the image: {err}");
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL));
    reader.limits(limits);
    // The decoder reads the header only; its dimensions are checked before any pixel buffer
    // is allocated.
    let decoder = reader.into_decoder().map_err(|err| cannot(&err))?;
    let (width, height) = decoder.dimensions();
    check_pixels(u64::from(width), u64::from(height), max_pixels)?;
    DynamicImage::from_decoder(decoder).map_err(|err| cannot(&err))
}

/// An error if an image of `width` by `height` pixels is larger than `max_pixels`.
fn check_pixels(width: u64, height: u64, max_pixels: u64) -> Result<(), String> {
    // Each side fits in 32 bits, so the product fits in 64.
    let pixels = width * height;
    if pixels > max_pixels {
        return Err(format!(
            "the image declares {width}x{height} = {pixels} pixels, more than the {max_pixels} \
             imread decodes (PIL's decompression-bomb limit)"
        ));
    }
    Ok(())
}

/// An error if a JPEG file ends before the end-of-image marker that follows its image data.
///
/// `image` runs its JPEG decoder leniently: it fills the rest of a truncated file with grey
/// and reports success, so a file cut short by a failed write would load as a valid image (the
/// decoder's strict mode misses a truncation inside the last row of blocks). Entropy-coded
/// data stuffs every 0xFF byte with a 0x00, so the end-of-image marker (0xFF 0xD9) cannot occur
/// inside a scan: a complete file has one after its first start-of-scan marker and a truncated
/// one has none. The segments before that scan are walked by their lengths, because an EXIF
/// thumbnail inside them is a whole JPEG with markers of its own.
fn check_jpeg_complete(bytes: &[u8]) -> Result<(), String> {
    let truncated =
        || "the JPEG file is truncated: no end-of-image marker follows its image data".to_string();
    // After the start-of-image marker, each segment is 0xFF, a marker byte and, except for
    // the standalone markers, a big-endian length that counts itself.
    let mut at = 2;
    let scan = loop {
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(at..at + 2) == Some(&[0xff, 0xff]) {
            at += 1;
        }
        match bytes.get(at..at + 2) {
            Some([0xff, 0xda]) => break at + 2,
            Some([0xff, 0x01 | 0xd0..=0xd8]) => at += 2,
            Some([0xff, _]) => {
                let len = bytes.get(at + 2..at + 4).ok_or_else(truncated)?;
                at += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            }
            // Not a marker where one should be: the file is damaged in a way the decoder
            // judges (it skips such bytes leniently), and this check cannot find the scan.
            Some(_) => return Ok(()),
            None => return Err(truncated()),
        }
    };
    if bytes[scan..].windows(2).any(|pair| pair == [0xff, 0xd9]) {
        Ok(())
    } else {
        Err(truncated())
    }
}

/// The bits per pixel of a BMP file (the `biBitCount` field of its header); meaningless for
/// other formats, where it is not used.
fn reader_bits_per_pixel(bytes: &[u8]) -> u16 {
    bytes
        .get(28..30)
        .map_or(24, |field| u16::from_le_bytes([field[0], field[1]]))
}

/// Turns an RGBA array whose pixels are all opaque into an RGB one.
///
/// The GIF decoder always gives RGBA, since a GIF palette may mark one entry transparent; PIL
/// and imageio read a GIF without transparent pixels as RGB.
fn drop_opaque_alpha(array: &mut Array) {
    let Buffer::U8(data) = &array.data else {
        return;
    };
    if array.shape.ndim() != 3 || array.shape[2] != 4 {
        return;
    }
    if data.chunks_exact(4).all(|px| px[3] == u8::MAX) {
        let rgb: Vec<u8> = data
            .chunks_exact(4)
            .flat_map(|px| &px[..3])
            .copied()
            .collect();
        array.shape = Shape::new(&[array.shape[0], array.shape[1], 3]);
        array.data = Buffer::U8(rgb);
    }
}

/// Turns an RGB array whose pixels are all grey into a (height, width) one.
///
/// The BMP decoder expands a palette into RGB, so a greyscale BMP (8-bit, grey palette, which
/// is how greyscale is stored in BMP) would otherwise read as three equal channels, where PIL
/// and imageio give a greyscale array. Only paletted files are checked (8-bit BMPs, and GIFs,
/// whose PIL mode is L for a grey-ramp palette): a 24-bit BMP stays RGB whatever its colours,
/// as in PIL.
fn grey_palette_to_greyscale(array: &mut Array) {
    let Buffer::U8(data) = &array.data else {
        return;
    };
    if array.shape.ndim() != 3 || array.shape[2] != 3 {
        return;
    }
    if data
        .chunks_exact(3)
        .all(|px| px[0] == px[1] && px[1] == px[2])
    {
        let grey: Vec<u8> = data.chunks_exact(3).map(|px| px[0]).collect();
        array.shape = Shape::new(&array.shape[..2]);
        array.data = Buffer::U8(grey);
    }
}

/// The uint8 array of a decoded image, keeping its channels (16-bit samples rounded to 8).
fn from_dynamic(decoded: DynamicImage) -> Array {
    let (width, height) = (decoded.width() as usize, decoded.height() as usize);
    let color = decoded.color();
    let (channels, data) = match (color.has_color(), color.has_alpha()) {
        (false, false) => (1, decoded.into_luma8().into_raw()),
        (false, true) => (2, decoded.into_luma_alpha8().into_raw()),
        (true, false) => (3, decoded.into_rgb8().into_raw()),
        (true, true) => (4, decoded.into_rgba8().into_raw()),
    };
    let shape = if channels == 1 {
        Shape::new(&[height, width])
    } else {
        Shape::new(&[height, width, channels])
    };
    Array {
        shape,
        data: Buffer::U8(data),
    }
}

/// The 8-bit samples of an image array, converting as [`imsave`] documents.
pub(crate) fn to_u8_samples(op: &'static str, image: &Array) -> Result<Vec<u8>> {
    let float_to_u8 = |value: f64| -> Result<u8> {
        if value.is_nan() {
            return Err(Error::Invalid {
                op,
                message: "the image has NaN values".into(),
            });
        }
        Ok((value.clamp(0.0, 1.0) * 255.0).round() as u8)
    };
    match &image.data {
        Buffer::U8(data) => Ok(data.clone()),
        Buffer::Bool(data) => Ok(data.iter().map(|&value| u8::from(value) * 255).collect()),
        Buffer::F32(data) => data
            .iter()
            .map(|&value| float_to_u8(f64::from(value)))
            .collect(),
        Buffer::F64(data) => data.iter().map(|&value| float_to_u8(value)).collect(),
        other => Err(Error::DType {
            op,
            dtype: other.dtype(),
            expected: "uint8, bool, or float32/float64 in 0..=1 (convert integers with astype(uint8))",
        }),
    }
}

/// Writes an image array as PNG, JPEG, BMP, lossless WebP, PGM or PPM, chosen by the file's
/// extension (`.png`, `.jpg`/`.jpeg`, `.bmp`, `.webp`, `.pgm`, `.ppm`, or `.pnm` for either).
///
/// The array is (height, width) for greyscale or (height, width, channels) with 1 (grey),
/// 2 (grey and alpha), 3 (RGB) or 4 (RGBA) channels; JPEG takes no alpha, PGM only greyscale
/// and PPM only RGB. WebP has no greyscale mode, so a greyscale WebP reads back as RGB (in PIL
/// too). GIF is not written, since its 256-colour palette would quantize the image.
///
/// Sample conversion follows `matplotlib.pyplot.imsave` and `imageio`:
/// - uint8 is written as it is;
/// - float32 and float64 are intensities in 0..=1: clipped to that range, multiplied by 255 and
///   rounded to the nearest level (NaN is an error). A float image holding 0..255 values, like
///   the cheat sheet's tinted image, must be converted with `astype(uint8)` first, exactly as
///   `plt.imshow(np.uint8(img_tinted))` does;
/// - bool is black (false) and white (true);
/// - other dtypes are an error: convert them with `astype(uint8)`.
///
/// ```
/// use lazygrad_io::{Array, Buffer, image};
/// let path = std::env::temp_dir().join("lazygrad_doc_imsave.png");
/// let grey = Array::new([1, 3], Buffer::F64(vec![0.0, 0.5, 2.0]))?;
/// image::imsave(&path, &grey)?;
/// assert_eq!(image::imread(&path)?.data, Buffer::U8(vec![0, 128, 255]));
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn imsave(path: impl AsRef<Path>, image: &Array) -> Result<()> {
    let op = "imsave";
    let path = path.as_ref();
    let (height, width, channels) = image_dims(op, &image.shape)?;
    if channels > 4 || height == 0 || width == 0 {
        return Err(Error::Shape {
            op,
            shape: image.shape.clone(),
            expected: "at least one pixel and 1 to 4 channels: (height, width) or (height, width, channels)",
        });
    }
    let samples = to_u8_samples(op, image)?;
    save_pixels(path, width, height, channels, &samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join("lazygrad-io-image-tests");
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    fn pattern(shape: &[usize]) -> Array {
        let size = shape.iter().product::<usize>();
        let data = (0..size).map(|i| (i * 53 % 256) as u8).collect();
        Array::new(Shape::new(shape), Buffer::U8(data)).unwrap()
    }

    #[test]
    fn lossless_formats_round_trip_every_channel_count() {
        for shape in [&[5, 7][..], &[5, 7, 2], &[5, 7, 3], &[5, 7, 4]] {
            let img = pattern(shape);
            let path = temp_path(&format!("round_trip_{}.png", img.shape.compact()));
            imsave(&path, &img).unwrap();
            assert_eq!(imread(&path).unwrap(), img, "png {shape:?}");
        }
        for shape in [&[5, 7][..], &[5, 7, 3]] {
            let img = pattern(shape);
            for ext in ["bmp", "pnm"] {
                let path = temp_path(&format!("round_trip.{ext}"));
                imsave(&path, &img).unwrap();
                assert_eq!(imread(&path).unwrap(), img, "{ext} {shape:?}");
            }
        }
        // WebP has no greyscale: grey (with or without alpha) comes back as RGB(A).
        for shape in [&[5, 7, 3][..], &[5, 7, 4]] {
            let img = pattern(shape);
            let path = temp_path(&format!("round_trip_{}.webp", img.shape.compact()));
            imsave(&path, &img).unwrap();
            assert_eq!(imread(&path).unwrap(), img, "webp {shape:?}");
        }
    }

    #[test]
    fn pnm_writes_pgm_and_ppm_that_other_readers_open() {
        // Binary PGM ("P5") and PPM ("P6"), not image's default PAM ("P7"), which PIL can't read.
        let grey = temp_path("header.pgm");
        imsave(&grey, &pattern(&[2, 3])).unwrap();
        assert!(std::fs::read(&grey).unwrap().starts_with(b"P5"));
        let rgb = temp_path("header.ppm");
        imsave(&rgb, &pattern(&[2, 3, 3])).unwrap();
        assert!(std::fs::read(&rgb).unwrap().starts_with(b"P6"));
        let err = imsave(temp_path("rgb.pgm"), &pattern(&[2, 3, 3])).unwrap_err();
        assert!(err.to_string().contains("3 channels"), "{err}");
    }

    #[test]
    fn one_channel_is_saved_as_greyscale() {
        let img = pattern(&[3, 4, 1]);
        let path = temp_path("one_channel.png");
        imsave(&path, &img).unwrap();
        let back = imread(&path).unwrap();
        assert_eq!((back.shape.to_vec(), back.data), (vec![3, 4], img.data));
    }

    #[test]
    fn jpeg_is_close_and_refuses_alpha() {
        let data = (0..16 * 16 * 3)
            .map(|i| (100 + (i % 3) * 40) as u8)
            .collect();
        let img = Array::new([16, 16, 3], Buffer::U8(data)).unwrap();
        let path = temp_path("flat.jpg");
        imsave(&path, &img).unwrap();
        let Buffer::U8(back) = &imread(&path).unwrap().data else {
            unreachable!()
        };
        let Buffer::U8(orig) = &img.data else {
            unreachable!()
        };
        let worst = back
            .iter()
            .zip(orig)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(worst <= 3, "flat colours came back {worst} levels off");
        let err = imsave(temp_path("alpha.jpg"), &pattern(&[2, 2, 4])).unwrap_err();
        assert!(err.to_string().contains("alpha"), "{err}");
    }

    #[test]
    fn floats_are_clipped_zero_to_one_intensities() {
        let img = Array::new([1, 5], Buffer::F32(vec![-1.0, 0.0, 0.25, 1.0, 7.0])).unwrap();
        let path = temp_path("floats.png");
        imsave(&path, &img).unwrap();
        assert_eq!(
            imread(&path).unwrap().data,
            Buffer::U8(vec![0, 0, 64, 255, 255])
        );
        let nan = Array::new([1, 1], Buffer::F64(vec![f64::NAN])).unwrap();
        assert!(imsave(&path, &nan).unwrap_err().to_string().contains("NaN"));
    }

    #[test]
    fn wrong_shapes_dtypes_and_files_are_clear_errors() {
        let path = temp_path("bad.png");
        let err = imsave(&path, &pattern(&[2, 2, 5])).unwrap_err();
        assert!(err.to_string().contains("(2, 2, 5)"), "{err}");
        let err = imsave(&path, &pattern(&[8])).unwrap_err();
        assert!(err.to_string().contains("(8,)"), "{err}");
        let ints = Array::new([1, 1], Buffer::I64(vec![3])).unwrap();
        let err = imsave(&path, &ints).unwrap_err();
        assert!(
            err.to_string().contains("int64") && err.to_string().contains("astype"),
            "{err}"
        );
        let err = imsave(temp_path("bad.tiff"), &pattern(&[2, 2])).unwrap_err();
        assert!(err.to_string().contains("bad.tiff"), "{err}");

        let err = imread(temp_path("missing.png")).unwrap_err();
        assert!(
            matches!(err, Error::Io { .. }) && err.to_string().contains("missing.png"),
            "{err}"
        );
        let text = temp_path("text.png");
        std::fs::write(&text, "not an image").unwrap();
        let err = imread(&text).unwrap_err();
        assert!(err.to_string().contains("text.png"), "{err}");
        let truncated = temp_path("truncated.png");
        imsave(&truncated, &pattern(&[20, 20, 3])).unwrap();
        let bytes = std::fs::read(&truncated).unwrap();
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
        let err = imread(&truncated).unwrap_err();
        assert!(
            err.to_string().contains("truncated.png") && err.to_string().contains("decode"),
            "{err}"
        );
    }
}
