//! Every op against numpy: one row per numpy function, run on every golden case in every layout.
//!
//! `golden/gen.py` writes the cases (`<op>-<dtypes>`); each row here names the op and builds it
//! with lazygrad. A golden case without a row, or a primitive no row exercises, fails the test.
// numpy's `a[2:0:-1]` is `s![2..0;-1]`: a range that is empty forwards but walked backwards.
#![allow(clippy::reversed_empty_ranges)]

use crate::util::{LAYOUTS, Layout, dtype_name, repeated_axes, tensor, values, view_strides};
use lazygrad::linalg::{Ord, norm_with};
use lazygrad::{DType, Ellipsis, NewAxis, Side, SliceArg, Tensor, Ufunc, arange, array, s};
use lazygrad_ir::{BinaryOp, CompareOp, ReduceOp, UnaryOp};
use lazygrad_testutil::{GoldenCase, check_allclose, check_array_equal, list_cases, load_case};

/// How a row builds its result from the case's inputs.
enum Row {
    /// An op of the inputs.
    Inputs(fn(&[Tensor]) -> Tensor),
    /// A reduction given its axes (`None` for all) and keepdims.
    Reduce(fn(&Tensor, Option<Vec<isize>>, bool) -> Tensor),
    /// A creation function of no inputs.
    Create(fn() -> Tensor),
}

