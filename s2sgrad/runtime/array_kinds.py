"""Which values are arrays of another library: a module of its own, below every other runtime module,
so the modules that tell arrays from the user's objects (receivers.py) need nothing else to ask."""
from __future__ import annotations

import numpy as np

_PLAIN = (int, float, complex, bool, np.ndarray, np.generic)


def is_foreign_array(value) -> bool:
    """An array of another library (Dask, CuPy, a user's type): it speaks NumPy's protocols but is no ndarray."""
    if isinstance(value, _PLAIN):
        return False
    return hasattr(value, "shape") and hasattr(value, "dtype") and (
        hasattr(value, "__array_function__") or hasattr(value, "__array_ufunc__")
        or hasattr(value, "__array_namespace__"))
