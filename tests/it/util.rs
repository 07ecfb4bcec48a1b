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
    /// Only for inputs whose slices along some axes are all equal (numpy broadcast views, see
    /// `repeated_axes`): one slice is stored and `broadcast_to` gives a view with stride 0 on
    /// those axes. Other inputs fall back to `Contiguous`.
    Broadcast,
}

/// The layouts every input has; 0-d inputs only have the contiguous one. `Layout::Broadcast` is
/// not listed: it only applies to inputs with `repeated_axes`, and the tests add it for those.
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
        Layout::Broadcast => {
            let axes = repeated_axes_of(data, shape);
            if axes.is_empty() {
                return contiguous;
            }
            // Keep index 0 along every repeated axis, then broadcast back: stride 0 there.
            let small_shape: Vec<usize> = (0..shape.len())
                .map(|axis| if axes.contains(&axis) { 1 } else { shape[axis] })
                .collect();
            let small: Vec<T> = (0..size)
                .filter(|&i| {
                    axes.iter()
                        .all(|&axis| (i / strides[axis] as usize).is_multiple_of(shape[axis]))
                })
                .map(|i| data[i])
                .collect();
            Tensor::from_vec(small, &small_shape[..]).broadcast_to(shape)
        }
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

/// The axes (of size > 1) along which every slice of the C-ordered `data` is equal.
fn repeated_axes_of<T: PartialEq>(data: &[T], shape: &[usize]) -> Vec<usize> {
    let strides = contiguous_strides(shape);
    (0..shape.len())
        .filter(|&axis| {
            let (dim, stride) = (shape[axis], strides[axis] as usize);
            dim > 1
                && (0..data.len()).all(|i| {
                    let k = (i / stride) % dim;
                    data[i] == data[i - k * stride]
                })
        })
        .collect()
}

/// The axes along which a golden array repeats (as `np.broadcast_to` inputs do); empty for 0-d
/// and empty arrays. `Layout::Broadcast` reads these axes with stride 0.
pub fn repeated_axes(npy: &Npy) -> Vec<usize> {
    if npy.shape.is_empty() || npy.data.is_empty() {
        return Vec::new();
    }
    match &npy.data {
        NpyData::Bool(v) => repeated_axes_of(v, &npy.shape),
        NpyData::U8(v) => repeated_axes_of(v, &npy.shape),
        NpyData::I8(v) => repeated_axes_of(v, &npy.shape),
        NpyData::U16(v) => repeated_axes_of(v, &npy.shape),
        NpyData::I16(v) => repeated_axes_of(v, &npy.shape),
        NpyData::U32(v) => repeated_axes_of(v, &npy.shape),
        NpyData::I32(v) => repeated_axes_of(v, &npy.shape),
        NpyData::U64(v) => repeated_axes_of(v, &npy.shape),
        NpyData::I64(v) => repeated_axes_of(v, &npy.shape),
        NpyData::F16(v) => repeated_axes_of(v, &npy.shape),
        NpyData::F32(v) => repeated_axes_of(v, &npy.shape),
        NpyData::F64(v) => repeated_axes_of(v, &npy.shape),
    }
}

/// The strides (in elements) of the view a tensor is read through, as the compiler plans it:
/// a pure view compiles to no kernel, and its output operand carries the view.
pub fn view_strides(t: &Tensor) -> Vec<isize> {
    // A new axis in front is a pending view of `t` (plan_for skips realized tensors); the plan
    // reads `t`'s buffer through it, with one more leading stride.
    let plan = lazygrad::plan_for(&[&t.expand_dims(0)]);
    assert!(plan.kernels.is_empty(), "a view compiles to no kernel");
    plan.outputs[0].view.strides[1..].to_vec()
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
        NpyData::I8(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::U16(v) => tensor_of(v, &npy.shape, layout, 77),
        NpyData::I16(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::U32(v) => tensor_of(v, &npy.shape, layout, 77),
        NpyData::I32(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::U64(v) => tensor_of(v, &npy.shape, layout, 77),
        NpyData::I64(v) => tensor_of(v, &npy.shape, layout, -77),
        NpyData::F16(v) => tensor_of(v, &npy.shape, layout, lazygrad_ir::f16::NAN),
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
