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
        _ => return stats_error(name),
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

/// Cases where lazygrad's text is not numpy's: `(name, lazygrad's text, why)`. None today; a
/// row here pins lazygrad's own wording, and the test fails once the case matches numpy.
const DIFFERS: &[(&str, &str, &str)] = &[];

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
