"""Forward mode over a gradient follows the reverse sweep's `xs.pop()` statements: of lists built under a
condition (all(...)/any(...) over generators after `and`), and of lists built in a loop, which come back
from the tape. Hessians checked against central differences of the gradient."""
import numpy as np

import s2sgrad

from .differences import central


def guarded_cubes(x):
    if all(v > -5 for v in x) and any(v > 0 for v in x):
        return np.sum(x ** 3)
    return np.sum(x)


def comprehensions_in_a_loop(x):
    total = 0.0
    for k in range(2):
        ys = [v * (k + 1) for v in x if v > 0]
        total = total + sum(y ** 2 * v for y, v in zip(ys, x))
    return total


def list_built_in_a_branch(x, flag):
    if flag:
        parts = []
        for v in x:
            parts.append(v * v * x[0])
        s = sum(parts)
    else:
        s = np.sum(x)
    return s


X = np.array([0.3, -0.2, 1.0])


def test_hessian_of_any_all_guard():
    h = s2sgrad.hessian(guarded_cubes)(X)
    np.testing.assert_allclose(h, np.diag(6 * X), rtol=1e-12)
    np.testing.assert_allclose(s2sgrad.hessian(guarded_cubes)(-X - 1), np.zeros((3, 3)))


def test_hessian_of_comprehensions_inside_a_loop():
    x = np.array([0.3, 0.7, 1.0])
    h = s2sgrad.hessian(comprehensions_in_a_loop)(x)
    np.testing.assert_allclose(h, central(s2sgrad.grad(comprehensions_in_a_loop), x, eps=1e-5), rtol=1e-6, atol=1e-8)


def test_hessian_of_a_list_built_under_a_condition():
    for flag in (True, False):
        h = s2sgrad.hessian(list_built_in_a_branch)(X, flag)
        numeric = central(lambda x: s2sgrad.grad(list_built_in_a_branch)(x, flag), X, eps=1e-5)
        np.testing.assert_allclose(h, numeric, rtol=1e-6, atol=1e-8)
