"""The numpy cheat sheet's snippets as a REPL transcript.

`numpy_tour.rs` prints the same transcript from lazygrad.

Each snippet is one line of Python, run here as the interactive interpreter would run it:
the line is printed after `>>> `, and the `repr` of an expression's value follows it.
The snippets are those of `seed-numpy-cheatsheet.md` ("Initialize Arrays",
"Slicing/Indexing/Reshaping", "Array Math", "Broadcasting"), with the sheet's typos fixed and
its wrong comments corrected; the comments next to a snippet say what changed.

    python3 examples/numpy_tour.py            # print numpy's transcript
    python3 examples/numpy_tour.py --write    # regenerate examples/numpy_tour.stdout (the golden)
    python3 examples/numpy_tour.py --check    # run the Rust tour too and diff the two transcripts

`cargo run --example numpy_tour -- --check` compares the Rust tour with the golden without Python.
"""

import difflib
import pathlib
import subprocess
import sys

import numpy as np

# Each entry is a section heading (a string starting with `#`) or a snippet.
TOUR = [
    "# Initialize Arrays",
    # The sheet writes `np.array([1,2,3][4,5,6])`, which indexes a list; it means a nested list.
    "a = np.array([[1, 2, 3], [4, 5, 6]])",
    "a",
    "a.shape",
    # The attributes the sheet lists just above the section (`.data` has no lazygrad twin).
    "a.ndim",
    "a.size",
    "a.dtype",
    "a.dtype.name",
    "a.itemsize",
    "np.zeros((3, 2))",
    "np.ones((1, 2))",
    # The sheet says "1x10 of 2-10": it is 9 values, 2 to 10, of shape (9,).
    "np.arange(2, 11, dtype=float)",
    "np.linspace(1., 4., 6)",
    "np.full((1, 3), 7)",
    "np.eye(2)",
    # Random values differ from numpy's streams, so only shapes, dtypes and ranges are shown.
    "np.random.seed(0)",
    "e = np.random.random((2, 2))",
    "e.shape, e.dtype",
    "((e >= 0) & (e < 1)).all()",
    "x = np.random.randn(64, 100)",
    "x.shape, x.dtype",
    # The sheet's comment says indices "provides transpose"; it gives one grid of indices per axis.
    "a = np.indices((3, 3))",
    "a",
    # The sheet's `np.reshape(a, (2,1))` cannot hold 18 elements and numpy raises; it meant one
    # row of coordinates per axis, `(2, -1)`, which is `(2, 9)`.
    "np.reshape(a, (2, 1))",
    "np.reshape(a, (2, -1))",
    "np.e, np.pi",
    "# Slicing/Indexing/Reshaping",
    "a = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])",
    # Basic slicing gives a view: `b` shares `a`'s memory.
    "b = a[:2, 1:3]",
    "b",
    # An integer drops the axis and a slice keeps it: rank 1, (3,), against rank 2, (3, 1).
    "a[:, 1]",
    "a[:, 1:2]",
    "a[:, 1].shape, a[:, 1:2].shape",
    # The sheet writes `a[:, 1] != a[:, 1:2]` to say the two differ; `!=` compares elementwise,
    # broadcasting (3,) against (3, 1) to (3, 3).
    "a[:, 1] != a[:, 1:2]",
    # The sheet writes `np.array(0,1,0)`, which raises TypeError; it means `np.array([0, 1, 0])`,
    # which picks a[0, 0], a[1, 1] and a[2, 0]. The sheet's result for it is right.
    "a[np.arange(3), np.array([0, 1, 0])] += 10",
    "a",
    # `b` is a view of `a`, so it sees the write to a[1, 1].
    "b",
    # The sheet's results for the next three lines are those of `a` before the `+= 10`.
    "a > 5",
    "a[a > 5]",
    "a[-1]",
    "a[-1, :]",
    # The sheet's "if x.ndim=5": `...` stands for as many `:` as the other indices leave.
    "x = np.arange(720).reshape(2, 3, 4, 5, 6)",
    "x.ndim",
    "x[1, 2, ...].shape",
    "(x[1, 2, ...] == x[1, 2, :, :, :]).all()",
    # These return new arrays and leave `a` as it was.
    "a.T, a.ravel(), a.reshape(2, 6)",
    "a.shape",
    # `resize` reshapes `a` itself and returns None. numpy allows it here only because the size
    # stays 12: growing `a` while the view `b` exists raises (refcheck).
    "a.resize(2, 6)",
    "a",
    "a.reshape(3, -1)",
    # The sheet's `a` is now (2, 6) and `b` is (2, 2): their columns differ, so they don't stack.
    "np.vstack((a, b))",
    # Stacking `a` on top of `b` needs as many columns as `b` has.
    "np.vstack((a.reshape(-1, 2), b))",
    "np.hstack((a, b))",
    "# Array Math",
    "a, b = np.array([[1, 2], [3, 4]]), np.array([[5, 6], [7, 8]])",
    "a + b",
    "a * b",
    "np.multiply(a, b)",
    # The sheet writes `(x / y);np.sqrt(a)` with `x` and `y` undefined; it means `a / b`.
    "a / b",
    "np.sqrt(a)",
    # The sheet says [[14,17],[30,37]]; the product is [[19,22],[43,50]].
    "a.dot(b)",
    "np.dot(a, b)",
    "a @ b",
    "np.sum(a)",
    "a.sum()",
    "a.min(), a.max()",
    "a.sum(axis=0)",
    "a.min(axis=1)",
    # The sheet writes `array([1,3],[3,7])`; the result is 2-d, [[1,3],[3,7]].
    "a.cumsum(axis=1)",
    # The sheet writes `np.lingalg`.
    "np.linalg.norm(a, ord=2, axis=1, keepdims=True)",
    "a.T",
    "# Broadcasting",
    "x = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]])",
    "v = np.array([1, 0, 1])",
    "np.tile(v, (4, 1))",
    # The sheet says [[2,2,4],[5,5,6], etc]; the second row is [5,5,7].
    "y = x + v",
    "y",
]


def transcript():
    """numpy's transcript of `TOUR`, as the interactive interpreter prints it."""
    lines = []
    namespace = {"np": np}
    for snippet in TOUR:
        if snippet.startswith("#"):
            lines.append(snippet)
            continue
        lines.append(">>> " + snippet)
        try:
            code = compile(snippet, "<tour>", "eval")
        except SyntaxError:
            exec(compile(snippet, "<tour>", "exec"), namespace)
            continue
        try:
            value = eval(code, namespace)
        except Exception as err:  # noqa: BLE001 - the transcript shows the error, as the REPL does
            lines += ["Traceback (most recent call last):", "    ..."]
            lines.append(f"{type(err).__name__}: {err}")
            continue
        if value is not None:
            lines.append(repr(value))
    return "\n".join(lines) + "\n"


def main():
    here = pathlib.Path(__file__).resolve().parent
    expected = transcript()
    if "--write" in sys.argv:
        (here / "numpy_tour.stdout").write_text(expected)
        return 0
    if "--check" not in sys.argv:
        sys.stdout.write(expected)
        return 0
    actual = subprocess.run(
        ["cargo", "run", "--quiet", "--example", "numpy_tour"],
        cwd=here.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    diff = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            "numpy (python3 examples/numpy_tour.py)",
            "lazygrad (cargo run --example numpy_tour)",
        )
    )
    if diff:
        sys.stdout.writelines(diff)
        return 1
    print("numpy_tour: lazygrad's transcript matches numpy's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
