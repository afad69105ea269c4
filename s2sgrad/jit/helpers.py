"""numba versions of the runtime helpers generated code calls.

Each is a plain function with an `overload`: numba picks an implementation
from the argument types at compile time, so the common cases cost nothing
(`unbroadcast(g, x)` where both are float arrays of one rank is `g` after a
shape check). A case left out is a typing error, which makes the caller fall
back to Python for that specialization with a warning. A case numba can only
tell apart at run time (an axis stretched by broadcasting) raises
`NeedsPython`, and the caller runs the Python version for that call.
"""
from __future__ import annotations

import math

import numpy as np
from numba import types
from numba.extending import overload

from ..runtime.arrays import unbroadcast as _python_unbroadcast, unreduce as _python_unreduce
from ..runtime.arrays import zeros_like as _python_zeros_like
from ..runtime.elementwise import log_base as _python_log_base
from .numba_source import AXIS_REDUCTIONS
from ..runtime.tangents import broadcast_like as _python_broadcast_like


class NeedsPython(Exception):
    """The compiled helper met a case only the Python helper handles (raised inside numba code)."""


def unbroadcast(g, x):
    return _python_unbroadcast(g, x)


def unreduce(g, x, axis=None, keepdims=False):
    return _python_unreduce(g, x, axis, keepdims)


def _is_scalar(t) -> bool:
    return isinstance(t, (types.Number, types.Boolean))


@overload(unbroadcast)
def _unbroadcast(g, x):
    if _is_scalar(g) and _is_scalar(x):
        return lambda g, x: g
    if isinstance(g, types.Array) and _is_scalar(x):
        return lambda g, x: np.sum(g)
    if isinstance(g, types.Array) and isinstance(x, types.Array) and g.ndim == x.ndim:
        def same_rank(g, x):
            if g.shape != x.shape:
                raise NeedsPython("unbroadcast: an axis stretched by broadcasting")
            return g
        return same_rank
    if isinstance(g, types.Array) and isinstance(x, types.Array) and g.ndim > x.ndim:
        # broadcasting added leading axes: summed away one by one (then the shapes must agree)
        sums = "g"
        for _ in range(g.ndim - x.ndim):
            sums = f"np.sum({sums}, axis=0)"
        scope = {"np": np, "NeedsPython": NeedsPython}
        exec(f"def leading(g, x):\n    s = {sums}\n    if s.shape != x.shape:\n"
             f"        raise NeedsPython('unbroadcast: an axis stretched by broadcasting')\n    return s", scope)
        return scope["leading"]
    if _is_scalar(g) and isinstance(x, types.Array):
        return lambda g, x: g                # a number met x and stays one, as the Python helper returns it
    return None


@overload(unreduce)
def _unreduce(g, x, axis=None, keepdims=False):
    whole = axis is None or isinstance(axis, (types.NoneType, types.Omitted))
    if not (whole or isinstance(axis, types.Integer)):
        return None                          # sums over a tuple of axes: the Python version
    if _is_scalar(x):
        return lambda g, x, axis=None, keepdims=False: g
    if not isinstance(x, types.Array):
        return None
    dtype = x.dtype if isinstance(x.dtype, types.Float) else types.float64
    if _is_scalar(g) and (whole or x.ndim == 1):
        def full(g, x, axis=None, keepdims=False):
            return np.full(x.shape, g, dtype)
        return full
    if whole or not isinstance(g, types.Array) or g.ndim not in (x.ndim - 1, x.ndim):
        return None
    # the sum over one axis (np.sum(x, axis=k), np.mean's adjoint): g copied back along that axis; with
    # keepdims g has the axis already (length 1), otherwise it is put back first
    if g.ndim == x.ndim:
        def along_kept_axis(g, x, axis=None, keepdims=False):
            out = np.empty(x.shape, dtype)
            out[...] = g
            return out
        return along_kept_axis

    def along_axis(g, x, axis=None, keepdims=False):
        out = np.empty(x.shape, dtype)
        out[...] = np.expand_dims(g, axis)
        return out
    return along_axis


