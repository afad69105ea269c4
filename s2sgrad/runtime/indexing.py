"""Adjoints of indexing: scatter an element's adjoint back into its container's adjoint."""
from __future__ import annotations

import numpy as np


def add_at(dx, index, g):
    """dx[index] += g, correct even when an integer-array index repeats a position.

    Mutates `dx`, which the reverse sweep always allocates itself (zeros_like),
    and returns it.
    """
    if isinstance(dx, (list, dict)):                 # a container's adjoint: entries may be containers too
        from .containers import add_adjoints
        dx[index] = add_adjoints(dx[index], g)
        return dx
    np.add.at(dx, index, g)
    return dx


def last_writes(piece, index, container):
    """The adjoint of the values `container[index] = values` stored: where an integer-array index repeats
    a position, NumPy keeps the last write, so only that value receives the position's adjoint."""
    first = index[0] if isinstance(index, tuple) and len(index) == 1 else index
    if isinstance(first, tuple) or isinstance(first, (slice, type(Ellipsis))) or first is None:
        return piece                     # slices and tuples of indices: each position is written once
    positions = np.asarray(first)
    if positions.dtype.kind not in "iu" or positions.ndim != 1 or positions.size < 2:
        return piece                     # a mask or a single index: no position repeats
    wrapped = np.mod(positions, np.shape(container)[0])
    _, from_end = np.unique(wrapped[::-1], return_index=True)
    kept = np.zeros(positions.size, dtype=bool)
    kept[positions.size - 1 - from_end] = True
    if kept.all():
        return piece
    return piece * np.reshape(kept, (-1,) + (1,) * (np.ndim(piece) - 1))
