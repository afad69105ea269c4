"""The gradients call_vjp asks for: transformations of called functions, memoized soundly.

The runtime (runtime/calls.py) must not import the transformer, so the API
hands it this factory when it is imported. A callee's gradient is kept per
(code, differentiated arguments, rule table version) and reused:
- as it is, for the same function object (its own per-call check notices a
  rebound global or closure variable and transforms again);
- rebound, for another function of the same code (a nested def created anew
  at each call), when the cache's transformation for it is the same one, that
  is when its names resolve to the same objects;
- never otherwise: a closure whose `fn` is math.cos gets its own gradient,
  not the one made for math.sin.
"""
from __future__ import annotations

import inspect
import threading
import types

from ..errors import UnsupportedConstructError
from ..rules import DEFAULT_RULES
from ..runtime.calls import set_gradient_factory
from ..transform import prepare
from .any_callable import as_python_function
from .gradient_function import GradientFunction


class CalleeGradients:
    """`factory(function, active, captured) -> GradientFunction`, as runtime/calls.py expects."""

    def __init__(self, rules=DEFAULT_RULES):
        self._rules = rules
        self._gradients: dict = {}      # (code, active, captured, rules version) -> the gradient last made for it
        self._wrappers: dict = {}       # id(callable) -> (callable, rules version, its Python wrapper)
        self._lock = threading.Lock()

    def __call__(self, function, active, captured) -> GradientFunction:
        if not isinstance(function, types.FunctionType):
            function = self._wrapper(function)
        # keyed by what the call site asks for: naming the parameters (inspect.signature) is slow, and a
        # gradient call makes one lookup per helper call
        key = (function.__code__, active, captured, self._rules.version)
        gradient = self._gradients.get(key)
        if gradient is not None and gradient.target is function:
            return gradient
        wrt = tuple(_parameter_names(function, active)) + tuple(captured)
        prepared = prepare(function, self._rules, lift_closure=True)
        if gradient is not None and gradient._prepared is prepared:
            return gradient.rebound(function)
        gradient = GradientFunction(function, wrt, lift_closure=True)
        with self._lock:
            self._gradients[key] = gradient
        return gradient

    def _wrapper(self, target) -> types.FunctionType:
        """One Python wrapper per callable without source (np.prod passed in), not a new one per call."""
        entry = self._wrappers.get(id(target))
        if entry is not None and entry[0] is target and entry[1] == self._rules.version:
            return entry[2]
        wrapper = as_python_function(target, self._rules)
        with self._lock:
            self._wrappers[id(target)] = (target, self._rules.version, wrapper)
        return wrapper


def _parameter_names(function, active) -> list[str]:
    """The names call_vjp's `active` entries denote: positions become parameter names."""
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


CALLEE_GRADIENTS = CalleeGradients()
set_gradient_factory(CALLEE_GRADIENTS)
