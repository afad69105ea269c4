"""Second derivatives of loops with branches, written as users write them, against central differences.

A gradient's reverse sweep pops a loop's branch flags off its tape between the values it pops. Forward mode
over that code (a Hessian) keeps one tangent per tape entry, 0.0 for a flag, but popped the tangent only
for entries that carry a derivative: from the first flag on, every value got the tangent of another
entry. Hessians of such functions came out silently wrong (zeros for max over a generator) or stopped with
an IndexError inside the generated code.
"""
import numpy as np
import pytest

import s2sgrad


def max_over_generator(x):
    return max(xi ** 2 for xi in x)


def max_over_list(x):
    return max([xi ** 2 for xi in x]) + min([xi * xi * xi for xi in x])


def upper_triangle_products(A):
    n = A.shape[0]
    s = 0.0
    for i in range(n):
        for j in range(i, n):
            s += A[i, j] * A[j, i]
    return s


def clipped_accumulation(x):
    total = 0.0
    for v in x:
        if v > 0.5:
            total = total + v ** 3
        else:
            total = total - 0.5 * v ** 2
    return total


def thresholded_product(x):
    p = 1.0
    for i in range(len(x)):
        if x[i] * p < 2.0:
            p = p * x[i]
        p = p + 0.1 * x[i] ** 2
    return p


def numeric_hessian(f, x, h=1e-5):
    g = s2sgrad.grad(f)
    e = np.eye(x.size).reshape((x.size,) + x.shape)
    columns = np.array([(g(x + h * d) - g(x - h * d)) / (2 * h) for d in e])
    return np.moveaxis(columns, 0, -1).reshape(x.shape + x.shape)


CASES = [
    (max_over_generator, np.array([0.4, -1.3, 0.9])),
    (max_over_list, np.array([0.4, -1.3, 0.9, 0.2])),
    (upper_triangle_products, np.array([[0.3, -1.2, 0.5], [0.7, 1.1, -0.4], [0.2, 0.9, -0.8]])),
    (clipped_accumulation, np.array([0.1, 0.9, -0.7, 1.4])),
    (thresholded_product, np.array([1.2, 0.8, 1.7, 1.1])),
]


@pytest.mark.parametrize("f, x", CASES, ids=[f.__name__ for f, _ in CASES])
def test_hessians_of_loops_with_branches(f, x):
    np.testing.assert_allclose(s2sgrad.hessian(f)(x), numeric_hessian(f, x), rtol=1e-5, atol=1e-6)
    v = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    _, hv = s2sgrad.jvp(s2sgrad.grad(f), (x,), (v,))
    np.testing.assert_allclose(hv, np.tensordot(numeric_hessian(f, x), v, axes=x.ndim), rtol=1e-5, atol=1e-6)
