//! The numpy cheat sheet's image section, end to end: imread, a tint by broadcasting, imresize,
//! and a side-by-side figure.
//!
//! ```text
//! cargo run --example image_tint -- --out target/image_tint
//! ```
//!
//! The example paints its own picture (a sunset over hills, 400x248 like the sheet's), so no
//! image file ships with it. It writes into DIR:
//! - `original.png`: the painted picture, read back with `imread` as the sheet reads its file;
//! - `tinted.png`: `img * [1, 0.95, 0.9]`, resized to 300x300, as uint8;
//! - `side_by_side.png` and `.svg`: the sheet's `subplot(1, 2, ...)` figure;
//! - `noise.png`: the sheet's `np.uint8(np.random.random((480, 240, 3)) * 256)` beside the image.

use lazygrad::io::{self, imread, imresize, imsave, save_image_grid};
use lazygrad::{DType, Tensor, array, random};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: image_tint [--out DIR]   (DIR defaults to target/image_tint)";

/// A 400x248 RGB sunset: a sky gradient, a sun, and two rows of hills.
fn paint(height: usize, width: usize) -> Tensor {
    let mut pixels = Vec::with_capacity(height * width * 3);
    for y in 0..height {
        for x in 0..width {
            let (fy, fx) = (y as f64 / height as f64, x as f64 / width as f64);
            let sky = [255.0 - 120.0 * fy, 140.0 + 60.0 * fy, 90.0 + 140.0 * fy];
            // The sun is measured in pixels so that it stays round in a tall picture.
            let (dx, dy) = (
                x as f64 - 0.62 * width as f64,
                y as f64 - 0.42 * height as f64,
            );
            let sun = (dx * dx + dy * dy).sqrt() < 0.12 * width as f64;
            let far_hill = fy > 0.62 + 0.06 * (fx * 9.0).sin();
            let near_hill = fy > 0.78 + 0.05 * (fx * 5.0 + 1.0).cos();
            let color = if near_hill {
                [40.0, 90.0 + 40.0 * fy, 50.0]
            } else if far_hill {
                [70.0, 110.0, 90.0]
            } else if sun {
                [255.0, 230.0, 120.0]
            } else {
                sky
            };
            pixels.extend(color.iter().map(|&c: &f64| c.clamp(0.0, 255.0) as u8));
        }
    }
    Tensor::from_vec(pixels, [height, width, 3])
}

fn run(out: PathBuf) -> Result<(), io::Error> {
    std::fs::create_dir_all(&out).map_err(|source| io::Error::Io {
        path: out.clone(),
        source,
    })?;

    // img = imread('some/file/location.jpg')
    imsave(out.join("original.png"), &paint(400, 248))?;
    let img = imread(out.join("original.png"))?;
    println!("img.dtype, img.shape = {}, {:?}", img.dtype(), img.shape());

    // img_tinted = img * [1, 0.95, 0.9]: uint8 times float64 broadcasts to float64.
    let img_tinted = &img * array([1.0, 0.95, 0.9]);
    println!("img_tinted.dtype = {}", img_tinted.dtype());

    // img_tinted = imresize(img_tinted, (300, 300)): floats stay floats, 0..255.
    let img_tinted = imresize(&img_tinted, (300, 300))?;
    println!("resized: {}, {:?}", img_tinted.dtype(), img_tinted.shape());

    // np.uint8(img_tinted): astype truncates toward zero, as numpy does.
    let tinted_u8 = img_tinted.astype(DType::U8);
    imsave(out.join("tinted.png"), &tinted_u8)?;

    // plt.subplot(1, 2, 1); plt.imshow(img); plt.subplot(1, 2, 2); plt.imshow(np.uint8(img_tinted))
    let panels = [("img", &img), ("np.uint8(img_tinted)", &tinted_u8)];
    save_image_grid(out.join("side_by_side.png"), &panels, 2)?;
    save_image_grid(out.join("side_by_side.svg"), &panels, 2)?;

    // e = np.random.random((480, 240, 3)); e = np.uint8(e * 256)
    random::seed(0);
    let e = (random::random([480, 240, 3]) * 256.0).astype(DType::U8);
    save_image_grid(out.join("noise.png"), &[("e", &e), ("img", &img)], 2)?;

    println!(
        "wrote original.png, tinted.png, side_by_side.png/.svg and noise.png to {}",
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut out = PathBuf::from("target/image_tint");
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--out", Some(dir)) => out = PathBuf::from(dir),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("image_tint: {err}");
            ExitCode::FAILURE
        }
    }
}
