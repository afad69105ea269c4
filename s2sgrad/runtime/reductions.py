"""Adjoints of reductions (prod, max/min, var/std, cumulative sums and products, norms).

Each takes the result's adjoint `g` (shaped like the reduction's result,
so without the reduced axes unless keepdims) and returns x's adjoint.
"""
from __future__ import annotations

import math

import numpy as np

from .arrays import adjoint_dtype, unbroadcast
from .namespace import as_inexact, element_count, is_foreign_array


def restore_axes(value, axis, keepdims):
    """A reduction's result with its reduced axes put back as length-1 axes (it then broadcasts against x)."""
    if axis is None or keepdims or type(value) in (int, float, complex):
        return value        # a Python number (the seed) broadcasts as it is, and stays of no array library
    return np.expand_dims(value, axis)


def product_of_others(x, axis=None):
    """For each element of `x`, the product of the other elements it was multiplied with in np.prod(x, axis).

    Built from products to the left and to the right of each element, so a
    zero in x gives the right answer where prod(x) / x would divide by zero.
    """
    shape = np.shape(x)
    if not shape:                    # a 0-d value (NumPy accepts axis=0 or -1 for it): nothing else to multiply
        return np.ones_like(x, dtype=adjoint_dtype(x))
    axes = tuple(range(len(shape))) if axis is None else _axes(axis, len(shape))
    front = [i for i in range(len(shape)) if i not in axes]
    moved = np.transpose(x, front + list(axes))               # reduced axes last, then one axis
    rows = np.reshape(moved, tuple(shape[i] for i in front) + (-1,))
    ones = np.ones_like(rows[..., :1])
    before = np.cumprod(np.concatenate([ones, rows[..., :-1]], axis=-1), axis=-1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(rows[..., 1:], -1)], axis=-1), axis=-1), -1)
    others = np.reshape(before * after, np.shape(moved))
    return np.transpose(others, tuple(np.argsort(front + list(axes)).tolist()))     # Dask takes no array


def extremum_adjoint(g, x, y, axis=None, keepdims=False):
    """Adjoint of max/min: g goes to the elements equal to the extremum, shared equally among ties."""
    y = restore_axes(y, axis, keepdims)
    g = restore_axes(g, axis, keepdims)
    hits = as_inexact(x == y, adjoint_dtype(x))
    return hits * (g / np.sum(hits, axis=axis, keepdims=True))


def var_adjoint(g, x, axis=None, ddof=0, keepdims=False):
    """Adjoint of np.var(x, axis, ddof): g * 2 (x - mean) / (N - ddof), N the count per reduced group."""
    mean = np.mean(x, axis=axis, keepdims=True)
    count = element_count(x) // element_count(mean)
    return restore_axes(g, axis, keepdims) * (2 / (count - ddof)) * (x - mean)


def var_adjoint_transpose_g(d, x, axis=None, ddof=0, keepdims=False):
    """The adjoint of g in var_adjoint(g, x, ...), given the adjoint d of its result (shaped like x)."""
    mean = np.mean(x, axis=axis, keepdims=True)
    count = element_count(x) // element_count(mean)
    return np.sum(d * (x - mean), axis=axis, keepdims=keepdims) * (2 / (count - ddof))


def var_adjoint_transpose_x(d, g, x, axis=None, ddof=0, keepdims=False):
    """The adjoint of x in var_adjoint(g, x, ...): subtracting the mean is its own transpose."""
    weighted = restore_axes(g, axis, keepdims) * d
    mean = np.mean(x, axis=axis, keepdims=True)
    count = element_count(x) // element_count(mean)
    centered = weighted - np.mean(weighted, axis=axis, keepdims=True)
    return centered * (2 / (count - ddof))


def reverse_cumsum(g, axis):
    """Sums from each position to the end along `axis`: the adjoint of np.cumsum along it."""
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


