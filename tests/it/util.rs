//! Helpers shared by the integration tests: golden inputs as tensors in several layouts.

use lazygrad::{DType, Tensor};
use lazygrad_testutil::{Npy, NpyData};

/// How a test input is laid out in memory; every layout holds the same logical values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A fresh C-ordered buffer.
    Contiguous,
    /// Stored transposed and read through a permuted view (axes reversed).
    Transposed,
    /// Every other element of a buffer twice the size (positive strides > 1).
    Sliced,
    /// Stored reversed and read through negative strides.
    Flipped,
}

/// Every layout; 0-d inputs only have the contiguous one.
pub const LAYOUTS: [Layout; 4] = [
    Layout::Contiguous,
    Layout::Transposed,
    Layout::Sliced,
    Layout::Flipped,
];

fn tensor_of<T: lazygrad::Storage>(
    data: &[T],
    shape: &[usize],
    layout: Layout,
    filler: T,
) -> Tensor {
    let contiguous = Tensor::from_vec(data.to_vec(), shape);
    let size = data.len();
    let strides: Vec<isize> = {
        let mut acc = 1isize;
        let mut res = vec![0isize; shape.len()];
        for axis in (0..shape.len()).rev() {
            res[axis] = acc;
            acc *= shape[axis].max(1) as isize;
        }
        res
    };
    match layout {
        Layout::Contiguous => contiguous,
        Layout::Transposed => {
            let reversed: Vec<usize> = shape.iter().rev().copied().collect();
            // Materialize the transpose, then read it back through a permuted view.
            let stored =
                contiguous
                    .t()
                    .as_strided(&reversed[..], &contiguous_strides(&reversed), 0);
            stored.t()
        }
        Layout::Sliced => {
            let mut spread = Vec::with_capacity(2 * size);
            for &value in data {
                spread.push(value);
                spread.push(filler);
            }
            let doubled: Vec<isize> = strides.iter().map(|s| 2 * s).collect();
            Tensor::from_vec(spread, [2 * size]).as_strided(shape, &doubled, 0)
        }
        Layout::Flipped => {
            let reversed: Vec<T> = data.iter().rev().copied().collect();
            let negated: Vec<isize> = strides.iter().map(|s| -s).collect();
            Tensor::from_vec(reversed, [size]).as_strided(shape, &negated, size.saturating_sub(1))
        }
    }
}

fn contiguous_strides(shape: &[usize]) -> Vec<isize> {
    let mut acc = 1isize;
    let mut res = vec![0isize; shape.len()];
    for axis in (0..shape.len()).rev() {
        res[axis] = acc;
        acc *= shape[axis].max(1) as isize;
    }
    res
}

/// A golden array as a tensor of the same dtype in `layout`.
pub fn tensor(npy: &Npy, layout: Layout) -> Tensor {
    let layout = if npy.shape.is_empty() || npy.data.is_empty() {
        Layout::Contiguous
    } else {
        layout
    };
    match &npy.data {
        NpyData::Bool(v) => tensor_of(v, &npy.shape, layout, true),
        NpyData::U8(v) => tensor_of(v, &npy.shape, layout, 77),
        NpyData::I32(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::I64(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::F32(v) => tensor_of(v, &npy.shape, layout, f32::NAN),
        NpyData::F64(v) => tensor_of(v, &npy.shape, layout, f64::NAN),
    }
}

/// A tensor's values as float64, for comparisons.
pub fn values(t: &Tensor) -> Vec<f64> {
    t.astype(DType::F64).to_vec::<f64>()
}

/// numpy's dtype name of a golden array.
pub fn dtype_name(npy: &Npy) -> &'static str {
    npy.data.dtype_name()
}
