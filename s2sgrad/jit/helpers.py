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
import operator

import numpy as np
from numba import njit, types
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
        stretched = _stretched_sum(x.ndim, g.dtype)

        def same_rank(g, x):
            if g.shape != x.shape:
                return stretched(g, x)       # an axis of length 1 in x that broadcasting stretched
            return g
        return same_rank
    if isinstance(g, types.Array) and isinstance(x, types.Array) and g.ndim > x.ndim:
        # broadcasting added leading axes: summed away one by one (then any axis it stretched)
        sums = "g"
        for _ in range(g.ndim - x.ndim):
            sums = f"np.sum({sums}, axis=0)"
        scope = {"np": np, "stretched": _stretched_sum(x.ndim, g.dtype)}
        exec(f"def leading(g, x):\n    s = {sums}\n    if s.shape != x.shape:\n"
             f"        return stretched(s, x)\n    return s", scope)
        return scope["leading"]
    if _is_scalar(g) and isinstance(x, types.Array):
        return lambda g, x: g                # a number met x and stays one, as the Python helper returns it
    return None


def _stretched_sum(ndim: int, dtype):
    """A numba function summing g over the axes where x has length 1 and g does not (keeping them), as
    the Python unbroadcast's np.sum(g, axis=stretched, keepdims=True): one loop nest over g in C order,
    so each sum adds its terms in order. An axis of another length is a broadcasting error: Python's."""
    dtype = dtype if isinstance(dtype, types.Float) else types.float64
    index = [f"i{k}" for k in range(ndim)]
    lines = ["def stretched(g, x):",
             f"    for k in range({ndim}):",
             "        if x.shape[k] != g.shape[k] and x.shape[k] != 1:",
             "            raise NeedsPython('unbroadcast: shapes broadcasting does not give')",
             "    out = np.zeros(x.shape, dtype)"]
    for k in range(ndim):
        pad = "    " * (k + 1)
        lines += [f"{pad}for i{k} in range(g.shape[{k}]):",
                  f"{pad}    j{k} = 0 if x.shape[{k}] == 1 else i{k}"]
    pad = "    " * (ndim + 1)
    target = ", ".join(f"j{k}" for k in range(ndim))
    lines += [f"{pad}out[{target}] += g[{', '.join(index)}]", "    return out"]
    scope = {"np": np, "NeedsPython": NeedsPython, "dtype": dtype}
    exec("\n".join(lines) + "\n", scope)
    return njit(scope["stretched"])


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
            if t.shape != y.shape:                 # an axis of length 1 stretched, as NumPy stretched it
                out = np.empty(y.shape, t.dtype)
                out[...] = t
                return out
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


def keep_where(mask, g):
    return _runtime("elementwise", "keep_where")(mask, g)


@overload(keep_where)
def _keep_where(mask, g):
    # g where mask holds, else 0 (not g * mask: inf * 0 is nan)
    if isinstance(mask, types.Boolean) and _is_scalar(g):
        return lambda mask, g: g if mask else 0.0
    if isinstance(mask, types.Array) or isinstance(g, types.Array):
        return lambda mask, g: np.where(mask, g, 0.0)
    return None


def extremum_adjoint(g, x, y, axis=None, keepdims=False):
    return _runtime("reductions", "extremum_adjoint")(g, x, y, axis, keepdims)


def _axis_of(axis, ndim: int):
    """None for the whole array (no axis), the axis in range(ndim) for a literal one, False otherwise
    (an axis known only at run time, or a tuple of axes: the Python helper)."""
    if _absent(axis):
        return None
    if isinstance(axis, types.IntegerLiteral):
        k = axis.literal_value + ndim if axis.literal_value < 0 else axis.literal_value
        return k if 0 <= k < ndim else False
    return False


def _flag(keepdims):
    """keepdims as a Python bool when it is a literal (or left out), None otherwise."""
    if isinstance(keepdims, bool):           # the overload's default, the argument left out
        return keepdims
    if _absent(keepdims):
        return False
    if isinstance(keepdims, types.BooleanLiteral):
        return keepdims.literal_value
    return None


def _adjoint_dtype(x):
    return x.dtype if isinstance(x.dtype, types.Float) else types.float64