/// `(golden op name, primitives it exercises, how to build it)`.
fn rows() -> Vec<(&'static str, Vec<&'static str>, Row)> {
    use Row::*;
    let mut rows = vec![
        (
            "add",
            vec![BinaryOp::Add.label()],
            Inputs(|x| &x[0] + &x[1]),
        ),
        (
            "subtract",
            vec![BinaryOp::Sub.label()],
            Inputs(|x| &x[0] - &x[1]),
        ),
        (
            "multiply",
            vec![BinaryOp::Mul.label()],
            Inputs(|x| &x[0] * &x[1]),
        ),
        (
            "true_divide",
            vec![BinaryOp::Div.label()],
            Inputs(|x| &x[0] / &x[1]),
        ),
        (
            "floor_divide",
            vec![BinaryOp::FloorDiv.label()],
            Inputs(|x| x[0].floor_divide(&x[1])),
        ),
        (
            "remainder",
            vec![BinaryOp::Rem.label()],
            Inputs(|x| &x[0] % &x[1]),
        ),
        (
            "power",
            vec![BinaryOp::Pow.label()],
            Inputs(|x| x[0].pow(&x[1])),
        ),
        (
            "maximum",
            vec![BinaryOp::Maximum.label()],
            Inputs(|x| x[0].maximum(&x[1])),
        ),
        (
            "minimum",
            vec![BinaryOp::Minimum.label()],
            Inputs(|x| x[0].minimum(&x[1])),
        ),
        (
            "greater",
            vec![CompareOp::Lt.label()],
            Inputs(|x| x[0].greater(&x[1])),
        ),
        (
            "greater_equal",
            vec![CompareOp::Le.label()],
            Inputs(|x| x[0].greater_equal(&x[1])),
        ),
        ("less", vec![], Inputs(|x| x[0].less(&x[1]))),
        ("less_equal", vec![], Inputs(|x| x[0].less_equal(&x[1]))),
        (
            "equal",
            vec![CompareOp::Eq.label()],
            Inputs(|x| x[0].equal(&x[1])),
        ),
        (
            "not_equal",
            vec![CompareOp::Ne.label()],
            Inputs(|x| x[0].not_equal(&x[1])),
        ),
        (
            "logical_and",
            vec![BinaryOp::And.label()],
            Inputs(|x| x[0].logical_and(&x[1])),
        ),
        (
            "logical_or",
            vec![BinaryOp::Or.label()],
            Inputs(|x| x[0].logical_or(&x[1])),
        ),
        (
            "logical_not",
            vec![UnaryOp::Not.label()],
            Inputs(|x| x[0].logical_not()),
        ),
        // Literals on the left of non-commutative operators, owned and borrowed right operands.
        ("rmul_float", vec![], Inputs(|x| 2.0 * &x[0])),
        ("radd_int", vec![], Inputs(|x| 3 + &x[0])),
        ("rsub_int", vec![], Inputs(|x| 1 - &x[0])),
        ("rsub_float", vec![], Inputs(|x| 1.0 - x[0].clone())),
        ("rdiv_float", vec![], Inputs(|x| 2.0 / &x[0])),
        ("rdiv_int", vec![], Inputs(|x| 2 / x[0].clone())),
        ("rrem_int", vec![], Inputs(|x| 10 % &x[0])),
        ("rrem_float", vec![], Inputs(|x| 2.5 % &x[0])),
        (
            "rfloordiv_int",
            vec![],
            Inputs(|x| lazygrad::floor_divide(7, &x[0])),
        ),
        ("rpow_int", vec![], Inputs(|x| lazygrad::pow(2, &x[0]))),
        (
            "rmaximum_float",
            vec![],
            Inputs(|x| lazygrad::maximum(0.5, &x[0])),
        ),
        (
            "rgreater_int",
            vec![],
            Inputs(|x| lazygrad::greater(1, &x[0])),
        ),
        ("rmul_int", vec![], Inputs(|x| 3 * &x[0])),
        ("rsub_200", vec![], Inputs(|x| 200 - &x[0])),
        ("negative", vec![UnaryOp::Neg.label()], Inputs(|x| -&x[0])),
        ("abs", vec![UnaryOp::Abs.label()], Inputs(|x| x[0].abs())),
        ("sign", vec![UnaryOp::Sign.label()], Inputs(|x| x[0].sign())),
        ("sqrt", vec![UnaryOp::Sqrt.label()], Inputs(|x| x[0].sqrt())),
        ("exp", vec![UnaryOp::Exp.label()], Inputs(|x| x[0].exp())),
        ("log", vec![UnaryOp::Log.label()], Inputs(|x| x[0].log())),
        ("sin", vec![UnaryOp::Sin.label()], Inputs(|x| x[0].sin())),
        ("cos", vec![UnaryOp::Cos.label()], Inputs(|x| x[0].cos())),
        ("tanh", vec![UnaryOp::Tanh.label()], Inputs(|x| x[0].tanh())),
        (
            "floor",
            vec![UnaryOp::Floor.label()],
            Inputs(|x| x[0].floor()),
        ),
        ("ceil", vec![UnaryOp::Ceil.label()], Inputs(|x| x[0].ceil())),
        (
            "trunc",
            vec![UnaryOp::Trunc.label()],
            Inputs(|x| x[0].trunc()),
        ),
        ("rint", vec![UnaryOp::Rint.label()], Inputs(|x| x[0].rint())),
        ("tan", vec![UnaryOp::Tan.label()], Inputs(|x| x[0].tan())),
        (
            "arcsin",
            vec![UnaryOp::Arcsin.label()],
            Inputs(|x| x[0].arcsin()),
        ),
        (
            "arccos",
            vec![UnaryOp::Arccos.label()],
            Inputs(|x| x[0].arccos()),
        ),
        (
            "arctan",
            vec![UnaryOp::Arctan.label()],
            Inputs(|x| x[0].arctan()),
        ),
        ("sinh", vec![UnaryOp::Sinh.label()], Inputs(|x| x[0].sinh())),
        ("cosh", vec![UnaryOp::Cosh.label()], Inputs(|x| x[0].cosh())),
        (
            "arcsinh",
            vec![UnaryOp::Arcsinh.label()],
            Inputs(|x| x[0].arcsinh()),
        ),
        (
            "arccosh",
            vec![UnaryOp::Arccosh.label()],
            Inputs(|x| x[0].arccosh()),
        ),
        (
            "arctanh",
            vec![UnaryOp::Arctanh.label()],
            Inputs(|x| x[0].arctanh()),
        ),
        ("log2", vec![UnaryOp::Log2.label()], Inputs(|x| x[0].log2())),
        (
            "log10",
            vec![UnaryOp::Log10.label()],
            Inputs(|x| x[0].log10()),
        ),
        (
            "log1p",
            vec![UnaryOp::Log1p.label()],
            Inputs(|x| x[0].log1p()),
        ),
        (
            "expm1",
            vec![UnaryOp::Expm1.label()],
            Inputs(|x| x[0].expm1()),
        ),
        ("exp2", vec![UnaryOp::Exp2.label()], Inputs(|x| x[0].exp2())),
        ("cbrt", vec![UnaryOp::Cbrt.label()], Inputs(|x| x[0].cbrt())),
        // `!` on integers is numpy's `~`: bitwise not (logical not on bool).
        ("invert", vec![UnaryOp::Invert.label()], Inputs(|x| !&x[0])),
        (
            "fmax",
            vec![BinaryOp::Fmax.label()],
            Inputs(|x| x[0].fmax(&x[1])),
        ),
        (
            "fmin",
            vec![BinaryOp::Fmin.label()],
            Inputs(|x| x[0].fmin(&x[1])),
        ),
        (
            "arctan2",
            vec![BinaryOp::Arctan2.label()],
            Inputs(|x| x[0].arctan2(&x[1])),
        ),
        (
            "hypot",
            vec![BinaryOp::Hypot.label()],
            Inputs(|x| x[0].hypot(&x[1])),
        ),
        (
            "copysign",
            vec![BinaryOp::Copysign.label()],
            Inputs(|x| x[0].copysign(&x[1])),
        ),
        (
            "fmod",
            vec![BinaryOp::Fmod.label()],
            Inputs(|x| x[0].fmod(&x[1])),
        ),
        (
            "logaddexp",
            vec![BinaryOp::Logaddexp.label()],
            Inputs(|x| x[0].logaddexp(&x[1])),
        ),
        (
            "logaddexp2",
            vec![BinaryOp::Logaddexp2.label()],
            Inputs(|x| x[0].logaddexp2(&x[1])),
        ),
        (
            "gcd",
            vec![BinaryOp::Gcd.label()],
            Inputs(|x| x[0].gcd(&x[1])),
        ),
        (
            "lcm",
            vec![BinaryOp::Lcm.label()],
            Inputs(|x| x[0].lcm(&x[1])),
        ),
        (
            "fmod_zero",
            vec![],
            Inputs(|x| lazygrad::fmod(&x[0], &x[1])),
        ),
        (
            "bitwise_and",
            vec![BinaryOp::BitAnd.label()],
            Inputs(|x| &x[0] & &x[1]),
        ),
        (
            "bitwise_or",
            vec![BinaryOp::BitOr.label()],
            Inputs(|x| &x[0] | &x[1]),
        ),
        (
            "bitwise_xor",
            vec![BinaryOp::BitXor.label()],
            Inputs(|x| &x[0] ^ &x[1]),
        ),
        (
            "left_shift",
            vec![BinaryOp::LeftShift.label()],
            Inputs(|x| &x[0] << &x[1]),
        ),
        (
            "right_shift",
            vec![BinaryOp::RightShift.label()],
            Inputs(|x| &x[0] >> &x[1]),
        ),
        ("fix", vec![], Inputs(|x| x[0].fix())),
        ("round0", vec![], Inputs(|x| x[0].round(0))),
        ("round1", vec![], Inputs(|x| x[0].round(1))),
        ("round2", vec![], Inputs(|x| lazygrad::around(&x[0], 2))),
        ("roundneg1", vec![], Inputs(|x| x[0].round(-1))),
        ("isnan", vec![], Inputs(|x| x[0].isnan())),
        ("isinf", vec![], Inputs(|x| x[0].isinf())),
        ("isfinite", vec![], Inputs(|x| x[0].isfinite())),
        ("signbit", vec![], Inputs(|x| x[0].signbit())),
        ("isposinf", vec![], Inputs(|x| x[0].isposinf())),
        ("isneginf", vec![], Inputs(|x| x[0].isneginf())),
        ("nan_to_num", vec![], Inputs(|x| x[0].nan_to_num())),
        (
            "nan_to_num_args",
            vec![],
            Inputs(|x| x[0].nan_to_num_with(-1.0, 9.0, -9.0)),
        ),
        ("heaviside", vec![], Inputs(|x| x[0].heaviside(&x[1]))),
        ("deg2rad", vec![], Inputs(|x| x[0].deg2rad())),
        ("rad2deg", vec![], Inputs(|x| x[0].rad2deg())),
        // Ufunc methods: primitive reductions and scans, and folds in order.
        (
            "ufunc_outer_multiply",
            vec![],
            Inputs(|x| Ufunc::multiply.outer(&x[0], &x[1])),
        ),
        (
            "ufunc_outer_subtract",
            vec![],
            Inputs(|x| Ufunc::subtract.outer(&x[0], &x[1])),
        ),
        (
            "ufunc_outer_greater",
            vec![],
            Inputs(|x| Ufunc::greater.outer(&x[0], &x[1])),
        ),
        (
            "ufunc_reduce_add_axis0",
            vec![],
            Inputs(|x| Ufunc::add.reduce(&x[0], Some(0), false)),
        ),
        (
            "ufunc_reduce_subtract_axis1",
            vec![],
            Inputs(|x| Ufunc::subtract.reduce(&x[0], Some(1), false)),
        ),
        (
            "ufunc_reduce_subtract_axis1_keepdims",
            vec![],
            Inputs(|x| Ufunc::subtract.reduce(&x[0], Some(1), true)),
        ),
        (
            "ufunc_reduce_divide_axis0",
            vec![],
            Inputs(|x| Ufunc::divide.reduce(&x[0], Some(0), false)),
        ),
        (
            "ufunc_reduce_maximum_all",
            vec![],
            Inputs(|x| Ufunc::maximum.reduce(&x[0], None, false)),
        ),
        (
            "ufunc_reduce_hypot_axis0",
            vec![],
            Inputs(|x| Ufunc::hypot.reduce(&x[0], Some(0), false)),
        ),
        (
            "ufunc_reduce_bitwise_or_all",
            vec![],
            Inputs(|x| Ufunc::bitwise_or.reduce(&x[0], None, false)),
        ),
        (
            "ufunc_reduce_power_axis0",
            vec![],
            Inputs(|x| Ufunc::pow.reduce(&x[0], Some(0), false)),
        ),
        (
            "ufunc_accumulate_subtract_axis1",
            vec![],
            Inputs(|x| Ufunc::subtract.accumulate(&x[0], 1)),
        ),
        (
            "ufunc_accumulate_maximum_axis0",
            vec!["cummax"],
            Inputs(|x| Ufunc::maximum.accumulate(&x[0], 0)),
        ),
        (
            "ufunc_accumulate_minimum_axis1",
            vec!["cummin"],
            Inputs(|x| Ufunc::minimum.accumulate(&x[0], 1)),
        ),
        (
            "ufunc_accumulate_add_axis1",
            vec![],
            Inputs(|x| Ufunc::add.accumulate(&x[0], 1)),
        ),
        (
            "ufunc_accumulate_logaddexp_axis0",
            vec![],
            Inputs(|x| Ufunc::logaddexp.accumulate(&x[0], 0)),
        ),
        (
            "ufunc_reduceat_add",
            vec![],
            Inputs(|x| Ufunc::add.reduceat(&x[0], &[0, 4, 1, 5], 0)),
        ),
        (
            "ufunc_reduceat_maximum_axis1",
            vec![],
            Inputs(|x| Ufunc::maximum.reduceat(&x[0], &[0, 2, 1], 1)),
        ),
        (
            "ufunc_reduceat_subtract_axis0",
            vec![],
            Inputs(|x| Ufunc::subtract.reduceat(&x[0], &[0, 2], 0)),
        ),
        ("ufunc_at_add", vec![], Inputs(|x| ufunc_at(Ufunc::add, x))),
        (
            "ufunc_at_subtract",
            vec![],
            Inputs(|x| ufunc_at(Ufunc::subtract, x)),
        ),
        (
            "ufunc_at_multiply",
            vec![],
            Inputs(|x| ufunc_at(Ufunc::multiply, x)),
        ),
        (
            "ufunc_at_maximum",
            vec![],
            Inputs(|x| ufunc_at(Ufunc::maximum, x)),
        ),
        (
            "ufunc_at_multiply_literal",
            vec![],
            Inputs(|x| {
                let mut a = x[0].clone();
                Ufunc::multiply.at(&mut a, s![&array([0, 0, 2, 3, 0])], 2.5);
                a
            }),
        ),
        (
            "nanprod_axis1",
            vec![],
            Inputs(|x| x[0].nanprod(Some(&[1]), false)),
        ),
        (
            "nancumsum_axis0",
            vec![],
            Inputs(|x| x[0].nancumsum(Some(0))),
        ),
        ("nancumsum_flat", vec![], Inputs(|x| x[0].nancumsum(None))),
        (
            "nancumprod_axis1",
            vec![],
            Inputs(|x| x[0].nancumprod(Some(1))),
        ),
        ("modf_frac", vec![], Inputs(|x| x[0].modf().0)),
        ("modf_whole", vec![], Inputs(|x| x[0].modf().1)),
        ("diff1", vec![], Inputs(|x| x[0].diff(1, -1))),
        ("diff2_axis0", vec![], Inputs(|x| x[0].diff(2, 0))),
        ("ediff1d", vec![], Inputs(|x| x[0].ediff1d())),
        (
            "divmod_q",
            vec![],
            Inputs(|x| lazygrad::divmod(&x[0], &x[1]).0),
        ),
        (
            "divmod_r",
            vec![],
            Inputs(|x| lazygrad::divmod(&x[0], &x[1]).1),
        ),
        ("fliplr", vec![], Inputs(|x| x[0].fliplr())),
        ("flipud", vec![], Inputs(|x| x[0].flipud())),
        (
            "diagflat_k1",
            vec![],
            Inputs(|x| lazygrad::diagflat(&x[0], 1)),
        ),
        (
            "setxor1d",
            vec![],
            Inputs(|x| lazygrad::setxor1d(&x[0], &x[1])),
        ),
        (
            "tri_3_4_k1",
            vec![],
            Create(|| lazygrad::tri(3, Some(4), 1)),
        ),
        ("tri_3_kneg1", vec![], Create(|| lazygrad::tri(3, None, -1))),
        (
            "nanquantile_q30_axis1",
            vec![],
            Inputs(|x| x[0].nanquantile(0.3, Some(&[1]), false)),
        ),
        (
            "nanquantile_list_axis0",
            vec![],
            Inputs(|x| x[0].nanquantile([0.0, 0.5, 0.9, 1.0], Some(&[0]), false)),
        ),
        (
            "nanpercentile_q75_all",
            vec![],
            Inputs(|x| x[0].nanpercentile(75.0, None, false)),
        ),
        (
            "nanquantile_q50_allnan",
            vec![],
            Inputs(|x| x[0].nanquantile(0.5, Some(&[1]), true)),
        ),
        ("clip", vec![], Inputs(|x| x[0].clip(-2, 3))),
        (
            "where",
            vec!["where"],
            Inputs(|x| lazygrad::where_(&x[0], &x[1], &x[2])),
        ),
        ("matmul", vec!["matmul"], Inputs(|x| x[0].matmul(&x[1]))),
        ("dot", vec![], Inputs(|x| x[0].dot(&x[1]))),
        (
            "cumsum_axis0",
            vec!["cumsum"],
            Inputs(|x| x[0].cumsum_axis(0)),
        ),
        ("cumsum_axis1", vec![], Inputs(|x| x[0].cumsum_axis(1))),
        ("cumsum_flat", vec![], Inputs(|x| x[0].cumsum())),
        (
            "cumprod_axis0",
            vec!["cumprod"],
            Inputs(|x| x[0].cumprod_axis(0)),
        ),
        ("cumprod_axis1", vec![], Inputs(|x| x[0].cumprod_axis(1))),
        ("cumprod_flat", vec![], Inputs(|x| x[0].cumprod())),
        (
            "sum",
            vec![ReduceOp::Sum.label()],
            Reduce(|x, axes, keep| match axes {
                Some(axes) => x.sum_axes(axes, keep),
                None if keep => x.sum_axes((0..x.ndim() as isize).collect::<Vec<_>>(), true),
                None => x.sum(),
            }),
        ),
        (
            "prod",
            vec![ReduceOp::Prod.label()],
            Reduce(|x, axes, keep| x.prod_axes(all(x, axes), keep)),
        ),
        (
            "max",
            vec![ReduceOp::Max.label()],
            Reduce(|x, axes, keep| x.max_axes(all(x, axes), keep)),
        ),
        (
            "min",
            vec![ReduceOp::Min.label()],
            Reduce(|x, axes, keep| x.min_axes(all(x, axes), keep)),
        ),
        (
            "any",
            vec![],
            Reduce(|x, axes, keep| x.any_axes(all(x, axes), keep)),
        ),
        (
            "all",
            vec![],
            Reduce(|x, axes, keep| x.all_axes(all(x, axes), keep)),
        ),
        (
            "mean",
            vec![],
            Reduce(|x, axes, keep| x.mean_axes(all(x, axes), keep)),
        ),
        (
            "var",
            vec![],
            Reduce(|x, axes, keep| x.var_axes(all(x, axes), 0, keep)),
        ),
        (
            "var_ddof1",
            vec![],
            Reduce(|x, axes, keep| x.var_axes(all(x, axes), 1, keep)),
        ),
        (
            "std",
            vec![],
            Reduce(|x, axes, keep| x.std_axes(all(x, axes), 0, keep)),
        ),
        (
            "std_ddof1",
            vec![],
            Reduce(|x, axes, keep| x.std_axes(all(x, axes), 1, keep)),
        ),
        (
            "argmax",
            vec!["argmax"],
            Reduce(|x, axes, keep| x.argmax_with(axes.map(|a| a[0]), keep)),
        ),
        (
            "argmin",
            vec!["argmin"],
            Reduce(|x, axes, keep| x.argmin_with(axes.map(|a| a[0]), keep)),
        ),
        (
            "norm_vec_none",
            vec![],
            Inputs(|x| lazygrad::linalg::norm(&x[0])),
        ),
        (
            "norm_vec_1",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(1.0), None, false)),
        ),
        (
            "norm_vec_2",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(2.0), None, false)),
        ),
        (
            "norm_vec_3",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(3.0), None, false)),
        ),
        (
            "norm_vec_0",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(0.0), None, false)),
        ),
        (
            "norm_vec_inf",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::Inf, None, false)),
        ),
        (
            "norm_vec_neginf",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::NegInf, None, false)),
        ),
        (
            "norm_mat_none",
            vec![],
            Inputs(|x| lazygrad::linalg::norm(&x[0])),
        ),
        (
            "norm_mat_fro",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::Fro, None, false)),
        ),
        (
            "norm_mat_1",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(1.0), None, false)),
        ),
        (
            "norm_mat_neg1",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(-1.0), None, false)),
        ),
        (
            "norm_mat_inf",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::Inf, None, false)),
        ),
        (
            "norm_mat_neginf",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::NegInf, None, false)),
        ),
        (
            "norm_mat_2",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(2.0), None, false)),
        ),
        (
            "norm_axis1_keepdims_2",
            vec![],
            Inputs(|x| norm_with(&x[0], Ord::P(2.0), Some(&[1]), true)),
        ),
        ("arange_10", vec![], Create(|| lazygrad::arange(10))),
        (
            "arange_2_11",
            vec![],
            Create(|| lazygrad::arange_step(2, 11, 1).astype(DType::F64)),
        ),
        (
            "arange_0_1_step0p1",
            vec![],
            Create(|| lazygrad::arange_step(0.0, 1.0, 0.1)),
        ),
        (
            "arange_10_0_stepneg3",
            vec![],
            Create(|| lazygrad::arange_step(10, 0, -3)),
        ),
        (
            "linspace_1_4_6",
            vec![],
            Create(|| lazygrad::linspace(1.0, 4.0, 6)),
        ),
        (
            "linspace_0_1_5_noendpoint",
            vec![],
            Create(|| lazygrad::linspace_endpoint(0.0, 1.0, 5, false)),
        ),
        ("eye_3", vec![], Create(|| lazygrad::eye(3))),
        ("eye_3x4_k1", vec![], Create(|| lazygrad::eye_k(3, 4, 1))),
        ("eye_4_kneg1", vec![], Create(|| lazygrad::eye_k(4, 4, -1))),
        ("full_1x3_7", vec![], Create(|| lazygrad::full([1, 3], 7))),
        ("indices_3x3", vec![], Create(|| lazygrad::indices([3, 3]))),
        // Views, indexing, joining and sorting.
        (
            "slice_basic",
            vec!["slice"],
            Inputs(|x| x[0].slice(s![..2, 1..3])),
        ),
        ("slice_col", vec![], Inputs(|x| x[0].slice(s![.., 1]))),
        (
            "slice_col_keep",
            vec![],
            Inputs(|x| x[0].slice(s![.., 1..2])),
        ),
        ("slice_neg", vec![], Inputs(|x| x[0].slice(s![-1]))),
        (
            "slice_step",
            vec![],
            Inputs(|x| x[0].slice(s![..;2, ..;-1])),
        ),
        (
            "slice_negstep",
            vec![],
            Inputs(|x| x[0].slice(s![2..0;-1, -1..-4;-2])),
        ),
        (
            "slice_newaxis",
            vec![],
            Inputs(|x| x[0].slice(s![NewAxis, .., 1])),
        ),
        // numpy's `a[3:1]`: an empty range on purpose.
        ("slice_empty", vec![], Inputs(|x| x[0].slice(s![3..1]))),
        (
            "slice_ellipsis3d",
            vec![],
            Inputs(|x| x[0].slice(s![1, Ellipsis, 2])),
        ),
        (
            "fancy_pair",
            vec!["gather"],
            Inputs(|x| x[0].slice(s![&arange(3), &array([0, 1, 0])])),
        ),
        (
            "fancy_rows",
            vec![],
            Inputs(|x| x[0].slice(s![&array([2, 0, 2])])),
        ),
        (
            "fancy_neg",
            vec![],
            Inputs(|x| x[0].slice(s![&array([-1, 0])])),
        ),
        (
            "fancy_mixed",
            vec![],
            Inputs(|x| x[0].slice(s![1.., &array([3, 0])])),
        ),
        (
            "fancy_2d_index",
            vec![],
            Inputs(|x| x[0].slice(s![&array([[0, 1], [2, 0]])])),
        ),
        (
            "fancy_int_and_array",
            vec![],
            Inputs(|x| x[0].slice(s![1, &array([3, 0, 3])])),
        ),
        (
            "fancy_sep3d",
            vec![],
            Inputs(|x| x[0].slice(s![&array([0, 1]), .., &array([1, 2])])),
        ),
        ("mask", vec![], Inputs(|x| x[0].slice(s![&truthy(&x[0])]))),
        (
            "index_put_mask",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.index_put(s![&truthy(&x[0])], 0);
                c
            }),
        ),
        (
            "index_put_slice",
            vec!["scatter"],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.index_put(s![.., 0], 1);
                c
            }),
        ),
        (
            "index_add_pair",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.index_add(s![&arange(3), &array([0, 1, 0])], 1);
                c
            }),
        ),
        (
            "index_add_repeated",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.index_add(s![&array([0, 0, 2])], 1);
                c
            }),
        ),
        (
            "add_at_repeated",
            vec!["scatter_add"],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.add_at(s![&array([0, 0, 2])], 1);
                c
            }),
        ),
        ("take", vec![], Inputs(|x| x[0].take(&array([5, 0, 11])))),
        (
            "take_axis1",
            vec![],
            Inputs(|x| x[0].take_axis(&array([3, 1]), 1)),
        ),
        (
            "take_along_axis",
            vec!["argsort"],
            Inputs(|x| x[0].take_along_axis(&x[0].argsort(1), 1)),
        ),
        ("argwhere", vec![], Inputs(|x| x[0].argwhere())),
        ("nonzero1d_0", vec![], Inputs(|x| x[0].nonzero()[0].clone())),
        ("nonzero2d_0", vec![], Inputs(|x| x[0].nonzero()[0].clone())),
        ("nonzero2d_1", vec![], Inputs(|x| x[0].nonzero()[1].clone())),
        ("nonzero3d_2", vec![], Inputs(|x| x[0].nonzero()[2].clone())),
        (
            "nonzero_none2d_1",
            vec![],
            Inputs(|x| x[0].nonzero()[1].clone()),
        ),
        ("count_nonzero", vec![], Inputs(|x| x[0].count_nonzero())),
        (
            "concatenate0",
            vec!["concatenate"],
            Inputs(|x| lazygrad::concatenate(&[&x[0], &x[0].slice(s![..1])], 0)),
        ),
        (
            "concatenate1",
            vec![],
            Inputs(|x| lazygrad::concatenate(&[&x[0], &x[0].slice(s![.., ..2])], 1)),
        ),
        (
            "stack1",
            vec![],
            Inputs(|x| lazygrad::stack(&[&x[0], &x[0].slice(s![..;-1])], 1)),
        ),
        (
            "vstack",
            vec![],
            Inputs(|x| lazygrad::vstack(&[&x[0].slice(s![0]), &x[0]])),
        ),
        (
            "hstack",
            vec![],
            Inputs(|x| lazygrad::hstack(&[&x[0], &x[0].slice(s![.., ..1])])),
        ),
        (
            "tile_rows",
            vec![],
            Inputs(|x| x[0].slice(s![0]).tile(&[2, 1])),
        ),
        ("tile_2", vec![], Inputs(|x| x[0].tile(&[2]))),
        ("repeat0", vec![], Inputs(|x| x[0].repeat(2, Some(0)))),
        ("repeat_flat", vec![], Inputs(|x| x[0].repeat(2, None))),
        ("split1", vec![], Inputs(|x| x[0].split(2, 1)[1].clone())),
        (
            "split_idx_1_3_axisneg1_p0",
            vec![],
            Inputs(|x| x[0].split_at(&[1, 3], -1)[0].clone()),
        ),
        (
            "split_idx_1_3_axisneg1_p1",
            vec![],
            Inputs(|x| x[0].split_at(&[1, 3], -1)[1].clone()),
        ),
        (
            "split_idx_1_3_axisneg1_p2",
            vec![],
            Inputs(|x| x[0].split_at(&[1, 3], -1)[2].clone()),
        ),
        (
            "split_idx_2_5_p1",
            vec![],
            Inputs(|x| x[0].split_at(&[2, 5], 0)[1].clone()),
        ),
        (
            "split_idx_2_5_p2",
            vec![],
            Inputs(|x| x[0].split_at(&[2, 5], 0)[2].clone()),
        ),
        (
            "split_idx_3_1_p1",
            vec![],
            Inputs(|x| x[0].split_at(&[3, 1], 0)[1].clone()),
        ),
        (
            "split_idx_3_1_p2",
            vec![],
            Inputs(|x| x[0].split_at(&[3, 1], 0)[2].clone()),
        ),
        ("diagonal_k0", vec![], Inputs(|x| x[0].diagonal(0))),
        ("diagonal_k1", vec![], Inputs(|x| x[0].diagonal(1))),
        ("diagonal_kneg2", vec![], Inputs(|x| x[0].diagonal(-2))),
        ("diagonal_k4", vec![], Inputs(|x| x[0].diagonal(4))),
        (
            "resize_method",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.resize([5, 3]);
                c
            }),
        ),
        (
            "resize_fn",
            vec![],
            Inputs(|x| lazygrad::resize(&x[0], [5, 3])),
        ),
        ("flip1", vec![], Inputs(|x| x[0].flip(1))),
        (
            "pad",
            vec!["pad"],
            Inputs(|x| x[0].pad(&[(1, 0), (2, 1)], 0)),
        ),
        (
            "diag_vector",
            vec![],
            Inputs(|x| lazygrad::diag(&x[0].slice(s![0]), 0)),
        ),
        (
            "diag_vector_kneg1",
            vec![],
            Inputs(|x| lazygrad::diag(&x[0].slice(s![0]), -1)),
        ),
        (
            "diag_matrix_k1",
            vec![],
            Inputs(|x| lazygrad::diag(&x[0], 1)),
        ),
        ("triu_k1", vec![], Inputs(|x| x[0].triu(1))),
        ("tril_kneg1", vec![], Inputs(|x| x[0].tril(-1))),
        ("sort1", vec!["sort"], Inputs(|x| x[0].sort(1))),
        ("sort0", vec![], Inputs(|x| x[0].sort(0))),
        ("argsort1", vec![], Inputs(|x| x[0].argsort(1))),
        (
            "meshgrid_x",
            vec![],
            Inputs(|x| {
                lazygrad::meshgrid(&[&x[0].slice(s![0]), &x[0].slice(s![.., 0])])[0].clone()
            }),
        ),
        (
            "meshgrid_y",
            vec![],
            Inputs(|x| {
                lazygrad::meshgrid(&[&x[0].slice(s![0]), &x[0].slice(s![.., 0])])[1].clone()
            }),
        ),
        (
            "reshape_infer",
            vec!["reshape"],
            Inputs(|x| x[0].reshape([2, -1])),
        ),
        ("ravel_t", vec!["permute"], Inputs(|x| x[0].t().ravel())),
        ("expand_dims1", vec![], Inputs(|x| x[0].expand_dims(1))),
        (
            "squeeze",
            vec![],
            Inputs(|x| x[0].slice(s![.., NewAxis]).squeeze()),
        ),
        (
            "broadcast_to",
            vec!["expand"],
            Inputs(|x| x[0].slice(s![0]).broadcast_to([2, 4])),
        ),
        ("swapaxes3d", vec![], Inputs(|x| x[0].swapaxes(0, 2))),
        ("transpose3d", vec![], Inputs(|x| x[0].permute(&[1, 2, 0]))),
        (
            "reshape_t3d",
            vec![],
            Inputs(|x| x[0].permute(&[2, 0, 1]).reshape([4, 6])),
        ),
    ];
    rows.extend(manip_rows());
    rows
}

