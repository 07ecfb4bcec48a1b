//! Properties of the statistics, sorting and set functions that one numpy golden cannot pin:
//! any valid partition, the mask rule for data-dependent shapes, and errors found in data.

use lazygrad::{Tensor, array, random};

/// Checks numpy's partition contract along the last axis of a 2-d `values` rearranged as
/// `arranged`: the same elements per row, and the `kth` element with nothing larger before it
/// and nothing smaller after it.
fn check_partition(values: &Tensor, arranged: &Tensor, kth: usize) {
    let cols = values.shape()[1];
    let (original, arranged) = (values.to_vec::<f64>(), arranged.to_vec::<f64>());
    for (row, (before, after)) in original.chunks(cols).zip(arranged.chunks(cols)).enumerate() {
        let (mut a, mut b) = (before.to_vec(), after.to_vec());
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        assert_eq!(a, b, "row {row} is not a rearrangement");
        let pivot = after[kth];
        assert_eq!(
            pivot, a[kth],
            "row {row}: the kth element is not the kth smallest"
        );
        assert!(
            after[..kth].iter().all(|&v| v <= pivot),
            "row {row}: larger before kth"
        );
        assert!(
            after[kth + 1..].iter().all(|&v| v >= pivot),
            "row {row}: smaller after kth"
        );
    }
}

#[test]
fn partitions_put_smaller_before_and_larger_after() {
    random::seed(17);
    let values = (random::random([6, 9]) * 10.0)
        .astype(lazygrad::DType::I64)
        .astype(lazygrad::DType::F64);
    for kth in [0, 4, 8] {
        check_partition(&values, &values.partition(kth as isize, 1), kth);
        let order = values.argpartition(kth as isize, -1);
        check_partition(&values, &values.take_along_axis(&order, 1), kth);
    }
    // A negative kth counts from the end, and a transposed input partitions along axis 0.
    let transposed = values.t();
    check_partition(&values, &transposed.partition(-2, 0).t(), 7);
}

#[test]
fn unique_and_set_shapes_come_from_the_data_when_built() {
    let a = array([[2, 7, 2], [7, 7, 1]]);
    let u = a.unique_all();
    // The values' length is known at once; the other fields are lazy nodes of their own.
    assert_eq!(u.values.shape(), &[3]);
    assert!(!u.counts.is_realized());
    assert_eq!(u.inverse.shape(), &[2, 3]);
    assert_eq!(
        u.values.take(&u.inverse.ravel()).to_vec::<i64>(),
        a.ravel().to_vec::<i64>()
    );
    assert_eq!(u.counts.to_vec::<i64>(), vec![1, 2, 3]);
    let empty = lazygrad::intersect1d(&a, &array([5, 9]));
    assert_eq!(
        (empty.shape(), empty.dtype()),
        (&[0usize][..], lazygrad::DType::I64)
    );
    assert_eq!(
        lazygrad::setdiff1d(&a, &array([7])).to_vec::<i64>(),
        vec![1, 2]
    );
}

#[test]
fn bincount_length_follows_the_largest_value_and_minlength() {
    let x = Tensor::from_vec(vec![3u8, 0, 3], [3]);
    assert_eq!(x.bincount(None, 0).to_vec::<i64>(), vec![1, 0, 0, 2]);
    assert_eq!(x.bincount(None, 6).shape(), &[6]);
    assert_eq!(
        array([0i64; 0]).bincount(None, 2).to_vec::<i64>(),
        vec![0, 0]
    );
    let message = array([1.5]).try_bincount(None, 0).unwrap_err().to_string();
    assert!(
        message.contains("Cannot cast array data from dtype('float64')"),
        "{message}"
    );
}

#[test]
fn errors_only_the_data_shows_are_found_when_the_node_is_built() {
    let nan = f64::NAN;
    let err = |r: lazygrad::Result<Tensor>| r.expect_err("numpy raises").to_string();
    assert!(
        err(array([[nan, nan], [1.0, 2.0]]).try_nanargmin(Some(1), false))
            .contains("All-NaN slice")
    );
    // A slice of NaN only along another axis is fine.
    let a = array([[nan, 1.0], [nan, 2.0]]);
    assert_eq!(a.nanargmax(Some(1), false).to_vec::<i64>(), vec![1, 1]);
    let weights = array([[1.0, -1.0], [2.0, 0.0]]);
    let avg = array([[1.0, 2.0], [3.0, 4.0]]).try_average(Some(&[1]), Some(&weights), false);
    assert!(err(avg).contains("Weights sum to zero"));
    let ones = array([1.0, 1.0]);
    assert!(
        err(lazygrad::try_digitize(
            &ones,
            &array([1.0, 3.0, 2.0]),
            false
        ))
        .contains("monotonically")
    );
}

#[test]
fn quantiles_of_a_list_stack_in_front_and_nan_slices_give_nan() {
    let a = array([[1.0, 2.0, 3.0, 4.0], [4.0, f64::NAN, 0.0, 1.0]]);
    let q = a.quantile([0.5, 1.0], Some(&[1]), true);
    assert_eq!(q.shape(), &[2, 2, 1]);
    let values = q.to_vec::<f64>();
    assert_eq!((values[0], values[2]), (2.5, 4.0));
    assert!(values[1].is_nan() && values[3].is_nan());
    assert_eq!(
        a.nanmedian(Some(&[1]), false).to_vec::<f64>(),
        vec![2.5, 1.0]
    );
    assert!(a.median(None, false).item::<f64>().is_nan());
}
