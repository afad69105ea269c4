"""Adjoints of indexing: scatter an element's adjoint back into its container's adjoint."""
from __future__ import annotations

import numpy as np

from .lazy_masks import add_masked, is_lazy_mask_read
from ..errors import NoDerivativeRuleError
from .namespace import MissingArrayFunctionError, is_foreign_array, numpy_values_like


def add_at(dx, index, g):
    """dx[index] += g, correct even when an integer-array index repeats a position.

    Mutates `dx`, which the reverse sweep always allocates itself (zeros_like),
    and returns it.
    """
    if isinstance(dx, (list, dict)):                 # a container's adjoint: entries may be containers too
        from .containers import add_adjoints, add_field
        if getattr(dx, "owner", None) is not None and isinstance(index, str):
            return add_field(dx, index, g)          # an object's: `obj.name` may be a field or a method
        index = dx.position(index) if hasattr(dx, "position") else index      # a namedtuple's field
        dx[index] = add_adjoints(dx[index], g)
        return dx
    if isinstance(index, str):     # `x.flat`, `x.compress(...)`: read as a field of an object, x is an array
        raise NoDerivativeRuleError(
            f"the array attribute or method `.{index}`: it has no derivative rule (it was read as a field of "
            "one of your objects, but the value is an array)", None,
            hint="use a NumPy function s2sgrad knows (docs/functions_supported.md: x.ravel()[i] for x.flat[i], "
                 "x[..., mask] for x.compress(mask, axis=-1)), or register a rule with s2sgrad.defvjp")
    if is_foreign_array(dx):
        return _add_at_elsewhere(dx, index, g)
    np.add.at(dx, index, g)
    return dx


def added_at(dx, index, g):
    """add_at's result as a new value: a copy of dx with g added at index (dx stays as it was).

    Code that calls add_at as a statement, a gradient's scatter into an adjoint it owns, is differentiated
    as `dx = add_at.pure(dx, index, g)` (ssa/normalize.py): this function, which has a rule of its own
    (rules/runtime_rules.py) and writes into no value another one may share."""
    if isinstance(dx, (list, dict)):
        import copy
        return add_at(copy.copy(dx), index, g)        # add_at replaces entries, never changes them in place
    from .namespace import copy_of
    return add_at(copy_of(dx), index, g)


# a statement `add_at(dx, i, g)` in code being differentiated is read as `dx = add_at.pure(dx, i, g)`
add_at.pure = added_at


def taken_at(adjoint, index, g):
    """The part of `adjoint` at `index`, shaped like `g`: the transpose of add_at in g (a gather, so a
    position an integer index repeats is read once per repeat). A zero number stands for zeros."""
    if isinstance(adjoint, (int, float)) and adjoint == 0:
        from .arrays import zeros_like
        return zeros_like(g)
    if isinstance(adjoint, (list, dict, tuple)):
        index = adjoint.position(index) if hasattr(adjoint, "position") else index      # a namedtuple's field
        return adjoint[index]
    from .arrays import unbroadcast
    return unbroadcast(adjoint[index], g)


def _add_at_elsewhere(dx, index, g):
    """add_at for another library's array: its own ufunc.at where it has one (CuPy); else (Dask, lazily) a
    read-add-write of the indexed part, with the rows of a repeated integer index summed first."""
    try:
        np.add.at(dx, index, g)
        return dx
    except TypeError:                   # the library declined ufunc.at
        pass
    parts = index if isinstance(index, tuple) else (index,)
    arrays = [i for i, part in enumerate(parts) if _is_integer_array(part)]
    if not arrays:                      # ints, slices, masks: every position is written once
        if is_lazy_mask_read(dx, index, g):         # x[x > 0] on Dask: written back block by block
            placed = add_masked(dx, index, g)
            if placed is not None:
                return placed
        part = dx[index]
        if not all(isinstance(n, (int, np.integer)) for n in part.shape):
            raise MissingArrayFunctionError(
                f"a boolean-mask read of an array of type {type(dx).__module__}.{type(dx).__qualname__} has a "
                f"length known only once computed, so its adjoint cannot be written back lazily. Instead of "
                f"x[mask], write np.where(mask, x, 0) (e.g. np.sum(np.where(x > 0, x, 0)) for np.sum(x[x > 0])).")
        dx[index] = part + numpy_values_like(dx, g)
        return dx
    g = numpy_values_like(dx, g)        # a NumPy g (from a Python-float seed): dx's library (CuPy refuses NumPy's)
    along_one_axis = len(arrays) == 1 and np.ndim(parts[arrays[0]]) == 1 and all(
        isinstance(part, slice) and part == slice(None) for i, part in enumerate(parts) if i != arrays[0])
    if along_one_axis and is_foreign_array(parts[arrays[0]]):
        return _add_at_positions_of_the_library(dx, arrays[0], parts[arrays[0]], g, index)
    if any(is_foreign_array(parts[i]) for i in arrays):
        arrays = None                   # positions known only once computed: cannot tell whether they repeat
    else:
        positions = np.asarray(parts[arrays[0]])
    if arrays and len(arrays) == 1 and positions.ndim == 1 and all(
            isinstance(part, slice) and part == slice(None) for i, part in enumerate(parts) if i != arrays[0]):
        # x[:, i] with i a list of positions along one axis (perhaps repeated): sum the slices of g that go
        # to one position, with a 0/1 grouping matrix, and write each position once
        k = arrays[0]
        rows, inverse = np.unique(np.mod(positions, dx.shape[k]), return_inverse=True)
        g = np.broadcast_to(g, dx[index].shape)
        if rows.size == positions.size:
            dx[index] = dx[index] + g
            return dx
        grouping = (np.arange(rows.size)[:, None] == np.reshape(inverse, (1, -1))).astype(dx.dtype)
        summed = np.tensordot(numpy_values_like(dx, grouping), np.moveaxis(g, k, 0), axes=(1, 0))
        where = (slice(None),) * k + (rows,)
        dx[where] = dx[where] + np.moveaxis(summed, 0, k)
        return dx
    if arrays and len(arrays) == 1 and np.unique(positions).size == positions.size:
        dx[index] = dx[index] + g       # no position repeats: one read-add-write
        return dx
    raise MissingArrayFunctionError(
        f"numpy.add.at is not provided for arrays of type {type(dx).__module__}.{type(dx).__qualname__}, and "
        f"s2sgrad can only replace it for an index that writes each position once or repeats whole rows "
        f"(x[[0, 0, 2]]); this one is {index!r}. Index with one integer array of rows, or convert the array "
        f"to NumPy before the gradient.")