def zeros_like(x):
    return _python_zeros_like(x)


def copy_of(value):
    from ..runtime import namespace        # imported when called: helpers.py loads with any runtime
    return namespace.copy_of(value)


@overload(copy_of)
def _copy_of(value):
    # what an in-place write overwrites, saved: an array's part is copied, a number is itself
    if _is_scalar(value):
        return lambda value: value
    if isinstance(value, types.Array):
        return lambda value: np.copy(value)
    return None


def to_float(x):
    return float(x)


def log_with_base(x, base):
    return math.log(x, base)


@overload(zeros_like)
def _zeros_like(x):
    if _is_scalar(x):
        return lambda x: 0.0
    if isinstance(x, types.Array):
        dtype = x.dtype if isinstance(x.dtype, types.Float) else types.float64
        return lambda x: np.zeros(x.shape, dtype)
    return None


@overload(to_float)
def _to_float(x):
    # numba's float() refuses a bool (float(a > b) in the user's code)
    if isinstance(x, types.Boolean):
        return lambda x: 1.0 if x else 0.0
    if isinstance(x, types.Number):
        return lambda x: float(x)
    return None


@overload(log_with_base)
def _log_with_base(x, base):
    # CPython's math.log(x, base) is exactly log(x) / log(base)
    if isinstance(x, types.Number) and isinstance(base, types.Number):
        return lambda x, base: math.log(x) / math.log(base)
    return None


def to_int(x):
    return int(x)


def round_to_int(x):
    return round(x)


def power(a, b):
    return a ** b


@overload(to_int)
def _to_int(x):
    if isinstance(x, (types.Integer, types.Boolean)):
        return lambda x: int(x)
    if isinstance(x, types.Float):
        def truncate(x):
            if not abs(x) < np.inf:          # Python raises; numba would return a stray integer
                raise ValueError("cannot convert float NaN or infinity to integer")
            return int(x)
        return truncate
    return None


@overload(round_to_int)
def _round_to_int(x):
    if isinstance(x, (types.Integer, types.Boolean)):
        return lambda x: int(x)
    if isinstance(x, types.Float):
        def nearest(x):                      # half to even, as Python's round
            if not abs(x) < np.inf:
                raise ValueError("cannot convert float NaN or infinity to integer")
            return round(x)
        return nearest
    return None


@overload(power)
def _power(a, b):
    if isinstance(a, (types.Integer, types.Boolean)) and isinstance(b, (types.Integer, types.Boolean)):
        def integers(a, b):
            if b < 0:                        # Python gives a float here (2 ** -1 == 0.5); numba an integer
                raise NeedsPython("an integer to a negative integer power")
            if abs(float(a)) ** b >= 9.2e18:  # past int64: Python's integers grow, numba's wrap around
                raise NeedsPython("an integer power too large for 64 bits")
            return a ** b
        return integers
    if isinstance(a, (types.Number, types.Boolean)) and isinstance(b, (types.Number, types.Boolean)):
        def numbers(a, b):
            if a == 0 and b < 0:
                raise ZeroDivisionError("0.0 cannot be raised to a negative power")
            result = a ** b
            if result != result and a == a and b == b:
                raise NeedsPython("a negative number to a fractional power (a complex number in Python)")
            return result
        return numbers
    if isinstance(a, types.Array) or isinstance(b, types.Array):
        return lambda a, b: a ** b           # NumPy's rules, which numba follows for arrays
    return None


def log_base(a):
    return _python_log_base(a)


@overload(log_base)
def _log_base(a):
    if isinstance(a, (types.Number, types.Boolean)):
        return lambda a: math.log(a) if a > 0 else 0.0
    if isinstance(a, types.Array):
        return lambda a: np.log(np.where(a == 0, 1.0, a))
    return None


def round_digits(x, ndigits):
    return round(x, ndigits)


