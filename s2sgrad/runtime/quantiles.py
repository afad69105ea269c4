"""Adjoints and tangents of np.quantile, np.percentile, np.median and their nan- variants.

With NumPy's default method="linear", each output is a blend of at most two
order statistics of its group: at position p = q (n - 1) in the sorted
values, (1 - t) * sorted[floor(p)] + t * sorted[floor(p) + 1], t = p - floor(p).
The weights depend on x only through the order, so the derivative is those
weights put back on the elements argsort picked (ties: argsort's choice,
a valid subgradient). The nan- variants sort NaNs last and count only the
others, so a NaN gets weight 0 (and a group of NaNs alone gets none at all).
"""
from __future__ import annotations

import numpy as np

from ..errors import S2SGradError
from .arrays import adjoint_dtype
from .namespace import numpy_values_like


def _check(method, overwrite_input):
    if method != "linear":
        raise S2SGradError(f"a quantile (np.quantile, np.percentile or a nan- variant) with method={method!r} has "
                           "no derivative rule in s2sgrad: only the default method='linear' (interpolation "
                           "between the two nearest order statistics) has one. Call it without method=")
    if overwrite_input:
        raise S2SGradError("a median or quantile with overwrite_input=True reorders its input in place, so its "
                           "derivative could not find the elements it used. Call it without overwrite_input=")


def _groups(x, axis):
    """x with its kept axes first and its reduced axes merged into one last axis, and how to undo that."""
    ndim = np.ndim(x)
    axes = tuple(range(ndim)) if axis is None else tuple(
        sorted(a % ndim for a in ((axis,) if np.ndim(axis) == 0 else axis)))
    kept = [i for i in range(ndim) if i not in axes]
    order = kept + list(axes)
    moved = np.transpose(x, order)
    kept_shape = tuple(np.shape(x)[i] for i in kept)
    return np.reshape(moved, kept_shape + (-1,)), kept_shape, np.shape(moved), order, axes


def _weights(x, q, axis, nan):
    """Each element's weight in each output, shaped q's shape + kept axes + (group length,), and the grouping."""
    rows, kept_shape, moved_shape, order, axes = _groups(x, axis)
    ranks = np.argsort(np.argsort(rows, axis=-1), axis=-1)      # each element's place in its sorted group
    length = np.shape(rows)[-1]
    count = (np.sum(np.logical_not(np.isnan(rows)), axis=-1) if nan
             else numpy_values_like(x, np.full(kept_shape, length)))
    q = numpy_values_like(x, q, np.dtype(np.float64))    # a number, a list or an array: of x's library
    q = np.reshape(q, np.shape(q) + (1,) * len(kept_shape))
    position = q * (count - 1)
    low = np.clip(np.floor(position), 0, np.maximum(count - 1, 0))
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    share = (position - low) * (count > 0)               # a group of NaNs alone gives no weight
    keep = 1.0 * (count > 0) - share
    dtype = adjoint_dtype(x)
    weights = (np.expand_dims(keep, -1) * (ranks == np.expand_dims(low, -1))
               + np.expand_dims(share, -1) * (ranks == np.expand_dims(high, -1)))
    return weights.astype(dtype, copy=False), kept_shape, moved_shape, order, axes


def quantile_adjoint(g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False, nan=False):
    """Adjoint of np.quantile(x, q, axis, keepdims=keepdims) (np.nanquantile when nan): g * each weight,
    summed over q's entries, at the element it weighs."""
    _check(method, overwrite_input)
    weights, kept_shape, moved_shape, order, _ = _weights(x, q, axis, nan)
    g = np.reshape(g, np.shape(weights)[:-1]) if np.ndim(g) else g       # keepdims' length-1 axes dropped
    q_axes = tuple(range(np.ndim(weights) - 1 - len(kept_shape)))
    g = np.expand_dims(g, -1) if np.ndim(g) else g                      # (a 0-d g broadcasts as it is)
    rows = np.sum(g * weights, axis=q_axes) if q_axes else g * weights
    rows = np.broadcast_to(rows, kept_shape + (np.shape(weights)[-1],))
    adjoint = np.transpose(np.reshape(rows, moved_shape), tuple(np.argsort(order).tolist()))
    return adjoint.astype(np.result_type(g, adjoint_dtype(x)), copy=False)


def quantile_tangent(x_dot, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False, nan=False):
    """Tangent of np.quantile(x, q, axis, keepdims=keepdims): the same weights applied to x's tangent."""
    _check(method, overwrite_input)
    weights, kept_shape, moved_shape, order, axes = _weights(x, q, axis, nan)
    x_dot = np.broadcast_to(x_dot, np.shape(x))
    if nan:
        x_dot = np.where(np.isnan(x), 0, x_dot)          # a NaN's tangent is never used, whatever it holds
    rows, _, _, _, _ = _groups(x_dot, axis)
    tangent = np.sum(weights * rows, axis=-1)
    if keepdims:                                            # the reduced axes back, as length-1 axes
        q_shape = np.shape(tangent)[:np.ndim(tangent) - len(kept_shape)]
        tangent = np.reshape(tangent, q_shape + tuple(1 if i in axes else n for i, n in enumerate(np.shape(x))))
    return tangent


__all__ = ["quantile_adjoint", "quantile_tangent"]
