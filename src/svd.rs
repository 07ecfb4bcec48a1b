//! Singular values for the matrix 2-norm, by one-sided Jacobi rotations.
//!
//! The singular values of a matrix are data-dependent in a way no elementwise or reduction
//! primitive expresses, so `linalg::norm(x, ord=2)` realizes `x` here and computes them
//! directly in float64. The result is a new leaf (not differentiable).

use crate::Tensor;
use lazygrad_ir::{Result, Shape};

/// The singular values of every matrix over axes `(row, col)` of `x`, largest first, shaped as
/// the remaining (batch) axes plus one axis of `min(m, n)` values, in `x`'s float dtype.
pub(crate) fn singular_values(x: &Tensor, row: usize, col: usize) -> Result<Tensor> {
    let mut perm: Vec<isize> = (0..x.ndim())
        .filter(|&axis| axis != row && axis != col)
        .map(|a| a as isize)
        .collect();
    perm.extend([row as isize, col as isize]);
    let moved = x.try_permute(&perm)?;
    let (m, n) = (x.shape()[row], x.shape()[col]);
    let values: Vec<f64> = moved
        .try_astype(lazygrad_ir::DType::F64)?
        .try_to_vec::<f64>()?;
    let batch: Vec<usize> = moved.shape()[..moved.ndim() - 2].to_vec();
    let k = m.min(n);
    let mut res = Vec::with_capacity(values.len() / (m * n).max(1) * k);
    // Empty matrices have no singular values (`k` is 0); `chunks` needs a nonzero length.
    if m * n > 0 {
        for matrix in values.chunks(m * n) {
            res.extend(matrix_singular_values(matrix, m, n));
        }
    }
    let mut shape = batch;
    shape.push(k);
    Tensor::from_data(res, Shape::from(shape)).try_astype(x.dtype())
}

/// Singular values of one row-major `m x n` matrix, largest first.
fn matrix_singular_values(matrix: &[f64], m: usize, n: usize) -> Vec<f64> {
    // Work on the columns of A or of A^T, whichever has fewer columns; both share singular values.
    let (cols, columns): (usize, Vec<Vec<f64>>) = if n <= m {
        (
            n,
            (0..n)
                .map(|j| (0..m).map(|i| matrix[i * n + j]).collect())
                .collect(),
        )
    } else {
        (
            m,
            (0..m)
                .map(|i| matrix[i * n..(i + 1) * n].to_vec())
                .collect(),
        )
    };
    let mut columns = columns;
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..cols {
            for q in p + 1..cols {
                let alpha: f64 = columns[p].iter().map(|v| v * v).sum();
                let beta: f64 = columns[q].iter().map(|v| v * v).sum();
                let gamma: f64 = columns[p].iter().zip(&columns[q]).map(|(a, b)| a * b).sum();
                if gamma.abs() <= 1e-15 * (alpha * beta).sqrt() || gamma == 0.0 {
                    continue;
                }
                rotated = true;
                // The rotation that makes columns p and q orthogonal (Hestenes' method).
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                let (left, right) = columns.split_at_mut(q);
                for (a, b) in left[p].iter_mut().zip(right[0].iter_mut()) {
                    let (x, y) = (*a, *b);
                    *a = c * x - s * y;
                    *b = s * x + c * y;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let mut res: Vec<f64> = columns
        .iter()
        .map(|col| col.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    res.sort_by(|a, b| b.total_cmp(a));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_values_of_known_matrices() {
        // diag(3, 2) rotated: singular values stay 3 and 2.
        let res = matrix_singular_values(&[3.0, 0.0, 0.0, 2.0], 2, 2);
        assert!((res[0] - 3.0).abs() < 1e-12 && (res[1] - 2.0).abs() < 1e-12);
        // [[1, 2], [3, 4]] has singular values sqrt(15 +- sqrt(221)).
        let res = matrix_singular_values(&[1.0, 2.0, 3.0, 4.0], 2, 2);
        assert!((res[0] - (15.0 + 221f64.sqrt()).sqrt()).abs() < 1e-12);
        // A wide 1 x 3 row vector has one singular value: its length.
        assert!((matrix_singular_values(&[1.0, 2.0, 2.0], 1, 3)[0] - 3.0).abs() < 1e-12);
    }
}
