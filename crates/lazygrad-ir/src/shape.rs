//! Shapes, numpy broadcasting and axis normalisation.

use crate::{Error, Result};
use smallvec::SmallVec;
use std::fmt;
use std::ops::Deref;

/// The extents of an array's dimensions, outermost first.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Shape(SmallVec<[usize; 4]>);

impl Shape {
    /// A shape from its extents.
    pub fn new(dims: &[usize]) -> Shape {
        Shape(SmallVec::from_slice(dims))
    }

    /// The shape of a 0-d array.
    pub fn scalar() -> Shape {
        Shape(SmallVec::new())
    }

    /// The number of elements (1 for a 0-d array).
    ///
    /// Every node's shape has passed [`Shape::check_size`], so this cannot overflow for it; a shape
    /// from user input is checked first, since the product of unchecked extents may not fit.
    pub fn size(&self) -> usize {
        self.0.iter().product()
    }

    /// Checks that an array of this shape and `dtype` fits the address space: the product of its
    /// nonzero extents times the item size fits in `isize`, as Rust's allocations and numpy's
    /// arrays require.
    ///
    /// Extents of 0 are skipped, as numpy skips them, so an empty array must still have extents
    /// whose other products fit: `(2**62, 2**62, 0)` is too big for numpy too. That rule is what
    /// keeps every stride of a C-ordered view of a checked shape, and every offset inside it, in
    /// range of `isize`.
    pub fn check_size(&self, op: &'static str, dtype: crate::DType) -> Result<()> {
        let bytes = self
            .0
            .iter()
            .filter(|&&dim| dim != 0)
            .try_fold(dtype.itemsize(), |acc, &dim| acc.checked_mul(dim));
        match bytes {
            Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
            _ => Err(Error::TooBig {
                op,
                shape: self.0.to_vec(),
                dtype,
            }),
        }
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.0.len()
    }

    /// Strides of a C-ordered (row-major) contiguous array of this shape, in elements.
    pub fn contiguous_strides(&self) -> SmallVec<[isize; 4]> {
        let mut strides: SmallVec<[isize; 4]> = SmallVec::from_elem(0, self.ndim());
        let mut acc = 1isize;
        for (stride, &dim) in strides.iter_mut().zip(&self.0).rev() {
            *stride = acc;
            acc *= dim.max(1) as isize;
        }
        strides
    }

    /// numpy's compact tuple form without spaces, as its broadcasting errors print shapes: `(4,3)`, `(2,)`.
    pub fn compact(&self) -> String {
        let mut res = String::from("(");
        for (idx, dim) in self.0.iter().enumerate() {
            if idx > 0 {
                res.push(',');
            }
            res.push_str(&dim.to_string());
        }
        if self.0.len() == 1 {
            res.push(',');
        }
        res.push(')');
        res
    }
}

impl Deref for Shape {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.0
    }
}

impl From<&[usize]> for Shape {
    fn from(dims: &[usize]) -> Shape {
        Shape::new(dims)
    }
}

impl<const N: usize> From<[usize; N]> for Shape {
    fn from(dims: [usize; N]) -> Shape {
        Shape::new(&dims)
    }
}

impl From<Vec<usize>> for Shape {
    fn from(dims: Vec<usize>) -> Shape {
        Shape::new(&dims)
    }
}

impl FromIterator<usize> for Shape {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Shape {
        Shape(iter.into_iter().collect())
    }
}

/// Python's tuple form, as `a.shape` prints: `(4, 3)`, `(2,)`, `()`.
impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (idx, dim) in self.0.iter().enumerate() {
            if idx > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{dim}")?;
        }
        if self.0.len() == 1 {
            f.write_str(",")?;
        }
        f.write_str(")")
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The shape two operands broadcast to under numpy's rules, or the error numpy raises.
///
/// Shapes are aligned at their last dimension; each pair of extents must be equal or one of them 1.
pub fn broadcast_shapes(op: &'static str, lhs: &Shape, rhs: &Shape) -> Result<Shape> {
    let ndim = lhs.ndim().max(rhs.ndim());
    let extent = |shape: &Shape, axis: usize| {
        let pad = ndim - shape.ndim();
        if axis < pad { 1 } else { shape[axis - pad] }
    };
    (0..ndim)
        .map(|axis| match (extent(lhs, axis), extent(rhs, axis)) {
            (a, b) if a == b || b == 1 => Ok(a),
            (1, b) => Ok(b),
            _ => Err(Error::Broadcast {
                op,
                lhs: lhs.clone(),
                rhs: rhs.clone(),
            }),
        })
        .collect()
}

/// Turns a possibly negative axis into an index below `ndim`, or numpy's `AxisError`.
pub fn normalize_axis(op: &'static str, axis: isize, ndim: usize) -> Result<usize> {
    let resolved = if axis < 0 { axis + ndim as isize } else { axis };
    if resolved < 0 || resolved >= ndim as isize {
        return Err(Error::Axis { op, axis, ndim });
    }
    Ok(resolved as usize)
}

/// Normalises a list of axes, rejecting repeats as numpy does; the result is sorted.
pub fn normalize_axes(
    op: &'static str,
    axes: &[isize],
    ndim: usize,
) -> Result<SmallVec<[usize; 4]>> {
    let mut res: SmallVec<[usize; 4]> = SmallVec::new();
    for &axis in axes {
        let resolved = normalize_axis(op, axis, ndim)?;
        if res.contains(&resolved) {
            return Err(Error::RepeatedAxis { op, axis });
        }
        res.push(resolved);
    }
    res.sort_unstable();
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_follows_numpy() {
        let shape = |d: &[usize]| Shape::new(d);
        assert_eq!(
            broadcast_shapes("add", &shape(&[4, 3]), &shape(&[3])).unwrap(),
            shape(&[4, 3])
        );
        assert_eq!(
            broadcast_shapes("add", &shape(&[2, 1, 4]), &shape(&[3, 1])).unwrap(),
            shape(&[2, 3, 4])
        );
        assert_eq!(
            broadcast_shapes("add", &shape(&[0]), &shape(&[1])).unwrap(),
            shape(&[0])
        );
        let err = broadcast_shapes("add", &shape(&[4, 3]), &shape(&[2])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "add: operands could not be broadcast together with shapes (4,3) (2,)"
        );
    }

    #[test]
    fn broadcast_is_symmetric() {
        let shapes = [
            vec![],
            vec![1],
            vec![3],
            vec![2, 1],
            vec![1, 3],
            vec![2, 3],
            vec![4, 1, 3],
        ];
        for a in &shapes {
            for b in &shapes {
                let ab = broadcast_shapes("add", &Shape::new(a), &Shape::new(b)).ok();
                let ba = broadcast_shapes("add", &Shape::new(b), &Shape::new(a)).ok();
                assert_eq!(ab, ba, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn shapes_print_as_python_tuples() {
        assert_eq!(Shape::new(&[2]).to_string(), "(2,)");
        assert_eq!(Shape::new(&[4, 3]).to_string(), "(4, 3)");
        assert_eq!(Shape::scalar().to_string(), "()");
        assert_eq!(Shape::new(&[4, 3]).compact(), "(4,3)");
    }
}
