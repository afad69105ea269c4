"""`jvp`: forward-mode derivatives with JAX's signature.

    value, tangent = s2sgrad.jvp(f, (x, y), (x_dot, y_dot))

returns f(x, y) and its directional derivative along (x_dot, y_dot), computed
by generated code that runs each operation's tangent right after it
(`t2_dot = t1_dot * np.cos(t1)`); `jvp_source(f, x, y)` prints that code.
Arguments that hold integers carry no tangent, as in JAX.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..errors import WrtError
from ..transform import build_tangent_program, prepare
from .any_callable import as_python_function


def jvp(fun, primals, tangents):
    """(fun(*primals), the derivative of fun at primals along tangents); primals and tangents are tuples."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise WrtError(f"jvp got {len(primals)} primals but {len(tangents)} tangents: give one tangent per primal")
    program, names = _program(fun, primals)
    for name, p, t in zip(names, primals, tangents):
        if np.shape(p) != np.shape(t) and not isinstance(p, (list, tuple, dict)):
            raise WrtError(f"jvp: the tangent of `{name}` is shaped {np.shape(t)}, its primal {np.shape(p)}: "
                           "each tangent must have its primal's shape")
    active = {n: t for n, t, p in zip(names, tangents, primals) if _differentiable(p)}
    return program.function(*primals, **{f"{n}_dot": t for n, t in active.items()})


def jvp_source(fun, *primals) -> str:
    """The generated forward-mode code a jvp call with these primals runs."""
    return _program(fun, primals)[0].source


def _program(fun, primals):
    target = as_python_function(fun)
    prepared = prepare(target)
    names = prepared.ssa.params[:len(primals)]
    wrt = tuple(n for n, p in zip(names, primals) if _differentiable(p))
    scalars = frozenset(n for n, p in zip(names, primals) if isinstance(p, numbers.Number))
    # keyword-only parameters jvp leaves at their number defaults (a generated gradient's seed `df=1.0`)
    scalars |= {n for n, v in (target.__kwdefaults__ or {}).items() if isinstance(v, numbers.Number)}
    key = ("jvp", wrt, scalars)
    program = prepared.programs.get(key)
    if program is None:
        program = prepared.programs[key] = build_tangent_program(prepared, wrt, scalars)
    return program, names


def _differentiable(value) -> bool:
    if isinstance(value, (bool, int, np.integer)):
        return False
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc"
    return True
