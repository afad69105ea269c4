"""Which array library a value belongs to, and library-neutral spellings of the few steps NumPy would convert.

The generated code and the runtime helpers call NumPy functions. NumPy hands a
call whose arguments implement its protocols (`__array_function__`,
`__array_ufunc__`: Dask, CuPy, ...) to that library, so most code needs nothing
here. What does: spellings that convert to `numpy.ndarray` on the way
(`np.asarray(g)`, `.item()`, `np.size` on Dask), values made from a Python
number (the output's seed 1.0 must become an array of the input's library, and
for Dask one chunked like the input), and calls a library does not implement
(Dask falls back to NumPy, which would pull the whole array into memory): those
stop with an error naming the function and the array type.

NumPy values keep their own fast paths; nothing here imports Dask or CuPy.
"""
from __future__ import annotations

import contextlib
import inspect
import linecache
import math
import os
import re
import traceback
import warnings

import numpy as np

from ..errors import MissingArrayFunctionError, UnsupportedConstructError
from .array_kinds import is_foreign_array  # noqa: F401  (re-exported: the runtime asks here)
from .calls import locate_generated_line



def any_foreign(values) -> bool:
    """Whether an argument list holds an array of another library (then gradient calls are checked, see checked_calls)."""
    return any(is_foreign_array(v) for v in values)


def library_of(value) -> str:
    """A short name for the library of `value`'s type, for messages: 'dask', 'cupy', 'numpy', ..."""
    return type(value).__module__.partition(".")[0]


def element_count(x):
    """The number of elements of `x`, read from its shape (np.size would be a NumPy fallback on Dask).

    An array whose shape is only known once computed (Dask after boolean
    indexing: NaN lengths) gets a lazy count of its own library instead.
    """
    if isinstance(x, (int, float, complex)):
        return 1
    shape = np.shape(x) if isinstance(x, (list, tuple)) else x.shape
    if all(isinstance(n, (int, np.integer)) for n in shape):
        return math.prod(shape)
    return np.sum(np.ones_like(x, dtype=np.int64))


def spread_to(g, x, dtype):
    """`g` (a number or an array that broadcasts against x) spread over x's shape, in x's library and dtype.

    For a NumPy `x` a read-only broadcast view (no copy). For another library
    the value is made by that library from x itself (zeros_like(x) + g), so a
    Dask result has x's chunks: the output's seed never becomes one in-memory
    array, and the task graph grows by one task per chunk.
    """
    if not is_foreign_array(x):
        if is_foreign_array(g):                 # a lazy seed (vjp with a Dask cotangent) stays lazy
            return np.zeros_like(x, dtype=dtype) + g
        return np.broadcast_to(np.asarray(g, dtype=dtype), np.shape(x))
    if isinstance(g, np.ndarray):               # made by NumPy from the Python-float seed: x's library's
        g = _made_like(g, x, None)              # (CuPy refuses a NumPy operand)
    total = np.zeros_like(x, dtype=dtype) + g
    return total if total.dtype == dtype else total.astype(dtype)


def array_of(value, dtype=None):
    """`value` as an array: one of another library stays in it (cast to `dtype` if given); a number, a
    list or a NumPy array goes through np.asarray."""
    if is_foreign_array(value):
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    return np.asarray(value, dtype=dtype)


def dtype_of(value):
    """The dtype of `value`, read from it (np.asarray(value).dtype would convert an array of another library)."""
    dtype = getattr(value, "dtype", None)
    return dtype if isinstance(dtype, np.dtype) else np.asarray(value).dtype


def in_library_of(value, x):
    """`value` as an array of x's library when x is another library's array and value came out as NumPy
    (an adjoint built from constants and a Python-float seed): an adjoint is of its input's type.

    The library makes it from the NumPy value itself (NEP 35's `like=`: cupy.asarray, da.asarray): CuPy
    refuses a NumPy operand in its arithmetic, so `zeros_like(x) + value` would not do."""
    if is_foreign_array(x) and not is_foreign_array(value):
        return _made_like(value, x, dtype_of(value))
    return value


def _made_like(value, x, dtype):
    """A NumPy value as an array of x's library: made by that library from it (NEP 35), or, for a type with
    no __array_function__ (like= needs one), as zeros of x's kind plus the value, as NumPy's ufuncs allow."""
    if hasattr(x, "__array_function__"):
        return np.asarray(value, dtype=dtype, like=x)
    return np.zeros_like(x, shape=np.shape(value), dtype=dtype if dtype is not None else dtype_of(value)) + value


def numpy_values_like(x, value, dtype=None):
    """`value` (a number, a list, a NumPy array: a constant a helper made with NumPy, an eye, an arange, a
    stencil) as an array to combine with x: NumPy's own for a NumPy x (the fast path, no copy), else one of
    x's library (CuPy refuses NumPy operands; Dask stays lazy)."""
    if is_foreign_array(value):
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    if is_foreign_array(x):
        return _made_like(value, x, dtype)
    return np.asarray(value, dtype=dtype)


