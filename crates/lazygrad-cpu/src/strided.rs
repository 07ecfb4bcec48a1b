//! Strided iteration: walking several views of one shape together, row by row.
//!
//! Kernels never compute index math per element: dimensions of extent 1 are dropped, adjacent
//! dimensions that are contiguous for every operand are merged, and the remaining outer
//! dimensions are walked with an odometer that only adds strides. The innermost dimension is
//! handed to the kernel as a row: a base offset per operand plus a length.

use smallvec::SmallVec;

/// Per-operand strides of a merged iteration space.
pub(crate) type StrideSet = SmallVec<[SmallVec<[isize; 4]>; 4]>;

/// The step of each stride set along the innermost merged dimension (0 for a 0-d iteration):
/// how far each operand moves per element of a row.
pub(crate) fn inner_steps(strides: &StrideSet) -> Vec<isize> {
    strides
        .iter()
        .map(|s| s.last().copied().unwrap_or(0))
        .collect()
}

/// Drops extent-1 dimensions and merges adjacent dimensions that every operand walks
/// contiguously, returning the merged shape and each operand's strides over it.
pub(crate) fn merge_dims(
    shape: &[usize],
    strides: &[&[isize]],
) -> (SmallVec<[usize; 4]>, StrideSet) {
    let mut merged_shape: SmallVec<[usize; 4]> = SmallVec::new();
    let mut merged: StrideSet = strides.iter().map(|_| SmallVec::new()).collect();
    for axis in 0..shape.len() {
        let dim = shape[axis];
        if dim == 1 {
            continue;
        }
        let can_merge = !merged_shape.is_empty()
            && strides
                .iter()
                .zip(&merged)
                .all(|(operand, done)| done[done.len() - 1] == operand[axis] * dim as isize);
        if can_merge {
            *merged_shape.last_mut().expect("checked non-empty") *= dim;
            for (operand, done) in strides.iter().zip(merged.iter_mut()) {
                *done.last_mut().expect("checked non-empty") = operand[axis];
            }
        } else {
            merged_shape.push(dim);
            for (operand, done) in strides.iter().zip(merged.iter_mut()) {
                done.push(operand[axis]);
            }
        }
    }
    (merged_shape, merged)
}

/// Calls `row(bases, len)` for every innermost row of `shape`, where `bases[i]` is operand `i`'s
/// offset of the row's first element; each operand then steps by its last stride along the row.
/// A 0-d shape is one row of length 1; an empty shape has no rows.
pub(crate) fn for_each_row(
    shape: &[usize],
    strides: &StrideSet,
    offsets: &[isize],
    mut row: impl FnMut(&[isize], usize),
) {
    if shape.contains(&0) {
        return;
    }
    let Some((&inner, outer)) = shape.split_last() else {
        row(offsets, 1);
        return;
    };
    let mut idx: SmallVec<[usize; 4]> = SmallVec::from_elem(0, outer.len());
    let mut bases: SmallVec<[isize; 4]> = SmallVec::from_slice(offsets);
    loop {
        row(&bases, inner);
        let mut axis = outer.len();
        loop {
            if axis == 0 {
                return;
            }
            axis -= 1;
            idx[axis] += 1;
            for (base, operand) in bases.iter_mut().zip(strides) {
                *base += operand[axis];
            }
            if idx[axis] < outer[axis] {
                break;
            }
            for (base, operand) in bases.iter_mut().zip(strides) {
                *base -= operand[axis] * outer[axis] as isize;
            }
            idx[axis] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_dims_merge_into_one_row() {
        let (shape, strides) = merge_dims(&[2, 3, 4], &[&[12, 4, 1], &[0, 0, 1]]);
        assert_eq!(&shape[..], &[6, 4]);
        assert_eq!(&strides[0][..], &[4, 1]);
        assert_eq!(&strides[1][..], &[0, 1]);
        let (shape, _) = merge_dims(&[2, 1, 3], &[&[3, 99, 1]]);
        assert_eq!(&shape[..], &[6]);
    }

    #[test]
    fn rows_visit_every_element_once() {
        let (shape, strides) = merge_dims(&[2, 3], &[&[1, 2]]);
        let mut seen = Vec::new();
        for_each_row(&shape, &strides, &[0], |bases, len| {
            for k in 0..len as isize {
                seen.push(bases[0] + k * strides[0][strides[0].len() - 1]);
            }
        });
        assert_eq!(seen, vec![0, 2, 4, 1, 3, 5]);
    }
}

/// Like [`for_each_row`] for the part of the iteration between flat (C-order) positions
/// `start..end`: rows cut by the range are passed partially, with their bases moved to the
/// first element taken, so work can be split anywhere.
pub(crate) fn for_each_row_in(
    shape: &[usize],
    strides: &StrideSet,
    offsets: &[isize],
    start: usize,
    end: usize,
    mut row: impl FnMut(&[isize], usize),
) {
    if start >= end || shape.contains(&0) {
        return;
    }
    let Some((&inner, outer)) = shape.split_last() else {
        row(offsets, 1);
        return;
    };
    let steps: SmallVec<[isize; 4]> = strides.iter().map(|s| s[s.len() - 1]).collect();
    // Unravel the first row's index; after that the odometer only adds strides.
    let mut idx: SmallVec<[usize; 4]> = SmallVec::from_elem(0, outer.len());
    let mut rest = start / inner;
    for axis in (0..outer.len()).rev() {
        idx[axis] = rest % outer[axis];
        rest /= outer[axis];
    }
    let mut row_bases: SmallVec<[isize; 4]> = offsets
        .iter()
        .zip(strides)
        .map(|(&offset, operand)| {
            offset
                + idx
                    .iter()
                    .zip(operand.iter())
                    .map(|(&i, &s)| i as isize * s)
                    .sum::<isize>()
        })
        .collect();
    let mut bases: SmallVec<[isize; 4]> = SmallVec::from_elem(0, offsets.len());
    let (mut pos, mut col) = (start, start % inner);
    loop {
        let len = (inner - col).min(end - pos);
        for ((base, row_base), step) in bases.iter_mut().zip(&row_bases).zip(&steps) {
            *base = row_base + col as isize * step;
        }
        row(&bases, len);
        pos += len;
        if pos >= end {
            return;
        }
        col = 0;
        let mut axis = outer.len();
        loop {
            if axis == 0 {
                return;
            }
            axis -= 1;
            idx[axis] += 1;
            for (base, operand) in row_bases.iter_mut().zip(strides) {
                *base += operand[axis];
            }
            if idx[axis] < outer[axis] {
                break;
            }
            for (base, operand) in row_bases.iter_mut().zip(strides) {
                *base -= operand[axis] * outer[axis] as isize;
            }
            idx[axis] = 0;
        }
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    #[test]
    fn ranges_cover_the_iteration_exactly_once() {
        let (shape, strides) = merge_dims(&[3, 5], &[&[1, 3]]);
        let all = |start: usize, end: usize| {
            let mut seen = Vec::new();
            for_each_row_in(&shape, &strides, &[0], start, end, |bases, len| {
                let step = strides[0][strides[0].len() - 1];
                seen.extend((0..len as isize).map(|k| bases[0] + k * step));
            });
            seen
        };
        let whole = all(0, 15);
        assert_eq!(
            whole,
            vec![0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14]
        );
        for cut in 0..=15 {
            let mut joined = all(0, cut);
            joined.extend(all(cut, 15));
            assert_eq!(joined, whole, "cut at {cut}");
        }
    }
}
