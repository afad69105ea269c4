"""Peak memory of one gradient call against the loop length: what the tape costs.

For the scalar Euler loop (loops.py) and the tanh RNN (numpy_models.py), the peak of Python's
allocations during one call (tracemalloc: NumPy's array buffers included), for s2sgrad's gradient and
the hand-written one, and bytes per loop step. Run:

    python benchmarks/bench_memory.py
"""
from __future__ import annotations

import os
import sys
import tracemalloc

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

import loops  # noqa: E402
import numpy_models  # noqa: E402

import s2sgrad  # noqa: E402


def peak(fn) -> int:
    fn()                                   # warm: transformation and caches are not the tape;
    fn()                                   # a call's shapes get their own code on their second call
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top - base


def main() -> None:
    print(f"{'workload':30} {'steps':>7} {'s2sgrad peak':>13} {'hand peak':>11} {'s2s/hand':>9} {'s2s bytes/step':>15}")
    euler = s2sgrad.value_and_grad(loops.euler_oscillator, wrt=(0, 1))
    for n in (1_000, 10_000, 100_000):
        ours, hand = peak(lambda: euler(4.0, 0.3, n)), peak(lambda: loops.euler_oscillator_by_hand(4.0, 0.3, n))
        print(f"{'scalar Euler loop':30} {n:7d} {ours / 1e6:11.2f}MB {hand / 1e6:9.2f}MB {ours / hand:9.2f} {ours / n:15.0f}")
    rng = np.random.default_rng(0)
    W, U, b = 0.1 * rng.normal(size=(64, 64)), 0.1 * rng.normal(size=(32, 64)), np.zeros(64)
    rnn = s2sgrad.value_and_grad(numpy_models.rnn_loss, wrt=(0, 1, 2))
    for steps in (10, 50, 200):
        xs = rng.normal(size=(steps, 16, 32))
        ours, hand = peak(lambda: rnn(W, U, b, xs)), peak(lambda: numpy_models.rnn_by_hand(W, U, b, xs))
        generic = rnn.generated_for(W, U, b, xs)           # the shape-generic code (api/shape_keys.py)
        before = peak(lambda: generic(W, U, b, xs))
        print(f"{'tanh RNN, 16x64 state':30} {steps:7d} {ours / 1e6:11.2f}MB {hand / 1e6:9.2f}MB {ours / hand:9.2f} "
              f"{ours / steps:15.0f}   shape-generic code: {before / 1e6:.2f}MB, {before / hand:.2f}x hand")


if __name__ == "__main__":
    main()
