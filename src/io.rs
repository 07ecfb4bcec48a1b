//! Files and figures: images, numpy's `.npy`/`.npz`, text files (`loadtxt`, `genfromtxt`,
//! `savetxt`), checkpoints, image grids and line plots.
//!
//! Everything here takes and returns [`Tensor`]s and reports failures as [`io::Error`](Error),
//! which names the file, or the shape or dtype that was wrong. The formats themselves live in
//! the `lazygrad-io` crate, which never sees a tensor; this module converts at the boundary,
//! realizing the tensors it is given.
//!
//! Every writer here writes atomically (through `lazygrad_io::atomic`): the file is written
//! under a temporary name in the same directory and renamed over the target, so a save that
//! fails partway keeps the previous file intact, and a symbolic link is written through.
//!
//! The cheat sheet's image section, end to end:
//!
//! ```
//! use lazygrad::io::{imread, imresize, imsave, save_image_grid};
//! use lazygrad::{DType, Tensor, array};
//! let dir = std::env::temp_dir();
//! # let pixels: Vec<u8> = (0..40 * 24 * 3).map(|i| (i % 251) as u8).collect();
//! # imsave(dir.join("lazygrad_doc_cat.png"), &Tensor::from_vec(pixels, [40, 24, 3]))?;
//! let img = imread(dir.join("lazygrad_doc_cat.png"))?;
//! assert_eq!((img.dtype(), img.shape()), (DType::U8, &[40usize, 24, 3][..]));
//! let img_tinted = &img * array([1.0, 0.95, 0.9]); // float64 by broadcasting
//! let img_tinted = imresize(&img_tinted, (30, 30))?;
//! save_image_grid(
//!     dir.join("lazygrad_doc_side_by_side.png"),
//!     &[("img", &img), ("tinted", &img_tinted.astype(DType::U8))],
//!     2,
//! )?;
//! # Ok::<(), lazygrad::io::Error>(())
//! ```

use crate::Tensor;
use lazygrad_cpu::{Storage, with_dtype};
use lazygrad_io::Array;
use std::path::Path;

pub use lazygrad_io::npy::Order;
pub use lazygrad_io::plot;
pub use lazygrad_io::plot::save_line_plot;
pub use lazygrad_io::resize::Filter;
pub use lazygrad_io::text::{GenFromTxt, LoadTxt, SaveTxt};
pub use lazygrad_io::{Error, Mismatch, Result};

/// The tensor's values as plain data, realizing it.
fn to_array(tensor: &Tensor) -> Result<Array> {
    let data = with_dtype!(tensor.dtype(), T => T::wrap(tensor.try_to_vec::<T>()?));
    Ok(Array {
        shape: tensor.shape_tuple().clone(),
        data,
    })
}

/// A tensor over plain data.
fn from_array(array: Array) -> Result<Tensor> {
    let Array { shape, data } = array;
    let dtype = data.dtype();
    with_dtype!(dtype, T => {
        // Invariant: the buffer's variant is the one its own dtype names.
        let values = T::unwrap(data).expect("internal error: buffer differs from its dtype");
        Ok(Tensor::try_from_vec(values, shape)?)
    })
}

/// Reads a PNG, JPEG, BMP, GIF, WebP or PNM (PGM/PPM) image as a uint8 tensor of (height,
/// width, channels), or (height, width) for greyscale (`imageio.imread`, `plt.imread` for
/// 8-bit files).
///
/// The format comes from the file's contents; see [`lazygrad_io::image::imread`] for how
/// palettes, GIFs and 16-bit files are read. Missing, unreadable and undecodable files are
/// errors naming the file.
pub fn imread(path: impl AsRef<Path>) -> Result<Tensor> {
    from_array(lazygrad_io::image::imread(path)?)
}