/// The manipulation and index helpers (issue 17's manip slice); constants repeat gen.py's.
fn manip_rows() -> Vec<(&'static str, Vec<&'static str>, Row)> {
    use Row::*;
    vec![
        (
            "column_stack",
            vec![],
            Inputs(|x| {
                let rows = [x[0].slice(s![0]), x[0].slice(s![1]), x[0].slice(s![2])];
                lazygrad::column_stack(&[&rows[0], &rows[1], &rows[2]])
            }),
        ),
        (
            "column_stack_2d",
            vec![],
            Inputs(|x| lazygrad::column_stack(&[&x[0], &x[0].slice(s![.., 0])])),
        ),
        (
            "dstack",
            vec![],
            Inputs(|x| lazygrad::dstack(&[&x[0], &x[0].slice(s![..;-1])])),
        ),
        (
            "dstack_1d",
            vec![],
            Inputs(|x| lazygrad::dstack(&[&x[0].slice(s![0]), &x[0].slice(s![1])])),
        ),
        (
            "dstack3d",
            vec![],
            Inputs(|x| lazygrad::dstack(&[&x[0], &x[0].slice(s![.., .., ..1])])),
        ),
        (
            "atleast_1d_0d",
            vec![],
            Inputs(|x| lazygrad::atleast_1d(&x[0].slice(s![1, 2]))),
        ),
        (
            "atleast_2d_1d",
            vec![],
            Inputs(|x| lazygrad::atleast_2d(&x[0].slice(s![0]))),
        ),
        (
            "atleast_3d_1d",
            vec![],
            Inputs(|x| lazygrad::atleast_3d(&x[0].slice(s![0]))),
        ),
        (
            "atleast_3d_2d",
            vec![],
            Inputs(|x| lazygrad::atleast_3d(&x[0])),
        ),
        ("roll_flat", vec![], Inputs(|x| x[0].roll(5, None))),
        ("roll_flat3d", vec![], Inputs(|x| x[0].roll(-7, None))),
        ("roll_axis1", vec![], Inputs(|x| x[0].roll(-1, Some(1)))),
        (
            "roll_axes",
            vec![],
            Inputs(|x| x[0].roll_axes(&[1, 2], &[0, 1])),
        ),
        (
            "roll_same_axis",
            vec![],
            Inputs(|x| x[0].roll_axes(&[1, 2], &[1, 1])),
        ),
        ("roll_big", vec![], Inputs(|x| x[0].roll(13, Some(0)))),
        ("rot90_k1", vec![], Inputs(|x| x[0].rot90(1, [0, 1]))),
        ("rot90_k2", vec![], Inputs(|x| x[0].rot90(2, [0, 1]))),
        ("rot90_kneg1", vec![], Inputs(|x| x[0].rot90(-1, [0, 1]))),
        ("rot90_k3_axes10", vec![], Inputs(|x| x[0].rot90(3, [1, 0]))),
        ("rot90_axes02_3d", vec![], Inputs(|x| x[0].rot90(1, [0, 2]))),
        ("moveaxis3d", vec![], Inputs(|x| x[0].moveaxis(0, -1))),
        (
            "moveaxis_several3d",
            vec![],
            Inputs(|x| x[0].moveaxis([0, 1], [-1, -2])),
        ),
        (
            "append_flat",
            vec![],
            Inputs(|x| lazygrad::append(&x[0], &x[0].slice(s![0]), None)),
        ),
        (
            "append_axis0",
            vec![],
            Inputs(|x| lazygrad::append(&x[0], &x[0].slice(s![..1]), Some(0))),
        ),
        (
            "append_axis1",
            vec![],
            Inputs(|x| lazygrad::append(&x[0], &x[0].slice(s![.., ..2]), Some(1))),
        ),
        (
            "insert_scalar_flat",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], 3, x[0].slice(s![0, ..2]), None)),
        ),
        (
            "insert_scalar_axis1",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], 1, x[0].slice(s![.., 3]), Some(1))),
        ),
        (
            "insert_literal_axis0",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], -1, 1, Some(0))),
        ),
        (
            "insert_list_flat",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], array([4, 1, 4]), x[0].slice(s![0, ..3]), None)),
        ),
        (
            "insert_list_axis1",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], array([0, 2]), x[0].slice(s![.., ..2]), Some(1))),
        ),
        (
            "insert_one_list_axis1",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], array([1]), x[0].slice(s![0, ..2]), Some(1))),
        ),
        (
            "insert_range_axis1",
            vec![],
            Inputs(|x| {
                let range = SliceArg::from(1..4).step_by(2);
                lazygrad::insert(&x[0], range, x[0].slice(s![0, ..2]), Some(1))
            }),
        ),
        (
            "insert_mask_axis1",
            vec![],
            Inputs(|x| lazygrad::insert(&x[0], array([false, true, false, true]), 1, Some(1))),
        ),
        (
            "delete_scalar_axis0",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], 1, Some(0))),
        ),
        (
            "delete_neg_axis1",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], -1, Some(1))),
        ),
        (
            "delete_range_flat",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], SliceArg::from(2..9).step_by(3), None)),
        ),
        (
            "delete_negstep_axis1",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], SliceArg::from(..).step_by(-2), Some(1))),
        ),
        (
            "delete_list_axis1",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], array([0, -1, 0]), Some(1))),
        ),
        (
            "delete_mask_axis0",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], array([true, false, true]), Some(0))),
        ),
        (
            "delete_nothing",
            vec![],
            Inputs(|x| lazygrad::delete(&x[0], Tensor::from_vec(Vec::<i64>::new(), [0]), Some(0))),
        ),
        (
            "repeat_counts_axis0",
            vec![],
            Inputs(|x| x[0].repeat_counts(&array([1, 0, 2]), Some(0))),
        ),
        (
            "repeat_counts_axis1",
            vec![],
            Inputs(|x| x[0].repeat_counts(&array([2, 1, 0, 3]), Some(1))),
        ),
        (
            "repeat_counts_flat",
            vec![],
            Inputs(|x| x[0].repeat_counts(&(arange(12) % 3), None)),
        ),
        (
            "repeat_counts_one",
            vec![],
            Inputs(|x| x[0].repeat_counts(&array([2]), Some(1))),
        ),
        (
            "fill_diagonal",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.fill_diagonal(1);
                c
            }),
        ),
        (
            "fill_diagonal_array",
            vec![],
            Inputs(|x| {
                let mut c = x[0].clone();
                c.fill_diagonal(x[0].slice(s![0, ..2]));
                c
            }),
        ),
        (
            "fill_diagonal_tall",
            vec![],
            Inputs(|x| {
                let mut c = x[0].t();
                c.fill_diagonal(1);
                c
            }),
        ),
        (
            "choose",
            vec![],
            Inputs(|x| {
                let idx = array([[0, 1, 2, 1], [2, 0, 0, 1], [1, 2, 0, 0]]);
                lazygrad::choose(
                    &idx,
                    &[&x[0], &x[0].slice(s![..;-1]), &x[0].slice(s![.., ..;-1])],
                )
            }),
        ),
        (
            "choose_row",
            vec![],
            Inputs(|x| lazygrad::choose(&array([0, 1, 1, 0]), &[&x[0], &x[0].slice(s![0])])),
        ),
        (
            "choose_idx",
            vec![],
            Inputs(|x| lazygrad::choose(&x[0], &[&x[1], &x[2]])),
        ),
        (
            "select",
            vec![],
            Inputs(|x| {
                let conds = [truthy(&x[0]), x[0].astype(DType::F64).lt(-0.5)];
                lazygrad::select(&[&conds[0], &conds[1]], &[&x[0], &x[0].slice(s![..;-1])], 0)
            }),
        ),
        (
            "select_float_default",
            vec![],
            Inputs(|x| {
                let conds = [truthy(&x[0]), x[0].astype(DType::F64).lt(-0.5)];
                lazygrad::select(
                    &[&conds[0], &conds[1]],
                    &[&x[0], &x[0].slice(s![.., ..;-1])],
                    0.5,
                )
            }),
        ),
        (
            "broadcast_arrays_0",
            vec![],
            Inputs(|x| {
                lazygrad::broadcast_arrays(&[&x[0].slice(s![.., ..1]), &x[0].slice(s![0])])[0]
                    .clone()
            }),
        ),
        (
            "broadcast_arrays_1",
            vec![],
            Inputs(|x| {
                lazygrad::broadcast_arrays(&[&x[0].slice(s![.., ..1]), &x[0].slice(s![0])])[1]
                    .clone()
            }),
        ),
        (
            "array_split_p0",
            vec![],
            Inputs(|x| x[0].array_split(3, 1)[0].clone()),
        ),
        (
            "array_split_p2",
            vec![],
            Inputs(|x| x[0].array_split(3, 1)[2].clone()),
        ),
        (
            "array_split_empty_p4",
            vec![],
            Inputs(|x| x[0].array_split(5, 0)[4].clone()),
        ),
        ("hsplit_p1", vec![], Inputs(|x| x[0].hsplit(2)[1].clone())),
        (
            "hsplit_1d_p3",
            vec![],
            Inputs(|x| x[0].slice(s![0]).hsplit(4)[3].clone()),
        ),
        ("vsplit_p2", vec![], Inputs(|x| x[0].vsplit(3)[2].clone())),
        (
            "ix",
            vec![],
            Inputs(|x| {
                let ix = lazygrad::ix_(&[&array([2, 0]), &array([1, 3, 0])]);
                x[0].slice(s![&ix[0], &ix[1]])
            }),
        ),
        (
            "ix_mask",
            vec![],
            Inputs(|x| {
                let ix = lazygrad::ix_(&[&array([true, false, true]), &array([3, 1])]);
                x[0].slice(s![&ix[0], &ix[1]])
            }),
        ),
        (
            "diag_indices",
            vec![],
            Inputs(|x| {
                let d = lazygrad::diag_indices(3, 2);
                x[0].slice(s![..3, ..3]).slice(s![&d[0], &d[1]])
            }),
        ),
        (
            "tril_indices",
            vec![],
            Inputs(|x| {
                let (r, c) = lazygrad::tril_indices(3, 0, Some(4));
                x[0].slice(s![&r, &c])
            }),
        ),
        (
            "tril_indices_kneg1",
            vec![],
            Inputs(|x| {
                let (r, c) = lazygrad::tril_indices(3, -1, Some(4));
                x[0].slice(s![&r, &c])
            }),
        ),
        (
            "triu_indices_k1",
            vec![],
            Inputs(|x| {
                let (r, c) = lazygrad::triu_indices(3, 1, Some(4));
                x[0].slice(s![&r, &c])
            }),
        ),
        ("flatnonzero", vec![], Inputs(|x| x[0].flatnonzero())),
        ("flatnonzero_none", vec![], Inputs(|x| x[0].flatnonzero())),
        (
            "unravel_index_0",
            vec![],
            Inputs(|x| lazygrad::unravel_index(&x[0], [4, 6])[0].clone()),
        ),
        (
            "unravel_index_1",
            vec![],
            Inputs(|x| lazygrad::unravel_index(&x[0], [4, 6])[1].clone()),
        ),
        (
            "unravel_index3_2",
            vec![],
            Inputs(|x| lazygrad::unravel_index(&x[0], [2, 3, 4])[2].clone()),
        ),
        (
            "ravel_multi_index",
            vec![],
            Inputs(|x| lazygrad::ravel_multi_index(&[&x[0], &x[1]], [4, 6])),
        ),
        (
            "tril_indices_4_rows",
            vec![],
            Create(|| lazygrad::tril_indices(4, 0, None).0),
        ),
        (
            "tril_indices_4_cols",
            vec![],
            Create(|| lazygrad::tril_indices(4, 0, None).1),
        ),
        (
            "triu_indices_3_k1_m5_rows",
            vec![],
            Create(|| lazygrad::triu_indices(3, 1, Some(5)).0),
        ),
        (
            "triu_indices_3_k1_m5_cols",
            vec![],
            Create(|| lazygrad::triu_indices(3, 1, Some(5)).1),
        ),
        (
            "tril_indices_4_kneg5",
            vec![],
            Create(|| lazygrad::tril_indices(4, -5, None).0),
        ),
        (
            "diag_indices_3_3d",
            vec![],
            Create(|| lazygrad::diag_indices(3, 3)[2].clone()),
        ),
        ("identity_3", vec![], Create(|| lazygrad::identity(3))),
        (
            "logspace_0_2_5",
            vec![],
            Create(|| lazygrad::logspace(0.0, 2.0, 5)),
        ),
        (
            "logspace_neg",
            vec![],
            Create(|| lazygrad::logspace(-1.5, 1.25, 7)),
        ),
        (
            "logspace_base2_noendpoint",
            vec![],
            Create(|| lazygrad::logspace_with(0.0, 3.0, 4, false, 2.0)),
        ),
        (
            "geomspace_1_1000_4",
            vec![],
            Create(|| lazygrad::geomspace(1.0, 1000.0, 4)),
        ),
        (
            "geomspace_frac",
            vec![],
            Create(|| lazygrad::geomspace(0.3, 7.1, 9)),
        ),
        (
            "geomspace_desc",
            vec![],
            Create(|| lazygrad::geomspace(100.0, 1.0, 3)),
        ),
        (
            "geomspace_neg",
            vec![],
            Create(|| lazygrad::geomspace(-1.0, -1000.0, 5)),
        ),
        (
            "geomspace_noendpoint",
            vec![],
            Create(|| lazygrad::try_geomspace(2.0, 50.0, 6, false).expect("nonzero ends")),
        ),
        // Statistics, counting, sorting and sets (issue 17).
        (
            "median",
            vec![],
            Reduce(|x, a, k| x.median(a.as_deref(), k)),
        ),
        (
            "percentile_q30",
            vec![],
            Reduce(|x, a, k| x.percentile(30.0, a.as_deref(), k)),
        ),
        (
            "percentile_q62p5",
            vec![],
            Reduce(|x, a, k| x.percentile(62.5, a.as_deref(), k)),
        ),
        (
            "quantile_qs",
            vec![],
            Reduce(|x, a, k| x.quantile([0.0, 0.25, 0.5, 0.9, 1.0], a.as_deref(), k)),
        ),
        (
            "quantile_q0p5",
            vec![],
            Reduce(|x, a, k| x.quantile(0.5, a.as_deref(), k)),
        ),
        (
            "quantile_q1",
            vec![],
            Reduce(|x, a, k| x.quantile(1.0, a.as_deref(), k)),
        ),
        ("ptp", vec![], Reduce(|x, a, k| x.ptp(a.as_deref(), k))),
        (
            "average",
            vec![],
            Reduce(|x, a, k| x.average(a.as_deref(), None, k)),
        ),
        (
            "nansum",
            vec![],
            Reduce(|x, a, k| x.nansum(a.as_deref(), k)),
        ),
        (
            "nanmean",
            vec![],
            Reduce(|x, a, k| x.nanmean(a.as_deref(), k)),
        ),
        (
            "nanmax",
            vec![],
            Reduce(|x, a, k| x.nanmax(a.as_deref(), k)),
        ),
        (
            "nanmin",
            vec![],
            Reduce(|x, a, k| x.nanmin(a.as_deref(), k)),
        ),
        (
            "nanvar",
            vec![],
            Reduce(|x, a, k| x.nanvar(a.as_deref(), 0, k)),
        ),
        (
            "nanvar_ddof1",
            vec![],
            Reduce(|x, a, k| x.nanvar(a.as_deref(), 1, k)),
        ),
        (
            "nanstd",
            vec![],
            Reduce(|x, a, k| x.nanstd(a.as_deref(), 0, k)),
        ),
        (
            "nanmedian",
            vec![],
            Reduce(|x, a, k| x.nanmedian(a.as_deref(), k)),
        ),
        (
            "nanargmax",
            vec![],
            Reduce(|x, a, k| x.nanargmax(a.map(|a| a[0]), k)),
        ),
        (
            "nanargmin",
            vec![],
            Reduce(|x, a, k| x.nanargmin(a.map(|a| a[0]), k)),
        ),
        (
            "average_weights_axis1",
            vec![],
            Inputs(|x| x[0].average(Some(&[1]), Some(&x[1]), false)),
        ),
        (
            "average_weights_full",
            vec![],
            Inputs(|x| x[0].average(None, Some(&x[1]), false)),
        ),
        (
            "average_weights_sum_axis0",
            vec![],
            Inputs(|x| x[0].average_returned(Some(&[0]), Some(&x[1]), false).1),
        ),
        (
            "average_returned_count_axis1",
            vec![],
            Inputs(|x| x[0].average_returned(Some(&[1]), None, false).1),
        ),
        (
            "cov",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0], None, true, false, None)),
        ),
        (
            "cov_rowvar0",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0], None, false, false, None)),
        ),
        (
            "cov_bias",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0], None, true, true, None)),
        ),
        (
            "cov_ddof2",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0], None, true, false, Some(2))),
        ),
        (
            "cov_1d",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0].slice(s![0]), None, true, false, None)),
        ),
        (
            "cov_y",
            vec![],
            Inputs(|x| lazygrad::cov(&x[0], Some(&x[1]), true, false, None)),
        ),
        (
            "corrcoef",
            vec![],
            Inputs(|x| lazygrad::corrcoef(&x[0], None, true)),
        ),
        (
            "corrcoef_rowvar0",
            vec![],
            Inputs(|x| lazygrad::corrcoef(&x[0], None, false)),
        ),
        (
            "corrcoef_1d",
            vec![],
            Inputs(|x| lazygrad::corrcoef(&x[0].slice(s![0]), None, true)),
        ),
        (
            "corrcoef_y",
            vec![],
            Inputs(|x| lazygrad::corrcoef(&x[0], Some(&x[1]), true)),
        ),
        (
            "histogram_b5_counts",
            vec![],
            Inputs(|x| x[0].histogram(5, None).0),
        ),
        (
            "histogram_b5_edges",
            vec![],
            Inputs(|x| x[0].histogram(5, None).1),
        ),
        (
            "histogram_b6_range_counts",
            vec![],
            Inputs(|x| x[0].histogram(6, Some((-1.5, 1.5))).0),
        ),
        (
            "histogram_b4_narrow_counts",
            vec![],
            Inputs(|x| x[0].histogram(4, Some((-1.0, 0.5))).0),
        ),
        (
            "histogram_b4_narrow_edges",
            vec![],
            Inputs(|x| x[0].histogram(4, Some((-1.0, 0.5))).1),
        ),
        (
            "histogram_given_edges_counts",
            vec![],
            Inputs(|x| x[0].histogram(array([-1.5, -0.5, 0.0, 0.5, 1.5]), None).0),
        ),
        (
            "histogram_b4_range_counts",
            vec![],
            Inputs(|x| x[0].histogram(4, Some((-1.0, 1.0))).0),
        ),
        ("bincount", vec![], Inputs(|x| x[0].bincount(None, 0))),
        (
            "bincount_minlength15",
            vec![],
            Inputs(|x| x[0].bincount(None, 15)),
        ),
        (
            "bincount_weights",
            vec![],
            Inputs(|x| x[0].bincount(Some(&x[1]), 0)),
        ),
        ("unique_values", vec![], Inputs(|x| x[0].unique())),
        (
            "unique_index",
            vec![],
            Inputs(|x| x[0].unique_all().indices),
        ),
        (
            "unique_inverse",
            vec![],
            Inputs(|x| x[0].unique_all().inverse),
        ),
        (
            "unique_counts",
            vec![],
            Inputs(|x| x[0].unique_all().counts),
        ),
        (
            "searchsorted_left",
            vec![],
            Inputs(|x| x[0].searchsorted(&x[1], Side::Left)),
        ),
        (
            "searchsorted_right",
            vec![],
            Inputs(|x| x[0].searchsorted(&x[1], Side::Right)),
        ),
        (
            "digitize_increasing",
            vec![],
            Inputs(|x| lazygrad::digitize(&x[0], &x[1], false)),
        ),
        (
            "digitize_increasing_right",
            vec![],
            Inputs(|x| lazygrad::digitize(&x[0], &x[1], true)),
        ),
        (
            "digitize_decreasing",
            vec![],
            Inputs(|x| lazygrad::digitize(&x[0], &x[1].flip(0), false)),
        ),
        (
            "digitize_decreasing_right",
            vec![],
            Inputs(|x| lazygrad::digitize(&x[0], &x[1].flip(0), true)),
        ),
        (
            "isin",
            vec![],
            Inputs(|x| lazygrad::isin(&x[0], &x[1], false)),
        ),
        (
            "isin_invert",
            vec![],
            Inputs(|x| lazygrad::isin(&x[0], &x[1], true)),
        ),
        (
            "intersect1d",
            vec![],
            Inputs(|x| lazygrad::intersect1d(&x[0], &x[1])),
        ),
        (
            "union1d",
            vec![],
            Inputs(|x| lazygrad::union1d(&x[0], &x[1])),
        ),
        (
            "setdiff1d",
            vec![],
            Inputs(|x| lazygrad::setdiff1d(&x[0], &x[1])),
        ),
        (
            "lexsort",
            vec![],
            Inputs(|x| lazygrad::lexsort(&[&x[0], &x[1]])),
        ),
        (
            "lexsort2d",
            vec![],
            Inputs(|x| lazygrad::lexsort(&[&x[0], &x[1]])),
        ),
        // numpy's partition arrangement is its own; only the kth element is fixed (the other
        // elements' side of it is checked by `partitions_put_smaller_before_and_larger_after`).
        (
            "partition_k1_axis1",
            vec![],
            Inputs(|x| x[0].partition(1, 1).slice(s![.., 1])),
        ),
        (
            "partition_kneg1_axis0",
            vec![],
            Inputs(|x| x[0].partition(-1, 0).slice(s![-1])),
        ),
        (
            "argpartition_k2_axis0",
            vec![],
            Inputs(|x| {
                x[0].take_along_axis(&x[0].argpartition(2, 0), 0)
                    .slice(s![2])
            }),
        ),
    ]
}

