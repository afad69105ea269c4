"""`jvp`: forward-mode derivatives with JAX's signature.

    value, tangent = s2sgrad.jvp(f, (x, y), (x_dot, y_dot))

returns f(x, y) and its directional derivative along (x_dot, y_dot), computed
by generated code that runs each operation's tangent right after it
(`t2_dot = t1_dot * np.cos(t1)`); `jvp_source(f, x, y)` prints that code.
Arguments that hold integers carry no tangent, as in JAX.
"""
from __future__ import annotations

import functools
import numbers
import types

import numpy as np

from ..analysis.free_numbers import NumberGuard, free_reads
from ..analysis.resolve import ResolutionGuard
from ..codegen.rebinding import DefaultsGuard, rebind
from ..errors import WrtError
from ..rules import DEFAULT_RULES
from ..runtime.calls import CallRecord, closure_values, set_tangent_factory
from ..runtime.namespace import is_foreign_array
from ..runtime.receivers import guarded_tangent
from ..source.variadic import call_shape
from ..transform import build_tangent_program, prepare
from .any_callable import as_python_function
from .call_binding import unbound_call_error
from .error_sites import note_user_line
from .complex_arguments import is_complex, real_part, refuse_complex
from .gradient_function import GradientFunction, _is_sequence_of_numbers as is_sequence_of_numbers, check_scalar
from .variadic_gradient import VariadicGradient


def jvp(fun, primals, tangents, has_aux=False):
    """(fun(*primals), the derivative of fun at primals along tangents); primals and tangents are tuples.

    `fun` may be a gradient function (`jvp(grad(f), (x,), (v,))` is a Hessian-vector product): its own
    generated code is differentiated, forward over reverse. With `has_aux=True`, as in JAX, `fun`
    returns (output, aux) and jvp returns (output, its tangent, aux).
    """
    if has_aux:
        (output, aux), (output_dot, _) = _split_aux(fun, jvp(fun, primals, tangents))
        return output, output_dot, aux
    if type(primals) is not tuple or type(tangents) is not tuple:
        primals, tangents = _as_tuples(primals, tangents)
    key = _fast_key(fun, primals)
    entry = _FAST.get(key) if key is not None else None
    if entry is not None and len(tangents) == len(primals) and all(check() for check in entry[2]) \
            and all(type(p) is float or p.shape == np.shape(t) for p, t in zip(primals, tangents)):
        try:
            return entry[0](*primals, **dict(zip(entry[1], tangents)))
        except Exception as error:
            unbound = unbound_call_error(error, entry[3])
            if unbound is not None:     # primals the function does not take: its own TypeError
                raise unbound from None
            note_user_line(error, entry[3])
            raise
    if len(primals) != len(tangents):
        raise WrtError(f"jvp got {len(primals)} primals but {len(tangents)} tangents: give one tangent per primal")
    if isinstance(fun, GradientFunction):
        return _jvp_of_gradient(fun, primals, tangents)
    if isinstance(fun, VariadicGradient):       # grad of a function with *args: the gradient for this call's shape
        gradient, regroup = fun.bound_for(primals)
        grads, grads_dot = _jvp_of_gradient(gradient, primals, tangents)
        return regroup(grads), regroup(grads_dot)
    if hasattr(fun, "python_for"):          # a Jacobian, a Hessian, ...: forward mode over its Python form
        return jvp(fun.python_for(*primals), primals, tangents)
    # an object moves along its tangent when one is given (another object of its kind); passed as its
    # own tangent, or as None, it is data, as it is for jvp_source
    moving = tuple(not _is_object(p) or (t is not None and t is not p) for p, t in zip(primals, tangents))
    program, names = _program(fun, primals, moving)
    for name, p, t in zip(names, primals, tangents):
        _check_like(name, p, t)
    tangents = tuple(guarded_tangent(t) if _is_object(p) else t for p, t in zip(primals, tangents))
    target = as_python_function(fun)
    function = _runnable(program, target)
    if key is not None and program.wrt == tuple(names):
        _remember(key, program, target, function)
    given = dict(zip(names, tangents))
    try:
        return function(*primals, **{t: given[w] for w, t in zip(program.wrt, program.tangents)})
    except Exception as error:
        unbound = unbound_call_error(error, program.prepared)
        if unbound is not None:     # primals the function does not take: its own TypeError
            raise unbound from None
        note_user_line(error, program.prepared)
        raise


