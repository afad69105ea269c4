"""Adjoints of NumPy functions that build or rearrange arrays: linspace, logspace, geomspace, arange,
meshgrid, append, column_stack, dstack,
select, rollaxis, cross; of the weighted average, covariance and correlation; and what a cast to a dtype
(np.array(x, dtype=int)) lets through.

Each takes the result's adjoint `g` and returns one operand's adjoint, shaped
like that operand (a list of adjoints for a list operand, split back by the
caller as for np.concatenate).
"""
from __future__ import annotations

import math

import numpy as np

from .arrays import adjoint_dtype, unbroadcast, zeros_like
from .namespace import array_of, numpy_values_like


def _linspace_fractions(num, endpoint, dtype):
    return np.linspace(0.0, 1.0, num, endpoint=endpoint).astype(dtype, copy=False)


def linspace_adjoint(g, start, stop, num=50, endpoint=True, retstep=False, axis=0, end="start"):
    """Adjoint of `start` (end="start") or `stop` in np.linspace: y = start (1 - t) + stop t, t its fractions;
    with retstep, the step (stop - start) / div adds its own adjoint."""
    samples, step = (g[0], g[1]) if retstep else (g, None)
    dtype = np.result_type(start, stop, 1.0)
    samples = array_of(samples)
    t = numpy_values_like(samples, _linspace_fractions(num, endpoint, dtype))     # the samples' library
    weights = t if end == "stop" else 1 - t
    total = np.sum(np.moveaxis(samples, axis, -1) * weights, axis=-1)
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
    if stop is None or (dtype is not None and not np.issubdtype(dtype, np.inexact)):
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
    t = numpy_values_like(y, t)
    weights = t if end == "stop" else 1 - t
    total = np.sum(g * y * _log(base) * weights, axis=axis % np.ndim(y))
    return unbroadcast(total, start if end == "start" else stop)


def logspace_tangent(start_dot, stop_dot, y, start, stop, num=50, endpoint=True, base=10.0, axis=0):
    t, start_dot, stop_dot = _spacing(start_dot, stop_dot, num, endpoint, axis, np.result_type(start, stop, 1.0))
    t = numpy_values_like(y, t)
    return y * _log(base) * (start_dot * (1 - t) + stop_dot * t)


def _log(base):
    """log(base) that keeps float32 samples float32 (a Python float is weakly typed, np.log's is not)."""
    return math.log(base) if np.ndim(base) == 0 else np.log(base)


def geomspace_adjoint(g, y, start, stop, num=50, endpoint=True, axis=0, end="start"):
    """Adjoint of `start` or `stop` in np.geomspace: y = start (stop / start) ** t, so
    dy/dstart = y (1 - t) / start and dy/dstop = y t / stop."""
    t, start_, stop_ = _spacing(start, stop, num, endpoint, axis, np.result_type(start, stop, 1.0))
    t = numpy_values_like(y, t)
    slope = y * t / stop_ if end == "stop" else y * (1 - t) / start_
    total = np.sum(g * slope, axis=axis % np.ndim(y))
    return unbroadcast(total, start if end == "start" else stop)


def geomspace_tangent(start_dot, stop_dot, y, start, stop, num=50, endpoint=True, axis=0):
    t, start_, stop_ = _spacing(start, stop, num, endpoint, axis, np.result_type(start, stop, 1.0))
    _, start_dot, stop_dot = _spacing(start_dot, stop_dot, num, endpoint, axis, np.result_type(start, stop, 1.0))
    t = numpy_values_like(y, t)
    return y * ((1 - t) * start_dot / start_ + t * stop_dot / stop_)


def _average_parts(a, weights, axis):
    """a and its weights as arrays of one shape (a 1-D weights vector lies along `axis`, as np.average
    reads it), the axes averaged over (a tuple), and the weights' sum over them, kept as axes of length 1."""
    a = array_of(a)
    axes = tuple(range(a.ndim)) if axis is None else tuple(np.atleast_1d(axis) % max(a.ndim, 1))
    if weights is None:
        w = np.ones_like(a, dtype=np.result_type(a, 1.0))
    else:
        w = array_of(weights)
        if w.shape != a.shape:
            shape = [1] * a.ndim
            shape[axes[0]] = -1
            w = np.broadcast_to(np.reshape(w, shape), a.shape)
    return a, w, axes, np.sum(w, axis=axes, keepdims=True)