/// `ufunc.at(a, [0, 0, 2, 3, 0], b)`, as the golden `ufunc_at_*` cases run it.
fn ufunc_at(ufunc: Ufunc, x: &[Tensor]) -> Tensor {
    let mut a = x[0].clone();
    ufunc.at(&mut a, s![&array([0, 0, 2, 3, 0])], &x[1]);
    a
}

/// The mask the golden mask rows use: elements above one half (true for bools).
fn truthy(x: &Tensor) -> Tensor {
    x.astype(DType::F64).gt(0.5)
}

/// All axes when a reduction row is given `None`.
fn all(x: &Tensor, axes: Option<Vec<isize>>) -> Vec<isize> {
    axes.unwrap_or_else(|| (0..x.ndim() as isize).collect())
}

/// Splits `sum_3d_axes0_2_keepdims` into the row name, the axes and keepdims.
fn parse_reduction(op: &str) -> Option<(&str, Option<Vec<isize>>, bool)> {
    let (base, rest) = op.split_once("_2d_").or_else(|| op.split_once("_3d_"))?;
    // `_empty` cases reduce an array with a zero-length axis, `_allnan` ones an array with a
    // slice of NaN only, `_even` ones an even number of values: parsed like the others.
    let rest = ["_empty", "_allnan", "_even"]
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix))
        .unwrap_or(rest);
    let (axes, keepdims) = match rest.strip_suffix("_keepdims") {
        Some(axes) => (axes, true),
        None => (rest, false),
    };
    let axes = match axes {
        "all" => None,
        "axis0" => Some(vec![0]),
        "axisneg1" => Some(vec![-1]),
        "axes0_2" => Some(vec![0, 2]),
        other => panic!("unknown axes {other:?} in golden case {op}"),
    };
    Some((base, axes, keepdims))
}

