//! Views copy nothing, compose into one view, and read what the materialized copy holds.

use lazygrad::{Ellipsis, Error, NewAxis, SliceArg, Tensor, arange, array, s};
use proptest::prelude::*;

#[test]
fn movement_ops_allocate_no_buffer() {
    let big = arange(1_000_000).reshape([1000, 1000]);
    big.realize();
    let before = lazygrad::buffers_allocated();
    let view = big
        .t()
        .slice(s![10..900;3, ..;-2])
        .flip(0)
        .broadcast_to([2, 297, 500])
        .slice(s![1, NewAxis, Ellipsis]);
    assert_eq!(
        lazygrad::plan_for(&[&view]).kernels.len(),
        0,
        "a chain of views compiles to no kernel"
    );
    view.realize();
    assert_eq!(
        lazygrad::buffers_allocated(),
        before,
        "realizing a view allocates nothing"
    );
    // The first element: row 899 - 0 of the flipped, 10 + 3 * 296 = 898th row of the transpose.
    assert_eq!(view.shape(), &[1, 297, 500]);
    assert_eq!(view.slice(s![0, 0, 0]).item::<i64>(), 999 * 1000 + 898);
    // Reading it through a kernel makes exactly one buffer.
    let sum = view.sum();
    sum.realize();
    assert_eq!(lazygrad::buffers_allocated(), before + 1);
}

#[test]
fn index_errors_use_numpys_wording() {
    let a = array([[1, 2, 3], [4, 5, 6]]);
    assert_eq!(
        a.try_slice(s![2]).unwrap_err().to_string(),
        "index: index 2 is out of bounds for axis 0 with size 2"
    );
    assert_eq!(
        a.try_slice(s![.., -4]).unwrap_err().to_string(),
        "index: index -4 is out of bounds for axis 1 with size 3"
    );
    assert_eq!(
        a.try_slice(s![0, 0, 0]).unwrap_err().to_string(),
        "index: too many indices for array: array is 2-dimensional, but 3 were indexed"
    );
    assert!(a.try_slice(s![..;0]).is_err());
    assert!(a.try_slice(s![Ellipsis, 0, Ellipsis]).is_err());
}

#[test]
fn out_of_range_array_indices_fail_at_realize_naming_the_line() {
    let a = array([1.0, 2.0, 3.0]);
    let (picked, line) = (a.slice(s![&array([0, 5])]), line!());
    let err = picked.try_realize().unwrap_err();
    match &err {
        Error::Data {
            op,
            location,
            message,
        } => {
            assert_eq!(*op, "gather");
            assert_eq!(message, "index 5 is out of bounds for axis 0 with size 3");
            assert!(
                location.ends_with(&format!("views.rs:{line}:29")),
                "{location}"
            );
        }
        other => panic!("expected a data error, got {other:?}"),
    }
    assert!(err.to_string().contains("views.rs"), "{err}");
}

#[test]
fn writes_rebind_and_never_alias_views() {
    let mut a = array([[1, 2], [3, 4]]);
    let view = a.slice(s![0]);
    a.index_put(s![0, 0], 9);
    assert_eq!(a.to_vec::<i64>(), vec![9, 2, 3, 4]);
    assert_eq!(
        view.to_vec::<i64>(),
        vec![1, 2],
        "numpy would write through; lazygrad values are immutable"
    );
}

/// One random view step on a tensor of known shape.
#[derive(Clone, Debug)]
enum ViewStep {
    Transpose,
    Slice(usize, usize, usize, bool),
    Reshape,
    Flip(usize),
    Broadcast(usize),
}

fn view_step() -> impl Strategy<Value = ViewStep> {
    prop_oneof![
        Just(ViewStep::Transpose),
        (0..4usize, 0..4usize, 1..3usize, any::<bool>())
            .prop_map(|(a, b, s, r)| ViewStep::Slice(a, b, s, r)),
        Just(ViewStep::Reshape),
        (0..3usize).prop_map(ViewStep::Flip),
        (1..3usize).prop_map(ViewStep::Broadcast),
    ]
}

