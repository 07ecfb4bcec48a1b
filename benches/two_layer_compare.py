"""The 2-layer training step in lazygrad, hand-written ndarray and numpy, interleaved, per dtype.

    cargo build --release --examples
    python3 benches/two_layer_compare.py --rounds 5

Runs `two_layer_net` (autodiff, one cached fused plan), `two_layer_ndarray` (the cheat sheet's
hand-written backprop in ndarray) and `two_layer_numpy.py` (the same in numpy), 500 steps each,
round after round so that a slow spell of a shared machine hits all three alike, and prints
each one's mean microseconds per step: the median and the best of the rounds, and lazygrad's
speedup over the other two. Needs numpy; lazygrad's binaries must be built first.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "target", "release", "examples")
PER_STEP = re.compile(r"(\d+) us/step")


def contenders(dtype: str) -> dict[str, list[str]]:
    """The command line of each implementation for `dtype` (f32 or f64)."""
    numpy_dtype = {"f32": "float32", "f64": "float64"}[dtype]
    return {
        "lazygrad": [os.path.join(EXAMPLES, "two_layer_net"), "--dtype", dtype],
        "ndarray": [os.path.join(EXAMPLES, "two_layer_ndarray"), "--dtype", dtype],
        "numpy": [sys.executable, os.path.join(ROOT, "benches", "two_layer_numpy.py"),
                  "--dtype", numpy_dtype],
    }


def per_step(command: list[str]) -> float:
    """Runs one 500-step training and returns its mean microseconds per step."""
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    found = PER_STEP.findall(result.stdout + result.stderr)
    if not found:
        sys.exit(f"no per-step time in the output of {' '.join(command)}")
    return float(found[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for binary in ("two_layer_net", "two_layer_ndarray"):
        if not os.path.exists(os.path.join(EXAMPLES, binary)):
            sys.exit("build the examples first: cargo build --release --examples")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for dtype in ("f64", "f32"):
        commands = contenders(dtype)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(per_step(command))
        print(f"\n{dtype}: mean us/step of each 500-step run, over {args.rounds} rounds")
        median = {name: statistics.median(values) for name, values in times.items()}
        for name, values in times.items():
            print(f"  {name:9} median {median[name]:6.0f}  best {min(values):6.0f}  "
                  f"runs {' '.join(f'{v:.0f}' for v in values)}")
        for other in ("numpy", "ndarray"):
            print(f"  lazygrad is {median[other] / median['lazygrad']:.2f}x {other} (medians)")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
