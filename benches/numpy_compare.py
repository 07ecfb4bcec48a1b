#!/usr/bin/env python3
"""Time the work of lazygrad's criterion suite in numpy and print both side by side.

Usage:

    cargo bench --bench bench_main                      # writes target/criterion/
    python3 benches/numpy_compare.py target/criterion   # numpy timings plus the comparison table
    python3 benches/numpy_compare.py                    # numpy timings only

Positional arguments are criterion output directories (searched for `new/estimates.json`) or
`estimates.json` files themselves. Options: `--repeat N` (rounds of timeit, default 5),
`--only TEXT` (cases whose group or parameter contains TEXT), and `--stat best|mean|median`.

Interleaved mode, for ratios that this VM's drift (up to 2x over minutes) would otherwise swamp:

    cargo bench --bench bench_main --no-run     # prints the bench executable's path
    python3 benches/numpy_compare.py --interleave target/release/deps/bench_main-HASH \
        --only matmul_float32/1024 --rounds 5

For each case and round it times numpy, then at once runs that case's fused bench (and its
hand-written 2-thread loop, if any) through the executable, and prints each round's pair and
the median of the rounds' ratios: both sides of a ratio are measured within seconds.

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
  large ones across rayon's threads (RAYON_NUM_THREADS), and the hand-written loops run on one
  thread (`hand_loop`) and on a pool of exactly two (`hand_loop_2t`). Both thread matmul
  (OpenBLAS in numpy; lazygrad cuts large products into blocks of columns or rows that rayon
  runs, each block single-threaded inside: its AVX-512 kernels, or matrixmultiply without them).

The `overhead_float32` benches time lazygrad's own cost on graphs too small for kernels to matter
(`benchmarks/overhead.rs`): a 30-node graph rebuilt and realized from the plan cache, and a
1000-node graph compiled afresh. numpy runs the same ops eagerly for reference; it has nothing to
compile, so the cold row says what a compile costs in numpy calls. They get a table of their own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
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
    # The criterion variant numpy is compared with: the fused bench, or an overhead bench.
    variant: str = "fused"
    # Nodes of an overhead graph, for the time per node; 0 elsewhere.
    nodes: int = 0


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


def matmul(m: int, k: int, n: int, dtype: type,
           a_transposed: bool = False) -> Callable[[], Callable[[], object]]:
    """`[m, k] @ [k, n]` of standard normal samples, as in `benchmarks/matmul.rs`; a transposed
    `a` is the view `.T` of a `[k, m]` array."""

    def setup() -> Callable[[], object]:
        rng = np.random.default_rng(5)
        if a_transposed:
            a = rng.standard_normal((k, m), dtype=dtype).T
        else:
            a = rng.standard_normal((m, k), dtype=dtype)
        b = rng.standard_normal((k, n), dtype=dtype)
        return lambda: a @ b

    return setup


# Blocks in the 1000-node graph, as `BLOCKS_1000` in `benchmarks/overhead.rs`.
OVERHEAD_BLOCKS_1000 = 33


def block(h: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One step of the overhead graphs, as `block` in `benchmarks/overhead.rs`."""
    side = h.shape[0]
    h = np.tanh(h * row + 0.5)
    centered = h - h.mean(axis=1, keepdims=True)
    scale = np.reciprocal(np.sqrt(np.square(centered).mean(axis=1, keepdims=True) + 1e-5))
    normed = centered * scale
    soft = np.exp(normed - normed.max(axis=0, keepdims=True))
    soft = soft / soft.sum(axis=0, keepdims=True)
    return soft.T.reshape(side * side).reshape(side, side)


