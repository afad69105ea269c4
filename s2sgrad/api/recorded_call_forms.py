"""Python forms of a second derivative's calls to your functions, so they can be differentiated again.

A gradient records each call to a helper (`call_forward`) and resumes the
record in its reverse sweep (`call_backward`). Differentiating that gradient
once more turns the pair into one of two others (runtime/tangents.py):

    (y, rec), (y_dot, rec_dot) = call_forward_jvp(h, (x,), (x_dot,), recorded_active=(0,))
    dx, dx_dot = call_backward_jvp(rec, rec_dot, dy, dy_dot)          # forward over reverse

    dx_h, = call_forward_vjp((dy_adj, rec_adj), h, x, recorded_active=(0,), wrt=(0,))
    ddy, rec_adj = call_backward_vjp(rec, dy, dx_adj)                 # reverse over reverse

A third derivative differentiates these four. Each is, mathematically, a
function of the helper's arguments: its value and tangent, its gradient, or
forward mode over its gradient. So each has a Python form here, built at the
call from the values at hand, that computes the same through generated code
(the helper's forward-mode code, its gradient, forward mode over its
gradient) and keeps the record as what it stands for, the call's arguments
(`recorded_arguments`, read back by `call_arguments`). s2sgrad differentiates
a form like any other Python (forward mode with call_jvp, reverse mode with
call_forward), and a form's own calls to generated code are ordinary calls,
so a fourth derivative differentiates the third's forms the same way: the
mechanism is the same at every order. The price is the one a second
derivative already pays: the helper runs again where the form needs it
(a checkpoint), rather than once per gradient call.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..errors import S2SGradError, UnsupportedConstructError
from ..runtime.calls import unwrap_callee
from ..runtime.tangents import (
    RecordAdjoint, adjoint_arguments, call_arguments, call_backward_jvp, call_backward_vjp, call_forward_jvp,
    call_forward_vjp, element, record_adjoint, record_call, recorded_arguments,
)
from .composition import _compile, _differentiable, register_form
# program_called_with: tangent_program given the keywords the program will be called with too, which bind a
# helper's **kwargs (with *args, a call's shape binds both: source/variadic.py)
from .forward_mode import _program as program_called_with, tangent_program
from .gradient_function import GradientFunction

_FORMS: dict = {}
_GRADIENTS: dict = {}


def _kind(value):
    """What a form is specialized on: a number, an array's rank and dtype, a container's entries' kinds."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Number):
        return type(value).__name__
    if isinstance(value, RecordAdjoint):
        return ("record adjoint", None if value.direct is None else tuple(_kind(v) for v in value.direct))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_kind(v) for v in value))
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return ("array", np.ndim(value), str(value.dtype))
    return type(value).__name__


def _constants(kwargs) -> tuple:
    """The helper's keyword arguments as part of a form's key: the form holds them as constants, so another
    value is another form (numbers and strings by value, anything else by identity: the form keeps it alive)."""
    return tuple((k, v if v is None or isinstance(v, (numbers.Number, str, bool)) else ("object", id(v)))
                 for k, v in sorted(kwargs.items()))


def _keyword_parameters(passed) -> list[str]:
    """The form's keyword-only parameters: every keyword the call passes (the form reads its constants from
    its own namespace, so these only receive them)."""
    names = dict.fromkeys(("recorded_active", "recorded_captured", *passed))
    return [f"{name}=None" for name in names]


def _plain_call(function, active, captured, what):
    if captured:
        raise UnsupportedConstructError(
            f"a derivative of third order through {what} of {getattr(function, '__qualname__', function)}, which "
            "reads closure values that carry derivatives", None, "pass those values to the helper as arguments")
    if not all(isinstance(a, int) for a in active):
        raise UnsupportedConstructError(
            f"a derivative of third order through {what} of {getattr(function, '__qualname__', function)} with "
            "derivatives in keyword arguments or a method's object", None,
            "pass the values carrying derivatives to the helper by position")


def _gradient(function, active):
    """The helper's gradient function for these differentiated positions (memoized like call_forward's)."""
    key = (function, active)
    gradient = _GRADIENTS.get(key)
    if gradient is None:
        gradient = _GRADIENTS[key] = GradientFunction(function, active)
    return gradient


