"""Gradients that stopped at a NumPy call numba refuses (a number's np.ravel / np.reshape / np.clip /
np.var, np.flip with an axis, np.matmul, `@` without SciPy), at an adjoint of a reduction over an axis
or at an axis stretched by broadcasting now compile whole and equal the Python version; the NumPy
cases helpers.py adds equal NumPy's, and decline what numba's own versions compile."""
import numpy as np
import pytest

numba = pytest.importorskip("numba")

from s2sgrad.jit import helpers  # noqa: E402,F401  (registers the NumPy cases)

from .compiled_whole import compiled_equals_python  # noqa: E402

RNG = np.random.default_rng(17)


def numbers_as_arrays(s, A):
    # np.outer with a number (its adjoint ravels the number), np.reshape and np.clip of numbers
    outer = np.sum(np.outer(A, s) ** 2) + np.sum(np.outer(s, A[0]))
    return outer + np.sum(np.reshape(s, (1,)) * A[:, 0]) + np.clip(s, -0.5, 0.5) * np.var(s * 2.0)


def flips_and_products(A, v):
    return np.sum(np.flip(A) * A) + np.sum(np.flip(A, 1) ** 2) + np.sum(np.tanh(np.matmul(A, v))) + np.sum(v @ A.T)


def reductions_over_axes(x):
    ties = np.round(x * 2.0) / 2.0               # max tied along the axis: shared as Python shares it
    value = np.sum(np.max(ties, axis=-1, keepdims=True) * x) + np.sum(np.std(x, axis=0))
    return value + np.sum(np.cumsum(x, axis=1) * x) + np.sum(np.prod(x, axis=1))


def stretched(x, row, column):
    return np.sum(np.tanh(x * row + column) * (x - row))


CASES = [
    (numbers_as_arrays, (0.3, RNG.normal(size=(3, 2)))),
    (flips_and_products, (RNG.normal(size=(3, 4)), RNG.normal(size=4))),
    (reductions_over_axes, (RNG.normal(size=(3, 4)),)),
    (stretched, (RNG.normal(size=(3, 4)), RNG.normal(size=(1, 4)), RNG.normal(size=(3, 1)))),
]


@pytest.mark.parametrize("function, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_gradients_through_them_compile_whole_and_equal_the_python_version(function, args):
    compiled_equals_python(function, *args)


@numba.njit
def _numbers(a, low, high):
    return np.clip(a, low, high), np.ravel(a), np.reshape(a, (1, 1)), np.var(a)


@pytest.mark.parametrize("a, low, high", [(0.7, -0.5, 0.5), (-0.7, -0.5, 0.5), (0.1, -0.5, 0.5),
                                          (np.nan, -0.5, 0.5), (0.1, np.nan, 0.5), (0.1, -0.5, np.nan),
                                          (np.inf, -0.5, 0.5)])
def test_numpy_functions_of_numbers_equal_numpys(a, low, high):
    clipped, raveled, reshaped, variance = _numbers(a, low, high)
    with np.errstate(invalid="ignore"):
        expected = (np.clip(a, low, high), np.ravel(a), np.reshape(a, (1, 1)), np.var(a))
    np.testing.assert_array_equal(clipped, expected[0])
    for got, want in zip((raveled, reshaped, variance), expected[1:]):
        assert np.shape(got) == np.shape(want)
        np.testing.assert_array_equal(got, want)


@numba.njit
def _flips(m):
    return np.flip(m), np.flip(m, None), np.flip(m, 0), np.flip(m, -1)


def test_flip_with_an_axis_and_numbas_own_flip():
    m = RNG.normal(size=(2, 3))
    for got, axis in zip(_flips(m), ["own", None, 0, -1]):
        np.testing.assert_array_equal(got, np.flip(m) if axis == "own" else np.flip(m, axis))


@numba.njit
def _products(a, b, v):
    return helpers.matmul(a, b), helpers.matmul(a, v), helpers.matmul(v[:3], a), helpers.matmul(v, v)


def test_matmul_without_blas_is_numpys_product():
    a, b, v = RNG.normal(size=(3, 4)), RNG.normal(size=(4, 2)), RNG.normal(size=4)
    for got, expected in zip(_products(a, b, v), (a @ b, a @ v, v[:3] @ a, v @ v)):
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-13)
