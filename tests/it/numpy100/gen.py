"""Writes the goldens of "100 numpy exercises" (github.com/rougier/numpy-100) that apply to a
Rust array library; tests/it/numpy100.rs translates each one to lazygrad.

Run from the repository root:  python3 tests/it/numpy100/gen.py

Each exercise writes exNN_inK.npy (its random inputs, drawn here so both sides see the same
numbers) and exNN_outK.npy (numpy's answers). Exercises that need Python objects, complex or
datetime dtypes, structured arrays or printing are left out; the list at the end says why.
"""

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent
EXERCISES = {}


def exercise(n, inputs=()):
    def register(fn):
        EXERCISES[n] = (list(inputs), fn)
        return fn
    return register


rng = np.random.default_rng(100)
R33 = rng.random((3, 3, 3))
R1010 = rng.random((10, 10))
R30 = rng.random(30)
R55 = rng.random((5, 5))
A53, B32 = rng.random((5, 3)), rng.random((3, 2))
I11 = np.arange(11)
RF10 = rng.uniform(-10, 10, 10)
I10a, I10b = rng.integers(0, 10, 10), rng.integers(0, 10, 10)
R5 = rng.random(5)
C10 = rng.random((10, 2))
R10 = rng.random(10)
XY8, XY7 = rng.random(8), rng.random(7)
Z100 = rng.random(100)
P100 = rng.random((100, 2))
F10 = (rng.random(10) * 100).astype(np.float32)
X53 = rng.random((5, 3))
Z53i = rng.integers(0, 10, (3, 3))
Z35 = rng.integers(0, 3, (3, 10))
Z10 = np.ones(10)
I20 = rng.integers(0, len(Z10), 20)
X6, I6 = [1, 2, 3, 4, 5, 6], [1, 3, 9, 3, 4, 1]
IMG = rng.integers(0, 2, (16, 16, 3)).astype(np.uint8)
A4 = rng.integers(0, 10, (3, 4, 3, 4))
D100, S100 = rng.uniform(0, 1, 100), rng.integers(0, 10, 100)
A55, B55 = rng.uniform(0, 1, (5, 5)), rng.uniform(0, 1, (5, 5))
A553, B55b = np.ones((5, 5, 3)), 2 * np.ones((5, 5))
A55r = np.arange(25).reshape(5, 5)
C7 = np.bincount([1, 1, 2, 3, 4, 4, 6])
Z20 = np.arange(20)
Z10b = rng.integers(0, 2, 100).astype(bool)
Zf = rng.uniform(-1.0, 1.0, 100)
Z50i = rng.integers(0, 10, 50)
Z16 = np.ones((16, 16))
Z1000 = np.arange(10000)
rng.shuffle(Z1000)
Z103 = rng.integers(0, 5, (10, 3))
I8 = np.array([0, 1, 2, 3, 15, 16, 32, 64, 128], dtype=np.int64)
X45 = np.asarray([[1.0, 0.0, 3.0, 8.0], [2.0, 0.0, 1.0, 1.0], [1.5, 2.5, 1.0, 0.0]])
X100 = rng.normal(size=100)
GOL = rng.integers(0, 2, (20, 20))


exercise(3)(lambda: [np.zeros(10)])
exercise(4)(lambda: [np.array(np.zeros((10, 10)).size * np.zeros((10, 10)).itemsize)])


@exercise(6)
def _():
    z = np.zeros(10)
    z[4] = 1
    return [z]


exercise(7)(lambda: [np.arange(10, 50)])
exercise(8)(lambda: [np.arange(50)[::-1]])
exercise(9)(lambda: [np.arange(9).reshape(3, 3)])
exercise(10)(lambda: [np.nonzero([1, 2, 0, 0, 4, 0])[0]])
exercise(11)(lambda: [np.eye(3)])
exercise(13, [R1010])(lambda z: [z.min(), z.max()])
exercise(14, [R30])(lambda z: [z.mean()])


@exercise(15)
def _():
    z = np.ones((10, 10))
    z[1:-1, 1:-1] = 0
    return [z]


exercise(16)(lambda: [np.pad(np.ones((5, 5)), pad_width=1, mode="constant", constant_values=0)])
exercise(17)(lambda: [np.array([0 * np.nan, np.nan == np.nan, np.inf > np.nan, np.nan - np.nan,
                                0.3 == 3 * 0.1])])
exercise(18)(lambda: [np.diag(1 + np.arange(4), k=-1)])


@exercise(19)
def _():
    z = np.zeros((8, 8), dtype=int)
    z[1::2, ::2] = 1
    z[::2, 1::2] = 1
    return [z]