/// `sum_3d_axis0_rep0_2` -> `sum_3d_axis0`: the `_rep<axes>` suffix of golden cases whose inputs
/// are numpy broadcast views (run in `Layout::Broadcast` too); `None` if there is none.
fn rep_suffix(op: &str) -> Option<usize> {
    let at = op.rfind("_rep")?;
    let axes = &op[at + 4..];
    (!axes.is_empty() && axes.chars().all(|c| c.is_ascii_digit() || c == '_')).then_some(at)
}

fn strip_rep(op: &str) -> &str {
    rep_suffix(op).map_or(op, |at| &op[..at])
}

/// The layouts a case runs in: every layout, plus `Broadcast` when an input repeats along an
/// axis. A `_rep` case must have such an input, and its Broadcast input must read a stride-0
/// view.
fn layouts_of(case: &GoldenCase) -> Result<Vec<Layout>, String> {
    let mut layouts = LAYOUTS.to_vec();
    let repeated = case.inputs.iter().any(|npy| !repeated_axes(npy).is_empty());
    let op = case.name.split('-').next().expect("split yields one item");
    if rep_suffix(op).is_some() {
        if !repeated {
            return Err(format!(
                "{}: a _rep case without a repeated input",
                case.name
            ));
        }
        for npy in &case.inputs {
            let axes = repeated_axes(npy);
            let strides = view_strides(&tensor(npy, Layout::Broadcast));
            if axes.iter().any(|&axis| strides[axis] != 0) {
                return Err(format!(
                    "{}: repeated axes {axes:?} but the Broadcast input has strides {strides:?}",
                    case.name
                ));
            }
        }
    }
    if repeated {
        layouts.push(Layout::Broadcast);
    }
    Ok(layouts)
}