@overload(extremum_adjoint)
def _extremum_adjoint(g, x, y, axis=None, keepdims=False):
    # np.max / np.min: g goes to the elements equal to the extremum, shared equally among ties, exactly as
    # the Python helper computes it: hits * (g / the number of hits in the group)
    if not (_is_scalar(g) or isinstance(g, types.Array)):
        return None
    if _is_scalar(x):
        if not (_absent(axis) and _is_scalar(g) and _is_scalar(y)):
            return None

        def number(g, x, y, axis=None, keepdims=False):
            hits = 1.0 if x == y else 0.0         # np.divide: a nan x gives nan, as NumPy's does
            return hits * np.divide(g, hits)
        return number
    if not isinstance(x, types.Array):
        return None
    k, kept = _axis_of(axis, x.ndim), _flag(keepdims)
    if k is False or kept is None:
        return None
    dtype = _adjoint_dtype(x)
    if k is None or x.ndim == 1:               # one group: the whole array, or the one axis of a vector
        def whole(g, x, y, axis=None, keepdims=False):
            hits = (x == y).astype(dtype)
            return hits * np.divide(g, np.sum(hits))
        return whole
    if kept:
        def along_kept(g, x, y, axis=None, keepdims=False):
            hits = (x == y).astype(dtype)
            return hits * (g / np.expand_dims(np.sum(hits, axis=k), k))
        return along_kept

    def along(g, x, y, axis=None, keepdims=False):
        hits = (x == np.expand_dims(y, k)).astype(dtype)
        return hits * (np.expand_dims(g, k) / np.expand_dims(np.sum(hits, axis=k), k))
    return along


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
    if _full_mask(dx, index) and (_is_scalar(g) or isinstance(g, types.Array) and g.ndim == 1):
        def full_mask(dx, index, g):          # a mask selects each position once: no repeats to count
            dx[index] = dx[index] + g
            return dx
        return full_mask
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
    # a @ b between vectors and matrices (numba's @ with SciPy's BLAS, loops without it)
    if not (_matrices(a, b) and (_is_scalar(g) or _matrices(g))):
        return None
    if b.ndim == 1 and a.ndim == 1:
        return lambda g, a, b: g * b
    if b.ndim == 1:
        return lambda g, a, b: np.outer(g, b)
    if a.ndim == 2:
        return lambda g, a, b: matmul(g, np.ascontiguousarray(b.T))
    return lambda g, a, b: matmul(b, g)


@overload(matmul_adjoint_right)
def _matmul_adjoint_right(g, a, b):
    if not (_matrices(a, b) and (_is_scalar(g) or _matrices(g))):
        return None
    if a.ndim == 1 and b.ndim == 1:
        return lambda g, a, b: g * a
    if a.ndim == 1:
        return lambda g, a, b: np.outer(a, g)
    if b.ndim == 2:
        return lambda g, a, b: matmul(np.ascontiguousarray(a.T), g)
    return lambda g, a, b: matmul(g, a)


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
    # np.var: g * 2 (x - mean) / (N - ddof), N the count of each reduced group
    kept = _flag(keepdims)
    if kept is None or not (_is_scalar(g) or isinstance(g, types.Array)):
        return None
    if _is_scalar(x):
        if not _absent(axis):
            return None
        return lambda g, x, axis=None, ddof=0, keepdims=False: g * (2 / (1 - ddof)) * (x - x)
    if not isinstance(x, types.Array):
        return None
    k = _axis_of(axis, x.ndim)
    if k is False:
        return None
    if k is None or x.ndim == 1:
        def whole(g, x, axis=None, ddof=0, keepdims=False):
            return g * (2 / (x.size - ddof)) * (x - np.mean(x))
        return whole
    if kept:
        def along_kept(g, x, axis=None, ddof=0, keepdims=False):
            n = x.shape[k]
            return g * (2 / (n - ddof)) * (x - np.expand_dims(np.sum(x, axis=k) / n, k))
        return along_kept

    def along(g, x, axis=None, ddof=0, keepdims=False):
        n = x.shape[k]
        return np.expand_dims(g, k) * (2 / (n - ddof)) * (x - np.expand_dims(np.sum(x, axis=k) / n, k))
    return along


