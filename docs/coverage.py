"""Writes docs/coverage.md: every function of numpy's main namespace with lazygrad's name for it,
or why lazygrad has none. Run by hand after adding a function:  python3 docs/coverage.py

The lazygrad column holds a Rust expression over the variables of the doctest block at the end
of coverage.md (`a`, `b`: 2-D float64, `v`: 1-D float64, `i`: 1-D int64, `m`: bool), which
`cargo test --doc` compiles, and `tests/it/coverage.rs` checks that every expression in the table
is in that block. This script asserts that every callable of `numpy` is in the table.
"""

import inspect
from pathlib import Path

import numpy as np

# (section, numpy name, lazygrad expression or None, note)
ROWS = []


def section(title, rows):
    for row in rows:
        name, expr, *note = row
        ROWS.append((title, name, expr, note[0] if note else ""))


COMPLEX = "no complex dtype"
DATETIME = "no datetime dtype"
PYTHON = "Python-only (objects, callables, interpreter state)"
LINALG = "linear algebra beyond matmul/dot: issue #18"
NO_ALIAS = "lazygrad values never share writable memory"

section("Elementwise math (ufuncs)", [
    ("add", "lazygrad::add(&a, &b)"), ("subtract", "lazygrad::subtract(&a, &b)"),
    ("multiply", "lazygrad::multiply(&a, &b)"), ("divide", "lazygrad::divide(&a, &b)"),
    ("true_divide", "lazygrad::divide(&a, &b)"), ("floor_divide", "lazygrad::floor_divide(&a, &b)"),
    ("remainder", "lazygrad::remainder(&a, &b)"), ("mod", "lazygrad::remainder(&a, &b)"),
    ("fmod", "lazygrad::fmod(&a, &b)"), ("power", "lazygrad::pow(&a, &b)"),
    ("pow", "lazygrad::pow(&a, &b)"), ("float_power", "a.astype(DType::F64).pow(&b)"),
    ("negative", "a.negative()"), ("positive", "a.clone()", "the value itself"),
    ("abs", "a.abs()"), ("absolute", "a.abs()"), ("fabs", "a.abs()"), ("sign", "a.sign()"),
    ("sqrt", "a.sqrt()"), ("cbrt", "a.cbrt()"), ("square", "a.square()"),
    ("reciprocal", "a.reciprocal()"),
    ("exp", "a.exp()"), ("exp2", "a.exp2()"), ("expm1", "a.expm1()"), ("log", "a.log()"),
    ("log2", "a.log2()"), ("log10", "a.log10()"), ("log1p", "a.log1p()"),
    ("logaddexp", "a.logaddexp(&b)"), ("logaddexp2", "a.logaddexp2(&b)"),
    ("sin", "a.sin()"), ("cos", "a.cos()"), ("tan", "a.tan()"), ("arcsin", "a.arcsin()"),
    ("asin", "a.arcsin()"), ("arccos", "a.arccos()"), ("acos", "a.arccos()"),
    ("arctan", "a.arctan()"), ("atan", "a.arctan()"), ("arctan2", "a.arctan2(&b)"),
    ("atan2", "a.arctan2(&b)"), ("hypot", "a.hypot(&b)"), ("sinh", "a.sinh()"),
    ("cosh", "a.cosh()"), ("tanh", "a.tanh()"), ("arcsinh", "a.arcsinh()"), ("asinh", "a.arcsinh()"),
    ("arccosh", "a.arccosh()"), ("acosh", "a.arccosh()"), ("arctanh", "a.arctanh()"),
    ("atanh", "a.arctanh()"), ("deg2rad", "a.deg2rad()"), ("radians", "a.deg2rad()"),
    ("rad2deg", "a.rad2deg()"), ("degrees", "a.rad2deg()"), ("copysign", "a.copysign(&b)"),
    ("heaviside", "a.heaviside(0.5)"), ("nan_to_num", "a.nan_to_num()"),
    ("maximum", "a.maximum(&b)"), ("minimum", "a.minimum(&b)"), ("fmax", "a.fmax(&b)"),
    ("fmin", "a.fmin(&b)"), ("clip", "a.clip(0.0, 1.0)"), ("gcd", "i.gcd(&i)"), ("lcm", "i.lcm(&i)"),
    ("bitwise_and", "&i & &i"), ("bitwise_or", "&i | &i"), ("bitwise_xor", "&i ^ &i"),
    ("invert", "!&i"), ("bitwise_not", "!&i"), ("bitwise_invert", "!&i"),
    ("left_shift", "&i << 2"), ("bitwise_left_shift", "&i << 2"), ("right_shift", "&i >> 1"),
    ("bitwise_right_shift", "&i >> 1"),
    ("divmod", "lazygrad::divmod(&a, &b)"),
    ("modf", "a.modf()"),
    ("frexp", None, "not yet"), ("ldexp", None, "not yet: `&a * lazygrad::exp2(&i)`"),
    ("nextafter", None, "not yet"), ("spacing", None, "not yet"), ("sinc", None, "not yet"),
    ("i0", None, "not yet"), ("bitwise_count", None, "not yet"),
    ("angle", None, COMPLEX), ("conj", None, COMPLEX), ("conjugate", None, COMPLEX),
    ("real", None, COMPLEX), ("imag", None, COMPLEX), ("real_if_close", None, COMPLEX),
])

