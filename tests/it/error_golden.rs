//! Every error case of the views and core issues against numpy's own message.
//!
//! `golden/gen.py` runs each numpy expression, catches the exception and writes `str(exc)` to
//! `golden/errors.txt` as `name<TAB>message`. Each row here runs the same call through lazygrad's
//! fallible (`try_`) form; lazygrad's message must contain numpy's (lazygrad prefixes the op,
//! e.g. "index: index 2 is out of bounds ..."). Where lazygrad's wording legitimately differs,
//! the row says so and pins lazygrad's own text instead.

use lazygrad::{Ellipsis, Error, Reduction, Shape, Tensor, arange, array, s, zeros};
use lazygrad_testutil::golden_dir;

/// What lazygrad's message must hold for a case.
enum Expect {
    /// numpy's message, verbatim (trailing spaces aside: numpy ends some shape lists with one).
    Numpy,
    /// lazygrad phrases it differently: its message contains the first text; the second says
    /// why (printed when the check fails).
    Differs(&'static str, &'static str),
}

/// The error lazygrad gives for a case; errors found at realize come from `try_realize`.
fn lazygrad_error(name: &str) -> Option<Error> {
    let a23 = array([[1, 2, 3], [4, 5, 6]]);
    let a34 = arange(12).reshape([3, 4]);
    let gather = |index: Tensor| array([1.0, 2.0, 3.0]).slice(s![&index]).try_realize();
    let result: Result<(), Error> = match name {
        "index_out_of_range" => a23.try_slice(s![2]).map(drop),
        "index_negative_out_of_range" => a23.try_slice(s![.., -4]).map(drop),
        "too_many_indices" => a23.try_slice(s![0, 0, 0]).map(drop),
        "slice_step_zero" => a23.try_slice(s![..;0]).map(drop),
        "two_ellipses" => a23.try_slice(s![Ellipsis, 0, Ellipsis]).map(drop),
        "fancy_index_out_of_range" => gather(array([0, 5])),
        "fancy_index_negative_out_of_range" => gather(array([-4])),
        "fancy_index_shape_mismatch" => a34
            .try_slice(s![&array([[0, 1]]), &array([0, 1, 2])])
            .map(drop),
        "fancy_index_float" => a34.try_slice(s![&array([1.0])]).map(drop),
        "mask_shape_mismatch" => a34.try_slice(s![&array([true, false])]).map(drop),
        "take_along_axis_ndim" => a34.try_take_along_axis(&array([0, 1, 2]), 1).map(drop),
        "nonzero_0d" => array(5).try_nonzero().map(drop),
        "reshape_mismatch" => arange(12).try_reshape([5, 2]).map(drop),
        "reshape_infer_mismatch" => arange(12).try_reshape([5, -1]).map(drop),
        "reshape_two_unknown" => arange(12).try_reshape([-1, -1]).map(drop),
        "transpose_repeated_axis" => a34.try_permute(&[0, 0]).map(drop),
        "broadcast_mismatch" => zeros([4, 3]).try_add(zeros([2])).map(drop),
        "broadcast_to_mismatch" => zeros([3]).try_broadcast_to(&Shape::from([2, 4])).map(drop),
        "where_mismatch" => lazygrad::try_where(&zeros([4, 3]).gt(1.0), zeros([2]), 0.0).map(drop),
        "matmul_mismatch" => zeros([4, 3]).try_matmul(&zeros([2])).map(drop),
        "dot_mismatch" => zeros([2, 3]).try_dot(&zeros([2, 3])).map(drop),
        "concatenate_mismatch" => {
            lazygrad::try_concatenate(&[&a34, &arange(3).reshape([1, 3])], 0).map(drop)
        }
        "stack_mismatch" => lazygrad::try_stack(&[&zeros([3, 4]), &zeros([3, 3])], 0).map(drop),
        "ragged_array" => lazygrad::try_array(vec![vec![1, 2], vec![3]]).map(drop),
        "sum_axis_out_of_range" => zeros([2, 3]).try_sum_axes([2], false).map(drop),
        "negative_bool" => array([true, false]).try_negative().map(drop),
        "subtract_bool" => {
            let mask = array([true, false]);
            mask.try_subtract(&mask).map(drop)
        }
        "invert_float" => array([1.5]).try_invert().map(drop),
        "left_shift_float" => array([1.5]).try_left_shift(1).map(drop),
        "bitwise_and_float" => array([1.5]).try_bitwise_and(1).map(drop),
        "uint8_scalar_out_of_range" => Tensor::from_vec(vec![1u8, 2], [2]).try_add(300).map(drop),
        "max_empty" => zeros([0]).try_reduce(Reduction::Max, None, false).map(drop),
        "argmin_empty" => zeros([0])
            .try_reduce(Reduction::ArgMin, None, false)
            .map(drop),
        "too_big" => array(0.0)
            .try_broadcast_to(&Shape::from([1 << 33, 1 << 33]))
            .map(drop),
        "arange_nan" => lazygrad::try_arange_step(0.0, f64::NAN, 1.0).map(drop),
        "arange_inf" => lazygrad::try_arange_step(0.0, f64::INFINITY, 1.0).map(drop),
        "arange_tiny_step" => lazygrad::try_arange_step(0.0, 1.0, 1e-300).map(drop),
        "matmul_0d" => array(1.0).try_matmul(&zeros([2])).map(drop),
        "var_axis_out_of_range" => zeros([3])
            .try_reduce(Reduction::Var(0), Some(&[1]), false)
            .map(drop),
        name if name.starts_with("random_") => random_error(name)?,
        _ => return manip_error(name).or_else(|| stats_error(name)),
    };
    Some(result.expect_err("numpy raises here, so lazygrad must fail too"))
}

