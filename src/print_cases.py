"""Prints the test table of src/print.rs from numpy's real `repr` and `str` output.

Run `python3 src/print_cases.py` to see the table, or `python3 src/print_cases.py --write`
to replace the generated block in print.rs (rustfmt leaves it alone: one row per line).
Each case is either a literal array or a "ramp" `(arange(n) * scale + offset).astype(dtype)`,
which the Rust side rebuilds with the same f64 arithmetic so that large arrays stay one line.
"""

import json
import pathlib
import sys

import numpy as np

RUST_TYPES = {"bool": "Bool", "uint8": "U8", "int32": "I32", "int64": "I64",
              "float32": "F32", "float64": "F64"}


def ramp(dtype, shape, scale, offset):
    """A large case the Rust test rebuilds from three numbers instead of a literal list."""
    n = int(np.prod(shape))
    values = np.arange(n, dtype=np.float64) * scale + offset
    return ("ramp", dtype, scale, offset, values.astype(dtype).reshape(shape))


CASES = [
    ("bool_0d", np.array(True)),
    ("bool_1d", np.array([True, False, True])),
    ("bool_2d", np.array([[True, False, False], [False, True, True]])),
    ("bool_empty", np.zeros(0, dtype=bool)),
    ("bool_summarised", ramp("bool", (40, 50), 1.0, 0.0)),
    ("u8_0d", np.array(200, dtype=np.uint8)),
    ("u8_1d", np.array([0, 7, 255], dtype=np.uint8)),
    ("u8_long_row", ramp("uint8", (100,), 2.5, 0.0)),
    ("i32_0d", np.array(-7, dtype=np.int32)),
    ("i32_1d", np.array([1, -20, 300], dtype=np.int32)),
    ("i32_3d", ramp("int32", (2, 2, 3), 1.0, -5.0)),
    ("i32_empty_2d", np.zeros((0, 3), dtype=np.int32)),
    ("i32_summarised_3d", ramp("int32", (20, 20, 20), 1.0, 0.0)),
    ("i64_0d", np.array(5)),
    ("i64_2d", np.array([[1, 2], [3, 4]])),
    ("i64_negative", np.array([-5, 10, -300])),
    ("i64_extremes", np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max])),
    ("i64_long_row", ramp("int64", (40,), 12345.0, 0.0)),
    ("i64_arange2000", ramp("int64", (2000,), 1.0, 0.0)),
    ("i64_4d", ramp("int64", (2, 2, 2, 2), 1.0, 0.0)),
    ("i64_summarised_4d", ramp("int64", (2, 3, 10, 20), 1.0, 0.0)),
    ("f64_0d", np.array(1.5)),
    ("f64_0d_third", np.array(1 / 3)),
    ("f64_0d_large", np.array(1e20)),
    ("f64_0d_integer", np.array(3.0)),
    ("f64_0d_nan", np.array(np.nan)),
    ("f64_1d", np.array([1.0, 0.5, -2.25])),
    ("f64_integer_valued", np.array([1.0, 2.0, 30.0])),
    ("f64_negative_zero", np.array([-0.0, 1.0])),
    ("f64_nan_inf", np.array([np.nan, np.inf, -np.inf, 1.5])),
    ("f64_only_nan_inf", np.array([np.nan, -np.inf])),
    ("f64_scientific_small", np.array([1e-5, 1.0, 1e5])),
    ("f64_scientific_large", np.array([1e8, 2e5])),
    ("f64_below_cutoff", np.array([99999999.0, 2e5])),
    ("f64_scientific_ratio", np.array([0.001, 2.0])),
    ("f64_scientific_nan", np.array([1e10, np.nan, -np.inf, -0.0])),
    ("f64_three_digit_exponent", np.array([1e300, 5e-324, -2.5e-100])),
    ("f64_scientific_rounded", np.array([1.23456789123e10, 1.0, 9.9999999999e-5])),
    ("f64_rounded", np.array([0.1 + 0.2, 1 / 7, 0.001953125])),
    ("f64_long_row", ramp("float64", (30,), 0.37, -3.0)),
    ("f64_2d", ramp("float64", (3, 4), 0.25, -1.0)),
    ("f64_3d", ramp("float64", (2, 3, 4), 1.0, 0.0)),
    ("f64_empty", np.zeros(0)),
    ("f64_empty_3d", np.zeros((2, 0, 3))),
    ("f64_summarised_2d", ramp("float64", (50, 50), 0.37, -400.0)),
    ("f32_0d", np.array(1.5, dtype=np.float32)),
    ("f32_0d_tenth", np.array(0.1, dtype=np.float32)),
    ("f32_0d_small", np.array(1e-4, dtype=np.float32)),
    ("f32_0d_large", np.array(1565358.8, dtype=np.float32)),
    ("f32_shortest_tie", np.array([43253.0625, 2706.03125], dtype=np.float32)),
    ("f32_1d", np.array([0.1, 1 / 3, -2.0], dtype=np.float32)),
    ("f32_scientific_cutoff", np.array([1e6, 2000.5], dtype=np.float32)),
    ("f32_below_cutoff", np.array([999999.0, 2000.5], dtype=np.float32)),
    ("f32_exact_digits", np.array([0.1, 1e-5, 0.114932634], dtype=np.float32)),
    ("f32_dtype_on_new_line", ramp("float32", (12,), 0.1, 0.0)),
    ("f32_summarised_3d", ramp("float32", (20, 20, 20), 0.1, -300.0)),
]


