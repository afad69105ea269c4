"""Derivatives of elementwise functions that need more than one expression."""
from __future__ import annotations

import math

import numpy as np


def sinc_derivative(x):
    """d/dx sin(pi x) / (pi x) = (cos(pi x) - sinc(x)) / x, which is 0 at x = 0."""
    zero = x == 0
    safe = np.where(zero, 1, x)              # keeps the division finite where the limit is used
    return np.where(zero, 0, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)


def inside_clip(x, low=None, high=None):
    """Where np.clip(x, low, high) passes x through (a missing bound never clips)."""
    inside = True
    if low is not None:
        inside = inside & (x >= low)
    if high is not None:
        inside = inside & (x <= high)
    return inside


def keep_where(mask, g):
    """g where mask holds and 0 elsewhere: the adjoint of a selection (np.maximum, np.clip, ...).

    Not g * mask: an infinite g where the mask is False (sqrt's adjoint at 0
    after np.maximum(v, 0)) must give 0 there, not inf * 0 = nan. A finite
    NumPy g takes the multiplication (the fast path: np.where is slower); a
    Python number stays one, another library's array stays in its library.
    """
    if isinstance(mask, (bool, np.bool_)):      # numbers compared, or a bound np.clip was not given
        if mask:
            return g
        if isinstance(g, (int, float, complex)):
            return type(g)(0)
        return g.dtype.type(0) if isinstance(g, np.generic) else np.zeros_like(g)
    if isinstance(g, np.ndarray) and isinstance(mask, (np.ndarray, bool, np.bool_)):
        if np.isfinite(np.add.reduce(g, axis=None)):      # a finite sum: no inf or nan in g
            return g * mask
    return np.where(mask, g, 0)


def log_base(a):
    """log(a) for the exponent's derivative of a ** b, taken as 0 where a == 0 (not 0 * log(0) = nan).

    A Python number stays a Python float (np.log would make it a float64
    scalar, which turns a float32 exponent's adjoint into float64).
    """
    if isinstance(a, (int, float)):
        return math.log(a) if a > 0 else 0.0
    return np.log(np.where(a == 0, 1, a))


__all__ = ["inside_clip", "keep_where", "log_base", "sinc_derivative"]