/// The error cases of the manipulation and index helpers (issue 17's manip slice).
fn manip_error(name: &str) -> Option<Error> {
    let a6 = arange(6);
    let a34 = arange(12).reshape([3, 4]);
    let result: Result<(), Error> = match name {
        "unravel_index_out_of_range" => lazygrad::try_unravel_index(&array(10), [2, 3]).map(drop),
        "unravel_index_negative" => lazygrad::try_unravel_index(&array(-1), [2, 3]).map(drop),
        "unravel_index_float" => lazygrad::try_unravel_index(&array(1.0), [2, 3]).map(drop),
        "ravel_multi_index_invalid" => {
            lazygrad::try_ravel_multi_index(&[&array([0, 5]), &array([1, 1])], [2, 3]).map(drop)
        }
        "ravel_multi_index_length" => {
            lazygrad::try_ravel_multi_index(&[&array([0])], [2, 3]).map(drop)
        }
        "array_split_zero" => a6.try_array_split(0, 0).map(drop),
        "choose_out_of_range" => {
            let c = a6.slice(s![..2]);
            lazygrad::try_choose(&array([0, 3]), &[&c, &c]).map(drop)
        }
        "choose_negative" => {
            let c = a6.slice(s![..2]);
            lazygrad::try_choose(&array([0, -1]), &[&c, &c]).map(drop)
        }
        "moveaxis_repeated_source" => a34.try_moveaxis([0, 0], [1, 0]).map(drop),
        "moveaxis_repeated_destination" => a34.try_moveaxis([0, 1], [0, 0]).map(drop),
        "moveaxis_out_of_range" => a34.try_moveaxis([3], [0]).map(drop),
        "moveaxis_lengths" => a34.try_moveaxis([0], [0, 1]).map(drop),
        "rot90_same_axes" => a34.try_rot90(1, [0, 0]).map(drop),
        "rot90_out_of_range" => a34.try_rot90(1, [0, 3]).map(drop),
        "rot90_1d" => a6.try_rot90(1, [0, 1]).map(drop),
        "broadcast_arrays_mismatch" => {
            lazygrad::try_broadcast_arrays(&[&zeros([2]), &zeros([3])]).map(drop)
        }
        "roll_mismatch" => a6.try_roll_axes(&[1, 2], &[0, 0, 0]).map(drop),
        "insert_out_of_range" => lazygrad::try_insert(&a6, 7, 1, None).map(drop),
        "insert_2d_index" => lazygrad::try_insert(&a6, array([[1]]), 1, None).map(drop),
        "delete_out_of_range" => lazygrad::try_delete(&a6, 7, None).map(drop),
        "delete_list_out_of_range" => lazygrad::try_delete(&a6, array([7, 1]), None).map(drop),
        "delete_mask_length" => lazygrad::try_delete(&a6, array([true]), None).map(drop),
        "delete_float" => lazygrad::try_delete(&a6, array([1.0]), None).map(drop),
        "repeat_counts_negative" => a6
            .try_repeat_counts(&array([1, -1, 1, 1, 1, 1]), None)
            .map(drop),
        "repeat_counts_mismatch" => a6.try_repeat_counts(&array([1, 2]), None).map(drop),
        "select_lengths" => lazygrad::try_select(&[&a6.gt(1)], &[&a6, &a6], 0).map(drop),
        "select_empty" => lazygrad::try_select(&[], &[], 0).map(drop),
        "select_not_bool" => lazygrad::try_select(&[&a6], &[&a6], 0).map(drop),
        "geomspace_zero" => lazygrad::try_geomspace(0.0, 1.0, 3, true).map(drop),
        "hsplit_0d" => array(1).try_hsplit(2).map(drop),
        "vsplit_1d" => a6.try_vsplit(2).map(drop),
        "hsplit_unequal" => a6.try_hsplit(4).map(drop),
        "ix_2d" => lazygrad::try_ix_(&[&arange(4).reshape([2, 2])]).map(drop),
        "fill_diagonal_1d" => a6.try_fill_diagonal(1).map(drop),
        "fill_diagonal_unequal" => zeros([2, 3, 2]).try_fill_diagonal(1).map(drop),
        _ => return None,
    };
    Some(result.expect_err("numpy raises here, so lazygrad must fail too"))
}

