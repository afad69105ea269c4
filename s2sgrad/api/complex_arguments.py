"""Calls with complex values: check every operation that differentiates one, and give real inputs real gradients.

The gradient of a real-valued f at a complex z = x + iy is df/dx - i df/dy (the
convention of autograd and JAX). A real input whose value passes through
complex intermediates gets the real part of what the adjoint sweep builds for
it: the imaginary part belongs to no direction of a real input.
"""
from __future__ import annotations

import numpy as np

from ..analysis.activity import useful_names, varied_names
from ..analysis.complex_values import refuse_complex_operations
from ..analysis.function_operands import refuse_functions_reading_varied_values


def is_complex(value) -> bool:
    if isinstance(value, (complex, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "c"
    if isinstance(value, (list, tuple)):
        return any(is_complex(v) for v in value)
    if isinstance(value, dict):
        return any(is_complex(v) for v in value.values())
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
    ssa, ir = prepared.ssa, prepared.ir
    varied = varied_names(ssa.body, list(wrt), ir.resolve, ssa.closures) \
        & (useful_names(ssa.body, ssa.output, ssa.closures) | set(wrt))
    # a per-specialization check of its own, run here because it needs the same activity
    refuse_functions_reading_varied_values(ir, prepared.source, ssa.closures or {}, varied)
    return bool(refuse_complex_operations(ir, prepared.source, varied, complex_params))


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
