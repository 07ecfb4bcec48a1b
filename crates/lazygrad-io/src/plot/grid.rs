//! `imshow`-like figures: images in a grid, each with a title above it.
//!
//! A raster figure (PNG, JPEG, BMP) is composed directly: every image is scaled into a cell of
//! the same size (nearest neighbour when enlarging, so pixels stay crisp as in `imshow`;
//! bilinear with anti-aliasing when shrinking), then plotters draws the titles on top.
//! An SVG figure embeds each image once, at its own resolution, as a PNG, and lets the viewer
//! scale it, so the file stays small and sharp at any zoom.

use super::{FAMILY, FigureKind, register_font};
use crate::image::to_u8_samples;
use crate::raster::save_pixels;
use crate::resize::{Filter, image_dims, resize};
use crate::{Array, Buffer, Error, Result, Shape};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::path::Path;

/// The space around the figure and between cells, in pixels.
const MARGIN: usize = 16;

/// The height of the band above each cell that holds its title, in pixels.
const TITLE_BAND: usize = 30;

/// The widest a figure is made by default, in pixels; cells shrink to fit it.
const MAX_FIGURE_WIDTH: usize = 1600;

/// The size of the square every image is fitted into, by the number of columns.
fn cell_side(cols: usize) -> usize {
    (MAX_FIGURE_WIDTH / cols).clamp(96, 360)
}

/// One image ready to draw: its 8-bit RGB pixels (alpha composited over white).
struct Tile {
    height: usize,
    width: usize,
    rgb: Vec<u8>,
}

/// The RGB pixels of an image array, as `imsave` would convert them, alpha over white.
fn to_rgb(image: &Array) -> Result<Tile> {
    let op = "save_image_grid";
    let (height, width, channels) = image_dims(op, &image.shape)?;
    if channels > 4 || height == 0 || width == 0 {
        return Err(Error::Shape {
            op,
            shape: image.shape.clone(),
            expected: "at least one pixel and 1 to 4 channels: (height, width) or (height, width, channels)",
        });
    }
    let samples = to_u8_samples(op, image)?;
    let over_white = |value: u8, alpha: u8| {
        let (value, alpha) = (u32::from(value), u32::from(alpha));
        ((value * alpha + 255 * (255 - alpha) + 127) / 255) as u8
    };
    let mut rgb = Vec::with_capacity(height * width * 3);
    for pixel in samples.chunks_exact(channels) {
        match *pixel {
            [grey] => rgb.extend_from_slice(&[grey; 3]),
            [grey, alpha] => rgb.extend_from_slice(&[over_white(grey, alpha); 3]),
            [red, green, blue] => rgb.extend_from_slice(&[red, green, blue]),
            [red, green, blue, alpha] => rgb.extend_from_slice(&[
                over_white(red, alpha),
                over_white(green, alpha),
                over_white(blue, alpha),
            ]),
            _ => unreachable!("internal error: channels checked above"),
        }
    }
    Ok(Tile { height, width, rgb })
}

/// Where one image and its title go on the figure, in pixels from the top left.
struct Place {
    /// The image's top-left corner.
    x: usize,
    y: usize,
    /// The image's size on the figure.
    width: usize,
    height: usize,
    /// The top centre of the title.
    title: (usize, usize),
}

/// The figure's size and where each image goes.
struct Layout {
    width: usize,
    height: usize,
    places: Vec<Place>,
}

