//! Kernels that move data rather than compute it: assemble (pad, concatenate), gather,
//! scatter and sort.

use crate::buffer::Storage;
use crate::strided::{for_each_row, inner_steps, merge_dims};
use lazygrad_ir::{Error, Result, ScatterMode, Shape, View};

/// Copies the elements of `source` read through `from` into `out` written through `to`
/// (two views of one shape).
pub(crate) fn copy_view<T: Storage>(source: &[T], from: &View, out: &mut [T], to: &View) {
    let (shape, strides) = merge_dims(&from.shape, &[&from.strides, &to.strides]);
    let steps = inner_steps(&strides);
    for_each_row(&shape, &strides, &[from.offset, to.offset], |bases, len| {
        let (mut src, mut dst) = (bases[0], bases[1]);
        for _ in 0..len {
            out[dst as usize] = source[src as usize];
            src += steps[0];
            dst += steps[1];
        }
    });
}

/// The elements of a view in C order.
pub(crate) fn contiguous<T: Storage>(source: &[T], view: &View) -> Vec<T> {
    let mut res = vec![<T as lazygrad_ir::Element>::ZERO; view.shape.size()];
    copy_view(source, view, &mut res, &View::contiguous(&view.shape));
    res
}

/// Buffer offsets, relative to the block's first element, of every element of the trailing
/// `shape` of a view with `strides`, in C order.
fn block_offsets(shape: &[usize], strides: &[isize]) -> Vec<isize> {
    let view = View {
        shape: Shape::new(shape),
        strides: strides.iter().copied().collect(),
        offset: 0,
    };
    let mut res = Vec::with_capacity(view.shape.size());
    let (merged, merged_strides) = merge_dims(shape, &[strides]);
    let step = merged_strides[0].last().copied().unwrap_or(0);
    for_each_row(&merged, &merged_strides, &[0], |bases, len| {
        res.extend((0..len as isize).map(|k| bases[0] + k * step));
    });
    debug_assert_eq!(res.len(), view.shape.size());
    res
}

/// For each position of the index arrays' shape, the offset (relative to `view.offset`) of the
/// indexed block of the first `indices.len()` axes, checked against the axes' extents.
fn indexed_offsets(
    view: &View,
    indices: &[(Vec<i64>, usize)],
    op: &'static str,
    location: &str,
) -> Result<Vec<isize>> {
    let count = indices.first().map(|(values, _)| values.len()).unwrap_or(0);
    let mut res = vec![0isize; count];
    for (values, axis) in indices {
        let (size, stride) = (view.shape[*axis], view.strides[*axis]);
        for (offset, &index) in res.iter_mut().zip(values) {
            let resolved = if index < 0 {
                index + size as i64
            } else {
                index
            };
            if resolved < 0 || resolved >= size as i64 {
                return Err(Error::Data {
                    op,
                    location: location.to_string(),
                    message: format!(
                        "index {index} is out of bounds for axis {axis} with size {size}"
                    ),
                });
            }
            *offset += resolved as isize * stride;
        }
    }
    Ok(res)
}

/// `out[b, ...] = input[indices_0[b], ..., indices_k-1[b], ...]`.
pub(crate) fn gather<T: Storage>(
    input: &[T],
    view: &View,
    indices: &[(Vec<i64>, usize)],
    out: &mut [T],
    location: &str,
) -> Result<()> {
    let k = indices.len();
    let block = block_offsets(&view.shape[k..], &view.strides[k..]);
    let starts = indexed_offsets(view, indices, "gather", location)?;
    for (chunk, start) in out.chunks_mut(block.len().max(1)).zip(starts) {
        for (o, rel) in chunk.iter_mut().zip(&block) {
            *o = input[(view.offset + start + rel) as usize];
        }
    }
    Ok(())
}

/// `out` = `input` with `values` written at the indexed positions (last write wins, or sums).
pub(crate) fn scatter<T: Storage>(
    input: &[T],
    view: &View,
    indices: &[(Vec<i64>, usize)],
    values: &[T],
    mode: ScatterMode,
    out: &mut [T],
    location: &str,
) -> Result<()> {
    let k = indices.len();
    copy_view(input, view, out, &View::contiguous(&view.shape));
    let target = View::contiguous(&view.shape);
    let block = block_offsets(&target.shape[k..], &target.strides[k..]);
    let starts = indexed_offsets(&target, indices, "scatter", location)?;
    for (chunk, start) in values.chunks(block.len().max(1)).zip(starts) {
        for (&value, rel) in chunk.iter().zip(&block) {
            let slot = &mut out[(start + rel) as usize];
            *slot = match mode {
                ScatterMode::Set => value,
                ScatterMode::Add => slot.add(value),
            };
        }
    }
    Ok(())
}

/// A stable sort of every line along `axis`, NaN last as in numpy; writes values or positions.
pub(crate) fn sort<T: Storage>(
    input: &[T],
    view: &View,
    axis: usize,
    out_values: Option<&mut [T]>,
    out_indices: Option<&mut [i64]>,
) {
    let len = view.shape[axis];
    let lines = lazygrad_ir::keep_dims(&view.shape, &[axis]);
    let out_view = View::contiguous(&view.shape);
    let (shape, strides) = merge_dims(&lines, &[&view.strides, &out_view.strides]);
    let (step, out_step) = (view.strides[axis], out_view.strides[axis]);
    let mut order: Vec<usize> = Vec::with_capacity(len);
    let mut line: Vec<T> = Vec::with_capacity(len);
    let (mut out_values, mut out_indices) = (out_values, out_indices);
    for_each_row(&shape, &strides, &[view.offset, 0], |bases, row_len| {
        let (in_step, o_step) = (
            strides[0].last().copied().unwrap_or(0),
            strides[1].last().copied().unwrap_or(0),
        );
        for r in 0..row_len as isize {
            let (base, out_base) = (bases[0] + r * in_step, bases[1] + r * o_step);
            line.clear();
            line.extend((0..len as isize).map(|i| input[(base + i * step) as usize]));
            order.clear();
            order.extend(0..len);
            order.sort_by(|&a, &b| {
                let (x, y) = (line[a], line[b]);
                match (x.is_nan(), y.is_nan()) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => std::cmp::Ordering::Greater,
                    (false, true) => std::cmp::Ordering::Less,
                    _ => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
                }
            });
            for (rank, &from) in order.iter().enumerate() {
                let dst = (out_base + rank as isize * out_step) as usize;
                if let Some(values) = out_values.as_deref_mut() {
                    values[dst] = line[from];
                }
                if let Some(positions) = out_indices.as_deref_mut() {
                    positions[dst] = from as i64;
                }
            }
        }
    });
}
