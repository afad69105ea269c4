"""Shape bookkeeping for adjoints of array code."""
from __future__ import annotations

import numpy as np


def zeros_like(x):
    """A zero adjoint shaped like `x`: 0.0 for a number, a float array for an array, and for a
    tuple or list a list of zero adjoints (a list, so the reverse sweep can scatter into it)."""
    if isinstance(x, (int, float)):
        return 0.0
    if isinstance(x, (tuple, list)):
        return [zeros_like(e) for e in x]
    if isinstance(x, dict):
        return {k: zeros_like(v) for k, v in x.items()}
    if np.issubdtype(np.result_type(x), np.inexact):
        return np.zeros_like(x)
    return np.zeros_like(x, dtype=float)


def unbroadcast(g, x):
    """Sum the adjoint `g` over the axes NumPy broadcasting added to `x`, giving `x`'s shape."""
    shape = np.shape(x)
    if np.shape(g) == shape:
        return g
    extra = np.ndim(g) - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(g)[i] != 1)
    if stretched:
        g = np.sum(g, axis=stretched, keepdims=True)
    if isinstance(x, (int, float)):
        return g.item() if hasattr(g, "item") else g
    return g


def matmul_adjoint_left(g, a, b):
    """Adjoint of `a` in `y = a @ b`, for every operand rank `@` accepts."""
    if np.ndim(b) == 1:
        if np.ndim(a) == 1:
            return g * b
        return unbroadcast(np.expand_dims(g, -1) * b, a)
    if np.ndim(a) == 1:
        return unbroadcast(np.swapaxes(b, -1, -2) @ np.expand_dims(g, -1), np.expand_dims(a, -1))[..., 0] \
            if np.ndim(b) > 2 else b @ g
    return unbroadcast(g @ np.swapaxes(b, -1, -2), a)


def matmul_adjoint_right(g, a, b):
    """Adjoint of `b` in `y = a @ b`, for every operand rank `@` accepts."""
    if np.ndim(a) == 1:
        if np.ndim(b) == 1:
            return g * a
        return unbroadcast(np.expand_dims(a, -1) * np.expand_dims(g, -2), b)
    if np.ndim(b) == 1:
        return unbroadcast(np.swapaxes(a, -1, -2) @ np.expand_dims(g, -1), np.expand_dims(b, -1))[..., 0] \
            if np.ndim(a) > 2 else g @ a
    return unbroadcast(np.swapaxes(a, -1, -2) @ g, b)
