"""Shape and dtype bookkeeping for adjoints of array code."""
from __future__ import annotations

import numpy as np

from .namespace import as_number_like, spread_to
from .receivers import CODE_TYPES, is_user_object


def adjoint_dtype(x):
    """The dtype of an adjoint for `x`: x's own when it is inexact (float32 stays float32), else float64."""
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    return dtype if np.issubdtype(dtype, np.inexact) else np.dtype(np.float64)


def zeros_like(x):
    """A zero adjoint shaped like `x`: 0.0 for a number, an inexact array for an array (float32 stays
    float32, integers get float64), and for a tuple or list a list of zero adjoints (a list, so the
    reverse sweep can scatter into it; the results of np.linalg.eigh or np.split are such tuples)."""
    if isinstance(x, (int, float)):
        return 0.0
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return FieldAdjoints(x._fields, [zeros_like(e) for e in x], owner=x)
    if isinstance(x, FieldAdjoints):        # a namedtuple's adjoint (its zero tangent): still read by field name
        return FieldAdjoints(x.fields, [zeros_like(e) for e in x], owner=x.owner)
    if isinstance(x, (tuple, list)):
        return [zeros_like(e) for e in x]
    if isinstance(x, ObjectAdjoint):        # an object's adjoint: its zero belongs to the same object
        return ObjectAdjoint(x.owner, {k: zeros_like(v) for k, v in x.items()})
    if isinstance(x, dict):
        return {k: zeros_like(v) for k, v in x.items()}
    if is_user_object(x) and not hasattr(x, "__array__"):      # the user's object: its numeric fields
        return ObjectAdjoint(x, {k: zeros_like(v) for k, v in vars(x).items() if _differentiable(v)})
    if isinstance(x, CODE_TYPES[1:]):       # a function, method, class or module carries no derivative
        return 0.0
    return np.zeros_like(x, dtype=adjoint_dtype(x))


def is_zero_adjoint(adjoint) -> bool:
    """A zero adjoint: the number 0, or a NumPy array of zeros (another library's array is not looked into,
    which would compute a lazy one). The adjoint of a decomposition's factor the function does not use is
    one, and the terms it would multiply may divide by zero (repeated eigen- or singular values)."""
    if np.ndim(adjoint) == 0:
        return adjoint == 0
    return isinstance(adjoint, np.ndarray) and not adjoint.any()


class FieldAdjoints(list):
    """The adjoint of a namedtuple: one entry per field, reached by position (p[0]) or by field name
    (p.mu, which the reverse sweep scatters as add_at(dp, 'mu', ...)); `owner`, the namedtuple, as an
    ObjectAdjoint's (a call of one of its methods reaches its adjoint)."""

    def __init__(self, fields, items, owner=None):
        super().__init__(items)
        self.fields = tuple(fields)
        self.owner = owner

    def position(self, index):
        return self.fields.index(index) if isinstance(index, str) else index


class ObjectAdjoint(dict):
    """The adjoint of one of the user's objects: its differentiable fields' adjoints by name, and the object
    (`owner`) it belongs to. A call of a method reaches the adjoint of the method's `__self__`; knowing whose
    adjoint a dict is tells that one apart from the adjoint of a callable object held in a field
    (runtime/containers.py's add_field)."""

    __slots__ = ("owner",)

    def __init__(self, owner, fields=()):
        super().__init__(fields)
        self.owner = owner


def _differentiable(value) -> bool:
    if isinstance(value, (bool, str)):
        return False
    if isinstance(value, (int, float, np.ndarray, np.number, list, tuple, dict)):
        return True
    return is_user_object(value)


def unbroadcast(g, x):
    """Sum the adjoint `g` over the axes NumPy broadcasting added to `x`, giving `x`'s shape."""
    shape = _shape(x)
    if _shape(g) == shape:          # the common case, decided without converting anything to an array
        return g
    extra = np.ndim(g) - len(shape)
    if extra > 0:
        g = np.sum(g, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(g)[i] != 1)
    if stretched:
        g = np.sum(g, axis=stretched, keepdims=True)
    if isinstance(x, (int, float)):
        return as_number_like(g, x)
    return g


def unreduce(g, x, axis=None, keepdims=False):
    """The adjoint of a sum of `x` over `axis`: `g` copied back along the summed axes.

    The result has x's shape and (inexact) dtype, so a float32 input gets a
    float32 adjoint even when `g` is the Python float 1.0 of the seed.
    """
    if isinstance(x, (int, float)):
        return g
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    # for NumPy a read-only broadcast view, not a copy: the reverse sweep never writes into an adjoint it did
    # not allocate itself (zeros_like), and a million copies of 1.0 would cost a pass over memory; for another
    # library an array of its own, chunked like x
    return spread_to(g, x, adjoint_dtype(x))


def matrix_transpose(x):
    """Swap the last two axes (the transpose of each matrix in a stack)."""
    return np.swapaxes(x, -1, -2)


def _shape(x) -> tuple:
    if isinstance(x, (float, int, complex)):     # checked first: getattr on a float is slow
        return ()
    if isinstance(x, (list, tuple)):
        return np.shape(x)
    return tuple(getattr(x, "shape", ()))


def matmul_adjoint_left(g, a, b):
    """Adjoint of `a` in `y = a @ b`, for every operand rank `@` accepts.

    A 1-D operand is a row (left) or column (right) matrix whose added axis
    the result drops; stacked operands broadcast, so the adjoint is summed
    over the stack axes `a` did not have.
    """
    na, nb = np.ndim(a), np.ndim(b)
    if nb == 1:                      # y[..., i] = a[..., i, :] . b: no stack axes to sum over
        return g * b if na == 1 else g[..., None] * b
    if nb == 2 and na <= 2:
        return g @ matrix_transpose(b) if na == 2 else b @ g
    g, a2, b2 = _as_matrices(g, a, b)
    return np.reshape(unbroadcast(g @ matrix_transpose(b2), a2), np.shape(a))


def matmul_adjoint_right(g, a, b):
    """Adjoint of `b` in `y = a @ b`, for every operand rank `@` accepts."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 1:                      # y[..., j] = a . b[..., :, j]
        return g * a if nb == 1 else a[:, None] * g[..., None, :]
    if na == 2 and nb <= 2:
        return matrix_transpose(a) @ g if nb == 2 else g @ a
    g, a2, b2 = _as_matrices(g, a, b)
    return np.reshape(unbroadcast(matrix_transpose(a2) @ g, b2), np.shape(b))


def _as_matrices(g, a, b):
    """g, a and b with the axes matmul adds to 1-D operands put back (a: 1 x k, b: k x 1)."""
    if np.ndim(b) == 1:
        b = np.expand_dims(b, -1)
        g = np.expand_dims(g, -1)
    if np.ndim(a) == 1:
        a = np.expand_dims(a, 0)
        g = np.expand_dims(g, -2)
    return g, a, b
