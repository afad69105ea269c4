"""Derivatives of scipy.special functions that take more than one expression (logsumexp), and the cast
the table's slopes use to keep an adjoint in its input's dtype.

Slopes that are one expression live in the table (rules/scipy_rules.py), written with SciPy's own
functions, so a second derivative (hessian) goes through those functions' entries. Each slope SciPy
computes in float64 (polygamma, yn with an integer order) is cast to its input's dtype, so a float32
input keeps a float32 adjoint.
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, unbroadcast
from .reductions import restore_axes
from .namespace import numpy_values_like


def like(value, x):
    """`value` in the dtype an adjoint of `x` has: a Python float for a Python number, else x's inexact dtype."""
    if isinstance(x, (int, float)) and np.ndim(value) == 0:
        return float(value)
    return numpy_values_like(x, value, adjoint_dtype(x))       # x's library (a NumPy float64 from np.log(y))


in_adjoint_dtype = like     # the name rule templates use: `dz * in_adjoint_dtype(np.log(y), x)`


def boxcox_slope_at_zero(log_x, lmbda):
    """d/dl (x^l - 1) / l near l = 0 as its Taylor series in l (log_x = log x): log_x^2 / 2 at l = 0, and
    the series' terms give the slope's own derivatives in l there (right to the third derivative)."""
    return log_x ** 2 / 2 + lmbda * (log_x ** 3 / 3 + lmbda * log_x ** 4 / 8)


def _logsumexp_weights(a, y, axis, b, keepdims):
    """exp(a - y) (times b): d logsumexp / da, shaped like a and b broadcast together."""
    kept = restore_axes(y, axis, keepdims)
    weights = np.exp(a - kept)
    return weights if b is None else weights * b


def logsumexp_adjoint_a(g, a, y, axis=None, b=None, keepdims=False):
    """Adjoint of `a` in y = logsumexp(a, axis, b, keepdims): g b exp(a - y), summed back to a's shape."""
    return unbroadcast(restore_axes(g, axis, keepdims) * _logsumexp_weights(a, y, axis, b, keepdims), a)


def logsumexp_adjoint_b(g, a, y, axis=None, b=None, keepdims=False):
    """Adjoint of `b`: g exp(a - y), summed back to b's shape."""
    return unbroadcast(restore_axes(g, axis, keepdims) * _logsumexp_weights(a, y, axis, None, keepdims), b)


def logsumexp_tangent_a(a_dot, a, y, axis=None, b=None, keepdims=False):
    """Tangent through `a`: the sum of b exp(a - y) a_dot over the reduced axes."""
    return np.sum(_logsumexp_weights(a, y, axis, b, keepdims) * a_dot, axis=axis, keepdims=keepdims)


def logsumexp_tangent_b(b_dot, a, y, axis=None, b=None, keepdims=False):
    """Tangent through `b`: the sum of exp(a - y) b_dot over the reduced axes."""
    return np.sum(_logsumexp_weights(a, y, axis, None, keepdims) * b_dot, axis=axis, keepdims=keepdims)


__all__ = [
    "boxcox_slope_at_zero", "in_adjoint_dtype",
    "logsumexp_adjoint_a", "logsumexp_adjoint_b", "logsumexp_tangent_a", "logsumexp_tangent_b",
]
