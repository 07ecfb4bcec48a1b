#!/usr/bin/env python3
"""Time the work of lazygrad's criterion suite in numpy and print both side by side.

Usage:

    cargo bench --bench bench_main                      # writes target/criterion/
    python3 benches/numpy_compare.py target/criterion   # numpy timings plus the comparison table
    python3 benches/numpy_compare.py                    # numpy timings only

Positional arguments are criterion output directories (searched for `new/estimates.json`) or
`estimates.json` files themselves. Options: `--repeat N` (rounds of timeit, default 5),
`--only TEXT` (cases whose group or parameter contains TEXT), and `--stat best|mean|median`.

Each numpy case is the same expression, shapes and dtype as the bench with the same group and
parameter in `benches/benchmarks/` (`elementwise_float32` / `1M` and so on), on data of the same
distribution (not the same numbers). numpy's time is the best of `--repeat` timeit rounds, each
averaging as many calls as fill 0.2 s. lazygrad's time is by default also a best: the fastest of
criterion's samples (`sample.json`, each an average of several iterations), so both sides are
compared the same way; `--stat mean` or `--stat median` use criterion's estimates instead.

For a fair run:
- Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
  python3 ...`): they pin OpenBLAS to a kernel and cache size that may not match this CPU, which
  slows numpy's matmul. CI leaves them alone; the script only reports whether they are set.
- Keep the machine otherwise idle, and run both suites close together: the load average is
  printed, and criterion's numbers are only as fresh as the last `cargo bench`.
- Expect allocator effects: each call allocates fresh result arrays on both sides, and glibc's
  malloc may trim and regrow its heap every call (page faults) or not, depending on what the
  process allocated before. Cases therefore run in a fixed order, the suite's, and a case timed
  alone can differ (numpy's 1M float32 elementwise case: about 2 ms after other work, 9 ms first).
- Threads differ: numpy runs elementwise work and reductions on one thread, lazygrad splits
  large ones across rayon's threads (RAYON_NUM_THREADS), and the hand-written loop is one
  thread. Both thread matmul (OpenBLAS in numpy, matrixmultiply with MATMUL_NUM_THREADS, up to
  four, in lazygrad).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import timeit
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

# Environment variables that change how fast either side runs, printed with every report.
ENV_VARS = [
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MATMUL_NUM_THREADS",
    "RAYON_NUM_THREADS",
    "LAZYGRAD_FUSION",
]


@dataclass
class Case:
    """One bench: criterion's group and parameter, and how to run the same work in numpy."""

    group: str
    parameter: str
    op: str
    shape: str
    dtype: str
    setup: Callable[[], Callable[[], object]]
    # Multiply-adds, for the GFLOP/s of matrix products; 0 for bandwidth-bound cases.
    multiply_adds: int = 0


def elementwise(n: int, dtype: type) -> Callable[[], Callable[[], object]]:
    """`sqrt(a*b + c*c) * 0.5` on inputs in [0, 1), as in `benchmarks/elementwise.rs`."""

    def setup() -> Callable[[], object]:
        rng = np.random.default_rng(1)
        a, b, c = (rng.random(n, dtype=dtype) for _ in range(3))
        return lambda: np.sqrt(a * b + c * c) * 0.5

    return setup


def reduction(n: int, axis: int | None) -> Callable[[], Callable[[], object]]:
    """A sum of an n x n float32 over `axis` (None: all), as in `benchmarks/reduction.rs`."""

    def setup() -> Callable[[], object]:
        a = np.random.default_rng(4).standard_normal((n, n), dtype=np.float32)
        return lambda: a.sum(axis=axis)

    return setup


def matmul(m: int, k: int, n: int, dtype: type) -> Callable[[], Callable[[], object]]:
    """`[m, k] @ [k, n]` of standard normal samples, as in `benchmarks/matmul.rs`."""

    def setup() -> Callable[[], object]:
        rng = np.random.default_rng(5)
        a = rng.standard_normal((m, k), dtype=dtype)
        b = rng.standard_normal((k, n), dtype=dtype)
        return lambda: a @ b

    return setup


def cases() -> list[Case]:
    """Every bench of the suite; group and parameter must match the Rust bench ids."""
    res = []
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        for n, label in ((1_000_000, "1M"), (10_000_000, "10M")):
            res.append(
                Case(f"elementwise_{name}", label, "sqrt(a*b+c*c)*0.5", f"({n},)", name,
                     elementwise(n, dtype))
            )
    n = 4096
    for parameter, axis, op in (("sum_axis1", 1, "sum(axis=1)"), ("sum_axis0", 0, "sum(axis=0)"),
                                ("sum_all", None, "sum()")):
        res.append(
            Case("reduction_float32", f"{parameter}_{n}x{n}", op, f"({n}, {n})", "float32",
                 reduction(n, axis))
        )
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        for m, k, n in ((1024, 1024, 1024), (64, 1000, 100)):
            res.append(
                Case(f"matmul_{name}", f"{m}x{k}x{n}", "matmul", f"({m},{k})@({k},{n})", name,
                     matmul(m, k, n, dtype), multiply_adds=m * k * n)
            )
    return res


