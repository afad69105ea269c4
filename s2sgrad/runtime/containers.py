"""Adjoints of containers: tuples, lists and dicts of numbers and arrays (like JAX pytrees).

Inside the reverse sweep the adjoint of a tuple or list is a list (so it can
be scattered into) and the adjoint of a dict is a dict. Adding two of them adds
element by element; `+` would concatenate lists, so the generated code calls
`add_adjoints` wherever a value may be a container.
"""
from __future__ import annotations

import copy

import numpy as np


def add_adjoints(a, b):
    """a + b, element by element for lists, tuples and dicts (missing dict keys count as zero)."""
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
        return {k: add_adjoints(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in {**a, **b}}
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return [add_adjoints(x, y) for x, y in zip(a, b)]
    if isinstance(a, (list, tuple)):
        return add_adjoints(a, [b] * len(a)) if np.ndim(b) == 0 else np.asarray(a) + b
    if isinstance(b, (list, tuple)):
        return add_adjoints([a] * len(b), b) if np.ndim(a) == 0 else a + np.asarray(b)
    return a + b


def match_structure(gradient, like):
    """The gradient shaped as the value it belongs to: a tuple for a tuple, a dict for a dict, ...

    A zero adjoint (0.0, when nothing flowed into the value) becomes zeros of
    the value's structure.
    """
    if isinstance(like, tuple) and not hasattr(like, "_fields"):
        return tuple(match_structure(_item(gradient, i), v) for i, v in enumerate(like))
    if isinstance(like, tuple):              # a namedtuple keeps its type
        return type(like)(*(match_structure(_item(gradient, i), v) for i, v in enumerate(like)))
    if isinstance(like, list):
        return [match_structure(_item(gradient, i), v) for i, v in enumerate(like)]
    if isinstance(like, dict):
        return {k: match_structure(_item(gradient, k), v) for k, v in like.items()}
    if isinstance(gradient, dict) and hasattr(like, "__dict__") and not isinstance(like, (dict, np.ndarray)):
        # the user's object: a copy of it whose differentiable fields hold their gradients
        result = copy.copy(like)
        for name, g in gradient.items():
            setattr(result, name, match_structure(g, getattr(like, name)))
        return result
    if isinstance(like, float) and np.ndim(gradient) == 0:
        return float(gradient)
    if isinstance(like, np.ndarray) and np.ndim(gradient) == 0 and like.ndim > 0:
        return np.full_like(like, gradient, dtype=np.result_type(like.dtype, np.float32))
    return gradient


def _item(gradient, key):
    if isinstance(gradient, (list, tuple, dict)) or (isinstance(gradient, np.ndarray) and gradient.ndim > 0):
        return gradient[key]
    return gradient                         # a zero standing for the whole container
