//! Image resizing with PIL's filters and PIL's arithmetic, so results match `Image.resize`.
//!
//! Resampling is separable: a horizontal pass, then a vertical one, each a weighted sum of input
//! pixels per output pixel. As in PIL, a filter's support is stretched by the scale factor when
//! shrinking, so every filter but [`Filter::Nearest`] averages over all the input pixels an
//! output pixel covers (which is what keeps downscaled images free of aliasing).
//! uint8 images use PIL's 22-bit fixed-point weights and round between the two passes, which
//! reproduces PIL's output exactly in the common case; float images are computed in float64.

use crate::alloc::{checked_size, try_filled, try_with_capacity};
use crate::{Array, Buffer, Error, Result, Shape};

/// The op named in errors: the public entry point is `imresize`.
const OP: &str = "imresize";

/// The interpolation used by [`resize`], named as PIL names its resampling filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Filter {
    /// The input pixel under each output pixel's centre (`Image.NEAREST`).
    Nearest,
    /// Linear interpolation, averaging when shrinking (`Image.BILINEAR`, the default).
    #[default]
    Bilinear,
    /// Cubic convolution with a = -0.5 (`Image.BICUBIC`).
    Bicubic,
    /// The anti-aliasing filter: a 3-lobed Lanczos window (`Image.LANCZOS`, once `ANTIALIAS`).
    Lanczos,
}

impl Filter {
    /// The filter's half-width in input pixels at scale 1.
    fn support(self) -> f64 {
        match self {
            Filter::Nearest => 0.5,
            Filter::Bilinear => 1.0,
            Filter::Bicubic => 2.0,
            Filter::Lanczos => 3.0,
        }
    }

    /// The filter's weight at distance `x` (in input pixels at scale 1).
    fn weight(self, x: f64) -> f64 {
        let x = x.abs();
        match self {
            Filter::Nearest => f64::from(u8::from(x < 0.5)),
            Filter::Bilinear => (1.0 - x).max(0.0),
            Filter::Bicubic => {
                // Keys' cubic convolution kernel with PIL's a = -0.5.
                const A: f64 = -0.5;
                if x < 1.0 {
                    ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
                } else if x < 2.0 {
                    (((x - 5.0) * x + 8.0) * x - 4.0) * A
                } else {
                    0.0
                }
            }
            Filter::Lanczos => {
                if x < 3.0 {
                    sinc(x) * sinc(x / 3.0)
                } else {
                    0.0
                }
            }
        }
    }
}

/// The normalized sinc function, sin(πx)/(πx).
fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * std::f64::consts::PI;
        x.sin() / x
    }
}

/// Bits of the fractional part of PIL's fixed-point weights for uint8 images.
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// The weights that map an axis of `in_len` pixels to `out_len` pixels.
struct Taps {
    /// Per output pixel: the first input pixel read and how many are read.
    bounds: Vec<(usize, usize)>,
    /// `width` weights per output pixel, summing to 1 (zeros past each one's count).
    weights: Vec<f64>,
    /// The weights in PIL's fixed point, for uint8 images.
    fixed: Vec<i64>,
    /// The most input pixels any output pixel reads.
    width: usize,
}

impl Taps {
    fn new(filter: Filter, in_len: usize, out_len: usize) -> Result<Taps> {
        let scale = in_len as f64 / out_len as f64;
        // Shrinking widens the filter so that it covers every input pixel it replaces.
        let filter_scale = scale.max(1.0);
        let support = filter.support() * filter_scale;
        let width = (support.ceil() as usize) * 2 + 1;
        // The taps grow with the output's side, which the caller chose: reserve them fallibly.
        let mut bounds = try_with_capacity(OP, out_len)?;
        let mut weights = try_filled(OP, checked_size(OP, &[out_len, width])?, 0.0)?;
        let mut fixed = try_with_capacity(OP, weights.len())?;
        for (out_idx, row) in weights.chunks_exact_mut(width).enumerate() {
            let center = (out_idx as f64 + 0.5) * scale;
            let start = (center - support + 0.5).floor().max(0.0) as usize;
            let stop = ((center + support + 0.5).floor() as usize).min(in_len);
            let count = stop.saturating_sub(start).min(width);
            for (tap, weight) in row[..count].iter_mut().enumerate() {
                *weight = filter.weight(((start + tap) as f64 - center + 0.5) / filter_scale);
            }
            let total: f64 = row[..count].iter().sum();
            if total != 0.0 {
                row[..count].iter_mut().for_each(|weight| *weight /= total);
            }
            bounds.push((start, count));
        }
        fixed.extend(
            weights
                .iter()
                .map(|&weight| (weight * f64::from(1u32 << PRECISION_BITS)).round() as i64),
        );
        Ok(Taps {
            bounds,
            weights,
            fixed,
            width,
        })
    }
}

