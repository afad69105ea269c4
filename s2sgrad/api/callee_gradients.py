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

import ast
import inspect
import linecache
import threading
import types

import gast

from ..errors import SourceLocation, UnsupportedConstructError
from ..rules import DEFAULT_RULES
from ..runtime.calls import set_call_site_locator, set_gradient_factory
from ..source.variadic import bound_names, reaches_variadic
from ..source.variadic import call_shape as shape_of_call
from ..transform import PREPARED, prepare
from .any_callable import as_python_function
from .gradient_function import GradientFunction


class CalleeGradients:
    """`factory(function, active, captured) -> GradientFunction`, as runtime/calls.py expects."""

    def __init__(self, rules=DEFAULT_RULES):
        self._rules = rules
        self._gradients: dict = {}      # (code, active, captured, rules version) -> the gradient last made for it
        self._wrappers: dict = {}       # id(callable) -> (callable, rules version, its Python wrapper)
        self._lock = threading.Lock()

    def __call__(self, function, active, captured, debug_nans=False, call=None) -> GradientFunction:
        """`call`: (number of positional arguments, keyword names) of a call to a function with
        *args/**kwargs, which is bound to that shape when derivatives go into them."""
        if not isinstance(function, types.FunctionType):
            function = self._wrapper(function)
        call_shape = None
        if call is not None and reaches_variadic(function, active):
            call_shape = shape_of_call(function, *call)
        # keyed by what the call site asks for: naming the parameters (inspect.signature) is slow, and a
        # gradient call makes one lookup per helper call
        key = (function.__code__, active, captured, self._rules.version, debug_nans, call_shape)
        gradient = self._gradients.get(key)
        if gradient is not None and gradient.target is function:
            return gradient
        if call_shape is not None:          # derivatives into *args/**kwargs: the function this call runs
            wrt = tuple(_bound_parameter_names(function, active, call_shape)) + tuple(captured)
        else:
            wrt = tuple(_parameter_names(function, active)) + tuple(captured)
        shaped = {"call_shape": call_shape} if call_shape is not None else {}
        prepared = prepare(function, self._rules, lift_closure=True, **shaped)
        if gradient is not None and gradient._prepared is prepared:
            return gradient.rebound(function)
        gradient = GradientFunction(function, wrt, lift_closure=True, debug_nans=debug_nans, **shaped)
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
    signature = inspect.signature(function)
    params = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = []
    for a in active:
        if isinstance(a, int):
            if a >= len(params) and not function.__code__.co_flags & inspect.CO_VARARGS:
                continue        # more arguments than parameters: the call fails as Python's would (record)
            if a >= len(params):
                star = function.__code__.co_varnames[len(params)]
                raise UnsupportedConstructError(
                    f"a call that passes values carrying derivatives into `*{star}` of `{function.__qualname__}`",
                    _definition(function),
                    f"give the differentiated values their own parameters (def {function.__name__}(a, b)), "
                    f"or pass them as one tuple or list parameter")
            names.append(params[a].name)
        else:
            if a not in signature.parameters and not function.__code__.co_flags & inspect.CO_VARKEYWORDS:
                # the call itself fails, as Python's would (call_forward names the line that made it)
                raise TypeError(f"{function.__qualname__}() got an unexpected keyword argument '{a}'")
            names.append(a)
    return names


def _bound_parameter_names(function, active, call_shape) -> list[str]:
    """The bound function's parameters (source/variadic.py) that `active` denotes: positions as passed,
    keywords as written at the call."""
    names = bound_names(function, call_shape)
    code = function.__code__
    positional = list(code.co_varnames[:code.co_argcount]) + list(names.positional)
    return [positional[a] if isinstance(a, int) else names.keywords.get(a, a) for a in active]


def _definition(function) -> SourceLocation | None:
    """Where `function` is defined: its `def` line."""
    code = function.__code__
    text = linecache.getline(code.co_filename, code.co_firstlineno)
    if not text:
        return None
    return SourceLocation(code.co_filename, code.co_firstlineno, len(text) - len(text.lstrip()), text,
                          function.__qualname__)


def locate_call_site(code, lineno):
    """The user's line that line `lineno` of generated code `code` was made from, or None.

    Looked for only when an error passes through a call (runtime/calls.py): the transformation whose
    program has this code, the single-assignment name the generated line assigns first, and the
    statement of the user's function that assigns it.
    """
    for prepared in PREPARED.transformations():
        for program in list(prepared.programs.values()):
            for candidate in (program, program.__dict__.get("recording")):
                if candidate is not None and candidate.function.__code__ is code:
                    return _assigning_statement_location(prepared, candidate.source, lineno)
    return None


def _assigning_statement_location(prepared, source: str, lineno: int):
    lines = source.splitlines()
    if not 2 <= lineno <= len(lines) + 1:
        return None
    # codegen/loader.py puts the generated function inside a factory: its line n is the file's n + 1
    statement = ast.parse(lines[lineno - 2].strip()).body[0]
    if not isinstance(statement, ast.Assign):
        return None
    target = statement.targets[0]
    first = target.elts[0] if isinstance(target, ast.Tuple) else target
    if not isinstance(first, ast.Name):
        return None
    for stmt in _statements(prepared.ssa.body):
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) \
                and stmt.targets[0].id == first.id:
            return prepared.source.location(stmt)
    return None


def _statements(stmts):
    for stmt in stmts:
        yield stmt
        for block in (getattr(stmt, "body", None), getattr(stmt, "orelse", None)):
            if isinstance(block, list) and not isinstance(stmt, gast.FunctionDef):
                yield from _statements(block)


CALLEE_GRADIENTS = CalleeGradients()
set_gradient_factory(CALLEE_GRADIENTS)
set_call_site_locator(locate_call_site)