def std_adjoint(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
    return _runtime("nan_reductions", "std_adjoint")(g, a, y, axis, ddof, keepdims, nan)


@overload(std_adjoint)
def _std_adjoint(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
    # np.std: the variance's adjoint of g / (2 y); a group of one element with ddof 0 gets 0 (its deviation is
    # 0 whatever the element), not the formula's 0 / 0. np.nanstd (nan=True) is the Python helper's
    if _flag(nan) is not False:
        return None
    kept = _flag(keepdims)
    if kept is None or not (_is_scalar(g) or isinstance(g, types.Array)):
        return None
    if _is_scalar(a) or _is_scalar(g):
        if not (_is_scalar(y) and _is_scalar(g) and (_absent(axis) or isinstance(a, types.Array) and a.ndim == 1)):
            return None

        def number(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
            count = np.size(a)
            share = 0.0 if count == 1 and ddof == 0 else np.divide(g, 2 * y)
            return var_adjoint(share, a, axis, ddof, True)
        return number
    if not (isinstance(a, types.Array) and isinstance(y, types.Array)):
        return None
    k = _axis_of(axis, a.ndim)
    if k is False:
        return None
    if k is None or kept:
        def same(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
            count = a.size // max(y.size, 1)
            share = np.zeros_like(g / 2.0) if count == 1 and ddof == 0 else g / (2 * y)
            return var_adjoint(share, a, axis, ddof, True)
        return same

    def restored(g, a, y, axis=None, ddof=0, keepdims=False, nan=False):
        count = a.size // max(y.size, 1)
        gk, yk = np.expand_dims(g, k), np.expand_dims(y, k)
        share = np.zeros_like(gk / 2.0) if count == 1 and ddof == 0 else gk / (2 * yk)
        return var_adjoint(share, a, axis, ddof, True)
    return restored


def cumsum_adjoint(g, x, axis=None):
    return _runtime("reductions", "cumsum_adjoint")(g, x, axis)


@overload(cumsum_adjoint)
def _cumsum_adjoint(g, x, axis=None):
    # np.cumsum's adjoint: each position gets the sum of g from there to the end (of its row along the axis;
    # the flattened array with no axis), added from the end as the Python helper's cumsum of the flipped g adds
    if not (isinstance(g, types.Array) and isinstance(g.dtype, types.Float) and isinstance(x, types.Array)):
        return None
    k = _axis_of(axis, x.ndim)
    if k is False or (k is not None and g.ndim != x.ndim):
        return None
    if k is None:
        def flat(g, x, axis=None):
            return _sums_to_the_end(np.ravel(g).reshape((1, g.size))).reshape(x.shape)
        return flat
    return _along_rows(g.ndim, k, "_sums_to_the_end(rows)", "g, x, axis=None", "g")


def _along_rows(ndim: int, k: int, computed: str, parameters: str, array: str):
    """A numba implementation applying `computed` (of `rows`, a C-ordered 2-D array whose rows are `array`'s
    lines along axis k) and giving the result back in `array`'s shape and axis order."""
    others = [a for a in range(ndim) if a != k]
    order = [*others, k]
    inverse = [order.index(a) for a in range(ndim)]
    outer = " * ".join(f"{array}.shape[{a}]" for a in others) or "1"
    moved = ", ".join(f"{array}.shape[{a}]" for a in order)
    text = (f"def along({parameters}):\n"
            f"    rows = np.ascontiguousarray({array}.transpose(({', '.join(map(str, order))},)))"
            f".reshape(({outer}, {array}.shape[{k}]))\n"
            f"    out = {computed}\n"
            f"    return out.reshape(({moved},)).transpose(({', '.join(map(str, inverse))},))\n")
    scope = {"np": np, "_sums_to_the_end": _sums_to_the_end, "_products_of_others": _products_of_others}
    exec(text, scope)
    return scope["along"]


@njit
def _sums_to_the_end(rows):
    out = np.empty_like(rows)
    for r in range(rows.shape[0]):
        n = rows.shape[1]
        if n:
            running = rows[r, n - 1]
            out[r, n - 1] = running
            for i in range(n - 2, -1, -1):
                running = running + rows[r, i]
                out[r, i] = running
    return out


@njit
def _products_of_others(rows):
    # for each element the product of those before it times that of those after it, each multiplied in the
    # order the Python helper's cumprods multiply them, so a zero needs no division and the bits are the same
    out = np.empty_like(rows)
    n = rows.shape[1]
    after = np.empty(n, rows.dtype)
    for r in range(rows.shape[0]):
        running = 1.0
        for i in range(n - 1, -1, -1):
            after[i] = running
            running = running * rows[r, i]
        running = 1.0
        for i in range(n):
            out[r, i] = running * after[i]
            running = running * rows[r, i]
    return out


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
    # np.prod's adjoint: over the whole array, or along one axis (each line along it one row)
    if _is_scalar(x):
        return lambda x, axis=None: 1.0
    if not (isinstance(x, types.Array) and isinstance(x.dtype, types.Float)):
        return None
    k = _axis_of(axis, x.ndim)
    if k is None or (k is not False and x.ndim == 1):
        def whole(x, axis=None):
            return _products_of_others(np.ravel(x).reshape((1, x.size))).reshape(x.shape)
        return whole
    if k is False:
        return None
    return _along_rows(x.ndim, k, "_products_of_others(rows)", "x, axis=None", "x")


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


def numpy_values_like(x, value, dtype=None):
    return value


@overload(numpy_values_like)
def _numpy_values_like(x, value, dtype=None):
    # a constant a rule made with NumPy, as an array of x's library: compiled code has NumPy's alone, so it
    # is the value itself (np.asarray of an array is that array; a number stands for its 0-d array)
    if _absent(dtype) and (isinstance(value, types.Array) or _is_scalar(value)):
        return lambda x, value, dtype=None: value
    return None


def nonempty_range(r):
    return r


@overload(nonempty_range)
def _nonempty_range(r):
    # a loop peeled for a name that is a number before it and an array in it (peel.py): with no iteration
    # the name stays a number, which the compiled code after it cannot be: Python answers that call
    if isinstance(r, types.RangeType):
        def check(r):
            if len(r) == 0:
                raise NeedsPython("a loop whose carried number becomes an array runs no iteration")
            return r
        return check
    return None


def reshape_as(a, like):
    return np.reshape(a, np.shape(like))


@overload(reshape_as)
def _reshape_as(a, like):
    # `np.reshape(dy, np.shape(s))` (an adjoint given the shape of its value): where `s` is a number NumPy
    # gives a 0-d array, which numba's arithmetic and these helpers do not take; its one element is the
    # number it stands for (numba_source writes this only where neither array is written in place)
    if _is_scalar(like) and _is_scalar(a):
        return lambda a, like: a
    if _is_scalar(like) and isinstance(a, types.Array):
        def one_element(a, like):
            if a.size != 1:
                raise ValueError("cannot reshape an array of more than one element into the shape of a number")
            return np.ravel(a)[0]
        return one_element
    if isinstance(like, types.Array):
        return lambda a, like: np.reshape(a, like.shape)
    return None


# ---- NumPy's own functions, where numba's versions refuse what generated code gives them --------------------
# Registered for those cases only (numba tries these overloads before its own, so each declines every case
# numba compiles), they add to numba's np.ravel, ... in this process; generated modules that call one import
# this file (numba_source.NUMPY_CASES).


@overload(np.ravel)
def _ravel_number(a, order="C"):
    # np.ravel(0.5) (np.outer's adjoint of a number): an array of one element
    if _is_scalar(a) and (order == "C" or isinstance(order, types.StringLiteral) and order.literal_value == "C"):
        return lambda a, order="C": np.array([a])
    return None


@overload(np.reshape)
def _reshape_number(a, newshape):
    # np.reshape(0.5, (1,)), np.reshape(dy, np.shape(s)) of a number: its one element in that shape
    if not _is_scalar(a):
        return None
    if isinstance(newshape, types.Integer):
        return lambda a, newshape: np.array([a]).reshape((newshape,))
    if isinstance(newshape, types.BaseTuple) and all(isinstance(n, types.Integer) for n in newshape):
        return lambda a, newshape: np.array([a]).reshape(newshape)
    return None


@overload(np.clip)
def _clip_numbers(a, a_min, a_max, out=None):
    # between numbers numba has no np.clip: NumPy's minimum(maximum(a, a_min), a_max), a nan anywhere kept
    if not (_is_scalar(a) and _is_scalar(a_min) and _is_scalar(a_max) and _absent(out)):
        return None

    def numbers(a, a_min, a_max, out=None):
        low = a if a != a or a > a_min else a_min
        return low if low != low or low < a_max else a_max
    return numbers


@overload(np.flip)
def _flip_axis(m, axis=None):
    # numba's np.flip takes no axis: np.flip(dy, None) (np.flip's adjoint) reverses every axis, an axis one
    if not isinstance(m, types.Array) or axis is None or isinstance(axis, types.Omitted):
        return None                              # np.flip(m): numba's
    k = _axis_of(axis, m.ndim)
    if k is False:
        return None
    steps = ", ".join("::-1" if k is None or a == k else ":" for a in range(m.ndim))
    scope = {}
    exec(f"def flipped(m, axis=None):\n    return m[{steps}]\n", scope)
    return scope["flipped"]


@overload(np.var)
def _var_number(a):
    # np.var of a number: its deviation from itself, squared (0.0, or nan for inf and nan)
    if _is_scalar(a):
        def number(a):
            deviation = a - a / 1
            return deviation * deviation / 1
        return number
    return None


def _blas() -> bool:
    """Whether numba's matrix products work here (they need SciPy's BLAS)."""
    try:
        from numba.np.linalg import ensure_blas
        ensure_blas()
        return True
    except ImportError:
        return False


def _float_matrices(a, b) -> bool:
    return all(isinstance(t, types.Array) and t.ndim in (1, 2) and isinstance(t.dtype, types.Float) for t in (a, b))


@njit
def _matmul_loops(a, b):
    """a @ b between float64 matrices, each element's terms added in order (without BLAS)."""
    out = np.zeros((a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            aik = a[i, k]
            for j in range(b.shape[1]):
                out[i, j] += aik * b[k, j]
    return out


def _matmul_implementation(a, b):
    """NumPy's a @ b for vectors and matrices: numba's where it has BLAS, loops where it has not."""
    if _blas():
        return lambda a, b: a @ b
    if a.ndim == 2 and b.ndim == 2:
        def matrices(a, b):
            if a.shape[1] != b.shape[0]:
                raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0")
            return _matmul_loops(a, b)
        return matrices
    if a.ndim == 2:
        def matrix_vector(a, b):
            if a.shape[1] != b.shape[0]:
                raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0")
            return _matmul_loops(a, b.reshape((b.size, 1))).reshape(a.shape[0])
        return matrix_vector
    if b.ndim == 2:
        def vector_matrix(a, b):
            if a.shape[0] != b.shape[0]:
                raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0")
            return _matmul_loops(a.reshape((1, a.size)), b).reshape(b.shape[1])
        return vector_matrix

    def vectors(a, b):
        if a.shape[0] != b.shape[0]:
            raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0")
        total = 0.0
        for i in range(a.shape[0]):
            total += a[i] * b[i]
        return total
    return vectors


def matmul(a, b):
    return a @ b


@overload(matmul)
def _matmul(a, b):
    # `a @ b` where SciPy is absent (numba_source writes it so then): numba's @ needs SciPy's BLAS
    if _float_matrices(a, b):
        return _matmul_implementation(a, b)
    return None


# numba indexes with a boolean mask of one dimension only (with a mask of two, its typing makes a wrong type and its
# lowering stops on an assertion): `y[mask]`, `y[mask] = v` with a mask of y's own shape, as NumPy does them, the
# positions in C order


def _full_mask(a, index) -> bool:
    return isinstance(a, types.Array) and isinstance(index, types.Array) and isinstance(index.dtype, types.Boolean) \
        and index.ndim == a.ndim >= 2


@overload(operator.getitem)
def _masked_read(a, index):
    if not _full_mask(a, index):
        return None

    def masked(a, index):
        if a.shape != index.shape:
            raise IndexError("boolean index did not match indexed array")
        return np.ravel(a)[np.ravel(index)]
    return masked


@overload(operator.setitem)
def _masked_write(a, index, value):
    if not (_full_mask(a, index) and (_is_scalar(value) or isinstance(value, types.Array) and value.ndim == 1)):
        return None
    ndim = a.ndim
    loops = [f"{'    ' * (k + 1)}for i{k} in range(a.shape[{k}]):" for k in range(ndim)]
    place = ", ".join(f"i{k}" for k in range(ndim))
    pad = "    " * (ndim + 1)
    element = "value" if _is_scalar(value) else "value[0 if value.size == 1 else k]"
    text = "\n".join([
        "def masked(a, index, value):",
        "    if a.shape != index.shape:",
        "        raise IndexError('boolean index did not match indexed array')",
        *([] if _is_scalar(value) else [
            "    count = np.sum(index)",
            "    if value.size != count and value.size != 1:",
            "        raise ValueError('NumPy boolean array indexing assignment cannot assign these input values')"]),
        "    k = 0",
        *loops,
        f"{pad}if index[{place}]:",
        f"{pad}    a[{place}] = {element}",
        f"{pad}    k += 1"]) + "\n"
    scope = {"np": np}
    exec(text, scope)
    return scope["masked"]
