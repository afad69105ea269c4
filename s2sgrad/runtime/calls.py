"""The adjoint of a call to another Python function.

The forward sweep calls the function as the user wrote it. The reverse sweep
calls `call_vjp(callee, cotangent, *args, active=..., **kwargs)`, which
differentiates whatever callable is there when the code runs (a module-level
function, a nested def, a lambda, a function passed as an argument, a
`functools.partial`, a bound method) and returns the adjoints of the active
arguments, in the order `active` names them: positions of positional
arguments, names of keyword arguments, "self" for a bound method's object,
and `captured` names for closure variables the callee reads.

The runtime sits below the transformer: it never imports it. The callee's
gradient comes from a factory the API registers when it is imported
(`set_gradient_factory`; s2sgrad/api/callee_gradients.py), which transforms
the callee, memoizes the transformation and checks it still applies. That
gradient recomputes the callee's forward values (a checkpoint at every call
boundary: memory stays bounded by the deepest call, at the price of running
each callee's forward twice). Its closure variables are lifted into
parameters, so one transformation serves every closure created from the
same code, and gradients can flow into captured values.
"""
from __future__ import annotations

import functools
import types

from ..errors import S2SGradError

_FACTORY = None
_TANGENT_FACTORY = None


def set_gradient_factory(factory) -> None:
    """Register `factory(function, active, captured) -> gradient` for call_vjp.

    `function` is a plain Python function or another callable without source
    (partials, bound methods and callable objects are unwrapped first);
    `active` and `captured` are as for call_vjp. The gradient has `.wrt` (the
    names it differentiates, one per active entry then per captured name),
    `.lifted` (the closure variables it takes as keyword arguments) and
    `.vjp(cotangent, *args, **kwargs)`, returning one adjoint per `wrt` name.
    """
    global _FACTORY
    _FACTORY = factory


def call_vjp(callee, cotangent, *args, active=(), captured=(), **kwargs):
    """Adjoints of `callee(*args, **kwargs)`'s active inputs, given the adjoint of its result."""
    function, args, kwargs, active = _unwrap(callee, args, kwargs, active)
    if _FACTORY is None:
        raise S2SGradError(
            "call_vjp has no gradient factory: generated gradient code was run without importing s2sgrad's "
            "API (import s2sgrad before running it), so the call to "
            f"{getattr(function, '__qualname__', repr(function))} cannot be differentiated")
    gradient = _FACTORY(function, active, tuple(captured))
    closure = {k: v for k, v in _closure_values(function).items() if k in gradient.lifted}
    grads = gradient.vjp(cotangent, *args, **kwargs, **closure)
    return grads if len(gradient.wrt) != 1 else (grads[0],)


def set_tangent_factory(factory) -> None:
    """Register `factory(function, args, tangents, kwargs) -> (value, tangent)` for call_jvp.

    `tangents` holds one entry per positional argument, None where it carries no derivative.
    """
    global _TANGENT_FACTORY
    _TANGENT_FACTORY = factory


def call_jvp(callee, args, tangents, **kwargs):
    """(callee(*args, **kwargs), its tangent) given the positional arguments' tangents (None: no derivative).

    Forward mode's counterpart of call_vjp: the callee runs once, its tangents beside its own operations.
    """
    function, full_args, kwargs, _ = _unwrap(callee, args, kwargs, ())
    bound = (None,) * (len(full_args) - len(args))       # a partial's arguments or a method's self
    if _TANGENT_FACTORY is None:
        raise S2SGradError(
            "call_jvp has no tangent factory: generated forward-mode code was run without importing s2sgrad's "
            f"API, so the call to {getattr(function, '__qualname__', repr(function))} cannot be differentiated")
    return _TANGENT_FACTORY(function, full_args, bound + tuple(tangents), kwargs)


def _unwrap(callee, args, kwargs, active):
    """(plain Python function, args, kwargs, active) for partials and bound methods."""
    if isinstance(callee, functools.partial):
        shift = len(callee.args)
        active = tuple(a + shift if isinstance(a, int) else a for a in active)
        return _unwrap(callee.func, callee.args + tuple(args), {**callee.keywords, **kwargs}, active)
    if isinstance(callee, types.MethodType):
        active = tuple(0 if a == "self" else a + 1 if isinstance(a, int) else a for a in active)
        return _unwrap(callee.__func__, (callee.__self__, *args), kwargs, active)
    if not isinstance(callee, types.FunctionType) and callable(getattr(callee, "__call__", None)) \
            and isinstance(getattr(callee, "__call__"), types.MethodType):
        return _unwrap(callee.__call__, args, kwargs, active)      # an object with __call__
    return callee, tuple(args), dict(kwargs), tuple(active)


def _closure_values(function) -> dict:
    if not isinstance(function, types.FunctionType) or not function.__closure__:
        return {}
    return {name: cell.cell_contents for name, cell in zip(function.__code__.co_freevars, function.__closure__)}
