"""The cheat sheet's 2-layer network in numpy, hand-written backprop, timed per step.

    python3 benches/two_layer_numpy.py --dtype float64 --steps 500

The comparison point for `cargo run --release --example two_layer_net` (see its per-step line
on stderr). Data and weights come from numpy's own generator, so losses differ from lazygrad's
(same distributions, different streams); the work per step is identical.
"""

import argparse
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dtype", default="float64", choices=["float32", "float64"])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)
    n, d_in, h_dim, d_out = 64, 1000, 100, 10
    x = rng.standard_normal((n, d_in)).astype(dtype)
    y = rng.standard_normal((n, d_out)).astype(dtype)
    w1 = rng.standard_normal((d_in, h_dim)).astype(dtype)
    w2 = rng.standard_normal((h_dim, d_out)).astype(dtype)
    learning_rate = dtype.type(1e-6)
    times = []
    for t in range(args.steps):
        start = time.perf_counter()
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        loss = np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h_relu = grad_y_pred.dot(w2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
        times.append(time.perf_counter() - start)
    steady = times[1:] if len(times) > 1 else times
    print(args.steps - 1, float(loss))
    print(
        f"{args.steps} steps ({args.dtype}, numpy by hand): "
        f"{1e6 * sum(steady) / len(steady):.0f} us/step (median {1e6 * sorted(steady)[len(steady) // 2]:.0f})",
        flush=True,
    )


if __name__ == "__main__":
    main()
