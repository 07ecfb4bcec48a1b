"""Writes the numpy golden files that lazygrad's op tests compare against.

Run from the repository root:  python3 tests/it/golden/gen.py

Every case in CASES writes <name>.in0.npy, <name>.in1.npy, ... and <name>.out.npy next to
this script, and one `name n_inputs` line to manifest.txt. Any other .npy file in this
directory is deleted, so removing a row removes its files. See README.md for the naming.

Inputs are drawn from np.random.default_rng([0, crc32(name)]): seed 0 mixed with the case
name, so adding or removing a case leaves every other file byte-identical.
"""

import math
import zlib
from functools import partial
from pathlib import Path

import numpy as np

OUT_DIR = Path(__file__).resolve().parent

# The dtypes lazygrad has; the Rust reader (lazygrad-testutil) reads exactly these.
BOOL, U8, I32, I64, F32, F64 = "bool", "uint8", "int32", "int64", "float32", "float64"
I8, U16, I16, U32, U64, F16 = "int8", "uint16", "int16", "uint32", "uint64", "float16"
# Every lazygrad dtype; the six first ones have the most cases, the newer ones a section below.
ALL = [BOOL, U8, I32, I64, F32, F64, I8, U16, I16, U32, U64, F16]
NEW = [I8, U16, I16, U32, U64, F16]
UNSIGNED = [U8, U16, U32, U64]
NUMERIC = [U8, I32, I64, F32, F64]
SIGNED = [I32, I64, F32, F64]
FLOATS = [F32, F64]
# Unary float functions: numpy maps int32/int64 to float64 (and uint8/bool to float16, which
# lazygrad does not have, so those are left out).
FLOAT_FN = [I32, I64, F32, F64]


# --- Input domains --------------------------------------------------------------------------
# A domain maps (rng, dtype, shape) to an array. Each keeps the results of the ops that use it
# finite and in range; only the *_wrap cases are meant to overflow uint8.


def domain(ints, floats, bools=0.5, zero_first=False):
    """A domain from an int draw (rng, dtype, shape), a float draw (rng, shape) and P(True)."""

    def draw(rng, dtype, shape):
        if dtype == BOOL:
            a = rng.random(shape) < bools
        elif dtype in FLOATS or dtype == F16:
            a = floats(rng, shape)
        else:
            a = ints(rng, dtype, shape)
        a = np.asarray(a).astype(dtype)
        if zero_first and a.size:
            a.flat[0] = 0
        return a

    return draw


def int_range(lo, hi, u8=None):
    """Ints in [lo, hi]; uint8 uses the (lo, hi) pair `u8` when given."""

    def draw(rng, dtype, shape):
        low, high = u8 if dtype in UNSIGNED and u8 else (lo, hi)
        assert dtype not in UNSIGNED or low >= 0, "unsigned domain below zero"
        return rng.integers(low, high + 1, size=shape)

    return draw


def int_choice(values):
    """Ints drawn from `values`; uint8 draws from the non-negative ones."""

    def draw(rng, dtype, shape):
        return rng.choice([v for v in values if dtype not in UNSIGNED or v >= 0], shape)

    return draw


def nonzero_ints(rng, dtype, shape):
    if dtype in UNSIGNED:
        return rng.integers(1, 21, size=shape)
    return rng.integers(1, 10, size=shape) * rng.choice([-1, 1], shape)


def uniform(lo, hi):
    return lambda rng, shape: rng.uniform(lo, hi, shape)


def signed_uniform(lo, hi):
    """Magnitudes in [lo, hi] with random signs, never near zero."""
    return lambda rng, shape: rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def grid(rng, shape):
    """Floats in {-1.5, -1, ..., 1.5}."""
    return rng.integers(-3, 4, size=shape) * 0.5


def sparse(p_nonzero):
    """Zero with probability 1 - p_nonzero (False for bools), for any/all and the logical ops."""
    nonzero_ints = int_choice([-3, -2, -1, 1, 2, 3])

    def ints(rng, dtype, shape):
        return nonzero_ints(rng, dtype, shape) * (rng.random(shape) < p_nonzero)

    def floats(rng, shape):
        return rng.uniform(-2, 2, shape) * (rng.random(shape) < p_nonzero)

    return domain(ints, floats, bools=p_nonzero)


def ranged(lo, hi):
    """Ints in [lo, hi] and floats uniform in [lo, hi)."""
    return domain(int_range(lo, hi), uniform(lo, hi))


# Signed ints in [-9, 9], uint8 in [0, 20], floats in [-3, 3).
ANY = domain(int_range(-9, 9, u8=(0, 20)), uniform(-3, 3))
POS = domain(int_range(1, 9, u8=(1, 20)), uniform(0.5, 4))
NONZERO = domain(nonzero_ints, signed_uniform(0.5, 3))
# A coarse grid, so that comparisons see ties and sign sees zeros.
GRID = domain(int_range(-3, 3, u8=(0, 6)), grid)
GRID_WITH_ZERO = domain(int_range(-3, 3, u8=(0, 6)), grid, zero_first=True)
SMALL = domain(int_choice([-2, -1, 1, 2]), signed_uniform(0.7, 1.3))  # for prod and cumprod
# Int bases may be negative; float bases stay positive so fractional exponents are defined.
POWER_BASE = domain(int_range(-9, 9), uniform(0.5, 4))
EXPONENT = domain(int_range(0, 3), uniform(-2, 2))  # numpy rejects negative int exponents
MOSTLY_ZERO = sparse(0.3)
MOSTLY_NONZERO = sparse(0.75)
WITH_ZERO = domain(int_range(-9, 9), uniform(-3, 3), zero_first=True)
NAN_INPUT = domain(
    None, lambda rng, shape: np.where(rng.random(shape) < 0.3, np.nan, rng.uniform(-3, 3, shape))
)


def x(dtype, shape=(3, 4), dom=ANY):
    """One input: its dtype, shape and domain."""
    return (dtype, shape, dom)


# --- The case table ---------------------------------------------------------------------------
# CASES holds (name, input_spec, fn): fn receives the inputs as positional arrays.

CASES = []


def case(name, inputs, fn):
    CASES.append((name, tuple(inputs), fn))


# Elementwise binary ops: (op, numpy fn, dtypes, domain of in0, domain of in1).
# uint8 domains are chosen so that the plain cases do not wrap; the *_wrap rows below do.
BINARY = [
    ("add", np.add, ALL, ANY, ANY),
    ("subtract", np.subtract, SIGNED, ANY, ANY),
    ("multiply", np.multiply, [BOOL, I32, I64, F32, F64], ANY, ANY),
    ("true_divide", np.true_divide, NUMERIC, ANY, NONZERO),
    ("floor_divide", np.floor_divide, NUMERIC, ANY, NONZERO),
    ("remainder", np.remainder, NUMERIC, ANY, NONZERO),
    ("power", np.power, [I32, I64, F32, F64], POWER_BASE, EXPONENT),
    ("maximum", np.maximum, ALL, GRID, GRID),
    ("minimum", np.minimum, ALL, GRID, GRID),
    ("greater", np.greater, ALL, GRID, GRID),
    ("greater_equal", np.greater_equal, ALL, GRID, GRID),
    ("less", np.less, ALL, GRID, GRID),
    ("less_equal", np.less_equal, ALL, GRID, GRID),
    ("equal", np.equal, ALL, GRID, GRID),
    ("not_equal", np.not_equal, ALL, GRID, GRID),
    ("logical_and", np.logical_and, ALL, MOSTLY_NONZERO, MOSTLY_NONZERO),
    ("logical_or", np.logical_or, ALL, MOSTLY_ZERO, MOSTLY_ZERO),
]
def binary_cases(rows):
    """One case per (op, numpy fn, dtypes, domain of in0, domain of in1) row and dtype."""
    for op, fn, dtypes, dom0, dom1 in rows:
        for dt in dtypes:
            case(f"{op}-{dt}", [x(dt, dom=dom0), x(dt, dom=dom1)], fn)


binary_cases(BINARY)
# uint8 rows whose domains keep the result in [0, 255].
case("subtract-uint8", [x(U8, dom=ranged(10, 20)), x(U8, dom=ranged(0, 10))], np.subtract)
case("multiply-uint8", [x(U8, dom=ranged(0, 15)), x(U8, dom=ranged(0, 15))], np.multiply)
case("power-uint8", [x(U8, dom=ranged(0, 6)), x(U8, dom=EXPONENT)], np.power)
# numpy wraps uint8 modulo 256; these pin that behaviour.
case("add_wrap-uint8", [x(U8, dom=ranged(100, 255)), x(U8, dom=ranged(100, 255))], np.add)
case("subtract_wrap-uint8", [x(U8, dom=ranged(0, 10)), x(U8, dom=ranged(11, 20))], np.subtract)
case("multiply_wrap-uint8", [x(U8, dom=ranged(16, 255)), x(U8, dom=ranged(16, 255))], np.multiply)
# maximum and minimum propagate NaN.
for op, fn in [("maximum_nan", np.maximum), ("minimum_nan", np.minimum)]:
    for dt in FLOATS:
        case(f"{op}-{dt}", [x(dt, dom=NAN_INPUT), x(dt, dom=NAN_INPUT)], fn)

# Mixed-dtype promotion: (op, numpy fn, dtype of in0, dtype of in1, domain of in1).
MIXED = [
    ("add", np.add, I32, F32, ANY),  # -> float64
    ("add", np.add, I64, F32, ANY),  # -> float64
    ("add", np.add, U8, F32, ANY),  # -> float32
    ("add", np.add, F32, F64, ANY),  # -> float64
    ("add", np.add, BOOL, I32, ANY),  # -> int32
    ("add", np.add, U8, I32, ANY),  # -> int32
    ("add", np.add, I32, I64, ANY),  # -> int64
    ("subtract", np.subtract, I32, F64, ANY),  # -> float64
    ("multiply", np.multiply, U8, F64, ANY),  # -> float64
    ("multiply", np.multiply, BOOL, F32, ANY),  # -> float32
    ("true_divide", np.true_divide, I32, I64, NONZERO),  # -> float64
    ("true_divide", np.true_divide, U8, F32, NONZERO),  # -> float32
    ("maximum", np.maximum, I32, F32, GRID),  # -> float64
    ("greater", np.greater, I32, F64, GRID),  # -> bool
]
for op, fn, dt0, dt1, dom1 in MIXED:
    dom0 = GRID if dom1 is GRID else ANY
    case(f"{op}_mix-{dt0}-{dt1}", [x(dt0, dom=dom0), x(dt1, dom=dom1)], fn)