def mask_like(condition, x):
    """A np.where condition computed from numbers only (`lmbda == 0`: a Python bool) as a 0-d array of x's
    library when x is another library's array: CuPy's where takes no Python bool. A mask, so no derivative."""
    if isinstance(condition, (bool, np.bool_)) and is_foreign_array(x):
        return _made_like(np.bool_(condition), x, None)
    return condition


def as_number_like(g, x):
    """An adjoint summed down to 0-d, for a Python number `x`: a Python float when g is NumPy's (the scalar
    fast path), else g itself, a 0-d array of its library (a Dask value stays lazy)."""
    if isinstance(g, (np.ndarray, np.generic)):
        return g.item()
    return g


def copy_of(value):
    """A copy of `value` made by its own library: the part of an array an in-place write is about to
    overwrite, saved to be put back (np.copy would pull a Dask array into memory: Dask lacks it).

    A number is returned as it is (nothing can change it), a list or dict element by element is a new
    list or dict (a write replaces elements, it does not change them), an array of another library is
    copied by its `.copy()`, a NumPy value by np.copy.
    """
    if isinstance(value, np.ndarray):
        return np.copy(value)
    if isinstance(value, (int, float, complex, bool, np.generic)) or value is None:
        return value
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if is_foreign_array(value):
        return value.copy()
    return np.copy(value)


def as_inexact(mask, dtype):
    """A boolean mask as 0.0 / 1.0 of `dtype`, in the mask's own library (np.asarray would convert it)."""
    if isinstance(mask, (bool, np.bool_)):
        return dtype.type(mask)
    return mask.astype(dtype)


# ---- calls a library lacks ----------------------------------------------------------

# Dask answers a NumPy function it lacks by calling NumPy's on the Dask array (which converts it) after
# this warning; NumPy's own dispatch raises this TypeError when every operand's library declines.
_DASK_FALLBACK = re.compile(r"The `(numpy\.[\w.]+)` function is not implemented by Dask array")
_NOT_IMPLEMENTED = re.compile(r"no implementation found for '(numpy\.[\w.]+)' on types that implement "
                              r"__array_function__: \[(.*)\]")
# ... and for a ufunc (scipy.special's iv, kv, jv, ellipe, which a derivative calls) every operand declined
_UFUNC_NOT_IMPLEMENTED = re.compile(r"operand type\(s\) all returned NotImplemented from __array_ufunc__\(<ufunc '(\w+)'>")