def time_numpy(case: Case, repeat: int) -> float:
    """The best of `repeat` timeit rounds, in seconds per call."""
    timer = timeit.Timer(case.setup())
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


@dataclass
class Measured:
    """One criterion result: seconds per iteration and the ideal bytes it declared."""

    seconds: float
    bytes: int | None


def read_criterion(paths: list[Path], stat: str) -> dict[tuple[str, str, str], Measured]:
    """Criterion results keyed by (group, variant, parameter)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("**/new/estimates.json")))
        elif path.name == "estimates.json":
            files.append(path)
        else:
            sys.exit(f"{path}: neither a directory nor an estimates.json")
    res = {}
    for estimates_path in files:
        folder = estimates_path.parent
        benchmark = json.loads((folder / "benchmark.json").read_text())
        if stat == "best":
            sample = json.loads((folder / "sample.json").read_text())
            nanos = min(t / i for t, i in zip(sample["times"], sample["iters"]))
        else:
            nanos = json.loads(estimates_path.read_text())[stat]["point_estimate"]
        throughput = benchmark.get("throughput") or {}
        key = (benchmark["group_id"], benchmark["function_id"], benchmark["value_str"])
        res[key] = Measured(nanos * 1e-9, throughput.get("Bytes"))
    return res


def format_time(seconds: float | None) -> str:
    """A time in the largest unit that keeps it at 1 or more, to three significant digits."""
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
    raise AssertionError("unreachable: the ns row always returns")


def ratio(numerator: float | None, denominator: float | None) -> str:
    """`numerator / denominator` as `1.23x`, or `-` when either is missing."""
    if numerator is None or denominator is None:
        return "-"
    return f"{numerator / denominator:.2f}x"


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """A plain-text table with left-aligned text columns and right-aligned figures."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    text_columns = 3
    for row in [header, *rows]:
        cells = [cell.ljust(w) if i < text_columns else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())


def print_environment() -> None:
    """numpy's version, the CPU count, the load, and the variables that change the timings."""
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name in ENV_VARS:
        value = os.environ.get(name)
        print(f"  {name}: {'set to ' + repr(value) if value is not None else 'not set'}")
    if any(name in os.environ for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")):
        print("  note: unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for a fair numpy matmul")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("criterion", nargs="*", type=Path,
                        help="target/criterion (or estimates.json files); omit for numpy only")
    parser.add_argument("--repeat", type=int, default=5, help="timeit rounds per case")
    parser.add_argument("--only", default="", help="run cases whose id contains this text")
    parser.add_argument("--stat", choices=("best", "mean", "median"), default="best",
                        help="which lazygrad figure to compare (default: fastest sample)")
    args = parser.parse_args()

    print_environment()
    criterion = read_criterion(args.criterion, args.stat) if args.criterion else {}
    if args.criterion and not criterion:
        sys.exit("no criterion results found; run `cargo bench --bench bench_main` first")

    header = ["op", "shape", "dtype", "fused", "unfused", "hand loop", "numpy",
              "unfused/fused", "fused/numpy", "fused/hand", "fused rate"]
    rows = []
    for case in cases():
        if args.only not in f"{case.group}/{case.parameter}":
            continue
        numpy_seconds = time_numpy(case, args.repeat)

        def lazygrad(variant: str) -> Measured | None:
            return criterion.get((case.group, variant, case.parameter))

        fused, unfused, hand = lazygrad("fused"), lazygrad("unfused"), lazygrad("hand_loop")
        fused_s = fused.seconds if fused else None
        unfused_s = unfused.seconds if unfused else None
        hand_s = hand.seconds if hand else None
        # Matrix products are compute-bound, so their rate is in GFLOP/s (2 flops per
        # multiply-add); everything else is bandwidth-bound and reports the ideal bytes moved.
        if fused and case.multiply_adds:
            rate = f"{2 * case.multiply_adds / fused.seconds / 1e9:.1f} GFLOP/s"
        elif fused and fused.bytes:
            rate = f"{fused.bytes / fused.seconds / 1e9:.1f} GB/s"
        else:
            rate = "-"
        rows.append([case.op, case.shape, case.dtype, format_time(fused_s),
                     format_time(unfused_s), format_time(hand_s), format_time(numpy_seconds),
                     ratio(unfused_s, fused_s), ratio(fused_s, numpy_seconds),
                     ratio(fused_s, hand_s), rate])
        # Printing as we go shows progress; the table is printed once all widths are known.
        print(f"  timed {case.group}/{case.parameter}: numpy {format_time(numpy_seconds)}",
              file=sys.stderr)
    print()
    lazygrad_stat = {"best": "fastest criterion sample", "mean": "criterion mean",
                     "median": "criterion median"}[args.stat]
    print(f"lazygrad: {lazygrad_stat}; numpy: best of {args.repeat} timeit rounds. "
          "Ratios above 1 mean the first is slower.")
    print_table(header, rows)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
