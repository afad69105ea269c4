"""Statistics written as users write them, against central differences: np.average with weights (it had
no rule, so these stopped), in every mode, with respect to the values and to the weights."""
import numpy as np
import pytest

import s2sgrad


def weighted_variance(x, w):
    mu = np.average(x, weights=w)
    return np.average((x - mu) ** 2, weights=w)


def column_means(X, w):
    return np.sum(np.average(X, axis=0, weights=w) ** 2) + np.sum(np.average(X, 1, keepdims=True) * X)


def numeric_gradient(f, args, i, h=1e-6):
    x = args[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        plus = list(args); plus[i] = x + step
        minus = list(args); minus[i] = x - step
        grad[index] = (f(*plus) - f(*minus)) / (2 * h)
    return grad


CASES = [
    (weighted_variance, (np.array([0.3, -1.2, 0.7, 2.0]), np.array([1.0, 2.0, 0.5, 1.5]))),
    (column_means, (np.array([[0.3, -1.2, 0.7], [2.0, 0.4, -0.5]]), np.array([0.6, 1.4]))),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
@pytest.mark.parametrize("i", [0, 1])
def test_weighted_averages_in_every_mode(f, args, i):
    expected = numeric_gradient(f, args, i)
    np.testing.assert_allclose(s2sgrad.grad(f, wrt=i)(*args), expected, rtol=1e-6, atol=1e-8)
    tangents = tuple(np.linspace(-1.0, 1.0, a.size).reshape(a.shape) if j == i else np.zeros_like(a)
                     for j, a in enumerate(args))
    _, tangent = s2sgrad.jvp(f, args, tangents)
    assert tangent == pytest.approx(np.sum(expected * tangents[i]), rel=1e-6, abs=1e-9)
    hessian = s2sgrad.hessian(f, wrt=i)(*args)
    np.testing.assert_allclose(hessian, _numeric_hessian(f, args, i), rtol=1e-5, atol=1e-6)


def _numeric_hessian(f, args, i, h=1e-5):
    g = s2sgrad.grad(f, wrt=i)
    x = args[i]
    columns = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        plus = list(args); plus[i] = x + step
        minus = list(args); minus[i] = x - step
        columns.append((g(*plus) - g(*minus)) / (2 * h))
    return np.moveaxis(np.array(columns), 0, -1).reshape(x.shape + x.shape)