@overload(round_digits)
def _round_digits(x, ndigits):
    if not isinstance(ndigits, (types.Integer, types.Boolean)):
        return None
    if isinstance(x, types.Integer):
        def integer(x, ndigits):
            if ndigits < 0:
                raise NeedsPython("round of an integer to negative digits")
            return x
        return integer
    if isinstance(x, types.Float):
        def decimal(x, ndigits):
            # Python rounds the exact decimal value of x. Scaled by an exact power of ten, x rounds the
            # same way unless it lands within rounding error of a half, and r / 10**n (both exact) is
            # then the double nearest to the rounded decimal, which is what Python returns
            if not abs(x) < np.inf or ndigits > 22 or ndigits < -22:
                raise NeedsPython("round(x, ndigits) of this x")
            scale = 10.0 ** abs(ndigits)
            y = x * scale if ndigits >= 0 else x / scale
            if abs(y) >= 2.0 ** 52 or abs(abs(y - np.floor(y)) - 0.5) <= 1e-9 * max(abs(y), 1.0):
                raise NeedsPython("round(x, ndigits) too near a half to decide in binary")
            r = float(round(y))
            return r / scale if ndigits >= 0 else r * scale
        return decimal
    return None


def broadcast_like(t, y):
    return _python_broadcast_like(t, y)


@overload(broadcast_like)
def _broadcast_like(t, y):
    # a tangent contribution stretched to the result's shape, as broadcasting stretched its operand
    if _is_scalar(t) and _is_scalar(y):
        return lambda t, y: t
    if _is_scalar(t) and isinstance(y, types.Array):
        return lambda t, y: np.full(y.shape, t)
    if isinstance(t, types.Array) and isinstance(y, types.Array) and t.ndim == y.ndim:
        def same_rank(t, y):
            if t.shape != y.shape:
                raise NeedsPython("broadcast_like: an axis stretched by broadcasting")
            return t
        return same_rank
    if isinstance(t, types.Array) and isinstance(y, types.Array) and t.ndim < y.ndim:
        return lambda t, y: np.broadcast_to(t, y.shape)
    return None


def repetition_adjoint_left(g, a, b):
    from ..runtime import sequences
    return sequences.repetition_adjoint_left(g, a, b)


def repetition_adjoint_right(g, a, b):
    from ..runtime import sequences
    return sequences.repetition_adjoint_right(g, a, b)


def _numbers_or_arrays(*kinds) -> bool:
    return all(_is_scalar(k) or isinstance(k, types.Array) for k in kinds)


@overload(repetition_adjoint_left)
def _repetition_adjoint_left(g, a, b):
    # `a * b` between numbers and arrays (a repeated list has no numba version: the Python one runs)
    if _numbers_or_arrays(g, a, b):
        return lambda g, a, b: unbroadcast(g * b, a)
    return None


@overload(repetition_adjoint_right)
def _repetition_adjoint_right(g, a, b):
    if _numbers_or_arrays(g, a, b):
        return lambda g, a, b: unbroadcast(g * a, b)
    return None


def reverse_sequence(x):
    return x[::-1]


@overload(reverse_sequence)
def _reverse_sequence(x):
    if isinstance(x, types.Array):
        return lambda x: x[::-1]
    if isinstance(x, types.RangeType):
        def reversed_range(x):          # range(a, b, s)[::-1], as the integers it yields
            return np.arange(x.start + (len(x) - 1) * x.step, x.start - x.step, -x.step)
        return reversed_range
    return None


# ---- array adjoints the property-test programs reach most (counted in docs/jit.md) ----------------------------
# Each covers the common types and leaves the rest to the Python helper (a typing error: that specialization
# falls back). The Python helpers are imported when called, so this file loads with any runtime.
def _runtime(module: str, name: str):
    import importlib
    return getattr(importlib.import_module(f"s2sgrad.runtime.{module}"), name)


def _absent(t) -> bool:
    return t is None or isinstance(t, (types.NoneType, types.Omitted))


def element_count(x):
    return _runtime("namespace", "element_count")(x)


@overload(element_count)
def _element_count(x):
    if _is_scalar(x):
        return lambda x: 1
    if isinstance(x, types.Array):
        return lambda x: x.size
    return None


