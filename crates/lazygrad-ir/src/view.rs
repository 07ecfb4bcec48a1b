//! Views: how an array's logical indices map onto the elements of a flat buffer.

use crate::Shape;
use smallvec::SmallVec;

/// Signed strides, one per dimension, counted in elements (not bytes) so `flip` can use negative ones.
pub type Strides = SmallVec<[isize; 4]>;

/// A strided window onto a flat buffer: element `idx` of the array lives at
/// `offset + sum(idx[d] * strides[d])` in the buffer.
///
/// Movement ops (transpose, broadcast, slicing, most reshapes) only change the view, never the data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct View {
    /// The logical shape.
    pub shape: Shape,
    /// The stride of each dimension in elements; 0 for broadcast dimensions.
    pub strides: Strides,
    /// The buffer index of the element at logical index 0.
    pub offset: isize,
}

impl View {
    /// The C-ordered view of a fresh buffer holding exactly `shape.size()` elements.
    pub fn contiguous(shape: &Shape) -> View {
        View {
            strides: shape.contiguous_strides(),
            shape: shape.clone(),
            offset: 0,
        }
    }

    /// Whether reading the view in C order walks the buffer from `offset` one element at a time.
    pub fn is_contiguous(&self) -> bool {
        let want = self.shape.contiguous_strides();
        self.shape
            .iter()
            .zip(self.strides.iter().zip(&want))
            .all(|(&dim, (&have, &want))| dim <= 1 || have == want)
    }

    /// The view with its dimensions reordered: result axis `i` is input axis `perm[i]`.
    pub fn permute(&self, perm: &[usize]) -> View {
        View {
            shape: perm.iter().map(|&axis| self.shape[axis]).collect(),
            strides: perm.iter().map(|&axis| self.strides[axis]).collect(),
            offset: self.offset,
        }
    }

    /// The view broadcast to `shape` (numpy's `broadcast_to`): new leading axes and size-1 axes get stride 0.
    ///
    /// The caller has checked that the shapes are broadcast-compatible.
    pub fn expand(&self, shape: &Shape) -> View {
        let pad = shape.ndim() - self.shape.ndim();
        let strides = (0..shape.ndim())
            .map(|axis| {
                if axis < pad || self.shape[axis - pad] != shape[axis] {
                    0
                } else {
                    self.strides[axis - pad]
                }
            })
            .collect();
        View {
            shape: shape.clone(),
            strides,
            offset: self.offset,
        }
    }

    /// The view reshaped to `shape` without copying, or `None` when the strides cannot express it.
    ///
    /// This follows numpy's no-copy reshape: the old dimensions (ignoring extents of 1) are grouped
    /// with the new ones so each group covers the same number of elements, and a group can be
    /// re-strided only if its old dimensions are laid out contiguously with respect to each other.
    pub fn reshape(&self, shape: &Shape) -> Option<View> {
        debug_assert_eq!(self.shape.size(), shape.size());
        if self.shape.size() == 0 || self.is_contiguous() {
            return Some(View {
                strides: shape.contiguous_strides(),
                shape: shape.clone(),
                offset: self.offset,
            });
        }
        let (old_dims, old_strides): (Vec<usize>, Vec<isize>) = self
            .shape
            .iter()
            .zip(&self.strides)
            .filter(|(dim, _)| **dim != 1)
            .map(|(&dim, &stride)| (dim, stride))
            .unzip();
        let new_dims: &[usize] = shape;
        let mut new_strides: Strides = SmallVec::from_elem(0, new_dims.len());
        let (mut old_idx, mut new_idx) = (0, 0);
        while new_idx < new_dims.len() && old_idx < old_dims.len() {
            let (mut old_end, mut new_end) = (old_idx + 1, new_idx + 1);
            let (mut old_count, mut new_count) = (old_dims[old_idx], new_dims[new_idx]);
            while old_count != new_count {
                if new_count < old_count {
                    new_count *= new_dims[new_end];
                    new_end += 1;
                } else {
                    old_count *= old_dims[old_end];
                    old_end += 1;
                }
            }
            let group_is_contiguous = (old_idx..old_end - 1)
                .all(|k| old_strides[k] == old_dims[k + 1] as isize * old_strides[k + 1]);
            if !group_is_contiguous {
                return None;
            }
            new_strides[new_end - 1] = old_strides[old_end - 1];
            for k in (new_idx + 1..new_end).rev() {
                new_strides[k - 1] = new_strides[k] * new_dims[k] as isize;
            }
            new_idx = new_end;
            old_idx = old_end;
        }
        Some(View {
            shape: shape.clone(),
            strides: new_strides,
            offset: self.offset,
        })
    }

