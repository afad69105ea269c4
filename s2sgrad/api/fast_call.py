"""The fast path of a gradient call: a small function made for one tuple of argument types.

`GradientFunction.__call__` has to find the specialization for its arguments,
call it, check the result is a real scalar, copy read-only adjoints and shape
the gradients for `wrt`. Done generically that costs about a microsecond,
several times the generated code of a small scalar function. So for the
argument types seen last (plain numbers only: their type alone decides the
specialization), a caller is generated with the arity, the type tests and
the result's shape written out; it gives back MISS when the arguments are
not of those types (the general path takes over) and hands anything unusual
(a result that is not a float, an adjoint that is an array) to the general
post-processing, so the fast path never changes an answer, only its cost.
"""
from __future__ import annotations

import numpy as np

MISS = object()


def never(args):
    """The fast path before any call: always declines."""
    return MISS


def fast_caller(arg_types: tuple, function, *, n_grads: int, single: bool, with_value: bool, has_aux: bool,
                seed_name: str, seed, holds, finish, diagnose):
    """A function `(args) -> result or MISS` for calls whose positional arguments have exactly `arg_types`.

    `holds()` (or None) re-checks that the names the transformation resolved were not rebound;
    `finish(value, grads, args)` is the general post-processing; `diagnose(exc, args)` turns a failure
    inside the generated code into the user's own error.
    """
    params = [f"a{i}" for i in range(len(arg_types))]
    call_args = ", ".join(params + ([f"{seed_name}=seed"] if seed is not None else []))
    type_test = " or ".join(f"type({p}) is not T{i}" for i, p in enumerate(params)) or "False"
    scalar = "value[0]" if has_aux else "value"
    plain = " and ".join([f"type({scalar}) is float"] + [f"type(grads[{i}]) is not ndarray" for i in range(n_grads)])
    grads = "grads[0]" if single else "grads"
    result = f"(value, {grads})" if with_value else f"({grads}, value[1])" if has_aux else grads
    # unpacking checks the arity (a ValueError is no match); try costs nothing until it catches
    unpack = (f"    try:\n        {', '.join(params)}, = args\n    except ValueError:\n        return MISS\n"
              if params else "    if args:\n        return MISS\n")
    guard = "    if not holds():\n        return MISS\n" if holds is not None else ""
    text = (
        "def fast(args):\n"
        f"{unpack}"
        f"    if {type_test}:\n"
        "        return MISS\n"
        f"{guard}"
        "    try:\n"
        f"        value, grads = function({call_args})\n"
        "    except Exception as exc:\n"
        "        diagnose(exc, args)\n"
        "        raise\n"
        f"    if {plain}:\n"
        f"        return {result}\n"
        "    return finish(value, grads, args)\n"
    )
    namespace = {f"T{i}": t for i, t in enumerate(arg_types)}
    namespace.update(MISS=MISS, ndarray=np.ndarray, function=function, seed=seed, holds=holds, finish=finish,
                     diagnose=diagnose)
    exec(compile(text, "<s2sgrad fast call>", "exec"), namespace)
    return namespace["fast"]
