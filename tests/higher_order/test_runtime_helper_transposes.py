"""Reverse mode over gradients that call the runtime's adjoint helpers (matmul, dot, max, cumsum, sort, take,
trace): each helper's transpose in the table is the operation it is the adjoint of, so jacrev(grad(f)) and
jacrev(jacrev(f)) agree with central differences of the gradient and with forward over reverse."""
import numpy as np
import pytest

from s2sgrad import grad, hessian, jacrev

from .differences import central

W = np.array([[1.0, 0.5, -0.2], [0.3, -1.0, 0.4]])


def through_matmul(x):
    return np.sum(np.tanh(W @ x) ** 2)


def through_dot(x):
    return np.dot(np.sin(x), np.dot(W.T, np.cos(W @ x)))


def through_extremum(x):
    return np.prod(x) + np.max(x * x)


def through_cumsum(x):
    return np.sum(np.cumsum(x * x) ** 2)


def through_sort(x):
    return np.sum(np.sort(x ** 3) * np.array([1.0, 2.0, 3.0]))


def through_take(x):
    return np.sum(np.take(x * x, [0, 2, 2]) ** 2)


def through_trace(x):
    m = np.outer(x, x * x)
    return np.trace(m) * np.sum(np.diagonal(m) ** 2)


@pytest.mark.parametrize("f", [through_matmul, through_dot, through_extremum, through_cumsum, through_sort,
                               through_take, through_trace])
def test_reverse_over_reverse_through_adjoint_helpers(f):
    x = np.array([0.3, -0.5, 0.8])
    expected = central(grad(f), x)
    assert np.allclose(jacrev(grad(f))(x), expected, rtol=1e-6, atol=1e-7)
    assert np.allclose(jacrev(jacrev(f))(x), hessian(f)(x), rtol=1e-10, atol=1e-12)
