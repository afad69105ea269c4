"""Adjoints of functions that move, copy or select elements (joining, splitting, tiling, sorting, padding)."""
from __future__ import annotations

import numpy as np

from .arrays import adjoint_dtype, zeros_like
from .indexing import add_at
from .namespace import element_count, is_foreign_array, numpy_values_like


def transpose_adjoint(g, axes=()):
    """Adjoint of x.transpose(*axes): the inverse permutation (x.transpose(), x.transpose(p), x.transpose(*p))."""
    if len(axes) == 1 and axes[0] is not None and np.ndim(axes[0]) == 1:
        axes = axes[0]
    if len(axes) == 0 or axes[0] is None:
        return np.transpose(g)
    return np.transpose(g, tuple(np.argsort(axes).tolist()))     # Python ints: Dask takes no array of axes


def cast_adjoint(g, x, dtype):
    """Adjoint of x.astype(dtype): g back in x's dtype; zero through a cast to an integer or bool type."""
    if not np.issubdtype(dtype, np.inexact):
        return zeros_like(x)
    if hasattr(g, "astype"):
        return g.astype(adjoint_dtype(x), copy=False)
    return g


# ---- joining and splitting ------------------------------------------------------------

def concatenate_adjoint(g, arrays, axis=0):
    """Adjoints of the arrays joined by np.concatenate(arrays, axis): g cut back into their pieces."""
    if axis is None:
        return _split_back(np.ravel(g), arrays, 0, [element_count(a) for a in arrays])
    return _split_back(g, arrays, axis, [np.shape(a)[axis] for a in arrays])


def stack_adjoint(g, arrays, axis=0):
    """Adjoints of the arrays of np.stack(arrays, axis): g's slices along the new axis."""
    return [np.take(g, i, axis=axis) for i in range(len(arrays))]


def hstack_adjoint(g, arrays):
    """Adjoints for np.hstack: it joins 1-D (or 0-d) arrays along axis 0, others along axis 1."""
    if all(np.ndim(a) <= 1 for a in arrays):
        return _split_back(g, arrays, 0, [element_count(a) for a in arrays])
    return _split_back(g, arrays, 1, [np.shape(a)[1] for a in arrays])


def vstack_adjoint(g, arrays):
    """Adjoints for np.vstack: it makes each array at least 2-D (a row) and joins along axis 0."""
    return _split_back(g, arrays, 0, [np.shape(a)[0] if np.ndim(a) >= 2 else 1 for a in arrays])


def _split_back(g, arrays, axis, sizes):
    # slices, not np.split: every array library slices (Dask has no np.split)
    ends = np.cumsum(sizes)
    before = (slice(None),) * (axis % np.ndim(g))
    pieces = [g[before + (slice(int(end - size), int(end)),)] for size, end in zip(sizes, ends)]
    return [np.reshape(piece, np.shape(a)) for piece, a in zip(pieces, arrays)]


# ---- repeating ------------------------------------------------------------------------

def tile_adjoint(g, a, reps):
    """Adjoint of np.tile(a, reps): the sum over the copies (axis i of g is (copy, element) pairs)."""
    reps = tuple(reps) if np.ndim(reps) > 0 else (reps,)
    shape = np.shape(a)
    n = max(len(shape), len(reps))
    shape = (1,) * (n - len(shape)) + shape
    reps = (1,) * (n - len(reps)) + reps
    blocks = np.reshape(g, tuple(k for pair in zip(reps, shape) for k in pair))
    return np.reshape(np.sum(blocks, axis=tuple(range(0, 2 * n, 2))), np.shape(a))


def repeat_adjoint(g, a, repeats, axis=None):
    """Adjoint of np.repeat(a, repeats, axis): the sum over each element's copies."""
    shape = np.shape(a)
    if axis is None:                            # np.repeat flattens first
        shape, axis = (element_count(a),), 0
    axis = axis % len(shape)
    if np.ndim(repeats) == 0 or np.size(repeats) == 1:
        count = int(np.reshape(repeats, ()))
        grouped = np.reshape(g, shape[:axis] + (shape[axis], count) + shape[axis + 1:])
        return np.reshape(np.sum(grouped, axis=axis + 1), np.shape(a))
    owners = np.repeat(np.arange(shape[axis]), repeats)        # the element each copy was made from
    full = np.zeros_like(g, shape=shape, dtype=np.result_type(g, adjoint_dtype(a)))
    full = add_at(full, (slice(None),) * axis + (owners,), g)       # np.add.at, or its stand-in elsewhere
    return np.reshape(full, np.shape(a))


def diff_adjoint(g, n=1, axis=-1):
    """Adjoint of np.diff(a, n, axis): each difference y[i] = a[i+1] - a[i] sends +g[i] to a[i+1], -g[i] to a[i]."""
    widths = [(0, 0)] * np.ndim(g)
    widths[axis] = (1, 1)
    for _ in range(n):
        g = -np.diff(np.pad(g, widths), axis=axis)
    return g


# ---- moving and selecting -------------------------------------------------------------

