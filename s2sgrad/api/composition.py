"""Derivatives of derivatives, to any order: every derivative s2sgrad makes has a Python form.

A derivative made by `grad`, `jacfwd`, `jacrev`, `hessian` or `grad(grad(f))`
is, for arguments of given kinds, a short Python function over generated code:

    def jacfwd_f(x):                                # jacfwd(f)(x), x an array
        columns = []
        for k in range(np.size(x)):
            direction = unit_tangent(x, k)
            both = jvp_f(x, x_dot=direction)        # f's forward-mode code, itself Python
            column = both[1]
            columns.append(column)
        ...

`python_form(derivative, args)` returns it. Its source is registered like any
generated file, so s2sgrad reads and differentiates it as it would the
user's own function: the calls to generated code (`jvp_f`, `grad_f`) are
calls to Python functions, which forward mode follows with `call_jvp` and
reverse mode with `call_vjp`. That is the whole composition mechanism:
`grad(jacfwd(f))` is the gradient of jacfwd_f above, `jacfwd(jacrev(f))`
forward mode over jacrev's form, `grad(grad(grad(f)))` reverse over forward
over reverse; each level is generated code the user can print.

A call to a derivative inside a function being differentiated
(`return g(x) * x` with `g = grad(h)`) takes the same route: the runtime asks
for the derivative's Python form at the call (runtime/calls.py).
"""
from __future__ import annotations

import inspect
import itertools
import linecache
import numbers
import weakref

import numpy as np

from ..errors import UnsupportedConstructError, WrtError
from ..runtime.calls import CallRecord, closure_values, set_form_factory
from ..runtime.namespace import is_foreign_array
from ..runtime.receivers import is_user_object
from ..runtime.tangents import element, require_scalar, set_backward_tangent_factory, unit_tangent
from ..source.variadic import call_shape, reaches_variadic
from .any_callable import as_python_function
from .callee_gradients import CALLEE_GRADIENTS
from .custom_rules import stop_gradient
# program_called_with: tangent_program given the keywords the program will be called with too, which bind a
# helper's **kwargs (with *args, a call's shape binds both: source/variadic.py)
from .forward_mode import _program as program_called_with, tangent_program
from .gradient_function import GradientFunction

_COUNTER = itertools.count()


def is_derivative(fun) -> bool:
    """A derivative s2sgrad made (a gradient function, a Jacobian, a Hessian, ...)."""
    return isinstance(fun, GradientFunction) or hasattr(fun, "python_for")


_SPECIAL_FORMS: dict = {}


def register_form(helper, builder) -> None:
    """`builder(args, kwargs) -> Python function`: the form of a runtime helper that generated code calls
    and that is differentiated by what it computes (api/recorded_call_forms.py)."""
    _SPECIAL_FORMS[helper] = builder


def python_form(fun, args, kwargs=None):
    """A plain Python function computing `fun(*args)` for arguments of these kinds, with source s2sgrad reads."""
    builder = _SPECIAL_FORMS.get(fun) if callable(fun) else None
    if builder is not None:
        return builder(tuple(args), dict(kwargs or {}))
    if getattr(fun, "_s2sgrad_form", False):        # jvp or call_jvp of jvp or call_jvp: the inner one's form
        return _form_at_call(fun, tuple(args), dict(kwargs or {}))
    if isinstance(fun, GradientFunction):
        return _gradient_form(fun, args)
    if hasattr(fun, "python_for"):
        return fun.python_for(*args)
    return as_python_function(fun)