/// Writes an image tensor as PNG, JPEG, BMP, lossless WebP, PGM or PPM, chosen by the extension
/// (`imageio.imwrite`).
///
/// The tensor is (height, width) or (height, width, channels) with 1 to 4 channels. uint8 is
/// written as it is; float32/float64 are intensities in 0..=1, clipped, scaled by 255 and rounded,
/// as `plt.imsave` and `imageio` take them; bool is black and white; other dtypes are an error.
/// A float image holding 0..255 values (the cheat sheet's tint) needs `astype(DType::U8)` first.
///
/// ```
/// use lazygrad::{DType, array, io};
/// let path = std::env::temp_dir().join("lazygrad_doc_imsave_facade.png");
/// io::imsave(&path, &array([[0.0, 0.5], [1.0, 3.0]]))?;
/// assert_eq!(io::imread(&path)?.to_vec::<u8>(), vec![0, 128, 255, 255]);
/// let err = io::imsave(&path, &array([1, 2, 3])).unwrap_err();
/// assert!(err.to_string().contains("shape (3,)"));
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn imsave(path: impl AsRef<Path>, image: &Tensor) -> Result<()> {
    lazygrad_io::image::imsave(path, &to_array(image)?)
}

/// Resizes an image tensor to `(height, width)` with bilinear interpolation, as PIL's
/// `Image.resize(..., BILINEAR)` and the old `scipy.misc.imresize` default.
///
/// uint8 stays uint8 (matching PIL); float32/float64 keep their dtype and range, interpolated
/// but never clipped or byte-scaled as the removed `scipy.misc.imresize` did. Other dtypes and shapes that are not images are errors.
///
/// ```
/// use lazygrad::{Tensor, io};
/// let img = Tensor::from_vec(vec![0u8, 255, 255, 0], [2, 2]);
/// let big = io::imresize(&img, (4, 4))?;
/// assert_eq!(big.shape(), &[4, 4]);
/// assert_eq!(big.to_vec::<u8>()[..4], [0, 64, 191, 255]);
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn imresize(image: &Tensor, size: (usize, usize)) -> Result<Tensor> {
    imresize_with(image, size, Filter::Bilinear)
}

/// [`imresize`] with another filter: [`Filter::Nearest`], [`Filter::Bicubic`], or the
/// anti-aliasing [`Filter::Lanczos`].
pub fn imresize_with(image: &Tensor, size: (usize, usize), filter: Filter) -> Result<Tensor> {
    from_array(lazygrad_io::resize::resize(
        &to_array(image)?,
        size,
        filter,
    )?)
}

/// Saves images in a grid of `cols` columns, each under its title, as PNG or SVG: the
/// matplotlib figure of `subplot`/`imshow`/`title` calls.
///
/// Images are converted as [`imsave`] converts them; see
/// [`lazygrad_io::plot::save_image_grid`] for the layout.
pub fn save_image_grid(
    path: impl AsRef<Path>,
    images: &[(&str, &Tensor)],
    cols: usize,
) -> Result<()> {
    let arrays = images
        .iter()
        .map(|(title, image)| Ok((*title, to_array(image)?)))
        .collect::<Result<Vec<_>>>()?;
    let refs: Vec<(&str, &Array)> = arrays
        .iter()
        .map(|(title, array)| (*title, array))
        .collect();
    lazygrad_io::plot::save_image_grid(path, &refs, cols)
}

/// Reads a `.npy` file (`np.load`) into a tensor of its dtype and shape.
///
/// ```
/// use lazygrad::{array, io};
/// let path = std::env::temp_dir().join("lazygrad_doc_save.npy");
/// let a = array([[1.5, 2.0], [3.0, 4.0]]);
/// io::save(&path, &a)?;
/// assert_eq!(io::load(&path)?.to_vec::<f64>(), a.to_vec::<f64>());
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn load(path: impl AsRef<Path>) -> Result<Tensor> {
    from_array(lazygrad_io::npy::read_npy(path)?)
}

/// Writes a tensor to a `.npy` file in C order (`np.save`).
pub fn save(path: impl AsRef<Path>, tensor: &Tensor) -> Result<()> {
    lazygrad_io::npy::write_npy(path, &to_array(tensor)?)
}

/// Writes a tensor to a `.npy` file with its elements in C or Fortran order.
pub fn save_order(path: impl AsRef<Path>, tensor: &Tensor, order: Order) -> Result<()> {
    lazygrad_io::npy::write_npy_order(path, &to_array(tensor)?, order)
}

/// Reads every array of a `.npz` archive with its name, in the archive's order (`np.load`).
pub fn load_npz(path: impl AsRef<Path>) -> Result<Vec<(String, Tensor)>> {
    lazygrad_io::npz::read_npz(path)?
        .into_iter()
        .map(|(name, array)| Ok((name, from_array(array)?)))
        .collect()
}

