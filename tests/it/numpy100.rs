//! "100 numpy exercises" (github.com/rougier/numpy-100), the ones that apply to a Rust array
//! library, translated to lazygrad. `numpy100/gen.py` writes each exercise's random inputs and
//! numpy's answers; `numpy100/README.md` lists the exercises left out and why.
// numpy's `z[1:-1]` is `s![1..-1]`: a range that Rust calls empty, but `s!` reads as numpy does.
#![allow(clippy::reversed_empty_ranges)]
// The exercises ask for `nan - nan` and `z % 1` on tensors, where clippy assumes numbers.
#![allow(clippy::eq_op, clippy::modulo_one)]

use lazygrad::{
    DType, NewAxis, SliceArg, Tensor, Ufunc, arange, array, eye, linspace, linspace_endpoint,
    meshgrid, ones, s, where_, zeros,
};
use lazygrad_testutil::{check_allclose, check_array_equal};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/numpy100")
}

/// Input `k` of exercise `n`, as gen.py drew it.
fn input(n: u32, k: usize) -> Tensor {
    lazygrad::io::load(dir().join(format!("ex{n:03}_in{k}.npy"))).expect("gen.py wrote the input")
}

/// Compares exercise `n`'s results with numpy's: dtype, shape and values (floats to 1e-12).
fn check(n: u32, outputs: &[Tensor]) -> Result<(), String> {
    for (k, actual) in outputs.iter().enumerate() {
        let path = dir().join(format!("ex{n:03}_out{k}.npy"));
        let expected = lazygrad::io::load(&path).map_err(|err| format!("{err}"))?;
        let context = format!("exercise {n}, result {k}");
        if actual.dtype() != expected.dtype() {
            return Err(format!(
                "{context}: dtype {} but numpy gives {}",
                actual.dtype(),
                expected.dtype()
            ));
        }
        let values = |t: &Tensor| t.astype(DType::F64).to_vec::<f64>();
        let (got, want) = (values(actual), values(&expected));
        let got = (actual.shape(), &got[..]);
        let want = (expected.shape(), &want[..]);
        if actual.dtype().is_float() {
            check_allclose(got, want, 1e-12, 1e-12, &context)?;
        } else {
            check_array_equal(got, want, &context)?;
        }
    }
    let written = std::fs::read_dir(dir())
        .map_err(|err| err.to_string())?
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let name = entry.file_name();
            name.to_string_lossy().starts_with(&format!("ex{n:03}_out"))
        })
        .count();
    if written != outputs.len() {
        return Err(format!(
            "exercise {n}: numpy wrote {written} results, the translation gives {}",
            outputs.len()
        ));
    }
    Ok(())
}

/// One exercise: its number and its translation.
type Exercise = (u32, fn() -> Vec<Tensor>);

