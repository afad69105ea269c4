"""The adjoint of np.gradient: the transpose of its difference stencil, axis by axis.

np.gradient is linear in the sampled values: along each axis it applies one
banded matrix (central differences inside, one-sided ones of `edge_order` at
the ends, weighted by the spacing). Rather than re-derive NumPy's weights for
uneven spacing, the matrix is read off np.gradient itself, applied to the
identity; its transpose carries the adjoint back. It is n x n for an axis of
length n.
"""
from __future__ import annotations

import numpy as np

from .namespace import array_of, dtype_of, numpy_values_like

__all__ = ["gradient_adjoint"]


def gradient_adjoint(g, f, varargs=(), axis=None, edge_order=1):
    """The adjoint of np.gradient(f, *varargs, axis=axis, edge_order=edge_order) for its result's adjoint g."""
    ndim = np.ndim(f)
    axes = tuple(range(ndim)) if axis is None else tuple(a % ndim for a in np.atleast_1d(axis))
    if len(varargs) == 0:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1:
        spacings = list(varargs) * len(axes)
    else:
        spacings = list(varargs)
    parts = [g] if len(axes) == 1 else list(g)
    total = np.zeros_like(f, dtype=np.result_type(f, *[dtype_of(p) for p in parts], np.float32))   # f's library
    for ax, spacing, part in zip(axes, spacings, parts):
        if part is None:
            continue
        n = np.shape(f)[ax]
        stencil = np.gradient(numpy_values_like(total, np.eye(n, dtype=total.dtype)), spacing, axis=0,
                              edge_order=edge_order)
        moved = np.tensordot(stencil.T, np.moveaxis(array_of(part), ax, 0), axes=1)
        total = total + np.moveaxis(moved, 0, ax)
    return total
