"""Derivatives of scipy.special functions that take more than one expression.

SciPy is an optional dependency, so it is imported inside the functions: the
runtime imports without it, and only a gradient that calls a SciPy function
(which needs SciPy anyway) reaches these. Each slope is cast to its input's
dtype, so a float32 input keeps a float32 adjoint even where SciPy computes
in float64 (polygamma, jv).
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, unbroadcast
from .reductions import restore_axes
from .namespace import array_of


def like(value, x):
    """`value` in the dtype an adjoint of `x` has: a Python float for a Python number, else x's inexact dtype."""
    if isinstance(x, (int, float)) and np.ndim(value) == 0:
        return float(value)
    return array_of(value).astype(adjoint_dtype(x), copy=False)


in_adjoint_dtype = like     # the name rule templates use: `dz * in_adjoint_dtype(np.log(y), x)`


def digamma_slope(x):
    """d/dx digamma(x) = polygamma(1, x)."""
    from scipy import special
    return like(special.zeta(2, x), x)       # polygamma(1, x), as a ufunc: other libraries dispatch it


def polygamma_slope(n, x):
    """d/dx polygamma(n, x) = polygamma(n + 1, x)."""
    from scipy import special
    return like(special.polygamma(np.add(n, 1), x), x)


def multigammaln_slope(a, d):
    """d/da log Gamma_d(a) = sum over j < d of digamma(a - j / 2)."""
    from scipy import special
    return like(sum(special.digamma(np.subtract(a, j / 2)) for j in range(int(d))), a)


def i1_slope(x):
    """d/dx I1(x) = (I0(x) + I2(x)) / 2 (no division by x, so x = 0 is fine)."""
    from scipy import special
    return like((special.i0(x) + special.iv(2, x)) / 2, x)


def j1_slope(x):
    """d/dx J1(x) = (J0(x) - J2(x)) / 2."""
    from scipy import special
    return like((special.j0(x) - special.jv(2, x)) / 2, x)


def y1_slope(x):
    """d/dx Y1(x) = (Y0(x) - Y2(x)) / 2."""
    from scipy import special
    return like((special.y0(x) - special.yv(2, x)) / 2, x)


def ive_slope(v, z):
    """d/dz ive(v, z) = (ive(v - 1, z) + ive(v + 1, z)) / 2 - sign(z) ive(v, z)  (ive = iv e^-|z|)."""
    from scipy import special
    return like((special.ive(np.subtract(v, 1), z) + special.ive(np.add(v, 1), z)) / 2
                - np.sign(z) * special.ive(v, z), z)


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
    "digamma_slope", "i1_slope", "in_adjoint_dtype", "ive_slope", "j1_slope",
    "logsumexp_adjoint_a", "logsumexp_adjoint_b", "logsumexp_tangent_a", "logsumexp_tangent_b",
    "multigammaln_slope", "polygamma_slope", "y1_slope",
]