def add_adjoints(a, b):
    return _runtime("containers", "add_adjoints")(a, b)


@overload(add_adjoints)
def _add_adjoints(a, b):
    if (_is_scalar(a) or isinstance(a, types.Array)) and (_is_scalar(b) or isinstance(b, types.Array)):
        return lambda a, b: a + b          # numbers and arrays add as NumPy adds them; containers: Python
    return None


def inside_clip(x, low=None, high=None):
    return _runtime("elementwise", "inside_clip")(x, low, high)


@overload(inside_clip)
def _inside_clip(x, low=None, high=None):
    if not (_is_scalar(x) or isinstance(x, types.Array)):
        return None
    if _absent(low) and _absent(high):
        return lambda x, low=None, high=None: True
    if _absent(high):
        return lambda x, low=None, high=None: x >= low
    if _absent(low):
        return lambda x, low=None, high=None: x <= high
    return lambda x, low=None, high=None: (x >= low) & (x <= high)


def extremum_adjoint(g, x, y, axis=None, keepdims=False):
    return _runtime("reductions", "extremum_adjoint")(g, x, y, axis, keepdims)


@overload(extremum_adjoint)
def _extremum_adjoint(g, x, y, axis=None, keepdims=False):
    # np.max / np.min over the whole array: g goes to the elements equal to the extremum, shared among ties
    if not (_absent(axis) and isinstance(x, types.Array) and _is_scalar(g) and _is_scalar(y)):
        return None

    def whole(g, x, y, axis=None, keepdims=False):
        hits = (x == y).astype(np.float64)
        return hits * (g / np.sum(hits))
    return whole


def add_at(dx, index, g):
    return _runtime("indexing", "add_at")(dx, index, g)


@overload(add_at)
def _add_at(dx, index, g):
    # dx[index] += g, a repeated position of an integer-array index counted each time it appears
    if not isinstance(dx, types.Array):
        return None
    if isinstance(index, (types.Integer, types.SliceType)):
        def one_place(dx, index, g):
            dx[index] += g
            return dx
        return one_place
    if isinstance(index, types.Array) and index.ndim == 1 and dx.ndim == 1:
        if isinstance(index.dtype, types.Integer):
            if _is_scalar(g):
                def positions_number(dx, index, g):
                    for k in range(index.size):
                        dx[index[k]] += g
                    return dx
                return positions_number
            if isinstance(g, types.Array) and g.ndim == 1:
                def positions(dx, index, g):
                    if g.size != index.size:
                        raise NeedsPython("add_at: a value that broadcasts over the positions")
                    for k in range(index.size):
                        dx[index[k]] += g[k]
                    return dx
                return positions
        if isinstance(index.dtype, types.Boolean):
            def mask(dx, index, g):
                if index.size != dx.size:
                    raise IndexError("boolean index did not match indexed array")
                dx[index] += g
                return dx
            return mask
    return None


def last_writes(piece, index, container):
    return _runtime("indexing", "last_writes")(piece, index, container)


@overload(last_writes)
def _last_writes(piece, index, container):
    # an integer, a slice or a mask writes each position once: every stored value keeps its adjoint
    if isinstance(index, (types.Integer, types.SliceType)) or (
            isinstance(index, types.Array) and isinstance(index.dtype, types.Boolean)):
        return lambda piece, index, container: piece
    if isinstance(index, types.Array) and index.ndim == 1 and isinstance(index.dtype, types.Integer) \
            and isinstance(piece, types.Array) and piece.ndim == 1 and isinstance(container, types.Array):
        def kept_last(piece, index, container):
            # NumPy keeps the last write to a repeated position: only that value gets the position's adjoint
            if index.size < 2:
                return piece
            if piece.size != index.size:
                raise NeedsPython("last_writes: one value broadcast over the positions")
            n = container.shape[0]
            seen = np.zeros(n, np.bool_)
            out = piece.copy()
            for k in range(index.size - 1, -1, -1):
                position = index[k] % n
                if seen[position]:
                    out[k] = 0.0 * piece[k]
                seen[position] = True
            return out
        return kept_last
    return None