# ---- the Python forms -------------------------------------------------------------------------------------
_GRADIENT_FORMS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _gradient_form(gradient: GradientFunction, args):
    """`result = grad_f(x, y); grads = result[1]; return grads[0]`: the gradient function's result."""
    if gradient.has_aux:
        raise WrtError("derivatives of gradient functions made with has_aux=True are not supported; "
                       "differentiate a plain grad(f)")
    arguments = dict(zip(gradient._positional, args))
    for name in gradient.wrt:
        value = arguments.get(name)
        if isinstance(value, (tuple, list, dict)) or (value is not None and hasattr(value, "__dict__")
                                                       and not isinstance(value, np.ndarray)):
            raise UnsupportedConstructError(
                f"a derivative of the gradient of {gradient.target.__qualname__} with respect to `{name}`, "
                f"which holds a {type(value).__name__}", None, "pass the values as separate array arguments")
    generated = gradient.generated_for(*args)
    forms = _GRADIENT_FORMS.setdefault(generated, {})
    seed_name = gradient._program_for(args, {}).seed
    float32 = any(getattr(arguments.get(n), "dtype", None) == np.float32 for n in gradient.wrt)
    key = (gradient._single, gradient.with_value, float32)
    form = forms.get(key)
    if form is None:
        params = _parameters(gradient.target, len(args))
        seed = f", {seed_name}=seed" if float32 else ""
        picked = "element(grads, 0)" if gradient._single else "grads"
        lines = [f"result = generated({', '.join(params)}{seed})", "value = element(result, 0)",
                 f"require_scalar(value, {gradient.target.__qualname__!r})", "grads = element(result, 1)",
                 f"gradient = {picked}", "return (value, gradient)" if gradient.with_value else "return gradient"]
        form = forms[key] = _compile(f"grad_{gradient.target.__name__}", params, lines,
                                     {"generated": generated, "seed": np.float32(1.0), "element": element,
                                      "require_scalar": require_scalar})
    return form


_JACOBIAN_FORMS: dict = {}


def jacobian_form(fun, mode: str, positions, single: bool, args):
    """jacfwd's or jacrev's Python form for these arguments: loops over unit directions, through generated code."""
    scalars = tuple(isinstance(a, numbers.Number) for a in args)
    seed = ""
    if mode == "jacfwd" and isinstance(fun, GradientFunction) and not fun.has_aux and not fun.with_value:
        # forward mode straight over the gradient's generated code (a Hessian: forward over reverse), its
        # result picked out after; float32 arguments get a float32 seed, as the gradient function gives them
        _gradient_form(fun, args)                      # the same refusals as any derivative of a gradient
        inner, pick = fun.generated_for(*args), (1, 0) if fun._single else (1,)
        if any(getattr(a, "dtype", None) == np.float32 for a in args):
            seed = f", {fun._program_for(args, {}).seed}=np.float32(1.0)"
    else:
        inner, pick = python_form(fun, args), ()
    key = (inner, mode, positions, single, scalars)
    form = _JACOBIAN_FORMS.get(key)
    if form is not None:
        return form
    params = _parameters(inner, len(args))
    namespace = {"np": np, "unit_tangent": unit_tangent, "primal": inner, "element": element}
    lines, results = [], []
    if mode == "jacrev":
        gradient = GradientFunction(inner, positions)
        generated = gradient.generated_for(*args)
        namespace["gradient_code"] = generated
        seed = gradient._program_for(args, {}).seed
        lines += [f"value = primal({', '.join(params)})"]
        lines += [f"rows_{i} = []" for i in range(len(positions))]
        lines += ["for k in range(np.size(value)):", "    cotangent = unit_tangent(value, k)",
                  f"    result = gradient_code({', '.join(params)}, {seed}=cotangent)",
                  "    grads = element(result, 1)"]
        for i, p in enumerate(positions):
            lines += [f"    row_{i} = element(grads, {i})", f"    rows_{i}.append(row_{i})"]
        for i, p in enumerate(positions):
            lines += [f"stacked_{i} = np.stack(rows_{i})",
                      f"shape_{i} = np.shape(value) + np.shape({params[p]})",
                      f"jacobian_{i} = np.reshape(stacked_{i}, shape_{i})"]
            results.append(f"jacobian_{i}")
    else:
        for i, p in enumerate(positions):
            active = tuple(j == p for j in range(len(args)))
            program, _ = tangent_program(inner, args, active)
            if not program.tangents:
                raise WrtError(f"jacfwd with respect to argument {p}: it holds {type(args[p]).__name__} values, "
                               "not floats")
            namespace[f"tangent_code_{i}"] = program.function
            call = f"tangent_code_{i}({', '.join(params)}{seed}, {program.tangents[0]}=direction_{i})"
            if scalars[p]:
                lines += [f"direction_{i} = 1.0", f"both_{i} = {call}", *_picked(f"jacobian_{i}", f"both_{i}", pick)]
            else:
                lines += [f"columns_{i} = []", f"for k_{i} in range(np.size({params[p]})):",
                          f"    direction_{i} = unit_tangent({params[p]}, k_{i})",
                          f"    both_{i} = {call}", *_picked(f"    column_{i}", f"both_{i}", pick),
                          f"    columns_{i}.append(column_{i})",
                          f"stacked_{i} = np.stack(columns_{i}, axis=-1)",
                          f"first_{i} = columns_{i}[0]",
                          f"shape_{i} = np.shape(first_{i}) + np.shape({params[p]})",
                          f"jacobian_{i} = np.reshape(stacked_{i}, shape_{i})"]
            results.append(f"jacobian_{i}")
    lines.append(f"return {results[0]}" if single else f"return ({', '.join(results)},)")
    form = _JACOBIAN_FORMS[key] = _compile(f"{mode}_{inner.__name__}", params, lines, namespace)
    return form


