"""Adjoints and tangents of NumPy's nan-ignoring reductions (nansum, nanmean, nanprod, nanvar, nanstd) and
of np.std where a group holds a single element.

A NaN element is left out of the reduction, so its adjoint is zero; the other
elements get the adjoint of the same reduction over the non-NaN elements.
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, unreduce
from .reductions import product_of_others, restore_axes, var_adjoint


def _present(a):
    return np.logical_not(np.isnan(a))


def _counts(a, axis):
    return np.sum(_present(a), axis=axis, keepdims=True)


def nansum_adjoint(g, a, axis=None, keepdims=False):
    return unreduce(g, a, axis, keepdims) * _present(a)


def nansum_tangent(a_dot, a, axis=None, keepdims=False):
    return np.sum(np.where(_present(a), a_dot, 0), axis=axis, keepdims=keepdims)


def nanmean_adjoint(g, a, axis=None, keepdims=False):
    return (restore_axes(g, axis, keepdims) / _counts(a, axis) * _present(a)).astype(adjoint_dtype(a), copy=False)


def nanmean_tangent(a_dot, a, axis=None, keepdims=False):
    return nansum_tangent(a_dot, a, axis, keepdims) / np.sum(_present(a), axis=axis, keepdims=keepdims)


def nanprod_adjoint(g, a, axis=None, keepdims=False):
    ones = np.where(_present(a), a, 1)
    return unreduce(g, a, axis, keepdims) * product_of_others(ones, axis) * _present(a)


def nanprod_tangent(a_dot, a, axis=None, keepdims=False):
    ones = np.where(_present(a), a, 1)
    return np.sum(product_of_others(ones, axis) * np.where(_present(a), a_dot, 0), axis=axis, keepdims=keepdims)


def nanvar_adjoint(g, a, axis=None, ddof=0, keepdims=False):
    """g * 2 (a - mean) / (N - ddof) over the non-NaN elements, N their count per group."""
    present = _present(a)
    mean = np.nanmean(a, axis=axis, keepdims=True)
    scale = 2 / (_counts(a, axis) - ddof)
    return np.where(present, restore_axes(g, axis, keepdims) * scale * (a - mean), 0).astype(
        adjoint_dtype(a), copy=False)


def nanvar_tangent(a_dot, a, axis=None, ddof=0, keepdims=False):
    partials = nanvar_adjoint(1.0, a, axis, ddof, keepdims=True)
    return np.sum(partials * np.where(_present(a), a_dot, 0), axis=axis, keepdims=keepdims)


def std_adjoint(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
    """Adjoint of np.std (np.nanstd when nan): the variance's adjoint over 2 y.

    Where a group holds a single element and ddof = 0, the deviation is 0
    whatever the element, so its derivative is 0 (the formula would divide 0 by 0).
    Where a group's elements are all equal (y = 0) the standard deviation has a
    kink, as np.abs at 0: its slope there is taken as 0, as np.linalg.norm's
    (the variance's adjoint multiplies by the deviations, all 0, so dividing by
    1 there instead of by y = 0 gives 0, not 0 * inf = nan).
    """
    count = _counts(a, axis) if nan else np.size(a) // max(np.size(y), 1)
    single = (count == 1) & (ddof == 0)
    y_kept = restore_axes(y, axis, keepdims)
    g_kept = restore_axes(g, axis, keepdims)
    if isinstance(single, (bool, np.bool_)):     # one count for every group: chosen here (CuPy's where takes
        share = np.zeros_like(y_kept) * g_kept if single else g_kept / (2 * np.where(y_kept == 0, 1, y_kept))
    else:                                                                                           # no Python bool)
        safe = np.where(single | (y_kept == 0), 1, y_kept)
        share = np.where(single, 0, g_kept / (2 * safe))
    variance = nanvar_adjoint if nan else var_adjoint
    return variance(share, a, axis, ddof, keepdims=True)


def std_tangent(a_dot, a, y, axis=None, ddof=0, keepdims=False, nan=False):
    partials = std_adjoint(np.ones_like(y), a, y, axis, ddof, keepdims, nan)
    if nan:
        a_dot = np.where(_present(a), a_dot, 0)
    return np.sum(partials * a_dot, axis=axis, keepdims=keepdims)


__all__ = [
    "nanmean_adjoint", "nanmean_tangent", "nanprod_adjoint", "nanprod_tangent", "nansum_adjoint", "nansum_tangent",
    "nanvar_adjoint", "nanvar_tangent", "std_adjoint", "std_tangent",
]