def cumsum_adjoint(g, x, axis=None):
    """Adjoint of np.cumsum(x, axis); axis=None flattened x first."""
    if axis is None:
        return np.reshape(reverse_cumsum(np.ravel(g), 0), np.shape(x))
    return reverse_cumsum(g, axis)


def cumprod_adjoint(g, x, y, axis=None):
    """Adjoint of y = np.cumprod(x, axis), by the recursion y_k = y_(k-1) x_k run backwards.

    No division by x, so zeros in x are fine (y_k / x_k would be 0 / 0 there).
    """
    if axis is None:
        return np.reshape(cumprod_adjoint(np.ravel(g), np.ravel(x), np.ravel(y), 0), np.shape(x))
    g = np.moveaxis(g, axis, 0)
    x = np.moveaxis(x, axis, 0)
    y = np.moveaxis(y, axis, 0)
    carried = g[-1]                                  # adjoint of y_k, gathered from every later product
    rows = [None] * np.shape(x)[0]
    for k in range(np.shape(x)[0] - 1, 0, -1):
        rows[k] = carried * y[k - 1]
        carried = g[k - 1] + carried * x[k]
    rows[0] = carried
    return np.moveaxis(np.stack(rows), 0, axis).astype(np.result_type(g, adjoint_dtype(x)), copy=False)


def norm_adjoint(g, x, y, ord=None, axis=None, keepdims=False):
    """Adjoint of np.linalg.norm(x, ord, axis, keepdims) for the vector and matrix norms it computes."""
    ndim = np.ndim(x)
    if axis is None:
        if ord is None or (ord in ("fro", "f") and ndim == 2):
            return g * x / _divisor(y)               # 2-norm of all elements
        axis = tuple(range(ndim))
    axes = _axes(axis, ndim)
    g, y = restore_axes(g, axes, keepdims), restore_axes(y, axes, keepdims)
    if len(axes) == 1:
        return vector_norm_adjoint(g, x, y, ord, axes[0])
    return matrix_norm_adjoint(g, x, y, ord, axes)


def vector_norm_adjoint(g, x, y, ord, axis):
    """Adjoint of the vector p-norm along `axis`; g and y keep that axis with length 1."""
    if ord is None or ord == 2:
        return g * x / _divisor(y)
    if ord == 1:
        return g * np.sign(x)
    if ord in (np.inf, -np.inf):
        return extremum_adjoint(g, np.abs(x), y, axis, keepdims=True) * np.sign(x)
    if ord == 0:                                    # counts nonzero elements: piecewise constant
        return np.zeros_like(x * g)
    return g * np.sign(x) * (np.abs(x) / _divisor(y)) ** (ord - 1)


def _divisor(y):
    """A norm as the divisor of its slope x / y: 1 where it is 0, where x is all zeros, so the slope there is
    0, the subgradient np.abs takes at its kink. The distance of a point to itself (the diagonal of a matrix
    of pairwise distances) then passes no nan (0 / 0) to the points' gradients."""
    if isinstance(y, (int, float)):
        return y if y != 0 else 1.0
    return np.where(y == 0, 1, y)


def matrix_norm_adjoint(g, x, y, ord, axes):
    """Adjoint of a matrix norm over the axis pair `axes` (rows, columns); g and y keep them as length 1."""
    rows, cols = axes
    if ord is None or ord in ("fro", "f"):
        return g * x / _divisor(y)
    if ord in (1, -1):                              # largest / smallest column sum of |x|
        sums = np.sum(np.abs(x), axis=rows, keepdims=True)
        return extremum_adjoint(g, sums, y, cols, keepdims=True) * np.sign(x)
    if ord in (np.inf, -np.inf):                    # largest / smallest row sum of |x|
        sums = np.sum(np.abs(x), axis=cols, keepdims=True)
        return extremum_adjoint(g, sums, y, rows, keepdims=True) * np.sign(x)
    matrices = np.moveaxis(x, (rows, cols), (-2, -1))
    u, s, vt = np.linalg.svd(matrices, full_matrices=False)
    if ord == "nuc":
        slope = u @ vt
    else:                                           # 2 / -2: the largest / smallest singular value
        k = 0 if ord == 2 else -1
        slope = u[..., :, k:k + 1 or None] @ vt[..., k:k + 1 or None, :]
    return g * np.moveaxis(slope, (-2, -1), (rows, cols))