section("Rounding", [
    ("floor", "a.floor()"), ("ceil", "a.ceil()"), ("trunc", "a.trunc()"), ("fix", "a.fix()"),
    ("rint", "a.rint()"), ("round", "a.round(2)"), ("around", "lazygrad::around(&a, 2)"),
])

section("Comparison and logic", [
    ("equal", "a.equal(&b)"), ("not_equal", "a.not_equal(&b)"), ("less", "a.less(&b)"),
    ("less_equal", "a.less_equal(&b)"), ("greater", "a.greater(&b)"),
    ("greater_equal", "a.greater_equal(&b)"), ("logical_and", "a.logical_and(&b)"),
    ("logical_or", "a.logical_or(&b)"), ("logical_xor", "a.logical_xor(&b)"),
    ("logical_not", "a.logical_not()"), ("isnan", "a.isnan()"), ("isinf", "a.isinf()"),
    ("isfinite", "a.isfinite()"), ("isposinf", "a.isposinf()"), ("isneginf", "a.isneginf()"),
    ("signbit", "a.signbit()"), ("isclose", "a.isclose(&b)"),
    ("allclose", "lazygrad::allclose(&a, &b)"), ("array_equal", "lazygrad::array_equal(&a, &b)"),
    ("array_equiv", "lazygrad::array_equiv(&a, &b)"), ("all", "a.all()"), ("any", "a.any()"),
    ("where", "lazygrad::where_(&m, &a, &b)"), ("isnat", None, DATETIME),
    ("iscomplex", None, COMPLEX), ("iscomplexobj", None, COMPLEX), ("isreal", None, COMPLEX),
    ("isrealobj", None, COMPLEX), ("isscalar", None, PYTHON), ("iterable", None, PYTHON),
    ("isfortran", None, "values are C-ordered; views carry strides (`View`)"),
])