/// The plain-data form of named tensors, realizing them.
fn to_named_arrays(tensors: &[(&str, &Tensor)]) -> Result<Vec<(String, Array)>> {
    tensors
        .iter()
        .map(|(name, tensor)| Ok((name.to_string(), to_array(tensor)?)))
        .collect()
}

/// Writes named tensors to an uncompressed `.npz` archive (`np.savez(path, **tensors)`).
pub fn savez(path: impl AsRef<Path>, tensors: &[(&str, &Tensor)]) -> Result<()> {
    let arrays = to_named_arrays(tensors)?;
    let refs: Vec<(&str, &Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
    lazygrad_io::npz::write_npz(path, &refs)
}

/// Writes named tensors to a deflated `.npz` archive (`np.savez_compressed`).
pub fn savez_compressed(path: impl AsRef<Path>, tensors: &[(&str, &Tensor)]) -> Result<()> {
    let arrays = to_named_arrays(tensors)?;
    let refs: Vec<(&str, &Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
    lazygrad_io::npz::write_npz_compressed(path, &refs)
}

/// Saves named tensors as a checkpoint: an uncompressed `.npz` archive that
/// `np.load(path)["w1"]` opens too. Names must be unique and non-empty; `/` is allowed.
///
/// For a [`Module`](crate::nn::Module), [`nn::save_parameters`](crate::nn::save_parameters)
/// names its parameters for you and [`nn::load_parameters`](crate::nn::load_parameters) puts
/// them back, checking names, shapes and dtypes.
///
/// ```
/// use lazygrad::{array, io};
/// let path = std::env::temp_dir().join("lazygrad_doc_checkpoint.npz");
/// let (w1, b1) = (array([[0.5, -1.0]]), array([0.25f32]));
/// io::save_checkpoint(&path, &[("w1", &w1), ("b1", &b1)])?;
/// let params = io::load_checkpoint(&path)?;
/// assert_eq!(params[0].0, "w1");
/// assert_eq!(params[1].1.to_vec::<f32>(), vec![0.25]);
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn save_checkpoint(path: impl AsRef<Path>, params: &[(&str, &Tensor)]) -> Result<()> {
    savez(path, params)
}

/// Loads a checkpoint written by [`save_checkpoint`] (or any `.npz`): the named tensors in the
/// order they were saved, unchecked (see [`nn::load_parameters`](crate::nn::load_parameters)
/// to load them into a model).
pub fn load_checkpoint(path: impl AsRef<Path>) -> Result<Vec<(String, Tensor)>> {
    load_npz(path)
}

/// Reads a text file of numbers, whitespace-separated, into a float64 tensor (`np.loadtxt(path)`).
///
/// A single row or column is squeezed to 1-D, as numpy does; see [`loadtxt_with`] for the
/// delimiter, dtype, columns and rows.
///
/// ```
/// use lazygrad::io;
/// let path = std::env::temp_dir().join("lazygrad_doc_loadtxt_facade.txt");
/// std::fs::write(&path, "# x y\n1 2\n3 4.5\n")?;
/// let a = io::loadtxt(&path)?;
/// assert_eq!((a.shape(), a.to_vec::<f64>()), (&[2usize, 2][..], vec![1.0, 2.0, 3.0, 4.5]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn loadtxt(path: impl AsRef<Path>) -> Result<Tensor> {
    loadtxt_with(path, &LoadTxt::default())
}

/// Reads a text file of numbers with numpy's `loadtxt` arguments: `delimiter`, `comments`,
/// `skiprows`, `usecols`, `dtype`, `max_rows`, `ndmin` and `unpack`.
///
/// ```
/// use lazygrad::{DType, io};
/// use lazygrad::io::LoadTxt;
/// let path = std::env::temp_dir().join("lazygrad_doc_loadtxt_with.csv");
/// std::fs::write(&path, "a,b,c\n1,2,3\n4,5,6\n")?;
/// let opts = LoadTxt {
///     delimiter: Some(','),
///     skiprows: 1,
///     usecols: Some(vec![0, -1]),
///     dtype: DType::I64,
///     ..LoadTxt::default()
/// };
/// assert_eq!(io::loadtxt_with(&path, &opts)?.to_vec::<i64>(), vec![1, 3, 4, 6]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn loadtxt_with(path: impl AsRef<Path>, opts: &LoadTxt) -> Result<Tensor> {
    from_array(lazygrad_io::text::loadtxt(path, opts)?)
}

