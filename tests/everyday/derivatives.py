"""Both modes checked the same way: the reverse gradient against central differences, and the
forward-mode tangent (jvp) against the gradient's inner product with the same direction."""
from __future__ import annotations

import copy

import numpy as np

from s2sgrad import jvp

from .helpers import checked


def both_modes(f, *args, wrt=0, seed=0):
    """Check grad(f) and jvp(f) at args, moving only the `wrt` positions; return the gradient."""
    gradient = checked(f, *args, wrt=wrt)
    positions = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    grads = (gradient,) if isinstance(wrt, int) else tuple(gradient)
    rng = np.random.default_rng(seed)
    tangents = [direction(a, rng) if i in positions else zero_direction(a) for i, a in enumerate(args)]
    value, tangent = jvp(f, args, tuple(tangents))
    np.testing.assert_allclose(value, f(*args), rtol=1e-12)
    expected = sum(inner(g, tangents[i]) for i, g in zip(positions, grads))
    np.testing.assert_allclose(tangent, expected, rtol=1e-7, atol=1e-9)
    return gradient


def direction(value, rng):
    """A random tangent shaped like `value` (numbers in it; keys and other values kept)."""
    return _mapped(value, lambda leaf: float(rng.normal()) if isinstance(leaf, float)
                   else rng.normal(size=leaf.shape) if isinstance(leaf, np.ndarray) else leaf)


def zero_direction(value):
    return _mapped(value, lambda leaf: 0.0 if isinstance(leaf, float)
                   else np.zeros(leaf.shape) if isinstance(leaf, np.ndarray) else leaf)


def inner(gradient, tangent) -> float:
    """<gradient, tangent>, leaf by leaf, for numbers, arrays, sequences, dicts, namedtuples and objects."""
    if isinstance(tangent, dict):
        return sum(inner(gradient[k], t) for k, t in tangent.items())
    if isinstance(tangent, (tuple, list)):
        return sum(inner(g, t) for g, t in zip(gradient, tangent))
    if hasattr(tangent, "__dict__") and not isinstance(tangent, np.ndarray):
        return sum(inner(getattr(gradient, k), t) for k, t in vars(tangent).items() if _numeric(t))
    if not _numeric(tangent):
        return 0.0
    return float(np.sum(np.asarray(gradient) * np.asarray(tangent)))


def _numeric(value) -> bool:
    return isinstance(value, (float, np.ndarray, dict, tuple, list)) or hasattr(value, "__dict__")


def _mapped(value, leaf):
    if isinstance(value, dict):
        return {k: _mapped(v, leaf) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_mapped(v, leaf) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(_mapped(v, leaf) for v in value)
    if hasattr(value, "__dict__") and not isinstance(value, np.ndarray) and not callable(value):
        result = copy.copy(value)
        for name, field in vars(value).items():
            setattr(result, name, _mapped(field, leaf))
        return result
    return leaf(value)

