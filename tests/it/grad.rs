//! Gradients checked by numbers: one table of rows drives a central finite-difference check in
//! float64 of every differentiable op, in every input layout, plus hand-derived cases.
//!
//! The check is JAX's `check_vjp`: for a random cotangent `v` of the output and a random
//! direction `u` of the inputs, `<u, vjp(v)>` must equal `<(f(x + eps u) - f(x - eps u)) / 2eps, v>`.
//! A tidy test fails if a primitive of the op table has no row here and is not listed as
//! non-differentiable.

use crate::util::{LAYOUTS, Layout, tensor};
use lazygrad::linalg::{Ord, norm_with};
use lazygrad::{DType, Tensor, Ufunc, array, s};
use lazygrad_ir::{
    BinaryOp, CompareOp, Movement, Op, ReduceOp, ScatterMode, Shape, SliceAxis, UnaryOp, Value,
};
use lazygrad_testutil::{Npy, NpyData};

/// Where a row's input values are drawn from.
#[derive(Clone, Copy, Debug)]
enum Domain {
    /// Uniform in `[-1, 1)`.
    Any,
    /// Uniform in `[0.5, 2)`: for `log`, `sqrt` and bases of `pow`.
    Positive,
    /// `[0.5, 2)` with a random sign: away from kinks and poles at 0.
    AwayFromZero,
    /// Uniform in `[-1, 1)` with the listed flat positions set to exactly 0.
    Zeros(&'static [usize]),
}

/// One row: a function of float64 inputs and the primitives whose rules it exercises.
struct Row {
    name: &'static str,
    primitives: &'static [&'static str],
    inputs: Vec<(Vec<usize>, Domain)>,
    f: fn(&[Tensor]) -> Tensor,
    /// The finite-difference step.
    eps: f64,
    /// The allowed difference, relative to `max(1, |lhs|, |rhs|)`.
    tol: f64,
}

fn row(
    name: &'static str,
    primitives: &'static [&'static str],
    inputs: &[(&[usize], Domain)],
    f: fn(&[Tensor]) -> Tensor,
) -> Row {
    Row {
        name,
        primitives,
        inputs: inputs.iter().map(|(s, d)| (s.to_vec(), *d)).collect(),
        f,
        eps: 1e-5,
        tol: 1e-6,
    }
}

use Domain::{Any, AwayFromZero, Positive, Zeros};

