"""Values as a drawing shows them: numbers as the seeds write them, arrays by shape and a summary.

`short` fits on a node ("6", "0.8415", "[3×4] mean 0.125"); `full` is for a
tooltip or a table (min, max and mean of an array, the whole repr of a number).
"""
from __future__ import annotations

import numbers

import numpy as np

# a 1-D array this short is shown element by element
_SHOWN_ELEMENTS = 3


def short(value) -> str:
    if isinstance(value, (bool, np.bool_)) or value is None:
        return str(value)
    if isinstance(value, numbers.Number):
        return _number(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return short(value.item())
        if value.ndim == 1 and value.size <= _SHOWN_ELEMENTS and value.dtype.kind in "biuf":
            return "[" + ", ".join(_number(v) for v in value.tolist()) + "]"
        return f"[{'×'.join(str(n) for n in value.shape)}] {_array_summary(value)}"
    if isinstance(value, (tuple, list)):
        if len(value) <= _SHOWN_ELEMENTS and all(isinstance(v, numbers.Number) for v in value):
            inside = ", ".join(_number(v) for v in value)
            return f"({inside},)" if isinstance(value, tuple) and len(value) == 1 else \
                (f"({inside})" if isinstance(value, tuple) else f"[{inside}]")
        return f"{type(value).__name__} of {len(value)}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 16 else repr(value[:13]) + "…"
    return type(value).__name__


def full(value) -> str:
    if isinstance(value, np.ndarray) and value.ndim > 0:
        text = f"{value.dtype} array of shape {value.shape}"
        if value.size and value.dtype.kind in "biufc":
            data = value.astype(complex if value.dtype.kind == "c" else float)
            text += f"; min {_number(data.real.min())}, max {_number(data.real.max())}, mean {_number(data.mean())}"
        return text
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return repr(value.item() if isinstance(value, np.generic) else value)
    return short(value)


def _number(value) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, complex):
        return f"{value:.4g}"
    if float(value).is_integer() and abs(value) < 1e15:       # 24576, as the seeds write it, not 2.458e+04
        return str(int(value))
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def _array_summary(value: np.ndarray) -> str:
    if value.size == 0:
        return "empty"
    if value.dtype.kind in "biuf":
        return f"mean {_number(float(np.mean(value)))}"
    if value.dtype.kind == "c":
        return f"mean {_number(complex(np.mean(value)))}"
    return str(value.dtype)