def pad_adjoint(g, array, pad_width, mode="constant"):
    """Adjoint of np.pad(array, pad_width, mode): the interior for mode="constant"; for the modes that
    copy elements (edge, reflect, symmetric, wrap) each copy's adjoint is added to its source element."""
    shape = np.shape(array)
    widths = np.broadcast_to(np.asarray(pad_width), (len(shape), 2))
    if mode == "constant":
        return g[tuple(slice(int(before), int(before) + n) for (before, _), n in zip(widths, shape))]
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        sources = np.pad(np.reshape(np.arange(np.size(array)), shape), pad_width, mode=mode)
        sources = numpy_values_like(g, sources)         # g's library (CuPy's bincount refuses NumPy's)
        sums = np.bincount(np.ravel(sources), weights=np.ravel(g), minlength=np.size(array))
        return np.reshape(sums, shape).astype(np.result_type(g, adjoint_dtype(array)), copy=False)
    raise NotImplementedError(f"s2sgrad has no derivative of np.pad with mode={mode!r}")


def sort_adjoint(g, a, axis=-1):
    """Adjoint of np.sort(a, axis): each sorted position's adjoint goes back where the element came from."""
    if axis is None:
        full = np.zeros_like(np.ravel(a), dtype=np.result_type(g, adjoint_dtype(a)))
        full[np.argsort(a, axis=None)] = np.ravel(g)
        return np.reshape(full, np.shape(a))
    full = np.zeros_like(a, dtype=np.result_type(g, adjoint_dtype(a)))
    np.put_along_axis(full, np.argsort(a, axis=axis), g, axis=axis)
    return full


def item_adjoint(g, x, index=()):
    """Adjoint of x.item(*index): g at the element it read (a flat index or one index per axis)."""
    full = zeros_like(x)
    if not index:
        return full + g
    if len(index) == 1:
        np.reshape(full, (-1,))[index[0]] = g      # a view of the new array
    else:
        full[tuple(index)] = g
    return full


def item_of(g, index=()):
    """g.item(*index): the transpose of item_adjoint in g (an adjoint shaped like x, read at the element),
    by indexing, which a further derivative differentiates."""
    if len(index) > 1:
        return g[tuple(index)]
    flat = np.reshape(g, (-1,))
    return flat[index[0]] if index else flat[0]


def take_adjoint(g, a, indices, axis=None, mode="raise"):
    """Adjoint of np.take(a, indices, axis, mode): adds g at the taken positions (repeats add up)."""
    full = zeros_like(a)
    target = np.reshape(full, (-1,)) if axis is None else full          # a view of the new array
    indices = take_positions(indices, a, axis, mode)
    where = indices if axis is None else (slice(None),) * (axis % np.ndim(a)) + (indices,)
    add_at(target, where, g)
    return full


def take_positions(indices, a, axis=None, mode="raise"):
    """`indices` as np.take(a, indices, axis, mode=mode) reads them: wrapped (mode='wrap') or clipped
    (mode='clip') into range, so a take without mode= (CuPy's has none) reads the same elements."""
    if mode not in ("wrap", "clip"):
        return indices
    n = element_count(a) if axis is None else np.shape(a)[axis]
    return np.mod(indices, n) if mode == "wrap" else np.clip(indices, 0, n - 1)


def take_along_axis_adjoint(g, arr, indices, axis):
    """Adjoint of np.take_along_axis(arr, indices, axis): adds g at the taken positions."""
    full = zeros_like(arr)
    if axis is None:
        add_at(np.reshape(full, (-1,)), indices, g)
        return full
    axis = axis % np.ndim(arr)
    if is_foreign_array(full):
        return full + _taken_back(g, arr, indices, axis)
    where = tuple(indices if i == axis else
                  np.reshape(np.arange(n), (1,) * i + (n,) + (1,) * (np.ndim(arr) - i - 1))
                  for i, n in enumerate(np.shape(arr)))
    return add_at(full, where, g)


def _taken_back(g, arr, indices, axis):
    """take_along_axis_adjoint for another library (no ufunc.at, no write with several index arrays): along
    the axis, position m receives the sum of g where indices == m, by comparing with every m."""
    n = np.shape(arr)[axis]
    g = np.moveaxis(numpy_values_like(arr, g), axis, -1)
    chosen = np.moveaxis(numpy_values_like(arr, indices), axis, -1)
    hits = np.expand_dims(np.mod(chosen, n), -1) == numpy_values_like(arr, np.arange(n))
    return np.moveaxis(np.sum(np.expand_dims(g, -1) * hits, axis=-2), -1, axis)


__all__ = [
    "cast_adjoint", "concatenate_adjoint", "diff_adjoint", "hstack_adjoint", "item_adjoint", "item_of", "pad_adjoint",
    "repeat_adjoint", "sort_adjoint",
    "stack_adjoint", "take_adjoint", "take_along_axis_adjoint", "take_positions", "tile_adjoint", "transpose_adjoint",
    "vstack_adjoint",
]