/// The table: every differentiable op, contiguous or strided as the check decides.
fn rows() -> Vec<Row> {
    let m23: &[usize] = &[2, 3];
    let t234: &[usize] = &[2, 3, 4];
    let mut rows = vec![
        row("negative", &["negative"], &[(m23, Any)], |x| -&x[0]),
        row("abs", &["abs"], &[(m23, AwayFromZero)], |x| x[0].abs()),
        row("sign", &["sign"], &[(m23, AwayFromZero)], |x| {
            &x[0].sign() * &x[0]
        }),
        row("sqrt", &["sqrt"], &[(m23, Positive)], |x| x[0].sqrt()),
        row("exp", &["exp"], &[(m23, Any)], |x| x[0].exp()),
        row("log", &["log"], &[(m23, Positive)], |x| x[0].log()),
        row("sin", &["sin"], &[(m23, Any)], |x| x[0].sin()),
        row("cos", &["cos"], &[(m23, Any)], |x| x[0].cos()),
        row("tanh", &["tanh"], &[(m23, Any)], |x| x[0].tanh()),
        row("reciprocal", &["reciprocal"], &[(m23, AwayFromZero)], |x| {
            x[0].reciprocal()
        }),
        // Piecewise constant, so zero; multiplying by `x` makes the check see a nonzero total.
        row("floor", &["floor"], &[(m23, AwayFromZero)], |x| {
            &x[0].floor() * &x[0]
        }),
        row("ceil", &["ceil"], &[(m23, AwayFromZero)], |x| {
            &x[0].ceil() * &x[0]
        }),
        row("trunc", &["trunc"], &[(m23, AwayFromZero)], |x| {
            &x[0].trunc() * &x[0]
        }),
        row("rint", &["rint"], &[(m23, AwayFromZero)], |x| {
            &x[0].rint() * &x[0]
        }),
        row("tan", &["tan"], &[(m23, Any)], |x| x[0].tan()),
        // Inside (-1/2, 1/2), away from the poles of the derivatives at -1 and 1.
        row("arcsin", &["arcsin"], &[(m23, Any)], |x| {
            (&x[0] * 0.5).arcsin()
        }),
        row("arccos", &["arccos"], &[(m23, Any)], |x| {
            (&x[0] * 0.5).arccos()
        }),
        row("arctan", &["arctan"], &[(m23, Any)], |x| x[0].arctan()),
        row("sinh", &["sinh"], &[(m23, Any)], |x| x[0].sinh()),
        row("cosh", &["cosh"], &[(m23, Any)], |x| x[0].cosh()),
        row("arcsinh", &["arcsinh"], &[(m23, Any)], |x| x[0].arcsinh()),
        row("arccosh", &["arccosh"], &[(m23, Positive)], |x| {
            (&x[0] + 2.0).arccosh()
        }),
        row("arctanh", &["arctanh"], &[(m23, Any)], |x| {
            (&x[0] * 0.5).arctanh()
        }),
        row("log2", &["log2"], &[(m23, Positive)], |x| x[0].log2()),
        row("log10", &["log10"], &[(m23, Positive)], |x| x[0].log10()),
        row("log1p", &["log1p"], &[(m23, Any)], |x| x[0].log1p()),
        row("expm1", &["expm1"], &[(m23, Any)], |x| x[0].expm1()),
        row("exp2", &["exp2"], &[(m23, Any)], |x| x[0].exp2()),
        row("cbrt", &["cbrt"], &[(m23, AwayFromZero)], |x| x[0].cbrt()),
        row("fmax", &["fmax"], &[(m23, Any), (m23, Any)], |x| {
            x[0].fmax(&x[1])
        }),
        row("fmin", &["fmin"], &[(m23, Any), (m23, Any)], |x| {
            x[0].fmin(&x[1])
        }),
        row(
            "arctan2",
            &["arctan2"],
            &[(m23, AwayFromZero), (m23, AwayFromZero)],
            |x| x[0].arctan2(&x[1]),
        ),
        row(
            "hypot",
            &["hypot"],
            &[(m23, Any), (m23, AwayFromZero)],
            |x| x[0].hypot(&x[1]),
        ),
        row(
            "copysign",
            &["copysign"],
            &[(m23, AwayFromZero), (m23, AwayFromZero)],
            |x| x[0].copysign(&x[1]),
        ),
        row(
            "fmod",
            &["fmod"],
            &[(m23, AwayFromZero), (m23, AwayFromZero)],
            |x| (&x[0] * 3.0).fmod(&x[1]),
        ),
        row(
            "logaddexp",
            &["logaddexp"],
            &[(m23, Any), (m23, Any)],
            |x| x[0].logaddexp(&x[1]),
        ),
        row(
            "logaddexp2",
            &["logaddexp2"],
            &[(m23, Any), (m23, Any)],
            |x| x[0].logaddexp2(&x[1]),
        ),
        row("deg2rad", &[], &[(m23, Any)], |x| x[0].deg2rad()),
        row("rad2deg", &[], &[(m23, Any)], |x| x[0].rad2deg()),
        row("round", &[], &[(m23, AwayFromZero)], |x| {
            &x[0].round(1) * &x[0]
        }),
        row("nan_to_num", &[], &[(m23, Any)], |x| x[0].nan_to_num()),
        row("heaviside", &[], &[(m23, AwayFromZero)], |x| {
            &x[0].heaviside(0.5) * &x[0]
        }),
        row("ufunc_outer", &[], &[(m23, Any), (&[3], Any)], |x| {
            Ufunc::multiply.outer(&x[0], &x[1])
        }),
        row("ufunc_reduce_subtract", &[], &[(t234, Any)], |x| {
            Ufunc::subtract.reduce(&x[0], Some(1), false)
        }),
        row(
            "ufunc_accumulate_divide",
            &[],
            &[(m23, AwayFromZero)],
            |x| Ufunc::divide.accumulate(&x[0], 1),
        ),
        row(
            "ufunc_accumulate_maximum",
            &["cummax"],
            &[(t234, Any)],
            |x| Ufunc::maximum.accumulate(&x[0], 2),
        ),
        row(
            "ufunc_accumulate_minimum",
            &["cummin"],
            &[(t234, Any)],
            |x| Ufunc::minimum.accumulate(&x[0], 0),
        ),
        row("ufunc_reduceat", &[], &[(t234, Any)], |x| {
            Ufunc::hypot.reduceat(&x[0], &[0, 2, 1], 2)
        }),
        row(
            "ufunc_at",
            &[],
            &[(&[5], AwayFromZero), (&[5], AwayFromZero)],
            |x| {
                let mut a = x[0].clone();
                Ufunc::multiply.at(&mut a, s![&array([0, 0, 2, 3, 0])], &x[1]);
                a
            },
        ),
        row("nanprod", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanprod(Some(&[1]), false)
        }),
        row("nancumsum", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nancumsum(Some(2))
        }),
        row("nancumprod", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nancumprod(None)
        }),
        row("diff", &[], &[(t234, Any)], |x| x[0].diff(2, 1)),
        row("ediff1d", &[], &[(m23, Any)], |x| x[0].ediff1d()),
        row("modf", &[], &[(m23, AwayFromZero)], |x| {
            let (frac, whole) = (&x[0] * 3.0).modf();
            frac + &whole * &x[0]
        }),
        row("fliplr_flipud", &[], &[(m23, Any)], |x| {
            x[0].fliplr().flipud()
        }),
        row("diagflat", &[], &[(m23, Any)], |x| {
            lazygrad::diagflat(&x[0], -1)
        }),
        row("nanquantile", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanquantile([0.3, 0.8], Some(&[2]), false)
        }),
        row("square", &[], &[(m23, Any)], |x| x[0].square()),
        row("add", &["add"], &[(m23, Any), (m23, Any)], |x| {
            &x[0] + &x[1]
        }),
        row("subtract", &["subtract"], &[(m23, Any), (m23, Any)], |x| {
            &x[0] - &x[1]
        }),
        row("multiply", &["multiply"], &[(m23, Any), (m23, Any)], |x| {
            &x[0] * &x[1]
        }),
        row(
            "divide",
            &["divide"],
            &[(m23, Any), (m23, AwayFromZero)],
            |x| &x[0] / &x[1],
        ),
        // Piecewise constant, so zero; multiplying by `x` makes the check see a nonzero total.
        row(
            "floor_divide",
            &["floor_divide"],
            &[(m23, AwayFromZero), (m23, AwayFromZero)],
            |x| &(&x[0] * 3.0).floor_divide(&x[1]) * &x[0],
        ),
        row(
            "remainder",
            &["remainder"],
            &[(m23, AwayFromZero), (m23, AwayFromZero)],
            |x| &(&x[0] * 3.0) % &x[1],
        ),
        row("power", &["power"], &[(m23, Positive), (m23, Any)], |x| {
            x[0].pow(&x[1])
        }),
        row("power_literal", &[], &[(m23, Any)], |x| x[0].pow(3)),
        row("maximum", &["maximum"], &[(m23, Any), (m23, Any)], |x| {
            x[0].maximum(&x[1])
        }),
        row("minimum", &["minimum"], &[(m23, Any), (m23, Any)], |x| {
            x[0].minimum(&x[1])
        }),
        row("relu", &[], &[(m23, AwayFromZero)], |x| x[0].maximum(0.0)),
        row("clip", &[], &[(m23, Any)], |x| x[0].clip(-0.5, 0.5)),
        row(
            "add_broadcast",
            &["expand"],
            &[(&[3, 1], Any), (&[4], Any)],
            |x| &x[0] + &x[1],
        ),
        row(
            "multiply_broadcast_3d",
            &["expand"],
            &[(t234, Any), (&[3, 1], Any)],
            |x| &x[0] * &x[1],
        ),
        row("where", &["where"], &[(m23, Any), (&[3], Any)], |x| {
            let cond = array([[true, false, true], [false, false, true]]);
            lazygrad::where_(&cond, &x[0], &x[1])
        }),
        row("where_self_mask", &[], &[(m23, AwayFromZero)], |x| {
            lazygrad::where_(&x[0].lt(0.0), 0.0, &x[0])
        }),
        row("sum_all", &["sum"], &[(t234, Any)], |x| x[0].sum()),
        row("sum_axis1", &["sum"], &[(t234, Any)], |x| x[0].sum_axis(1)),
        row("sum_axes02_keepdims", &["sum"], &[(t234, Any)], |x| {
            x[0].sum_axes([0, 2], true)
        }),
        row("prod_all", &["prod"], &[(m23, Positive)], |x| x[0].prod()),
        row("prod_axis1", &["prod"], &[(t234, Any)], |x| {
            x[0].prod_axes([1], false)
        }),
        row("prod_one_zero", &["prod"], &[(m23, Zeros(&[4]))], |x| {
            x[0].prod_axes([1], false)
        }),
        row("prod_two_zeros", &["prod"], &[(m23, Zeros(&[3, 5]))], |x| {
            x[0].prod()
        }),
        row("max_axis1", &["max"], &[(t234, Any)], |x| x[0].max_axis(1)),
        row("max_all", &["max"], &[(t234, Any)], |x| x[0].max()),
        row("min_axis0_keepdims", &["min"], &[(t234, Any)], |x| {
            x[0].min_axes([0], true)
        }),
        row("mean_axis2", &[], &[(t234, Any)], |x| {
            x[0].mean_axes([2], false)
        }),
        row("var", &[], &[(t234, Any)], |x| x[0].var(0)),
        row("var_ddof1_axis1", &[], &[(t234, Any)], |x| {
            x[0].var_axes([1], 1, false)
        }),
        row("std_axis0", &[], &[(t234, Any)], |x| {
            x[0].std_axes([0], 0, true)
        }),
        row("norm", &[], &[(t234, Any)], |x| {
            lazygrad::linalg::norm(&x[0])
        }),
        row("norm_vec_1", &[], &[(&[5], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::P(1.0), None, false)
        }),
        row("norm_vec_3", &[], &[(&[5], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::P(3.0), None, false)
        }),
        row("norm_vec_inf", &[], &[(&[5], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::Inf, None, false)
        }),
        row("norm_vec_neginf", &[], &[(&[5], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::NegInf, None, false)
        }),
        row("norm_mat_fro", &[], &[(&[3, 4], Any)], |x| {
            norm_with(&x[0], Ord::Fro, None, false)
        }),
        row("norm_mat_1", &[], &[(&[3, 4], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::P(1.0), None, false)
        }),
        row("norm_mat_inf", &[], &[(&[3, 4], AwayFromZero)], |x| {
            norm_with(&x[0], Ord::Inf, None, false)
        }),
        row("norm_axis1_keepdims", &[], &[(&[3, 4], Any)], |x| {
            norm_with(&x[0], Ord::P(2.0), Some(&[1]), true)
        }),
        row("cumsum_axis0", &["cumsum"], &[(t234, Any)], |x| {
            x[0].cumsum_axis(0)
        }),
        row("cumsum_axis2", &["cumsum"], &[(t234, Any)], |x| {
            x[0].cumsum_axis(2)
        }),
        row("cumsum_flat", &["cumsum"], &[(m23, Any)], |x| x[0].cumsum()),
        row(
            "cumprod_axis1",
            &["cumprod"],
            &[(t234, AwayFromZero)],
            |x| x[0].cumprod_axis(1),
        ),
        row(
            "cumprod_zeros",
            &["cumprod"],
            &[(&[2, 5], Zeros(&[2, 6, 8]))],
            |x| x[0].cumprod_axis(1),
        ),
        row(
            "matmul_2d",
            &["matmul"],
            &[(&[3, 4], Any), (&[4, 2], Any)],
            |x| x[0].matmul(&x[1]),
        ),
        row(
            "matmul_1d_2d",
            &["matmul"],
            &[(&[4], Any), (&[4, 2], Any)],
            |x| x[0].matmul(&x[1]),
        ),
        row(
            "matmul_2d_1d",
            &["matmul"],
            &[(&[3, 4], Any), (&[4], Any)],
            |x| x[0].matmul(&x[1]),
        ),
        row("dot_1d", &["matmul"], &[(&[5], Any), (&[5], Any)], |x| {
            x[0].dot(&x[1])
        }),
        row(
            "matmul_batched",
            &["matmul"],
            &[(&[2, 3, 4], Any), (&[2, 4, 5], Any)],
            |x| x[0].matmul(&x[1]),
        ),
        row(
            "matmul_batch_broadcast",
            &["matmul", "expand"],
            &[(&[2, 3, 4], Any), (&[4, 5], Any)],
            |x| x[0].matmul(&x[1]),
        ),
        row(
            "dot_nd",
            &["matmul"],
            &[(&[2, 3, 4], Any), (&[2, 4, 3], Any)],
            |x| x[0].dot(&x[1]),
        ),
        row("reshape", &["reshape"], &[(t234, Any)], |x| {
            x[0].reshape([4, -1])
        }),
        row("transpose", &["permute"], &[(m23, Any)], |x| x[0].t()),
        row("permute_3d", &["permute"], &[(t234, Any)], |x| {
            x[0].permute(&[2, 0, 1])
        }),
        row("swapaxes", &["permute"], &[(t234, Any)], |x| {
            x[0].swapaxes(0, 2)
        }),
        row("broadcast_to", &["expand"], &[(&[3, 1], Any)], |x| {
            x[0].broadcast_to([2, 3, 4])
        }),
        row("expand_dims_squeeze", &["reshape"], &[(m23, Any)], |x| {
            x[0].expand_dims(1).squeeze()
        }),
        row("ravel", &["reshape"], &[(t234, Any)], |x| x[0].ravel()),
        row("slice_basic", &["slice"], &[(t234, Any)], |x| {
            x[0].slice(s![.., 1..3, 1..])
        }),
        row("slice_steps", &["slice"], &[(&[5, 7], Any)], |x| {
            x[0].slice(s![1..;2, ..;3])
        }),
        row("slice_negative_steps", &["slice"], &[(&[5, 7], Any)], |x| {
            x[0].slice(s![..;-2, 5..;-3])
        }),
        row("flip", &["slice"], &[(t234, Any)], |x| x[0].flip(1)),
        row("index_int", &["slice"], &[(t234, Any)], |x| {
            x[0].slice(s![1, .., -1])
        }),
        row("pad", &["pad"], &[(m23, Any)], |x| {
            x[0].pad(&[(1, 2), (0, 3)], 0.5)
        }),
        row(
            "concatenate",
            &["concatenate"],
            &[(m23, Any), (&[2, 2], Any)],
            |x| lazygrad::concatenate(&[&x[0], &x[1]], 1),
        ),
        row("stack", &[], &[(m23, Any), (m23, Any)], |x| {
            lazygrad::stack(&[&x[0], &x[1]], 0)
        }),
        row("gather_repeated", &["gather"], &[(&[4, 3], Any)], |x| {
            x[0].slice(s![&array([2, 0, 2, -1])])
        }),
        row("gather_2d", &["gather"], &[(&[4, 3], Any)], |x| {
            x[0].slice(s![&array([[0, 1], [3, 3]]), &array([2, 2])])
        }),
        row("take_along_axis", &["gather"], &[(&[3, 4], Any)], |x| {
            x[0].take_along_axis(&array([[3, 0], [1, 1], [2, 0]]), 1)
        }),
        row(
            "index_put_repeated",
            &["scatter"],
            &[(&[5, 3], Any), (&[4, 3], Any)],
            |x| {
                x[0].try_index_put(s![&array([1, 3, 1, 0])], &x[1])
                    .expect("valid indices")
            },
        ),
        row(
            "add_at_repeated",
            &["scatter_add"],
            &[(&[5, 3], Any), (&[4, 3], Any)],
            |x| {
                let mut a = x[0].clone();
                a.add_at(s![&array([1, 3, 1, 0])], &x[1]);
                a
            },
        ),
        row("sort", &["sort"], &[(&[3, 5], Any)], |x| x[0].sort(-1)),
        row("sort_axis0", &["sort"], &[(&[3, 5], Any)], |x| x[0].sort(0)),
        // The random reorderings gather rows by drawn indices; a fixed seed draws the same
        // indices for every evaluation of the finite difference.
        row("random_permutation", &[], &[(&[4, 3], Any)], |x| {
            lazygrad::random::Generator::new(1).permutation(&x[0])
        }),
        row("random_choice", &[], &[(&[4, 3], Any)], |x| {
            lazygrad::random::Generator::new(2).choice(
                &x[0],
                [5],
                true,
                Some(&[0.1, 0.2, 0.3, 0.4]),
            )
        }),
        row("random_shuffle", &[], &[(&[4, 3], Any)], |x| {
            let mut a = x[0].clone();
            lazygrad::random::Generator::new(3).shuffle(&mut a);
            a
        }),
        // Statistics (issue 17): sorts, gathers and reductions underneath. The nan rows put NaN
        // at fixed positions (`with_nan`), which must get zero gradient.
        row("median_axis1", &[], &[(t234, Any)], |x| {
            x[0].median(Some(&[1]), false)
        }),
        row("median_even_all", &[], &[(&[2, 4], Any)], |x| {
            x[0].median(None, true)
        }),
        row("percentile_axes02", &[], &[(t234, Any)], |x| {
            x[0].percentile(30.0, Some(&[0, 2]), false)
        }),
        row("quantile_list_axis0", &[], &[(t234, Any)], |x| {
            x[0].quantile([0.1, 0.5, 0.75], Some(&[0]), false)
        }),
        row(
            "average_weights",
            &[],
            &[(m23, Any), (&[3], Positive)],
            |x| x[0].average(Some(&[1]), Some(&x[1]), false),
        ),
        row(
            "average_returned_weights_full",
            &[],
            &[(m23, Any), (m23, Positive)],
            |x| {
                let (avg, total) = x[0].average_returned(None, Some(&x[1]), true);
                &avg * &total.sqrt()
            },
        ),
        row("ptp_axis0", &[], &[(t234, Any)], |x| {
            x[0].ptp(Some(&[0]), false)
        }),
        row("cov", &[], &[(&[3, 5], Any)], |x| {
            lazygrad::cov(&x[0], None, true, false, None)
        }),
        row(
            "cov_rowvar0_y_bias",
            &[],
            &[(&[5, 2], Any), (&[5], Any)],
            |x| lazygrad::cov(&x[0], Some(&x[1]), false, true, None),
        ),
        row("corrcoef", &[], &[(&[3, 5], Any)], |x| {
            lazygrad::corrcoef(&x[0], None, true)
        }),
        row("nansum_axis1", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nansum(Some(&[1]), false)
        }),
        row("nanmean_axes02", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanmean(Some(&[0, 2]), true)
        }),
        row("nanvar_ddof1_axis2", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanvar(Some(&[2]), 1, false)
        }),
        row("nanstd_all", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanstd(None, 0, false)
        }),
        row("nanmax_axis1", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanmax(Some(&[1]), false)
        }),
        row("nanmin_axis0", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanmin(Some(&[0]), true)
        }),
        row("nanmedian_axis2", &[], &[(t234, Any)], |x| {
            with_nan(&x[0]).nanmedian(Some(&[2]), false)
        }),
        row("bincount_weights", &[], &[(&[6], Any)], |x| {
            array([0, 3, 1, 3, 3, 0]).bincount(Some(&x[0]), 5)
        }),
    ];
    rows.extend(manip_rows());
    rows.push(Row {
        // float64 -> float32 -> float64 rounds to float32's precision, so the step is larger and
        // the tolerance looser; a wrong rule is still off by the size of the gradient.
        eps: 1e-2,
        tol: 1e-4,
        ..row("cast", &["cast"], &[(m23, Any)], |x| {
            &x[0].astype(DType::F32).astype(DType::F64) * 3.0
        })
    });
    rows
}