def _picked(target: str, result: str, path) -> list[str]:
    """`target = element(result, 1)` then one line per index of `path`: the tangent, then the entry wanted."""
    lines, source = [], result
    for depth, index in enumerate((1, *path)):
        name = target if depth == len(path) else f"{target.strip()}_{depth}"
        indent = target[:len(target) - len(target.lstrip())]
        lines.append(f"{name if depth == len(path) else indent + name} = element({source}, {index})")
        source = name.strip()
    return lines


def _parameters(function, count: int) -> list[str]:
    """The names of the first `count` positional parameters (the form takes what the derivative takes)."""
    parameters = [p.name for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(parameters) < count:
        raise WrtError(f"{function.__qualname__} takes {len(parameters)} positional parameters, called with "
                       f"{count}: derivatives of derivatives need each argument to have a parameter of its own")
    return parameters[:count]


def _compile(name: str, params, lines, namespace):
    """Define the form as a function with a source file of its own (in linecache), which s2sgrad can read."""
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name)      # jacfwd_<lambda>: jacfwd__lambda_
    body = "".join(f"    {line}\n" for line in lines)
    text = f"def {name}({', '.join(params)}):\n{body}"
    filename = f"<s2sgrad derivative {next(_COUNTER)}: {name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[name]


_JVP_FORMS: dict = {}


def _jvp_call_form(args, kwargs):
    """`jvp(f, primals, tangents)` or `call_jvp(f, primals, tangents)` as a Python function: f's forward-mode
    code called with the tangents as its keyword arguments, so that the call can be differentiated again."""
    fun, primals, tangents = args[0], tuple(args[1]), tuple(args[2])
    kwargs = {**(kwargs.get("callee_keywords") or {}), **{k: v for k, v in kwargs.items() if k != "callee_keywords"}}
    if kwargs.get("captured_tangents") or kwargs.get("self_tangent") is not None:
        raise UnsupportedConstructError(
            "a derivative of a forward-mode call whose callee reads moving closure values or is a method of a "
            "moving object", None, "pass those values to the function as arguments")
    # keyword arguments that carry derivatives: their tangents come by name, in `keyword_tangents`
    moving = {k: kwargs[k] for k in (kwargs.get("keyword_tangents") or {}) if k in kwargs}
    plain = [k for k in kwargs if k not in moving and k not in ("keyword_tangents", "captured_tangents",
                                                                  "self_tangent")]
    active = tuple(t is not None and _differentiable(p) for p, t in zip(primals, tangents))
    inner = python_form(fun, primals, {k: kwargs[k] for k in plain})
    program, _ = tangent_program(inner, primals, active, moving or None)
    key = (program.function, active, tuple(kwargs))
    form = _JVP_FORMS.get(key)
    if form is None:
        params = _parameters(inner, len(primals))
        # the form's own names, apart from the callee's parameters (a helper may call one `tangents`)
        taken = {*params, *program.tangents, *kwargs, "tangent_code", "stop_gradient"}
        function_, primals_, tangents_, both = (_fresh(n, taken) for n in ("function", "primals", "tangents", "both"))
        # a primal without a tangent is a constant of the call (an axis, a count), even inside an active tuple
        lines = [f"{p} = {primals_}[{i}]" if on else f"{p} = stop_gradient({primals_}[{i}])"
                 for i, (p, on) in enumerate(zip(params, active))]
        given = iter(range(len(primals)))
        by_name = {params[i]: i for i in given}
        lines += [f"{t} = {tangents_}[{by_name[w]}]" if w not in moving else f"{t} = keyword_tangents[{w!r}]"
                  for w, t in zip(program.wrt, program.tangents)]
        call = [*params, *(f"{t}={t}" for t in program.tangents),
                *(f"{k}={k}" for k in kwargs if k != "keyword_tangents")]
        lines += [f"{both} = tangent_code({', '.join(call)})", f"return {both}"]
        signature = [function_, primals_, tangents_, *(["*", *kwargs] if kwargs else [])]
        form = _JVP_FORMS[key] = _compile(f"jvp_{inner.__name__}", signature, lines,
                                          {"tangent_code": program.function, "stop_gradient": stop_gradient})
    return form


