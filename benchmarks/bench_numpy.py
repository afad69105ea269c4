"""Issue 4's benchmark: s2sgrad's NumPy gradients against the forward pass, a hand-written gradient and autograd.

Targets: s2sgrad <= 1.2x the hand-written gradient. autograd is timed when it
imports (pip install autograd; it is not a dependency). Run:

    python benchmarks/bench_numpy.py
    python benchmarks/bench_numpy.py --shapes [--quick]   # shape-generic against shape-specialized code

On a busy machine, OPENBLAS_NUM_THREADS=1 steadies the matrix products.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy_models as models  # noqa: E402

from s2sgrad import value_and_grad  # noqa: E402


def autograd_models():
    """numpy_models.py loaded a second time with np = autograd.numpy, or None without autograd."""
    try:
        import autograd.numpy  # noqa: F401
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_models.py")
    spec = importlib.util.spec_from_file_location("numpy_models_autograd", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.np = autograd.numpy
    return module


def best_times(fns, rounds=12, seconds=0.05, timer=timeit.default_timer):
    """The best time per call of each function, measured in turns (round robin), so that a moment of load
    on a shared machine slows every contender alike instead of one of them."""
    timers = [timeit.Timer(fn, timer=timer) for fn in fns]
    numbers = [max(1, int(seconds / max(t.timeit(number=1), 1e-6))) for t in timers]
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, (t, number) in enumerate(zip(timers, numbers)):
            best[i] = min(best[i], t.timeit(number=number) / number)
    return best


def cases():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 100))
    y = (X @ rng.normal(size=100) > 0).astype(float)
    yield "logistic regression 1000x100", "logistic_loss", "logistic_by_hand", (0.01 * rng.normal(size=100), 0.1, X, y), (0, 1)
    X = rng.normal(size=(256, 784))
    Y = np.eye(10)[rng.integers(0, 10, 256)]
    params = (0.05 * rng.normal(size=(784, 256)), np.zeros(256), 0.05 * rng.normal(size=(256, 10)), np.zeros(10))
    yield "MLP 784-256-10, batch 256", "mlp_loss", "mlp_by_hand", (*params, X, Y), (0, 1, 2, 3)
    yield "elementwise chain, 1e6 floats", "chain", "chain_by_hand", (rng.normal(size=1_000_000),), (0,)
    xs = rng.normal(size=(50, 16, 8))
    rnn = (0.1 * rng.normal(size=(64, 64)), 0.1 * rng.normal(size=(8, 64)), np.zeros(64), xs)
    yield "tanh RNN, 50 steps (64 units)", "rnn_loss", "rnn_by_hand", rnn, (0, 1, 2)


def shapes_main() -> None:
    """Shape specialization side by side: the hand-written gradient, the shape-generic generated code
    (what every call ran before), the code specialized on the arguments' shapes, and value_and_grad
    (which runs the latter once a call's shapes repeat), timed in turns (CPU time, one thread)."""
    from s2sgrad.api.shape_keys import array_shapes
    print(f"{'case':31} {'by hand':>9} {'generic':>9} {'shaped':>9} {'s2sgrad':>9}"
          f" {'generic/hand':>12} {'shaped/hand':>11} {'s2s/hand':>9}")
    for label, loss_name, hand_name, args, wrt in cases():
        loss, by_hand = getattr(models, loss_name), getattr(models, hand_name)
        ours = value_and_grad(loss, wrt=wrt)
        generic = ours.generated_for(*args)
        shaped = ours._function(ours._program_for(args, {}, array_shapes(ours._positional, args, {})))
        hand_value, hand_grads = by_hand(*args)
        for fn in (generic, shaped, ours):
            value, grads = fn(*args)
            assert np.isclose(value, hand_value, rtol=1e-10)
            for a, b in zip(grads, hand_grads):
                np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-12)
        times = best_times([lambda: by_hand(*args), lambda: generic(*args), lambda: shaped(*args),
                            lambda: ours(*args)], rounds=5 if "--quick" in sys.argv else 15, timer=time.process_time)
        hand = times[0]
        print(f"{label:31}" + "".join(f" {t * 1e3:7.3f}ms" for t in times)
              + f" {times[1] / hand:12.2f} {times[2] / hand:11.2f} {times[3] / hand:9.2f}")


def main() -> None:
    ag = autograd_models()
    if ag is not None:
        import autograd
    rows = []
    for label, loss_name, hand_name, args, wrt in cases():
        loss, by_hand = getattr(models, loss_name), getattr(models, hand_name)
        ours = value_and_grad(loss, wrt=wrt)
        value, grads = ours(*args)
        hand_value, hand_grads = by_hand(*args)
        assert np.isclose(value, hand_value, rtol=1e-10)
        for a, b in zip(grads, hand_grads):
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-12)
        generated = ours.generated_function         # the generated code alone, without grad's call wrapper
        contenders = [lambda: loss(*args), lambda: ours(*args), lambda: generated(*args), lambda: by_hand(*args)]
        if ag is not None:
            theirs = autograd.value_and_grad(getattr(ag, loss_name), wrt if len(wrt) > 1 else wrt[0])
            contenders.append(lambda: theirs(*args))
        rows.append([label, *best_times(contenders)])
    header = f"{'case':31} {'forward':>9} {'s2sgrad':>9} {'gen code':>9} {'by hand':>9}"
    header += f" {'autograd':>9}" if ag is not None else ""
    header += f" {'s2s/fwd':>8} {'s2s/hand':>9} {'gen/hand':>9}" + (f" {'ag/s2s':>7}" if ag is not None else "")
    print(header)
    for label, fwd, ours, generated, hand, *theirs in rows:
        line = f"{label:31} {fwd * 1e3:7.3f}ms {ours * 1e3:7.3f}ms {generated * 1e3:7.3f}ms {hand * 1e3:7.3f}ms"
        line += "".join(f" {t * 1e3:7.3f}ms" for t in theirs)
        line += f" {ours / fwd:8.2f} {ours / hand:9.2f} {generated / hand:9.2f}"
        line += "".join(f" {t / ours:7.2f}" for t in theirs)
        print(line)
    print("s2sgrad: value_and_grad(loss)(...); gen code: its generated function called directly")
    print("target: s2s/hand <= 1.2" + ("" if ag is not None else "   (autograd not installed: pip install autograd)"))


if __name__ == "__main__":
    shapes_main() if "--shapes" in sys.argv else main()