/// The manipulation and index helpers (issue 17's manip slice): compositions of the movement,
/// concatenation, gather, scatter and `where` primitives, so they list no primitive of their own.
fn manip_rows() -> Vec<Row> {
    let m23: &[usize] = &[2, 3];
    let t234: &[usize] = &[2, 3, 4];
    vec![
        row("roll_axes", &[], &[(m23, Any)], |x| {
            x[0].roll_axes(&[1, -2], &[0, 1])
        }),
        row("roll_flat", &[], &[(m23, Any)], |x| x[0].roll(2, None)),
        row("rot90", &[], &[(m23, Any)], |x| x[0].rot90(1, [0, 1])),
        row("rot90_3d", &[], &[(t234, Any)], |x| x[0].rot90(-1, [2, 0])),
        row("moveaxis", &[], &[(t234, Any)], |x| {
            x[0].moveaxis([0, 1], [-1, -2])
        }),
        row("atleast_3d", &[], &[(&[3], Any)], |x| {
            lazygrad::atleast_3d(&x[0])
        }),
        row("column_stack", &[], &[(&[3], Any), (&[3, 2], Any)], |x| {
            lazygrad::column_stack(&[&x[0], &x[1]])
        }),
        row("dstack", &[], &[(m23, Any), (m23, Any)], |x| {
            lazygrad::dstack(&[&x[0], &x[1]])
        }),
        row("append", &[], &[(m23, Any), (&[3], Any)], |x| {
            lazygrad::append(&x[0], &x[1], None)
        }),
        row("insert_scalar", &[], &[(m23, Any), (&[2], Any)], |x| {
            lazygrad::insert(&x[0], 1, &x[1], Some(1))
        }),
        row("insert_list", &[], &[(m23, Any), (m23, Any)], |x| {
            lazygrad::insert(&x[0], array([2, 0, 2]), &x[1], Some(1))
        }),
        row("delete_list", &[], &[(&[2, 4], Any)], |x| {
            lazygrad::delete(&x[0], array([0, 2]), Some(1))
        }),
        row("delete_range_flat", &[], &[(m23, Any)], |x| {
            lazygrad::delete(&x[0], 1..4, None)
        }),
        row("repeat_counts", &[], &[(m23, Any)], |x| {
            x[0].repeat_counts(&array([2, 0, 1]), Some(1))
        }),
        row("fill_diagonal", &[], &[(&[3, 3], Any), (&[2], Any)], |x| {
            x[0].try_fill_diagonal(&x[1]).expect("a square matrix")
        }),
        row("choose", &[], &[(m23, Any), (m23, Any), (&[3], Any)], |x| {
            let index = array([[0, 1, 2], [2, 1, 0]]);
            lazygrad::choose(&index, &[&x[0], &x[1], &x[2]])
        }),
        row("select", &[], &[(m23, Any), (m23, Any)], |x| {
            let first = array([[true, false, false], [false, true, false]]);
            let second = array([true, true, false]);
            lazygrad::select(&[&first, &second], &[&x[0], &x[1]], 0.5)
        }),
        row(
            "broadcast_arrays",
            &[],
            &[(&[2, 1], Any), (&[3], Any)],
            |x| {
                let both = lazygrad::broadcast_arrays(&[&x[0], &x[1]]);
                &both[0] * &both[1]
            },
        ),
        row("array_split", &[], &[(&[2, 5], Any)], |x| {
            let parts = x[0].array_split(3, 1);
            lazygrad::concatenate(&[&parts[2], &parts[0]], 1)
        }),
    ]
}