section("Creation", [
    ("array", "array([1.0, 2.0])"), ("asarray", "array([1.0, 2.0])"),
    ("asanyarray", "array([1.0, 2.0])"), ("arange", "arange(10)"),
    ("linspace", "linspace(0.0, 1.0, 5)"), ("logspace", "lazygrad::logspace(0.0, 2.0, 3)"),
    ("geomspace", "lazygrad::geomspace(1.0, 100.0, 3)"), ("zeros", "zeros([2, 3])"),
    ("ones", "ones([2, 3])"), ("full", "full([2, 3], 7)"), ("zeros_like", "zeros_like(&a)"),
    ("ones_like", "ones_like(&a)"), ("full_like", "full_like(&a, 7)"), ("eye", "eye(3)"),
    ("identity", "lazygrad::identity(3)"), ("indices", "indices([2, 3])"),
    ("meshgrid", "lazygrad::meshgrid(&[&v, &v])"), ("diag", "lazygrad::diag(&v, 0)"),
    ("copy", "a.clone()", "values are immutable, so a clone is a copy"),
    ("empty", "zeros([2, 3])", "lazygrad never hands out uninitialized memory"),
    ("empty_like", "zeros_like(&a)", "as `empty`"),
    ("tri", "lazygrad::tri(3, None, 0)"), ("vander", None, "not yet"),
    ("diagflat", "lazygrad::diagflat(&a, 0)"),
    ("fromfunction", None, PYTHON), ("fromiter", None, "`array(iter.collect::<Vec<_>>())`"),
    ("frombuffer", None, PYTHON), ("fromfile", None, "use `io::load` (`.npy`)"),
    ("fromstring", None, PYTHON), ("fromregex", None, PYTHON), ("from_dlpack", None, PYTHON),
    ("ascontiguousarray", None, "every realized value is contiguous; views are lazy"),
    ("asfortranarray", None, "no Fortran-ordered values"), ("asarray_chkfinite", None, "not yet"),
    ("require", None, PYTHON), ("asmatrix", None, PYTHON), ("bmat", None, PYTHON),
    ("copyto", None, NO_ALIAS),
])

section("Shape and manipulation", [
    ("reshape", "a.reshape([4, 1])"), ("ravel", "a.ravel()"), ("transpose", "a.transpose()"),
    ("permute_dims", "a.permute(&[1, 0])"), ("matrix_transpose", "a.swapaxes(-1, -2)"),
    ("swapaxes", "a.swapaxes(0, 1)"), ("moveaxis", "a.moveaxis(0, 1)"),
    ("rollaxis", "a.moveaxis(1, 0)", "numpy recommends moveaxis"),
    ("expand_dims", "a.expand_dims(0)"), ("squeeze", "a.squeeze()"),
    ("broadcast_to", "a.broadcast_to([3, 2, 2])"),
    ("broadcast_arrays", "lazygrad::broadcast_arrays(&[&a, &v.slice(s![..2])])"),
    ("broadcast_shapes", None, "`lazygrad_ir::broadcast_shapes` on `Shape`s"),
    ("atleast_1d", "lazygrad::atleast_1d(&a)"), ("atleast_2d", "lazygrad::atleast_2d(&a)"),
    ("atleast_3d", "lazygrad::atleast_3d(&a)"), ("concatenate", "concatenate(&[&a, &b], 0)"),
    ("concat", "concatenate(&[&a, &b], 0)"), ("stack", "stack(&[&a, &b], 0)"),
    ("vstack", "vstack(&[&a, &b])"), ("row_stack", "vstack(&[&a, &b])"),
    ("hstack", "hstack(&[&a, &b])"), ("dstack", "lazygrad::dstack(&[&a, &b])"),
    ("column_stack", "lazygrad::column_stack(&[&v, &v])"),
    ("split", "a.split(2, 0)"), ("array_split", "a.array_split(3, 0)"),
    ("hsplit", "a.hsplit(2)"), ("vsplit", "a.vsplit(2)"), ("dsplit", None, "not yet"),
    ("unstack", None, "not yet: `a.split(n, 0)` and `squeeze`"),
    ("tile", "a.tile(&[2, 1])"), ("repeat", "a.repeat(2, Some(0))"),
    ("resize", "lazygrad::resize(&a, [3, 3])"), ("pad", "a.pad(&[(1, 1), (0, 0)], 0)"),
    ("flip", "a.flip(0)"), ("fliplr", "a.fliplr()"), ("flipud", "a.flipud()"),
    ("roll", "a.roll(1, Some(0))"), ("rot90", "a.rot90(1, [0, 1])"),
    ("append", "lazygrad::append(&v, &v, None)"), ("insert", "lazygrad::insert(&v, 1, 5.0, None)"),
    ("delete", "lazygrad::delete(&v, 1, None)"), ("block", None, "not yet: nested concatenate"),
    ("trim_zeros", None, "not yet"), ("astype", "a.astype(DType::F32)"),
    ("shape", "a.shape()"), ("ndim", "a.ndim()"), ("size", "a.size()"),
])