def _add_at_positions_of_the_library(dx, k, positions, g, index):
    """add_at along axis k at positions held by dx's own library (a CuPy or Dask index array, which may repeat
    and cannot be looked at without computing it): each position receives the sum of the slices of g sent
    there, through a 0/1 matrix comparing the positions with every index of the axis, all in dx's library."""
    n = dx.shape[k]
    g = np.broadcast_to(g, dx[index].shape)
    hits = (np.reshape(np.mod(positions, n), (1, -1)) == numpy_values_like(dx, np.arange(n)[:, None]))
    summed = np.tensordot(hits.astype(dx.dtype), np.moveaxis(g, k, 0), axes=(1, 0))
    dx[...] = dx + np.moveaxis(summed, 0, k)
    return dx


def _is_integer_array(part) -> bool:
    if isinstance(part, (list, np.ndarray)):
        return np.asarray(part).dtype.kind in "iu"
    return is_foreign_array(part) and part.dtype.kind in "iu"


def last_writes(piece, index, container):
    """The adjoint of the values `container[index] = values` stored: where an integer-array index repeats
    a position, NumPy keeps the last write, so only that value receives the position's adjoint."""
    first = index[0] if isinstance(index, tuple) and len(index) == 1 else index
    if isinstance(first, tuple) or isinstance(first, (slice, type(Ellipsis))) or first is None:
        return piece                     # slices and tuples of indices: each position is written once
    positions = first if is_foreign_array(first) else np.asarray(first)     # a GPU mask stays on the GPU
    if positions.dtype.kind not in "iu" or positions.ndim != 1 or positions.size < 2:
        return piece                     # a mask or a single index: no position repeats
    wrapped = np.mod(positions, np.shape(container)[0])
    _, from_end = np.unique(wrapped[::-1], return_index=True)
    kept = np.zeros_like(positions, dtype=bool)
    kept[positions.size - 1 - from_end] = True
    if kept.all():
        return piece
    return piece * np.reshape(kept, (-1,) + (1,) * (np.ndim(piece) - 1))


def diagonal_positions(a, val, wrap=False):
    """The index of the elements np.fill_diagonal(a, val, wrap) writes, as a tuple of integer arrays, so that
    `a[diagonal_positions(a)] = v` is that write as an element store (ssa/array_fills.py). The positions are
    NumPy's own: every (ncols + 1)-th element of the flat array (a 2-D array's diagonal, down to the last
    row with `wrap`), or of an n-D array whose sides are all equal."""
    shape = np.shape(a)
    if len(shape) < 2:
        raise ValueError("array must be at least 2-d")
    if len(shape) == 2:
        step = shape[1] + 1
        end = None if wrap else shape[1] * shape[1]
    else:
        if any(side != shape[0] for side in shape):
            raise ValueError("All dimensions of input must be of equal length")
        step = 1 + int(np.sum(np.cumprod(shape[:-1])))
        end = None
    flat = np.arange(int(np.prod(shape)))[:end:step]
    size = int(np.size(val))
    if size not in (1, len(flat)):
        # NumPy repeats (or cuts) val along the diagonal; the element write does neither
        raise ValueError(
            f"np.fill_diagonal with {size} values for a diagonal of {len(flat)} elements: s2sgrad differentiates "
            f"it as a write of the values to the diagonal's positions, which neither repeats nor cuts them; "
            f"pass one value or {len(flat)} (np.resize(val, {len(flat)}) repeats them as NumPy would)")
    return np.unravel_index(flat, shape)
