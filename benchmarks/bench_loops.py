"""Issue 3's benchmark: gradient time / forward time and / hand-written gradient time, side by side.

Targets: gradient <= 3x forward, <= 1.3x hand-written. Run:  python benchmarks/bench_loops.py
Issue 13's scalar rows (seed-000 call overhead, Euler loops with and without `if`, with a local and a
module-level step) against hand-written gradients:  python benchmarks/bench_loops.py --scalar-rows
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


def scalar_rows() -> None:
    """Issue 13's scalar rows, side by side in one run: each gradient against its hand-written version
    (CPU time, best of rounds taken in turns), the seed-000 call overhead included."""
    import time

    import jit_workloads       # the loops reading a module-level step DT

    def turns(fns, rounds, seconds=0.05):
        timers = [timeit.Timer(fn, timer=time.process_time) for fn in fns]
        for t in timers:        # the first call transforms: calibrating on it gave ~100 calls a round, not ~100,000
            t.timeit(1)
        numbers = [max(1, int(seconds / max(t.timeit(10) / 10, 1e-8))) for t in timers]
        times = [float("inf")] * len(fns)
        for _ in range(rounds):
            for i, (t, number) in enumerate(zip(timers, numbers)):
                times[i] = min(times[i], t.timeit(number) / number)
        return times

    g = value_and_grad(loops.seed000, wrt=(0, 1, 2))
    generated = g.generated_for(1.5, 2.0, 3.0)
    hand, gen, ours = turns([lambda: loops.seed000_by_hand(1.5, 2.0, 3.0), lambda: generated(1.5, 2.0, 3.0),
                             lambda: g(1.5, 2.0, 3.0)], rounds=15)
    print(f"{'seed-000 3*(a+b*c)':34} by hand {hand * 1e9:6.0f} ns   gen code {gen / hand:5.2f}   "
          f"value_and_grad {ours / hand:5.2f}  (target <= 3)")
    for label, loss, by_hand in [("Euler loop, 1,000 steps", loops.euler_oscillator, loops.euler_oscillator_by_hand),
                                 ("Euler loop with if, 1,000 steps", loops.euler_one_sided,
                                  loops.euler_one_sided_by_hand),
                                 ("Euler loop, global DT", jit_workloads.euler, jit_workloads.euler_by_hand),
                                 ("Euler loop with if, global DT", jit_workloads.euler_if,
                                  jit_workloads.euler_if_by_hand)]:
        g = value_and_grad(loss, wrt=(0, 1))
        ours, theirs = g(4.0, 0.3, 1000), by_hand(4.0, 0.3, 1000)
        assert abs(ours[0] - theirs[0]) < 1e-12 and all(abs(a - b) < 1e-9 for a, b in zip(ours[1], theirs[1]))
        hand, ours = turns([lambda: by_hand(4.0, 0.3, 1000), lambda: g(4.0, 0.3, 1000)], rounds=7)
        print(f"{label:34} by hand {hand * 1e6:6.0f} us   value_and_grad {ours / hand:5.2f}  (target <= 1.1)")


def main() -> None:
    if "--scalar-rows" in sys.argv:
        scalar_rows()
        return
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
