"""Derivatives of NumPy functions that call the user's functions: np.piecewise and np.apply_along_axis.

Each piece (each slice) is differentiated through the user's own function, which s2sgrad transforms like any
other Python function (call_vjp, call_jvp), at the very values NumPy handed it. The conditions of
np.piecewise and the extra arguments are constants: a derivative reaching them is refused where the call
is made (rules/numpy_rules.py gives them no slot).
"""
from __future__ import annotations

import numpy as np

from ..errors import MissingArrayFunctionError
from .arrays import adjoint_dtype
from .calls import call_jvp, call_vjp
from .namespace import is_foreign_array


def _numpy_only(function: str, *values) -> None:
    """These helpers index with masks and write slices in place, which would compute a lazy array (Dask)."""
    for value in values:
        if is_foreign_array(value):
            raise MissingArrayFunctionError(
                f"the derivative of {function} runs the function piece by piece on NumPy arrays, and an array of "
                f"type {type(value).__module__}.{type(value).__qualname__} would be computed for it: convert it "
                f"to NumPy first, or write the pieces with np.where", function)


def _pieces(x, condlist, funclist):
    """[(mask, function)] as np.piecewise applies them, in order (a later piece overwrites an earlier one),
    the `otherwise` function last where funclist has one more entry than condlist."""
    x = np.asarray(x)
    if np.isscalar(condlist) or (not isinstance(condlist[0], (list, np.ndarray)) and x.ndim != 0):
        condlist = [condlist]
    masks = [np.asarray(c, dtype=bool) for c in condlist]
    if len(funclist) == len(masks) + 1:
        masks.append(~np.any(masks, axis=0))
    elif len(funclist) != len(masks):
        raise ValueError(f"np.piecewise: {len(masks)} conditions and {len(funclist)} functions")
    return [(np.broadcast_to(m, x.shape), f) for m, f in zip(masks, funclist)]


def _final(pieces, k):
    """Where piece k's values survive: its mask less every later piece's."""
    kept = pieces[k][0]
    for mask, _ in pieces[k + 1:]:
        kept = kept & ~mask
    return kept


def piecewise_adjoint(g, x, condlist, funclist, args=(), kw=None):
    """Adjoint of np.piecewise(x, condlist, funclist, *args, **kw) with respect to x."""
    _numpy_only("numpy.piecewise", g, x)
    x = np.asarray(x)
    g = np.broadcast_to(g, x.shape)
    out = np.zeros(x.shape, dtype=adjoint_dtype(x))
    pieces = _pieces(x, condlist, funclist)
    for k, (mask, function) in enumerate(pieces):
        if not callable(function) or not np.any(mask):
            continue                        # a constant piece, or none of x: no derivative
        taken = np.where(_final(pieces, k), g, 0)[mask]
        out[mask] += np.asarray(call_vjp(function, taken, x[mask], *args, active=(0,), **(kw or {}))[0])
    return out


def piecewise_tangent(x_dot, x, condlist, funclist, args=(), kw=None):
    """Tangent of np.piecewise(x, condlist, funclist, *args, **kw) for x's tangent."""
    _numpy_only("numpy.piecewise", x_dot, x)
    x = np.asarray(x)
    x_dot = np.broadcast_to(x_dot, x.shape)
    out = np.zeros(x.shape, dtype=adjoint_dtype(x))
    for mask, function in _pieces(x, condlist, funclist):
        if not np.any(mask):
            continue
        if callable(function):
            tangents = (x_dot[mask], *([None] * len(args)))
            out[mask] = call_jvp(function, (x[mask], *args), tangents, **(kw or {}))[1]
        else:
            out[mask] = 0.0
    return out


def _moved(axis, arr):
    """arr with `axis` last, as np.apply_along_axis iterates it, and that axis's index."""
    axis = axis % np.ndim(arr)
    return np.moveaxis(arr, axis, -1), axis


def _result_order(axis, ndim_outer, result_ndim):
    """The permutation np.apply_along_axis applies to its buffer (outer indices, then the result's axes)."""
    return [*range(axis), *range(ndim_outer, ndim_outer + result_ndim), *range(axis, ndim_outer)]


def apply_along_axis_adjoint(g, func1d, axis, arr, y, args=(), kwargs=None):
    """Adjoint of y = np.apply_along_axis(func1d, axis, arr, *args, **kwargs) with respect to arr: each
    slice's adjoint through func1d at that slice."""
    _numpy_only("numpy.apply_along_axis", g, arr)
    moved, axis = _moved(axis, np.asarray(arr))
    outer = moved.shape[:-1]
    result_ndim = np.ndim(y) - len(outer)
    buffer_adjoint = np.transpose(g, np.argsort(_result_order(axis, len(outer), result_ndim)))
    out = np.zeros(moved.shape, dtype=adjoint_dtype(moved))
    for index in np.ndindex(*outer):
        part = call_vjp(func1d, buffer_adjoint[index], moved[index], *args, active=(0,), **(kwargs or {}))[0]
        out[index] = np.asarray(part)
    return np.moveaxis(out, -1, axis)


def apply_along_axis_tangent(arr_dot, func1d, axis, arr, y, args=(), kwargs=None):
    """Tangent of y = np.apply_along_axis(func1d, axis, arr, *args, **kwargs) for arr's tangent."""
    _numpy_only("numpy.apply_along_axis", arr_dot, arr)
    moved, axis = _moved(axis, np.asarray(arr))
    moved_dot = np.moveaxis(np.broadcast_to(arr_dot, np.shape(arr)), axis, -1)
    outer = moved.shape[:-1]
    result_shape = np.shape(y)[axis:axis + np.ndim(y) - len(outer)]
    buffer = np.zeros((*outer, *result_shape), dtype=adjoint_dtype(y))
    for index in np.ndindex(*outer):
        tangents = (moved_dot[index], *([None] * len(args)))
        buffer[index] = call_jvp(func1d, (moved[index], *args), tangents, **(kwargs or {}))[1]
    return np.transpose(buffer, _result_order(axis, len(outer), len(result_shape)))


__all__ = ["apply_along_axis_adjoint", "apply_along_axis_tangent", "piecewise_adjoint", "piecewise_tangent"]
