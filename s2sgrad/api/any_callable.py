"""Any callable as the target of grad: lambdas, partials, bound methods, callable objects, NumPy functions.

s2sgrad differentiates Python source. A callable that has none of its own is
given a one-line Python wrapper with the same parameters, which calls it:

    def tanh(x):                     def scaled(x):
        return np.tanh(x)                return target(x, scale=2.0)    # functools.partial(f, scale=2.0)

so a NumPy function with a rule is a one-operation function, and a partial or
a bound method is a call to a Python function, differentiated like any other.
"""
from __future__ import annotations

import functools
import inspect
import itertools
import linecache
import math
import types

import numpy as np

from ..analysis.writing_calls import WRAPPER_FILENAME
from ..errors import SourceUnavailableError
from ..rules import DEFAULT_RULES, NonDifferentiable, Rule

_COUNTER = itertools.count()


def as_python_function(target, rules=DEFAULT_RULES) -> types.FunctionType:
    made_by = getattr(target, "_s2sgrad_derivative", None)
    if made_by:
        already = "a second derivative" if made_by in ("hessian", "grad") else f"a derivative made by {made_by}"
        raise SourceUnavailableError(
            f"s2sgrad cannot differentiate {target.__name__}: it is already {already}, and derivatives of "
            "those are not supported yet. Second derivatives come from s2sgrad.hessian(f), "
            "s2sgrad.grad(s2sgrad.grad(f)) and s2sgrad.jvp(s2sgrad.grad(f), primals, tangents)."
        )
    if isinstance(target, types.FunctionType):
        return target
    if getattr(target, "_s2sgrad_gradient", False):
        raise SourceUnavailableError(
            f"s2sgrad cannot read {target!r} as a Python function: it is a gradient function. "
            "Differentiate it with s2sgrad.grad, s2sgrad.jacfwd, s2sgrad.hessian or s2sgrad.jvp, which "
            "differentiate its generated code."
        )
    if hasattr(target, "cache_info") and hasattr(target, "__wrapped__"):
        raise _cached(target)
    rule = rules.lookup(target)
    if isinstance(rule, Rule):
        return _wrapper(target, rule.params_text, _dotted(target))
    if isinstance(rule, NonDifferentiable):
        raise SourceUnavailableError(f"{rule.name} is not differentiable (its rule marks it so)")
    if isinstance(target, type):
        # a class called through a value (`cls(w, b)` in a classmethod, `type(self)(...)`, a class passed
        # in): a function that calls it by its name, so lowering builds it as it builds `Params(w, b)`
        # written out (a dataclass or namedtuple packs its fields), or says why it cannot
        try:
            signature = inspect.signature(target)
        except (TypeError, ValueError):
            signature = None
        if signature is not None and target.__name__.isidentifier() and target.__name__ not in _WRAPPER_NAMES:
            defaults = {p.name: p.default for p in signature.parameters.values() if p.default is not p.empty}
            return _wrapper(target, _parameter_text(signature), target.__name__, defaults,
                            name=f"construct_{target.__name__}")
    # a callable object calls its bound `__call__`, a Python method differentiated like any helper:
    # wrt names `__call__`'s own parameters; the object's attributes are
    # its state, differentiated by grad(type(obj).__call__, wrt="self")
    is_object = not isinstance(target, (functools.partial, types.MethodType)) and callable(target) \
        and isinstance(getattr(target, "__call__", None), types.MethodType)
    if isinstance(target, (functools.partial, types.MethodType)) or is_object:
        try:
            signature = inspect.signature(target)
        except (TypeError, ValueError):
            signature = None
        if signature is not None:
            defaults = {p.name: p.default for p in signature.parameters.values() if p.default is not p.empty}
            return _wrapper(target, _parameter_text(signature), "target.__call__" if is_object else "target",
                            defaults)
    raise SourceUnavailableError(
        f"s2sgrad cannot read the Python source of {target!r} (a {type(target).__name__}): it is not a "
        "function written in Python and has no derivative rule. Register one with s2sgrad.defvjp "
        "(see docs/functions.md), or differentiate a Python function that calls it."
    )


def _cached(target) -> SourceUnavailableError:
    """functools.lru_cache / cache: refused, because a cached call does not run the function.

    Differentiating `__wrapped__` instead would be right only while the function is pure and
    the cache holds values it would compute again now; s2sgrad cannot know that, the user can.
    """
    name = getattr(target, "__qualname__", repr(target))
    return SourceUnavailableError(
        f"s2sgrad does not differentiate {name!r} through functools.lru_cache / functools.cache: a "
        "cached call returns a value stored by an earlier call, not one computed from these arguments. "
        f"Differentiate the function without its cache, {name}.__wrapped__, or remove the cache."
    )


def _wrapper(target, params: str, callee: str, defaults=None, name=None) -> types.FunctionType:
    name = name or getattr(target, "__name__", None) or getattr(getattr(target, "func", None), "__name__", "function")
    name = name if name.isidentifier() else "function"
    signature = inspect.signature(_parse(params, defaults or {}))
    call_args = []
    for p in signature.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            call_args.append(f"*{p.name}")
        elif p.kind == p.VAR_KEYWORD:
            call_args.append(f"**{p.name}")
        elif p.kind == p.KEYWORD_ONLY:
            call_args.append(f"{p.name}={p.name}")
        else:
            call_args.append(p.name)
    text = f"def {name}({params}):\n    return {callee}({', '.join(call_args)})\n"
    filename = f"{WRAPPER_FILENAME} {next(_COUNTER)}: {name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    namespace = {"np": np, "math": math, "target": target, "defaults": defaults or {}}
    namespace.setdefault(callee.split(".")[0], target)        # a class, called by its own name
    exec(compile(text, filename, "exec"), namespace)
    return namespace[name]


_WRAPPER_NAMES = frozenset({"np", "math", "target", "defaults"})    # the wrapper's own globals


def _parse(params: str, defaults):
    namespace = {}
    exec(f"def _({params}): pass", {"defaults": defaults}, namespace)
    return namespace["_"]


def _parameter_text(signature: inspect.Signature) -> str:
    """The parameter list as source; defaults are passed by name, so they stay the target's own."""
    parts, star_done = [], False
    for p in signature.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            star_done = True
        elif p.kind == p.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        else:
            if p.kind == p.KEYWORD_ONLY and not star_done:
                parts.append("*")
                star_done = True
            text = p.name
            if p.default is not p.empty:
                text += f"=defaults[{p.name!r}]"      # the target's own default object
            parts.append(text)
    return ", ".join(parts)


def _dotted(target) -> str:
    """How the wrapper names the function: np.tanh, math.sin, or `target`."""
    name = getattr(target, "__name__", "")
    if getattr(np, name, None) is target:
        return f"np.{name}"
    if getattr(math, name, None) is target:
        return f"math.{name}"
    return "target"
