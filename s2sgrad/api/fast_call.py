"""The fast path of a gradient call: a small function made for one tuple of argument types.

`GradientFunction.__call__` has to find the specialization for its arguments,
call it, check the result is a real scalar, copy read-only adjoints and shape
the gradients for `wrt`. Done generically that costs about a microsecond,
several times the generated code of a small scalar function. So for the
argument types seen last (plain numbers only: their type alone decides the
specialization), a caller is generated with the arity, the type tests and
the result's shape written out; for arrays of shapes seen before, with the
shape and dtype tests of the code specialized on them. It is what a call of the gradient function
runs (`__call__` hands it over without a frame of its own); it passes
arguments of other types to the general path and anything unusual (a result
that is not a float, an adjoint that is an array) to the general
post-processing, so the fast path never changes an answer, only its cost.
"""
from __future__ import annotations

import numpy as np

def fast_caller(arg_types: tuple, function, *, n_grads: int, single: bool, with_value: bool, has_aux: bool,
                seed_name: str, seed, checks, general, finish, diagnose, layouts: tuple = (),
                grad_shapes: tuple = ()):
    """The instance's caller `(*args, **kwargs) -> result` for calls whose positional arguments have exactly
    `arg_types` (and, for NumPy arrays, the shape and dtype `layouts` gives at their position: code
    specialized on shapes); every other call goes to `general(args, kwargs)`, the general path.
    `grad_shapes`: per gradient, the shape of the array it is for (None for a number).

    `checks`: functions `() -> bool`, each true while the specialization holds (the names the
    transformation resolved were not rebound, the globals it took for numbers still hold numbers);
    `finish(value, grads, args)` is the general post-processing; `diagnose(exc)` turns a failure
    inside the generated code into the user's own error.
    """
    # the parameters are named and positional-only, so no tuple of arguments is built on the fast path;
    # one left out holds NOT_GIVEN, whose type matches no argument type
    params = [f"a{i}" for i in range(len(arg_types))]
    signature = ", ".join([f"{p}=NOT_GIVEN" for p in params] + (["/"] if params else []) + ["*rest", "**kwargs"])
    args = f"given(({', '.join(params)}{',' if params else ''}), rest)"
    # the seed given by name even where it is the parameter's default: filling a keyword-only parameter from
    # its default costs more than one passed by name
    default_seed = (getattr(function, "__kwdefaults__", None) or {}).get(seed_name, NOT_GIVEN)
    seed_arg = seed if seed is not None else default_seed
    call_args = ", ".join(params + ([f"{seed_name}=seed"] if seed_arg is not NOT_GIVEN else []))
    mismatch = " or ".join(["rest", "kwargs"] + [f"type({p}) is not T{i}" for i, p in enumerate(params)]
                           + [f"{params[i]}.shape != S{i} or {params[i]}.dtype is not D{i}"
                              for i, layout in enumerate(layouts) if layout is not None])
    adjoints = [f"d{i}" for i in range(n_grads)]
    value = "value[0]" if has_aux else "value"
    if any(layout is not None for layout in layouts):
        # arrays: a NumPy float result, and gradients as _handed_on says, need nothing more
        plain = " and ".join([f"(type({value}) is float or type({value}) is float64)"]
                             + [_handed_on(d, k, grad_shapes[k] if k < len(grad_shapes) else ())
                                for k, d in enumerate(adjoints)])
    else:
        plain = " and ".join([f"type({value}) is float"] + [f"type({d}) is not ndarray" for d in adjoints])
    # the generated function returns (value, gradients): value_and_grad's own result, handed on as it is
    grads = "d0" if single else "result[1]"
    result = ("result" if with_value and not single else f"(value, {grads})" if with_value
              else f"({grads}, value[1])" if has_aux else grads)
    guard = "".join(f"    if not holds{i}():\n        return general({args}, kwargs)\n" for i in range(len(checks)))
    text = (
        f"def call({signature}):\n"
        f"    if {mismatch}:\n"
        f"        return general({args}, kwargs)\n"
        f"{guard}"
        "    try:\n"
        f"        result = function({call_args})\n"
        "    except Exception as exc:\n"
        "        diagnose(exc)\n"
        "        raise\n"
        f"    value, ({', '.join(adjoints)}{',' if adjoints else ''}) = result\n"
        f"    if {plain}:\n"
        f"        return {result}\n"
        f"    return finish(value, result[1], {args})\n"
    )
    namespace = {f"T{i}": t for i, t in enumerate(arg_types)}
    for i, layout in enumerate(layouts):
        if layout is not None:
            namespace[f"S{i}"], namespace[f"D{i}"] = layout
    namespace.update({f"G{k}": shape for k, shape in enumerate(grad_shapes) if shape})
    namespace.update({f"holds{i}": check for i, check in enumerate(checks)})
    namespace.update(ndarray=np.ndarray, float64=np.float64)
    namespace.update(function=function, seed=seed_arg, general=general, finish=finish,
                     diagnose=diagnose, NOT_GIVEN=NOT_GIVEN, given=given,
                     type=type, float=float)      # read as the namespace's own: a lookup fewer than a builtin
    exec(compile(text, "<s2sgrad fast call>", "exec"), namespace)
    return namespace["call"]


def _handed_on(d: str, k: int, shape) -> str:
    """The test that gradient `d` (the k-th) is handed on as it is; anything else goes to the general
    post-processing, which finishes it (0-d arrays, read-only views) or stops it (a wrong shape).
    `shape`: its array argument's (read as G<k>), None for a number's, () when not known."""
    if shape is None:               # a number's gradient is a float
        return f"type({d}) is float"
    if shape:                       # an array's is a writable array of exactly its shape
        return f"(type({d}) is ndarray and {d}.shape == G{k} and {d}.flags.writeable)"
    return f"(type({d}) is float or type({d}) is ndarray and {d}.ndim != 0 and {d}.flags.writeable)"


NOT_GIVEN = object()


def given(params: tuple, rest: tuple) -> tuple:
    """The positional arguments a call passed, from the caller's named parameters and *rest."""
    return tuple(a for a in params if a is not NOT_GIVEN) + rest
