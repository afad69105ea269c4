"""Tangents of the primitives whose forward rule takes more than one expression.

The forward slot of a rule (rules/registry.py) gives the tangent of a result
from the tangents of the inputs. For reductions whose adjoint helper already
knows the partial derivative of each output element with respect to each
input element, the tangent is that partial times the input's tangent, summed
over the reduced axes: forward and reverse then agree by construction. The
matrix functions use their textbook differentials.
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, matrix_transpose
from .linalg import _phi
from .namespace import is_foreign_array
from .reductions import _axes, extremum_adjoint, norm_adjoint, product_of_others, var_adjoint


def broadcast_like(t, y):
    """A tangent contribution stretched to the result's shape, as broadcasting stretched its input."""
    shape = np.shape(y)
    return t if np.shape(t) == shape else np.broadcast_to(t, shape)


def own_tangent(t):
    """A tangent the code may write into: a fresh, writeable copy (a list for a list or tuple).

    Forward mode gives a value changed in place (`y[i] = v`) a tangent of its own, so the write does
    not reach the tangent it was computed from (`y = x * 1.0` has x's tangent) or a read-only broadcast.
    """
    if isinstance(t, (list, tuple)):
        return list(t)
    if isinstance(t, dict):
        return dict(t)
    if is_foreign_array(t):
        return t.astype(adjoint_dtype(t), copy=True)     # a copy in t's own library
    return np.array(t, dtype=adjoint_dtype(t), copy=True)


def _sum_reduced(partials, x_dot, axis, keepdims):
    return np.sum(partials * x_dot, axis=axis, keepdims=keepdims)


def prod_tangent(x_dot, x, axis=None, keepdims=False):
    """Tangent of np.prod(x, axis): each element's tangent times the product of the others (zeros are fine)."""
    if not np.shape(x):
        return x_dot
    return _sum_reduced(product_of_others(x, axis), x_dot, axis, keepdims)


def extremum_tangent(x_dot, x, y, axis=None, keepdims=False):
    """Tangent of max/min: the mean of the tangents of the elements equal to the extremum."""
    return _sum_reduced(extremum_adjoint(np.ones_like(y), x, y, axis, keepdims), x_dot, axis, keepdims)


def var_tangent(x_dot, x, axis=None, ddof=0, keepdims=False):
    """Tangent of np.var(x, axis, ddof): sum 2 (x - mean) x_dot / (N - ddof) over the reduced axes."""
    return _sum_reduced(var_adjoint(1.0, x, axis, ddof, keepdims=True), x_dot, axis, keepdims)


def norm_tangent(x_dot, x, y, ord=None, axis=None, keepdims=False):
    """Tangent of np.linalg.norm: the norm's slope at x times x_dot, summed over the axes it reduces."""
    slope = norm_adjoint(np.ones_like(y), x, y, ord, axis, keepdims)
    axes = None if axis is None else _axes(axis, np.ndim(x))
    return _sum_reduced(slope, x_dot, axes, keepdims)


def cumprod_tangent(x_dot, x, y, axis=None):
    """Tangent of y = np.cumprod(x, axis) by its recursion y_k = y_(k-1) x_k (no division: zeros are fine)."""
    if axis is None:
        return np.reshape(cumprod_tangent(np.ravel(x_dot), np.ravel(x), np.ravel(y), 0), np.shape(y))
    x_dot, x, y = (np.moveaxis(np.asarray(v) if not hasattr(v, "shape") else v, axis, 0) for v in (x_dot, x, y))
    rows = [x_dot[0]]
    for k in range(1, np.shape(x)[0]):
        rows.append(rows[-1] * x[k] + y[k - 1] * x_dot[k])
    return np.moveaxis(np.stack(rows), 0, axis)


def sort_tangent(x_dot, x, axis=-1):
    """Tangent of np.sort(x, axis): the tangents travel with their elements."""
    if axis is None:
        return np.ravel(x_dot)[np.argsort(x, axis=None)]
    return np.take_along_axis(np.broadcast_to(x_dot, np.shape(x)), np.argsort(x, axis=axis), axis=axis)


def slogdet_tangent(a_dot, a, y):
    """Tangent of (sign, log|det a|): the sign is piecewise constant; d log|det| = trace(a^-1 a_dot)."""
    sign, _ = y
    return (np.zeros_like(sign, dtype=adjoint_dtype(a)),
            np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1))


def solve_tangent_a(a_dot, a, b, y):
    """Tangent through `a` of y = np.linalg.solve(a, b): -solve(a, a_dot y)."""
    if np.ndim(b) == 1:
        return -np.linalg.solve(a, (a_dot @ np.expand_dims(y, -1)))[..., 0]
    return -np.linalg.solve(a, a_dot @ y)


def solve_tangent_b(b_dot, a, b):
    """Tangent through `b` of y = np.linalg.solve(a, b): solve(a, b_dot)."""
    if np.ndim(b) == 1:
        return np.linalg.solve(a, np.expand_dims(b_dot, -1))[..., 0]
    return np.linalg.solve(a, b_dot)


def _symmetric_from_triangle(t, upper):
    """The symmetric matrix whose `upper` (or lower) triangle is t's: what eigh and cholesky read."""
    if upper:
        return np.triu(t) + matrix_transpose(np.triu(t, 1))
    return np.tril(t) + matrix_transpose(np.tril(t, -1))


def cholesky_tangent(a_dot, y, upper=False):
    """Tangent of the Cholesky factor: L Phi(L^-1 S L^-T), S the symmetric tangent cholesky reads."""
    lower = matrix_transpose(y) if upper else y
    s = _symmetric_from_triangle(a_dot, upper)
    inverse = np.linalg.inv(lower)
    l_dot = lower @ _phi(inverse @ s @ matrix_transpose(inverse))
    return matrix_transpose(l_dot) if upper else l_dot


def eigh_tangent(a_dot, y, UPLO="L"):
    """Tangent of (w, v) = np.linalg.eigh(a): w_dot = diag(v^T S v), v_dot = v (F * (v^T S v))."""
    w, v = y
    s = _symmetric_from_triangle(a_dot, UPLO in ("U", "u"))
    inner = matrix_transpose(v) @ s @ v
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)          # gaps[i, j] = w[j] - w[i]
    safe = np.where(gaps == 0, 1, gaps)
    return np.diagonal(inner, axis1=-2, axis2=-1), v @ np.where(gaps == 0, 0, inner / safe)


def eigvalsh_tangent(a_dot, a, UPLO="L"):
    """Tangent of w = np.linalg.eigvalsh(a)."""
    return eigh_tangent(a_dot, np.linalg.eigh(a, UPLO=UPLO), UPLO)[0]


def pinv_tangent(a_dot, a, y):
    """Tangent of y = pinv(a) for `a` of constant rank (Golub and Pereyra)."""
    at_dot, yt = matrix_transpose(a_dot), matrix_transpose(y)
    first = -y @ a_dot @ y
    second = y @ yt @ at_dot - y @ yt @ at_dot @ a @ y           # y y^T a_dot^T (I - a y)
    third = at_dot @ yt @ y - y @ a @ at_dot @ yt @ y            # (I - y a) a_dot^T y^T y
    return first + second + third


__all__ = [
    "broadcast_like", "own_tangent", "cholesky_tangent", "cumprod_tangent", "eigh_tangent", "eigvalsh_tangent",
    "extremum_tangent", "norm_tangent", "pinv_tangent", "prod_tangent", "slogdet_tangent", "solve_tangent_a",
    "solve_tangent_b", "sort_tangent", "var_tangent",
]
