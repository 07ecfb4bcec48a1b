//! Bad input gets a clear error naming the op and the shapes, at the user's line.

use lazygrad::{DType, Error, Tensor, array, zeros};

#[test]
fn broadcast_mismatch_names_both_shapes() {
    let a = zeros([4, 3]);
    let b = zeros([2]);
    let err = a.try_add(&b).unwrap_err();
    assert_eq!(
        err.to_string(),
        "add: operands could not be broadcast together with shapes (4,3) (2,)"
    );
    assert!(matches!(err, Error::Broadcast { op: "add", .. }));
}

#[test]
fn operator_panics_point_at_the_users_line() {
    let a = zeros([4, 3]);
    let b = zeros([2]);
    let caught = std::panic::catch_unwind(|| &a + &b);
    let payload = caught.unwrap_err();
    let message = payload
        .downcast_ref::<String>()
        .expect("panics carry a formatted message");
    assert!(
        message.contains("could not be broadcast together with shapes (4,3) (2,)"),
        "{message}"
    );
    // The hook-independent check: the location recorded for a node is the caller's line.
    let (t, line) = (&a * 2.0, line!());
    assert_eq!(t.location().file(), file!());
    assert_eq!(t.location().line(), line);
}

#[test]
fn reshape_errors_use_numpys_wording() {
    let a = lazygrad::arange(12);
    assert_eq!(
        a.try_reshape([5, -1]).unwrap_err().to_string(),
        "cannot reshape array of size 12 into shape (5,newaxis)"
    );
    assert_eq!(
        a.try_reshape([5, 2]).unwrap_err().to_string(),
        "cannot reshape array of size 12 into shape (5,2)"
    );
    assert!(a.try_reshape([-1, -1]).is_err());
}

#[test]
fn axis_errors_name_the_axis_and_ndim() {
    let a = zeros([2, 3]);
    let err = a.try_sum_axes([2], false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sum: axis 2 is out of bounds for array of dimension 2"
    );
    assert!(matches!(
        a.try_sum_axes([0, -2], false).unwrap_err(),
        Error::RepeatedAxis { .. }
    ));
}

#[test]
fn dtype_errors_match_numpy() {
    let mask = array([true, false]);
    assert!(matches!(
        mask.try_negative().unwrap_err(),
        Error::DType {
            op: "negative",
            dtype: DType::Bool
        }
    ));
    assert!(matches!(
        mask.try_subtract(&mask).unwrap_err(),
        Error::DType { op: "subtract", .. }
    ));
    let image = Tensor::from_vec(vec![1u8, 2], [2]);
    assert!(matches!(
        image.try_add(300).unwrap_err(),
        Error::ScalarOutOfBounds { value: 300, .. }
    ));
    assert_eq!(
        (&image * 200).to_vec::<u8>(),
        vec![200, 144],
        "uint8 * literal stays uint8 and wraps"
    );
}

#[test]
fn matmul_errors_name_both_shapes() {
    let err = zeros([4, 3]).try_matmul(&zeros([2])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 2 is different from 3)"
    );
    let err = zeros([2, 3]).try_dot(&zeros([2, 3])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)"
    );
    let err = zeros([2, 3]).try_dot(&zeros([4])).unwrap_err();
    assert!(matches!(err, Error::MatMul { op: "dot", .. }));
}

#[test]
fn ragged_arrays_are_rejected() {
    let err = lazygrad::try_array(vec![vec![1, 2], vec![3]]).unwrap_err();
    assert!(
        err.to_string()
            .contains("inhomogeneous shape after 1 dimensions"),
        "{err}"
    );
    assert_eq!(
        lazygrad::try_array(vec![vec![1, 2], vec![3, 4]])
            .unwrap()
            .shape(),
        &[2, 2]
    );
}

#[test]
fn empty_max_and_wrong_element_types_are_errors() {
    let empty = Tensor::from_vec(Vec::<f64>::new(), [0]);
    let caught = std::panic::catch_unwind(|| empty.max());
    assert!(caught.is_err());
    assert!(matches!(
        array([1, 2]).try_to_vec::<f64>().unwrap_err(),
        Error::ElementType { .. }
    ));
    assert!(array([1, 2]).try_item::<i64>().is_err());
    assert!(lazygrad::try_arange_step(0, 5, 0).is_err());
    assert!(array([1.0]).try_as_strided([2], &[1], 0).is_err());
}

#[test]
fn every_reduction_has_a_fallible_form() {
    use lazygrad::Reduction::*;
    let a = zeros([2, 3]);
    for reduction in [
        Sum,
        Prod,
        Max,
        Min,
        Any,
        All,
        Mean,
        Var(0),
        Std(1),
        ArgMax,
        ArgMin,
        CumSum,
        CumProd,
    ] {
        let err = a.try_reduce(reduction, Some(&[3]), false).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Axis {
                    axis: 3,
                    ndim: 2,
                    ..
                }
            ),
            "{reduction:?}: {err}"
        );
        assert!(
            a.try_reduce(reduction, Some(&[-1]), false).is_ok(),
            "{reduction:?}"
        );
    }
    let empty = zeros([0]);
    assert!(empty.try_reduce(Max, None, false).is_err());
    assert!(empty.try_reduce(ArgMin, None, false).is_err());
    assert_eq!(
        empty.try_reduce(Sum, None, false).unwrap().item::<f64>(),
        0.0
    );
}
