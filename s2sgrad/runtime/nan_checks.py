"""What `grad(f, debug_nans=True)` adds after every assignment of the generated gradient.

`stop_at_nan(t1, "t1", "model.py", 12, "forward")` raises as soon as a value the
forward sweep or the reverse sweep computes holds a NaN or an infinity, naming
the generated variable, the sweep, and the user's line it was computed for.
Values that are not numbers (tuples of adjoints, records of calls, None) are
looked into where they are tuples or lists, and otherwise let through.
"""
from __future__ import annotations

import linecache

import numpy as np

from ..errors import NaNError


def stop_at_nan(value, name: str, filename: str, line: int, sweep: str):
    if _finite(value):
        return
    code = linecache.getline(filename, line).strip() if line > 0 else ""
    where = f'  File "{filename}", line {line}\n    {code}' if line > 0 else "  (a statement s2sgrad added)"
    kind = "an adjoint in the reverse sweep" if sweep == "reverse" else "a value in the forward sweep"
    raise NaNError(
        f"debug_nans: `{name}`, {kind}, is {_describe(value)}; it was computed for this line of yours:\n"
        f"{where}\n  The generated code's traceback below shows the statement that produced it.")


def _finite(value) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_finite(v) for v in value)
    try:
        return bool(np.all(np.isfinite(value)))
    except TypeError:                   # not a number: a record, a string, None
        return True


def _describe(value) -> str:
    if isinstance(value, (tuple, list)):
        return "a sequence holding " + next(_describe(v) for v in value if not _finite(v))
    has_nan = bool(np.any(np.isnan(value)))
    return "NaN" if has_nan else "infinite"


__all__ = ["stop_at_nan"]
