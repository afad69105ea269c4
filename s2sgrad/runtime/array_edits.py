"""Adjoints of functions that insert or remove elements: np.insert, np.delete, np.ediff1d.

Which element of the result came from where is read from the function itself, called on index arrays (no
copy of NumPy's rules for `obj` as a number, a slice, a list or a mask, nor for how `values` broadcast): the
adjoint then moves `g` by those positions with the same functions (np.delete, np.insert, np.take), so an
array of another library stays in it.
"""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype
from .namespace import numpy_values_like
from .shapes import diff_adjoint


def _line_length(shape, axis) -> int:
    return int(np.prod(shape)) if axis is None else shape[axis]


def _removed(shape, obj, axis):
    """The positions along `axis` (of the flattened array for axis None) that np.delete(..., obj) removes."""
    n = _line_length(shape, axis)
    return np.setdiff1d(np.arange(n), np.delete(np.arange(n), obj))


def delete_adjoint(g, arr, obj, axis=None):
    """Adjoint of np.delete(arr, obj, axis): g with zeros put back where elements were removed."""
    shape = np.shape(arr)
    removed = _removed(shape, obj, axis)
    # np.insert puts each zero before the kept element that followed the removed one
    before = removed - np.arange(len(removed))
    if axis is None:
        return np.reshape(np.insert(np.ravel(g), before, 0, axis=0), shape)
    return np.insert(g, before, 0, axis=axis)


def _sources(arr, obj, values, axis):
    """np.insert on index arrays: for each result element, its index into arr (flattened) or, offset by
    arr's size, into values (flattened, before broadcasting)."""
    size = int(np.prod(np.shape(arr)))
    arr_index = np.reshape(np.arange(size), np.shape(arr))
    values_index = np.reshape(np.arange(size, size + int(np.prod(np.shape(values)))), np.shape(values))
    return np.insert(arr_index, obj, values_index, axis=axis), size


def _inserted(sources, size, axis):
    """The positions along `axis` (of the flattened result for axis None) that hold inserted values."""
    if axis is None:
        return np.flatnonzero(sources >= size)
    others = tuple(i for i in range(np.ndim(sources)) if i != axis % np.ndim(sources))
    return np.flatnonzero(np.any(sources >= size, axis=others))


def insert_adjoint(g, arr, obj, values, axis=None, part="arr"):
    """Adjoint of np.insert(arr, obj, values, axis) with respect to arr, or to values (part='values': the
    adjoints of the places each value was broadcast to, summed)."""
    sources, size = _sources(arr, obj, values, axis)
    inserted = _inserted(sources, size, axis)
    if part == "arr":
        if axis is None:
            return np.reshape(np.delete(np.ravel(g), inserted, axis=0), np.shape(arr))
        return np.delete(g, inserted, axis=axis)
    flat, taken = (np.ravel(g), np.ravel(sources)) if axis is None else (g, sources)
    block = np.ravel(np.take(flat, numpy_values_like(flat, inserted), axis=0 if axis is None else axis))
    origins = np.ravel(np.take(taken, inserted, axis=0 if axis is None else axis)) - size
    count = int(np.prod(np.shape(values)))
    # which value each inserted element is a copy of, as a 0/1 matrix: the sum over copies is a product
    copies = numpy_values_like(g, origins[:, None] == np.arange(count)[None, :], adjoint_dtype(g))
    return np.reshape(block @ copies, np.shape(values))


def insert_adjoint_transpose(d, arr, obj, values, axis=None, part="arr"):
    """The transpose of insert_adjoint in its adjoint: d (shaped like arr, or like values) put where
    np.insert puts it, zeros elsewhere."""
    if part == "arr":        # the zeros in d's library (CuPy refuses NumPy's beside its own)
        return np.insert(d, obj, np.zeros_like(d, shape=np.shape(values), dtype=adjoint_dtype(d)), axis=axis)
    return np.insert(np.zeros_like(d, shape=np.shape(arr), dtype=adjoint_dtype(d)), obj, d, axis=axis)


def ediff1d_adjoint(g, ary, to_end=None, to_begin=None, part="ary"):
    """Adjoint of np.ediff1d(ary, to_end, to_begin) = [to_begin, diff(ravel(ary)), to_end] with respect to
    ary, to_end or to_begin (part)."""
    first = 0 if to_begin is None else int(np.prod(np.shape(to_begin)))
    last = 0 if to_end is None else int(np.prod(np.shape(to_end)))
    length = np.shape(g)[0]
    if part == "to_begin":
        return np.reshape(g[:first], np.shape(to_begin))
    if part == "to_end":
        return np.reshape(g[length - last:], np.shape(to_end))
    return np.reshape(diff_adjoint(g[first:length - last]), np.shape(ary))


__all__ = ["delete_adjoint", "ediff1d_adjoint", "insert_adjoint", "insert_adjoint_transpose"]
