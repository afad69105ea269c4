"""Casts and scatters in functions written as users write them, against central differences.

A cast to an integer or bool dtype (`np.asarray(x, dtype=int)`, `x.astype(bool)`, `np.full(n, v, dtype=int)`)
is piecewise constant: no derivative gets through it. np.array's rule passed the adjoint through, and the
forward rules cast the tangent itself (x_dot.astype(int) truncated it), so gradients, jvps and Hessians of
these functions were silently wrong. np.array(x, ndmin=2) gave a gradient of the wrong shape. Second
derivatives through np.repeat with several counts, np.take_along_axis, np.r_ and np.partition went through
the np.add.at of their adjoints' helpers, and came out as zeros.
"""
import numpy as np
import pytest

import s2sgrad

X = np.array([1.3, 2.7, 0.4])
TANGENT = np.array([1.5, 2.0, -3.0])      # beyond [-1, 1]: a tangent cast to int is not zero


def asarray_int(x):
    return np.sum(x * np.asarray(x, dtype=int))


def array_int64(x):
    return np.sum(x * np.array(x, dtype=np.int64))


def astype_int(x):
    k = x.astype(int)
    return np.sum(x * k)


def astype_bool(x):
    return np.sum(x * x.astype(bool))


def astype_dtype_name(x):
    return np.sum(x * x.astype("int32"))


def full_int(x):
    return np.sum(x * np.full(3, x[1], dtype=int)) + np.sum(np.full(2, x[0]) ** 2)


def full_like_bool(x):
    return np.sum(x * np.full_like(x, x[1], dtype=bool)) + np.sum(np.full_like(x, x[0]) ** 2)


def array_list_int(x):
    return np.sum(np.array([x[0], x[1] * 2], dtype=int) * x[:2]) + np.sum(np.array([x[0], x[2]]) ** 2)


def array_ndmin(x):
    return np.sum(np.array(x, ndmin=2) ** 2) + np.sum(np.asarray(x, float) ** 3) + np.sum(np.copy(x) * x)


CASTS = [asarray_int, array_int64, astype_int, astype_bool, astype_dtype_name, full_int, full_like_bool,
         array_list_int, array_ndmin]


def numeric_gradient(f, x, h=1e-6):
    """Central differences of f (a number or an array) at x, shaped f's result + x's shape."""
    e = np.eye(x.size).reshape((x.size,) + x.shape)
    columns = np.array([(np.asarray(f(x + h * d)) - np.asarray(f(x - h * d))) / (2 * h) for d in e])
    return np.moveaxis(columns, 0, -1).reshape(columns.shape[1:] + x.shape)


@pytest.mark.parametrize("f", CASTS, ids=lambda f: f.__name__)
def test_casts_in_every_mode(f):
    expected = numeric_gradient(f, X)
    g = s2sgrad.grad(f)(X)
    assert np.shape(g) == X.shape
    np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-8)
    value, tangent = s2sgrad.jvp(f, (X,), (TANGENT,))
    assert value == pytest.approx(f(X))
    assert tangent == pytest.approx(expected @ TANGENT, rel=1e-6)
    hessian = s2sgrad.hessian(f)(X)
    np.testing.assert_allclose(hessian, numeric_gradient(s2sgrad.grad(f), X), rtol=1e-5, atol=1e-6)


A = np.random.default_rng(0).normal(size=(3, 4))
SECOND_ORDER = {
    "repeat_counts": lambda x: np.repeat(x, [1, 2, 0], axis=0),
    "repeat_flat": lambda x: np.repeat(x.ravel(), np.arange(12) % 3),
    "take_along_axis": lambda x: np.take_along_axis(x, np.array([[0, 0], [1, 3], [2, 2]]), axis=1),
    "r_": lambda x: np.r_[x.ravel(), x[0]],
    "c_": lambda x: np.c_[x, x[:, :1]],
    "partition": lambda x: np.partition(x, 1, axis=1),
    "partition_flat": lambda x: np.partition(x, 3, axis=None),
    "convolve": lambda x: np.convolve(x[0], x[1]),
    "matrix_power": lambda x: np.linalg.matrix_power(x[:, :3], 3),
}


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivatives_through_scatters(name):
    op = SECOND_ORDER[name]

    def f(x):
        return np.sum(op(x) ** 2)

    hessian = s2sgrad.hessian(f)(A)
    expected = numeric_gradient(s2sgrad.grad(f), A)
    np.testing.assert_allclose(hessian, expected, rtol=1e-5, atol=1e-6)
