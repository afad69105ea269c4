"""np.linalg.norm (and np.hypot, math.hypot) where the norm is 0: its slope x / y is 0 / 0. Taken as nan, it
made every gradient through a matrix of pairwise distances nan (each point's distance to itself is 0, so
np.sum(np.exp(-D)) of D = np.linalg.norm(X[:, None] - X[None], axis=-1) had a nan gradient where central
differences give a finite one), and norm(x) ** 2 at x = 0 nan where its gradient is 0. The slope there is 0,
the subgradient np.abs takes at its kink."""
import math

import numpy as np
import pytest

import s2sgrad

from ..higher_order.differences import central


def rbf_energy(X):
    D = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=-1)
    return np.sum(np.exp(-D))


def frobenius_pairs(X):
    return np.sum(np.linalg.norm(X[:, None, :] - X[None, :, :], axis=(1, 2)) ** 2)


def squared_norm(x):
    return np.linalg.norm(x) ** 2 + np.linalg.norm(x, 3) ** 3


def hypot_squared(x):
    return np.sum(np.hypot(x[:2], x[2:]) ** 2)


def math_hypot_squared(a, b):
    return math.hypot(a, b) ** 2 + a


@pytest.mark.parametrize("f", [rbf_energy, frobenius_pairs], ids=lambda f: f.__name__)
def test_pairwise_distances_including_each_point_to_itself(f):
    X = np.random.default_rng(0).normal(size=(4, 2))
    grad = s2sgrad.grad(f)
    for _ in range(3):
        np.testing.assert_allclose(grad(X), central(f, X).reshape(X.shape), rtol=1e-5, atol=1e-7)
    _, tangent = s2sgrad.jvp(f, (X,), (np.ones_like(X),))
    assert tangent == pytest.approx(np.sum(central(f, X).reshape(X.shape)), rel=1e-5, abs=1e-7)


def test_squared_norms_at_zero():
    for f in (squared_norm, hypot_squared):
        np.testing.assert_array_equal(s2sgrad.grad(f)(np.zeros(4)), np.zeros(4))
        assert s2sgrad.jvp(f, (np.zeros(4),), (np.ones(4),))[1] == 0.0
    assert s2sgrad.grad(math_hypot_squared, wrt=(0, 1))(0.0, 0.0) == (1.0, 0.0)
    assert s2sgrad.grad(lambda x: np.linalg.norm(x))(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]


def column_spreads(X):
    return np.sum(np.std(X, axis=0) * np.array([1.0, 2.0, 3.0])) + np.nanstd(X[:, 1], ddof=1)


def test_standard_deviation_of_equal_values():
    """A column whose entries are all equal has the standard deviation 0, a kink: slope 0 there, as the
    norm's (the variance's adjoint over 2 y was 0 * inf = nan); the other columns keep their gradients."""
    X = np.array([[1.0, 0.5, 2.0], [1.0, -1.0, 2.0], [1.0, 2.0, 2.0], [1.0, 0.3, 2.0]])
    expected = central(column_spreads, X).reshape(X.shape)
    for _ in range(3):
        g = s2sgrad.grad(column_spreads)(X)
        np.testing.assert_array_equal(g[:, [0, 2]], 0.0)
        np.testing.assert_allclose(g[:, 1], expected[:, 1], rtol=1e-6)
