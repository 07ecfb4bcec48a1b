//! `ndarray` interop both ways: `Tensor::from(nd)` reads any layout in logical order, and
//! `Array::try_from(&t)` gives the tensor's values in the dimension type asked for.
// numpy's `a[2:0:-1]` is `s![2..0;-1]`: a range that is empty forwards but walked backwards.
#![allow(clippy::reversed_empty_ranges)]

use lazygrad::{DType, Error, Tensor, arange};
use ndarray::{Array, Array0, Array2, Array3, ArrayD, Ix2, IxDyn, ShapeBuilder, array, s};

/// `[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]` as an ndarray.
fn nd_3x4() -> Array2<i64> {
    Array::from_shape_vec((3, 4), (0..12).collect()).expect("12 elements")
}

/// Checks that a tensor holds what an ndarray array shows, shape and logical order.
fn assert_same<S: ndarray::Data<Elem = i64>, D: ndarray::Dimension>(
    t: &Tensor,
    nd: &ndarray::ArrayBase<S, D>,
    what: &str,
) {
    assert_eq!(t.shape(), nd.shape(), "{what}: shape");
    assert_eq!(t.dtype(), DType::I64, "{what}: dtype");
    assert_eq!(
        t.to_vec::<i64>(),
        nd.iter().copied().collect::<Vec<_>>(),
        "{what}: values"
    );
}

#[test]
fn owned_ndarrays_of_every_layout_convert_in_logical_order() {
    let reversed = nd_3x4().slice_move(s![..;-1, 1..]);
    assert!(reversed.strides()[0] < 0, "the slice has a negative stride");
    let t = Tensor::from(reversed.clone());
    // numpy: np.arange(12).reshape(3, 4)[::-1, 1:]
    assert_eq!(
        t.to_vec::<i64>(),
        vec![9, 10, 11, 5, 6, 7, 1, 2, 3],
        "s![..;-1, 1..]"
    );
    assert_same(&t, &reversed, "s![..;-1, 1..]");

    let transposed = nd_3x4().reversed_axes();
    assert!(!transposed.is_standard_layout());
    assert_same(
        &Tensor::from(transposed.clone()),
        &transposed,
        "reversed_axes",
    );

    let fortran = Array::from_shape_vec((3, 4).f(), (0..12).collect::<Vec<i64>>()).expect("12");
    assert_eq!(fortran[[1, 0]], 1, "column-major storage");
    assert_same(&Tensor::from(fortran.clone()), &fortran, "Fortran order");

    // C-ordered but owning elements it does not show: before, after, or only those.
    for (what, sliced) in [
        ("rows 1..", nd_3x4().slice_move(s![1.., ..])),
        ("rows ..2", nd_3x4().slice_move(s![..2, ..])),
        ("empty rows 3..3", nd_3x4().slice_move(s![3..3, ..])),
        ("column 1..2", nd_3x4().slice_move(s![.., 1..2])),
    ] {
        let t = Tensor::from(sliced.clone());
        assert_same(&t, &sliced, what);
        assert_eq!(t.nbytes(), 8 * sliced.len(), "{what}: nbytes");
    }

    let cube = Array3::from_shape_vec((2, 3, 4), (0..24).collect::<Vec<i64>>()).expect("24");
    let permuted = cube
        .permuted_axes([2, 0, 1])
        .slice_move(s![1..;2, .., 2..0;-1]);
    assert_same(&Tensor::from(permuted.clone()), &permuted, "3-d permuted");
}

#[test]
fn views_and_borrowed_ndarrays_convert_by_copy() {
    let nd = nd_3x4();
    assert_same(&Tensor::from(&nd), &nd, "&Array");
    assert_same(&Tensor::from(nd.view()), &nd, "view");
    assert_same(&Tensor::from(nd.t()), &nd.t(), "t()");
    let sliced = nd.slice(s![..;-1, 1..]);
    assert_same(&Tensor::from(sliced), &sliced, "view s![..;-1, 1..]");
    assert_same(&Tensor::from(&sliced), &sliced, "&view");
    // The element type picks the dtype, as `np.asarray` keeps an array's dtype.
    let bytes = array![[1u8, 255], [0, 7]];
    assert_eq!(Tensor::from(bytes.t()).dtype(), DType::U8);
    assert_eq!(Tensor::from(bytes.t()).to_vec::<u8>(), vec![1, 0, 255, 7]);
    assert_eq!(Tensor::from(array![true, false]).dtype(), DType::Bool);
    assert_eq!(Tensor::from(array![1.5f32]).dtype(), DType::F32);
    assert_eq!(Tensor::from(array![1i32]).dtype(), DType::I32);
}

#[test]
fn tensors_convert_to_ndarrays_of_the_dimension_asked_for() -> lazygrad::Result<()> {
    // A lazy, reversed and sliced tensor: the conversion realizes it and reads it in C order.
    let t = arange(12).reshape([3, 4]).slice(lazygrad::s![..;-1, 1..]);
    let expected = nd_3x4().slice_move(s![..;-1, 1..]);
    assert_eq!(Array2::<i64>::try_from(&t)?, expected);
    let dynamic: ArrayD<i64> = t.clone().try_into()?;
    assert_eq!(dynamic, expected.clone().into_dyn());
    assert_eq!(dynamic, t.to_ndarray::<i64>());
    assert!(dynamic.is_standard_layout());
    // Round trip.
    assert_same(&Tensor::from(dynamic.clone()), &dynamic, "round trip");
    let transposed = Tensor::from(nd_3x4()).t();
    assert_eq!(
        Array2::<i64>::try_from(&transposed)?,
        nd_3x4().reversed_axes()
    );
    let total = (&t * 2).sum();
    assert_eq!(Array0::<i64>::try_from(&total)?.into_scalar(), 108);

    // The element type must be the dtype, as for `to_vec`.
    let err = ArrayD::<f64>::try_from(&t).unwrap_err();
    assert!(
        matches!(
            err,
            Error::ElementType {
                actual: DType::I64,
                requested: DType::F64,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        Array::<f64, IxDyn>::try_from(t.astype(DType::F64))?.sum(),
        54.0
    );
    // A fixed dimension type must match the number of dimensions.
    let err = Array3::<i64>::try_from(&t).unwrap_err();
    assert_eq!(
        err.to_string(),
        "to_ndarray: an array of dimension 2 does not fit an ndarray of dimension 3"
    );
    assert!(ndarray::Array::<i64, Ix2>::try_from(arange(3)).is_err());
    Ok(())
}