/// The dtype of an `astype-<from>-<to>` case's target.
fn dtype_named(name: &str) -> DType {
    DType::ALL
        .into_iter()
        .find(|d| d.name() == name)
        .unwrap_or_else(|| panic!("unknown dtype {name}"))
}

/// Builds a case's result in one layout, or says which row is missing.
fn run_case(
    case: &GoldenCase,
    layout: Layout,
    rows: &[(&'static str, Vec<&'static str>, Row)],
) -> Result<Tensor, String> {
    let inputs: Vec<Tensor> = case.inputs.iter().map(|npy| tensor(npy, layout)).collect();
    let op = strip_rep(case.name.split('-').next().expect("split yields one item"));
    if op == "astype" {
        let to = case
            .name
            .rsplit('-')
            .next()
            .expect("astype cases name a dtype");
        return Ok(inputs[0].astype(dtype_named(to)));
    }
    let base = ["_mix", "_bcast", "_wrap", "_nan"]
        .iter()
        .find_map(|suffix| op.strip_suffix(suffix))
        .unwrap_or(op);
    let base = match base {
        b if b.starts_with("matmul_") => "matmul",
        b if b.starts_with("dot_") => "dot",
        b => b,
    };
    let find = |name: &str| {
        rows.iter()
            .find(|(row, _, _)| *row == name)
            .map(|(_, _, row)| row)
    };
    if let Some(row) = find(base) {
        return Ok(match row {
            Row::Inputs(build) => build(&inputs),
            Row::Create(build) => build(),
            Row::Reduce(build) => build(&inputs[0], None, false),
        });
    }
    let (name, axes, keepdims) =
        parse_reduction(base).ok_or_else(|| format!("no row for golden op {base:?}"))?;
    match find(name) {
        Some(Row::Reduce(build)) => Ok(build(&inputs[0], axes, keepdims)),
        _ => Err(format!("no reduction row for golden op {name:?}")),
    }
}