def rust_float(x, dtype):
    """A Rust literal that parses to exactly `x` in `dtype`."""
    if np.isnan(x):
        return f"{dtype}::NAN"
    if np.isinf(x):
        return f"{dtype}::INFINITY" if x > 0 else f"-{dtype}::INFINITY"
    # numpy's str is the shortest round-trip text of the value in its own type.
    return str(x)


def rust_literal(arr):
    """The Rust `Lit(..)` expression holding `arr`'s values in C order."""
    dtype = arr.dtype.name
    flat = arr.ravel().tolist() if dtype != "float32" else list(arr.ravel())
    if dtype == "bool":
        items = ["true" if x else "false" for x in flat]
    elif dtype.startswith("float"):
        items = [rust_float(np.dtype(dtype).type(x), dtype.replace("float", "f")) for x in flat]
    else:
        items = [str(x) for x in flat]
    return f"Lit({RUST_TYPES[dtype]}(&[{', '.join(items)}]))"


def rust_row(name, case):
    """One `(name, data, shape, repr, str)` row of the Rust table."""
    if isinstance(case, tuple):
        _, dtype, scale, offset, arr = case
        data = f'Ramp("{dtype}", {float(scale)!r}, {float(offset)!r})'
    else:
        arr = case
        data = rust_literal(arr)
    shape = "[" + ", ".join(str(d) for d in arr.shape) + "]"
    # JSON string escapes are also valid Rust string escapes for this ASCII text.
    return f"    ({json.dumps(name)}, {data}, &{shape}, {json.dumps(repr(arr))}, {json.dumps(str(arr))}),"


def table():
    """The whole generated block, markers included."""
    rows = "\n".join(rust_row(name, case) for name, case in CASES)
    return (f"// BEGIN GENERATED by src/print_cases.py with numpy {np.__version__}\n"
            f"#[rustfmt::skip]\nconst CASES: &[Case] = &[\n{rows}\n];\n// END GENERATED\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        path = pathlib.Path(__file__).with_name("print.rs")
        text = path.read_text()
        start = text.index("// BEGIN GENERATED")
        end = text.index("// END GENERATED\n") + len("// END GENERATED\n")
        # The block sits inside `mod tests`, so indent it to match before rustfmt sees it.
        block = "".join("    " + line if line.strip() else line
                        for line in table().splitlines(keepends=True))
        path.write_text(text[:start] + block.lstrip() + text[end:])
    else:
        print(table(), end="")