/// The statistics slice's cases (issue 17), through their `try_` forms.
fn stats_error(name: &str) -> Option<Error> {
    let (floats, ones23) = (
        arange(3).astype(lazygrad::DType::F64),
        lazygrad::ones([2, 3]),
    );
    let pair = array([1.0, 2.0]);
    let result: Result<(), Error> = match name {
        "percentile_out_of_range" => floats.try_percentile(101.0, None, false).map(drop),
        "quantile_out_of_range" => floats.try_quantile(-0.5, None, false).map(drop),
        "quantile_empty" => zeros([0]).try_quantile(0.5, None, false).map(drop),
        "bincount_negative" => array([1, -1]).try_bincount(None, 0).map(drop),
        "bincount_2d" => zeros([2, 2])
            .astype(lazygrad::DType::I64)
            .try_bincount(None, 0)
            .map(drop),
        "bincount_weights_length" => array([1, 2]).try_bincount(Some(&array([1.0])), 0).map(drop),
        "average_weights_sum_zero" => pair
            .try_average(None, Some(&array([1.0, -1.0])), false)
            .map(drop),
        "average_weights_no_axis" => ones23
            .try_average(None, Some(&lazygrad::ones([3])), false)
            .map(drop),
        "average_weights_shape" => ones23
            .try_average(Some(&[1]), Some(&lazygrad::ones([2])), false)
            .map(drop),
        "partition_kth_out_of_range" => arange(4).try_partition(5, -1).map(drop),
        "argpartition_kth_negative" => arange(4).try_argpartition(-5, -1).map(drop),
        "nanargmax_all_nan" => array([[1.0, f64::NAN], [f64::NAN, f64::NAN]])
            .try_nanargmax(Some(1), false)
            .map(drop),
        "digitize_not_monotonic" => {
            lazygrad::try_digitize(&array([1]), &array([1, 3, 2]), false).map(drop)
        }
        "histogram_zero_bins" => pair.try_histogram(0, None).map(drop),
        "histogram_decreasing_edges" => pair.try_histogram(array([3.0, 1.0]), None).map(drop),
        "histogram_bad_range" => pair.try_histogram(10, Some((3.0, 1.0))).map(drop),
        "histogram_infinite_range" => array([1.0])
            .try_histogram(10, Some((0.0, f64::INFINITY)))
            .map(drop),
        "histogram_nan_data" => array([f64::NAN, 2.0]).try_histogram(10, None).map(drop),
        "cov_3d" => {
            lazygrad::try_cov(&lazygrad::ones([2, 2, 2]), None, true, false, None).map(drop)
        }
        "lexsort_no_keys" => lazygrad::try_lexsort(&[]).map(drop),
        "lexsort_shapes" => {
            lazygrad::try_lexsort(&[&lazygrad::ones([2]), &lazygrad::ones([3])]).map(drop)
        }
        _ => return None,
    };
    Some(result.expect_err("numpy raises here, so lazygrad must fail too"))
}