def _keyword_lines(kwargs) -> tuple[list[str], dict]:
    """The helper's own keyword arguments, as constants of the form: (`k=call_keyword_k` texts, namespace)."""
    texts, namespace = [], {}
    for k, v in kwargs.items():
        namespace[f"call_keyword_{k}"] = v
        texts.append(f"{k}=call_keyword_{k}")
    return texts, namespace


def _read(target: str, source: str, count: int, positions) -> list[str]:
    """`target_i = element(source, i)` for each position."""
    return [f"{target}_{i} = element({source}, {i})" for i in positions]


# ---- forward over reverse, differentiated again -----------------------------------------------------------
def forward_jvp_form(args, kwargs):
    """call_forward_jvp(h, args, tangents, recorded_active=...): h's forward-mode code at the arguments, and
    the record as the arguments, its tangent as theirs."""
    callee, call_args, tangents = args
    kwargs, passed = {**(kwargs.get("callee_keywords") or {}), **kwargs}, tuple(kwargs)
    kwargs.pop("callee_keywords", None)
    active, captured = kwargs.pop("recorded_active", ()), kwargs.pop("recorded_captured", ())
    function, full_args, full_kwargs, full_active = unwrap_callee(callee, tuple(call_args), kwargs, active)
    _plain_call(function, full_active, captured, "a recorded call")
    bound = len(full_args) - len(call_args)
    full_tangents = (None,) * bound + tuple(tangents)
    moving = tuple(t is not None and _differentiable(a) for a, t in zip(full_args, full_tangents))
    key = ("forward_jvp", function, full_active, moving, _constants(full_kwargs), _kind(full_args), bound,
           tuple(id(v) for v in full_args[:bound]))
    form = _FORMS.get(key)
    if form is None:
        program, names = program_called_with(function, full_args, moving, call_keywords=full_kwargs)
        by_name = {n: i for i, n in enumerate(names)}
        keywords, namespace = _keyword_lines(full_kwargs)
        lines = [f"bound_{i} = bound_values[{i}]" for i in range(bound)]
        lines += [f"argument_{i} = element(args, {i - bound})" for i in range(bound, len(full_args))]
        lines += [f"direction_{by_name[w]} = element(tangents, {by_name[w] - bound})" for w in program.wrt]
        given = [f"bound_{i}" if i < bound else f"argument_{i}" for i in range(len(full_args))]
        call = [*given, *(f"{t}=direction_{by_name[w]}" for w, t in zip(program.wrt, program.tangents)), *keywords]
        lines += [f"both = tangent_code({', '.join(call)})", "value = element(both, 0)",
                  "value_dot = element(both, 1)",
                  f"arguments = ({''.join(g + ', ' for g in given)})",
                  "record = recorded_arguments(arguments, call)",
                  f"directions = ({''.join((f'direction_{i}' if on else 'None') + ', ' for i, on in enumerate(moving))})",
                  "record_dot = recorded_arguments(directions, call)",
                  "first = (value, record)", "second = (value_dot, record_dot)", "return (first, second)"]
        namespace.update(tangent_code=program.function, element=element, recorded_arguments=recorded_arguments,
                         call=(function, full_kwargs, full_active), bound_values=full_args[:bound])
        signature = ["callee", "args", "tangents", "*", *_keyword_parameters(passed)]
        form = _FORMS[key] = _compile(f"call_forward_jvp_{function.__name__}", signature, lines, namespace)
    return form


def _gradient_tangent(function, full_args, full_kwargs, active, moving, seeded):
    """(forward mode over the helper's gradient, the gradient's seed name, its tangent names by parameter)."""
    gradient = _gradient(function, active)
    generated = gradient.generated_for(*full_args, **full_kwargs)
    seed = gradient._program_for(full_args, full_kwargs).seed
    program, names = program_called_with(generated, full_args, moving, {seed: seeded} if seeded is not None else None,
                                         call_keywords=full_kwargs)
    return program, names, seed


