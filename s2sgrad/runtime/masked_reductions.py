"""Adjoints and tangents of reductions called with `where=` (a mask of the elements taken) or `initial=`
(a value reduced with them): np.sum(x, where=m), np.mean(x, where=m), np.prod(x, initial=c),
np.max(x, initial=v, where=m).

Each takes the result's adjoint `g` (shaped like the reduction's result) and returns x's adjoint, or an
element's tangent and returns the result's. Elements the mask leaves out get no adjoint; an extremum's
adjoint goes to the elements equal to it, `initial` among them, shared equally among ties (as
reductions.extremum_adjoint shares it when there is no `initial`).
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, unreduce
from .namespace import as_inexact
from .reductions import product_of_others, restore_axes


def masked_unreduce(g, x, axis=None, keepdims=False, where=True):
    """Adjoint of np.sum(x, axis, where=where): g copied back along the summed axes, 0 where the mask is off."""
    return np.where(where, unreduce(g, x, axis, keepdims), 0)


def masked_mean_adjoint(g, x, axis=None, keepdims=False, where=True):
    """Adjoint of np.mean(x, axis, where=where): g over the number of elements each mean took."""
    counts = np.sum(np.broadcast_to(where, np.shape(x)), axis=axis, keepdims=True, dtype=adjoint_dtype(x))
    return np.where(where, unreduce(g, x, axis, keepdims) / counts, 0)


def masked_prod_adjoint(g, x, axis=None, keepdims=False, initial=1, where=True):
    """Adjoint of np.prod(x, axis, initial=initial, where=where): g times initial and the other taken factors."""
    taken = np.where(where, x, 1)
    others = product_of_others(taken, axis) * initial
    return np.where(where, unreduce(g, x, axis, keepdims) * others, 0)


def masked_prod_tangent(x_dot, x, axis=None, keepdims=False, initial=1, where=True):
    """Tangent of np.prod(x, axis, initial=initial, where=where): each taken tangent times the other factors."""
    taken = np.where(where, x, 1)
    others = product_of_others(taken, axis) * initial
    return np.sum(np.where(where, others * x_dot, 0), axis=axis, keepdims=keepdims)


def _extremum_shares(x, y, axis, keepdims, initial, where):
    """(each element's share of the extremum's adjoint, initial's share): ties among the taken elements and
    initial split it equally."""
    kept = restore_axes(y, axis, keepdims)
    dtype = adjoint_dtype(x)
    hits = as_inexact((x == kept) & where, dtype)
    start = as_inexact(kept == initial, dtype)
    count = np.sum(hits, axis=axis, keepdims=True) + start
    return hits / count, start / count


def masked_extremum_adjoint(g, x, y, axis=None, keepdims=False, initial=None, where=True, part="a"):
    """Adjoint of np.max/np.min(x, axis, initial=initial, where=where) with respect to x, or to initial
    (part='initial': a number, the sum over every result it was the extremum of)."""
    to_x, to_initial = _extremum_shares(x, y, axis, keepdims, initial, where)
    g = restore_axes(g, axis, keepdims)
    if part == "initial":
        return np.sum(g * to_initial)
    return g * to_x


def masked_extremum_tangent(t, x, y, axis=None, keepdims=False, initial=None, where=True, part="a"):
    """Tangent of np.max/np.min(x, axis, initial=initial, where=where) for x's tangent t, or for initial's
    (part='initial')."""
    to_x, to_initial = _extremum_shares(x, y, axis, keepdims, initial, where)
    if part == "initial":
        return np.reshape(t * to_initial, np.shape(y))
    return np.sum(to_x * t, axis=axis, keepdims=keepdims)


def _taken_counts(x, axis, where):
    return np.sum(np.broadcast_to(where, np.shape(x)), axis=axis, keepdims=True, dtype=adjoint_dtype(x))


def masked_var_adjoint(g, x, axis=None, ddof=0, keepdims=False, where=True):
    """Adjoint of np.var(x, axis, ddof=ddof, where=where): g 2 (x - mean) / (N - ddof) on the taken elements,
    the mean and N over the taken elements of each group."""
    counts = _taken_counts(x, axis, where)
    mean = np.sum(np.where(where, x, 0), axis=axis, keepdims=True) / counts
    return np.where(where, restore_axes(g, axis, keepdims) * (2 / (counts - ddof)) * (x - mean), 0)


def masked_var_tangent(x_dot, x, axis=None, ddof=0, keepdims=False, where=True):
    """Tangent of np.var(x, axis, ddof=ddof, where=where)."""
    return np.sum(masked_var_adjoint(1.0, x, axis, ddof, True, where) * x_dot, axis=axis, keepdims=keepdims)


def masked_std_adjoint(g, x, y, axis=None, ddof=0, keepdims=False, where=True):
    """Adjoint of np.std(x, axis, ddof=ddof, where=where): the variance's adjoint over 2 y; a group of one
    taken element (ddof 0) deviates by 0 whatever it is, so its derivative is 0 there."""
    single = (_taken_counts(x, axis, where) == 1) & (ddof == 0)
    kept = restore_axes(y, axis, keepdims)
    share = np.where(single, 0, restore_axes(g, axis, keepdims) / (2 * np.where(single, 1, kept)))
    return masked_var_adjoint(share, x, axis, ddof, True, where)


def masked_std_tangent(x_dot, x, y, axis=None, ddof=0, keepdims=False, where=True):
    """Tangent of np.std(x, axis, ddof=ddof, where=where)."""
    kept = restore_axes(y, axis, keepdims)
    partials = masked_std_adjoint(np.ones_like(kept), x, kept, axis, ddof, True, where)
    return np.sum(partials * x_dot, axis=axis, keepdims=keepdims)


__all__ = ["masked_extremum_adjoint", "masked_extremum_tangent", "masked_mean_adjoint", "masked_prod_adjoint",
           "masked_prod_tangent", "masked_std_adjoint", "masked_std_tangent", "masked_unreduce", "masked_var_adjoint",
           "masked_var_tangent"]