/// `x` with NaN at every fifth flat position (from 1): inputs for the nan-reductions, whose
/// gradient must be zero there. Positions, not values, decide, so finite differences see the same
/// NaN, and no slice along one axis of a (2, 3, 4) input is NaN only (its elements lie 1, 4 or 12
/// apart, none a multiple of 5).
fn with_nan(x: &Tensor) -> Tensor {
    let position = lazygrad::arange(x.size() as i64).reshape(x.shape());
    lazygrad::where_(&(&position % 5).equal(1), f64::NAN, x)
}

/// A small deterministic generator (splitmix64), so values don't depend on other crates' streams.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[-1, 1)`.
    fn symmetric(&mut self) -> f64 {
        2.0 * self.next_f64() - 1.0
    }

    fn values(&mut self, size: usize, domain: Domain) -> Vec<f64> {
        (0..size)
            .map(|idx| match domain {
                Any => self.symmetric(),
                Positive => 0.5 + 1.5 * self.next_f64(),
                AwayFromZero => {
                    let magnitude = 0.5 + 1.5 * self.next_f64();
                    if self.next_f64() < 0.5 {
                        -magnitude
                    } else {
                        magnitude
                    }
                }
                Zeros(at) if at.contains(&idx) => 0.0,
                Zeros(_) => self.symmetric(),
            })
            .collect()
    }
}