def ptp_adjoint(g, x, axis=None, keepdims=False):
    """Adjoint of np.ptp(x) = max - min: g goes to where the maximum was attained, -g to the minimum's
    elements (shared among ties, as for max and min)."""
    top = np.max(x, axis=axis, keepdims=keepdims)
    bottom = np.min(x, axis=axis, keepdims=keepdims)
    return extremum_adjoint(g, x, top, axis, keepdims) - extremum_adjoint(g, x, bottom, axis, keepdims)


def ptp_tangent(x_dot, x, axis=None, keepdims=False):
    """Tangent of np.ptp: the tangent of the maximum minus the minimum's."""
    ones = np.ones_like(np.ptp(x, axis=axis, keepdims=keepdims), dtype=adjoint_dtype(x))     # x's library
    return np.sum(ptp_adjoint(ones, x, axis, keepdims) * x_dot, axis=axis, keepdims=keepdims)


def sequence_product_adjoint(g, iterable, start=1):
    """Adjoint of math.prod(iterable, start=start) for its elements: each gets g times start times the
    product of the others (prefix and suffix products, so a zero element needs no division).
    An array multiplies its rows, as iterating it does."""
    if isinstance(iterable, dict):          # math.prod of a dict multiplies its keys, which carry nothing
        return {key: 0.0 for key in iterable}
    if isinstance(iterable, np.ndarray) or is_foreign_array(iterable):
        return g * start * product_of_others(iterable, axis=0)
    items = list(iterable)
    others = _products_of_others(items)
    adjoints = [unbroadcast(g * start * others[i], items[i]) for i in range(len(items))]
    return tuple(adjoints) if isinstance(iterable, tuple) else adjoints


def sequence_product_start_adjoint(g, iterable, start=1):
    """Adjoint of math.prod's `start`: g times the product of the elements."""
    return unbroadcast(g * math.prod(iterable), start)


def sequence_product_tangent(iterable_dot, iterable, start=1):
    """Tangent of math.prod(iterable, start=start) from its elements' tangents (product rule)."""
    if isinstance(iterable, np.ndarray) or is_foreign_array(iterable):
        return start * np.sum(product_of_others(iterable, axis=0) * iterable_dot, axis=0)
    others = _products_of_others(list(iterable))
    total = 0.0
    for other, dot in zip(others, iterable_dot):
        total = total + start * other * dot
    return total


def _products_of_others(items):
    """For each item, the product of all the others (prefix times suffix products)."""
    before = [1]        # appended, not written in place: higher orders differentiate this code
    after = [1]
    for item in items[:-1]:
        before.append(before[-1] * item)
    for item in items[:0:-1]:
        after.append(after[-1] * item)
    suffix = after[::-1]
    return [before[i] * suffix[i] for i in range(len(items))]

def _axes(axis, ndim):
    """`axis` (an int or a tuple, negatives allowed) as a tuple of non-negative axes."""
    if isinstance(axis, (tuple, list)):
        return tuple(a % ndim for a in axis)
    return (axis % ndim,)


__all__ = [
    "cumprod_adjoint", "cumsum_adjoint", "extremum_adjoint", "norm_adjoint", "product_of_others", "ptp_adjoint",
    "ptp_tangent",
    "restore_axes", "reverse_cumsum", "sequence_product_adjoint", "sequence_product_start_adjoint",
    "sequence_product_tangent", "var_adjoint", "var_adjoint_transpose_g", "var_adjoint_transpose_x",
]