/// The input index each output index samples, as PIL's nearest-neighbour scaling picks it.
///
/// PIL steps the source coordinate by adding the scale once per output pixel, starting at half
/// a step, and truncates; accumulating the same way (rather than multiplying) picks the same
/// pixel where the coordinate lands within rounding of a pixel boundary.
fn nearest_indices(in_len: usize, out_len: usize) -> Result<Vec<usize>> {
    let scale = in_len as f64 / out_len as f64;
    let mut coord = scale * 0.5;
    let mut res = try_with_capacity(OP, out_len)?;
    for _ in 0..out_len {
        res.push((coord.max(0.0) as usize).min(in_len - 1));
        coord += scale;
    }
    Ok(res)
}

/// Resamples the middle axis of data laid out as `[outer, in_len, inner]` to `out_len`,
/// pushing the results onto `res` (reserved by the caller, so it never reallocates).
fn resample_axis<T: Copy>(
    data: &[T],
    (outer, in_len, inner): (usize, usize, usize),
    taps: &Taps,
    mut combine: impl FnMut(&[T], usize, &Taps, usize) -> T,
    mut res: Vec<T>,
) -> Vec<T> {
    let out_len = taps.bounds.len();
    for block in data.chunks_exact(in_len * inner).take(outer) {
        for out_idx in 0..out_len {
            for channel in 0..inner {
                res.push(combine(&block[channel..], inner, taps, out_idx));
            }
        }
    }
    res
}

/// One uint8 output sample: the fixed-point weighted sum, rounded and clipped as PIL does.
fn combine_u8(column: &[u8], stride: usize, taps: &Taps, out_idx: usize) -> u8 {
    let (start, count) = taps.bounds[out_idx];
    let weights = &taps.fixed[out_idx * taps.width..][..count];
    let mut acc: i64 = 1 << (PRECISION_BITS - 1);
    for (tap, &weight) in weights.iter().enumerate() {
        acc += i64::from(column[(start + tap) * stride]) * weight;
    }
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}

/// One float output sample: the weighted sum in float64, unclipped.
fn combine_f64(column: &[f64], stride: usize, taps: &Taps, out_idx: usize) -> f64 {
    let (start, count) = taps.bounds[out_idx];
    let weights = &taps.weights[out_idx * taps.width..][..count];
    weights
        .iter()
        .enumerate()
        .map(|(tap, &weight)| column[(start + tap) * stride] * weight)
        .sum()
}