def overhead(nodes: int) -> Callable[[], Callable[[], object]]:
    """The 30- or 1000-node graph of `benchmarks/overhead.rs` on float32 leaves copied per call."""

    def setup() -> Callable[[], object]:
        if nodes == 30:
            x = np.sin(np.arange(64, dtype=np.float32) * np.float32(0.37))
            row = 1.0 + np.arange(8, dtype=np.float32) * np.float32(0.1)

            def run() -> object:
                # Copies stand for the fresh leaves lazygrad builds each iteration.
                return block(x.copy().reshape(8, 8), row.copy())
        else:
            x = np.array([0.25, -0.5, 0.75, 1.0], dtype=np.float32)
            row = np.array([1.0, 0.5], dtype=np.float32)

            def run() -> object:
                h = x.copy().reshape(2, 2) + 1.0
                for _ in range(OVERHEAD_BLOCKS_1000):
                    h = block(h, row)
                return h.sum()

        return run

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
        # As `SHAPES` in `benchmarks/matmul.rs`: the last three are the rest of the 2-layer
        # training step, two of them with a transposed left operand.
        for m, k, n, a_t in ((1024, 1024, 1024, False), (64, 1000, 100, False),
                             (1000, 64, 100, True), (100, 64, 10, True), (64, 100, 10, False)):
            suffix, shape_a = ("_at", f"({k},{m}).T") if a_t else ("", f"({m},{k})")
            res.append(
                Case(f"matmul_{name}", f"{m}x{k}x{n}{suffix}", "matmul", f"{shape_a}@({k},{n})",
                     name, matmul(m, k, n, dtype, a_t), multiply_adds=m * k * n)
            )
    res.append(Case("overhead_float32", "30", "graph of 30 nodes, cached", "(64,)", "float32",
                    overhead(30), variant="cached_realize", nodes=30))
    res.append(Case("overhead_float32", "1000", "graph of 1000 nodes, cold", "(4,)", "float32",
                    overhead(1000), variant="cold_compile", nodes=1000))
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


