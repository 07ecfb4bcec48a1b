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

/// The message of the panic `body` raises on this thread, after checking that the panic points
/// at this file (the user's code), not into lazygrad.
///
/// The hook is installed once, chained before the previous one, and records only the panics of
/// the thread that asked, so tests running in parallel keep their output.
fn panic_at<R>(body: impl FnOnce() -> R) -> String {
    use std::cell::RefCell;
    use std::sync::Once;
    thread_local! {
        static RECORDING: RefCell<Option<String>> = const { RefCell::new(None) };
    }
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info
                .location()
                .map_or(String::new(), |l| l.file().to_string());
            RECORDING.with(|slot| {
                if let Some(slot) = slot.borrow_mut().as_mut() {
                    *slot = file;
                }
            });
            previous(info);
        }));
    });
    RECORDING.with(|slot| *slot.borrow_mut() = Some(String::new()));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    let file = RECORDING
        .with(|slot| slot.borrow_mut().take())
        .expect("recording was started above");
    let payload = match caught {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => payload,
    };
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert_eq!(
        file,
        file!(),
        "the panic of {message:?} points into lazygrad"
    );
    message
}

const TOO_BIG: &str =
    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.";

#[test]
fn hostile_sizes_panic_with_numpys_message_in_the_users_file() {
    use lazygrad::random;
    let v = array([1, 2]);
    let mut m = zeros([2, 2]);
    // Each case: the panicking call and its message.
    #[allow(clippy::type_complexity)]
    let cases: Vec<(Box<dyn FnOnce() + '_>, String)> = vec![
        (Box::new(|| drop(zeros([1 << 33, 1 << 33]))), format!("zeros: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::ones([usize::MAX, 0]))), format!("ones: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::full([1 << 62, 4], 1))), format!("full: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::eye(1 << 32))), format!("eye: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::linspace(0.0, 1.0, usize::MAX))), format!("linspace: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::indices([1 << 32, 1 << 32]))), format!("indices: {TOO_BIG}")),
        (Box::new(|| drop(random::randn([1 << 62]))), format!("randn: {TOO_BIG}")),
        (Box::new(|| drop(random::Generator::new(0).random([1 << 62, 1 << 62]))), format!("random: {TOO_BIG}")),
        (Box::new(|| drop(random::normal(0.0, -1.0, [2]))), "normal: scale < 0".into()),
        (Box::new(|| drop(random::uniform(1.0, 0.0, [2]))), "uniform: high - low < 0".into()),
        (Box::new(|| drop(random::default_rng(0).integers(1, 1, [2]))), "integers: low >= high (1 >= 1)".into()),
        (Box::new(|| drop(random::exponential(-1.0, [2]))), "exponential: scale < 0".into()),
        (Box::new(|| drop(random::gamma(-1.0, 1.0, [2]))), "gamma: shape < 0".into()),
        (Box::new(|| drop(random::beta(1.0, 0.0, [2]))), "beta: b <= 0".into()),
        (Box::new(|| drop(random::binomial(3, 2.0, [2]))), "binomial: p < 0, p > 1 or p is NaN".into()),
        (Box::new(|| drop(random::poisson(-1.0, [2]))), "poisson: lam < 0 or lam is NaN".into()),
        (Box::new(|| drop(random::multinomial(-1, &[1.0], [2]))), "multinomial: n < 0".into()),
        (Box::new(|| drop(random::permutation(array(1)))), "permutation: axis 0 is out of bounds for array of dimension 0".into()),
        (Box::new(|| random::shuffle(&mut array(1))), "shuffle: len() of unsized object".into()),
        (Box::new(|| drop(random::choice(3, [4], false, None))), "choice: Cannot take a larger sample than population when replace is False".into()),
        (Box::new(|| drop(random::Generator::new(0).poisson(1.0, [1 << 62]))), format!("poisson: {TOO_BIG}")),
        (Box::new(|| drop(v.tile(&[usize::MAX]))), format!("tile: {TOO_BIG}")),
        (Box::new(|| drop(v.repeat(usize::MAX, None))), format!("repeat: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::diag(&v, isize::MIN))), format!("diag: {TOO_BIG}")),
        (Box::new(|| drop(lazygrad::resize(&v, [usize::MAX, 2]))), format!("resize: {TOO_BIG}")),
        (Box::new(|| m.resize([1 << 62, 1 << 62])), format!("resize: {TOO_BIG}")),
        (Box::new(|| drop(v.pad(&[(usize::MAX, 1)], 0))), format!("pad: {TOO_BIG}")),
        (Box::new(|| drop(v.reshape(&[usize::MAX][..]))), "reshape: Maximum allowed dimension exceeded".into()),
        (Box::new(|| drop(lazygrad::arange_step(0.0, f64::INFINITY, 1.0))), "arange: Maximum allowed size exceeded".into()),
        (Box::new(|| drop(lazygrad::arange_step(0.0, f64::NAN, 1.0))), "arange: cannot compute length".into()),
        (Box::new(|| drop(zeros([3]).var_axes([1], 0, false))), "var: axis 1 is out of bounds for array of dimension 1".into()),
        (Box::new(|| drop(zeros([3]).std_axes([1], 0, false))), "std: axis 1 is out of bounds for array of dimension 1".into()),
        (Box::new(|| drop(lazygrad::nn::one_hot(&v, usize::MAX, DType::F32))), format!("arange: {TOO_BIG}")),
        (Box::new(|| drop(array(1.0).matmul(&zeros([2])))), "matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)".into()),
    ];
    for (body, expected) in cases {
        assert_eq!(panic_at(body), expected);
    }
}

#[test]
fn hostile_integers_give_correct_values() {
    // A diagonal offset past the matrix, however large, selects nothing (numpy gives an empty array).
    let a = zeros([2, 3]);
    assert_eq!(a.diagonal(isize::MIN).shape(), &[0]);
    assert_eq!(a.diagonal(isize::MAX).shape(), &[0]);
    assert_eq!(
        lazygrad::eye_k(2, 3, isize::MIN).to_vec::<f64>(),
        vec![0.0; 6]
    );
    assert_eq!(
        lazygrad::eye_k(2, 3, 1).to_vec::<f64>(),
        vec![0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    );
    assert_eq!(
        lazygrad::eye_k(3, 2, -1).to_vec::<f64>(),
        vec![0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    );
    // A step of isize::MIN is Python's -isize::MAX: the last element only.
    let v = lazygrad::arange(5);
    assert_eq!(
        v.slice(lazygrad::s![..;isize::MIN]).to_vec::<i64>(),
        vec![4]
    );
    // usize indices past isize::MAX are past the end, not negative.
    assert!(v.try_slice(lazygrad::s![usize::MAX]).is_err());
    assert_eq!(v.slice(lazygrad::s![..usize::MAX]).size(), 5);
    // Splitting a long broadcast axis computes its bounds without overflow (3 * 2^62 would).
    let parts = Tensor::full_dtype([1usize << 62], true, DType::Bool).split(4, 0);
    assert_eq!(parts[3].shape(), &[1usize << 60]);
    // int64 aranges near the edges are exact, where float64 arithmetic would round.
    assert_eq!(
        lazygrad::arange_step(i64::MAX - 10, i64::MAX, 3).to_vec::<i64>(),
        vec![i64::MAX - 10, i64::MAX - 7, i64::MAX - 4, i64::MAX - 1]
    );
    assert_eq!(
        lazygrad::arange_step(i64::MIN, i64::MAX, i64::MAX).to_vec::<i64>(),
        vec![i64::MIN, -1, i64::MAX - 1]
    );
    assert_eq!(
        lazygrad::arange_step(0.0, 1.0, f64::INFINITY).to_vec::<f64>(),
        vec![0.0]
    );
    assert_eq!(
        lazygrad::arange_step(0.0, 1e-300, 1e300).to_vec::<f64>(),
        vec![0.0]
    );
    assert_eq!(lazygrad::arange_step(0.0, -1.0, f64::INFINITY).size(), 0);
}
