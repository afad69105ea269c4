"""The seed models (logistic regression, a two-layer MLP) on chunked Dask arrays.

Each gradient call runs where Dask may not compute (lazy.nothing_computed), gives Dask arrays
(0-d ones for Python-float parameters), and once computed equals the NumPy gradient to rtol 1e-10.
"""
import pathlib
import pickle
import sys

import numpy as np
import pytest

import s2sgrad

from .lazy import assert_close, chunked, computed, da, nothing_computed

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benchmarks"))
from numpy_models import logistic_loss, mlp_loss  # noqa: E402


def logistic_case(rng):
    X = rng.normal(size=(96, 5))
    y = (X @ rng.normal(size=5) + 0.3 * rng.normal(size=96) > 0).astype(float)
    return (rng.normal(size=5), 0.25, X, y), (0, 1)


def mlp_case(rng):
    X = rng.normal(size=(60, 8))
    Y = np.eye(3)[rng.integers(0, 3, size=60)]
    params = (0.3 * rng.normal(size=(8, 6)), 0.1 * rng.normal(size=6), 0.3 * rng.normal(size=(6, 3)),
              0.1 * rng.normal(size=3))
    return (*params, X, Y), (0, 1, 2, 3)


MODELS = {"logistic": (logistic_loss, logistic_case), "mlp": (mlp_loss, mlp_case)}


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("parts", [3, 4])
def test_model_gradient_on_dask_is_lazy_and_equals_numpy(name, parts):
    loss, case = MODELS[name]
    args, wrt = case(np.random.default_rng(0))
    want_value, want = s2sgrad.value_and_grad(loss, wrt=wrt)(*args)
    lazy_args = chunked(args, parts)
    assert lazy_args[-2].numblocks[0] == parts          # the data really is cut into several chunks
    with nothing_computed():
        value, grads = s2sgrad.value_and_grad(loss, wrt=wrt)(*lazy_args)
    assert isinstance(value, da.Array) and value.shape == ()
    for g, a in zip(grads, (lazy_args[i] for i in wrt)):
        assert isinstance(g, da.Array), f"a gradient of type {type(g).__name__}"
        assert g.shape == np.shape(a)
    assert_close(computed((value, grads)), (want_value, want))


def test_python_float_parameter_gets_a_lazy_0d_gradient():
    (w, b, X, y), _ = logistic_case(np.random.default_rng(1))
    with nothing_computed():
        db = s2sgrad.grad(logistic_loss, wrt="b")(w, b, *chunked((X, y), 4))
    assert isinstance(db, da.Array) and db.shape == ()
    assert_close(computed(db), s2sgrad.grad(logistic_loss, wrt="b")(w, b, X, y))


def test_parameters_on_dask_and_data_on_numpy():
    (w, b, X, y), _ = logistic_case(np.random.default_rng(2))
    with nothing_computed():
        dw = s2sgrad.grad(logistic_loss)(chunked(w), b, X, y)
    assert isinstance(dw, da.Array)
    assert_close(computed(dw), s2sgrad.grad(logistic_loss)(w, b, X, y))


def test_float32_data_keeps_float32():
    (w, b, X, y), _ = logistic_case(np.random.default_rng(3))
    w, X, y = (v.astype(np.float32) for v in (w, X, y))
    with nothing_computed():
        dw = s2sgrad.grad(logistic_loss)(*chunked((w, b, X, y), 3))
    assert dw.dtype == np.float32
    np.testing.assert_allclose(computed(dw), s2sgrad.grad(logistic_loss)(w, b, X, y), rtol=1e-5)


def test_task_graph_stays_proportional_to_the_forward():
    """On data generated lazily (nothing embedded), the gradient's graph is a few times the forward's and
    holds no array of the data's length: the output's seed is spread chunk by chunk, not made in memory."""
    rng = da.random.default_rng(0)
    n = 400_000
    X = rng.normal(size=(n, 4), chunks=(n // 8, 4))
    y = (rng.random(n, chunks=n // 8) > 0.5).astype(float)
    w = np.zeros(4)
    forward = logistic_loss(w, 0.0, X, y)
    with nothing_computed():
        dw, db = s2sgrad.grad(logistic_loss, wrt=(0, 1))(w, 0.0, X, y)
    forward_tasks = len(dict(forward.__dask_graph__()))
    for g in (dw, db):
        graph = dict(g.__dask_graph__())
        assert len(graph) <= 3 * forward_tasks, (len(graph), forward_tasks)
        # a seed broadcast in memory would embed n * 8 bytes
        assert len(pickle.dumps(graph)) < n, len(pickle.dumps(graph))


def test_vjp_with_a_lazy_cotangent():
    (w, b, X, y), _ = logistic_case(np.random.default_rng(4))

    def scores(w, X):
        return np.tanh(X @ w)

    cotangent = np.linspace(-1.0, 1.0, len(y))
    want = s2sgrad.vjp(scores, w, X)[1](cotangent)
    with nothing_computed():
        pullback = s2sgrad.vjp(scores, *chunked((w, X), 4))[1]
        got = pullback(chunked(cotangent, 4))
    assert all(isinstance(g, da.Array) for g in got)
    assert_close(computed(got), want)