def run_bench(executable: Path, case: Case, measurement_seconds: float) -> dict[str, Measured]:
    """Runs `case`'s fused bench and hand-written 2-thread loop through the criterion executable,
    into a fresh output folder; returns each variant's fastest sample."""
    variants = f"({re.escape(case.variant)}|hand_loop_2t)"
    pattern = f"^{re.escape(case.group)}/{variants}/{re.escape(case.parameter)}$"
    with tempfile.TemporaryDirectory() as home:
        run = subprocess.run(
            [str(executable), "--bench", pattern, "--warm-up-time", "0.5",
             "--measurement-time", str(measurement_seconds), "--noplot"],
            env={**os.environ, "CRITERION_HOME": home}, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{executable} failed:\n{run.stdout}{run.stderr}")
        found = read_criterion([Path(home)], "best")
    return {variant: measured for (_, variant, _), measured in found.items()}


def interleave(executable: Path, selected: list[Case], rounds: int, repeat: int,
               measurement_seconds: float) -> None:
    """Times each case in numpy and in lazygrad alternately, `rounds` times, and prints the
    rounds and the median ratio."""
    header = ["op", "shape", "dtype", "round", "numpy", "fused", "hand 2t", "fused/numpy",
              "fused/hand 2t"]
    rows = []
    for case in selected:
        ratios, hand_ratios = [], []
        for round_index in range(1, rounds + 1):
            numpy_seconds = time_numpy(case, repeat)
            measured = run_bench(executable, case, measurement_seconds)
            fused = measured.get(case.variant)
            hand = measured.get("hand_loop_2t")
            if fused is None:
                sys.exit(f"{case.group}/{case.variant}/{case.parameter}: the executable ran no "
                         "such bench")
            ratios.append(fused.seconds / numpy_seconds)
            if hand is not None:
                hand_ratios.append(fused.seconds / hand.seconds)
            hand_seconds = hand.seconds if hand else None
            rows.append([case.op, case.shape, case.dtype, str(round_index),
                         format_time(numpy_seconds), format_time(fused.seconds),
                         format_time(hand_seconds), ratio(fused.seconds, numpy_seconds),
                         ratio(fused.seconds, hand_seconds)])
            print(f"  {case.group}/{case.parameter} round {round_index}: numpy "
                  f"{format_time(numpy_seconds)}, lazygrad {format_time(fused.seconds)}",
                  file=sys.stderr)
        median = statistics.median(ratios)
        hand_median = statistics.median(hand_ratios) if hand_ratios else None
        rows.append([case.op, case.shape, case.dtype, "median", "", "", "",
                     f"{median:.2f}x", f"{hand_median:.2f}x" if hand_median else "-"])
    print(f"\nInterleaved: numpy best of {repeat} timeit rounds, then lazygrad's fastest "
          f"criterion sample ({measurement_seconds} s of samples), {rounds} rounds per case. "
          "Ratios above 1 mean lazygrad is slower.")
    print_table(header, rows)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


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


def rate(case: Case, measured: Measured | None) -> str:
    """How fast a bench ran: GFLOP/s for matrix products, ideal GB/s for the rest."""
    if measured is None:
        return "-"
    # Matrix products are compute-bound, so their rate is in GFLOP/s (2 flops per multiply-add);
    # everything else is bandwidth-bound and reports the ideal bytes moved.
    if case.multiply_adds:
        return f"{2 * case.multiply_adds / measured.seconds / 1e9:.1f} GFLOP/s"
    if measured.bytes:
        return f"{measured.bytes / measured.seconds / 1e9:.1f} GB/s"
    return "-"


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
    parser.add_argument("--interleave", type=Path, metavar="BENCH_EXECUTABLE",
                        help="alternate numpy and this criterion executable, case by case")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per case when interleaving")
    parser.add_argument("--measurement-time", type=float, default=2.0,
                        help="criterion's seconds of samples per bench when interleaving")
    args = parser.parse_args()

    print_environment()
    selected = [case for case in cases() if args.only in f"{case.group}/{case.parameter}"]
    if args.interleave:
        interleave(args.interleave, selected, args.rounds, args.repeat, args.measurement_time)
        return
    criterion = read_criterion(args.criterion, args.stat) if args.criterion else {}
    if args.criterion and not criterion:
        sys.exit("no criterion results found; run `cargo bench --bench bench_main` first")

    header = ["op", "shape", "dtype", "fused", "unfused", "hand loop", "hand 2t", "numpy",
              "unfused/fused", "fused/numpy", "fused/hand", "fused/hand 2t", "fused rate",
              "hand 2t rate"]
    overhead_header = ["op", "shape", "dtype", "lazygrad", "kernels", "outside kernels",
                       "numpy", "lazygrad/numpy", "lazygrad per node"]
    rows, overhead_rows = [], []
    for case in selected:
        numpy_seconds = time_numpy(case, args.repeat)

        def lazygrad(variant: str) -> Measured | None:
            return criterion.get((case.group, variant, case.parameter))

        def seconds(measured: Measured | None) -> float | None:
            return measured.seconds if measured else None

        fused = lazygrad(case.variant)
        fused_s = seconds(fused)
        # Printing as we go shows progress; the tables are printed once all widths are known.
        print(f"  timed {case.group}/{case.parameter}: numpy {format_time(numpy_seconds)}",
              file=sys.stderr)
        if case.nodes:
            per_node = fused_s / case.nodes if fused_s is not None else None
            # The kernels' own time, where a `kernels_only` bench measured it; the rest of the
            # cached realize is what the < 20 us overhead goal is about.
            kernels_s = seconds(lazygrad("kernels_only"))
            outside = fused_s - kernels_s if fused_s is not None and kernels_s is not None else None
            overhead_rows.append([case.op, case.shape, case.dtype, format_time(fused_s),
                                  format_time(kernels_s), format_time(outside),
                                  format_time(numpy_seconds), ratio(fused_s, numpy_seconds),
                                  format_time(per_node)])
            continue
        unfused_s = seconds(lazygrad("unfused"))
        hand_s = seconds(lazygrad("hand_loop"))
        hand_2t = lazygrad("hand_loop_2t")
        hand_2t_s = seconds(hand_2t)
        rows.append([case.op, case.shape, case.dtype, format_time(fused_s),
                     format_time(unfused_s), format_time(hand_s), format_time(hand_2t_s),
                     format_time(numpy_seconds), ratio(unfused_s, fused_s),
                     ratio(fused_s, numpy_seconds), ratio(fused_s, hand_s),
                     ratio(fused_s, hand_2t_s), rate(case, fused), rate(case, hand_2t)])
    print()
    lazygrad_stat = {"best": "fastest criterion sample", "mean": "criterion mean",
                     "median": "criterion median"}[args.stat]
    print(f"lazygrad: {lazygrad_stat}; numpy: best of {args.repeat} timeit rounds. "
          "Ratios above 1 mean the first is slower.")
    if rows:
        print_table(header, rows)
    if overhead_rows:
        print("\nOverhead: lazygrad builds and realizes the graph (cached: plan cache hit; cold: "
              "compiled afresh); numpy runs the same ops eagerly.")
        print_table(overhead_header, overhead_rows)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