def matmul_adjoint_left(g, a, b):
    return _runtime("arrays", "matmul_adjoint_left")(g, a, b)


def matmul_adjoint_right(g, a, b):
    return _runtime("arrays", "matmul_adjoint_right")(g, a, b)


def _matrices(*kinds) -> bool:
    return all(isinstance(k, types.Array) and k.ndim in (1, 2) and isinstance(k.dtype, types.Float)
               for k in kinds)


@overload(matmul_adjoint_left)
def _matmul_adjoint_left(g, a, b):
    # a @ b between vectors and matrices (numba's @ needs SciPy's BLAS; without it, a typing error: Python)
    if not (_matrices(a, b) and (_is_scalar(g) or _matrices(g))):
        return None
    if b.ndim == 1 and a.ndim == 1:
        return lambda g, a, b: g * b
    if b.ndim == 1:
        return lambda g, a, b: np.outer(g, b)
    if a.ndim == 2:
        return lambda g, a, b: g @ np.ascontiguousarray(b.T)
    return lambda g, a, b: b @ g


@overload(matmul_adjoint_right)
def _matmul_adjoint_right(g, a, b):
    if not (_matrices(a, b) and (_is_scalar(g) or _matrices(g))):
        return None
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * a
    if a.ndim == 1:
        return lambda g, a, b: np.outer(a, g)
    if b.ndim == 2:
        return lambda g, a, b: np.ascontiguousarray(a.T) @ g
    return lambda g, a, b: g @ a


def dot_adjoint_left(g, a, b):
    return _runtime("linalg", "dot_adjoint_left")(g, a, b)


def dot_adjoint_right(g, a, b):
    return _runtime("linalg", "dot_adjoint_right")(g, a, b)


@overload(dot_adjoint_left)
def _dot_adjoint_left(g, a, b):
    # np.dot with a number multiplies; between vectors and matrices it is a @ b
    if _is_scalar(a) and isinstance(b, types.Array):
        return lambda g, a, b: np.sum(g * b)
    if _is_scalar(b):
        return lambda g, a, b: g * b
    return _matmul_adjoint_left(g, a, b)


@overload(dot_adjoint_right)
def _dot_adjoint_right(g, a, b):
    if _is_scalar(b) and isinstance(a, types.Array):
        return lambda g, a, b: np.sum(g * a)
    if _is_scalar(a):
        return lambda g, a, b: g * a
    return _matmul_adjoint_right(g, a, b)


def abs_adjoint(g, x, y):
    return _runtime("complex_values", "abs_adjoint")(g, x, y)


def _real(t) -> bool:
    return isinstance(t, (types.Float, types.Integer)) or isinstance(t, types.Array) and not isinstance(
        t.dtype, types.Complex)


@overload(abs_adjoint)
def _abs_adjoint(g, x, y):
    if _real(x) and (_is_scalar(g) or isinstance(g, types.Array)):
        return lambda g, x, y: g * np.sign(x)
    return None


def var_adjoint(g, x, axis=None, ddof=0, keepdims=False):
    return _runtime("reductions", "var_adjoint")(g, x, axis, ddof, keepdims)


@overload(var_adjoint)
def _var_adjoint(g, x, axis=None, ddof=0, keepdims=False):
    # np.var over the whole array: g * 2 (x - mean) / (N - ddof)
    if not (_absent(axis) and isinstance(x, types.Array) and _is_scalar(g)):
        return None

    def whole(g, x, axis=None, ddof=0, keepdims=False):
        return g * (2 / (x.size - ddof)) * (x - np.mean(x))
    return whole


def concatenation_part(g, a, b, side):
    return _runtime("sequences", "concatenation_part")(g, a, b, side)


@overload(concatenation_part)
def _concatenation_part(g, a, b, side):
    # `a + b` between numbers and arrays: the adjoint reduced to one operand's shape (joined lists: Python).
    # The side is a constant of the generated code, so one operand's type decides the result's
    if not (_numbers_or_arrays(g, a, b) and isinstance(side, types.IntegerLiteral)):
        return None
    if side.literal_value == 0:
        return lambda g, a, b, side: unbroadcast(g, a)
    return lambda g, a, b, side: unbroadcast(g, b)


