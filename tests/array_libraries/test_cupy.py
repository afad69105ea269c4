"""The same gradients on CuPy arrays (GPU): CuPy in, CuPy out, equal to NumPy's.

Runs where CuPy and a CUDA device are present; skips with the reason elsewhere.
"""
import pathlib
import sys

import numpy as np
import pytest

import s2sgrad

scipy_special = pytest.importorskip("scipy.special")

from .gpu import cp  # noqa: E402  (skips the module without CuPy or a device)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benchmarks"))
from numpy_models import logistic_loss, mlp_loss  # noqa: E402


def _cases(rng):
    X = rng.normal(size=(64, 5))
    y = (X @ rng.normal(size=5) > 0).astype(float)
    Y = np.eye(3)[rng.integers(0, 3, size=64)]
    return {
        "logistic": (logistic_loss, (rng.normal(size=5), 0.25, X, y), (0, 1)),
        "mlp": (mlp_loss, (0.3 * rng.normal(size=(5, 4)), np.zeros(4), 0.3 * rng.normal(size=(4, 3)), np.zeros(3),
                           X, Y), (0, 1, 2, 3)),
    }


@pytest.mark.parametrize("name", ["logistic", "mlp"])
def test_model_gradients_on_cupy_stay_on_the_gpu(name):
    loss, args, wrt = _cases(np.random.default_rng(0))[name]
    want = s2sgrad.grad(loss, wrt=wrt)(*args)
    on_gpu = [cp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    got = s2sgrad.grad(loss, wrt=wrt)(*on_gpu)
    for g, w, a in zip(got, want, (on_gpu[i] for i in wrt)):
        if isinstance(a, cp.ndarray):
            assert isinstance(g, cp.ndarray), f"a gradient of type {type(g).__name__} for a CuPy argument"
        np.testing.assert_allclose(cp.asnumpy(g) if isinstance(g, cp.ndarray) else g, w, rtol=1e-10)


def test_value_and_grad_value_is_a_cupy_scalar():
    loss, args, wrt = _cases(np.random.default_rng(1))["logistic"]
    on_gpu = [cp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    value, _ = s2sgrad.value_and_grad(loss, wrt=wrt)(*on_gpu)
    assert isinstance(value, cp.ndarray) and value.shape == ()
    assert float(value) == pytest.approx(float(loss(*args)), rel=1e-12)


def bessel_sum(x):
    return np.sum(scipy_special.i1(x) * 2.0)


def test_a_derivative_needing_a_function_cupy_lacks_stops_at_the_users_line():
    # CuPy has i1 but not iv, which i1's derivative ((i0 + iv(2, x)) / 2) calls: NumPy's dispatch
    # finds no implementation, and the error names the ufunc, CuPy's type and bessel_sum's line
    x = cp.asarray(np.linspace(0.5, 2.0, 4))
    assert isinstance(scipy_special.i1(x), cp.ndarray)          # the user's own call runs on CuPy
    with pytest.raises(s2sgrad.MissingArrayFunctionError) as info:
        s2sgrad.grad(bessel_sum)(x)
    message = str(info.value)
    assert "cupy" in message and "scipy_special.i1(x) * 2.0" in message, message
