"""Adjoints of NumPy functions that build or rearrange arrays: linspace, logspace, geomspace, arange,
meshgrid, append, column_stack, dstack,
select, rollaxis, cross.

Each takes the result's adjoint `g` and returns one operand's adjoint, shaped
like that operand (a list of adjoints for a list operand, split back by the
caller as for np.concatenate).
"""
from __future__ import annotations

import math

import numpy as np

from .arrays import adjoint_dtype, unbroadcast
from .namespace import array_of


def _linspace_fractions(num, endpoint, dtype):
    return np.linspace(0.0, 1.0, num, endpoint=endpoint).astype(dtype, copy=False)


def linspace_adjoint(g, start, stop, num=50, endpoint=True, retstep=False, axis=0, end="start"):
    """Adjoint of `start` (end="start") or `stop` in np.linspace: y = start (1 - t) + stop t, t its fractions;
    with retstep, the step (stop - start) / div adds its own adjoint."""
    samples, step = (g[0], g[1]) if retstep else (g, None)
    dtype = np.result_type(start, stop, 1.0)
    t = _linspace_fractions(num, endpoint, dtype)
    weights = t if end == "stop" else 1 - t
    total = np.sum(np.moveaxis(array_of(samples), axis, -1) * weights, axis=-1)
    if retstep:
        div = (num - 1) if endpoint else num
        if div > 0:
            total = total + (step if end == "stop" else -step) / div
    return unbroadcast(total, start if end == "start" else stop)


def append_adjoint(g, arr, values, axis=None, part="arr"):
    """Adjoint of `arr` or `values` in np.append: the front or back of g (flattened when axis is None)."""
    if axis is None:
        flat = np.ravel(g)
        size = np.size(arr)
        piece = flat[:size] if part == "arr" else flat[size:]
        return np.reshape(piece, np.shape(arr if part == "arr" else values))
    length = np.shape(arr)[axis]
    count = np.shape(g)[axis]
    indices = range(length) if part == "arr" else range(length, count)
    return np.reshape(np.take(g, list(indices), axis=axis), np.shape(arr if part == "arr" else values))


def column_stack_adjoint(g, arrays):
    """Adjoints for np.column_stack: 1-D arrays became columns, 2-D ones keep their columns."""
    widths = [1 if np.ndim(a) < 2 else np.shape(a)[1] for a in arrays]
    pieces = np.split(g, np.cumsum(widths)[:-1], axis=1)
    return [np.reshape(p, np.shape(a)) for p, a in zip(pieces, arrays)]


def dstack_adjoint(g, arrays):
    """Adjoints for np.dstack: each array made at least 3-D ((n,) -> (1, n, 1), (m, n) -> (m, n, 1))."""
    widths = [np.shape(np.atleast_3d(a))[2] for a in arrays]
    pieces = np.split(g, np.cumsum(widths)[:-1], axis=2)
    return [np.reshape(p, np.shape(a)) for p, a in zip(pieces, arrays)]


def _chosen(condlist):
    """For each condition, where it is the first true one (np.select takes the first match)."""
    taken = False
    masks = []
    for condition in condlist:
        masks.append(np.logical_and(condition, np.logical_not(taken)))
        taken = np.logical_or(taken, condition)
    return masks, np.logical_not(taken)


def select_adjoint_choices(g, condlist, choicelist):
    masks, _ = _chosen(condlist)
    return [unbroadcast(np.where(mask, g, 0), choice) for mask, choice in zip(masks, choicelist)]


def select_adjoint_default(g, condlist, default):
    _, rest = _chosen(condlist)
    return unbroadcast(np.where(rest, g, 0), default)


def rollaxis_adjoint(g, a, axis, start=0):
    """np.rollaxis(a, axis, start) is np.moveaxis(a, axis, destination): move the axis back."""
    n = np.ndim(a)
    axis = axis % n
    start = start + n if start < 0 else start
    destination = start if start <= axis else start - 1
    return np.moveaxis(g, destination, axis)


def partition_adjoint(g, a, kth, axis=-1):
    """Adjoint of np.partition: each position's adjoint goes back to the element np.argpartition put there."""
    if axis is None:
        full = np.zeros_like(np.ravel(a), dtype=np.result_type(g, adjoint_dtype(a)))
        full[np.argpartition(a, kth, axis=None)] = np.ravel(g)
        return np.reshape(full, np.shape(a))
    full = np.zeros_like(a, dtype=np.result_type(g, adjoint_dtype(a)))
    np.put_along_axis(full, np.argpartition(a, kth, axis=axis), g, axis=axis)
    return full


def partition_tangent(a_dot, a, kth, axis=-1):
    """The tangents travel with their elements."""
    if axis is None:
        return np.ravel(a_dot)[np.argpartition(a, kth, axis=None)]
    return np.take_along_axis(np.broadcast_to(a_dot, np.shape(a)), np.argpartition(a, kth, axis=axis), axis=axis)


def _vectors(a, axis):
    """a's vectors along `axis`, moved last and padded to 3 components (a 2-vector has z = 0)."""
    moved = np.moveaxis(array_of(a), axis, -1)
    if np.shape(moved)[-1] == 2:
        moved = np.concatenate([moved, np.zeros_like(moved[..., :1])], axis=-1)
    return moved


def _cross_adjoint(g, first, second, own, own_axis, axisc, both_planar):
    """<g, a x b> = <b x g, a> = <g x a, b>: the cross product of the other operand with g (g x other for b)."""
    if both_planar:               # a scalar result per pair: the z component of a 3-vector cross product
        g3 = np.stack([np.zeros_like(g), np.zeros_like(g), g], axis=-1)
    else:
        g3 = np.moveaxis(array_of(g), axisc, -1)
    product = np.cross(first if first is not None else g3, second if second is not None else g3)
    width = np.shape(own)[own_axis]
    product = np.moveaxis(product[..., :width], -1, own_axis)
    return unbroadcast(product.astype(adjoint_dtype(own), copy=False), own)


