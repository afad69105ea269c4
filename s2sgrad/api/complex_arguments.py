"""Calls with complex values: check every operation that differentiates one, and give real inputs real gradients.

The gradient of a real-valued f at a complex z = x + iy is df/dx - i df/dy (the
convention of autograd and JAX). A real input whose value passes through
complex intermediates gets the real part of what the adjoint sweep builds for
it: the imaginary part belongs to no direction of a real input.
"""
from __future__ import annotations

import contextvars
import types

import gast
import numpy as np

from ..analysis.activity import useful_names, varied_names
from ..analysis.complex_values import complex_names, refuse_complex_operations
from ..analysis.function_operands import refuse_functions_reading_varied_values
from ..errors import S2SGradError
from ..transform import prepare


_REAL_NUMBERS = {float, int, bool}


def is_complex(value, depth: int = 8) -> bool:
    """Whether `value` is or holds a complex number or array: in lists, tuples, dicts and the fields of the
    user's objects (`depth` levels down: a structure that contains itself ends there)."""
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "c"
    if depth == 0:
        return False
    if isinstance(value, (list, tuple)):
        kinds = set(map(type, value))           # at C speed: a long list of floats is told at once
        if kinds <= _REAL_NUMBERS:
            return False
        return complex in kinds or any(is_complex(v, depth - 1) for v in value if type(v) not in _REAL_NUMBERS)
    if isinstance(value, dict):
        return any(is_complex(v, depth - 1) for v in value.values())
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict) and not isinstance(value, (type, types.FunctionType, types.ModuleType)):
        return any(is_complex(v, depth - 1) for v in fields.values())
    return False


def guard_complex(function, prepared, wrt, arguments: dict):
    """`function` (the generated gradient) checked for complex values; wrapped to give real inputs real
    gradients where any value may be complex, unchanged otherwise."""
    if not refuse_complex(prepared, wrt, arguments):
        return function
    real_inputs = {i for i, name in enumerate(wrt) if not is_complex(arguments.get(name))}

    def with_real_gradients(*args, **kwargs):
        value, grads = function(*args, **kwargs)
        return value, tuple(real_part(g) if i in real_inputs else g for i, g in enumerate(grads))

    with_real_gradients.__wrapped__ = function
    return with_real_gradients


def refuse_complex(prepared, wrt, arguments: dict) -> bool:
    """Stop, naming the line, where an operation differentiates a complex value without a rule for it
    (analysis/complex_values.py); whether any value of the function may be complex."""
    complex_params = {name for name, value in arguments.items() if is_complex(value)}
    if not complex_params and tuple(wrt) in prepared.real_values:
        return prepared.real_values[tuple(wrt)]     # real arguments: decided once per wrt (and kept on disk)
    ssa, ir = prepared.ssa, prepared.ir
    varied = prepared.active_names.get(tuple(wrt))        # found when grad(f) was applied (Prepared.check)
    if varied is None:
        varied = varied_names(ssa.body, list(wrt), ir.resolve, ssa.closures) \
            & (useful_names(ssa.body, ssa.output, ssa.closures) | set(wrt))
    # a per-specialization check of its own, run here because it needs the same activity
    refuse_functions_reading_varied_values(ir, prepared.source, ssa.closures or {}, varied)
    maybe = bool(refuse_complex_operations(ir, prepared.source, varied, complex_params, calls=returns_complex))
    if not complex_params:
        prepared.real_values[tuple(wrt)] = maybe
    return maybe


# the calls being looked into, innermost last: a recursive helper is not looked into again
_LOOKING_INTO: contextvars.ContextVar = contextvars.ContextVar("s2sgrad_complex_callees", default=())


def returns_complex(function, positions, keywords):
    """Whether `function` returns a complex value when its positional arguments at `positions` and its
    keyword arguments `keywords` are complex, by the complex-values analysis of its own code; None when
    it cannot be looked into (no source, a *args parameter, a recursive call)."""
    if not isinstance(function, types.FunctionType):
        return None
    key = (function.__code__, positions, keywords)
    if key in _LOOKING_INTO.get():
        return None
    try:
        prepared = prepare(function)
    except S2SGradError:
        return None
    params = list(prepared.ir.params)
    if any(i >= len(params) for i in positions) or any(k not in params for k in keywords):
        return None
    complex_params = {params[i] for i in positions} | set(keywords)
    token = _LOOKING_INTO.set(_LOOKING_INTO.get() + (key,))
    try:
        maybe = complex_names(prepared.ir, prepared.source, complex_params, calls=returns_complex)
    finally:
        _LOOKING_INTO.reset(token)
    output = prepared.ssa.output
    if isinstance(output, gast.Name):
        return output.id in maybe
    return isinstance(output, gast.Constant) and isinstance(output.value, complex)


def real_part(gradient):
    """The real part of a gradient, container by container (a real input's gradient is real)."""
    if isinstance(gradient, (list, tuple)):
        return type(gradient)(real_part(g) for g in gradient)
    if isinstance(gradient, dict):
        return {k: real_part(g) for k, g in gradient.items()}
    if isinstance(gradient, complex):
        return gradient.real
    if np.iscomplexobj(gradient):
        return np.real(gradient)
    return gradient
