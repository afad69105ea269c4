"""Derivatives of scipy.integrate.odeint with respect to the initial state y0 and the extra arguments `args`.

y' = func(y, t, *args) is differentiated through the user's own `func`, which s2sgrad transforms like any
other Python function (call_vjp, call_jvp):

- reverse (the adjoint method): from the last time back to the first, the adjoint a of the state follows
  a' = -a df/dy and the arguments' adjoint collects -a df/dargs, integrated together with the state itself
  (run backwards); at each output time the adjoint of that output joins a;
- forward (sensitivities): the tangent s of the state follows s' = df/dy s + df/dargs args_dot, integrated
  beside the state from y0_dot.

Both integrate with scipy's odeint at tight tolerances (rtol, atol 1e-10 unless the call gave its own).
The times `t` are constants: a derivative reaching them is refused where the call is made.
"""
from __future__ import annotations

import numpy as np

from .calls import call_jvp, call_vjp

__all__ = ["odeint_adjoint_y0", "odeint_adjoint_args", "odeint_tangent"]


def _odeint():
    from scipy.integrate import odeint          # SciPy is optional: the rule exists only where it is installed
    return odeint


def _rhs(func, tfirst):
    """func as f(y, t, *args) whatever order the call used."""
    return (lambda y, t, *args: func(t, y, *args)) if tfirst else func


def _tolerances(rtol, atol):
    return {"rtol": 1e-10 if rtol is None else rtol, "atol": 1e-10 if atol is None else atol}


def _adjoints(g, func, y0, t, args, y, rtol, atol, tfirst):
    f = _rhs(func, tfirst)
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    n = int(np.size(y0))                         # odeint hands func the state as a 1-D array of n values
    sizes = [int(np.size(a)) for a in args]
    g = np.reshape(np.asarray(g, dtype=float), (len(t), n))
    y = np.reshape(np.asarray(y, dtype=float), (len(t), n))
    active = (0, *range(2, 2 + len(args)))

    def backwards(state, s):
        state_y, adjoint = state[:n], state[n:2 * n]
        parts = call_vjp(f, adjoint, state_y, s, *args, active=active)
        dy = np.ravel(f(state_y, s, *args))
        return np.concatenate([dy, -np.ravel(parts[0])] + [-np.ravel(p) for p in parts[1:]])

    adjoint, collected = g[-1].copy(), np.zeros(sum(sizes))
    for i in range(len(t) - 1, 0, -1):
        start = np.concatenate([y[i], adjoint, collected])
        end = _odeint()(backwards, start, [t[i], t[i - 1]], **_tolerances(rtol, atol))[-1]
        adjoint, collected = end[n:2 * n] + g[i - 1], end[2 * n:]
    arg_adjoints, offset = [], 0
    for a, size in zip(args, sizes):
        part = collected[offset:offset + size]
        arg_adjoints.append(float(part[0]) if np.ndim(a) == 0 else part.reshape(np.shape(a)))
        offset += size
    return adjoint.reshape(np.shape(y0)), tuple(arg_adjoints)


def odeint_adjoint_y0(g, func, y0, t, args=(), rtol=None, atol=None, tfirst=False, y=None):
    return _adjoints(g, func, y0, t, args, y, rtol, atol, tfirst)[0]


def odeint_adjoint_args(g, func, y0, t, args=(), rtol=None, atol=None, tfirst=False, y=None):
    return _adjoints(g, func, y0, t, args, y, rtol, atol, tfirst)[1]


def odeint_tangent(y0_dot, args_dot, func, y0, t, args=(), rtol=None, atol=None, tfirst=False):
    """The tangent of odeint(func, y0, t, args) along y0_dot and args_dot (None: no tangent)."""
    f = _rhs(func, tfirst)
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    n = int(np.size(y0))
    arg_tangents = (None,) * len(args) if args_dot is None else tuple(args_dot)
    y0_dot = np.zeros(n) if y0_dot is None else np.ravel(np.broadcast_to(np.asarray(y0_dot, dtype=float),
                                                                          np.shape(y0)))

    def forwards(state, s):
        value, tangent = call_jvp(f, (state[:n], s, *args), (state[n:], None, *arg_tangents))
        return np.concatenate([np.ravel(value), np.ravel(tangent)])

    start = np.concatenate([np.ravel(np.asarray(y0, dtype=float)), y0_dot])
    return _odeint()(forwards, start, t, **_tolerances(rtol, atol))[:, n:]
