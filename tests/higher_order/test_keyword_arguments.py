"""Keyword arguments reach the function through hessian, jacfwd, jacrev, vjp and grad of a derivative, as in
JAX: passed through, not differentiated (the Jacobian is in the positional arguments)."""
import functools

import numpy as np
import pytest

import s2sgrad

from .differences import central


def powered(x, *, k=2.0):
    return np.sum(x ** k)


def scaled(x, scale=1.0, *, shift=0.0):
    return np.sin(x * scale) + shift


X = np.array([0.5, 1.5, 2.0])


def test_hessian_with_a_keyword_only_argument():
    h = s2sgrad.hessian(powered)
    expected = np.diag(3.0 * 2.0 * X)
    np.testing.assert_allclose(h(X, k=3.0), expected)
    gradient = functools.partial(s2sgrad.grad(powered), k=3.0)
    np.testing.assert_allclose(h(X, k=3.0), central(gradient, X, eps=1e-6), rtol=1e-6)
    np.testing.assert_allclose(h(X), np.diag(np.full(3, 2.0)))            # the default, unchanged
    np.testing.assert_allclose(h(X, k=4.0), np.diag(12.0 * X ** 2))       # another value, another form


@pytest.mark.parametrize("transform", [s2sgrad.jacfwd, s2sgrad.jacrev])
def test_jacobians_pass_keywords_through(transform):
    f = functools.partial(scaled, shift=1.0)
    jac = transform(scaled)(X, 2.0, shift=1.0)
    np.testing.assert_allclose(jac, central(lambda x: f(x, 2.0), X, eps=1e-6), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(transform(scaled)(X, scale=2.0), np.diag(2.0 * np.cos(2.0 * X)))


def test_jacobian_of_a_gradient_and_grad_of_grad_with_keywords():
    np.testing.assert_allclose(s2sgrad.jacfwd(s2sgrad.grad(powered))(X, k=3.0), np.diag(6.0 * X))
    second = s2sgrad.grad(s2sgrad.grad(lambda x, k=2.0: x ** k))
    assert second(2.0, k=3.0) == pytest.approx(12.0)
    assert second(2.0) == pytest.approx(2.0)


def test_vjp_and_value_and_grad_with_keywords():
    value, vjp_fn = s2sgrad.vjp(powered, X, k=3.0)
    assert value == pytest.approx(np.sum(X ** 3))
    np.testing.assert_allclose(vjp_fn(1.0)[0], 3.0 * X ** 2)
    value, g = s2sgrad.value_and_grad(powered)(X, k=3.0)
    np.testing.assert_allclose(g, 3.0 * X ** 2)


def test_an_array_keyword_is_used_as_given_each_call():
    def weighted(x, *, w):
        return np.sum(w * x ** 2)
    h = s2sgrad.hessian(weighted)
    w = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(h(X, w=w), np.diag(2.0 * w))
    np.testing.assert_allclose(h(X, w=w * 2), np.diag(4.0 * w))
    w[0] = 10.0                        # the same array changed in place: its current values count
    np.testing.assert_allclose(h(X, w=w), np.diag(2.0 * w))