/// Resizes `[height, width, channels]` samples with a separable filter, one axis at a time.
///
/// uint8 results are rounded and clipped between the passes, so the order of the passes shows
/// where a filter overshoots. Pillow up to 12 always ran the horizontal pass first; Pillow 13
/// (the version the goldens come from) runs the vertical pass first in most cases where its
/// kernel is the wider one, which is the rule used here. It reproduces every golden exactly;
/// on noise images with Lanczos a few percent of size pairs pick the other order, and differ
/// from Pillow 13 where the first pass clipped.
///
/// `out` is the result's storage, reserved by the caller before anything else is allocated,
/// so an output too large for memory fails first, before the taps and the intermediate pass.
fn resample<T: Copy>(
    data: &[T],
    (height, width, channels): (usize, usize, usize),
    (out_height, out_width): (usize, usize),
    filter: Filter,
    combine: impl Fn(&[T], usize, &Taps, usize) -> T + Copy,
    mut out: Vec<T>,
) -> Result<Vec<T>> {
    let horizontal = (out_width != width)
        .then(|| Taps::new(filter, width, out_width))
        .transpose()?;
    let vertical = (out_height != height)
        .then(|| Taps::new(filter, height, out_height))
        .transpose()?;
    let horizontal_pass = |data: &[T], rows: usize, taps: &Taps, res: Vec<T>| {
        resample_axis(data, (rows, width, channels), taps, combine, res)
    };
    let vertical_pass = |data: &[T], cols: usize, taps: &Taps, res: Vec<T>| {
        resample_axis(data, (1, height, cols * channels), taps, combine, res)
    };
    let intermediate = |rows: usize, cols: usize| {
        try_with_capacity(OP, checked_size(OP, &[rows, cols, channels])?)
    };
    Ok(match (&horizontal, &vertical) {
        (None, None) => {
            out.extend_from_slice(data);
            out
        }
        (Some(h_taps), None) => horizontal_pass(data, height, h_taps, out),
        (None, Some(v_taps)) => vertical_pass(data, width, v_taps, out),
        (Some(h_taps), Some(v_taps)) if h_taps.width < v_taps.width => {
            let res = vertical_pass(data, width, v_taps, intermediate(out_height, width)?);
            horizontal_pass(&res, out_height, h_taps, out)
        }
        (Some(h_taps), Some(v_taps)) => {
            let res = horizontal_pass(data, height, h_taps, intermediate(height, out_width)?);
            vertical_pass(&res, out_width, v_taps, out)
        }
    })
}

/// Picks samples by nearest neighbour, pushing them onto `res` (reserved by the caller).
fn nearest<T: Copy>(
    data: &[T],
    (height, width, channels): (usize, usize, usize),
    (out_height, out_width): (usize, usize),
    mut res: Vec<T>,
) -> Result<Vec<T>> {
    let rows = nearest_indices(height, out_height)?;
    let cols = nearest_indices(width, out_width)?;
    for &row in &rows {
        for &col in &cols {
            let pixel = (row * width + col) * channels;
            res.extend_from_slice(&data[pixel..pixel + channels]);
        }
    }
    Ok(res)
}

/// Multiplies colour samples by alpha (the last channel), rounding: PIL's `RGBa` conversion.
fn premultiply(data: &mut [u8], channels: usize) {
    for pixel in data.chunks_exact_mut(channels) {
        let alpha = u32::from(pixel[channels - 1]);
        for sample in &mut pixel[..channels - 1] {
            *sample = ((u32::from(*sample) * alpha + 127) / 255) as u8;
        }
    }
}

/// Divides colour samples by alpha again, truncating and clipping as PIL does.
fn unpremultiply(data: &mut [u8], channels: usize) {
    for pixel in data.chunks_exact_mut(channels) {
        let alpha = u32::from(pixel[channels - 1]);
        if alpha == 0 || alpha == 255 {
            continue;
        }
        for sample in &mut pixel[..channels - 1] {
            *sample = (255 * u32::from(*sample) / alpha).min(255) as u8;
        }
    }
}

/// The (height, width, channels) of an image array, or the error `op` reports.
pub(crate) fn image_dims(op: &'static str, shape: &Shape) -> Result<(usize, usize, usize)> {
    match **shape {
        [height, width] => Ok((height, width, 1)),
        [height, width, channels] if channels >= 1 => Ok((height, width, channels)),
        _ => Err(Error::Shape {
            op,
            shape: shape.clone(),
            expected: "an image of shape (height, width) or (height, width, channels)",
        }),
    }
}