/// [`loadtxt_with`] over any reader, such as a string's bytes (numpy's `loadtxt(StringIO(...))`).
///
/// ```
/// use lazygrad::io::{self, LoadTxt};
/// let a = io::loadtxt_from("1 2\n3 4\n".as_bytes(), &LoadTxt { unpack: true, ..LoadTxt::default() })?;
/// assert_eq!(a.to_vec::<f64>(), vec![1.0, 3.0, 2.0, 4.0]); // the columns, as rows
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn loadtxt_from(reader: impl std::io::Read, opts: &LoadTxt) -> Result<Tensor> {
    from_array(lazygrad_io::text::loadtxt_from(reader, opts)?)
}

/// Reads a whitespace-separated text file with missing values as float64 (`np.genfromtxt(path)`):
/// fields that are missing or do not parse become NaN.
pub fn genfromtxt(path: impl AsRef<Path>) -> Result<Tensor> {
    genfromtxt_with(path, &GenFromTxt::default())
}

/// Reads a text file with missing values with numpy's `genfromtxt` arguments: `delimiter`,
/// `comments`, `skip_header`, `skip_footer`, `usecols`, `dtype`, `missing_values`,
/// `filling_values`, `max_rows` and `ndmin`.
///
/// ```
/// use lazygrad::io::{self, GenFromTxt};
/// let path = std::env::temp_dir().join("lazygrad_doc_genfromtxt_with.csv");
/// std::fs::write(&path, "x,y\n1,\n3,N/A\n")?;
/// let opts = GenFromTxt {
///     delimiter: Some(','),
///     skip_header: 1,
///     missing_values: vec!["N/A".into()],
///     filling_values: Some(-1.0),
///     ..GenFromTxt::default()
/// };
/// assert_eq!(io::genfromtxt_with(&path, &opts)?.to_vec::<f64>(), vec![1.0, -1.0, 3.0, -1.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn genfromtxt_with(path: impl AsRef<Path>, opts: &GenFromTxt) -> Result<Tensor> {
    from_array(lazygrad_io::text::genfromtxt(path, opts)?)
}

/// [`genfromtxt_with`] over any reader, such as a string's bytes.
pub fn genfromtxt_from(reader: impl std::io::Read, opts: &GenFromTxt) -> Result<Tensor> {
    from_array(lazygrad_io::text::genfromtxt_from(reader, opts)?)
}

/// Writes a 1-D or 2-D tensor to a text file with numpy's default format, `%.18e` between
/// spaces (`np.savetxt(path, a)`); a 1-D tensor is written one value per line.
///
/// ```
/// use lazygrad::{array, io};
/// let path = std::env::temp_dir().join("lazygrad_doc_savetxt_facade.txt");
/// io::savetxt(&path, &array([0.5, -2.0]))?;
/// assert_eq!(
///     std::fs::read_to_string(&path)?,
///     "5.000000000000000000e-01\n-2.000000000000000000e+00\n"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn savetxt(path: impl AsRef<Path>, tensor: &Tensor) -> Result<()> {
    savetxt_with(path, tensor, &SaveTxt::default())
}

/// Writes a 1-D or 2-D tensor to a text file with numpy's `savetxt` arguments: `fmt`,
/// `delimiter`, `newline`, `header`, `footer` and `comments`.
///
/// ```
/// use lazygrad::{array, io};
/// use lazygrad::io::SaveTxt;
/// let path = std::env::temp_dir().join("lazygrad_doc_savetxt_with.csv");
/// let opts = SaveTxt { fmt: "%d,%.2f".into(), header: "n,x".into(), ..SaveTxt::default() };
/// io::savetxt_with(&path, &array([[1.0, 0.125], [2.0, 3.0]]), &opts)?;
/// assert_eq!(std::fs::read_to_string(&path)?, "# n,x\n1,0.12\n2,3.00\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn savetxt_with(path: impl AsRef<Path>, tensor: &Tensor, opts: &SaveTxt) -> Result<()> {
    lazygrad_io::text::savetxt(path, &to_array(tensor)?, opts)
}