fn apply(t: &Tensor, step: &ViewStep) -> Tensor {
    match step {
        ViewStep::Transpose => t.t(),
        ViewStep::Slice(a, b, step, reverse) => {
            let dim = t.shape()[0] as isize;
            let (lo, hi) = ((*a as isize).min(dim), (*b as isize + 2).min(dim));
            let step = if *reverse {
                -(*step as isize)
            } else {
                *step as isize
            };
            let mut args = vec![SliceArg::Range {
                start: Some(lo),
                stop: Some(hi),
                step,
            }];
            args.extend((1..t.ndim()).map(|_| SliceArg::from(..)));
            t.slice(args)
        }
        ViewStep::Reshape => {
            // Split or merge the leading axes, whichever the shape allows.
            let shape = t.shape();
            if shape.len() >= 2 && shape.len() < 4 {
                let mut merged = vec![(shape[0] * shape[1]) as isize];
                merged.extend(shape[2..].iter().map(|&d| d as isize));
                t.reshape(merged)
            } else {
                t.clone()
            }
        }
        ViewStep::Flip(axis) => t.flip((*axis % t.ndim()) as isize),
        ViewStep::Broadcast(n) => {
            if t.ndim() < 4 {
                let mut shape = vec![*n];
                shape.extend_from_slice(t.shape());
                t.broadcast_to(&shape[..])
            } else {
                t.clone()
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn composed_views_read_what_the_copy_holds(steps in prop::collection::vec(view_step(), 1..7)) {
        let base = arange(60).reshape([3, 4, 5]);
        let mut view = base.clone();
        // The same steps applied to a materialized copy after each step give the reference.
        let mut copied = base.clone();
        for step in &steps {
            view = apply(&view, step);
            copied = apply(&copied, step);
            copied = Tensor::from_vec(copied.to_vec::<i64>(), copied.shape());
        }
        // Only a reshape the strides cannot express may copy, as in numpy.
        if !steps.iter().any(|step| matches!(step, ViewStep::Reshape)) {
            prop_assert_eq!(lazygrad::plan_for(&[&view]).kernels.len(), 0);
        }
        prop_assert_eq!(view.shape(), copied.shape());
        prop_assert_eq!(view.to_vec::<i64>(), copied.to_vec::<i64>());
    }

    #[test]
    fn a_slice_of_a_slice_is_one_view(a in 0usize..10, b in 0usize..10, step in 1isize..4) {
        let base = arange(100);
        let twice = base.slice(s![a..;step]).slice(s![b..]);
        let once: Vec<i64> = (0..100).skip(a).step_by(step as usize).skip(b).collect();
        prop_assert_eq!(lazygrad::plan_for(&[&twice]).kernels.len(), 0);
        prop_assert_eq!(twice.to_vec::<i64>(), once);
    }

    #[test]
    fn reshape_after_reshape_folds(split in 1usize..5) {
        let data = arange(60);
        data.realize();
        let base = data.reshape([3, 20]).t();
        let dims = [20 / [1, 2, 4, 5, 10][split % 5], [1, 2, 4, 5, 10][split % 5], 3];
        let twice = base.reshape(dims).reshape([60]);
        let direct = base.reshape([60]);
        // Flattening the transpose copies once, as in numpy; the first reshape adds no copy.
        let kernels = |t: &Tensor| lazygrad::plan_for(&[t]).kernels.len();
        prop_assert_eq!(kernels(&direct), 1);
        prop_assert_eq!(kernels(&twice), kernels(&direct));
        prop_assert_eq!(twice.to_vec::<i64>(), direct.to_vec::<i64>());
        // Of a C-ordered base, both reshapes are views.
        let contiguous = data.reshape(dims).reshape([6, 10]);
        prop_assert_eq!(kernels(&contiguous), 0);
        prop_assert_eq!(contiguous.to_vec::<i64>(), (0..60).collect::<Vec<i64>>());
    }
}

#[test]
fn mask_and_index_errors_match_numpy() {
    let a = arange(12).reshape([3, 4]);
    let err = a.try_slice(s![&array([true, false])]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "index: boolean index did not match indexed array along axis 0; size of axis is 3 but size of corresponding boolean axis is 2"
    );
    let err = a
        .try_slice(s![&array([[0, 1]]), &array([0, 1, 2])])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "index: shape mismatch: indexing arrays could not be broadcast together with shapes (1,2) (3,)"
    );
    let err = a.try_slice(s![&array([1.0])]).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("arrays used as indices must be of integer (or boolean) type")
    );
    assert!(array(5).try_nonzero().is_err());
    assert_eq!(a.slice(s![&Tensor::scalar(true)]).shape(), &[1, 3, 4]);
    assert_eq!(a.slice(s![&Tensor::scalar(false)]).shape(), &[0, 3, 4]);
    // A mask after an ellipsis covers the trailing axes.
    let last_col = a.slice(s![Ellipsis, &array([false, false, false, true])]);
    assert_eq!(last_col.to_vec::<i64>(), vec![3, 7, 11]);
    let err = lazygrad::try_concatenate(&[&a, &arange(3).reshape([1, 3])], 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "concatenate: all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 4 and the array at index 1 has size 3"
    );
}