fn check(case: &GoldenCase, actual: &Tensor, context: &str) -> Result<(), String> {
    let expected = &case.output;
    if actual.dtype().name() != dtype_name(expected) {
        return Err(format!(
            "{context}: dtype {} but numpy gives {}",
            actual.dtype(),
            dtype_name(expected)
        ));
    }
    let (got, want) = (values(actual), expected.data.to_f64_vec());
    let got = (actual.shape(), &got[..]);
    let want = (&expected.shape[..], &want[..]);
    match actual.dtype() {
        // float32 results may differ from numpy's SIMD loops by a few ulps.
        DType::F32 => check_allclose(got, want, 2e-6, 1e-6, context),
        DType::F64 => check_allclose(got, want, 1e-12, 1e-12, context),
        // float16 sums may round once where numpy rounds per step: one ulp (2^-10 relative).
        DType::F16 => check_allclose(got, want, 1e-3, 1e-3, context),
        _ => check_array_equal(got, want, context),
    }
}

#[test]
fn every_golden_case_matches_numpy_in_every_layout() {
    let rows = rows();
    let mut failures = Vec::new();
    let cases = list_cases();
    assert!(
        cases.len() > 800,
        "the golden set shrank to {} cases",
        cases.len()
    );
    for name in &cases {
        let case = load_case(name);
        let layouts = match layouts_of(&case) {
            Ok(layouts) => layouts,
            Err(report) => {
                failures.push(report);
                continue;
            }
        };
        for layout in layouts {
            let context = format!("{name} [{layout:?}]");
            match run_case(&case, layout, &rows) {
                Ok(actual) => {
                    if let Err(report) = check(&case, &actual, &context) {
                        failures.push(report);
                    }
                }
                Err(missing) => failures.push(format!("{context}: {missing}")),
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
fn unfused_results_equal_fused_results_on_every_golden_case() {
    let rows = rows();
    let mut failures = Vec::new();
    for name in list_cases() {
        let case = load_case(&name);
        let fused =
            run_case(&case, Layout::Sliced, &rows).expect("rows are checked by the other test");
        let unfused = lazygrad::with_fusion(false, || {
            let res =
                run_case(&case, Layout::Sliced, &rows).expect("rows are checked by the other test");
            res.realize();
            res
        });
        // Fusion keeps the order of operations, so results must be bitwise equal.
        let (a, b) = (values(&fused), values(&unfused));
        let same = a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()));
        if !same {
            failures.push(format!("{name}: fused {a:?} != unfused {b:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_primitive_has_a_golden_row() {
    let covered: Vec<&str> = rows().into_iter().flat_map(|(_, prims, _)| prims).collect();
    let labels = UnaryOp::ALL
        .iter()
        .map(|op| op.label())
        .chain(BinaryOp::ALL.iter().map(|op| op.label()))
        .chain(CompareOp::ALL.iter().map(|op| op.label()))
        .chain(ReduceOp::ALL.iter().map(|op| op.label()))
        .chain(["where", "matmul", "cumsum", "cumprod", "argmax", "argmin"])
        .chain([
            "reshape",
            "permute",
            "expand",
            "slice",
            "pad",
            "concatenate",
            "gather",
            "scatter",
            "scatter_add",
            "sort",
            "argsort",
        ]);
    // Primitives whose numpy functions are tested elsewhere: `reciprocal` and `logical_xor` build
    // no numpy-level function of their own yet.
    let exempt = ["reciprocal", "logical_xor"];
    let missing: Vec<&str> = labels
        .filter(|label| !covered.contains(label) && !exempt.contains(label))
        .collect();
    assert!(
        missing.is_empty(),
        "primitives without a golden row: {missing:?}"
    );
}

/// numpy 2's promotion of every pair of dtypes, and of every dtype with a weak literal, as
/// `golden/promotion.txt` records it: `DType::promote`, `DType::promote_weak` and the dtype of
/// an actual `add` must all agree with numpy.
#[test]
fn promotion_matches_numpy_pair_by_pair() {
    let path = lazygrad_testutil::golden_dir().join("promotion.txt");
    let text = std::fs::read_to_string(&path).expect("gen.py writes promotion.txt");
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in text.lines() {
        let [a, b, want] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("bad line {line:?}");
        };
        let (a, want) = (dtype_named(a), dtype_named(want));
        let x = lazygrad::zeros([1]).astype(a);
        let (promoted, added) = match b {
            "bool" => (a.promote_weak(lazygrad::Kind::Bool), (&x + true).dtype()),
            "int" => (a.promote_weak(lazygrad::Kind::Int), (&x + 1).dtype()),
            "float" => (a.promote_weak(lazygrad::Kind::Float), (&x + 1.0).dtype()),
            b => {
                let b = dtype_named(b);
                let y = lazygrad::zeros([1]).astype(b);
                (a.promote(b), (&x + &y).dtype())
            }
        };
        if promoted != want || added != want {
            failures.push(format!(
                "{line}: promote gives {promoted}, add gives {added}"
            ));
        }
        rows += 1;
    }
    assert_eq!(rows, 12 * 12 + 12 * 3, "every pair and every weak kind");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Literals on the left of an operator infer without annotations: one integer type (`i64`) and
/// one float type (`f64`) implement the operators with a tensor on the right, so the result's
/// type is known where the next method call needs it (E0282 before).
#[test]
fn literals_on_the_left_infer_without_annotations() {
    let b = 2 * lazygrad::ones([5, 5]);
    assert_eq!(b.sum().item::<f64>(), 50.0);
    let a = array([0.6, 0.8]);
    let c = (1.0 - &a * &a).sqrt();
    let expected: Vec<f64> = [0.6f64, 0.8].iter().map(|x| (1.0 - x * x).sqrt()).collect();
    assert_eq!(c.to_vec::<f64>(), expected);
    let bits = (1 << arange(4)).sum();
    assert_eq!(bits.item::<i64>(), 15);
    let masked = (6 & array([3, 5])) | 8;
    assert_eq!(masked.to_vec::<i64>(), vec![10, 12]);
}

/// float16 rounds after every operation, as numpy does, in large fused kernels too (past the
/// JIT's threshold): `sqrt(a*a + a)` equals each step computed in float32 and rounded by hand.
/// The same expression matched numpy's output bit for bit on all 2^18 elements (checked by hand
/// with `np.sqrt(a*a + a)`, `a = np.arange(2**18).astype(np.float16) * 0.001`).
#[test]
fn float16_rounds_after_every_operation_in_large_fused_kernels() {
    let n = 1i64 << 18;
    let a = arange(n).astype(DType::F16) * 0.001;
    let fused = (&a * &a + &a).sqrt();
    let step = |t: Tensor| t.astype(DType::F16).astype(DType::F32);
    let scale = f32::from(lazygrad::f16::from_f64(0.001));
    let a32 = step(arange(n).astype(DType::F16).astype(DType::F32) * scale);
    let sum = step(step(&a32 * &a32) + &a32);
    let by_hand = sum.sqrt().astype(DType::F16);
    let same = fused
        .equal(&by_hand)
        .logical_or(fused.isnan().logical_and(by_hand.isnan()));
    assert_eq!(same.astype(DType::I64).sum().item::<i64>(), n);
    let unfused = lazygrad::with_fusion(false, || {
        let a = arange(n).astype(DType::F16) * 0.001;
        let t = (&a * &a + &a).sqrt();
        t.realize();
        t
    });
    assert!(lazygrad::array_equal(&fused, &unfused));
}
