"""The adjoint of `x[mask]` for a Dask `x` and a boolean Dask `mask` of x's shape, kept lazy.

Dask reads `x[mask]` block by block: it ravels x and the mask, cuts them into
common chunks and keeps the selected elements of each chunk, so the result has
one chunk per block whose length is known only once computed. The adjoint `g`
has those same chunks. Writing it back block by block (each block of zeros
gets its chunk of `g` at its mask's positions) needs no lengths, so nothing is
computed; `dx[mask] = g` would need them.

Nothing here imports Dask unless the arrays are Dask's.
"""
from __future__ import annotations

import importlib
import numpy as np


def is_lazy_mask_read(dx, index, g) -> bool:
    """Whether `dx[index] += g` is the adjoint of a Dask boolean-mask read of a whole array (x[x > 0])."""
    if isinstance(index, tuple):
        if len(index) != 1:
            return False
        index = index[0]
    return (type(dx).__module__.startswith("dask.") and type(index).__module__.startswith("dask.")
            and getattr(index, "dtype", None) == np.bool_ and getattr(index, "shape", None) == dx.shape
            and type(g).__module__.startswith("dask.") and getattr(g, "ndim", None) == 1)


def add_masked(dx, index, g):
    """Add to dx, in place as add_at does, zeros of dx's shape with g at the mask's positions, built block by
    block as Dask read them; returns dx, or None when g's chunks are not one per block of that read."""
    mask = index[0] if isinstance(index, tuple) else index
    da = importlib.import_module("dask.array")
    flat, flat_mask = dx.ravel(), mask.ravel()
    # the common chunks Dask's read gave x and the mask (its elementwise getitem aligns them the same way)
    _, (flat, flat_mask) = da.core.unify_chunks(flat, "i", flat_mask, "i")
    if len(flat_mask.chunks[0]) != len(g.chunks[0]):
        return None
    placed = da.map_blocks(_place, flat_mask, g, chunks=flat_mask.chunks, dtype=np.result_type(dx.dtype, g.dtype))
    dx[...] = dx + placed.reshape(dx.shape)       # Dask's write of a whole array: the graph is replaced
    return dx


def _place(mask_block, g_block):
    """One block of the adjoint: zeros, and the block's chunk of g where its mask holds."""
    out = np.zeros(mask_block.shape, dtype=g_block.dtype)
    out[mask_block] = g_block
    return out
