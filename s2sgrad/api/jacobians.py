"""JAX's transformation set on top of reverse mode (grad) and forward mode (jvp).

    vjp(f, *primals)        -> (f(*primals), vjp_fn); vjp_fn(cotangent) gives one cotangent per primal
    jacrev(f, wrt=0)        Jacobians by reverse mode, one vjp per output element
    jacfwd(f, wrt=0)        Jacobians by forward mode, one jvp per input element
    hessian(f, wrt=0)       jacfwd(grad(f)): forward over reverse, one gradient-cost jvp per input element

Jacobians are shaped `out.shape + in.shape`; a tuple `wrt` gives a tuple, and
a tuple-valued function a tuple of those. Forward mode through a gradient
function differentiates the gradient's own generated code (`jvp_source`
prints it), so second derivatives are generated code as well.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np

from ..errors import NonScalarOutputError, WrtError
from .forward_mode import jvp, jvp_source
from .gradient_function import GradientFunction


def vjp(fun, *primals):
    """(fun(*primals), vjp_fn): vjp_fn(cotangent) returns one cotangent per primal (None for integer ones)."""
    positions = tuple(i for i, p in enumerate(primals) if _differentiable(p))
    if not positions:
        raise WrtError("vjp needs at least one primal holding floats")
    gradient = GradientFunction(fun, positions)
    value = fun(*primals)

    def vjp_fn(cotangent):
        grads = gradient.vjp(cotangent, *primals)
        out = [None] * len(primals)
        for i, g in zip(positions, grads):
            out[i] = g
        return tuple(out)

    return value, vjp_fn


def jacrev(fun, wrt=0):
    """The Jacobian of `fun` by reverse mode: one pass of the reverse sweep per element of the output."""
    positions, single = _positions(wrt, fun)
    gradient = GradientFunction(fun, positions)

    def jacobian(*args):
        value = fun(*args)
        if isinstance(value, (tuple, list, dict)):
            raise NonScalarOutputError(
                f"jacrev of {getattr(fun, '__qualname__', fun)} returning a {type(value).__name__}: "
                "return one array, or use s2sgrad.vjp with a cotangent of the same structure")
        shape = np.shape(value)
        dtype = _float_dtype(value)
        rows = []
        for k in range(int(np.prod(shape, dtype=int))):
            cotangent = np.zeros(shape, dtype=dtype)
            cotangent.flat[k] = 1
            rows.append(gradient.vjp(cotangent if shape else dtype.type(1), *args))
        jacobians = tuple(_stack([row[i] for row in rows], shape, np.shape(args[p]), dtype)
                          for i, p in enumerate(positions))
        return jacobians[0] if single else jacobians

    return _named(jacobian, fun, "jacrev")


def jacfwd(fun, wrt=0):
    """The Jacobian of `fun` by forward mode: one pass of the tangent code per element of the inputs."""
    positions, single = _positions(wrt, fun)

    def jacobian(*args):
        per_input = []
        for p in positions:
            x = args[p]
            if not _differentiable(x):
                raise WrtError(f"jacfwd with respect to argument {p}: it holds {type(x).__name__} values, "
                               "not floats")
            columns, value = [], None
            for k in range(int(np.prod(np.shape(x), dtype=int))):
                tangents = [_zero_tangent(a) for a in args]
                tangents[p] = _unit(x, k)
                value, column = jvp(fun, args, tangents)
                columns.append(column)
            per_input.append(_columns_to_jacobian(columns, value, np.shape(x)))
        if isinstance(per_input[0], tuple):          # a tuple-valued function: per output, per input
            per_output = tuple(tuple(j[o] for j in per_input) for o in range(len(per_input[0])))
            return tuple(o[0] for o in per_output) if single else per_output
        return per_input[0] if single else tuple(per_input)

    return _named(jacobian, fun, "jacfwd")


def hessian(fun, wrt=0):
    """The Hessian of a scalar `fun`, shaped in.shape + in.shape: forward mode over the generated gradient."""
    positions, single = _positions(wrt, fun)
    return _named(jacfwd(GradientFunction(fun, positions[0] if single else positions), wrt), fun, "hessian")


def gradient_of_gradient(gradient: GradientFunction, wrt=0, with_value: bool = False):
    """grad of a gradient function: the derivative of its (scalar) result, by forward mode over its code."""
    positions, single = _positions(wrt, gradient)
    derivative = jacfwd(gradient, positions[0] if single else positions)

    def second(*args):
        value = gradient(*args)
        if not (isinstance(value, numbers.Real) or np.shape(value) == ()):
            raise NonScalarOutputError(
                f"grad of {gradient.__qualname__}: it returns {type(value).__name__} values of shape "
                f"{np.shape(value)}, not one number; use s2sgrad.hessian or s2sgrad.jacfwd for all of them")
        return (value, derivative(*args)) if with_value else derivative(*args)

    second.source_for = lambda *args: jvp_source(gradient.generated_for(*args), *args)
    return _named(second, gradient, "grad")


def _positions(wrt, fun=None) -> tuple[tuple[int, ...], bool]:
    """Argument positions for `wrt`, given by position or by parameter name."""
    single = not isinstance(wrt, (tuple, list))
    names = _parameter_names(fun)
    positions = []
    for p in ((wrt,) if single else tuple(wrt)):
        if isinstance(p, str) and p in names:
            p = names.index(p)
        if not isinstance(p, int):
            raise WrtError(f"wrt/argnums names {p!r}, which is neither a position nor a parameter of "
                           f"{getattr(fun, '__qualname__', fun)} ({', '.join(names)})")
        positions.append(p)
    return tuple(positions), single


def _parameter_names(fun) -> list[str]:
    target = getattr(fun, "target", fun)
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _columns_to_jacobian(columns, value, in_shape):
    if isinstance(value, tuple):
        return tuple(_columns_to_jacobian([c[o] for c in columns], value[o], in_shape) for o in range(len(value)))
    out_shape = np.shape(value)
    stacked = np.stack([np.asarray(c, dtype=_float_dtype(value)) for c in columns], axis=-1)
    return np.reshape(stacked, out_shape + in_shape) if (out_shape or in_shape) else stacked.reshape(()).item()


def _stack(rows, out_shape, in_shape, dtype):
    stacked = np.stack([np.asarray(r, dtype=dtype) for r in rows])
    jacobian = np.reshape(stacked, out_shape + in_shape)
    return jacobian.item() if jacobian.shape == () else jacobian


def _unit(x, k):
    if isinstance(x, numbers.Number):
        return 1.0
    t = np.zeros(np.shape(x), dtype=_float_dtype(x))
    t.flat[k] = 1
    return t


def _zero_tangent(x):
    if isinstance(x, (bool, int, np.integer)):
        return 0
    if isinstance(x, dict):
        return {k: _zero_tangent(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_zero_tangent(v) for v in x)
    if isinstance(x, np.ndarray):
        return np.zeros_like(x, dtype=_float_dtype(x))
    return 0.0


def _float_dtype(x):
    dtype = getattr(x, "dtype", np.dtype(np.float64))
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _differentiable(value) -> bool:
    if isinstance(value, (bool, int, np.integer)):
        return False
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc"
    return True


def _named(fn, of, what):
    name = getattr(of, "__name__", type(of).__name__)
    fn.__name__ = fn.__qualname__ = f"{what}_{name}"
    fn.__doc__ = f"{what} of {name}"
    fn._s2sgrad_derivative = what          # differentiating it again is refused by name (api/any_callable.py)
    return fn