exercise(20)(lambda: [np.array(np.unravel_index(99, (6, 7, 8)))])
exercise(21)(lambda: [np.tile(np.array([[0, 1], [1, 0]]), (4, 4))])
exercise(22, [R55])(lambda z: [(z - np.mean(z)) / np.std(z)])
exercise(24, [A53, B32])(lambda a, b: [a @ b])


@exercise(25, [I11])
def _(z):
    z = z.copy()
    z[(3 < z) & (z < 8)] *= -1
    return [z]


exercise(26)(lambda: [np.sum(np.arange(5), -1)])
exercise(27, [I11])(lambda z: [z ** z, 2 << z >> 2, z < -z, z / 1 / 1])
exercise(28)(lambda: [np.array(0) // np.array(0), np.array(0.0) / np.array(0.0)])
exercise(29, [RF10])(lambda z: [np.copysign(np.ceil(np.abs(z)), z)])
exercise(30, [I10a, I10b])(lambda a, b: [np.intersect1d(a, b)])
exercise(35, [np.ones(3) * 1, np.ones(3) * 2])(lambda a, b: [(a + b) * (-a / 2)])
exercise(36, [RF10])(lambda z: [z - z % 1, z // 1, np.floor(z), z.astype(int), np.trunc(z)])
exercise(37)(lambda: [np.zeros((5, 5)) + np.arange(5)])
exercise(39)(lambda: [np.linspace(0, 1, 11, endpoint=False)[1:]])
exercise(40, [R10])(lambda z: [np.sort(z)])
exercise(41)(lambda: [np.add.reduce(np.arange(10))])
exercise(42, [R5, R5 + 1e-9])(lambda a, b: [np.array(np.allclose(a, b)), np.array(np.array_equal(a, b))])
exercise(44, [C10])(lambda z: [np.sqrt(z[:, 0] ** 2 + z[:, 1] ** 2), np.arctan2(z[:, 1], z[:, 0])])


@exercise(45, [R10])
def _(z):
    z = z.copy()
    z[z.argmax()] = 0
    return [z]


exercise(46)(lambda: list(np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 5))))
exercise(47, [XY8, XY7])(lambda x, y: [1.0 / np.subtract.outer(x, y)])
exercise(50, [Z100])(lambda z: [z[(np.abs(z - 0.5)).argmin()]])


@exercise(52, [P100])
def _(z):
    x, y = np.atleast_2d(z[:, 0], z[:, 1])
    return [np.sqrt((x - x.T) ** 2 + (y - y.T) ** 2)]


exercise(53, [F10])(lambda z: [z.astype(np.int32)])
exercise(56)(lambda: [np.exp(-((np.sqrt(sum(g * g for g in np.meshgrid(
    np.linspace(-1, 1, 10), np.linspace(-1, 1, 10))) - 0.0) ** 2 / (2.0 * 1.0 ** 2))))])
exercise(58, [X53])(lambda x: [x - x.mean(axis=1, keepdims=True)])
exercise(59, [Z53i])(lambda z: [z[z[:, 1].argsort()]])
exercise(60, [Z35])(lambda z: [np.array((~z.any(axis=0)).any())])
exercise(61, [Z100])(lambda z: [z.flat[np.abs(z - 0.5).argmin()]])
exercise(62)(lambda: [np.arange(3).reshape(3, 1) + np.arange(3).reshape(1, 3)])


@exercise(64, [Z10, I20])
def _(z, i):
    z = z.copy()
    np.add.at(z, i, 1)
    return [z]


exercise(65, [np.array(X6, dtype=float), np.array(I6)])(lambda x, i: [np.bincount(i, x)])


@exercise(66, [IMG])
def _(img):
    img = img.astype(np.int64)
    colors = img[..., 0] * 65536 + img[..., 1] * 256 + img[..., 2]
    return [np.array(len(np.unique(colors)))]


exercise(67, [A4])(lambda a: [a.sum(axis=(-2, -1))])
exercise(68, [D100, S100])(lambda d, s: [np.bincount(s, weights=d) / np.bincount(s)])
exercise(69, [A55, B55])(lambda a, b: [np.diag(np.dot(a, b)), np.sum(a * b.T, axis=1)])


@exercise(70)
def _():
    z = np.array([1, 2, 3, 4, 5])
    nz = 3
    z0 = np.zeros(len(z) + (len(z) - 1) * nz)
    z0[::nz + 1] = z
    return [z0]


exercise(71, [A553, B55b])(lambda a, b: [a * b[:, :, None]])


@exercise(72, [A55r])
def _(a):
    a = a.copy()
    a[[0, 1]] = a[[1, 0]]
    return [a]


exercise(74, [C7])(lambda c: [np.repeat(np.arange(len(c)), c)])


@exercise(75, [Z20])
def _(a, n=3):
    ret = np.cumsum(a, dtype=float)
    ret[n:] = ret[n:] - ret[:-n]
    return [ret[n - 1:] / n]


exercise(76, [np.arange(10)])(lambda z: [np.lib.stride_tricks.as_strided(
    z, shape=(8, 3), strides=(z.strides[0], z.strides[0]))])
exercise(77, [Z10b, Zf])(lambda b, f: [np.logical_not(b), np.negative(f)])
exercise(81, [np.arange(1, 15, dtype=np.uint32)])(lambda z: [np.lib.stride_tricks.as_strided(
    z, (11, 4), (4, 4))])
exercise(83, [Z50i])(lambda z: [np.array(np.bincount(z).argmax())])
exercise(84, [rng.integers(0, 5, (10, 10))])(lambda z: [np.lib.stride_tricks.sliding_window_view(
    z, (3, 3))])
exercise(87, [Z16])(lambda z: [np.add.reduceat(np.add.reduceat(z, np.arange(0, 16, 4), axis=0),
                                               np.arange(0, 16, 4), axis=1)])


@exercise(88, [GOL])
def _(z):
    for _ in range(10):
        n = (z[0:-2, 0:-2] + z[0:-2, 1:-1] + z[0:-2, 2:] + z[1:-1, 0:-2] + z[1:-1, 2:] +
             z[2:, 0:-2] + z[2:, 1:-1] + z[2:, 2:])
        birth = (n == 3) & (z[1:-1, 1:-1] == 0)
        survive = ((n == 2) | (n == 3)) & (z[1:-1, 1:-1] == 1)
        z = z.copy()
        z[...] = 0
        z[1:-1, 1:-1][birth | survive] = 1
    return [z]


exercise(89, [Z1000])(lambda z: [z[np.argsort(z)[-5:]], np.sort(z[np.argpartition(-z, 5)[:5]])])
exercise(90)(lambda: [np.indices((3, 2, 2)).reshape(3, -1).T])
exercise(92, [R10])(lambda x: [x ** 3, x * x * x])
exercise(94, [Z103])(lambda z: [z[z.max(axis=1) != z.min(axis=1), :]])
exercise(95, [I8])(lambda i: [((i.reshape(-1, 1) & (2 ** np.arange(8))) != 0).astype(int)])
exercise(99, [X45])(lambda x: [x[np.logical_and.reduce(np.mod(x, 1) == 0, axis=-1) &
                                  (x.sum(axis=-1) == 4)]])
exercise(100, [X100])(lambda x: [np.array([x.mean(), x.std()])])

LEFT_OUT = {
    1: "import numpy", 2: "version and configuration", 5: "documentation from Python",
    12: "random values (lazygrad's streams are not numpy's; see random.rs)",
    23: "a custom structured dtype", 31: "warnings", 32: "complex numbers",
    33: "datetime64", 34: "datetime64", 38: "a Python generator (Rust: array(iter.collect()))",
    43: "read-only flags (lazygrad values are always immutable)", 48: "iinfo/finfo",
    49: "print options", 51: "a structured dtype", 54: "a StringIO (tests/it/text_io.rs)",
    55: "ndenumerate", 57: "random placement (random.rs tests choice)", 63: "a subclass",
    73: "a structured view of rows", 78: "loops over points and lines",
    79: "loops over points and lines", 80: "a Python function with clipping",
    82: "matrix rank: SVD, issue #18", 85: "a subclass", 86: "tensordot, issue #18",
    91: "a record array", 93: "np.where on a 4-D broadcast of unique rows", 96: "unique rows (axis=)",
    97: "einsum, issue #18", 98: "interp (not yet)",
}


def main():
    for path in OUT.glob("*.npy"):
        path.unlink()
    for n, (inputs, fn) in sorted(EXERCISES.items()):
        assert n not in LEFT_OUT
        for k, a in enumerate(inputs):
            np.save(OUT / f"ex{n:03}_in{k}.npy", np.asarray(a))
        for k, a in enumerate(fn(*inputs)):
            np.save(OUT / f"ex{n:03}_out{k}.npy", np.asarray(a))
    assert len(EXERCISES) + len(LEFT_OUT) == 100, sorted(set(range(1, 101)) - set(EXERCISES) - set(LEFT_OUT))
    (OUT / "README.md").write_text(
        "# numpy-100 goldens\n\nWritten by `python3 tests/it/numpy100/gen.py`; "
        f"{len(EXERCISES)} exercises translated in `tests/it/numpy100.rs`, "
        f"{len(LEFT_OUT)} left out:\n\n" +
        "".join(f"- {n}: {why}\n" for n, why in sorted(LEFT_OUT.items())))
    print(f"{len(EXERCISES)} exercises, {len(LEFT_OUT)} left out")


if __name__ == "__main__":
    main()