def cross_adjoint_a(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    planar = np.shape(a)[axisa] == 2 and np.shape(b)[axisb] == 2
    return _cross_adjoint(g, _vectors(b, axisb), None, a, axisa, axisc, planar)


def cross_adjoint_b(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    planar = np.shape(a)[axisa] == 2 and np.shape(b)[axisb] == 2
    return _cross_adjoint(g, None, _vectors(a, axisa), b, axisb, axisc, planar)


def meshgrid_adjoint(g, xi, indexing="xy", sparse=False):
    """Adjoints of np.meshgrid's inputs: each grid repeats its input along the other axes, so the input's
    adjoint sums its grid's adjoint over them (with indexing='xy' the first two inputs run along axes 1, 0)."""
    count = len(xi)
    return tuple(np.reshape(np.sum(grid, axis=_other_axes(np.ndim(grid), _grid_axis(i, count, indexing))),
                            np.shape(x))
                 for i, (grid, x) in enumerate(zip(g, xi)))


def _grid_axis(i, count, indexing):
    if indexing == "xy" and count >= 2 and i < 2:
        return 1 - i
    return i


def _other_axes(ndim, axis):
    return tuple(a for a in range(ndim) if a != axis)


def arange_adjoint(g, start, stop=None, step=None, dtype=None, part="start"):
    """Adjoint of np.arange's `start` or `step`: element i is start + i * step (its length, set by the
    values, is piecewise constant). With one argument that argument is the stop: no derivative flows."""
    if stop is None or (dtype is not None and not np.issubdtype(np.dtype(dtype), np.inexact)):
        return 0.0 * np.sum(g)
    if part == "start":
        return np.sum(g)
    return np.sum(g * _positions(g))


def arange_tangent(start_dot, step_dot, y, stop=None):
    """Tangent of np.arange(start, stop, step) from the tangents of start and step."""
    if stop is None:
        return np.zeros_like(y, dtype=adjoint_dtype(y))
    return start_dot + step_dot * _positions(y)


def _positions(like):
    """0, 1, 2, ... as an array of `like`'s library (a Dask or CuPy adjoint stays one)."""
    return np.cumsum(np.ones_like(like, dtype=adjoint_dtype(like))) - 1


def _spacing(start, stop, num, endpoint, axis, dtype):
    """The fractions t of np.linspace, shaped to broadcast against the result along `axis`, and start
    and stop with the samples' axis inserted (they may be arrays)."""
    ndim = max(np.ndim(start), np.ndim(stop)) + 1
    shape = [1] * ndim
    shape[axis % ndim] = num
    t = np.reshape(_linspace_fractions(num, endpoint, dtype), shape)
    return t, _with_axis(start, axis, ndim), _with_axis(stop, axis, ndim)


def _with_axis(v, axis, ndim):
    return np.expand_dims(v, axis % ndim) if np.ndim(v) else v


def logspace_adjoint(g, y, start, stop, num=50, endpoint=True, base=10.0, axis=0, end="start"):
    """Adjoint of `start` or `stop` in np.logspace: y = base ** (start (1 - t) + stop t)."""
    t, _, _ = _spacing(start, stop, num, endpoint, axis, np.result_type(start, stop, 1.0))
    weights = t if end == "stop" else 1 - t
    total = np.sum(g * y * _log(base) * weights, axis=axis % np.ndim(y))
    return unbroadcast(total, start if end == "start" else stop)


def logspace_tangent(start_dot, stop_dot, y, start, stop, num=50, endpoint=True, base=10.0, axis=0):
    t, start_dot, stop_dot = _spacing(start_dot, stop_dot, num, endpoint, axis, np.result_type(start, stop, 1.0))
    return y * _log(base) * (start_dot * (1 - t) + stop_dot * t)


def _log(base):
    """log(base) that keeps float32 samples float32 (a Python float is weakly typed, np.log's is not)."""
    return math.log(base) if np.ndim(base) == 0 else np.log(base)


def geomspace_adjoint(g, y, start, stop, num=50, endpoint=True, axis=0, end="start"):
    """Adjoint of `start` or `stop` in np.geomspace: y = start (stop / start) ** t, so
    dy/dstart = y (1 - t) / start and dy/dstop = y t / stop."""
    t, start_, stop_ = _spacing(start, stop, num, endpoint, axis, np.result_type(start, stop, 1.0))
    slope = y * t / stop_ if end == "stop" else y * (1 - t) / start_
    total = np.sum(g * slope, axis=axis % np.ndim(y))
    return unbroadcast(total, start if end == "start" else stop)


def geomspace_tangent(start_dot, stop_dot, y, start, stop, num=50, endpoint=True, axis=0):
    t, start_, stop_ = _spacing(start, stop, num, endpoint, axis, np.result_type(start, stop, 1.0))
    _, start_dot, stop_dot = _spacing(start_dot, stop_dot, num, endpoint, axis, np.result_type(start, stop, 1.0))
    return y * ((1 - t) * start_dot / start_ + t * stop_dot / stop_)


__all__ = [
    "arange_adjoint", "arange_tangent", "geomspace_adjoint", "geomspace_tangent", "logspace_adjoint",
    "logspace_tangent", "meshgrid_adjoint",
    "append_adjoint", "column_stack_adjoint", "cross_adjoint_a", "cross_adjoint_b", "dstack_adjoint",
    "linspace_adjoint", "partition_adjoint", "partition_tangent", "rollaxis_adjoint", "select_adjoint_choices", "select_adjoint_default",
]