/// The random cases: each call of numpy's `Generator` through lazygrad's `try_` method.
fn random_error(name: &str) -> Option<Result<(), Error>> {
    let mut rng = lazygrad::random::default_rng(0);
    let p = |p: &'static [f64]| Some(p);
    let result = match name {
        "random_integers_empty" => rng.try_integers(5, 5, [2]).map(drop),
        "random_uniform_reversed" => rng.try_uniform(2.0, 1.0, [2]).map(drop),
        "random_uniform_infinite" => rng.try_uniform(0.0, f64::INFINITY, [2]).map(drop),
        "random_normal_scale" => rng.try_normal(0.0, -1.0, [2]).map(drop),
        "random_normal_negative_zero" => rng.try_normal(0.0, -0.0, [2]).map(drop),
        "random_exponential_scale" => rng.try_exponential(-1.0, [2]).map(drop),
        "random_gamma_shape" => rng.try_gamma(-1.0, 1.0, [2]).map(drop),
        "random_gamma_scale" => rng.try_gamma(1.0, -1.0, [2]).map(drop),
        "random_beta_a" => rng.try_beta(0.0, 1.0, [2]).map(drop),
        "random_beta_b" => rng.try_beta(1.0, -2.0, [2]).map(drop),
        "random_binomial_n" => rng.try_binomial(-1, 0.5, [2]).map(drop),
        "random_binomial_p" => rng.try_binomial(5, f64::NAN, [2]).map(drop),
        "random_poisson_negative" => rng.try_poisson(-1.0, [2]).map(drop),
        "random_poisson_too_large" => rng.try_poisson(1e19, [2]).map(drop),
        "random_multinomial_n" => rng.try_multinomial(-1, &[0.5, 0.5], [2]).map(drop),
        "random_multinomial_pvals" => rng.try_multinomial(5, &[-0.1, 1.1], [2]).map(drop),
        "random_multinomial_sum" => rng.try_multinomial(5, &[0.7, 0.6, 0.1], [2]).map(drop),
        "random_multinomial_empty" => rng.try_multinomial(5, &[], [2]).map(drop),
        "random_permutation_0d" => rng.try_permutation(array(3)).map(drop),
        "random_shuffle_0d" => rng.try_shuffle(&mut array(3)),
        "random_choice_zero" => rng.try_choice(0, [3], true, None).map(drop),
        "random_choice_empty" => rng.try_choice(zeros([0]), [3], true, None).map(drop),
        "random_choice_float_0d" => rng.try_choice(array(2.5), [3], true, None).map(drop),
        "random_choice_too_many" => rng.try_choice(3, [5], false, None).map(drop),
        "random_choice_p_size" => rng.try_choice(3, [2], true, p(&[0.5, 0.5])).map(drop),
        "random_choice_p_nan" => rng
            .try_choice(3, [2], true, p(&[f64::NAN, 0.5, 0.5]))
            .map(drop),
        "random_choice_p_negative" => rng.try_choice(3, [2], true, p(&[-0.5, 0.5, 1.0])).map(drop),
        "random_choice_p_sum" => rng.try_choice(3, [2], true, p(&[0.5, 0.5, 1e-7])).map(drop),
        "random_choice_p_zeros" => rng.try_choice(3, [3], false, p(&[0.5, 0.5, 0.0])).map(drop),
        _ => return None,
    };
    Some(result)
}

/// Cases where lazygrad's text is not numpy's: `(name, lazygrad's text, why)`. A
/// row here pins lazygrad's own wording, and the test fails once the case matches numpy.
const DIFFERS: &[(&str, &str, &str)] = &[(
    "random_choice_float_0d",
    "choice: a must be a sequence or an integer, not a 0-d float64 array",
    "numpy names the Python class, numpy.ndarray",
)];

/// What lazygrad's message must hold for a case.
fn expectation(name: &str) -> Expect {
    DIFFERS
        .iter()
        .find(|(case, _, _)| *case == name)
        .map_or(Expect::Numpy, |&(_, text, why)| Expect::Differs(text, why))
}

/// `(name, numpy's message)` from `golden/errors.txt`.
fn numpy_errors() -> Vec<(String, String)> {
    let path = golden_dir().join("errors.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .map(|line| {
            let (name, message) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}: no tab in {line:?}", path.display()));
            (name.to_string(), message.to_string())
        })
        .collect()
}

#[test]
fn every_error_case_gives_numpys_message() {
    let cases = numpy_errors();
    assert!(
        cases.len() >= 30,
        "errors.txt shrank to {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for (name, numpy) in &cases {
        let Some(err) = lazygrad_error(name) else {
            failures.push(format!("{name}: no lazygrad row for this numpy error case"));
            continue;
        };
        let ours = err.to_string();
        match expectation(name) {
            Expect::Numpy => {
                if !ours.contains(numpy.trim_end()) {
                    failures.push(format!("{name}:\n  numpy:    {numpy}\n  lazygrad: {ours}"));
                }
            }
            Expect::Differs(text, why) => {
                // If lazygrad now says what numpy says, the exception should go.
                if ours.contains(numpy.trim_end()) {
                    failures.push(format!("{name}: now matches numpy; drop the Differs row"));
                } else if !ours.contains(text) {
                    failures.push(format!(
                        "{name} ({why}): expected {text:?}\n  lazygrad: {ours}\n  numpy:    {numpy}"
                    ));
                }
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
