"""Functions calling helpers that return arrays, for tests/jit/test_jit_calls.py (their source must stand in a file)."""
import numpy as np


def squash(x, a):
    y = np.tanh(x) * a
    return y


def squash_twice(x, a):
    return squash(squash(x, a), a) + x       # a helper calling a helper, both returning arrays


def one_call(x, a):
    z = squash(x, a)
    return np.sum(z * z)


def calls_in_a_loop(x, a, n):
    z = x
    for _ in range(n):
        z = squash(z, a) + 0.5 * z
    return np.sum(z * z)


def nested_calls(x, a):
    return np.sum(squash_twice(x, a) ** 2)


def total(x):
    return np.sum(x * x)                     # a helper returning a number, given an array


def array_then_number(x, w):
    return total(squash(x, w)) + total(w)


def rows(m, v):
    return m @ v                             # a matrix-vector product (numba's @ needs SciPy's BLAS)


def matrix_helper(m, v):
    return np.sum(np.sin(rows(m, v)))


def keyword_call(x, a):
    return np.sum(squash(x, a=a))


def row_sums(x, w):
    s = np.sum(np.sin(x) * w, axis=1)        # a sum over one axis: its adjoint is unreduce(ds, t, 1)
    return np.sum(s * s)


def last_axis_sums(x):
    s = np.sum(x * x, axis=-1)               # numba's np.sum has no keepdims: that form falls back
    return np.sum(np.tanh(s))


def product(x):
    return np.prod(np.sin(x)) + np.sum(x)    # np.prod's adjoint: product_of_others


def row_means(x):
    m = np.mean(x, axis=1, keepdims=True)    # numba's np.mean takes no axis: reduce_axis
    s = x.sum(axis=-1, keepdims=True)        # nor its np.sum keepdims
    return np.sum(np.tanh(m) * s) + np.sum(x.mean(axis=0) ** 2)


def scaled(x, a=2.0, b=0.5):
    return np.tanh(x) * a + b


def defaults_and_keywords(x, c):
    # a parameter left to its default, a number passed by keyword, an array passed by keyword
    return np.sum(scaled(x)) + np.sum(scaled(x, b=c)) + np.sum(scaled(x * c, b=x))


def offset(x, shift=None):
    return x + (0.5 if shift is None else shift)


def default_none_call(x):
    return np.sum(offset(x) ** 2)            # a default that is not a number: the call is not compiled
