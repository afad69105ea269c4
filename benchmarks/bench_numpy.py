"""Issue 4's benchmark: s2sgrad's NumPy gradients against the forward pass, a hand-written gradient and autograd.

Targets: s2sgrad <= 1.2x the hand-written gradient. autograd is timed when it
imports (pip install autograd; it is not a dependency). Run:

    python benchmarks/bench_numpy.py

On a busy machine, OPENBLAS_NUM_THREADS=1 steadies the matrix products.
"""
from __future__ import annotations

import importlib.util
import os
import sys
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


def best_times(fns, rounds=12, seconds=0.05):
    """The best time per call of each function, measured in turns (round robin), so that a moment of load
    on a shared machine slows every contender alike instead of one of them."""
    numbers = [max(1, int(seconds / max(timeit.timeit(fn, number=1), 1e-6))) for fn in fns]
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, (fn, number) in enumerate(zip(fns, numbers)):
            best[i] = min(best[i], timeit.timeit(fn, number=number) / number)
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
    main()