section("Indexing", [
    ("take", "v.take(&i)"), ("take_along_axis", "a.take_along_axis(&a.argsort(1), 1)"),
    ("put_along_axis", None, "not yet: `index_put` with the same index arrays"),
    ("choose", "lazygrad::choose(&i, &[&v, &v, &v])"),
    ("select", "lazygrad::select(&[&m], &[&a], 0.0)"), ("compress", None, "`a.slice(s![&mask])` along an axis"),
    ("extract", "a.slice(s![&m])"), ("place", None, "`a.index_put(s![&mask], values)`"),
    ("put", None, "`a.ravel().index_put(s![&i], values)`"), ("putmask", None, "`where_`"),
    ("nonzero", "a.nonzero()"), ("argwhere", "a.argwhere()"), ("flatnonzero", "a.flatnonzero()"),
    ("count_nonzero", "a.count_nonzero()"), ("diagonal", "a.diagonal(0)"),
    ("diag_indices", "lazygrad::diag_indices(3, 2)"),
    ("diag_indices_from", "lazygrad::diag_indices(a.shape()[0], a.ndim())"),
    ("fill_diagonal", "a.clone().fill_diagonal(0.0)"),
    ("tril", "a.tril(0)"), ("triu", "a.triu(0)"),
    ("tril_indices", "lazygrad::tril_indices(3, 0, None)"),
    ("triu_indices", "lazygrad::triu_indices(3, 0, None)"),
    ("tril_indices_from", "lazygrad::tril_indices(a.shape()[0], 0, Some(a.shape()[1]))"),
    ("triu_indices_from", "lazygrad::triu_indices(a.shape()[0], 0, Some(a.shape()[1]))"),
    ("mask_indices", None, "not yet"),
    ("unravel_index", "lazygrad::unravel_index(&i, [2, 3])"),
    ("ravel_multi_index", "lazygrad::ravel_multi_index(&[&i, &i], [3, 3])"),
    ("ix_", "lazygrad::ix_(&[&i, &i])"),
])

section("Reductions and statistics", [
    ("sum", "a.sum()"), ("prod", "a.prod()"), ("max", "a.max()"), ("amax", "a.max()"),
    ("min", "a.min()"), ("amin", "a.min()"), ("argmax", "a.argmax()"), ("argmin", "a.argmin()"),
    ("mean", "a.mean()"), ("var", "a.var(0)"), ("std", "a.std(0)"), ("cumsum", "a.cumsum()"),
    ("cumprod", "a.cumprod()"), ("cumulative_sum", "a.cumsum_axis(0)"),
    ("cumulative_prod", "a.cumprod_axis(0)"),
    ("median", "a.median(None, false)"), ("ptp", "a.ptp(None, false)"),
    ("quantile", "a.quantile(0.5, None, false)"), ("percentile", "a.percentile(50.0, None, false)"),
    ("average", "a.average(None, Some(&b), false)"),
    ("cov", "lazygrad::cov(&a, None, true, false, None)"),
    ("histogram", "v.histogram(4, None)"),
    ("nansum", "a.nansum(None, false)"), ("nanmean", "a.nanmean(None, false)"),
    ("nanvar", "a.nanvar(None, 0, false)"), ("nanstd", "a.nanstd(None, 0, false)"),
    ("nanmax", "a.nanmax(None, false)"), ("nanmin", "a.nanmin(None, false)"),
    ("nanargmax", "a.nanargmax(None, false)"), ("nanargmin", "a.nanargmin(None, false)"),
    ("nanmedian", "a.nanmedian(None, false)"),
    ("corrcoef", "lazygrad::corrcoef(&a, None, true)"),
    ("bincount", "i.bincount(None, 0)"),
    ("digitize", "lazygrad::digitize(&v, &v.sort(0), false)"),
    ("nanprod", "a.nanprod(None, false)"),
    ("nancumsum", "a.nancumsum(None)"),
    ("nancumprod", "a.nancumprod(None)"),
    ("nanpercentile", "a.nanpercentile(50.0, None, false)"),
    ("nanquantile", "a.nanquantile(0.5, None, false)"),
    ("histogram2d", None, "not yet"), ("histogramdd", None, "not yet"),
    ("histogram_bin_edges", None, "not yet"),
    ("diff", "a.diff(1, -1)"),
    ("ediff1d", "a.ediff1d()"), ("gradient", None, "not yet"), ("trapezoid", None, "not yet"),
    ("convolve", None, "not yet"), ("correlate", None, "not yet"), ("interp", None, "not yet"),
])