# jvp's hot path: a plain function called again with floats and float arrays of the kinds seen before runs
# its generated code at once, after the checks that the names it resolved still denote the same objects
# and that the globals it took for numbers still hold numbers
_FAST: dict = {}
_FAST_LIMIT = 256


def _as_tuples(primals, tangents) -> tuple[tuple, tuple]:
    """jvp's primals and tangents, one entry per argument: tuples or lists (an array or a number passed
    bare would be taken apart, or not iterate at all)."""
    for name, given in (("primals", primals), ("tangents", tangents)):
        if not isinstance(given, (tuple, list)):
            raise WrtError(f"jvp takes the {name} as a tuple with one entry per argument, e.g. "
                           f"jvp(f, (x,), (v,)); it got a {type(given).__name__}")
    return tuple(primals), tuple(tangents)


def _fast_key(fun, primals):
    if type(fun) is not types.FunctionType:
        return None
    kinds = []
    for p in primals:
        if type(p) is float:
            kinds.append(float)
        elif type(p) is np.ndarray and p.dtype.kind == "f":
            kinds.append(p.dtype)
        else:
            return None
    return fun, tuple(kinds), DEFAULT_RULES.version


def _runnable(program, target):
    """The program's generated function with `target`'s own globals, closure cells and defaults: functions
    made from one code (lambdas in a loop, with their own defaults) share a transformation."""
    original = program.prepared.source.function
    return rebind(program.function, original, target)      # itself while target is original, with its defaults


def _remember(key, program, target, function) -> None:
    if len(_FAST) >= _FAST_LIMIT:
        _FAST.clear()
    guard = ResolutionGuard(program.prepared.resolutions, target, program.prepared.rules)
    numbers = NumberGuard(free_reads(program.prepared.ssa), target)
    defaults = DefaultsGuard(target)
    _FAST[key] = (function, program.tangents, tuple(g.holds for g in (guard, numbers, defaults) if g),
                  program.prepared)


def _jvp_of_gradient(gradient: GradientFunction, primals, tangents):
    """jvp through the gradient's generated code; results shaped as the gradient function's own."""
    if gradient.has_aux or gradient.with_value:
        raise WrtError("derivatives of gradient functions made with has_aux=True or by value_and_grad are not "
                       "supported; differentiate a plain grad(f)")
    generated = gradient.generated_for(*primals)
    try:
        (value, grads), (_, grads_dot) = jvp(generated, primals, tangents)
    except Exception as error:          # a vector-valued f's reverse sweep fails: say why, as grad does
        gradient.diagnose_derivative(error, primals, generated)
        raise
    check_scalar(value, gradient.target)      # a vector-valued f has no gradient: say so, as grad does
    if is_complex(grads) or is_complex(grads_dot):
        # a real input's gradient is the real part of what the sweep built (api/complex_arguments.py), and
        # so is its tangent: taking the real part is linear
        arguments = gradient._arguments(primals, {})
        real = [not is_complex(arguments.get(name)) for name in gradient.wrt]
        grads = tuple(real_part(g) if r else g for g, r in zip(grads, real))
        grads_dot = tuple(real_part(g) if r else g for g, r in zip(grads_dot, real))
    if any(map(_is_object, primals)):       # an object's gradient and its tangent: objects, as grad gives
        grads, grads_dot = gradient.public_gradients(grads, primals), gradient.public_gradients(grads_dot, primals)
    if gradient._single:
        return grads[0], grads_dot[0]
    return tuple(grads), tuple(grads_dot)