def _kept(g, axes, keepdims):
    """g with the averaged axes back as axes of length 1 (as keepdims=True leaves them)."""
    if keepdims or type(g) in (int, float, complex):     # a Python number (the seed) broadcasts as it is
        return g
    return np.expand_dims(g, axes)


def average_adjoint(g, a, axis=None, weights=None, keepdims=False, part="a"):
    """Adjoint of `a` (part="a") or of `weights` (part="weights") in np.average(a, axis, weights): the average
    is sum(a w) / sum(w), so da = g w / sum(w) and dw = g (a - average) / sum(w), each summed back to the
    operand's shape (a 1-D weights vector over the other axes)."""
    a, w, axes, total = _average_parts(a, weights, axis)
    g = _kept(g, axes, keepdims) / total
    if part == "a":
        return g * w
    average = np.sum(a * w, axis=axes, keepdims=True) / total
    dw = g * (a - average)
    if np.shape(weights) == a.shape:
        return dw
    return np.sum(dw, axis=tuple(i for i in range(a.ndim) if i != axes[0]))


def average_tangent(a_dot, weights_dot, a, axis=None, weights=None, keepdims=False):
    """Tangent of np.average(a, axis, weights) along a_dot and weights_dot (either may be None)."""
    a, w, axes, total = _average_parts(a, weights, axis)
    terms = 0.0
    if a_dot is not None:
        terms = terms + a_dot * w
    if weights_dot is not None:
        _, w_dot, _, _ = _average_parts(a, weights_dot, axis)
        average = np.sum(a * w, axis=axes, keepdims=True) / total
        terms = terms + (a - average) * w_dot
    tangent = np.sum(np.broadcast_to(terms, a.shape), axis=axes, keepdims=True) / total
    return tangent if keepdims else np.squeeze(tangent, axis=axes)


def _variables_of(value, rowvar):
    """One operand of np.cov as rows of variables, and (its shape, whether its rows were its columns, how
    many rows it gave), to give an adjoint back to it."""
    rows = array_of(value)
    rows = np.reshape(rows, (1,) * (2 - rows.ndim) + np.shape(rows)) if rows.ndim < 2 else rows
    flipped = not rowvar and np.shape(rows)[0] != 1
    rows = rows.T if flipped else rows
    return rows, (np.shape(value), flipped, np.shape(rows)[0])


def _cov_rows(m, y, rowvar):
    """The variables of np.cov(m, y, rowvar) as the rows of one 2-D array, and what _variables_of says of
    each of m and y."""
    given = [_variables_of(value, rowvar) for value in (m, y) if value is not None]
    parts = [rows for rows, _ in given]
    pieces = [piece for _, piece in given]
    return (np.concatenate(parts, axis=0) if len(parts) > 1 else parts[0]), pieces


def _cov_back(dX, pieces, index):
    """The part of dX (shaped as _cov_rows' array) that belongs to m (index 0) or y (index 1)."""
    start = sum(count for _, _, count in pieces[:index])
    shape, flipped, count = pieces[index]
    piece = dX[start:start + count]
    return np.reshape(piece.T if flipped else piece, shape)


def _centered(X, bias, ddof):
    """X's rows minus their means, and the divisor N - ddof of np.cov."""
    ddof = (0 if bias else 1) if ddof is None else ddof
    return X - np.mean(X, axis=1, keepdims=True), np.shape(X)[1] - ddof


