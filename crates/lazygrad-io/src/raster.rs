//! Encoding 8-bit pixels into PNG, JPEG, BMP, WebP or PNM files, chosen by the file's extension.

use crate::{Error, Result};
use image::codecs::pnm::{PnmEncoder, PnmSubtype, SampleEncoding};
use image::{ExtendedColorType, ImageEncoder, ImageError, ImageFormat};
use std::path::Path;

/// The file's extension in lower case, or `""`.
pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The raster format written for `path`'s extension.
///
/// GIF is read but not written: its 256-colour palette would quantize most images, and a
/// writer that silently loses colours is worse than an error.
pub(crate) fn raster_format(path: &Path) -> Result<ImageFormat> {
    match extension(path).as_str() {
        "png" => Ok(ImageFormat::Png),
        "jpg" | "jpeg" => Ok(ImageFormat::Jpeg),
        "bmp" => Ok(ImageFormat::Bmp),
        "webp" => Ok(ImageFormat::WebP),
        "pgm" | "ppm" | "pnm" => Ok(ImageFormat::Pnm),
        other => Err(Error::format(
            path,
            format!(
                "cannot write an image with extension {other:?}: use .png, .jpg, .jpeg, .bmp, \
                 .webp (lossless), .pgm (greyscale) or .ppm (RGB)"
            ),
        )),
    }
}

/// The binary PGM (greyscale) or PPM (RGB) subtype for `path`, the files every PNM reader
/// (PIL, netpbm, OpenCV) opens; `image`'s default for PNM is PAM (`P7`), which PIL cannot read.
fn pnm_subtype(path: &Path, channels: usize) -> Result<PnmSubtype> {
    match (extension(path).as_str(), channels) {
        ("pgm" | "pnm", 1) => Ok(PnmSubtype::Graymap(SampleEncoding::Binary)),
        ("ppm" | "pnm", 3) => Ok(PnmSubtype::Pixmap(SampleEncoding::Binary)),
        (ext, _) => Err(Error::format(
            path,
            format!(
                "a .{ext} file cannot hold {channels} channels: .pgm is greyscale, .ppm is RGB \
                 (drop alpha with img[.., ..3], or save as .png)"
            ),
        )),
    }
}

/// Writes `height` rows of `width` pixels of `channels` interleaved bytes (1 to 4 channels).
pub(crate) fn save_pixels(
    path: &Path,
    width: usize,
    height: usize,
    channels: usize,
    pixels: &[u8],
) -> Result<()> {
    let format = raster_format(path)?;
    let color = match channels {
        1 => ExtendedColorType::L8,
        2 => ExtendedColorType::La8,
        3 => ExtendedColorType::Rgb8,
        4 => ExtendedColorType::Rgba8,
        _ => return Err(Error::internal_channels(channels)),
    };
    if format == ImageFormat::Jpeg && (channels == 2 || channels == 4) {
        return Err(Error::format(
            path,
            "JPEG has no alpha channel: drop it (img[.., ..3]) or save as .png",
        ));
    }
    let too_large = |_| {
        Error::format(
            path,
            format!("image of {width}x{height} pixels is too large"),
        )
    };
    let width = u32::try_from(width).map_err(too_large)?;
    let height = u32::try_from(height).map_err(too_large)?;
    let subtype = if format == ImageFormat::Pnm {
        Some(pnm_subtype(path, channels)?)
    } else {
        None
    };
    // The encoder writes straight into the atomic write's temporary file, so a failure partway
    // (a full disk) leaves the previous file whole and no truncated image behind.
    crate::atomic::write_atomic(path, |file| {
        let encoded = match subtype {
            Some(subtype) => PnmEncoder::new(file)
                .with_subtype(subtype)
                .write_image(pixels, width, height, color),
            // WebP is written lossless: `image` has no lossy WebP encoder.
            None => image::write_buffer_with_format(file, pixels, width, height, color, format),
        };
        encoded.map_err(|err| match err {
            ImageError::IoError(err) => Error::io(path, err),
            other => Error::format(path, format!("cannot encode the image: {other}")),
        })
    })
}

impl Error {
    fn internal_channels(channels: usize) -> Error {
        Error::Invalid {
            op: "save_pixels",
            message: format!("internal error: {channels} channels reached the encoder"),
        }
    }
}