fn layout(tiles: &[Tile], cols: usize, titled: bool) -> Result<Layout> {
    let cols = cols.min(tiles.len()).max(1);
    let rows = tiles.len().div_ceil(cols);
    let side = cell_side(cols);
    let band = if titled { TITLE_BAND } else { 0 };
    // The figure grows with the number of images; a size past `usize` is an error, and every
    // position below is smaller than these two, so it cannot overflow either.
    let extent = |count: usize, step: usize| {
        count
            .checked_mul(step)
            .and_then(|len| len.checked_add(MARGIN))
    };
    let (Some(width), Some(height)) = (
        extent(cols, side + MARGIN),
        extent(rows, band + side + MARGIN),
    ) else {
        return Err(Error::Invalid {
            op: "save_image_grid",
            message: format!("a figure of {rows} rows and {cols} columns is too large"),
        });
    };
    let places = tiles
        .iter()
        .enumerate()
        .map(|(idx, tile)| {
            let (row, col) = (idx / cols, idx % cols);
            let cell_x = MARGIN + col * (side + MARGIN);
            let cell_y = MARGIN + row * (band + side + MARGIN) + band;
            // Each image keeps its aspect ratio and is centred in its square cell.
            let scale = (side as f64 / tile.width as f64).min(side as f64 / tile.height as f64);
            let shown_w = ((tile.width as f64 * scale).round() as usize).clamp(1, side);
            let shown_h = ((tile.height as f64 * scale).round() as usize).clamp(1, side);
            let x = cell_x + (side - shown_w) / 2;
            let y = cell_y + (side - shown_h) / 2;
            Place {
                x,
                y,
                width: shown_w,
                height: shown_h,
                title: (cell_x + side / 2, cell_y - band + 6),
            }
        })
        .collect();
    Ok(Layout {
        width,
        height,
        places,
    })
}

/// Scales a tile to `(height, width)`: nearest when enlarging, anti-aliased when shrinking.
fn scale_tile(tile: &Tile, (height, width): (usize, usize)) -> Result<Vec<u8>> {
    let filter = if height >= tile.height && width >= tile.width {
        Filter::Nearest
    } else {
        Filter::Bilinear
    };
    let array = Array {
        shape: Shape::new(&[tile.height, tile.width, 3]),
        data: Buffer::U8(tile.rgb.clone()),
    };
    match resize(&array, (height, width), filter)?.data {
        Buffer::U8(ref pixels) => Ok(pixels.clone()),
        _ => unreachable!("internal error: resizing uint8 gives uint8"),
    }
}

/// A white RGB canvas of `width` by `height` pixels, and its size as plotters takes it.
///
/// The size comes from the number of images and columns, so it is checked and reserved
/// fallibly: a figure too large for memory is an error, not an abort.
fn white_canvas(width: usize, height: usize) -> Result<(Vec<u8>, (u32, u32))> {
    let op = "save_image_grid";
    let len = crate::alloc::checked_size(op, &[width, height, 3])?;
    let side = |extent: usize| {
        u32::try_from(extent).map_err(|_| Error::Invalid {
            op,
            message: format!("a figure of {width}x{height} pixels is too large to draw"),
        })
    };
    let size = (side(width)?, side(height)?);
    Ok((crate::alloc::try_filled(op, len, 255u8)?, size))
}

fn save_raster(path: &Path, titles: &[&str], tiles: &[Tile], plan: &Layout) -> Result<()> {
    let (mut canvas, size) = white_canvas(plan.width, plan.height)?;
    for (tile, place) in tiles.iter().zip(&plan.places) {
        let pixels = scale_tile(tile, (place.height, place.width))?;
        for (row, line) in pixels.chunks_exact(place.width * 3).enumerate() {
            let start = ((place.y + row) * plan.width + place.x) * 3;
            canvas[start..start + place.width * 3].copy_from_slice(line);
        }
    }
    {
        // The bitmap backend draws over the buffer's current contents, so the titles land on
        // the composed figure.
        let root = BitMapBackend::with_buffer(&mut canvas, size).into_drawing_area();
        let style = TextStyle::from((FAMILY, 18).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let draw_error = |err: String| Error::format(path, format!("cannot draw a title: {err}"));
        for (title, Place { title: (x, y), .. }) in titles.iter().zip(&plan.places) {
            root.draw_text(title, &style, (*x as i32, *y as i32))
                .map_err(|err| draw_error(err.to_string()))?;
        }
        root.present().map_err(|err| draw_error(err.to_string()))?;
    }
    save_pixels(path, plan.width, plan.height, 3, &canvas)
}

/// Standard base64 (RFC 4648) with padding, for the images an SVG figure embeds.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut res = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for position in 0..4 {
            if position <= chunk.len() {
                res.push(char::from(
                    ALPHABET[(group >> (18 - 6 * position)) as usize & 63],
                ));
            } else {
                res.push('=');
            }
        }
    }
    res
}

