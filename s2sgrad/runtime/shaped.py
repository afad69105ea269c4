"""Helpers for code specialized on its arrays' shapes (analysis/shapes.py), where the work `unbroadcast`
and `unreduce` do on every call to find shapes was done once, when the code was generated."""
from __future__ import annotations

import numpy as np

from ..errors import TransformError
from .namespace import as_number_like


def reduce_to(g, x, axes: tuple, kept: tuple = ()):
    """`unbroadcast(g, x)` with its axes known: sum `g` over the leading `axes` broadcasting added, then
    over the `kept` axes where x has length 1 (kept as length 1)."""
    if axes:
        g = g.sum(axis=axes)
    if kept:
        g = g.sum(axis=kept, keepdims=True)
    if isinstance(x, (int, float)):
        return as_number_like(g, x)
    if getattr(g, "shape", ()) != getattr(x, "shape", ()):
        # the code was generated for shapes that did not hold here: a wrong sum would be a wrong gradient
        raise TransformError(
            f"s2sgrad's code specialized on shapes reduced an adjoint to shape {getattr(g, 'shape', ())} for a "
            f"value of shape {getattr(x, 'shape', ())}. This is a bug in s2sgrad; please report it with the "
            "function's source.")
    return g


def spread(g, x):
    """`unreduce(g, x)` for a whole-array reduction of a NumPy array x of a floating dtype: the number g
    as a read-only array shaped like x whose elements all share one memory cell (no copy is made, as
    np.broadcast_to, at half its cost)."""
    cell = np.asarray(g, x.dtype)
    spread_out = np.ndarray(x.shape, x.dtype, cell, 0, (0,) * x.ndim)
    spread_out.flags.writeable = False
    return spread_out


__all__ = ["reduce_to", "spread"]