def backward_jvp_form(args, kwargs):
    """call_backward_jvp(record, record_tangent, cotangent, cotangent_tangent): forward mode over the helper's
    gradient at the record's arguments, along their tangents and the cotangent's."""
    record, record_tangent, cotangent, cotangent_tangent = args
    if record_tangent is None:
        raise S2SGradError("the record of a call to your function carries no tangent here, but its cotangent does; "
                           "differentiate with respect to the helper's arguments as well")
    function, full_args, full_kwargs, active = record_call(record)
    _plain_call(function, active, (), "a recorded call")
    directions = call_arguments(record_tangent)
    moving = tuple(t is not None and _differentiable(a) for a, t in zip(full_args, directions))
    seeded = cotangent_tangent is not None
    key = ("backward_jvp", function, active, moving, seeded, _constants(full_kwargs), _kind(full_args),
           _kind(cotangent))
    form = _FORMS.get(key)
    if form is None:
        program, names, seed = _gradient_tangent(function, full_args, full_kwargs, active, moving,
                                                 cotangent if seeded else None)
        keywords, namespace = _keyword_lines(full_kwargs)
        by_name = {n: i for i, n in enumerate(names)}
        lines = ["arguments = call_arguments(record)", *_read("argument", "arguments", len(full_args),
                                                               range(len(full_args))),
                 "directions = call_arguments(record_tangent)"]
        tangents = []
        for w, t in zip(program.wrt, program.tangents):
            if w == seed:
                tangents.append(f"{t}=cotangent_tangent")
            else:
                lines.append(f"direction_{by_name[w]} = element(directions, {by_name[w]})")
                tangents.append(f"{t}=direction_{by_name[w]}")
        call = [*(f"argument_{i}" for i in range(len(full_args))), f"{seed}=cotangent", *tangents, *keywords]
        lines += [f"both = tangent_code({', '.join(call)})", "first = element(both, 0)", "grads = element(first, 1)",
                  "second = element(both, 1)", "grads_dot = element(second, 1)", "return (grads, grads_dot)"]
        namespace.update(tangent_code=program.function, element=element, call_arguments=call_arguments)
        form = _FORMS[key] = _compile(f"call_backward_jvp_{function.__name__}",
                                      ["record", "record_tangent", "cotangent", "cotangent_tangent"], lines, namespace)
    return form


# ---- reverse over reverse, differentiated again -----------------------------------------------------------
def backward_vjp_form(args, kwargs):
    """call_backward_vjp(record, cotangent, grads_adjoint): J(x) v for the cotangent (forward mode over the
    helper along v, the gradients' adjoint) and, for the record, the derivative of the helper's gradient
    J(x)^T c along v (forward mode over its gradient), as the record's arguments' adjoints."""
    record, cotangent, grads_adjoint = args
    function, full_args, full_kwargs, active = record_call(record)
    _plain_call(function, active, (), "a recorded call")
    several = isinstance(grads_adjoint, (list, tuple))
    moving = tuple(i in active and _differentiable(a) for i, a in enumerate(full_args))
    # the record's adjoint reaches every argument that may carry a derivative one level up, not only those
    # the gradient differentiated: the gradient here is taken with respect to all of them
    reached = tuple(i for i, a in enumerate(full_args) if _differentiable(a))
    key = ("backward_vjp", function, active, several, _constants(full_kwargs), _kind(full_args), _kind(grads_adjoint))
    form = _FORMS.get(key)
    if form is None:
        forward, names = program_called_with(function, full_args, moving, call_keywords=full_kwargs)
        second, _, seed = _gradient_tangent(function, full_args, full_kwargs, reached, moving, None)
        keywords, namespace = _keyword_lines(full_kwargs)
        by_name = {n: i for i, n in enumerate(names)}
        lines = ["arguments = call_arguments(record)",
                 *_read("argument", "arguments", len(full_args), range(len(full_args)))]
        for k, position in enumerate(active):
            lines.append(f"direction_{position} = element(grads_adjoint, {k})" if several
                         else f"direction_{position} = grads_adjoint")
        given = [f"argument_{i}" for i in range(len(full_args))]
        along = [f"{t}=direction_{by_name[w]}" for w, t in zip(forward.wrt, forward.tangents)]
        lines += [f"along = forward_code({', '.join([*given, *along, *keywords])})",
                  "cotangent_adjoint = element(along, 1)"]
        along = [f"{t}=direction_{by_name[w]}" for w, t in zip(second.wrt, second.tangents)]
        lines += [f"both = gradient_tangent_code({', '.join([*given, f'{seed}=cotangent', *along, *keywords])})",
                  "second = element(both, 1)", "seconds = element(second, 1)"]
        lines += [f"second_{position} = element(seconds, {k})" for k, position in enumerate(reached)]
        direct = [f"second_{i}" if i in reached else "None" for i in range(len(full_args))]
        lines += [f"direct = ({''.join(d + ', ' for d in direct)})", "record_adjoint_ = record_adjoint(direct)",
                  "return (cotangent_adjoint, record_adjoint_)"]
        namespace.update(forward_code=forward.function, gradient_tangent_code=second.function, element=element,
                         call_arguments=call_arguments, record_adjoint=record_adjoint)
        form = _FORMS[key] = _compile(f"call_backward_vjp_{function.__name__}",
                                      ["record", "cotangent", "grads_adjoint"], lines, namespace)
    return form