def _check_like(name, primal, tangent) -> None:
    """Each tangent has its primal's structure and shapes (containers leaf by leaf)."""
    if isinstance(primal, dict):
        if not isinstance(tangent, dict) or set(tangent) != set(primal):
            raise WrtError(f"jvp: the tangent of `{name}` must be a dict with the keys {sorted(primal)}")
        for key in primal:
            _check_like(f"{name}[{key!r}]", primal[key], tangent[key])
    elif isinstance(primal, (list, tuple)):
        if not isinstance(tangent, (list, tuple)) or len(tangent) != len(primal):
            raise WrtError(f"jvp: the tangent of `{name}` must be a sequence of {len(primal)} tangents")
        for i, (p, t) in enumerate(zip(primal, tangent)):
            _check_like(f"{name}[{i}]", p, t)
    elif _differentiable(primal) and np.shape(primal) != np.shape(tangent):
        raise WrtError(f"jvp: the tangent of `{name}` is shaped {np.shape(tangent)}, its primal "
                       f"{np.shape(primal)}: each tangent must have its primal's shape")
    elif _integer(primal) and tangent is not None and np.any(np.asarray(tangent) != 0):
        # an integer carries no tangent: the one given would be dropped, and the result's tangent silently
        # miss its part (grad takes a Python int for the float it stands for; jvp, as jacfwd, does not)
        shown = f"{primal!r}" if np.ndim(primal) == 0 else f"an integer array (dtype {primal.dtype})"
        raise WrtError(f"jvp: `{name}` is {shown}, which carries no tangent, but its tangent is not zero: pass "
                       f"it as floats ({name} = float({name}) or {name}.astype(float)) to move it along the "
                       f"tangent, or give it the tangent None")