@contextlib.contextmanager
def checked_calls(values, target=None):
    """Run a gradient on arrays of another library; a NumPy function that library lacks stops with
    MissingArrayFunctionError (naming the function, the array type and the line) instead of converting."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=_DASK_FALLBACK.pattern, category=FutureWarning)
        try:
            yield
        except FutureWarning as exc:
            found = _DASK_FALLBACK.search(str(exc))
            if found is None:
                raise
            raise MissingArrayFunctionError(_missing(found.group(1), _type_name(values, "dask"), exc, target),
                                            found.group(1)) from None
        except TypeError as exc:
            found = _NOT_IMPLEMENTED.search(str(exc))
            if found is not None:
                raise MissingArrayFunctionError(_missing(found.group(1), found.group(2), exc, target),
                                                found.group(1)) from None
            foreign = [v for v in values if is_foreign_array(v)]
            function = _missing_ufunc(exc, library_of(foreign[0])) if foreign else None
            if function is None:
                raise
            # a ufunc a derivative calls (scipy.special.iv in i1's): the error keeps the generated code's frames,
            # so the API names the user's line that derivative belongs to (api/error_sites.py)
            array_type = f"{type(foreign[0]).__module__}.{type(foreign[0]).__qualname__}"
            error = MissingArrayFunctionError(_missing(function, array_type, exc, derivative=True), function)
            raise error.with_traceback(exc.__traceback__) from None
        except (NotImplementedError, IndexError, ValueError) as exc:
            refused = _refused_index(exc)
            if refused is None:
                raise
            raise refused from None


def _missing_ufunc(exc: TypeError, library: str):
    """'the ufunc <name>' when exc says every operand declined a ufunc; also for CuPy's answer to a SciPy ufunc
    it has only as a module of that name (scipy.special.zeta calls the ufunc _zeta: "'module' object is not
    callable" from CuPy's own __array_ufunc__), named by the line that called it. None for any other error."""
    found = _UFUNC_NOT_IMPLEMENTED.search(str(exc))
    if found is not None:
        return f"the ufunc {found.group(1)}"
    frames = traceback.extract_tb(exc.__traceback__)
    if "'module' object is not callable" in str(exc) and len(frames) > 1 and library in frames[-1].filename:
        return f"the ufunc that `{(frames[-2].line or frames[-2].name).strip()}` calls"
    return None


def _refused_index(exc: BaseException):
    """An UnsupportedConstructError naming the user's line, for Dask refusing an index of a read or write
    (`x[rows, cols] = v`) in generated code; None for any other error."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames or f"{os.sep}dask{os.sep}array{os.sep}" not in frames[-1].filename:
        return None
    generated = next((f for f in reversed(frames) if f"{os.sep}s2sgrad-generated{os.sep}" in f.filename), None)
    if generated is None or generated.line is None or "[" not in generated.line:
        return None
    tb, code = exc.__traceback__, None
    while tb is not None:              # the generated frame's code object, for the locator
        if tb.tb_frame.f_code.co_filename == generated.filename:
            code = tb.tb_frame.f_code
        tb = tb.tb_next
    store = re.match(r"\s*([\w.]+\[.*\])\s*[-+*/@]?=", generated.line)
    location = None
    if code is not None:
        location = locate_generated_line(code, generated.lineno)
        if location is None and store is not None:      # `x[i] = v`: the user's line is the save's, `t = copy_of(x[i])`
            location = locate_generated_line(code, _line_saving(generated.filename, generated.lineno, store.group(1)))
    # the write itself (or putting the old values back), or the copy of the part it overwrites saved before it
    written = store is not None or "copy_of(" in generated.line
    return UnsupportedConstructError(
        f"this {'write into' if written else 'read of'} a Dask array: Dask refuses its index "
        f"({type(exc).__name__}: {exc})", location,
        "in a gradient, Dask writes `x[index] = v` with integers, slices and at most one 1-D integer or boolean "
        "NumPy array in the index (a boolean Dask array cannot have the old values put back); compute the new "
        "array without writing into it (np.where(mask, v, x), np.concatenate of the pieces), or index one axis "
        "at a time")


def _line_saving(filename: str, lineno: int, subscript: str) -> int:
    """The line before `lineno` of the generated file that saves `subscript` (`t3 = copy_of(y[i])`), or 0."""
    saving = re.compile(rf"\s*\w+ = copy_of\({re.escape(subscript)}\)\s*$")
    for number in range(lineno - 1, 0, -1):
        if saving.match(linecache.getline(filename, number)):
            return number
    return 0


def _type_name(values, library: str) -> str:
    for value in values:
        if library_of(value) == library:
            return f"{type(value).__module__}.{type(value).__qualname__}"
    return library


def _missing(function: str, array_type: str, exc: BaseException, target=None, derivative=False) -> str:
    """The message; `derivative`: a function a derivative calls, not one the user's code does (the line
    is then the user's line of that derivative, which the API adds)."""
    if derivative:
        return (f"the derivative needs {function}, which is not provided for arrays of type {array_type}, and "
                f"s2sgrad does not convert them to numpy.ndarray inside a gradient (that would pull a lazy array "
                f"into memory or a GPU array to the host). Compute that part with NumPy yourself (e.g. on "
                f"x.compute() or x.get()), or give it a rule of your own (s2sgrad.defvjp) written with "
                f"functions the array library has.")
    where = (_user_line(target, function) if target is not None else "") or _caller_line(exc)
    return (f"{function} is not provided for arrays of type {array_type}, and s2sgrad does not convert them "
            f"to numpy.ndarray inside a gradient (that would pull a lazy array into memory or a GPU array to "
            f"the host){where}. Compute that part with NumPy yourself (e.g. on x.compute() or x.get()), or "
            f"write it with functions the array library has.")


def _caller_line(exc: BaseException) -> str:
    """', at <file>, line N: <code>' for the innermost frame outside NumPy, the array library and this module."""
    skip = ("numpy", "dask", "cupy", "contextlib", "warnings")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        module = frame.filename
        if frame.filename == __file__ or any(f"{sep}{name}{sep}" in module for name in skip
                                             for sep in ("/", "\\")):
            continue
        text = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        return f", at {frame.filename}, line {frame.lineno}, in {frame.name}: {text}"
    return ""


# what rule templates may call (the rest serves the runtime helpers and the API)
__all__ = ["copy_of", "element_count", "in_library_of", "mask_like", "numpy_values_like"]


def checked(function, target=None):
    """`function` (a generated gradient of `target`) run under checked_calls: for calls with arrays of another
    library. The error names the line of `target` that calls the missing function, where one does."""
    def run_checked(*args, **kwargs):
        with checked_calls((*args, *kwargs.values()), target):
            return function(*args, **kwargs)
    run_checked.__wrapped__ = function
    return run_checked


def _user_line(target, function: str) -> str:
    """'at <file>, line N: <code>' for the first line of `target` that calls `function` (numpy.linalg.det is
    written np.linalg.det, numpy.linalg.det, linalg.det or det), or ''."""
    try:
        lines, first = inspect.getsourcelines(target)
        filename = inspect.getsourcefile(target)
    except (OSError, TypeError):
        return ""
    name = function.rpartition(".")[2]
    for offset, text in enumerate(lines):
        if re.search(rf"\b{re.escape(name)}\s*\(", text) and not text.lstrip().startswith(("def ", "#")):
            return f", called in {target.__qualname__} at {filename}, line {first + offset}: {text.strip()}"
    return ""