/// A float64 tensor of `shape` holding `values`, stored in `layout`.
fn input(values: &[f64], shape: &[usize], layout: Layout) -> Tensor {
    let npy = Npy {
        shape: shape.to_vec(),
        data: NpyData::F64(values.to_vec()),
    };
    tensor(&npy, layout)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Compares `<u, vjp(v)>` with the central difference `<(f(x + eps u) - f(x - eps u)) / 2eps, v>`.
///
/// `vjp` gives the gradients to check, so a test can hand in a wrong one and see the check fail.
fn check_vjp(
    row: &Row,
    layout: Layout,
    seed: u64,
    vjp: impl Fn(&Tensor, &[Tensor], &Tensor) -> Vec<Tensor>,
) -> Result<(), String> {
    let mut rng = Rng(seed);
    let xs: Vec<Vec<f64>> = row
        .inputs
        .iter()
        .map(|(shape, domain)| rng.values(shape.iter().product(), *domain))
        .collect();
    let us: Vec<Vec<f64>> = xs.iter().map(|x| rng.values(x.len(), Any)).collect();
    let build = |shift: f64| -> Vec<Tensor> {
        xs.iter()
            .zip(&us)
            .zip(&row.inputs)
            .map(|((x, u), (shape, _))| {
                let moved: Vec<f64> = x.iter().zip(u).map(|(x, u)| x + shift * u).collect();
                input(&moved, shape, layout)
            })
            .collect()
    };
    let inputs = build(0.0);
    let out = (row.f)(&inputs);
    if out.dtype() != DType::F64 {
        return Err(format!("output dtype {} is not float64", out.dtype()));
    }
    let v: Vec<f64> = rng.values(out.size(), Any);
    let cotangent = Tensor::from_vec(v.clone(), out.shape());
    let grads = vjp(&out, &inputs, &cotangent);
    let mut lhs = 0.0;
    for ((grad, x), u) in grads.iter().zip(&inputs).zip(&us) {
        if grad.shape() != x.shape() || grad.dtype() != DType::F64 {
            return Err(format!(
                "gradient {}:{} for an input {}:{}",
                grad.shape_tuple(),
                grad.dtype(),
                x.shape_tuple(),
                x.dtype()
            ));
        }
        lhs += dot(u, &grad.to_vec::<f64>());
    }
    let plus = (row.f)(&build(row.eps)).to_vec::<f64>();
    let minus = (row.f)(&build(-row.eps)).to_vec::<f64>();
    let slope: Vec<f64> = plus
        .iter()
        .zip(&minus)
        .map(|(p, m)| (p - m) / (2.0 * row.eps))
        .collect();
    let rhs = dot(&slope, &v);
    let scale = 1f64.max(lhs.abs()).max(rhs.abs());
    if (lhs - rhs).abs() <= row.tol * scale && lhs.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "<u, vjp(v)> = {lhs:.12e} but finite differences give {rhs:.12e}"
        ))
    }
}