/// `text` with the characters XML gives meaning to escaped.
fn xml_escape(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            _ => res.push(c),
        }
    }
    res
}

/// The PNG bytes of a tile.
fn png_bytes(tile: &Tile) -> Result<Vec<u8>> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::write_buffer_with_format(
        &mut bytes,
        &tile.rgb,
        tile.width as u32,
        tile.height as u32,
        image::ExtendedColorType::Rgb8,
        image::ImageFormat::Png,
    )
    .map_err(|err| Error::Invalid {
        op: "save_image_grid",
        message: format!("cannot encode an image as PNG: {err}"),
    })?;
    Ok(bytes.into_inner())
}

fn save_svg(path: &Path, titles: &[&str], tiles: &[Tile], plan: &Layout) -> Result<()> {
    let (width, height) = (plan.width, plan.height);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">\n<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n"
    );
    for ((tile, title), place) in tiles.iter().zip(titles).zip(&plan.places) {
        // Writing into a String cannot fail.
        let _ = writeln!(
            svg,
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" \
             style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{}\"/>",
            place.x,
            place.y,
            place.width,
            place.height,
            base64(&png_bytes(tile)?)
        );
        if !title.is_empty() {
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"DejaVu Sans, sans-serif\" \
                 font-size=\"15\" fill=\"#000000\">{}</text>",
                place.title.0,
                place.title.1 + 14,
                xml_escape(title)
            );
        }
    }
    svg.push_str("</svg>\n");
    crate::atomic::write_bytes(path, svg.as_bytes())
}