def product_of_others(x, axis=None):
    return _runtime("reductions", "product_of_others")(x, axis)


@overload(product_of_others)
def _product_of_others(x, axis=None):
    # np.prod's adjoint over the whole array (or the one axis of a vector): for each element the product of
    # the elements before it times that of the elements after it, each multiplied in the order the Python
    # helper's cumprods multiply them, so a zero needs no division and the results are the same bits
    if _is_scalar(x):
        return lambda x, axis=None: 1.0
    if not (isinstance(x, types.Array) and isinstance(x.dtype, types.Float)
            and (_absent(axis) or (isinstance(axis, types.Integer) and x.ndim == 1))):
        return None

    def whole(x, axis=None):
        values = x.ravel()
        n = values.size
        before = np.empty(n, x.dtype)
        after = np.empty(n, x.dtype)
        running = 1.0
        for i in range(n):
            before[i] = running
            running = running * values[i]
        running = 1.0
        for i in range(n - 1, -1, -1):
            after[i] = running
            running = running * values[i]
        return (before * after).reshape(x.shape)
    return whole


# ---- NumPy reductions over one axis, which numba's np.mean, np.min, np.var, ... do not take ---------------------


def reduce_axis(name, x, axis, keepdims=False, ddof=0):
    """np.<name>(x, axis=axis, keepdims=keepdims) (ddof for var and std): what the compiled version computes."""
    extra = {"ddof": ddof} if name in ("var", "std") else {}
    return getattr(np, name)(x, axis=axis, keepdims=keepdims, **extra)


@overload(reduce_axis)
def _reduce_axis(name, x, axis, keepdims=False, ddof=0):
    # the axis and keepdims are literals in generated code: the result's shape is known when typing, and the
    # reduced axis is moved last so each group is one contiguous row, reduced as np.<name> reduces a vector
    if not (isinstance(name, types.StringLiteral) and name.literal_value in AXIS_REDUCTIONS
            and isinstance(x, types.Array) and isinstance(x.dtype, types.Float)
            and isinstance(axis, types.IntegerLiteral)):
        return None
    if isinstance(keepdims, types.BooleanLiteral):
        kept = keepdims.literal_value
    elif _absent(keepdims):
        kept = False
    else:
        return None
    ndim, op = x.ndim, name.literal_value
    moved = axis.literal_value + ndim if axis.literal_value < 0 else axis.literal_value
    if not 0 <= moved < ndim:
        return None
    others = [k for k in range(ndim) if k != moved]
    order = ", ".join(str(k) for k in [*others, moved])
    outer = " * ".join(f"x.shape[{k}]" for k in others) or "1"
    shape = [f"x.shape[{k}]" if k != moved else "1" for k in range(ndim) if kept or k != moved]
    row = {"sum": "np.sum(r)", "mean": "np.sum(r) / r.size", "min": "np.min(r)", "max": "np.max(r)",
           "prod": "np.prod(r)",
           "var": "np.sum((r - np.sum(r) / r.size) ** 2) / max(r.size - ddof, 0)",
           "std": "np.sqrt(np.sum((r - np.sum(r) / r.size) ** 2) / max(r.size - ddof, 0))"}[op]
    result = f"out.reshape(({', '.join(shape)},))" if shape else "out[0]"
    text = (f"def along(name, x, axis, keepdims=False, ddof=0):\n"
            f"    rows = np.ascontiguousarray(x.transpose(({order},))).reshape(({outer}, x.shape[{moved}]))\n"
            f"    out = np.empty(rows.shape[0], x.dtype)\n"
            f"    for k in range(rows.shape[0]):\n"
            f"        r = rows[k]\n"
            f"        out[k] = {row}\n"
            f"    return {result}\n")
    scope = {"np": np}
    exec(text, scope)
    return scope["along"]