# Python scalars on the LEFT of an operator, where order matters: numpy 2 treats them as weak, so
# `1 - a_u8` stays uint8 (and wraps: 1 - 20 is 237), `2.0 - a_f32` stays float32, and a float
# scalar with an int array gives float64. The Rust rows write the same literal on the left
# (`1 - &a`, `2.0 / &a`, `lazygrad::floor_divide(7, &a)`).
# (name, numpy fn, dtypes, domain).
SCALAR_LEFT = [
    ("rmul_float", lambda a: 2.0 * a, ALL, ANY),
    ("radd_int", lambda a: 3 + a, ALL, ANY),
    ("rsub_int", lambda a: 1 - a, ALL, ANY),
    ("rsub_float", lambda a: 1.0 - a, ALL, ANY),
    ("rdiv_float", lambda a: 2.0 / a, NUMERIC, NONZERO),
    ("rdiv_int", lambda a: 2 / a, NUMERIC, NONZERO),
    ("rrem_int", lambda a: 10 % a, NUMERIC, NONZERO),
    ("rrem_float", lambda a: 2.5 % a, NUMERIC, NONZERO),
    ("rfloordiv_int", lambda a: 7 // a, NUMERIC, NONZERO),
    ("rpow_int", lambda a: 2**a, [U8, I32, I64, F32, F64], EXPONENT),
    ("rmaximum_float", lambda a: np.maximum(0.5, a), ALL, GRID),
    ("rgreater_int", lambda a: 1 > a, ALL, GRID),
]
for op, fn, dtypes, dom in SCALAR_LEFT:
    for dt in dtypes:
        case(f"{op}-{dt}", [x(dt, dom=dom)], fn)
# uint8 products and sums that wrap with the literal on the left.
case("rmul_int_wrap-uint8", [x(U8, dom=ranged(100, 255))], lambda a: 3 * a)
case("rsub_200_wrap-uint8", [x(U8, dom=ranged(0, 255))], lambda a: 200 - a)

# Broadcasting.
for dt in [I32, I64, F32, F64]:
    case(f"add_bcast-{dt}", [x(dt, (3, 4)), x(dt, (4,))], np.add)
    case(f"multiply_bcast-{dt}", [x(dt, (3, 1)), x(dt, (1, 4))], np.multiply)
    case(f"subtract_bcast-{dt}", [x(dt, (2, 1, 4)), x(dt, (3, 1))], np.subtract)

# Elementwise unary ops: (op, numpy fn, dtypes, domain).
UNARY = [
    ("negative", np.negative, SIGNED, ANY),
    ("sqrt", np.sqrt, FLOAT_FN, POS),
    ("exp", np.exp, FLOAT_FN, ANY),
    ("log", np.log, FLOAT_FN, POS),
    ("abs", np.abs, NUMERIC, ANY),
    ("sign", np.sign, NUMERIC, GRID_WITH_ZERO),
    ("sin", np.sin, FLOAT_FN, ANY),
    ("cos", np.cos, FLOAT_FN, ANY),
    ("tanh", np.tanh, FLOAT_FN, ANY),
    ("clip", partial(np.clip, a_min=-2, a_max=3), SIGNED, ranged(-5, 5)),
    ("logical_not", np.logical_not, ALL, MOSTLY_NONZERO),
]
def unary_cases(rows):
    """One case per (op, numpy fn, dtypes, domain) row and dtype."""
    for op, fn, dtypes, dom in rows:
        for dt in dtypes:
            case(f"{op}-{dt}", [x(dt, dom=dom)], fn)


unary_cases(UNARY)

# The ufuncs beyond the cheat sheet. Float functions of int32/int64 compute in float64, as above.
INTS = [U8, I32, I64]
UNIT = domain(int_range(-1, 1, u8=(0, 1)), uniform(-0.95, 0.95))  # arcsin, arccos
UNIT_OPEN = domain(int_range(0, 0), uniform(-0.95, 0.95))  # arctanh: finite inside (-1, 1)
AT_LEAST_ONE = domain(int_range(1, 9), uniform(1, 4))  # arccosh
ABOVE_MINUS_ONE = domain(int_range(0, 9), uniform(-0.9, 3))  # log1p
NEAR_ZERO = domain(int_range(-1, 1, u8=(0, 1)), uniform(-1.2, 1.2))  # tan, away from its poles
SHIFTS = domain(int_range(-2, 70, u8=(0, 12)), None)  # counts past the width give 0 or -1
UFUNC_UNARY = [
    ("floor", np.floor, ALL, ANY),
    ("ceil", np.ceil, ALL, ANY),
    ("trunc", np.trunc, ALL, ANY),
    ("fix", np.fix, ALL, ANY),
    ("rint", np.rint, FLOAT_FN, GRID),
    ("tan", np.tan, FLOAT_FN, NEAR_ZERO),
    ("arcsin", np.arcsin, FLOAT_FN, UNIT),
    ("arccos", np.arccos, FLOAT_FN, UNIT),
    ("arctan", np.arctan, FLOAT_FN, ANY),
    ("sinh", np.sinh, FLOAT_FN, ANY),
    ("cosh", np.cosh, FLOAT_FN, ANY),
    ("arcsinh", np.arcsinh, FLOAT_FN, ANY),
    ("arccosh", np.arccosh, FLOAT_FN, AT_LEAST_ONE),
    ("arctanh", np.arctanh, FLOAT_FN, UNIT_OPEN),
    ("log2", np.log2, FLOAT_FN, POS),
    ("log10", np.log10, FLOAT_FN, POS),
    ("log1p", np.log1p, FLOAT_FN, ABOVE_MINUS_ONE),
    ("expm1", np.expm1, FLOAT_FN, ANY),
    ("exp2", np.exp2, FLOAT_FN, ANY),
    ("cbrt", np.cbrt, FLOAT_FN, ANY),
    ("invert", np.invert, [BOOL, *INTS], ANY),
]
unary_cases(UFUNC_UNARY)
UFUNC_BINARY = [
    ("fmax", np.fmax, ALL, GRID, GRID),
    ("fmin", np.fmin, ALL, GRID, GRID),
    ("arctan2", np.arctan2, FLOAT_FN, ANY, ANY),
    ("hypot", np.hypot, FLOAT_FN, ANY, ANY),
    ("copysign", np.copysign, FLOAT_FN, ANY, GRID_WITH_ZERO),
    ("fmod", np.fmod, NUMERIC, ANY, NONZERO),
    ("logaddexp", np.logaddexp, FLOAT_FN, GRID, GRID),
    ("logaddexp2", np.logaddexp2, FLOAT_FN, GRID, GRID),
    ("gcd", np.gcd, INTS, ANY, ANY),
    ("lcm", np.lcm, INTS, ANY, ANY),
    ("bitwise_and", np.bitwise_and, [BOOL, *INTS], ANY, ANY),
    ("bitwise_or", np.bitwise_or, [BOOL, *INTS], ANY, ANY),
    ("bitwise_xor", np.bitwise_xor, [BOOL, *INTS], ANY, ANY),
    ("left_shift", np.left_shift, INTS, ANY, SHIFTS),
    ("right_shift", np.right_shift, INTS, ANY, SHIFTS),
]
binary_cases(UFUNC_BINARY)
# fmax and fmin skip NaN unless both are NaN; integer fmod by zero is 0 (numpy warns).
for op, fn in [("fmax_nan", np.fmax), ("fmin_nan", np.fmin)]:
    for dt in FLOATS:
        case(f"{op}-{dt}", [x(dt, dom=NAN_INPUT), x(dt, dom=NAN_INPUT)], fn)
for dt in [I32, I64]:
    case(f"fmod_zero-{dt}", [x(dt), x(dt, dom=WITH_ZERO)], np.fmod)
# Mixed dtypes: float functions of an int and a float, bitwise ops of bool and int.
case("arctan2_mix-int32-float32", [x(I32), x(F32)], np.arctan2)  # -> float64
case("hypot_mix-uint8-float32", [x(U8), x(F32)], np.hypot)  # -> float32
case("bitwise_and_mix-bool-int32", [x(BOOL), x(I32)], np.bitwise_and)  # -> int32
# numpy's round (around): half to even at `decimals` places, by scaling, rint and unscaling.
for decimals in [0, 1, 2, -1]:
    name = f"round{decimals}".replace("-", "neg")
    for dt in [I32, I64, F32, F64]:
        case(f"{name}-{dt}", [x(dt, dom=domain(int_range(-99, 99), uniform(-60, 60)))],
             partial(np.round, decimals=decimals))
# Functions of the floating point classes, on inputs holding NaN and infinities.
SPECIAL = domain(int_range(-9, 9, u8=(0, 20)), lambda rng, shape: rng.choice(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.5, 1e308], shape))
for op, fn in [("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite),
               ("signbit", np.signbit), ("isposinf", np.isposinf), ("isneginf", np.isneginf)]:
    for dt in [BOOL, U8, I32, I64, F32, F64] if op != "isposinf" and op != "isneginf" else [I64, F32, F64]:
        case(f"{op}-{dt}", [x(dt, dom=SPECIAL)], fn)
for dt in FLOATS:
    case(f"nan_to_num_nan-{dt}", [x(dt, dom=SPECIAL)], np.nan_to_num)
    case(f"nan_to_num_args_nan-{dt}", [x(dt, dom=SPECIAL)],
         partial(np.nan_to_num, nan=-1.0, posinf=9.0, neginf=-9.0))
    case(f"heaviside_nan-{dt}", [x(dt, dom=SPECIAL), x(dt, dom=GRID)], np.heaviside)
for dt in FLOAT_FN:
    case(f"deg2rad-{dt}", [x(dt, dom=domain(int_range(-360, 360), uniform(-360, 360)))], np.deg2rad)
    case(f"rad2deg-{dt}", [x(dt)], np.rad2deg)

# Ufunc methods: outer, reduce, accumulate, reduceat and at, for ufuncs with a primitive
# reduction (add, maximum) and ufuncs folded in order (subtract, divide, power, hypot, ...).
for dt in [I32, F64]:
    case(f"ufunc_outer_multiply-{dt}", [x(dt, (3, 2)), x(dt, (4,))], np.multiply.outer)
    case(f"ufunc_outer_subtract-{dt}", [x(dt, (3,)), x(dt, (2, 2))], np.subtract.outer)
    case(f"ufunc_outer_greater-{dt}", [x(dt, (3,), GRID), x(dt, (4,), GRID)], np.greater.outer)
    case(f"ufunc_reduce_add_axis0-{dt}", [x(dt)], partial(np.add.reduce, axis=0))
    case(f"ufunc_reduce_subtract_axis1-{dt}", [x(dt)], partial(np.subtract.reduce, axis=1))
    case(f"ufunc_reduce_subtract_axis1_keepdims-{dt}", [x(dt)],
         partial(np.subtract.reduce, axis=1, keepdims=True))
    case(f"ufunc_reduce_divide_axis0-{dt}", [x(dt, dom=NONZERO)], partial(np.divide.reduce, axis=0))
    case(f"ufunc_reduce_maximum_all-{dt}", [x(dt)], partial(np.maximum.reduce, axis=None))
    case(f"ufunc_accumulate_subtract_axis1-{dt}", [x(dt)], partial(np.subtract.accumulate, axis=1))
    case(f"ufunc_accumulate_maximum_axis0-{dt}", [x(dt)], partial(np.maximum.accumulate, axis=0))
    case(f"ufunc_accumulate_minimum_axis1-{dt}", [x(dt)], partial(np.minimum.accumulate, axis=1))
    case(f"ufunc_accumulate_add_axis1-{dt}", [x(dt)], partial(np.add.accumulate, axis=1))
    case(f"ufunc_reduceat_add-{dt}", [x(dt, (8,))], lambda a: np.add.reduceat(a, [0, 4, 1, 5]))
    case(f"ufunc_reduceat_maximum_axis1-{dt}", [x(dt)],
         lambda a: np.maximum.reduceat(a, [0, 2, 1], axis=1))
    case(f"ufunc_reduceat_subtract_axis0-{dt}", [x(dt)],
         lambda a: np.subtract.reduceat(a, [0, 2], axis=0))
for dt in FLOATS:
    case(f"ufunc_reduce_hypot_axis0-{dt}", [x(dt)], partial(np.hypot.reduce, axis=0))
    case(f"ufunc_accumulate_logaddexp_axis0-{dt}", [x(dt)], partial(np.logaddexp.accumulate, axis=0))
for dt in [I32, I64]:
    case(f"ufunc_reduce_bitwise_or_all-{dt}", [x(dt)], partial(np.bitwise_or.reduce, axis=None))
    case(f"ufunc_reduce_power_axis0-{dt}", [x(dt, (3, 4), ranged(0, 3))],
         partial(np.power.reduce, axis=0))


def ufunc_at(ufunc, a, b, idx=(0, 0, 2, 3, 0)):
    a = a.copy()
    ufunc.at(a, list(idx), b)
    return a


for dt in [I32, F64]:
    case(f"ufunc_at_add-{dt}", [x(dt, (5,)), x(dt, (5,))], partial(ufunc_at, np.add))
    case(f"ufunc_at_subtract-{dt}", [x(dt, (5,)), x(dt, (5,))], partial(ufunc_at, np.subtract))
    case(f"ufunc_at_multiply-{dt}", [x(dt, (5,)), x(dt, (5,))], partial(ufunc_at, np.multiply))
    case(f"ufunc_at_maximum-{dt}", [x(dt, (5,)), x(dt, (5,))], partial(ufunc_at, np.maximum))
    # A literal of another kind: each update casts back to the array's dtype.
    case(f"ufunc_at_multiply_literal-{dt}", [x(dt, (5,))],
         lambda a: ufunc_at(np.multiply, a, 2.5))

# Small compositions: nan-products and running nan-sums, differences, divmod/modf, tri, flips,
# diagflat and setxor1d.
for dt in FLOATS:
    case(f"nanprod_axis1_nan-{dt}", [x(dt, dom=NAN_INPUT)], partial(np.nanprod, axis=1))
    case(f"nancumsum_axis0_nan-{dt}", [x(dt, dom=NAN_INPUT)], partial(np.nancumsum, axis=0))
    case(f"nancumsum_flat_nan-{dt}", [x(dt, dom=NAN_INPUT)], np.nancumsum)
    case(f"nancumprod_axis1_nan-{dt}", [x(dt, dom=NAN_INPUT)], partial(np.nancumprod, axis=1))
    case(f"modf_frac_nan-{dt}", [x(dt, dom=SPECIAL)], lambda a: np.modf(a)[0])
    case(f"modf_whole_nan-{dt}", [x(dt, dom=SPECIAL)], lambda a: np.modf(a)[1])
for dt in [BOOL, I32, I64, F32, F64]:
    case(f"diff1-{dt}", [x(dt)], np.diff)
    case(f"diff2_axis0-{dt}", [x(dt, (4, 3))], partial(np.diff, n=2, axis=0))
    if dt != BOOL:  # numpy's ediff1d subtracts, which bools refuse
        case(f"ediff1d-{dt}", [x(dt)], np.ediff1d)
for dt in [I32, I64, F32, F64]:
    case(f"divmod_q-{dt}", [x(dt), x(dt, dom=NONZERO)], lambda a, b: np.divmod(a, b)[0])
    case(f"divmod_r-{dt}", [x(dt), x(dt, dom=NONZERO)], lambda a, b: np.divmod(a, b)[1])
for dt in ALL:
    case(f"fliplr-{dt}", [x(dt)], np.fliplr)
    case(f"flipud-{dt}", [x(dt)], np.flipud)
    case(f"diagflat_k1-{dt}", [x(dt, (2, 2))], partial(np.diagflat, k=1))
for dt in [I32, I64, F64]:
    case(f"setxor1d-{dt}", [x(dt, (8,), GRID), x(dt, (6,), GRID)], np.setxor1d)
case("tri_3_4_k1-float64", [], lambda: np.tri(3, 4, 1))
case("tri_3_kneg1-float64", [], lambda: np.tri(3, k=-1))

# nanquantile and nanpercentile: each slice's quantile of its values that are not NaN; the
# second row of the all_nan cases is NaN only.
def all_nan_row(rng, shape):
    a = np.where(rng.random(shape) < 0.3, np.nan, rng.uniform(-3, 3, shape))
    a[1] = np.nan
    return a


ALL_NAN_ROW = domain(None, all_nan_row)
for dt in FLOATS:
    case(f"nanquantile_q30_axis1_nan-{dt}", [x(dt, (3, 7), NAN_INPUT)],
         partial(np.nanquantile, q=0.3, axis=1))
    case(f"nanquantile_list_axis0_nan-{dt}", [x(dt, (5, 4), NAN_INPUT)],
         partial(np.nanquantile, q=[0.0, 0.5, 0.9, 1.0], axis=0))
    case(f"nanpercentile_q75_all_nan-{dt}", [x(dt, (3, 7), NAN_INPUT)],
         partial(np.nanpercentile, q=75))
    case(f"nanquantile_q50_allnan_nan-{dt}", [x(dt, (3, 5), ALL_NAN_ROW)],
         partial(np.nanquantile, q=0.5, axis=1, keepdims=True))
case("nanquantile_q30_axis1-int64", [x(I64, (3, 7))], partial(np.nanquantile, q=0.3, axis=1))

# where(c, x, y) with a bool condition.
for dt in ALL:
    case(f"where-{dt}", [x(BOOL), x(dt), x(dt)], np.where)
case("where_mix-bool-int32-float32", [x(BOOL), x(I32), x(F32)], np.where)  # -> float64

# astype between every pair of dtypes, on values the target can hold. Floats to ints
# truncate toward zero; the first element is 0 so that casts to bool see a False.
for src in ALL:
    for dst in ALL:
        if src != dst:
            lo = 0 if src in UNSIGNED or dst in UNSIGNED else -9
            hi = 20 if lo == 0 else 9
            dom = domain(int_range(lo, hi), uniform(lo, hi - 0.1), zero_first=True)
            case(f"astype-{src}-{dst}", [x(src, dom=dom)], lambda a, dst=dst: a.astype(dst))


# The dtypes beyond the first six: arithmetic, the float functions (float16 for int8, float32
# for 16-bit integers, float64 for 32- and 64-bit ones), promotion between them, and matmul.
for dt in NEW:
    # add, maximum, minimum, the comparisons, where, floor, ceil and trunc take every dtype above.
    for op, fn, dom0, dom1 in [("multiply", np.multiply, GRID, GRID),
                               ("floor_divide", np.floor_divide, ANY, NONZERO),
                               ("remainder", np.remainder, ANY, NONZERO),
                               ("true_divide", np.true_divide, ANY, NONZERO)]:
        case(f"{op}-{dt}", [x(dt, dom=dom0), x(dt, dom=dom1)], fn)
    if dt not in UNSIGNED:
        case(f"subtract-{dt}", [x(dt), x(dt)], np.subtract)
        case(f"negative-{dt}", [x(dt)], np.negative)
    for op, fn, dom in [("sqrt", np.sqrt, POS), ("exp", np.exp, ANY), ("sin", np.sin, ANY),
                        ("abs", np.abs, ANY)]:
        case(f"{op}-{dt}", [x(dt, dom=dom)], fn)
    case(f"matmul_2d_2d-{dt}", [x(dt, (3, 4), GRID), x(dt, (4, 5), GRID)], np.matmul)
# numpy's float functions of bool and uint8 compute in float16.
for dt in [BOOL, U8]:
    case(f"sqrt-{dt}", [x(dt, dom=POS)], np.sqrt)
    case(f"exp-{dt}", [x(dt, dom=ranged(0, 5))], np.exp)
# numpy computes these of bools in int8.
for op, fn, dom1 in [("floor_divide", np.floor_divide, MOSTLY_NONZERO),
                     ("remainder", np.remainder, MOSTLY_NONZERO), ("power", np.power, ANY),
                     ("fmod", np.fmod, MOSTLY_NONZERO), ("left_shift", np.left_shift, ANY),
                     ("right_shift", np.right_shift, ANY)]:
    case(f"{op}-bool", [x(BOOL), x(BOOL, dom=dom1)], fn)
# uint8 + int8 is int16, uint64 + int64 is float64, int16 + float16 is float32.
for dt0, dt1 in [(U8, I8), (U16, I16), (U32, I32), (U64, I64), (I16, F16), (I8, F16),
                 (U64, F32), (F16, F32), (BOOL, F16), (U16, I8)]:
    case(f"add_mix-{dt0}-{dt1}", [x(dt0), x(dt1)], np.add)
for dt, lo, hi in [(U16, 40_000, 65_535), (U32, 3_000_000_000, 4_294_967_295)]:
    case(f"add_wrap-{dt}", [x(dt, dom=ranged(lo, hi)), x(dt, dom=ranged(lo, hi))], np.add)

# Reductions over a (3, 4) and a (2, 3, 4) input. Names are
# <op>_<rank>d_<axes>[_keepdims]-<dtype> with axes one of all (axis=None), axis0,
# axisneg1 (axis=-1) and axes0_2 (axis=(0, 2), 3-D only).
AXES = {"all": None, "axis0": 0, "axisneg1": -1, "axes0_2": (0, 2)}


def reduction_cases(op, fn, dtypes, dom, multi_axis=True):
    for rank, shape in [(2, (3, 4)), (3, (2, 3, 4))]:
        for axes_name, axis in AXES.items():
            if axes_name == "axes0_2" and (rank == 2 or not multi_axis):
                continue
            for keepdims in [False, True]:
                suffix = "_keepdims" if keepdims else ""
                for dt in dtypes:
                    name = f"{op}_{rank}d_{axes_name}{suffix}-{dt}"
                    case(name, [x(dt, shape, dom)], partial(fn, axis=axis, keepdims=keepdims))


# numpy accumulates sum and prod of bool and signed integers in int64 and of unsigned ones in
# uint64; mean, var and std of bools and ints return float64 (float16 stays float16); min and
# max keep the dtype.
reduction_cases("sum", np.sum, [BOOL, U8, I32, I64, F32, F64, *NEW], ANY)
reduction_cases("mean", np.mean, [BOOL, U8, I32, I64, F32, F64, *NEW], ANY)
reduction_cases("prod", np.prod, [BOOL, U8, I32, I64, F32, F64, I8, U16], SMALL)
reduction_cases("min", np.min, [BOOL, U8, I32, I64, F32, F64], ANY)
reduction_cases("max", np.max, [BOOL, U8, I32, I64, F32, F64, *NEW], ANY)
# argmin/argmax take one axis only; ties (common in the int inputs) resolve to the first index.
reduction_cases("argmin", np.argmin, [U8, I32, F32, F64], ANY, multi_axis=False)
reduction_cases("argmax", np.argmax, [U8, I32, F32, F64], ANY, multi_axis=False)
reduction_cases("any", np.any, [BOOL, I32, F64], MOSTLY_ZERO)
reduction_cases("all", np.all, [BOOL, I32, F64], MOSTLY_NONZERO)
reduction_cases("var", np.var, [BOOL, U8, I32, I64, F32, F64], ANY)
# Reductions of an empty array: the ones with an identity give it (np.any([]) is False,
# np.all([]) True, sum 0, prod 1); max and min raise, which errors.txt covers.
for op, fn, dtypes in [("any", np.any, [BOOL, F64]), ("all", np.all, [BOOL, F64]),
                       ("sum", np.sum, [I64, F64]), ("prod", np.prod, [I64, F64])]:
    for axes_name in ["all", "axis0", "axisneg1"]:
        for dt in dtypes:
            case(f"{op}_2d_{axes_name}_empty-{dt}", [x(dt, (0, 3), ANY)],
                 partial(fn, axis=AXES[axes_name]))
reduction_cases("var_ddof1", partial(np.var, ddof=1), [I32, F32, F64], ANY)
reduction_cases("std", np.std, [BOOL, U8, I32, I64, F32, F64], ANY)
reduction_cases("std_ddof1", partial(np.std, ddof=1), [I32, F32, F64], ANY)

# Cumulative ops along axis 0, axis 1 and the flattened input (axis=None).
# numpy's cumsum/cumprod of bool and signed integers (like sum) return int64, of unsigned
# integers uint64.
for op, fn, dom in [("cumsum", np.cumsum, ANY), ("cumprod", np.cumprod, SMALL)]:
    for axes_name, axis in [("axis0", 0), ("axis1", 1), ("flat", None)]:
        for dt in [BOOL, U8, I32, I64, F32, F64, I8, U16]:
            case(f"{op}_{axes_name}-{dt}", [x(dt, dom=dom)], partial(fn, axis=axis))

# matmul and dot: (op name, numpy fn, shape of in0, shape of in1).
MATMUL = [
    ("matmul_2d_2d", np.matmul, (3, 4), (4, 5)),
    ("matmul_1d_2d", np.matmul, (4,), (4, 5)),
    ("matmul_2d_1d", np.matmul, (3, 4), (4,)),
    ("matmul_1d_1d", np.matmul, (4,), (4,)),
    ("matmul_batched", np.matmul, (2, 3, 4), (2, 4, 5)),
    ("matmul_bcast_batch", np.matmul, (2, 1, 3, 4), (3, 4, 5)),
    ("dot_3d_3d", np.dot, (2, 3, 4), (5, 4, 2)),
]
for op, fn, shape0, shape1 in MATMUL:
    for dt in [I32, I64, F32, F64]:
        case(f"{op}-{dt}", [x(dt, shape0), x(dt, shape1)], fn)

# linalg.norm. Vector ords on a (6,) input with one zero (so ord=0 counts something); matrix
# ords on (3, 4). numpy keeps float32 as float32.
VECTOR_ORDS = {"none": None, "1": 1, "2": 2, "inf": math.inf, "neginf": -math.inf, "0": 0, "3": 3}
MATRIX_ORDS = {
    "none": None, "fro": "fro", "1": 1, "neg1": -1, "inf": math.inf, "neginf": -math.inf, "2": 2,
}
for dt in FLOATS:
    for ord_name, ord_ in VECTOR_ORDS.items():
        norm = partial(np.linalg.norm, ord=ord_)
        case(f"norm_vec_{ord_name}-{dt}", [x(dt, (6,), WITH_ZERO)], norm)
    for ord_name, ord_ in MATRIX_ORDS.items():
        norm = partial(np.linalg.norm, ord=ord_)
        case(f"norm_mat_{ord_name}-{dt}", [x(dt)], norm)
    norm_rows = partial(np.linalg.norm, ord=2, axis=1, keepdims=True)
    case(f"norm_axis1_keepdims_2-{dt}", [x(dt)], norm_rows)

# Creation ops take no inputs; the dtype in the name is numpy's output dtype.
CREATION = [
    ("arange_10-int64", lambda: np.arange(10)),
    ("arange_2_11-float64", lambda: np.arange(2, 11, dtype=float)),
    ("arange_0_1_step0p1-float64", lambda: np.arange(0, 1, 0.1)),
    ("arange_10_0_stepneg3-int64", lambda: np.arange(10, 0, -3)),
    ("linspace_1_4_6-float64", lambda: np.linspace(1.0, 4.0, 6)),
    ("linspace_0_1_5_noendpoint-float64", lambda: np.linspace(0, 1, 5, endpoint=False)),
    ("eye_3-float64", lambda: np.eye(3)),
    ("eye_3x4_k1-float64", lambda: np.eye(3, 4, k=1)),
    ("eye_4_kneg1-float64", lambda: np.eye(4, k=-1)),
    ("full_1x3_7-int64", lambda: np.full((1, 3), 7)),
    ("indices_3x3-int64", lambda: np.indices((3, 3))),
]
for name, fn in CREATION:
    case(name, [], fn)


# Views, indexing, joining and sorting (the views issue). Each fn takes the (3, 4) input `a`
# (or a (2, 3, 4) input `b` for the *3d rows); the index arrays are constants the Rust rows
# repeat. Movement does not depend on the dtype, so every dtype runs.


def truthy(a):
    """The mask the mask rows use: elements above one half (True for bools)."""
    return np.asarray(a, dtype=np.float64) > 0.5


def copy_then(update):
    """numpy's in-place writes, on a copy, as a function of the input."""

    def run(a):
        c = a.copy()
        update(c)
        return c

    return run


def resized(a):
    c = a.copy()
    c.resize((5, 3), refcheck=False)
    return c


MOVEMENT_2D = [
    ("slice_basic", lambda a: a[:2, 1:3]),
    ("slice_col", lambda a: a[:, 1]),
    ("slice_col_keep", lambda a: a[:, 1:2]),
    ("slice_neg", lambda a: a[-1]),
    ("slice_step", lambda a: a[::2, ::-1]),
    ("slice_negstep", lambda a: a[2:0:-1, -1:-4:-2]),
    ("slice_newaxis", lambda a: a[None, :, 1]),
    ("slice_empty", lambda a: a[3:1]),
    ("fancy_pair", lambda a: a[np.arange(3), np.array([0, 1, 0])]),
    ("fancy_rows", lambda a: a[[2, 0, 2]]),
    ("fancy_neg", lambda a: a[[-1, 0]]),
    ("fancy_mixed", lambda a: a[1:, [3, 0]]),
    ("fancy_2d_index", lambda a: a[np.array([[0, 1], [2, 0]])]),
    ("fancy_int_and_array", lambda a: a[1, [3, 0, 3]]),
    ("mask", lambda a: a[truthy(a)]),
    ("index_put_mask", copy_then(lambda c: c.__setitem__(truthy(c), 0))),
    ("index_put_slice", copy_then(lambda c: c.__setitem__((slice(None), 0), 1))),
    ("take", lambda a: np.take(a, [5, 0, 11])),
    ("take_axis1", lambda a: np.take(a, [3, 1], axis=1)),
    ("take_along_axis", lambda a: np.take_along_axis(a, np.argsort(a, axis=1, kind="stable"), axis=1)),
    ("argwhere", lambda a: np.argwhere(a)),
    ("count_nonzero", lambda a: np.asarray(np.count_nonzero(a), dtype=np.int64)),
    ("concatenate0", lambda a: np.concatenate([a, a[:1]], 0)),
    ("concatenate1", lambda a: np.concatenate([a, a[:, :2]], 1)),
    ("stack1", lambda a: np.stack([a, a[::-1]], 1)),
    ("vstack", lambda a: np.vstack([a[0], a])),
    ("hstack", lambda a: np.hstack([a, a[:, :1]])),
    ("tile_rows", lambda a: np.tile(a[0], (2, 1))),
    ("tile_2", lambda a: np.tile(a, 2)),
    ("repeat0", lambda a: np.repeat(a, 2, axis=0)),
    ("repeat_flat", lambda a: np.repeat(a, 2)),
    ("split1", lambda a: np.split(a, 2, axis=1)[1]),
    ("resize_method", resized),
    ("resize_fn", lambda a: np.resize(a, (5, 3))),
    ("flip1", lambda a: np.flip(a, 1)),
    ("pad", lambda a: np.pad(a, ((1, 0), (2, 1)), constant_values=0)),
    ("diag_vector", lambda a: np.diag(a[0])),
    ("diag_vector_kneg1", lambda a: np.diag(a[0], k=-1)),
    ("diag_matrix_k1", lambda a: np.diag(a, 1)),
    ("triu_k1", lambda a: np.triu(a, 1)),
    ("tril_kneg1", lambda a: np.tril(a, -1)),
    ("sort1", lambda a: np.sort(a, axis=1, kind="stable")),
    ("sort0", lambda a: np.sort(a, axis=0, kind="stable")),
    ("argsort1", lambda a: np.argsort(a, axis=1, kind="stable")),
    ("meshgrid_x", lambda a: np.meshgrid(a[0], a[:, 0])[0]),
    ("meshgrid_y", lambda a: np.meshgrid(a[0], a[:, 0])[1]),
    ("reshape_infer", lambda a: a.reshape(2, -1)),
    ("ravel_t", lambda a: a.T.ravel()),
    ("expand_dims1", lambda a: np.expand_dims(a, 1)),
    ("squeeze", lambda a: np.squeeze(a[:, None])),
    ("broadcast_to", lambda a: np.broadcast_to(a[0], (2, 4))),
]
MOVEMENT_3D = [
    ("slice_ellipsis3d", lambda b: b[1, ..., 2]),
    ("fancy_sep3d", lambda b: b[[0, 1], :, [1, 2]]),
    ("swapaxes3d", lambda b: np.swapaxes(b, 0, 2)),
    ("transpose3d", lambda b: np.transpose(b, (1, 2, 0))),
    ("reshape_t3d", lambda b: np.transpose(b, (2, 0, 1)).reshape(4, 6)),
]
# Writes whose numpy semantics need arithmetic (bool += 1 is an error in numpy).
WRITES = [
    ("index_add_pair", copy_then(lambda c: c.__setitem__((np.arange(3), [0, 1, 0]), c[np.arange(3), [0, 1, 0]] + 1))),
    ("index_add_repeated", copy_then(lambda c: c.__setitem__(([0, 0, 2],), c[[0, 0, 2]] + 1))),
    ("add_at_repeated", copy_then(lambda c: np.add.at(c, [0, 0, 2], 1))),
]
for dt in ALL:
    for name, fn in MOVEMENT_2D:
        case(f"{name}-{dt}", [x(dt)], fn)
    for name, fn in MOVEMENT_3D:
        case(f"{name}-{dt}", [x(dt, (2, 3, 4))], fn)
for dt in NUMERIC:
    for name, fn in WRITES:
        case(f"{name}-{dt}", [x(dt)], fn)

# Functions that return several arrays: one case per returned array. nonzero's inputs are
# mostly zero (False), and one is all zero; split with an index list includes an index past the
# end and a decreasing pair, both of which give numpy an empty part.
NONE_SET = sparse(0.0)
SEVERAL = [
    ("nonzero1d_0", (12,), MOSTLY_ZERO, lambda a: np.nonzero(a)[0]),
    ("nonzero2d_0", (3, 4), MOSTLY_ZERO, lambda a: np.nonzero(a)[0]),
    ("nonzero2d_1", (3, 4), MOSTLY_ZERO, lambda a: np.nonzero(a)[1]),
    ("nonzero3d_2", (2, 3, 4), MOSTLY_ZERO, lambda a: np.nonzero(a)[2]),
    ("nonzero_none2d_1", (3, 4), NONE_SET, lambda a: np.nonzero(a)[1]),
    ("split_idx_1_3_axisneg1_p0", (3, 4), ANY, lambda a: np.split(a, [1, 3], axis=-1)[0]),
    ("split_idx_1_3_axisneg1_p1", (3, 4), ANY, lambda a: np.split(a, [1, 3], axis=-1)[1]),
    ("split_idx_1_3_axisneg1_p2", (3, 4), ANY, lambda a: np.split(a, [1, 3], axis=-1)[2]),
    ("split_idx_2_5_p1", (3, 4), ANY, lambda a: np.split(a, [2, 5])[1]),
    ("split_idx_2_5_p2", (3, 4), ANY, lambda a: np.split(a, [2, 5])[2]),
    ("split_idx_3_1_p1", (3, 4), ANY, lambda a: np.split(a, [3, 1])[1]),
    ("split_idx_3_1_p2", (3, 4), ANY, lambda a: np.split(a, [3, 1])[2]),
    ("diagonal_k0", (3, 4), ANY, lambda a: a.diagonal(0)),
    ("diagonal_k1", (3, 4), ANY, lambda a: a.diagonal(1)),
    ("diagonal_kneg2", (3, 4), ANY, lambda a: a.diagonal(-2)),
    ("diagonal_k4", (3, 4), ANY, lambda a: a.diagonal(4)),
]
for dt in ALL:
    for name, shape, dom, fn in SEVERAL:
        case(f"{name}-{dt}", [x(dt, shape, dom)], fn)



# Inputs that are numpy broadcast views (stride 0 along the repeated axes): `repeated(dom, axes)`
# draws the input with size 1 on `axes` and np.broadcast_to's it to the full shape, so every slice
# along those axes is equal. The case name's op gets a `_rep<axes>` suffix (`add_rep0-float32`,
# `sum_2d_axis0_rep1-int32`); tests/it/ops.rs strips it, and its Broadcast layout builds such an
# input as `broadcast_to` of the smaller tensor, whose view has stride 0 there.


def repeated(dom, axes):
    def draw(rng, dtype, shape):
        small = tuple(1 if i in axes else d for i, d in enumerate(shape))
        return np.broadcast_to(dom(rng, dtype, small), shape)

    return draw


def rep(dtype, shape=(3, 4), axes=(0,), dom=ANY):
    return (dtype, shape, repeated(dom, axes))


REP_DTYPES = [I32, F32, F64]
for op, fn, dom0, dom1 in [
    ("add", np.add, ANY, ANY),
    ("subtract", np.subtract, ANY, ANY),
    ("multiply", np.multiply, ANY, ANY),
    ("true_divide", np.true_divide, ANY, NONZERO),
    ("maximum", np.maximum, GRID, GRID),
    ("greater", np.greater, GRID, GRID),
]:
    for dt in REP_DTYPES:
        # A row repeated down the columns with a plain input, and a column against a row.
        case(f"{op}_rep0-{dt}", [rep(dt, axes=(0,), dom=dom0), x(dt, dom=dom1)], fn)
        case(f"{op}_rep1-{dt}", [rep(dt, axes=(1,), dom=dom0), rep(dt, axes=(0,), dom=dom1)], fn)
for op, fn, dom in [("exp", np.exp, ANY), ("negative", np.negative, ANY), ("abs", np.abs, ANY)]:
    for dt in REP_DTYPES:
        case(f"{op}_rep0-{dt}", [rep(dt, axes=(0,), dom=dom)], fn)
for dt in REP_DTYPES:
    case(f"where_rep0-{dt}", [rep(BOOL, axes=(1,)), rep(dt, axes=(0,)), x(dt)], np.where)
# Reductions along each axis of a (3, 4) input repeated along axis 0 or 1, and of a (2, 3, 4)
# input repeated along axes 0 and 2.
for op, fn in [("sum", np.sum), ("mean", np.mean), ("max", np.max), ("argmax", np.argmax)]:
    for dt in REP_DTYPES:
        for axes_name, axis in [("all", None), ("axis0", 0), ("axisneg1", -1)]:
            for r in (0, 1):
                name = f"{op}_2d_{axes_name}_rep{r}-{dt}"
                case(name, [rep(dt, axes=(r,))], partial(fn, axis=axis))
            if op != "argmax":
                name = f"{op}_3d_{axes_name}_rep0_2-{dt}"
                case(name, [rep(dt, (2, 3, 4), axes=(0, 2))], partial(fn, axis=axis))
for dt in REP_DTYPES:
    case(f"cumsum_axis0_rep0-{dt}", [rep(dt, axes=(0,))], partial(np.cumsum, axis=0))
    case(f"matmul_2d_2d_rep0-{dt}", [rep(dt, axes=(0,)), x(dt, (4, 5))], np.matmul)
    case(f"matmul_2d_2d_rep1-{dt}", [x(dt, (3, 4)), rep(dt, (4, 5), axes=(1,))], np.matmul)
    case(f"matmul_batched_rep0-{dt}", [rep(dt, (2, 3, 4), (0,)), x(dt, (2, 4, 5))], np.matmul)
# Movement of broadcast views (every dtype, as for the other movement rows).
for dt in ALL:
    for name, fn in [
        ("slice_step", lambda a: a[::2, ::-1]),
        ("fancy_rows", lambda a: a[[2, 0, 2]]),
        ("concatenate1", lambda a: np.concatenate([a, a[:, :2]], 1)),
        ("flip1", lambda a: np.flip(a, 1)),
        ("sort1", lambda a: np.sort(a, axis=1, kind="stable")),
        ("reshape_infer", lambda a: a.reshape(2, -1)),
        ("ravel_t", lambda a: a.T.ravel()),
    ]:
        for r in (0, 1):
            case(f"{name}_rep{r}-{dt}", [rep(dt, axes=(r,))], fn)


# --- Statistics, counting, sorting and sets (issue 17, the `stats` slice) --------------------
# Order statistics and the nan-reductions use the reduction naming above, so tests/it/ops.rs
# parses their axes; `_nan` cases draw NaN inputs (and may give NaN), `_allnan` cases have a
# row of NaN only. Searches, histograms and sets draw from GRID so that values tie with each
# other and with the edges.
STATS_DTYPES = [U8, I32, I64, F32, F64]
reduction_cases("median", np.median, STATS_DTYPES, ANY)
reduction_cases("percentile_q30", partial(np.percentile, q=30), [I32, I64, F32, F64], ANY)
reduction_cases("quantile_qs", partial(np.quantile, q=[0, 0.25, 0.5, 0.9, 1]), [I64, F32, F64], ANY)
reduction_cases("ptp", np.ptp, STATS_DTYPES, ANY)
reduction_cases("average", np.average, [BOOL, I32, I64, F32, F64], ANY)
for dt in [I64, F32, F64]:
    # An exact middle, the last value, and a fraction of exactly one half (numpy interpolates
    # from above there).
    case(f"quantile_q0p5_2d_axis0-{dt}", [x(dt, (3, 4), GRID)], partial(np.quantile, q=0.5, axis=0))
    case(f"quantile_q1_2d_axis0-{dt}", [x(dt, (3, 4), GRID)], partial(np.quantile, q=1.0, axis=0))
    case(f"percentile_q62p5_2d_axis0-{dt}", [x(dt, (3, 4), GRID)],
         partial(np.percentile, q=62.5, axis=0))


def parity_nan(rng, dtype, shape):
    """Floats with NaN only where the index sum is odd, so every slice along any axis of length
    two or more keeps a number (numpy's nanargmax raises on a slice of NaN only)."""
    a = rng.uniform(-3, 3, shape)
    odd = np.indices(shape).sum(axis=0) % 2 == 1
    return np.where(odd & (rng.random(shape) < 0.6), np.nan, a).astype(dtype)


def row1_nan(rng, dtype, shape):
    """Floats with the whole of row 1 NaN, and one more NaN elsewhere."""
    a = rng.uniform(-3, 3, shape)
    a[1] = np.nan
    a.flat[0] = np.nan
    return a.astype(dtype)


def grid_nan(rng, dtype, shape):
    """GRID floats (ties) with some NaN, for unique and the searches."""
    a = grid(rng, shape)
    return np.where(rng.random(shape) < 0.25, np.nan, a).astype(dtype)


NAN_REDUCTIONS = [
    ("nansum", np.nansum),
    ("nanmean", np.nanmean),
    ("nanmax", np.nanmax),
    ("nanmin", np.nanmin),
    ("nanvar", np.nanvar),
    ("nanstd", np.nanstd),
    ("nanvar_ddof1", partial(np.nanvar, ddof=1)),
    ("nanmedian", np.nanmedian),
    ("nanargmax", np.nanargmax),
    ("nanargmin", np.nanargmin),
]
for op, fn in NAN_REDUCTIONS:
    single = op.startswith("nanarg")
    # Integers hold no NaN: the plain reduction, under the nan name.
    reduction_cases(op, fn, [I32, F64], ANY, multi_axis=not single)
    for rank, shape in [(2, (3, 4)), (3, (2, 3, 4))]:
        for axes_name, axis in AXES.items():
            if axes_name == "axes0_2" and (rank == 2 or single):
                continue
            for keepdims in [False, True]:
                suffix = "_keepdims" if keepdims else ""
                for dt in FLOATS:
                    name = f"{op}_{rank}d_{axes_name}{suffix}_nan-{dt}"
                    case(name, [(dt, shape, parity_nan)], partial(fn, axis=axis, keepdims=keepdims))
    if not single:
        # A slice of NaN only gives NaN (numpy warns).
        for dt in FLOATS:
            case(f"{op}_2d_axisneg1_allnan_nan-{dt}", [(dt, (3, 4), row1_nan)], partial(fn, axis=-1))

# median and quantiles with NaN in some slices give NaN there.
for dt in FLOATS:
    for op, fn in [("median", np.median), ("percentile_q30", partial(np.percentile, q=30)),
                   ("quantile_qs", partial(np.quantile, q=[0, 0.25, 0.5, 0.9, 1]))]:
        for axes_name in ["all", "axis0", "axisneg1"]:
            case(f"{op}_2d_{axes_name}_nan-{dt}", [x(dt, dom=NAN_INPUT)], partial(fn, axis=AXES[axes_name]))
    case(f"median_2d_axis0_even-{dt}", [x(dt, (4, 3))], partial(np.median, axis=0))

# average with weights: 1-d weights along one axis, weights of the input's shape, and the
# returned sum of weights; integer inputs average in float64.
POS_W = domain(int_range(1, 5), uniform(0.5, 2))
for dt in [I32, I64, F32, F64]:
    case(f"average_weights_axis1-{dt}", [x(dt), x(dt, (4,), POS_W)],
         lambda a, w: np.average(a, axis=1, weights=w))
    case(f"average_weights_full-{dt}", [x(dt), x(dt, (3, 4), POS_W)],
         lambda a, w: np.average(a, weights=w))
    case(f"average_weights_sum_axis0-{dt}", [x(dt), x(dt, (3,), POS_W)],
         lambda a, w: np.average(a, axis=0, weights=w, returned=True)[1])
case("average_weights_axis1_mix-int64-float32", [x(I64), x(F32, (4,), POS_W)],
     lambda a, w: np.average(a, axis=1, weights=w))
case("average_weights_axis1_mix-float32-int64", [x(F32), x(I64, (4,), POS_W)],
     lambda a, w: np.average(a, axis=1, weights=w))
for dt in [I32, F32, F64]:
    case(f"average_returned_count_axis1-{dt}", [x(dt)],
         lambda a: np.average(a, axis=1, returned=True)[1])

# Covariance and correlation: variables in rows, in columns, a second operand, bias and ddof,
# and one variable (a 0-d result). Always float64.
COV = [
    ("cov", lambda a: np.cov(a)),
    ("cov_rowvar0", lambda a: np.cov(a, rowvar=False)),
    ("cov_bias", lambda a: np.cov(a, bias=True)),
    ("cov_ddof2", lambda a: np.cov(a, ddof=2)),
    ("cov_1d", lambda a: np.cov(a[0])),
    ("corrcoef", lambda a: np.corrcoef(a)),
    ("corrcoef_rowvar0", lambda a: np.corrcoef(a, rowvar=False)),
    ("corrcoef_1d", lambda a: np.corrcoef(a[0])),
]
for dt in [I32, I64, F32, F64]:
    for name, fn in COV:
        case(f"{name}-{dt}", [x(dt)], fn)
    case(f"cov_y-{dt}", [x(dt), x(dt, (2, 4))], lambda a, b: np.cov(a, b))
    case(f"corrcoef_y-{dt}", [x(dt), x(dt, (4,))], lambda a, b: np.corrcoef(a, b))

# histogram of the flattened input: counts and edges are separate cases. GRID values sit on the
# edges of 6 bins over [-1.5, 1.5], so the half-open bins and the closed last bin are exercised.
HIST_EDGES = np.array([-1.5, -0.5, 0.0, 0.5, 1.5])
HISTOGRAM = [
    ("histogram_b5_counts", lambda a: np.histogram(a, bins=5)[0]),
    ("histogram_b5_edges", lambda a: np.histogram(a, bins=5)[1]),
    ("histogram_b6_range_counts", lambda a: np.histogram(a, bins=6, range=(-1.5, 1.5))[0]),
    ("histogram_b4_narrow_counts", lambda a: np.histogram(a, bins=4, range=(-1, 0.5))[0]),
    ("histogram_b4_narrow_edges", lambda a: np.histogram(a, bins=4, range=(-1, 0.5))[1]),
    ("histogram_given_edges_counts", lambda a: np.histogram(a, bins=HIST_EDGES)[0]),
]
for dt in [U8, I32, I64, F32, F64]:
    for name, fn in HISTOGRAM:
        case(f"{name}-{dt}", [x(dt, (3, 4), GRID)], fn)
for dt in FLOATS:
    case(f"histogram_b4_range_counts_nan-{dt}", [x(dt, (3, 4), grid_nan)],
         lambda a: np.histogram(a, bins=4, range=(-1, 1))[0])

# bincount of 1-d non-negative ints, with minlength and with float weights.
COUNTS = domain(int_range(0, 9), None)
for dt in [BOOL, U8, I32, I64]:
    case(f"bincount-{dt}", [x(dt, (12,), COUNTS)], np.bincount)
    case(f"bincount_minlength15-{dt}", [x(dt, (12,), COUNTS)], partial(np.bincount, minlength=15))
for dt in [U8, I64]:
    for wt in [I64, F32, F64]:
        case(f"bincount_weights_mix-{dt}-{wt}", [x(dt, (12,), COUNTS), x(wt, (12,))],
             lambda a, w: np.bincount(a, weights=w))

# unique with every return value, searches, partitions and sets.
UNIQUE = [
    ("unique_values", lambda a: np.unique(a)),
    ("unique_index", lambda a: np.unique(a, return_index=True)[1]),
    ("unique_inverse", lambda a: np.unique(a, return_inverse=True)[1]),
    ("unique_counts", lambda a: np.unique(a, return_counts=True)[1]),
]
for dt in ALL:
    for name, fn in UNIQUE:
        case(f"{name}-{dt}", [x(dt, (3, 4), GRID)], fn)
for dt in FLOATS:
    for name, fn in UNIQUE:
        case(f"{name}_nan-{dt}", [x(dt, (3, 4), grid_nan)], fn)


def sorted_grid(rng, dtype, shape):
    return np.sort(GRID(rng, dtype, shape))


def sorted_grid_nan(rng, dtype, shape):
    return np.sort(grid_nan(rng, dtype, shape))


SEARCH_DTYPES = [U8, I32, I64, F32, F64]
for dt in SEARCH_DTYPES:
    for side in ["left", "right"]:
        case(f"searchsorted_{side}-{dt}", [x(dt, (6,), sorted_grid), x(dt, (3, 4), GRID)],
             partial(np.searchsorted, side=side))
    for right in [False, True]:
        suffix = "_right" if right else ""
        case(f"digitize_increasing{suffix}-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), sorted_grid)],
             partial(np.digitize, right=right))
        case(f"digitize_decreasing{suffix}-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), sorted_grid)],
             lambda a, b, right=right: np.digitize(a, b[::-1], right=right))
    case(f"isin-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), GRID)], np.isin)
    case(f"isin_invert-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), GRID)], partial(np.isin, invert=True))
    case(f"intersect1d-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), GRID)], np.intersect1d)
    case(f"union1d-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), GRID)], np.union1d)
    case(f"setdiff1d-{dt}", [x(dt, (3, 4), GRID), x(dt, (5,), GRID)], np.setdiff1d)
    case(f"lexsort-{dt}", [x(dt, (12,), GRID), x(dt, (12,), GRID)], lambda a, b: np.lexsort((a, b)))
    case(f"lexsort2d-{dt}", [x(dt, (3, 4), GRID), x(dt, (3, 4), GRID)], lambda a, b: np.lexsort((a, b)))
    # partition's arrangement is numpy's choice; its kth element is not (ops.rs checks the rest).
    case(f"partition_k1_axis1-{dt}", [x(dt)], lambda a: np.partition(a, 1, axis=1)[:, 1])
    case(f"partition_kneg1_axis0-{dt}", [x(dt)], lambda a: np.partition(a, -1, axis=0)[-1])
    case(f"argpartition_k2_axis0-{dt}", [x(dt)],
         lambda a: np.take_along_axis(a, np.argpartition(a, 2, axis=0), 0)[2])
for dt in FLOATS:
    for side in ["left", "right"]:
        case(f"searchsorted_{side}_nan-{dt}", [x(dt, (6,), sorted_grid_nan), x(dt, (3, 4), grid_nan)],
             partial(np.searchsorted, side=side))
    for name, fn in [("isin", np.isin), ("intersect1d", np.intersect1d), ("union1d", np.union1d),
                     ("setdiff1d", np.setdiff1d)]:
        case(f"{name}_nan-{dt}", [x(dt, (3, 4), grid_nan), x(dt, (5,), grid_nan)], fn)
    case(f"partition_k1_axis1_nan-{dt}", [x(dt, dom=NAN_INPUT)], lambda a: np.partition(a, 1, axis=1)[:, 1])


# Error cases: numpy's message for each, written to errors.txt as `name<TAB>str(exception)`.
# tests/it/errors.rs runs the same call through lazygrad's `try_` form and checks that lazygrad's
# message contains numpy's (lazygrad prefixes the op, e.g. "index: ").
A23 = np.array([[1, 2, 3], [4, 5, 6]])
A34 = np.arange(12).reshape(3, 4)
ERRORS = [
    ("index_out_of_range", lambda: A23[2]),
    ("index_negative_out_of_range", lambda: A23[:, -4]),
    ("too_many_indices", lambda: A23[0, 0, 0]),
    ("slice_step_zero", lambda: A23[::0]),
    ("two_ellipses", lambda: A23[..., 0, ...]),
    ("fancy_index_out_of_range", lambda: np.array([1.0, 2.0, 3.0])[np.array([0, 5])]),
    ("fancy_index_negative_out_of_range", lambda: np.array([1.0, 2.0, 3.0])[np.array([-4])]),
    ("fancy_index_shape_mismatch", lambda: A34[np.array([[0, 1]]), np.array([0, 1, 2])]),
    ("fancy_index_float", lambda: A34[np.array([1.0])]),
    ("mask_shape_mismatch", lambda: A34[np.array([True, False])]),
    ("take_along_axis_ndim", lambda: np.take_along_axis(A34, np.array([0, 1, 2]), 1)),
    ("nonzero_0d", lambda: np.nonzero(np.array(5))),
    ("reshape_mismatch", lambda: np.arange(12).reshape(5, 2)),
    ("reshape_infer_mismatch", lambda: np.arange(12).reshape(5, -1)),
    ("reshape_two_unknown", lambda: np.arange(12).reshape(-1, -1)),
    ("transpose_repeated_axis", lambda: np.transpose(A34, (0, 0))),
    ("broadcast_mismatch", lambda: np.zeros((4, 3)) + np.zeros(2)),
    ("broadcast_to_mismatch", lambda: np.broadcast_to(np.zeros(3), (2, 4))),
    ("where_mismatch", lambda: np.where(np.zeros((4, 3), bool), np.zeros(2), 0)),
    ("matmul_mismatch", lambda: np.zeros((4, 3)) @ np.zeros(2)),
    ("dot_mismatch", lambda: np.dot(np.zeros((2, 3)), np.zeros((2, 3)))),
    ("concatenate_mismatch", lambda: np.concatenate([A34, np.arange(3).reshape(1, 3)], 0)),
    ("stack_mismatch", lambda: np.stack([np.zeros((3, 4)), np.zeros((3, 3))])),
    ("ragged_array", lambda: np.array([[1, 2], [3]])),
    ("sum_axis_out_of_range", lambda: np.zeros((2, 3)).sum(axis=2)),
    ("negative_bool", lambda: np.negative(np.array([True, False]))),
    ("subtract_bool", lambda: np.subtract(np.array([True, False]), np.array([True, False]))),
    ("invert_float", lambda: np.invert(np.array([1.5]))),
    ("left_shift_float", lambda: np.left_shift(np.array([1.5]), 1)),
    ("bitwise_and_float", lambda: np.array([1.5]) & 1),
    ("uint8_scalar_out_of_range", lambda: np.array([1, 2], dtype=np.uint8) + 300),
    ("max_empty", lambda: np.zeros(0).max()),
    ("argmin_empty", lambda: np.zeros(0).argmin()),
    ("too_big", lambda: np.zeros((1 << 33, 1 << 33))),
    ("arange_nan", lambda: np.arange(0.0, np.nan, 1.0)),
    ("arange_inf", lambda: np.arange(0.0, np.inf, 1.0)),
    ("arange_tiny_step", lambda: np.arange(0.0, 1.0, 1e-300)),
    ("matmul_0d", lambda: np.matmul(np.float64(1.0), np.zeros(2))),
    ("var_axis_out_of_range", lambda: np.zeros(3).var(axis=1)),
]

# --- Random numbers: Generator's parameter errors (random-more) ---------------------------------
# The streams differ from numpy's, so only the errors are golden; tests/it/random.rs checks the
# samples by their moments and frequencies.
RNG = np.random.default_rng(0)
ERRORS += [
    ("random_integers_empty", lambda: RNG.integers(5, 5, 2)),
    ("random_uniform_reversed", lambda: RNG.uniform(2.0, 1.0, 2)),
    ("random_uniform_infinite", lambda: RNG.uniform(0.0, np.inf, 2)),
    ("random_normal_scale", lambda: RNG.normal(0.0, -1.0, 2)),
    ("random_normal_negative_zero", lambda: RNG.normal(0.0, -0.0, 2)),
    ("random_exponential_scale", lambda: RNG.exponential(-1.0, 2)),
    ("random_gamma_shape", lambda: RNG.gamma(-1.0, 1.0, 2)),
    ("random_gamma_scale", lambda: RNG.gamma(1.0, -1.0, 2)),
    ("random_beta_a", lambda: RNG.beta(0.0, 1.0, 2)),
    ("random_beta_b", lambda: RNG.beta(1.0, -2.0, 2)),
    ("random_binomial_n", lambda: RNG.binomial(-1, 0.5, 2)),
    ("random_binomial_p", lambda: RNG.binomial(5, np.nan, 2)),
    ("random_poisson_negative", lambda: RNG.poisson(-1.0, 2)),
    ("random_poisson_too_large", lambda: RNG.poisson(1e19, 2)),
    ("random_multinomial_n", lambda: RNG.multinomial(-1, [0.5, 0.5], 2)),
    ("random_multinomial_pvals", lambda: RNG.multinomial(5, [-0.1, 1.1], 2)),
    ("random_multinomial_sum", lambda: RNG.multinomial(5, [0.7, 0.6, 0.1], 2)),
    ("random_multinomial_empty", lambda: RNG.multinomial(5, [], 2)),
    ("random_permutation_0d", lambda: RNG.permutation(np.array(3))),
    ("random_shuffle_0d", lambda: RNG.shuffle(np.array(3))),
    ("random_choice_zero", lambda: RNG.choice(0, 3)),
    ("random_choice_empty", lambda: RNG.choice(np.zeros(0), 3)),
    ("random_choice_float_0d", lambda: RNG.choice(np.array(2.5), 3)),
    ("random_choice_too_many", lambda: RNG.choice(3, 5, replace=False)),
    ("random_choice_p_size", lambda: RNG.choice(3, 2, p=[0.5, 0.5])),
    ("random_choice_p_nan", lambda: RNG.choice(3, 2, p=[np.nan, 0.5, 0.5])),
    ("random_choice_p_negative", lambda: RNG.choice(3, 2, p=[-0.5, 0.5, 1.0])),
    ("random_choice_p_sum", lambda: RNG.choice(3, 2, p=[0.5, 0.5, 1e-7])),
    ("random_choice_p_zeros", lambda: RNG.choice(3, 3, replace=False, p=[0.5, 0.5, 0.0])),
]

# The statistics slice's errors (issue 17).
ERRORS += [
    ("percentile_out_of_range", lambda: np.percentile(np.arange(3.0), 101)),
    ("quantile_out_of_range", lambda: np.quantile(np.arange(3.0), -0.5)),
    ("quantile_empty", lambda: np.quantile(np.zeros(0), 0.5)),
    ("bincount_negative", lambda: np.bincount(np.array([1, -1]))),
    ("bincount_2d", lambda: np.bincount(np.zeros((2, 2), dtype=np.int64))),
    ("bincount_weights_length", lambda: np.bincount(np.array([1, 2]), weights=np.array([1.0]))),
    ("average_weights_sum_zero", lambda: np.average(np.array([1.0, 2.0]), weights=np.array([1.0, -1.0]))),
    ("average_weights_no_axis", lambda: np.average(np.ones((2, 3)), weights=np.ones(3))),
    ("average_weights_shape", lambda: np.average(np.ones((2, 3)), axis=1, weights=np.ones(2))),
    ("partition_kth_out_of_range", lambda: np.partition(np.arange(4), 5)),
    ("argpartition_kth_negative", lambda: np.argpartition(np.arange(4), -5)),
    ("nanargmax_all_nan", lambda: np.nanargmax(np.array([[1.0, np.nan], [np.nan, np.nan]]), axis=1)),
    ("digitize_not_monotonic", lambda: np.digitize(np.array([1]), np.array([1, 3, 2]))),
    ("histogram_zero_bins", lambda: np.histogram(np.array([1.0, 2.0]), bins=0)),
    ("histogram_decreasing_edges", lambda: np.histogram(np.array([1.0, 2.0]), bins=np.array([3.0, 1.0]))),
    ("histogram_bad_range", lambda: np.histogram(np.array([1.0, 2.0]), range=(3, 1))),
    ("histogram_infinite_range", lambda: np.histogram(np.array([1.0]), range=(0.0, np.inf))),
    ("histogram_nan_data", lambda: np.histogram(np.array([np.nan, 2.0]))),
    ("cov_3d", lambda: np.cov(np.ones((2, 2, 2)))),
    ("lexsort_no_keys", lambda: np.lexsort([])),
    ("lexsort_shapes", lambda: np.lexsort([np.ones(2), np.ones(3)])),
]


def error_lines():
    lines = []
    for name, fn in ERRORS:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - every numpy error type is recorded alike
            message = str(exc)
            assert "\t" not in message and "\n" not in message, f"{name}: {message!r}"
            lines.append(f"{name}\t{message}\n")
        else:
            raise AssertionError(f"error case {name} raised nothing")
    return lines


# --- Array manipulation and index helpers (issue 17, the manip slice) -----------------------
# column_stack, dstack, atleast_*d, roll, rot90, moveaxis, append, insert, delete, repeat with
# counts, fill_diagonal, choose, select, broadcast_arrays, array_split, hsplit, vsplit, ix_,
# tril/triu/diag_indices, flatnonzero, unravel_index, ravel_multi_index, identity, logspace and
# geomspace. Each fn takes the (3, 4) input `a` (or a (2, 3, 4) input `b` for the *3d rows); the
# index arrays and lists are constants the Rust rows in tests/it/ops.rs repeat.

CHOICE_IDX = np.array([[0, 1, 2, 1], [2, 0, 0, 1], [1, 2, 0, 0]])


def lower(a):
    """The second condition of the select rows: elements below minus one half."""
    return np.asarray(a, dtype=np.float64) < -0.5


def filled(a, val):
    np.fill_diagonal(a, val)
    return a


MANIP_2D = [
    ("column_stack", lambda a: np.column_stack([a[0], a[1], a[2]])),
    ("column_stack_2d", lambda a: np.column_stack([a, a[:, 0]])),
    ("dstack", lambda a: np.dstack([a, a[::-1]])),
    ("dstack_1d", lambda a: np.dstack([a[0], a[1]])),
    ("atleast_1d_0d", lambda a: np.atleast_1d(a[1, 2])),
    ("atleast_2d_1d", lambda a: np.atleast_2d(a[0])),
    ("atleast_3d_1d", lambda a: np.atleast_3d(a[0])),
    ("atleast_3d_2d", lambda a: np.atleast_3d(a)),
    ("roll_flat", lambda a: np.roll(a, 5)),
    ("roll_axis1", lambda a: np.roll(a, -1, axis=1)),
    ("roll_axes", lambda a: np.roll(a, (1, 2), axis=(0, 1))),
    ("roll_same_axis", lambda a: np.roll(a, (1, 2), axis=(1, 1))),
    ("roll_big", lambda a: np.roll(a, 13, axis=0)),
    ("rot90_k1", lambda a: np.rot90(a)),
    ("rot90_k2", lambda a: np.rot90(a, 2)),
    ("rot90_kneg1", lambda a: np.rot90(a, -1)),
    ("rot90_k3_axes10", lambda a: np.rot90(a, 3, axes=(1, 0))),
    ("append_flat", lambda a: np.append(a, a[0])),
    ("append_axis0", lambda a: np.append(a, a[:1], axis=0)),
    ("append_axis1", lambda a: np.append(a, a[:, :2], axis=1)),
    ("insert_scalar_flat", lambda a: np.insert(a, 3, a[0, :2])),
    ("insert_scalar_axis1", lambda a: np.insert(a, 1, a[:, 3], axis=1)),
    ("insert_literal_axis0", lambda a: np.insert(a, -1, 1, axis=0)),
    ("insert_list_flat", lambda a: np.insert(a, [4, 1, 4], a[0, :3])),
    ("insert_list_axis1", lambda a: np.insert(a, [0, 2], a[:, :2], axis=1)),
    ("insert_one_list_axis1", lambda a: np.insert(a, [1], a[0, :2], axis=1)),
    ("insert_range_axis1", lambda a: np.insert(a, slice(1, 4, 2), a[0, :2], axis=1)),
    ("insert_mask_axis1", lambda a: np.insert(a, np.array([False, True, False, True]), 1, axis=1)),
    ("delete_scalar_axis0", lambda a: np.delete(a, 1, axis=0)),
    ("delete_neg_axis1", lambda a: np.delete(a, -1, axis=1)),
    ("delete_range_flat", lambda a: np.delete(a, slice(2, 9, 3))),
    ("delete_negstep_axis1", lambda a: np.delete(a, slice(None, None, -2), axis=1)),
    ("delete_list_axis1", lambda a: np.delete(a, [0, -1, 0], axis=1)),
    ("delete_mask_axis0", lambda a: np.delete(a, np.array([True, False, True]), axis=0)),
    ("delete_nothing", lambda a: np.delete(a, np.array([], dtype=np.int64), axis=0)),
    ("repeat_counts_axis0", lambda a: np.repeat(a, [1, 0, 2], axis=0)),
    ("repeat_counts_axis1", lambda a: np.repeat(a, [2, 1, 0, 3], axis=1)),
    ("repeat_counts_flat", lambda a: np.repeat(a, np.arange(12) % 3)),
    ("repeat_counts_one", lambda a: np.repeat(a, [2], axis=1)),
    ("fill_diagonal", copy_then(lambda c: np.fill_diagonal(c, 1))),
    ("fill_diagonal_array", copy_then(lambda c: np.fill_diagonal(c, c[0, :2].copy()))),
    ("fill_diagonal_tall", lambda a: filled(a.T.copy(), 1)),
    ("choose", lambda a: np.choose(CHOICE_IDX, [a, a[::-1], a[:, ::-1]])),
    ("choose_row", lambda a: np.choose(np.array([0, 1, 1, 0]), [a, a[0]])),
    ("select", lambda a: np.select([truthy(a), lower(a)], [a, a[::-1]], 0)),
    ("select_float_default", lambda a: np.select([truthy(a), lower(a)], [a, a[:, ::-1]], 0.5)),
    ("broadcast_arrays_0", lambda a: np.broadcast_arrays(a[:, :1], a[0])[0]),
    ("broadcast_arrays_1", lambda a: np.broadcast_arrays(a[:, :1], a[0])[1]),
    ("array_split_p0", lambda a: np.array_split(a, 3, axis=1)[0]),
    ("array_split_p2", lambda a: np.array_split(a, 3, axis=1)[2]),
    ("array_split_empty_p4", lambda a: np.array_split(a, 5)[4]),
    ("hsplit_p1", lambda a: np.hsplit(a, 2)[1]),
    ("hsplit_1d_p3", lambda a: np.hsplit(a[0], 4)[3]),
    ("vsplit_p2", lambda a: np.vsplit(a, 3)[2]),
    ("ix", lambda a: a[np.ix_([2, 0], [1, 3, 0])]),
    ("ix_mask", lambda a: a[np.ix_(np.array([True, False, True]), [3, 1])]),
    ("diag_indices", lambda a: a[:3, :3][np.diag_indices(3)]),
    ("tril_indices", lambda a: a[np.tril_indices(3, 0, 4)]),
    ("tril_indices_kneg1", lambda a: a[np.tril_indices(3, -1, 4)]),
    ("triu_indices_k1", lambda a: a[np.triu_indices(3, 1, 4)]),
]
MANIP_3D = [
    ("moveaxis3d", lambda b: np.moveaxis(b, 0, -1)),
    ("moveaxis_several3d", lambda b: np.moveaxis(b, [0, 1], [-1, -2])),
    ("rot90_axes02_3d", lambda b: np.rot90(b, 1, axes=(0, 2))),
    ("roll_flat3d", lambda b: np.roll(b, -7)),
    ("dstack3d", lambda b: np.dstack([b, b[:, :, :1]])),
]
for dt in ALL:
    for name, fn in MANIP_2D:
        case(f"{name}-{dt}", [x(dt)], fn)
    for name, fn in MANIP_3D:
        case(f"{name}-{dt}", [x(dt, (2, 3, 4))], fn)
    case(f"flatnonzero-{dt}", [x(dt, dom=MOSTLY_ZERO)], np.flatnonzero)
    case(f"flatnonzero_none-{dt}", [x(dt, dom=NONE_SET)], np.flatnonzero)
    # A data-dependent index array: the choices follow the index's layout.
    case(f"choose_idx_mix-int32-{dt}-{dt}", [x(I32, dom=ranged(0, 1)), x(dt), x(dt)],
         lambda i, c0, c1: np.choose(i, [c0, c1]))
# Flat indices and coordinates in every integer dtype.
FLAT = ranged(0, 23)
for dt in [U8, I32, I64]:
    case(f"unravel_index_0-{dt}", [x(dt, dom=FLAT)], lambda a: np.unravel_index(a, (4, 6))[0])
    case(f"unravel_index_1-{dt}", [x(dt, dom=FLAT)], lambda a: np.unravel_index(a, (4, 6))[1])
    case(f"unravel_index3_2-{dt}", [x(dt, dom=FLAT)], lambda a: np.unravel_index(a, (2, 3, 4))[2])
    case(f"ravel_multi_index-{dt}", [x(dt, dom=ranged(0, 3)), x(dt, dom=ranged(0, 5))],
         lambda r, c: np.ravel_multi_index((r, c), (4, 6)))
    case(f"ravel_multi_index_bcast-{dt}",
         [x(dt, (3, 1), ranged(0, 3)), x(dt, (4,), ranged(0, 5))],
         lambda r, c: np.ravel_multi_index((r, c), (4, 6)))
MANIP_CREATION = [
    ("tril_indices_4_rows-int64", lambda: np.tril_indices(4)[0]),
    ("tril_indices_4_cols-int64", lambda: np.tril_indices(4)[1]),
    ("triu_indices_3_k1_m5_rows-int64", lambda: np.triu_indices(3, 1, 5)[0]),
    ("triu_indices_3_k1_m5_cols-int64", lambda: np.triu_indices(3, 1, 5)[1]),
    ("tril_indices_4_kneg5-int64", lambda: np.tril_indices(4, -5)[0]),
    ("diag_indices_3_3d-int64", lambda: np.diag_indices(3, 3)[2]),
    ("identity_3-float64", lambda: np.identity(3)),
    ("logspace_0_2_5-float64", lambda: np.logspace(0, 2, 5)),
    ("logspace_neg-float64", lambda: np.logspace(-1.5, 1.25, 7)),
    ("logspace_base2_noendpoint-float64", lambda: np.logspace(0, 3, 4, endpoint=False, base=2.0)),
    ("geomspace_1_1000_4-float64", lambda: np.geomspace(1, 1000, 4)),
    ("geomspace_frac-float64", lambda: np.geomspace(0.3, 7.1, 9)),
    ("geomspace_desc-float64", lambda: np.geomspace(100, 1, 3)),
    ("geomspace_neg-float64", lambda: np.geomspace(-1, -1000, 5)),
    ("geomspace_noendpoint-float64", lambda: np.geomspace(2, 50, 6, endpoint=False)),
]
for name, fn in MANIP_CREATION:
    case(name, [], fn)
A6 = np.arange(6)
ERRORS += [
    ("unravel_index_out_of_range", lambda: np.unravel_index(10, (2, 3))),
    ("unravel_index_negative", lambda: np.unravel_index(-1, (2, 3))),
    ("unravel_index_float", lambda: np.unravel_index(1.0, (2, 3))),
    ("ravel_multi_index_invalid", lambda: np.ravel_multi_index(([0, 5], [1, 1]), (2, 3))),
    ("ravel_multi_index_length", lambda: np.ravel_multi_index(([0],), (2, 3))),
    ("array_split_zero", lambda: np.array_split(A6, 0)),
    ("choose_out_of_range", lambda: np.choose([0, 3], [A6[:2], A6[:2]])),
    ("choose_negative", lambda: np.choose([0, -1], [A6[:2], A6[:2]])),
    ("moveaxis_repeated_source", lambda: np.moveaxis(A34, [0, 0], [1, 0])),
    ("moveaxis_repeated_destination", lambda: np.moveaxis(A34, [0, 1], [0, 0])),
    ("moveaxis_out_of_range", lambda: np.moveaxis(A34, [3], [0])),
    ("moveaxis_lengths", lambda: np.moveaxis(A34, [0], [0, 1])),
    ("rot90_same_axes", lambda: np.rot90(A34, 1, (0, 0))),
    ("rot90_out_of_range", lambda: np.rot90(A34, 1, (0, 3))),
    ("rot90_1d", lambda: np.rot90(A6)),
    ("broadcast_arrays_mismatch", lambda: np.broadcast_arrays(np.zeros(2), np.zeros(3))),
    ("roll_mismatch", lambda: np.roll(A6, [1, 2], [0, 0, 0])),
    ("insert_out_of_range", lambda: np.insert(A6, 7, 1)),
    ("insert_2d_index", lambda: np.insert(A6, [[1]], 1)),
    ("delete_out_of_range", lambda: np.delete(A6, 7)),
    ("delete_list_out_of_range", lambda: np.delete(A6, [7, 1])),
    ("delete_mask_length", lambda: np.delete(A6, np.array([True]))),
    ("delete_float", lambda: np.delete(A6, np.array([1.0]))),
    ("repeat_counts_negative", lambda: np.repeat(A6, [1, -1, 1, 1, 1, 1])),
    ("repeat_counts_mismatch", lambda: np.repeat(A6, [1, 2])),
    ("select_lengths", lambda: np.select([A6 > 1], [A6, A6])),
    ("select_empty", lambda: np.select([], [])),
    ("select_not_bool", lambda: np.select([A6], [A6])),
    ("geomspace_zero", lambda: np.geomspace(0, 1, 3)),
    ("hsplit_0d", lambda: np.hsplit(np.array(1), 2)),
    ("vsplit_1d", lambda: np.vsplit(A6, 2)),
    ("hsplit_unequal", lambda: np.hsplit(A6, 4)),
    ("ix_2d", lambda: np.ix_(np.zeros((2, 2), dtype=np.int64))),
    ("fill_diagonal_1d", lambda: np.fill_diagonal(A6.copy(), 1)),
    ("fill_diagonal_unequal", lambda: np.fill_diagonal(np.zeros((2, 3, 2)), 1)),
]
# --- End of the manip slice -------------------------------------------------------------------


# --- Writing ----------------------------------------------------------------------------------


def check(name, inputs, out):
    """Checks that keep the files honest, including the naming rule the Rust tests rely on."""
    for arr in [*inputs, out]:
        assert arr.dtype.name in ALL, f"{name}: {arr.dtype} is not a lazygrad dtype"
    if out.dtype.kind == "f" and "_nan-" not in name:
        assert np.isfinite(out).all(), f"{name}: non-finite output {out}"
    op, *dtypes = name.split("-")
    actual = [a.dtype.name for a in inputs]
    if not inputs:  # creation: the name gives the output dtype
        assert dtypes == [out.dtype.name], f"{name}: output is {out.dtype}"
    elif op == "astype":  # astype-<from>-<to>
        assert dtypes == [*actual, out.dtype.name], f"{name}: {actual} -> {out.dtype}"
    elif len(dtypes) > 1:  # <op>_mix-<in0>-<in1>...: every input's dtype
        assert dtypes == actual, f"{name}: inputs are {actual}"
    else:  # <op>-<dtype>: every input but where's bool condition
        data_inputs = actual[1:] if op.split("_rep")[0] == "where" else actual
        assert set(data_inputs) == set(dtypes), f"{name}: inputs are {actual}"


def promotion_lines():
    """numpy 2's promotion of every pair of dtypes, and of every dtype with a weak literal."""
    lines = []
    for a in ALL:
        for b in ALL:
            lines.append(f"{a} {b} {np.result_type(np.dtype(a), np.dtype(b)).name}\n")
    for a in ALL:
        for name, literal in [("bool", True), ("int", 1), ("float", 1.0)]:
            res = (np.zeros(1, dtype=a) + literal).dtype.name
            lines.append(f"{a} {name} {res}\n")
    return lines


def main():
    names = [name for name, _, _ in CASES]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"duplicate case names: {duplicates}"

    written = set()
    manifest = []
    for name, spec, fn in CASES:
        rng = np.random.default_rng([0, zlib.crc32(name.encode())])
        inputs = [dom(rng, dtype, shape) for dtype, shape, dom in spec]
        out = np.asarray(fn(*inputs))
        check(name, inputs, out)
        files = [(f"{name}.in{i}.npy", arr) for i, arr in enumerate(inputs)]
        for file, arr in [*files, (f"{name}.out.npy", out)]:
            np.save(OUT_DIR / file, arr)
            written.add(file)
        manifest.append(f"{name} {len(inputs)}\n")

    stale = sorted(p for p in OUT_DIR.glob("*.npy") if p.name not in written)
    for path in stale:
        path.unlink()
    (OUT_DIR / "manifest.txt").write_text("".join(manifest))
    (OUT_DIR / "errors.txt").write_text("".join(error_lines()))
    (OUT_DIR / "promotion.txt").write_text("".join(promotion_lines()))
    print(f"wrote {len(CASES)} cases ({len(written)} files); deleted {len(stale)} stale files")


if __name__ == "__main__":
    main()