fn exercises() -> Vec<Exercise> {
    vec![
        // 3. A null vector of size 10.
        (3, || vec![zeros([10])]),
        // 4. The memory size of an array.
        (4, || {
            let z = zeros([10, 10]);
            vec![array((z.size() * z.itemsize()) as i64)]
        }),
        // 6. A null vector of size 10 with the fifth value 1.
        (6, || {
            let mut z = zeros([10]);
            z.index_put(s![4], 1);
            vec![z]
        }),
        // 7. Values from 10 to 49.
        (7, || vec![lazygrad::arange_step(10, 50, 1)]),
        // 8. A reversed vector.
        (8, || vec![arange(50).slice(s![..;-1])]),
        // 9. A 3x3 matrix of 0 to 8.
        (9, || vec![arange(9).reshape([3, 3])]),
        // 10. The indices of the nonzero elements.
        (10, || vec![array([1, 2, 0, 0, 4, 0]).nonzero()[0].clone()]),
        // 11. A 3x3 identity matrix.
        (11, || vec![eye(3)]),
        // 13. The min and max of a random 10x10 array.
        (13, || {
            let z = input(13, 0);
            vec![z.min(), z.max()]
        }),
        // 14. The mean of a random vector.
        (14, || vec![input(14, 0).mean()]),
        // 15. Ones on the border, zeros inside.
        (15, || {
            let mut z = ones([10, 10]);
            z.index_put(s![1..-1, 1..-1], 0);
            vec![z]
        }),
        // 16. A border of zeros around an array.
        (16, || vec![ones([5, 5]).pad(&[(1, 1), (1, 1)], 0)]),
        // 17. NaN in arithmetic and comparisons.
        (17, || {
            let nan = array(f64::NAN);
            let inf = array(f64::INFINITY);
            let values = [
                &nan * 0.0,
                nan.equal(&nan).astype(DType::F64),
                inf.greater(&nan).astype(DType::F64),
                &nan - &nan,
                array(0.3).equal(&(array(0.1) * 3.0)).astype(DType::F64),
            ];
            vec![lazygrad::stack(&values.iter().collect::<Vec<_>>(), 0)]
        }),
        // 18. 1, 2, 3, 4 just below the diagonal.
        (18, || vec![lazygrad::diag(&(arange(4) + 1), -1)]),
        // 19. A checkerboard.
        (19, || {
            let mut z = zeros([8, 8]).astype(DType::I64);
            z.index_put(s![1..;2, ..;2], 1);
            z.index_put(s![..;2, 1..;2], 1);
            vec![z]
        }),
        // 20. The index (x, y, z) of the 100th element of a (6, 7, 8) array.
        (20, || {
            let index = lazygrad::unravel_index(&array(99), [6, 7, 8]);
            vec![lazygrad::stack(&index.iter().collect::<Vec<_>>(), 0)]
        }),
        // 21. A checkerboard with tile.
        (21, || vec![array([[0, 1], [1, 0]]).tile(&[4, 4])]),
        // 22. Normalize a random matrix.
        (22, || {
            let z = input(22, 0);
            vec![(&z - &z.mean()) / z.std(0)]
        }),
        // 24. A 5x3 matrix times a 3x2 matrix.
        (24, || vec![input(24, 0).matmul(&input(24, 1))]),
        // 25. Negate the elements between 3 and 8.
        (25, || {
            let mut z = input(25, 0);
            let between = z.gt(3).logical_and(z.lt(8));
            z = where_(&between, -&z, &z);
            vec![z]
        }),
        // 26. np.sum(range(5), -1): the axis, not a start value.
        (26, || vec![arange(5).sum_axes([-1], false)]),
        // 27. Legal expressions on an integer vector.
        (27, || {
            let z = input(27, 0);
            vec![z.pow(&z), 2 << &z >> 2, z.lt(-&z), &z / 1 / 1]
        }),
        // 28. 0 // 0 and 0.0 / 0.0.
        (28, || {
            vec![array(0).floor_divide(array(0)), array(0.0) / array(0.0)]
        }),
        // 29. Round away from zero.
        (29, || {
            let z = input(29, 0);
            vec![z.abs().ceil().copysign(&z)]
        }),
        // 30. The values two arrays have in common.
        (30, || {
            vec![lazygrad::intersect1d(&input(30, 0), &input(30, 1))]
        }),
        // 35. ((A + B) * (-A / 2)).
        (35, || {
            let (a, b) = (input(35, 0), input(35, 1));
            vec![(&a + &b) * (-&a / 2.0)]
        }),
        // 36. The integer part of random numbers, five ways.
        (36, || {
            let z = input(36, 0);
            vec![
                &z - &(&z % 1),
                z.floor_divide(1),
                z.floor(),
                z.astype(DType::I64),
                z.trunc(),
            ]
        }),
        // 37. Rows of 0 to 4.
        (37, || vec![zeros([5, 5]) + arange(5)]),
        // 39. Ten values strictly between 0 and 1.
        (39, || {
            vec![linspace_endpoint(0.0, 1.0, 11, false).slice(s![1..])]
        }),
        // 40. Sort a random vector.
        (40, || vec![input(40, 0).sort(0)]),
        // 41. Sum a small array faster than np.sum.
        (41, || vec![Ufunc::add.reduce(&arange(10), Some(0), false)]),
        // 42. Whether two arrays are equal.
        (42, || {
            let (a, b) = (input(42, 0), input(42, 1));
            vec![
                array(lazygrad::allclose(&a, &b)),
                array(lazygrad::array_equal(&a, &b)),
            ]
        }),
        // 44. Cartesian to polar coordinates.
        (44, || {
            let z = input(44, 0);
            let (x, y) = (z.slice(s![.., 0]), z.slice(s![.., 1]));
            vec![(&x * &x + &y * &y).sqrt(), y.arctan2(&x)]
        }),
        // 45. Replace the largest value by 0.
        (45, || {
            let mut z = input(45, 0);
            let at = z.argmax();
            z.index_put(s![&at], 0.0);
            vec![z]
        }),
        // 46. A grid of x and y coordinates covering [0, 1]^2.
        (46, || {
            let axis = linspace(0.0, 1.0, 5);
            meshgrid(&[&axis, &axis])
        }),
        // 47. The Cauchy matrix 1 / (x_i - y_j).
        (47, || {
            vec![1.0 / Ufunc::subtract.outer(&input(47, 0), &input(47, 1))]
        }),
        // 50. The value closest to a scalar.
        (50, || {
            let z = input(50, 0);
            let at = (&z - 0.5).abs().argmin();
            vec![z.slice(s![&at])]
        }),
        // 52. Point-by-point distances.
        (52, || {
            let z = input(52, 0);
            let (x, y) = (
                lazygrad::atleast_2d(&z.slice(s![.., 0])),
                lazygrad::atleast_2d(&z.slice(s![.., 1])),
            );
            let (dx, dy) = (&x - &x.t(), &y - &y.t());
            vec![(&dx * &dx + &dy * &dy).sqrt()]
        }),
        // 53. float32 to int32.
        (53, || vec![input(53, 0).astype(DType::I32)]),
        // 56. A 2-D Gaussian.
        (56, || {
            let axis = linspace(-1.0, 1.0, 10);
            let grid = meshgrid(&[&axis, &axis]);
            let d = (&grid[0] * &grid[0] + &grid[1] * &grid[1]).sqrt();
            vec![(-((&d - 0.0).pow(2) / (2.0 * 1.0))).exp()]
        }),
        // 58. Subtract the mean of each row.
        (58, || {
            let x = input(58, 0);
            vec![&x - &x.mean_axes([1], true)]
        }),
        // 59. Sort rows by the second column.
        (59, || {
            let z = input(59, 0);
            vec![z.slice(s![&z.slice(s![.., 1]).argsort(0)])]
        }),
        // 60. Whether a 2-D array has null columns.
        (60, || {
            vec![input(60, 0).any_axes([0], false).logical_not().any()]
        }),
        // 61. The nearest value, through the flat index.
        (61, || {
            let z = input(61, 0);
            vec![z.ravel().slice(s![&(&z - 0.5).abs().argmin()])]
        }),
        // 62. (1, 3) plus (3, 1) arrays.
        (62, || {
            vec![arange(3).reshape([3, 1]) + arange(3).reshape([1, 3])]
        }),
        // 64. Add 1 at indices, repeated ones too.
        (64, || {
            let mut z = input(64, 0);
            Ufunc::add.at(&mut z, s![&input(64, 1)], 1.0);
            vec![z]
        }),
        // 65. Accumulate X into F at the indices I.
        (65, || vec![input(65, 1).bincount(Some(&input(65, 0)), 0)]),
        // 66. The number of distinct colours of an image.
        (66, || {
            let img = input(66, 0).astype(DType::I64);
            let channel = |c: isize| img.slice(s![.., .., c]);
            let colours = channel(0) * 65536 + channel(1) * 256 + channel(2);
            vec![array(colours.unique().size() as i64)]
        }),
        // 67. Sum over the last two axes at once.
        (67, || vec![input(67, 0).sum_axes([-2, -1], false)]),
        // 68. Means of subsets by index.
        (68, || {
            let (d, s) = (input(68, 0), input(68, 1));
            vec![s.bincount(Some(&d), 0) / s.bincount(None, 0)]
        }),
        // 69. The diagonal of a product.
        (69, || {
            let (a, b) = (input(69, 0), input(69, 1));
            vec![
                lazygrad::diag(&a.dot(&b), 0),
                (&a * &b.t()).sum_axes([1], false),
            ]
        }),
        // 70. Three zeros between the values of a vector.
        (70, || {
            let z = array([1.0, 2.0, 3.0, 4.0, 5.0]);
            let mut z0 = zeros([5 + 4 * 3]);
            z0.index_put(s![..;4], &z);
            vec![z0]
        }),
        // 71. (5, 5, 3) times (5, 5).
        (71, || {
            let (a, b) = (input(71, 0), input(71, 1));
            vec![&a * &b.slice(s![.., .., NewAxis])]
        }),
        // 72. Swap two rows.
        (72, || {
            let mut a = input(72, 0);
            let swapped = a.slice(s![&array([1, 0])]);
            a.index_put(s![&array([0, 1])], &swapped);
            vec![a]
        }),
        // 74. An array whose bincount is C.
        (74, || {
            let c = input(74, 0);
            vec![arange(c.size() as i64).repeat_counts(&c, None)]
        }),
        // 75. Means over a sliding window of 3, with cumsum.
        (75, || {
            let ret = input(75, 0).astype(DType::F64).cumsum();
            let n = 3;
            let mut ret2 = ret.clone();
            ret2.index_put(s![n..], &(&ret.slice(s![n..]) - &ret.slice(s![..-n])));
            vec![ret2.slice(s![n - 1..]) / n as f64]
        }),
        // 76. Rows of three shifted by one, as a strided view.
        (76, || vec![input(76, 0).as_strided([8, 3], &[1, 1], 0)]),
        // 77. Negate a boolean and a float array.
        (77, || {
            vec![input(77, 0).logical_not(), input(77, 1).negative()]
        }),
        // 81. Windows of four over 1..14, as a strided view.
        (81, || vec![input(81, 0).as_strided([11, 4], &[1, 1], 0)]),
        // 83. The most frequent value.
        (83, || vec![input(83, 0).bincount(None, 0).argmax()]),
        // 84. Every contiguous 3x3 block of a 10x10 matrix.
        (84, || {
            vec![input(84, 0).as_strided([8, 8, 3, 3], &[10, 1, 10, 1], 0)]
        }),
        // 87. Block sums of 4x4 blocks.
        (87, || {
            let z = input(87, 0);
            let starts = [0, 4, 8, 12];
            let rows = Ufunc::add.reduceat(&z, &starts, 0);
            vec![Ufunc::add.reduceat(&rows, &starts, 1)]
        }),
        // 88. Ten steps of the Game of Life.
        (88, || {
            let mut z = input(88, 0);
            for _ in 0..10 {
                let at = |r: std::ops::Range<isize>, c: std::ops::Range<isize>| {
                    z.slice([SliceArg::from(r), SliceArg::from(c)])
                };
                let (lo, mid, hi) = (0..-2, 1..-1, 2..20);
                let n = at(lo.clone(), lo.clone())
                    + at(lo.clone(), mid.clone())
                    + at(lo.clone(), hi.clone())
                    + at(mid.clone(), lo.clone())
                    + at(mid.clone(), hi.clone())
                    + at(hi.clone(), lo.clone())
                    + at(hi.clone(), mid.clone())
                    + at(hi.clone(), hi.clone());
                let centre = at(mid.clone(), mid.clone());
                let birth = n.equal(3).logical_and(centre.equal(0));
                let survive = n
                    .equal(2)
                    .logical_or(n.equal(3))
                    .logical_and(centre.equal(1));
                let alive = birth.logical_or(survive).astype(z.dtype());
                z = zeros_like_i64(&z);
                z.index_put(s![1..-1, 1..-1], &alive);
            }
            vec![z]
        }),
        // 89. The five largest values, by argsort and by argpartition.
        (89, || {
            let z = input(89, 0);
            vec![
                z.slice(s![&z.argsort(0).slice(s![-5..])]),
                z.slice(s![&(-&z).argpartition(5, 0).slice(s![..5])])
                    .sort(0),
            ]
        }),
        // 90. The cartesian product of ranges, through indices.
        (90, || {
            vec![lazygrad::indices([3, 2, 2]).reshape([3, -1]).t()]
        }),
        // 92. x cubed two ways.
        (92, || {
            let x = input(92, 0);
            vec![x.pow(3), &x * &x * &x]
        }),
        // 94. Rows whose values are not all equal.
        (94, || {
            let z = input(94, 0);
            let unequal = z.max_axes([1], false).not_equal(z.min_axes([1], false));
            vec![z.slice(s![&unequal, ..])]
        }),
        // 95. Integers to rows of bits.
        (95, || {
            let i = input(95, 0).reshape([-1, 1]);
            let bits = (i & lazygrad::pow(2, arange(8))).not_equal(0);
            vec![bits.astype(DType::I64)]
        }),
        // 99. Rows of whole numbers summing to 4.
        (99, || {
            let x = input(99, 0);
            let whole = Ufunc::logical_and.reduce(&(&x % 1.0).equal(0.0), Some(-1), false);
            let rows = whole.logical_and(x.sum_axes([-1], false).equal(4.0));
            vec![x.slice(s![&rows])]
        }),
        // 100. Mean and standard deviation of a sample.
        (100, || {
            let x = input(100, 0);
            vec![lazygrad::stack(&[&x.mean(), &x.std(0)], 0)]
        }),
    ]
}

/// Zeros of `z`'s shape and dtype.
fn zeros_like_i64(z: &Tensor) -> Tensor {
    lazygrad::zeros_like(z).astype(z.dtype())
}

#[test]
fn every_translated_exercise_matches_numpy() {
    let exercises = exercises();
    let mut failures = Vec::new();
    for (n, translation) in &exercises {
        if let Err(err) = check(*n, &translation()) {
            failures.push(err);
        }
    }
    let readme = std::fs::read_to_string(dir().join("README.md")).expect("gen.py wrote it");
    let left_out = readme.lines().filter(|line| line.starts_with("- ")).count();
    assert_eq!(
        exercises.len() + left_out,
        100,
        "every exercise is translated or listed"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