    /// The view of a strided window: per axis, `len` elements from `start`, `step` apart.
    pub fn slice(&self, axes: &[crate::ops::SliceAxis]) -> View {
        let mut offset = self.offset;
        let mut strides = Strides::new();
        for (spec, &stride) in axes.iter().zip(&self.strides) {
            // Both products stay in range: the window lies inside this view, whose every
            // reachable index was bounds-checked. An axis of at most one element never moves
            // along its stride, so it gets 0 rather than a product that may overflow (a stride
            // of `isize::MIN` from `as_strided` flipped, a step past the axis).
            if spec.len > 0 {
                offset += spec.start as isize * stride;
            }
            strides.push(if spec.len <= 1 { 0 } else { stride * spec.step });
        }
        View {
            shape: axes.iter().map(|spec| spec.len).collect(),
            strides,
            offset,
        }
    }

    /// The buffer index of the element at logical index `idx`.
    pub fn offset_of(&self, idx: &[usize]) -> isize {
        self.offset
            + idx
                .iter()
                .zip(&self.strides)
                .map(|(&i, &s)| i as isize * s)
                .sum::<isize>()
    }

    /// The lowest and highest buffer index the view reads, or `None` for an empty view.
    ///
    /// The arithmetic saturates, so a view built from arbitrary strides (`as_strided`) never
    /// overflows here: a bound past `isize`'s range comes back as `isize::MIN` or `isize::MAX`,
    /// which every bounds check against a buffer then rejects.
    pub fn extent(&self) -> Option<(isize, isize)> {
        if self.shape.contains(&0) {
            return None;
        }
        let (mut lo, mut hi) = (self.offset, self.offset);
        for (&dim, &stride) in self.shape.iter().zip(&self.strides) {
            let steps = isize::try_from(dim - 1).unwrap_or(isize::MAX);
            let reach = steps.saturating_mul(stride);
            if reach < 0 {
                lo = lo.saturating_add(reach);
            } else {
                hi = hi.saturating_add(reach);
            }
        }
        Some((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every buffer index the view reads, in C order.
    fn offsets(view: &View) -> Vec<isize> {
        let size = view.shape.size();
        (0..size)
            .map(|flat| {
                let mut rest = flat;
                let mut idx = vec![0; view.shape.ndim()];
                for axis in (0..view.shape.ndim()).rev() {
                    idx[axis] = rest % view.shape[axis];
                    rest /= view.shape[axis];
                }
                view.offset_of(&idx)
            })
            .collect()
    }

    #[test]
    fn reshape_of_a_transpose_copies_only_when_it_must() {
        let base = View::contiguous(&Shape::new(&[2, 3, 4]));
        let transposed = base.permute(&[1, 0, 2]);
        // Splitting or merging only the contiguous last axis keeps a view.
        let split = transposed.reshape(&Shape::new(&[3, 2, 2, 2])).unwrap();
        assert_eq!(offsets(&split), offsets(&transposed));
        // Merging the swapped axes cannot be expressed with strides.
        assert_eq!(transposed.reshape(&Shape::new(&[6, 4])), None);
    }

    #[test]
    fn reshape_after_reshape_reads_the_same_elements() {
        let base = View::contiguous(&Shape::new(&[4, 6])).permute(&[1, 0]);
        let sliced = View {
            shape: Shape::new(&[6, 2]),
            strides: SmallVec::from_slice(&[1, 12]),
            offset: 0,
        };
        for view in [base, sliced] {
            for shape in [&[3, 2, 4][..], &[6, 4], &[24], &[1, 6, 1, 4]] {
                if view.shape.size() != shape.iter().product::<usize>() {
                    continue;
                }
                if let Some(reshaped) = view.reshape(&Shape::new(shape)) {
                    assert_eq!(offsets(&reshaped), offsets(&view), "{view:?} -> {shape:?}");
                }
            }
        }
    }

    #[test]
    fn extent_saturates_instead_of_overflowing() {
        let view = View {
            shape: Shape::new(&[3, 3]),
            strides: SmallVec::from_slice(&[isize::MAX, isize::MIN]),
            offset: 5,
        };
        // Twice either stride overflows; the bounds stay conservative instead.
        assert_eq!(view.extent(), Some((isize::MIN + 5, isize::MAX)));
        let huge = View {
            shape: Shape::new(&[usize::MAX]),
            strides: SmallVec::from_slice(&[2]),
            offset: 0,
        };
        assert_eq!(huge.extent(), Some((0, isize::MAX)));
    }

    #[test]
    fn slicing_one_element_of_an_extreme_stride_does_not_overflow() {
        let view = View {
            shape: Shape::new(&[1, 4]),
            strides: SmallVec::from_slice(&[isize::MIN, 1]),
            offset: 0,
        };
        let flipped = view.slice(&[
            crate::ops::SliceAxis {
                start: 0,
                len: 1,
                step: -1,
            },
            crate::ops::SliceAxis {
                start: 3,
                len: 2,
                step: -2,
            },
        ]);
        assert_eq!(offsets(&flipped), vec![3, 1]);
    }

    #[test]
    fn expand_gives_stride_zero() {
        let view = View::contiguous(&Shape::new(&[3, 1]));
        let expanded = view.expand(&Shape::new(&[2, 3, 4]));
        assert_eq!(&expanded.strides[..], &[0, 1, 0]);
        assert_eq!(expanded.extent(), Some((0, 2)));
    }
}