def _fresh(name: str, taken: set) -> str:
    """`name`, or `name_1`, `name_2`, ...: the first not in `taken` (which it joins)."""
    chosen, count = name, 0
    while chosen in taken:
        count += 1
        chosen = f"{name}_{count}"
    taken.add(chosen)
    return chosen


def _differentiable(value) -> bool:
    if isinstance(value, (bool, int, np.integer)):
        return False
    if isinstance(value, CallRecord):       # a recorded call: derivatives reach it through its arguments
        return True
    if isinstance(value, np.ndarray) or is_foreign_array(value):     # CuPy and Dask arrays too
        return value.dtype.kind in "fc"
    # the user's objects move along tangent objects of their kind (a method's self, a layer)
    return isinstance(value, (float, complex, np.inexact, list, tuple, dict)) or is_user_object(value)


def _form_at_call(callee, args, kwargs):
    """call_vjp and call_jvp at a call of a derivative inside differentiated code: its Python form."""
    if callee in _SPECIAL_FORMS:                             # call_forward_jvp and its siblings
        return python_form(callee, args, kwargs)
    if getattr(callee, "_s2sgrad_form", False):             # jvp or call_jvp
        return _jvp_call_form(args, kwargs)
    if kwargs:
        raise UnsupportedConstructError(
            f"a call of {getattr(callee, '__name__', callee)} with keyword arguments inside a function being "
            "differentiated", None, "pass its arguments by position")
    return python_form(callee, args)


def _backward_tangent(record_tangent, cotangent, cotangent_tangent):
    """The tangent of `call_backward(record, cotangent)`: forward mode over the helper's own generated
    gradient, at the call's arguments, along their tangents and the cotangent's (runtime/tangents.py).
    The helper's forward runs again there (a checkpoint): the record holds values, not their tangents."""
    call = record_tangent
    if not all(isinstance(a, int) for a in call.active):
        raise UnsupportedConstructError(
            f"forward mode over a gradient whose call to {call.function.__qualname__} differentiates keyword "
            "arguments", None, "pass the values carrying derivatives to the helper by position")
    # values going into the helper's *args: its gradient is the one for this call's shape (source/variadic.py)
    shape = call_shape(call.function, len(call.args), call.kwargs) \
        if reaches_variadic(call.function, call.active) else None
    key = (call.function, call.active, shape)
    if call.captured:
        # a nested def reading values that carry derivatives: the gradient call_forward recorded with (its
        # closure variables lifted into keyword parameters and differentiated too), kept per code, not per
        # function object (a nested def is a new one at each call)
        gradient = CALLEE_GRADIENTS(call.function, call.active, call.captured)
    else:
        gradient = _BACKWARD_GRADIENTS.get(key)
    if gradient is None:
        shaped = {"call_shape": shape} if shape is not None else {}
        gradient = _BACKWARD_GRADIENTS[key] = GradientFunction(call.function, call.active, **shaped)
    kwargs = gradient.bound.renamed(call.kwargs) if gradient.bound is not None else call.kwargs
    # the closure variables its gradient takes as parameters: those the record kept, and the others (constant
    # at both orders, `g = 9.81` beside a moving `L`) as the function's cells hold them
    held = closure_values(call.function)
    kwargs = {**kwargs, **{name: held[name] for name in (getattr(gradient, "lifted", None) or ()) if name in held},
              **call.closure}
    generated = gradient.generated_for(*call.args, **kwargs)
    seed = gradient._program_for(call.args, kwargs).seed
    active = tuple(t is not None and _differentiable(a) for a, t in zip(call.args, call.tangents))
    seeded = {seed: cotangent} if cotangent_tangent is not None else {}
    seeded.update({c: call.closure[c] for c in call.captured_tangents})      # moving closure values
    program, names = program_called_with(generated, call.args, active, seeded or None, call_keywords=kwargs)
    given = {**dict(zip(names, call.tangents)), seed: cotangent_tangent, **call.captured_tangents}
    tangents = {t: given[w] for w, t in zip(program.wrt, program.tangents)}
    _, (_, grads_dot) = program.function(*call.args, **kwargs, **{seed: cotangent}, **tangents)
    return grads_dot


_BACKWARD_GRADIENTS: dict = {}


set_form_factory(_form_at_call)
set_backward_tangent_factory(_backward_tangent)