def _integer(value) -> bool:
    """An integer number or integer array (bools too: a flag carries no tangent either)."""
    if isinstance(value, (bool, int, np.integer, np.bool_)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "biu"


def _split_aux(fun, result):
    """`result` of jvp on a function that returns (output, aux), checked to be that pair."""
    value, tangent = result
    if not (isinstance(value, tuple) and len(value) == 2):
        raise WrtError(f"has_aux=True: {getattr(fun, '__name__', fun)} must return a pair (output, aux), "
                       f"not {type(value).__name__}")
    return value, tangent


def jvp_source(fun, *primals) -> str:
    """The generated forward-mode code a jvp call with these primals runs."""
    return _program(fun, primals)[0].source


def callee_tangent(function, args, tangents, kwargs, keyword_tangents=None, captured_tangents=None):
    """call_jvp's factory: run `function(*args, **kwargs)` with its tangents (None: no derivative there;
    `keyword_tangents`: those of keyword arguments, by keyword; `captured_tangents`: those of the
    variables a nested def or lambda reads from the function that made it, by name)."""
    active = tuple(t is not None for t in tangents)
    program, names = _program(function, args, active, call_keywords=kwargs, moving_keywords=keyword_tangents,
                              captured=captured_tangents)
    by_name = dict(zip(names, tangents))
    bound = program.prepared.source.__dict__.get("bound")
    if bound is not None:           # *args/**kwargs spelled out (source/variadic.py)
        kwargs = bound.renamed(kwargs)
        keyword_tangents = bound.renamed(keyword_tangents or {})
    by_name.update(keyword_tangents or {})
    if captured_tangents:           # closure variables lifted into parameters: their values and tangents
        lifted = program.prepared.source.lifted
        kwargs = {**kwargs, **{k: v for k, v in closure_values(function).items() if k in lifted}}
        by_name.update(captured_tangents)
    target = as_python_function(function)
    function = _runnable(program, target)
    try:
        return function(*args, **kwargs, **{t: by_name[w] for w, t in zip(program.wrt, program.tangents)})
    except TypeError as error:      # arguments the function does not take: its own TypeError
        unbound = unbound_call_error(error, program.prepared)
        if unbound is not None:
            raise unbound from None
        raise


def tangent_program(fun, primals, active=None, keywords=None):
    """(the forward-mode program of `fun` for primals of these kinds, `fun`'s positional parameter names);
    `active` marks the primals whose tangents it takes (all differentiable ones by default), `keywords`
    maps keyword-only parameters that take tangents too (a generated gradient's seed) to their values."""
    return _program(fun, primals, active, keywords)


def _program(fun, primals, active=None, keywords=None, call_keywords=None, moving_keywords=None, captured=None):
    """`call_keywords`: the call's keyword arguments; `moving_keywords`: the tangents of those that move;
    `captured`: the closure variables that move (they become parameters, transform.py's lift_closure)."""
    target = as_python_function(fun)
    shape = call_shape(target, len(primals), call_keywords or ())
    if shape is not None and not shape.extra_positional and not shape.keywords:
        shape = None            # nothing goes into *args/**kwargs: the function as written
    prepared = prepare(target, lift_closure=bool(captured), call_shape=shape)
    names = prepared.ssa.params[:len(primals)]
    active = active or tuple(not _is_object(p) for p in primals)
    wrt = tuple(n for n, p, on in zip(names, primals, active) if on and _differentiable(p))
    # real numbers only: scalar templates compare (`dy if x >= 0 else -dy`), which a complex number cannot
    scalars = frozenset(n for n, p in zip(names, primals) if isinstance(p, numbers.Real))
    passed = set()
    if call_keywords:           # keyword arguments, under the names of the parameters they bind
        bound = prepared.source.__dict__.get("bound")
        renamed = bound.renamed(call_keywords) if bound is not None else call_keywords
        passed = set(renamed)
        scalars |= {n for n, v in renamed.items() if isinstance(v, numbers.Real)}
        moving = bound.renamed(moving_keywords) if bound is not None and moving_keywords else moving_keywords
        wrt += tuple(n for n in (moving or ()) if _differentiable(renamed[n]))
    if captured:
        closure = closure_values(target)
        wrt += tuple(c for c in captured if c in prepared.source.lifted and _differentiable(closure.get(c)))
        scalars |= {c for c in prepared.source.lifted if isinstance(closure.get(c), numbers.Real)}
    # keyword-only parameters jvp leaves at their number defaults (a generated gradient's seed `df=1.0`); one
    # the call passes has the kind of what it passes (a tangent parameter given an array, in a third derivative)
    scalars |= {n for n, v in (target.__kwdefaults__ or {}).items() if isinstance(v, numbers.Number) and n not in passed}
    # globals and closure variables holding numbers now (`DT = 0.001`); a later call sees their kinds anew
    scalars |= NumberGuard(free_reads(prepared.ssa), target).names
    if keywords:
        wrt += tuple(keywords)
        scalars = (scalars - set(keywords)) | {k for k, v in keywords.items() if isinstance(v, numbers.Number)}
    complex_params = frozenset(n for n, p in zip(names, primals) if is_complex(p))
    # lists and tuples: `+` and `*` on them join and repeat (analysis/sequence_arithmetic.py)
    containers = frozenset(n for n, p in zip(names, primals) if isinstance(p, (list, tuple, dict)))
    # 1-D sequences of numbers, as grad's kinds: their elements are numbers, and a NumPy function given
    # a list of numbers gets an array (analysis/list_operands.py)
    sequences = frozenset(n for n, p in zip(names, primals) if is_sequence_of_numbers(p))
    key = ("jvp", wrt, frozenset(scalars), complex_params, containers, sequences)
    program = prepared.programs.get(key)
    if program is None:
        refuse_complex(prepared, wrt, {n: p for n, p in zip(names, primals) if n in complex_params})
        arrays = frozenset(n for n, p in zip(names, primals) if isinstance(p, np.ndarray))
        program = prepared.programs[key] = build_tangent_program(prepared, wrt, scalars, sequences, containers,
                                                                 arrays)
    return program, names


def _differentiable(value) -> bool:
    """Floats, float arrays and containers of them carry tangents, and so do the user's objects (a
    dataclass of parameters: its tangent is an object of the same kind, read field by field);
    integers, strings, functions and modules do not, nor a list or dict holding only those (labels, keys)."""
    if isinstance(value, (bool, int, np.integer)):
        return False
    if isinstance(value, CallRecord):       # a recorded call: derivatives reach it through its arguments
        return True
    if isinstance(value, np.ndarray) or is_foreign_array(value):     # CuPy and Dask arrays too
        return value.dtype.kind in "fc"
    if isinstance(value, (list, tuple)):
        return any(map(_differentiable, value))
    if isinstance(value, dict):
        return any(map(_differentiable, value.values()))
    return isinstance(value, (float, complex, np.inexact)) or _is_object(value)


def _is_object(value) -> bool:
    return hasattr(value, "__dict__") and not is_foreign_array(value) and not isinstance(value, (
        np.ndarray, type, types.ModuleType, types.FunctionType, types.MethodType, functools.partial))


set_tangent_factory(callee_tangent)
jvp._s2sgrad_form = True        # jvp called inside a function being differentiated goes by its Python form