def cov_adjoint(g, m, y=None, rowvar=True, bias=False, ddof=None, part="m"):
    """Adjoint of m (part="m") or y in np.cov(m, y, rowvar, bias, ddof): C = Xc Xc^T / (N - ddof) for the
    centered rows Xc, so dX = (G + G^T) Xc / (N - ddof), whose rows already sum to 0 (centering keeps it)."""
    X, pieces = _cov_rows(m, y, rowvar)
    Xc, count = _centered(X, bias, ddof)
    n = np.shape(X)[0]
    G = np.reshape(g, (n, n))
    return _cov_back((G + G.T) @ Xc / count, pieces, 0 if part == "m" else 1)


def cov_tangent(m_dot, y_dot, m, y=None, rowvar=True, bias=False, ddof=None):
    """Tangent of np.cov along m_dot and y_dot (None: no tangent): (Xc_dot Xc^T + Xc Xc_dot^T) / (N - ddof)."""
    X, _ = _cov_rows(m, y, rowvar)
    m_dot = zeros_like(m) if m_dot is None else m_dot
    y_dot = None if y is None else (zeros_like(y) if y_dot is None else y_dot)
    X_dot, _ = _cov_rows(m_dot, y_dot, rowvar)
    Xc, count = _centered(X, bias, ddof)
    Xc_dot = X_dot - np.mean(X_dot, axis=1, keepdims=True)
    return np.squeeze((Xc_dot @ Xc.T + Xc @ Xc_dot.T) / count)


def _correlations(x, y, rowvar):
    """np.cov's matrix (at least 2-D), its standard deviations and the correlations they give."""
    C = np.atleast_2d(np.cov(x, y, rowvar))
    s = np.sqrt(np.diagonal(C))
    return C, s, C / np.outer(s, s)


def corrcoef_adjoint(g, x, y=None, rowvar=True, part="x"):
    """Adjoint of x (part="x") or y in np.corrcoef: R = C / (s s^T) with s = sqrt(diag C), so
    dC = G / (s s^T) minus, on the diagonal, (row and column sums of G * R) / (2 s^2); then np.cov's."""
    C, s, R = _correlations(x, y, rowvar)
    G = np.reshape(g, np.shape(C))
    H = G * R
    dC = G / np.outer(s, s) - np.diag((np.sum(H, axis=1) + np.sum(H, axis=0)) / (2 * s * s))
    return cov_adjoint(dC, x, y, rowvar, part="m" if part == "x" else "y")


def corrcoef_tangent(x_dot, y_dot, x, y=None, rowvar=True):
    """Tangent of np.corrcoef: C_dot / (s s^T) - R (r_i + r_j) with r = diag(C_dot) / (2 s^2)."""
    C, s, R = _correlations(x, y, rowvar)
    C_dot = np.reshape(cov_tangent(x_dot, y_dot, x, y, rowvar), np.shape(C))
    r = np.diagonal(C_dot) / (2 * s * s)
    return np.squeeze(C_dot / np.outer(s, s) - R * (r[:, None] + r[None, :]))


def through_cast(t, dtype):
    """A tangent or adjoint `t` through a cast to `dtype` (np.array(x, dtype=int), x.astype(bool)): t
    itself in that dtype when it is a floating or complex type (None: t as it is), float zeros shaped like
    t when it is an integer or bool type: the cast is piecewise constant, so no derivative gets through."""
    if dtype is None:
        return t
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.inexact):
        return zeros_like(t)
    if np.iscomplexobj(t) and not np.issubdtype(dtype, np.complexfloating):
        t = np.real(t)                  # a complex value cast to a real dtype keeps its real part
    return t.astype(dtype, copy=False) if hasattr(t, "astype") else t


__all__ = [
    "average_adjoint", "average_tangent", "corrcoef_adjoint", "corrcoef_tangent", "cov_adjoint", "cov_tangent",
    "through_cast", "arange_adjoint", "arange_tangent", "geomspace_adjoint", "geomspace_tangent", "logspace_adjoint",
    "logspace_tangent", "meshgrid_adjoint",
    "append_adjoint", "column_stack_adjoint", "cross_adjoint_a", "cross_adjoint_b", "dstack_adjoint",
    "linspace_adjoint", "partition_adjoint", "partition_tangent", "rollaxis_adjoint", "select_adjoint_choices", "select_adjoint_default",
]
