"""Issue 3's benchmark: gradient time / forward time and / hand-written gradient time, side by side.

Targets: gradient <= 3x forward, <= 1.3x hand-written. Run:  python benchmarks/bench_loops.py
"""
from __future__ import annotations

import os
import sys
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import loops  # noqa: E402

from s2sgrad import value_and_grad  # noqa: E402


def best(fn, repeat=7):
    number = 3
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    rows = []
    for n in (10_000, 100_000):
        g = value_and_grad(loops.euler_oscillator, wrt=("k", "c"))
        ours = g(4.0, 0.3, n)
        theirs = loops.euler_oscillator_by_hand(4.0, 0.3, n)
        assert abs(ours[0] - theirs[0]) < 1e-12 and all(abs(a - b) < 1e-9 for a, b in zip(ours[1], theirs[1]))
        rows.append((f"euler oscillator, {n} steps",
                     best(lambda: loops.euler_oscillator(4.0, 0.3, n)),
                     best(lambda: g(4.0, 0.3, n)),
                     best(lambda: loops.euler_oscillator_by_hand(4.0, 0.3, n))))
        coefficients = [((i * 7919) % 13 - 6) / 10.0 for i in range(n)]
        h = value_and_grad(loops.horner, wrt="x")
        ours = h(0.999, coefficients)
        theirs = loops.horner_by_hand(0.999, coefficients)
        assert abs(ours[1] - theirs[1]) <= 1e-9 * max(1.0, abs(theirs[1]))
        rows.append((f"horner, {n} coefficients",
                     best(lambda: loops.horner(0.999, coefficients)),
                     best(lambda: h(0.999, coefficients)),
                     best(lambda: loops.horner_by_hand(0.999, coefficients))))
    print(f"{'case':32} {'forward':>10} {'s2sgrad':>10} {'by hand':>10} {'s2s/fwd':>8} {'s2s/hand':>9}")
    for name, fwd, ours, hand in rows:
        print(f"{name:32} {fwd * 1e3:8.2f}ms {ours * 1e3:8.2f}ms {hand * 1e3:8.2f}ms {ours / fwd:8.2f} {ours / hand:9.2f}")
    print("targets: s2s/fwd <= 3.0, s2s/hand <= 1.3")


if __name__ == "__main__":
    main()
