"""Derivatives of running extrema: np.maximum.accumulate and np.minimum.accumulate.

Each output y_k = max(x_0, ..., x_k) along the axis is one of the inputs: the
element where the running extremum was last attained, j(k) = the largest
j <= k with x_j == y_k. Its derivative is that element's: the tangent takes
x_dot at j(k), and the adjoint adds dy_k back at j(k) (several outputs can
share one j). Where elements tie, the latest one gets the derivative, in
both modes, so jvp and vjp agree. The two helpers are each other's
transposes, so the table can differentiate them again.
"""
from __future__ import annotations

import numpy as np

from .indexing import add_at
from .namespace import is_foreign_array, numpy_values_like
from .shapes import take_along_axis_adjoint


def running_extremum_positions(x, y, axis=0):
    """j(k) along `axis`: where the running extremum y_k was last attained in x."""
    ndim = np.ndim(x)
    axis = axis % ndim if ndim else 0
    shape = [1] * ndim
    shape[axis] = np.shape(x)[axis]
    counting = numpy_values_like(x, np.reshape(np.arange(shape[axis]), shape))
    return np.maximum.accumulate(np.where(x == y, counting, 0), axis=axis)      # in x's own array library


def running_extremum_tangent(x_dot, x, y, axis=0):
    """The tangent of y = np.maximum.accumulate(x, axis) (or minimum): x_dot at each output's position."""
    if np.ndim(x) == 0:
        return x_dot
    positions = running_extremum_positions(x, y, axis)
    return np.take_along_axis(np.broadcast_to(x_dot, np.shape(x)), positions, axis=axis)


def running_extremum_adjoint(g, x, y, axis=0):
    """The adjoint of y = np.maximum.accumulate(x, axis) (or minimum): each g_k added at its position."""
    if np.ndim(x) == 0:
        return g
    if is_foreign_array(x):         # no ufunc.at there (CuPy): positions compared along the axis instead
        return take_along_axis_adjoint(np.broadcast_to(g, np.shape(x)), x, running_extremum_positions(x, y, axis),
                                       axis)
    positions = np.moveaxis(running_extremum_positions(x, y, axis), axis, -1)
    g = np.moveaxis(np.broadcast_to(g, np.shape(x)), axis, -1)
    # g's precision (float32 stays float32), a float for integer g; in g's own array library
    out = np.zeros_like(g, dtype=np.result_type(g.dtype, np.float32))
    leading = np.indices(np.shape(positions)[:-1] + (1,), sparse=True)[:-1]      # every row along the others
    out = add_at(out, (*leading, positions), g)
    return np.moveaxis(out, -1, axis)


__all__ = ["running_extremum_adjoint", "running_extremum_positions", "running_extremum_tangent"]
