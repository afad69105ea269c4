"""Numeric gradient check by central differences (seed 001's check, step near 1e-4).

Arguments may be numbers, arrays, or tuples/lists/dicts of them (checked leaf by leaf).
"""
from __future__ import annotations

import copy
import inspect

import numpy as np

from ..errors import GradientCheckError
from .gradient_function import GradientFunction, _normalize_wrt


def numeric_grad(f, *args, wrt=0, eps: float = 1e-5, **kwargs):
    """Central differences (f(x + h) - f(x - h)) / 2h for each element of each input in `wrt`."""
    signature = inspect.signature(f)
    names, single = _normalize_wrt(signature, wrt, f)
    bound = signature.bind(*args, **kwargs)
    results = []
    for name in names:
        def evaluate(value, name=name):
            moved = inspect.BoundArguments(bound.signature, dict(bound.arguments))
            moved.arguments[name] = value
            return float(f(*moved.args, **moved.kwargs))
        results.append(_numeric(evaluate, bound.arguments[name], eps))
    return results[0] if single else tuple(results)


def _numeric(evaluate, x, eps):
    """The numeric gradient of evaluate at x, with x's structure."""
    if isinstance(x, (tuple, list)):
        parts = [_numeric(lambda v, i=i: evaluate(_replace(x, i, v)), e, eps) for i, e in enumerate(x)]
        return type(x)(parts) if not hasattr(x, "_fields") else type(x)(*parts)
    if isinstance(x, dict):
        return {k: _numeric(lambda v, k=k: evaluate({**x, k: v}), e, eps) for k, e in x.items()}
    if _is_object(x):                 # the user's object: its numeric fields, in a copy of it
        result = copy.copy(x)
        for name, field in vars(x).items():
            if isinstance(field, (int, float, np.ndarray, tuple, list, dict)) and not isinstance(field, bool):
                setattr(result, name, _numeric(lambda v, name=name: evaluate(_with_field(x, name, v)), field, eps))
        return result
    scalar = np.ndim(x) == 0 and not isinstance(x, np.ndarray)
    base = np.array(x, dtype=np.float64)          # differences are taken in float64 whatever x's dtype
    grad = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        h = eps * max(1.0, abs(float(base[index])))
        values = []
        for sign in (+1, -1):
            shifted = base.copy()
            shifted[index] += sign * h
            values.append(evaluate(float(shifted) if scalar else shifted))
        grad[index] = (values[0] - values[1]) / (2 * h)
    return float(grad) if scalar else grad


def _is_object(x) -> bool:
    return hasattr(x, "__dict__") and not isinstance(x, (np.ndarray, type)) and not callable(x)


def _with_field(obj, name, value):
    moved = copy.copy(obj)
    setattr(moved, name, value)
    return moved


def _replace(sequence, index, value):
    items = list(sequence)
    items[index] = value
    if isinstance(sequence, tuple):
        return type(sequence)(*items) if hasattr(sequence, "_fields") else tuple(items)
    return items


def _pairs(path, analytic, numeric):
    """(path, analytic leaf, numeric leaf) for every leaf of the numeric gradient's structure."""
    if isinstance(numeric, (tuple, list)):
        for i, n in enumerate(numeric):
            yield from _pairs(f"{path}[{i}]", analytic[i], n)
    elif isinstance(numeric, dict):
        for k, n in numeric.items():
            yield from _pairs(f"{path}[{k!r}]", analytic[k], n)
    elif _is_object(numeric):
        for name, n in vars(numeric).items():
            if isinstance(n, (float, np.ndarray, tuple, list, dict)):
                yield from _pairs(f"{path}.{name}", getattr(analytic, name), n)
    else:
        yield path, analytic, numeric


def check_grad(f, *args, wrt=0, eps: float = 1e-5, rtol: float | None = None, atol: float | None = None, **kwargs):
    """Compare s2sgrad's gradient of `f` with central differences; raise GradientCheckError on disagreement.

    Returns the analytic gradients when they agree.
    """
    g = f if isinstance(f, GradientFunction) else GradientFunction(f, wrt)
    f = g.target
    analytic = g(*args, **kwargs)
    numeric = numeric_grad(f, *args, wrt=wrt, eps=eps, **kwargs)
    if g._single:
        analytic, numeric = (analytic,), (numeric,)
    for name, a_tree, n_tree in zip(g.wrt, analytic, numeric):
        for path, a, n in _pairs(name, a_tree, n_tree):
            _compare(f, path, a, n, rtol, atol)
    return analytic[0] if g._single else analytic


def _compare(f, name, a, n, rtol, atol) -> None:
    low_precision = np.asarray(a).dtype == np.float32
    r = rtol if rtol is not None else (2e-2 if low_precision else 1e-5)
    t = atol if atol is not None else (2e-2 if low_precision else 1e-6)
    a_arr, n_arr = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    if a_arr.shape != n_arr.shape:
        raise GradientCheckError(
            f"check_grad: the gradient of {f.__qualname__} with respect to `{name}` has shape "
            f"{a_arr.shape}, but `{name}` has shape {n_arr.shape}")
    bad = ~np.isclose(a_arr, n_arr, rtol=r, atol=t)
    if np.any(bad):
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {index}" if index else ""
        raise GradientCheckError(
            f"check_grad: the gradient of {f.__qualname__} with respect to `{name}` disagrees with "
            f"central differences{where}: analytic {a_arr[index]!r}, numeric {n_arr[index]!r} "
            f"(rtol={r}, atol={t}, {int(bad.sum())} of {bad.size} elements differ)")