section("Sorting, searching and sets", [
    ("sort", "a.sort(-1)"), ("argsort", "a.argsort(-1)"), ("partition", "v.partition(1, 0)"),
    ("argpartition", "v.argpartition(1, 0)"), ("lexsort", "lazygrad::lexsort(&[&v, &v])"),
    ("searchsorted", "v.sort(0).searchsorted(&v, Side::Left)"), ("unique", "v.unique()"),
    ("unique_all", "v.unique_all()"), ("unique_values", "v.unique()"),
    ("unique_counts", "v.unique_all().counts", "the `counts` field of `unique_all`"),
    ("unique_inverse", "v.unique_all().inverse", "the `inverse` field of `unique_all`"),
    ("isin", "lazygrad::isin(&v, &v, false)"), ("intersect1d", "lazygrad::intersect1d(&v, &v)"),
    ("union1d", "lazygrad::union1d(&v, &v)"), ("setdiff1d", "lazygrad::setdiff1d(&v, &v)"),
    ("setxor1d", "lazygrad::setxor1d(&v, &v)"), ("sort_complex", None, COMPLEX),
])

section("Products", [
    ("dot", "a.dot(&b)"), ("matmul", "a.matmul(&b)"),
    ("outer", "lazygrad::Ufunc::multiply.outer(&v.ravel(), &v.ravel())",
     "`np.outer` flattens; `multiply.outer` keeps shapes"),
    ("inner", None, LINALG), ("vdot", None, LINALG), ("tensordot", None, LINALG),
    ("einsum", None, LINALG), ("einsum_path", None, LINALG), ("kron", None, LINALG),
    ("trace", None, LINALG), ("cross", None, LINALG), ("vecdot", None, LINALG),
    ("matvec", None, LINALG), ("vecmat", None, LINALG),
])

section("Files", [
    ("save", "io::save(\"x.npy\", &a)"), ("load", "io::load(\"x.npy\")"),
    ("savez", "io::savez(\"x.npz\", &[(\"a\", &a)])"),
    ("savez_compressed", "io::savez_compressed(\"x.npz\", &[(\"a\", &a)])"),
    ("loadtxt", "io::loadtxt(\"x.txt\")"), ("savetxt", "io::savetxt(\"x.txt\", &a)"),
    ("genfromtxt", "io::genfromtxt(\"x.csv\")"),
    ("array2string", "format!(\"{a}\")"), ("array_str", "format!(\"{a}\")"),
    ("array_repr", "format!(\"{a:?}\")"),
])

section("dtypes", [
    ("result_type", "DType::F32.promote(DType::I32)"),
    ("promote_types", "DType::U8.promote(DType::I8)"),
    ("can_cast", None, "not yet"), ("min_scalar_type", None, "not yet"),
    ("common_type", None, "not yet"), ("mintypecode", None, PYTHON),
    ("isdtype", None, "`DType::kind`"), ("issubdtype", None, "`DType::kind`"),
    ("typename", None, PYTHON), ("format_float_positional", None, PYTHON),
    ("format_float_scientific", None, PYTHON), ("base_repr", None, PYTHON),
    ("binary_repr", None, PYTHON),
])