/// Saves images side by side in a grid of `cols` columns, each under its title, like a
/// matplotlib figure of `subplot`s with `imshow` and `title`; PNG or SVG by the extension.
///
/// Images are (height, width) greyscale or (height, width, channels) with 1 to 4 channels,
/// converted as [`imsave`](crate::image::imsave) converts them (uint8 as is, floats as 0..=1
/// intensities, bool as black and white); greyscale is shown in grey, not with a colour map,
/// and alpha is composited over the white background. Every image is scaled to fit the same
/// square cell, keeping its aspect ratio.
///
/// ```
/// use lazygrad_io::{Array, Buffer, plot::save_image_grid};
/// let red = Array::new([2, 2, 3], Buffer::U8([255, 0, 0].repeat(4)))?;
/// let ramp = Array::new([1, 4], Buffer::F64(vec![0.0, 0.33, 0.66, 1.0]))?;
/// let path = std::env::temp_dir().join("lazygrad_doc_grid.png");
/// save_image_grid(&path, &[("red", &red), ("ramp", &ramp)], 2)?;
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn save_image_grid(
    path: impl AsRef<Path>,
    images: &[(&str, &Array)],
    cols: usize,
) -> Result<()> {
    let path = path.as_ref();
    let op = "save_image_grid";
    if images.is_empty() {
        return Err(Error::Invalid {
            op,
            message: "no images to show".into(),
        });
    }
    if cols == 0 {
        return Err(Error::Invalid {
            op,
            message: "cols must be at least 1".into(),
        });
    }
    let kind = FigureKind::of(path)?;
    let tiles = images
        .iter()
        .map(|(_, image)| to_rgb(image))
        .collect::<Result<Vec<_>>>()?;
    let titles: Vec<&str> = images.iter().map(|(title, _)| *title).collect();
    let plan = layout(&tiles, cols, titles.iter().any(|title| !title.is_empty()))?;
    match kind {
        FigureKind::Raster => {
            register_font()?;
            save_raster(path, &titles, &tiles, &plan)
        }
        FigureKind::Svg => save_svg(path, &titles, &tiles, &plan),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join("lazygrad-io-grid-tests");
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    fn solid(height: usize, width: usize, rgb: [u8; 3]) -> Array {
        Array::new([height, width, 3], Buffer::U8(rgb.repeat(height * width))).unwrap()
    }

    #[test]
    fn base64_matches_rfc_4648_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn png_grid_places_images_side_by_side_with_titles() {
        let path = temp_path("side_by_side.png");
        let red = solid(40, 20, [255, 0, 0]);
        let blue = solid(10, 10, [0, 0, 255]);
        save_image_grid(&path, &[("red", &red), ("blue", &blue)], 2).unwrap();
        let figure = image::open(&path).unwrap().to_rgb8();
        let side = cell_side(2);
        let expected_width = MARGIN + 2 * (side + MARGIN);
        assert_eq!(figure.width() as usize, expected_width);
        // The centre of each cell shows its image.
        let centre_y = (MARGIN + TITLE_BAND + side / 2) as u32;
        let left = figure.get_pixel((MARGIN + side / 2) as u32, centre_y).0;
        let right = figure
            .get_pixel((2 * MARGIN + side + side / 2) as u32, centre_y)
            .0;
        assert_eq!((left, right), ([255, 0, 0], [0, 0, 255]));
        // The tall red image keeps its aspect ratio: the cell's left edge stays white.
        assert_eq!(
            figure.get_pixel((MARGIN + 2) as u32, centre_y).0,
            [255, 255, 255]
        );
        // The titles are drawn: dark pixels in the title band.
        let dark = (MARGIN..MARGIN + TITLE_BAND)
            .flat_map(|y| (MARGIN..MARGIN + side).map(move |x| (x as u32, y as u32)))
            .filter(|&(x, y)| figure.get_pixel(x, y).0.iter().all(|&c| c < 128))
            .count();
        assert!(dark > 10, "title not drawn ({dark} dark pixels)");
    }

    #[test]
    fn svg_grid_embeds_each_image_and_escapes_titles() {
        let path = temp_path("grid.svg");
        let grey = Array::new(
            [2, 3],
            Buffer::Bool(vec![true, false, true, false, true, false]),
        )
        .unwrap();
        save_image_grid(
            &path,
            &[("a < b & c", &grey), ("", &solid(3, 3, [1, 2, 3]))],
            1,
        )
        .unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert_eq!(svg.matches("<image ").count(), 2);
        assert!(svg.contains(">a &lt; b &amp; c</text>"));
        assert_eq!(svg.matches("<text").count(), 1, "empty titles are left out");
    }

    #[test]
    fn canvases_too_large_for_memory_are_errors() {
        // 3 * 2^56 bytes is beyond the 57-bit address space of the largest 64-bit Linux
        // machines, so every allocator refuses it, overcommit or not.
        let err = white_canvas(1 << 28, 1 << 28).unwrap_err();
        assert!(
            matches!(err, Error::OutOfMemory { op: "save_image_grid", bytes } if bytes == 3 << 56),
            "{err:?}"
        );
        let err = white_canvas(1 << 40, 1 << 40).unwrap_err();
        assert!(err.to_string().contains("array is too big"), "{err}");
        // A side past u32 is refused before anything is allocated.
        let err = white_canvas(1 << 33, 1).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
        let (canvas, size) = white_canvas(4, 2).unwrap();
        assert_eq!((canvas.len(), size), (24, (4, 2)));
    }

    #[test]
    fn bad_arguments_are_errors() {
        let path = temp_path("bad.png");
        let img = solid(2, 2, [0, 0, 0]);
        assert!(save_image_grid(&path, &[], 2).is_err());
        assert!(save_image_grid(&path, &[("x", &img)], 0).is_err());
        let five = Array::new([1, 1, 5], Buffer::U8(vec![0; 5])).unwrap();
        let err = save_image_grid(&path, &[("x", &five)], 1).unwrap_err();
        assert!(err.to_string().contains("(1, 1, 5)"), "{err}");
        let err = save_image_grid(temp_path("grid.txt"), &[("x", &img)], 1).unwrap_err();
        assert!(err.to_string().contains("grid.txt"), "{err}");
    }
}
