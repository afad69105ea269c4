"""An array type that cannot be converted to numpy.ndarray, like a lazy or a GPU array.

`Refusing` holds a NumPy array but refuses every conversion (`__array__`, `float()`, `int()`,
`bool()`, `.item()`, `.tolist()`): what would pull a Dask array into memory or a CuPy array off the
GPU raises `Conversion` instead. It takes part in NumPy's protocols like those libraries do: a NumPy
function or ufunc given one unwraps, computes, and wraps the result again, so code that keeps to
NumPy's functions, operators and methods runs on it and returns Refusing arrays.
"""
from __future__ import annotations

import numpy as np


class Conversion(AssertionError):
    """Code converted a Refusing array to NumPy (or to a Python number, or asked for its truth)."""


def wrap(value):
    """NumPy arrays and scalars (and those inside tuples and lists) as Refusing arrays."""
    if isinstance(value, (np.ndarray, np.generic)) and not isinstance(value, np.bool_):
        return Refusing(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(wrap(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(wrap(v) for v in value)
    return value


def unwrap(value):
    if isinstance(value, Refusing):
        return value.data
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(unwrap(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    return value


def _refuse(what):
    def refused(self, *args, **kwargs):
        raise Conversion(f"{what} of a Refusing array: a runtime helper converted an array of another library")
    return refused


class Refusing(np.lib.mixins.NDArrayOperatorsMixin):
    __slots__ = ("data",)

    def __init__(self, data):
        self.data = np.asarray(data)

    # ---- what a lazy or device array refuses ----
    __array__ = _refuse("np.asarray")
    __float__ = _refuse("float()")
    __int__ = _refuse("int()")
    __index__ = _refuse("operator.index()")
    __complex__ = _refuse("complex()")
    __bool__ = _refuse("bool()")
    item = _refuse(".item()")
    tolist = _refuse(".tolist()")

    # ---- metadata, known without computing ----
    shape = property(lambda self: self.data.shape)
    dtype = property(lambda self: self.data.dtype)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size)
    T = property(lambda self: Refusing(self.data.T))
    real = property(lambda self: Refusing(self.data.real))
    imag = property(lambda self: Refusing(self.data.imag))

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        return (wrap(row) for row in self.data)

    def __repr__(self):
        return f"Refusing(shape={self.shape}, dtype={self.dtype})"

    def __getitem__(self, index):
        return wrap(self.data[unwrap(index)])

    def __setitem__(self, index, value):
        self.data[unwrap(index)] = unwrap(value)

    def __getattr__(self, name):          # methods: astype, reshape, sum, copy, ... unwrapped and rewrapped
        if name.startswith("__") or name in ("data", "tobytes", "view", "ctypes", "flat", "base"):
            raise AttributeError(name)    # __array_interface__, buffers, views of the memory: conversions too
        attribute = getattr(self.data, name)
        if not callable(attribute):
            return wrap(attribute)
        return lambda *args, **kwargs: wrap(attribute(*unwrap(args), **unwrap(kwargs)))

    # ---- NumPy's protocols ----
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = unwrap(out)
        result = getattr(ufunc, method)(*unwrap(inputs), **{k: unwrap(v) for k, v in kwargs.items() if k != "out"},
                                        **({"out": kwargs["out"]} if out is not None else {}))
        if method == "at":
            return None
        return out[0] if out is not None and len(out) == 1 else wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        return wrap(func(*unwrap(args), **unwrap(kwargs)))
