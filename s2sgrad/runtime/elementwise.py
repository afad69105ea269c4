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


def log_base(a):
    """log(a) for the exponent's derivative of a ** b, taken as 0 where a == 0 (not 0 * log(0) = nan).

    A Python number stays a Python float (np.log would make it a float64
    scalar, which turns a float32 exponent's adjoint into float64).
    """
    if isinstance(a, (int, float)):
        return math.log(a) if a > 0 else 0.0
    return np.log(np.where(a == 0, 1, a))


__all__ = ["inside_clip", "log_base", "sinc_derivative"]