def forward_vjp_form(args, kwargs):
    """call_forward_vjp(adjoint, h, *args, recorded_active=..., wrt=...): the helper's gradient for the
    value's adjoint, plus the adjoints the record's arguments got (RecordAdjoint.direct)."""
    adjoint, callee, *call_args = args
    kwargs, passed = {**(kwargs.get("callee_keywords") or {}), **kwargs}, tuple(kwargs)
    for meta in ("callee_keywords", "debug_nans"):
        kwargs.pop(meta, None)
    active, captured = kwargs.pop("recorded_active", ()), kwargs.pop("recorded_captured", ())
    wrt = tuple(kwargs.pop("wrt", ()))
    function, full_args, full_kwargs, full_wrt = unwrap_callee(callee, tuple(call_args), kwargs, wrt)
    _plain_call(function, full_wrt, captured, "a recorded call")
    bound = len(full_args) - len(call_args)
    paired = isinstance(adjoint, (list, tuple))
    record_part = adjoint[1] if paired else None
    if isinstance(record_part, RecordAdjoint) and record_part.uses:
        raise UnsupportedConstructError(
            f"a derivative of third order through a recorded call to {function.__qualname__} whose record's "
            "adjoint holds uses of its reverse sweep", None, "take forward mode outermost (jacfwd, jvp)")
    reads_record = record_part is not None and not (isinstance(record_part, (int, float)) and record_part == 0)
    key = ("forward_vjp", function, full_wrt, paired, reads_record, _constants(full_kwargs), _kind(full_args), bound,
           _kind(adjoint[0] if paired else adjoint), tuple(id(v) for v in full_args[:bound]))
    form = _FORMS.get(key)
    if form is None:
        gradient = _gradient(function, full_wrt)
        generated = gradient.generated_for(*full_args, **full_kwargs)
        seed = gradient._program_for(full_args, full_kwargs).seed
        keywords, namespace = _keyword_lines(full_kwargs)
        params = [f"argument_{i}" for i in range(bound, len(full_args))]
        lines = [f"argument_{i} = bound_values[{i}]" for i in range(bound)]
        given = [f"argument_{i}" for i in range(len(full_args))]
        lines += ["value_adjoint = element(adjoint, 0)" if paired else "value_adjoint = adjoint",
                  f"result = gradient_code({', '.join([*given, f'{seed}=value_adjoint', *keywords])})",
                  "grads = element(result, 1)"]
        if reads_record:
            lines += ["record_part = element(adjoint, 1)",
                      f"arguments = ({''.join(g + ', ' for g in given)})",
                      "direct = adjoint_arguments(record_part, arguments)"]
        results = []
        for k, position in enumerate(full_wrt):
            lines.append(f"gradient_{k} = element(grads, {k})")
            if reads_record:
                lines += [f"direct_{k} = element(direct, {position})", f"total_{k} = gradient_{k} + direct_{k}"]
                results.append(f"total_{k}")
            else:
                results.append(f"gradient_{k}")
        lines.append(f"return ({''.join(r + ', ' for r in results)})")
        namespace.update(gradient_code=generated, element=element, adjoint_arguments=adjoint_arguments,
                         bound_values=full_args[:bound])
        signature = ["adjoint", "callee", *params, "*", *_keyword_parameters(passed + ("wrt",))]
        form = _FORMS[key] = _compile(f"call_forward_vjp_{function.__name__}", signature, lines, namespace)
    return form


register_form(call_forward_jvp, forward_jvp_form)
register_form(call_backward_jvp, backward_jvp_form)
register_form(call_backward_vjp, backward_vjp_form)
register_form(call_forward_vjp, forward_vjp_form)
