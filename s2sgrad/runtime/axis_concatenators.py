"""Adjoints and tangents of np.r_[...] and np.c_[...] (index-expression concatenation).

`np.r_[a, 0:3, b]` joins its items after turning scalars into arrays, slices
into ranges and applying an optional leading directive string ('0,2,1'). Rather
than re-implement those rules, the helpers run the concatenator itself on each
item's element numbers: the result says where every element of every item
landed, which is all a linear map that only moves elements needs.
"""
from __future__ import annotations

import numpy as np

__all__ = ["axis_concatenator_adjoint", "axis_concatenator_tangent"]


def _is_constant_item(item) -> bool:
    """A directive string or a slice (a range): no derivative flows into it."""
    return isinstance(item, (str, slice))


def _placement(concatenator, items):
    """(where each element landed: the concatenator applied to element numbers, each item's first number)."""
    numbered, offsets, offset = [], [], 0
    for item in items:
        if isinstance(item, str):
            numbered.append(item)
            offsets.append(None)
        elif isinstance(item, slice):          # a range's elements get -1: they belong to no item
            numbered.append(np.full(np.shape(np.r_[item]), -1))
            offsets.append(None)
        else:
            size = int(np.size(item))
            numbers = offset + np.arange(size).reshape(np.shape(item))
            numbered.append(int(numbers) if np.ndim(item) == 0 else numbers)
            offsets.append(offset)
            offset += size
    return concatenator[tuple(numbered)], offsets


def axis_concatenator_adjoint(g, concatenator, items):
    """One adjoint per item of `concatenator[items]` (None for strings and slices)."""
    where, offsets = _placement(concatenator, items)
    where, g = np.ravel(where), np.ravel(g)
    adjoints = []
    for item, offset in zip(items, offsets):
        if offset is None:
            adjoints.append(None)
            continue
        size = int(np.size(item))
        mine = (where >= offset) & (where < offset + size)
        flat = np.zeros(size, dtype=np.result_type(g, np.asarray(item).dtype, np.float32))
        np.add.at(flat, where[mine] - offset, g[mine])      # add.at: an element used twice gets both adjoints
        adjoints.append(flat.reshape(np.shape(item)) if np.ndim(item) else flat[0])
    return tuple(adjoints)


def axis_concatenator_tangent(concatenator, items, items_dot):
    """The tangent of `concatenator[items]`: the same concatenation of the tangents (zeros for ranges)."""
    parts = []
    for item, dot in zip(items, items_dot):
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, slice):
            parts.append(np.zeros(np.shape(np.r_[item])))
        else:
            parts.append(np.broadcast_to(dot, np.shape(item)) if np.ndim(item) else dot)
    return concatenator[tuple(parts)]
