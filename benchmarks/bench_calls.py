"""Cost of calls to helpers: a gradient against its forward, side by side in one run.

A Black-Scholes price written with a `math.erf` helper (the normal CDF), and the
same through two levels of nested helpers. Each helper runs once per gradient
call (runtime/calls.py): its forward records what its reverse sweep reads. The
ratio printed is (gradient time) / (plain forward time); before helpers ran once,
the reverse sweep recomputed every helper's forward and the first row was 49x.

Run: python benchmarks/bench_calls.py
"""
from __future__ import annotations

import math
import timeit

import s2sgrad


def normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def black_scholes(spot, strike, rate, vol, t):
    d1 = (math.log(spot / strike) + (rate + 0.5 * vol * vol) * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    return spot * normal_cdf(d1) - strike * math.exp(-rate * t) * normal_cdf(d2)


def scaled_cdf(x, scale):
    return normal_cdf(x) * scale


def nested(spot, strike, rate, vol, t):
    d1 = (math.log(spot / strike) + (rate + 0.5 * vol * vol) * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    return scaled_cdf(d1, spot) - scaled_cdf(d2, strike * math.exp(-rate * t))


def ratio(fn, args, wrt, number=2000) -> tuple[float, float, float]:
    gradient = s2sgrad.grad(fn, wrt=wrt)
    gradient(*args)                                    # transform outside the timing
    forward = min(timeit.repeat(lambda: fn(*args), number=number, repeat=5)) / number
    backward = min(timeit.repeat(lambda: gradient(*args), number=number, repeat=5)) / number
    return forward, backward, backward / forward


def main() -> None:
    args = (100.0, 95.0, 0.01, 0.2, 1.5)
    print(f"{'function':<28}{'forward (us)':>14}{'gradient (us)':>15}{'ratio':>8}")
    for name, fn in (("black_scholes (erf helper)", black_scholes), ("nested helpers", nested)):
        forward, backward, r = ratio(fn, args, wrt=(0, 1, 2, 3, 4))
        print(f"{name:<28}{forward * 1e6:>14.2f}{backward * 1e6:>15.2f}{r:>7.1f}x")


if __name__ == "__main__":
    main()