fn autodiff_vjp(out: &Tensor, inputs: &[Tensor], cotangent: &Tensor) -> Vec<Tensor> {
    let wrt: Vec<&Tensor> = inputs.iter().collect();
    out.vjp(&wrt, cotangent)
}

#[test]
fn every_row_matches_finite_differences_in_every_layout() {
    let mut failures = Vec::new();
    for (idx, row) in rows().iter().enumerate() {
        for layout in LAYOUTS {
            let seed = 1000 + idx as u64;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_vjp(row, layout, seed, autodiff_vjp)
            }))
            .unwrap_or_else(|panic| {
                Err(format!(
                    "panicked: {}",
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                ))
            });
            if let Err(report) = result {
                failures.push(format!("{} [{layout:?}]: {report}", row.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_check_fails_on_a_wrong_gradient() {
    // Doubling every gradient, or dropping one input's, must be caught for rows chosen to
    // have small derivatives, where a loose tolerance would hide it.
    let rows = rows();
    for name in ["tanh", "multiply", "max_axis1", "matmul_2d", "slice_steps"] {
        let row = rows
            .iter()
            .find(|row| row.name == name)
            .expect("row exists");
        let doubled = check_vjp(row, Layout::Contiguous, 7, |out, inputs, v| {
            autodiff_vjp(out, inputs, v)
                .iter()
                .map(|g| g * 1.01)
                .collect()
        });
        assert!(doubled.is_err(), "{name}: a 1% error passed the check");
    }
}

#[test]
fn every_primitive_has_a_gradient_row_or_is_not_differentiable() {
    let covered: Vec<&str> = rows()
        .iter()
        .flat_map(|row| row.primitives)
        .copied()
        .collect();
    // Ops whose outputs are bool or integer (the bitwise ones take integers only), or that have
    // no inputs: no gradient flows.
    let not_differentiable = [
        "less",
        "less_equal",
        "equal",
        "not_equal",
        "logical_and",
        "logical_or",
        "logical_xor",
        "logical_not",
        "invert",
        "gcd",
        "lcm",
        "bitwise_and",
        "bitwise_or",
        "bitwise_xor",
        "left_shift",
        "right_shift",
        "argmax",
        "argmin",
        "argsort",
        "buffer",
        "const",
    ];
    // Primitives the public API cannot build yet; `src/autodiff.rs` checks their rules in its
    // unit tests.
    let no_public_constructor = ["contiguous"];
    let missing: Vec<&'static str> = every_primitive()
        .iter()
        .map(Op::label)
        .filter(|label| {
            !covered.contains(label)
                && !not_differentiable.contains(label)
                && !no_public_constructor.contains(label)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "primitives without a gradient row: {missing:?}"
    );
}

/// One instance of every primitive of the op table.
///
/// [`variant_guard`] matches every variant without a wildcard: adding a primitive to
/// `lazygrad-ir` breaks this test's build there until the new variant is listed here too.
fn every_primitive() -> Vec<Op> {
    let mut ops = vec![
        Op::Buffer,
        Op::Const(Value::F64(0.0)),
        Op::Where,
        Op::Cast(DType::F64),
        Op::MatMul,
        Op::Movement(Movement::Reshape(Shape::scalar())),
        Op::Movement(Movement::Permute(Default::default())),
        Op::Movement(Movement::Expand(Shape::scalar())),
        Op::Movement(Movement::Slice(Default::default())),
        Op::Contiguous,
        Op::Pad(Default::default(), Value::F64(0.0)),
        Op::Concat(0),
        Op::Gather(1),
        Op::Scatter(1, ScatterMode::Set),
        Op::Scatter(1, ScatterMode::Add),
        Op::Sort {
            axis: 0,
            indices: false,
        },
        Op::Sort {
            axis: 0,
            indices: true,
        },
    ];
    ops.extend(UnaryOp::ALL.iter().map(|&op| Op::Unary(op)));
    ops.extend(BinaryOp::ALL.iter().map(|&op| Op::Binary(op)));
    ops.extend(CompareOp::ALL.iter().map(|&op| Op::Compare(op)));
    for &op in ReduceOp::ALL {
        ops.push(Op::Reduce(op, Default::default()));
        ops.push(Op::Scan(op, 0));
    }
    ops.extend([ReduceOp::Max, ReduceOp::Min].map(|op| Op::ArgReduce(op, 0)));
    for op in &ops {
        variant_guard(op);
    }
    ops
}

/// Names every variant, so a new one fails to compile here (see [`every_primitive`]).
fn variant_guard(op: &Op) {
    match op {
        Op::Buffer
        | Op::Const(_)
        | Op::Unary(_)
        | Op::Binary(_)
        | Op::Compare(_)
        | Op::Where
        | Op::Cast(_)
        | Op::Reduce(..)
        | Op::ArgReduce(..)
        | Op::Scan(..)
        | Op::MatMul
        | Op::Contiguous
        | Op::Pad(..)
        | Op::Concat(_)
        | Op::Gather(_)
        | Op::Scatter(..)
        | Op::Sort { .. } => {}
        Op::Movement(movement) => match movement {
            Movement::Reshape(_)
            | Movement::Permute(_)
            | Movement::Expand(_)
            | Movement::Slice(_) => {}
        },
    }
    let _ = SliceAxis::full(0);
}

// Hand-derived cases: each states the derivative it expects.

#[test]
fn polynomial_and_second_derivative() {
    // f(x) = x^3 + 2x: f'(x) = 3x^2 + 2, f''(x) = 6x.
    let x = array([-1.0, 0.5, 2.0]);
    let f = (&(&x * &x * &x) + &(&x * 2.0)).sum();
    let [df] = f.grad(&[&x]).try_into().expect("one gradient");
    // Reading `df` first would drop its graph (nothing requires grad), so differentiate first.
    let [d2f] = df.sum().grad(&[&x]).try_into().expect("one gradient");
    assert_eq!(df.to_vec::<f64>(), vec![5.0, 2.75, 14.0]);
    assert_eq!(d2f.to_vec::<f64>(), vec![-6.0, 3.0, 12.0]);
    // With `requires_grad` the order does not matter.
    let x = x.requires_grad();
    let df = (&(&x * &x * &x) + &(&x * 2.0)).sum().grad(&[&x]).remove(0);
    assert_eq!(df.to_vec::<f64>(), vec![5.0, 2.75, 14.0]);
    let d2f = df.sum().grad(&[&x]).remove(0);
    assert_eq!(d2f.to_vec::<f64>(), vec![-6.0, 3.0, 12.0]);
}

#[test]
fn second_derivative_of_tanh() {
    // tanh'(x) = 1 - tanh^2(x); tanh''(x) = -2 tanh(x) (1 - tanh^2(x)).
    let x = array([0.3, -1.2]);
    let dy = x.tanh().sum().grad(&[&x]).remove(0);
    let d2y = dy.sum().grad(&[&x]).remove(0).to_vec::<f64>();
    for (value, got) in [0.3f64, -1.2].iter().zip(d2y) {
        let t = value.tanh();
        assert!((got - (-2.0 * t * (1.0 - t * t))).abs() < 1e-14);
    }
}

#[test]
fn max_ties_split_equally() {
    // max(1, 3, 3) = 3 is reached twice; each tied element gets 1/2.
    let x = array([1.0, 3.0, 3.0]);
    let [dx] = x.max().grad(&[&x]).try_into().expect("one gradient");
    assert_eq!(dx.to_vec::<f64>(), vec![0.0, 0.5, 0.5]);
    // maximum(x, y) with x == y gives each side 1/2, so d maximum(x, x) / dx = 1.
    let y = array([2.0]);
    let [dy] = y
        .maximum(&y)
        .sum()
        .grad(&[&y])
        .try_into()
        .expect("one gradient");
    assert_eq!(dy.to_vec::<f64>(), vec![1.0]);
}

#[test]
fn broadcast_gradient_sums_back_to_the_input_shape() {
    // y = sum(x + b) with x (2, 3) and b (3,): each b_j is used twice, so db = [2, 2, 2].
    let x = lazygrad::zeros([2, 3]);
    let b = array([1.0, 2.0, 3.0]);
    let [db] = (&x + &b)
        .sum()
        .grad(&[&b])
        .try_into()
        .expect("one gradient");
    assert_eq!(
        (db.shape(), db.to_vec::<f64>()),
        (&[3usize][..], vec![2.0; 3])
    );
}

#[test]
fn prod_with_one_zero_gives_the_product_of_the_others() {
    // d/dx_i prod(x) = prod_{j != i} x_j: at x = (2, 0, 5) that is (0, 10, 0).
    let x = array([2.0, 0.0, 5.0]);
    let [dx] = x.prod().grad(&[&x]).try_into().expect("one gradient");
    assert_eq!(dx.to_vec::<f64>(), vec![0.0, 10.0, 0.0]);
}

#[test]
fn cast_gradient_casts_back() {
    // y = sum(float64(x) * 3) with x float32: dy/dx = 3 in float32.
    let x = array([1.0f32, 2.0]);
    let [dx] = (&x.astype(DType::F64) * 3.0)
        .sum()
        .grad(&[&x])
        .try_into()
        .expect("one gradient");
    assert_eq!(dx.dtype(), DType::F32);
    assert_eq!(dx.to_vec::<f32>(), vec![3.0, 3.0]);
}

#[test]
fn comparisons_and_argmax_pass_no_gradient() {
    // The mask h > 0 is a constant to autodiff: d/dh sum(where(h > 0, h, 0)) = [h > 0].
    let h = array([-1.0, 2.0, 0.5]);
    let [dh] = lazygrad::where_(&h.gt(0.0), &h, 0.0)
        .sum()
        .grad(&[&h])
        .try_into()
        .expect("one gradient");
    assert_eq!(dh.to_vec::<f64>(), vec![0.0, 1.0, 1.0]);
    // An output reached only through argmax does not depend on x smoothly: zeros.
    let x = array([1.0, 3.0]);
    let through_argmax = x.argmax().astype(DType::F64);
    let [dx] = through_argmax.grad(&[&x]).try_into().expect("one gradient");
    assert_eq!(dx.to_vec::<f64>(), vec![0.0, 0.0]);
}

#[test]
fn integer_and_bool_outputs_are_errors() {
    let x = array([1.0, 2.0]);
    let err = x.gt(1.0).any().try_grad(&[&x]).unwrap_err().to_string();
    assert!(err.contains("cannot differentiate a bool output"), "{err}");
    let err = x.argmax().try_grad(&[&x]).unwrap_err().to_string();
    assert!(err.contains("cannot differentiate a int64 output"), "{err}");
    let ints = array([1, 2]);
    let err = (&ints * 2.0)
        .sum()
        .try_grad(&[&ints])
        .unwrap_err()
        .to_string();
    assert!(err.contains("with respect to a int64 tensor"), "{err}");
    let err = (&x * 2.0).try_grad(&[&x]).unwrap_err().to_string();
    assert!(err.contains("one-element output"), "{err}");
}

#[test]
fn unused_inputs_get_zeros_and_detach_cuts_the_walk() {
    let (x, unused) = (array([1.0, 2.0]), array([[5.0]]));
    let y = (&x * &x.detach()).sum(); // d/dx (x * c) with c = x held constant: c
    let grads = y.grad(&[&x, &unused]);
    assert_eq!(grads[0].to_vec::<f64>(), vec![1.0, 2.0]);
    assert_eq!(
        (grads[1].shape(), grads[1].to_vec::<f64>()),
        (&[1usize, 1][..], vec![0.0])
    );
}

#[test]
fn gradients_survive_printing_the_loss_when_parameters_require_grad() {
    let w = array([1.0, -2.0, 3.0]).requires_grad();
    let loss = (&w * &w).sum(); // dloss/dw = 2w
    assert_eq!(loss.item::<f64>(), 14.0);
    assert!(loss.is_realized());
    let [dw] = loss.grad(&[&w]).try_into().expect("one gradient");
    assert_eq!(dw.to_vec::<f64>(), vec![2.0, -4.0, 6.0]);
    // Without requires_grad, reading the loss drops its graph, and asking afterwards says so.
    let plain = array([1.0, 2.0]);
    let loss = (&plain * &plain).sum();
    loss.realize();
    let err = loss.try_grad(&[&plain]).unwrap_err().to_string();
    assert!(err.contains("dropped its graph"), "{err}");
}

#[test]
fn backward_stores_and_accumulates_gradients_on_leaves() {
    let w = array([1.0, 2.0]).requires_grad();
    let b = array([0.5]).requires_grad();
    let loss = (&(&w * 3.0) + &b).sum(); // dloss/dw = 3, dloss/db = 2 (b broadcasts to 2)
    loss.backward();
    assert_eq!(
        w.stored_grad().expect("stored").to_vec::<f64>(),
        vec![3.0, 3.0]
    );
    assert_eq!(b.stored_grad().expect("stored").to_vec::<f64>(), vec![2.0]);
    loss.backward(); // PyTorch accumulates
    assert_eq!(
        w.stored_grad().expect("stored").to_vec::<f64>(),
        vec![6.0, 6.0]
    );
    w.zero_grad();
    assert!(w.stored_grad().is_none());
    let err = array([1.0]).sum().try_backward().unwrap_err().to_string();
    assert!(err.contains("nothing in the graph requires grad"), "{err}");
}

#[test]
fn no_grad_builds_constants() {
    let w = array([2.0]).requires_grad();
    let frozen = lazygrad::no_grad(|| {
        assert!(!lazygrad::is_grad_enabled());
        &w * 5.0
    });
    assert!(lazygrad::is_grad_enabled());
    assert!(!frozen.tracks_grad() && w.tracks_grad());
    let [dw] = (&frozen + &w)
        .sum()
        .grad(&[&w])
        .try_into()
        .expect("one gradient");
    assert_eq!(dw.to_vec::<f64>(), vec![1.0]);
}

#[test]
fn gradients_fuse_with_the_forward_pass() {
    // sum((x w - y)^2): the loss and the gradient compile into one plan of five kernels today:
    // the forward matmul, the residual, the loss reduction, the elementwise backward chain
    // 2 (x w - y) g, and the gradient's matmul.
    let mut rng = lazygrad::random::Generator::new(0);
    let (x, w, y) = (rng.randn([8, 4]), rng.randn([4, 2]), rng.randn([8, 2]));
    let loss = (&x.matmul(&w) - &y).square().sum();
    let [dw] = loss.grad(&[&w]).try_into().expect("one gradient");
    let plan = lazygrad::plan_for(&[&loss, &dw]);
    assert!(
        plan.kernels.len() <= 5,
        "{} kernels for a loss and its gradient:\n{plan}",
        plan.kernels.len()
    );
}
