"""vjp of a gradient function: a Hessian-vector product (a transposed one) by reverse mode over the gradient.

vjp asked the gradient of a derivative for a recording it does not have (a bare AttributeError); it now takes
reverse mode over the gradient's Python form, as grad of it does. Checked against central differences of the
gradient.
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .differences import central
from .test_compositions_across_modes import loops_while, solves

_X = np.array([0.3, -0.4, 1.2])
_V = np.array([0.3, -1.0, 0.7])


def helper(v):
    return np.tanh(v) * v


def through_a_helper(x):
    return np.sum(helper(x) ** 2) * x[0]


@pytest.mark.parametrize("f", [through_a_helper, loops_while, solves])
def test_vjp_of_a_gradient_is_a_hessian_vector_product(f):
    gradient = s2sgrad.grad(f)
    value, pullback = s2sgrad.vjp(gradient, _X)
    np.testing.assert_allclose(value, gradient(_X), rtol=1e-12)
    (product,) = pullback(_V)
    np.testing.assert_allclose(product, central(gradient, _X).T @ _V, rtol=1e-5, atol=1e-7)


def test_vjp_of_a_jacobian():
    jacobian = s2sgrad.jacfwd(lambda x: np.sin(x) * x[0])
    cotangent = np.arange(9.0).reshape(3, 3)
    _, pullback = s2sgrad.vjp(jacobian, _X)
    (product,) = pullback(cotangent)
    expected = np.tensordot(cotangent, central(jacobian, _X), axes=2)
    np.testing.assert_allclose(product, expected, rtol=1e-5, atol=1e-7)