/// Resizes an image of shape (height, width) or (height, width, channels) to `(height, width)`.
///
/// uint8 images stay uint8 and match PIL's `Image.resize` with the same filter (images with an
/// alpha channel, 2 or 4 channels, are resized with premultiplied alpha as PIL does). float32 and
/// float64 images keep their dtype and their range: values are interpolated, never clipped or
/// rescaled, so a 0..255 float image stays 0..255. Other dtypes are an error.
///
/// ```
/// use lazygrad_io::{Array, Buffer, resize::{Filter, resize}};
/// let img = Array::new([2, 2], Buffer::U8(vec![0, 100, 200, 255]))?;
/// let big = resize(&img, (4, 4), Filter::Nearest)?;
/// assert_eq!(big.shape.to_vec(), vec![4, 4]);
/// let Buffer::U8(pixels) = &big.data else { unreachable!() };
/// assert_eq!(pixels[..4], [0, 0, 100, 100]);
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn resize(
    image: &Array,
    (out_height, out_width): (usize, usize),
    filter: Filter,
) -> Result<Array> {
    let op = OP;
    let dims = image_dims(op, &image.shape)?;
    let (height, width, channels) = dims;
    if out_height == 0 || out_width == 0 {
        return Err(Error::Invalid {
            op,
            message: format!(
                "cannot resize to ({out_height}, {out_width}): both sides must be at least 1"
            ),
        });
    }
    if height == 0 || width == 0 {
        return Err(Error::Shape {
            op,
            shape: image.shape.clone(),
            expected: "an image with at least one pixel",
        });
    }
    let out = (out_height, out_width);
    // The output's size is the caller's choice: an overflowing one is an error and its storage
    // is reserved fallibly, first, so a size the allocator refuses fails before any work.
    let len = checked_size(op, &[out_height, out_width, channels])?;
    let data = match (&image.data, filter) {
        (Buffer::U8(data), Filter::Nearest) => {
            Buffer::U8(nearest(data, dims, out, try_with_capacity(op, len)?)?)
        }
        (Buffer::F32(data), Filter::Nearest) => {
            Buffer::F32(nearest(data, dims, out, try_with_capacity(op, len)?)?)
        }
        (Buffer::F64(data), Filter::Nearest) => {
            Buffer::F64(nearest(data, dims, out, try_with_capacity(op, len)?)?)
        }
        (Buffer::U8(data), _) => {
            let res = try_with_capacity(op, len)?;
            let has_alpha = channels == 2 || channels == 4;
            let mut data = data.clone();
            if has_alpha {
                premultiply(&mut data, channels);
            }
            let mut res = resample(&data, dims, out, filter, combine_u8, res)?;
            if has_alpha {
                unpremultiply(&mut res, channels);
            }
            Buffer::U8(res)
        }
        (Buffer::F32(data), _) => {
            let (res, mut narrow) = (try_with_capacity(op, len)?, try_with_capacity(op, len)?);
            let wide: Vec<f64> = data.iter().map(|&value| f64::from(value)).collect();
            let res = resample(&wide, dims, out, filter, combine_f64, res)?;
            narrow.extend(res.into_iter().map(|value| value as f32));
            Buffer::F32(narrow)
        }
        (Buffer::F64(data), _) => Buffer::F64(resample(
            data,
            dims,
            out,
            filter,
            combine_f64,
            try_with_capacity(op, len)?,
        )?),
        (other, _) => {
            return Err(Error::DType {
                op,
                dtype: other.dtype(),
                expected: "uint8, float32 or float64 (convert with astype)",
            });
        }
    };
    let shape = if image.shape.ndim() == 2 {
        Shape::new(&[out_height, out_width])
    } else {
        Shape::new(&[out_height, out_width, channels])
    };
    Ok(Array { shape, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u8_image(shape: &[usize], data: Vec<u8>) -> Array {
        Array::new(Shape::new(shape), Buffer::U8(data)).unwrap()
    }

    #[test]
    fn weights_sum_to_one_and_stay_in_bounds() {
        for filter in [Filter::Bilinear, Filter::Bicubic, Filter::Lanczos] {
            for (in_len, out_len) in [(10, 3), (3, 10), (7, 7), (1, 5), (5, 1), (300, 17)] {
                let taps = Taps::new(filter, in_len, out_len).unwrap();
                for (out_idx, &(start, count)) in taps.bounds.iter().enumerate() {
                    assert!(start + count <= in_len && count >= 1);
                    let row = &taps.weights[out_idx * taps.width..][..count];
                    let total: f64 = row.iter().sum();
                    assert!(
                        (total - 1.0).abs() < 1e-12,
                        "{filter:?} {in_len}->{out_len}"
                    );
                }
            }
        }
    }

    #[test]
    fn same_size_is_the_identity() {
        let data: Vec<u8> = (0..60).map(|i| (i * 37 % 256) as u8).collect();
        let img = u8_image(&[4, 5, 3], data);
        for filter in [
            Filter::Nearest,
            Filter::Bilinear,
            Filter::Bicubic,
            Filter::Lanczos,
        ] {
            assert_eq!(resize(&img, (4, 5), filter).unwrap(), img, "{filter:?}");
        }
    }

    #[test]
    fn a_constant_image_stays_constant() {
        let img = u8_image(&[5, 7], vec![77; 35]);
        for filter in [Filter::Bilinear, Filter::Bicubic, Filter::Lanczos] {
            for out in [(2, 3), (11, 13), (5, 1)] {
                let Buffer::U8(res) = &resize(&img, out, filter).unwrap().data else {
                    unreachable!()
                };
                assert!(res.iter().all(|&value| value == 77), "{filter:?} {out:?}");
            }
        }
    }

    #[test]
    fn float_images_keep_dtype_and_range() {
        let img = Array::new([2, 2], Buffer::F64(vec![0.0, 255.0, 510.0, -10.0])).unwrap();
        let res = resize(&img, (1, 1), Filter::Bilinear).unwrap();
        assert_eq!(res.data, Buffer::F64(vec![188.75]));
        let img = Array::new([1, 2, 1], Buffer::F32(vec![1.0, 3.0])).unwrap();
        let res = resize(&img, (1, 1), Filter::Bilinear).unwrap();
        assert_eq!(
            (res.shape.to_vec(), res.data),
            (vec![1, 1, 1], Buffer::F32(vec![2.0]))
        );
    }

    #[test]
    fn sizes_too_large_for_memory_are_errors_not_aborts() {
        // 2^58 bytes of output is beyond the 57-bit address space of the largest 64-bit Linux
        // machines, so the allocator refuses it whatever the overcommit policy.
        let side = 1 << 29;
        let grey = u8_image(&[2, 2], vec![0, 50, 100, 150]);
        for filter in [Filter::Nearest, Filter::Bilinear, Filter::Lanczos] {
            let err = resize(&grey, (side, side), filter).unwrap_err();
            assert!(
                matches!(err, Error::OutOfMemory { op: "imresize", bytes } if bytes == 1 << 58),
                "{filter:?}: {err:?}"
            );
            assert!(err.to_string().contains("Unable to allocate"), "{err}");
        }
        let floats = Array::new([1, 2], Buffer::F32(vec![0.0, 1.0])).unwrap();
        let err = resize(&floats, (side, side), Filter::Bicubic).unwrap_err();
        assert!(matches!(err, Error::OutOfMemory { .. }), "{err:?}");
        // A long, thin output is refused as well.
        let err = resize(&grey, (1, 1 << 60), Filter::Bilinear).unwrap_err();
        assert!(matches!(err, Error::OutOfMemory { .. }), "{err:?}");
        // Sizes whose byte count overflows are too big to exist.
        for size in [(1 << 40, 1 << 40), (usize::MAX, 2)] {
            let err = resize(&grey, size, Filter::Nearest).unwrap_err();
            assert!(
                err.to_string().contains("array is too big"),
                "{size:?}: {err}"
            );
        }
    }

    #[test]
    fn bad_shapes_dtypes_and_sizes_are_errors() {
        let img = u8_image(&[2, 2], vec![0; 4]);
        let err = resize(&img, (0, 3), Filter::Bilinear).unwrap_err();
        assert!(err.to_string().contains("(0, 3)"), "{err}");
        let flat = u8_image(&[4], vec![0; 4]);
        let err = resize(&flat, (2, 2), Filter::Bilinear).unwrap_err();
        assert!(err.to_string().contains("shape (4,)"), "{err}");
        let ints = Array::new([1, 1], Buffer::I64(vec![3])).unwrap();
        let err = resize(&ints, (2, 2), Filter::Bilinear).unwrap_err();
        assert!(err.to_string().contains("int64"), "{err}");
    }
}
