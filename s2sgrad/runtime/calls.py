"""The adjoint of a call to another Python function.

The forward sweep calls the function as the user wrote it. The reverse sweep
calls `call_vjp(callee, cotangent, *args, active=..., **kwargs)`, which
differentiates whatever callable is there when the code runs (a module-level
function, a nested def, a lambda, a function passed as an argument, a
`functools.partial`, a bound method) and returns the adjoints of the active
arguments, in the order `active` names them: positions of positional
arguments, names of keyword arguments, "self" for a bound method's object,
and `captured` names for closure variables the callee reads.

The callee's gradient recomputes its forward values (a checkpoint at every
call boundary: memory stays bounded by the deepest call, at the price of
running each callee's forward twice). Its closure variables are lifted into
parameters, so one transformation serves every closure created from the
same code, and gradients can flow into captured values.
"""
from __future__ import annotations

import functools
import inspect
import threading
import types

from ..errors import UnsupportedConstructError

# The transformer (api, rules) imports this package for its helpers; this module reaches back into it
# only when the generated code runs, through imports inside the functions below.

_LOCK = threading.Lock()
_GRADIENTS: dict = {}          # (code, wrt) -> callee gradient: memoized transformations


def call_vjp(callee, cotangent, *args, active=(), captured=(), **kwargs):
    """Adjoints of `callee(*args, **kwargs)`'s active inputs, given the adjoint of its result."""
    function, args, kwargs, active = _unwrap(callee, args, kwargs, active)
    if not isinstance(function, types.FunctionType):
        from ..api.any_callable import as_python_function
        function = as_python_function(function)
    names = _parameter_names(function, args, kwargs, active)
    wrt = tuple(names) + tuple(captured)
    gradient = _gradient_of(function, wrt)
    lifted = gradient.lifted                    # the closure variables its gradient takes as parameters
    closure = {k: v for k, v in _closure_values(function).items() if k in lifted}
    grads = gradient.vjp(cotangent, *args, **kwargs, **closure)
    return grads if len(wrt) != 1 else (grads[0],)


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


def _parameter_names(function, args, kwargs, active) -> list[str]:
    params = [p for p in inspect.signature(function).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = []
    for a in active:
        if isinstance(a, int):
            if a >= len(params):
                raise UnsupportedConstructError(
                    f"differentiating through `*{function.__code__.co_varnames[len(params)]}` of "
                    f"{function.__qualname__}", None, "give the differentiated values their own parameters")
            names.append(params[a].name)
        else:
            names.append(a)
    return names


def _closure_values(function) -> dict:
    if not isinstance(function, types.FunctionType) or not function.__closure__:
        return {}
    return {name: cell.cell_contents for name, cell in zip(function.__code__.co_freevars, function.__closure__)}


def _gradient_of(function, wrt):
    from ..rules import DEFAULT_RULES
    key = (getattr(function, "__code__", function), wrt, DEFAULT_RULES.version)
    gradient = _GRADIENTS.get(key)
    if gradient is None:
        from ..api.gradient_function import GradientFunction
        with _LOCK:
            gradient = _GRADIENTS.get(key)
            if gradient is None:
                gradient = _GRADIENTS[key] = GradientFunction(function, wrt, lift_closure=True)
    return gradient
