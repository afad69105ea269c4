"""Issue 10's benchmark: forward mode and second derivatives against the function and its gradient.

Reports, side by side in one run, for f(x) = sum(tanh(A x)) + sum(x**4) / 4:
    jvp / forward        s2sgrad.jvp(f, (x,), (v,)) against f(x)            target <= 3x
    HVP / gradient       s2sgrad.jvp(grad(f).generated_for(x), (x,), (v,))
                         (forward over reverse) against grad(f)(x)          target <= 4x
    full hessian         s2sgrad.hessian(f)(x), for n = 10, 100, 1000
JAX and autograd are timed the same way when they import (neither is a dependency).
Times are CPU seconds (time.process_time), the median of repeated calls taken in turns. Run by hand:

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_higher_order.py
"""
from __future__ import annotations

import statistics
import time

import numpy as np

import s2sgrad

A = np.eye(1)          # the matrix f reads; set per size by `use_size`


def f(x):
    return np.sum(np.tanh(A @ x)) + 0.25 * np.sum(x ** 4)


def use_size(n: int):
    global A
    A = np.random.default_rng(n).normal(size=(n, n)) / np.sqrt(n)
    rng = np.random.default_rng(n + 1)
    return rng.normal(size=n), rng.normal(size=n)


def median_times(fns, repeats=15, min_seconds=0.02):
    """Median CPU time per call of each function, measured in turns so that load hits every contender alike."""
    numbers = []
    for fn in fns:
        start = time.process_time()
        fn()
        numbers.append(max(1, int(min_seconds / max(time.process_time() - start, 1e-6))))
    samples = [[] for _ in fns]
    for _ in range(repeats):
        for i, (fn, number) in enumerate(zip(fns, numbers)):
            start = time.process_time()
            for _ in range(number):
                fn()
            samples[i].append((time.process_time() - start) / number)
    return [statistics.median(s) for s in samples]


def other_libraries():
    """{name: (jvp_ratio_fn, hvp_ratio_fn, hessian_fn) builders} for JAX and autograd where they import."""
    found = {}
    try:
        import jax
        import jax.numpy as jnp
        jax.config.update("jax_enable_x64", True)

        def jf(x, A):
            return jnp.sum(jnp.tanh(A @ x)) + 0.25 * jnp.sum(x ** 4)
        found["jax"] = jax, jnp, jf
    except ImportError:
        print("JAX is not installed: its columns are skipped (pip install jax to compare)")
    try:
        import autograd
        import autograd.numpy as anp

        def af(x, A):
            return anp.sum(anp.tanh(anp.dot(A, x))) + 0.25 * anp.sum(x ** 4)
        found["autograd"] = autograd, anp, af
    except ImportError:
        print("autograd is not installed: its columns are skipped (pip install autograd to compare)")
    return found


def s2sgrad_rows(n):
    x, v = use_size(n)
    gradient = s2sgrad.grad(f)
    generated = gradient.generated_for(x)          # the gradient's code, transformed once (not timed)
    s2sgrad.jvp(f, (x,), (v,))                     # transform once before timing
    s2sgrad.jvp(generated, (x,), (v,))
    forward, jvp, grad_time, hvp = median_times([
        lambda: f(x), lambda: s2sgrad.jvp(f, (x,), (v,)),
        lambda: gradient(x), lambda: s2sgrad.jvp(generated, (x,), (v,))])
    H = s2sgrad.hessian(f)
    H(x)
    hessian_time = median_times([lambda: H(x)], repeats=3 if n >= 1000 else 7, min_seconds=0)[0]
    return forward, jvp, grad_time, hvp, hessian_time


def library_rows(name, lib, n):
    module, xnp, fn = lib
    x, v = use_size(n)
    Aa = xnp.asarray(A)
    if name == "jax":
        jax = module
        forward = jax.jit(lambda x: fn(x, Aa))
        jvp = jax.jit(lambda x, v: jax.jvp(lambda y: fn(y, Aa), (x,), (v,)))
        grad = jax.jit(jax.grad(lambda x: fn(x, Aa)))
        hvp = jax.jit(lambda x, v: jax.jvp(jax.grad(lambda y: fn(y, Aa)), (x,), (v,))[1])
        hess = jax.jit(jax.hessian(lambda x: fn(x, Aa)))
        block = jax.block_until_ready
        calls = [lambda: block(forward(x)), lambda: block(jvp(x, v)), lambda: block(grad(x)),
                 lambda: block(hvp(x, v)), lambda: block(hess(x))]
    else:
        autograd = module
        grad = autograd.grad(lambda x: fn(x, Aa))
        hvp_fn = autograd.hessian_vector_product(lambda x: fn(x, Aa))
        hess = autograd.hessian(lambda x: fn(x, Aa))
        jvp = autograd.make_jvp(lambda x: fn(x, Aa))
        calls = [lambda: fn(x, Aa), lambda: jvp(x)(v), lambda: grad(x), lambda: hvp_fn(x, v), lambda: hess(x)]
    for call in calls:
        call()                                      # compile (JAX) before timing
    times = median_times(calls[:4])
    times.append(median_times(calls[4:], repeats=3 if n >= 1000 else 7, min_seconds=0)[0])
    return times


def main():
    libraries = other_libraries()
    print(f"f(x) = sum(tanh(A x)) + sum(x**4) / 4; CPU seconds, medians; numpy {np.__version__}\n")
    header = f"{'library':10} {'n':>5} {'forward':>10} {'jvp':>10} {'jvp/fwd':>8} {'gradient':>10} {'HVP':>10} " \
             f"{'HVP/grad':>8} {'hessian':>10}"
    print(header)
    print("-" * len(header))
    ratios = []
    for n in (10, 100, 1000):
        rows = [("s2sgrad", s2sgrad_rows(n))] + [(name, library_rows(name, lib, n)) for name, lib in libraries.items()]
        for name, (forward, jvp, grad_time, hvp, hessian_time) in rows:
            print(f"{name:10} {n:>5} {forward:10.2e} {jvp:10.2e} {jvp / forward:8.2f} {grad_time:10.2e} "
                  f"{hvp:10.2e} {hvp / grad_time:8.2f} {hessian_time:10.2e}")
            if name == "s2sgrad":
                ratios.append((n, jvp / forward, hvp / grad_time))
    print()
    for n, jvp_ratio, hvp_ratio in ratios:
        print(f"n = {n:>4}: jvp {jvp_ratio:.2f}x the forward ({'met' if jvp_ratio <= 3 else 'MISSED'}: target <= 3x), "
              f"HVP {hvp_ratio:.2f}x the gradient ({'met' if hvp_ratio <= 4 else 'MISSED'}: target <= 4x)")


if __name__ == "__main__":
    main()