section("Not in lazygrad's scope", [
    (n, None, why) for n, why in [
        ("busday_count", DATETIME), ("busday_offset", DATETIME), ("is_busday", DATETIME),
        ("datetime_as_string", DATETIME), ("datetime_data", DATETIME),
        ("apply_along_axis", PYTHON), ("apply_over_axes", PYTHON), ("frompyfunc", PYTHON),
        ("piecewise", PYTHON), ("nested_iters", PYTHON), ("info", PYTHON), ("test", PYTHON),
        ("show_config", PYTHON), ("show_runtime", PYTHON), ("get_include", PYTHON),
        ("get_printoptions", PYTHON), ("set_printoptions", PYTHON), ("printoptions", PYTHON),
        ("getbufsize", PYTHON), ("setbufsize", PYTHON), ("geterr", PYTHON), ("seterr", PYTHON),
        ("geterrcall", PYTHON), ("seterrcall", PYTHON),
        ("may_share_memory", NO_ALIAS), ("shares_memory", NO_ALIAS),
        ("poly", "polynomials: not yet"), ("polyadd", "polynomials: not yet"),
        ("polyder", "polynomials: not yet"), ("polydiv", "polynomials: not yet"),
        ("polyfit", "polynomials: not yet"), ("polyint", "polynomials: not yet"),
        ("polymul", "polynomials: not yet"), ("polysub", "polynomials: not yet"),
        ("polyval", "polynomials: not yet"), ("roots", "polynomials: not yet"),
        ("bartlett", "window functions: not yet"), ("blackman", "window functions: not yet"),
        ("hamming", "window functions: not yet"), ("hanning", "window functions: not yet"),
        ("kaiser", "window functions: not yet"),
        ("packbits", "not yet"), ("unpackbits", "not yet"), ("unwrap", "not yet"),
    ]
])

SETUP = """use lazygrad::prelude::*;
use lazygrad::{DType, io, ones_like, zeros_like, full_like, Side};
let a = array([[1.0, 2.0], [3.0, 4.0]]);
let b = array([[0.5, 1.0], [1.5, 2.0]]);
let v = array([3.0, 1.0, 2.0]);
let i = array([2, 0, 1]);
let m = a.gt(2.0);"""


def main():
    names = {n for n in dir(np) if not n.startswith("_") and callable(getattr(np, n))
             and not inspect.isclass(getattr(np, n))}
    listed = [name for _, name, _, _ in ROWS]
    missing = sorted(names - set(listed))
    assert not missing, f"numpy functions without a row: {missing}"
    dup = sorted({n for n in listed if listed.count(n) > 1})
    assert not dup, f"rows listed twice: {dup}"
    out = ["# numpy coverage", "",
           "Every function of numpy's main namespace (`np.*`, numpy 2.4) with lazygrad's spelling,"
           " or why lazygrad has none.",
           "`np.random` is in README's random section, `np.linalg` in `lazygrad::linalg`.",
           "Written by `python3 docs/coverage.py`; the block at the end is compiled by `cargo test"
           " --doc`, and `tests/it/coverage.rs` checks that it holds every expression of the"
           " tables, so a listed name cannot go missing.", ""]
    counts = {"lazygrad": 0, "absent": 0}
    current = None
    for title, name, expr, note in ROWS:
        if title != current:
            out += ["", f"## {title}", "", "| numpy | lazygrad | note |", "| --- | --- | --- |"]
            current = title
        counts["lazygrad" if expr else "absent"] += 1
        cell = f"`{expr}`".replace("|", "\\|") if expr else "—"
        out.append(f"| `np.{name}` | {cell} | {note} |")
    out += ["", f"{counts['lazygrad']} of {len(ROWS)} functions have a lazygrad spelling.", "",
            "```rust,no_run", SETUP]
    for _, _, expr, _ in ROWS:
        if expr:
            out.append(f"let _ = {expr};")
    out += ["# Ok::<(), lazygrad::Error>(())", "```", ""]
    Path(__file__).with_name("coverage.md").write_text("\n".join(out))
    print(counts)


if __name__ == "__main__":
    main()
