"""`s2sgrad.jit` of the other transformations: jvp, vjp, jacfwd, jacrev and hessian, compiled by numba.

    fast_jvp = s2sgrad.jit(s2sgrad.jvp)
    value, tangent = fast_jvp(f, (x,), (v,))        # jvp's arguments and results
    hess = s2sgrad.jit(s2sgrad.hessian(f))          # jacfwd over the gradient's code, column by column

Each is the Python transformation with its generated code swapped for numba's
compilation of it (jit_gradient.py does the rewrite, the compile and the fallback):
jvp compiles the tangent code generated for each function and kind of call;
vjp and jacrev compile the gradient with the cotangent as its seed; jacfwd and
hessian run the Jacobian's own loop over columns with the compiled jvp. What
numba cannot compile runs as Python after a JitFallbackWarning, as for grad.
"""
from __future__ import annotations

import copy
import inspect
import types

import numpy as np

from ..jit.fallback import user_location, warn_fallback
from . import forward_mode, jacobians, jit_calls  # noqa: F401  (jit_calls: helper calls in tangent code compile)
from .composition import is_derivative
from .forward_mode import tangent_program
from .gradient_function import GradientFunction, check_scalar
from .jit_gradient import (JitFunction, _binder, _describe, _holds, _key, _refused_argument, _Specialization,
                  _value_key, compile_specialization, leave_native, python_after_failure, ready_module)

__all__ = ["JitJacobian", "JitJvp", "JitVjp"]


class JitJvp:
    """s2sgrad.jvp with the tangent code compiled: called as jvp is, `(fun, primals, tangents)`."""

    def __init__(self):
        self._specializations: dict = {}     # (id of the tangent program, kinds of primals and tangents) -> spec
        self._dispatchers: dict = {}
        self.__name__ = self.__qualname__ = "jit_jvp"

    def __call__(self, fun, primals, tangents):
        primals, tangents = tuple(primals), tuple(tangents)
        if len(primals) != len(tangents):
            return forward_mode.jvp(fun, primals, tangents)          # its error
        if isinstance(fun, GradientFunction):
            return self._of_gradient(fun, primals, tangents)
        if hasattr(fun, "python_for"):            # a Jacobian, a Hessian: forward mode over its Python form
            return self(fun.python_for(*primals), primals, tangents)
        spec = self._specialization(fun, primals, tangents)
        if spec.python or any(np.shape(p) != np.shape(t) for p, t in zip(primals, tangents)):
            return forward_mode.jvp(fun, primals, tangents)          # its result, or its error for a shape
        ordered = spec.bind(primals, {name: tangents[i] for name, i in spec.tangent_of})
        try:
            result = spec.dispatcher(*ordered)
        except Exception as exc:
            if spec.native is not None:          # the native library's call raised: numba's compile answers
                leave_native(spec, ordered)
                return self(fun, primals, tangents)
            return python_after_failure(spec, exc, _name(fun), lambda: forward_mode.jvp(fun, primals, tangents))
        if not _all_finite(result):
            return forward_mode.jvp(fun, primals, tangents)          # Python's says whether it raises
        return result

    def _of_gradient(self, gradient: GradientFunction, primals, tangents):
        """jvp through a gradient's generated code (a Hessian-vector product), shaped as jvp shapes it."""
        if gradient.has_aux or gradient.with_value:
            return forward_mode.jvp(gradient, primals, tangents)     # its error
        (value, grads), (_, grads_dot) = self(gradient.generated_for(*primals), primals, tangents)
        check_scalar(value, gradient.target)
        if gradient._single:
            return grads[0], grads_dot[0]
        return tuple(grads), tuple(grads_dot)

    def _specialization(self, fun, primals, tangents) -> _Specialization:
        program, names = tangent_program(fun, primals)
        key = (id(program), _key(primals, {}), _key(tangents, {}))
        spec = self._specializations.get(key)
        if spec is not None and spec.program is program and not (spec.guards and not _holds(spec.guards)):
            return spec
        spec = self._specializations[key] = self._specialize(fun, program, names, primals, tangents)
        return spec

    def _specialize(self, fun, program, names, primals, tangents) -> _Specialization:
        spec = _Specialization()
        spec.program = program
        spec.signature = ", ".join([_describe(p) for p in primals] + [f"tangent {_describe(t)}" for t in tangents])
        refused = _refused_argument(None, (*primals, *(t for t in tangents if t is not None)), {})
        if refused:
            spec.python = True
            warn_fallback(_name(fun), spec.signature, refused, "", "")
            return spec
        function = program.function
        # the tangent parameters (keyword-only in the generated code) by name, and which primal each follows
        position = {name: i for i, name in enumerate(names)}
        spec.tangent_of = tuple((t, position[w]) for w, t in zip(program.wrt, program.tangents))
        spec.bind = _binder(inspect.signature(function), tuple(inspect.signature(function).parameters))
        ordered = spec.bind(primals, {name: tangents[i] for name, i in spec.tangent_of})
        source = ready_module(program, function, ordered)
        spec.source, spec.guards = source.text, source.guards
        if source.refusal is not None:
            construct, line = source.refusal
            spec.python = True
            warn_fallback(_name(fun), spec.signature, construct, line, user_location(program, line))
            return spec
        compile_specialization(spec, _name(fun), f"{_label(fun)}.jvp", program, function, ordered, source,
                               self._dispatchers)
        return spec

    def source_for(self, fun, primals, tangents) -> str:
        """The module numba compiles for a jvp of `fun` with these primals and tangents."""
        primals, tangents = tuple(primals), tuple(tangents)
        if isinstance(fun, GradientFunction):
            fun = fun.generated_for(*primals)
        elif hasattr(fun, "python_for"):
            fun = fun.python_for(*primals)
        return self._specialization(fun, primals, tangents).source or ""

    def __repr__(self) -> str:
        return "<s2sgrad.jit of s2sgrad.jvp>"


class JitVjp:
    """s2sgrad.vjp whose vjp_fn runs the compiled gradient with the cotangent as its seed."""

    def __init__(self):
        self._gradients: dict = {}            # (fun, positions) -> JitFunction
        self.__name__ = self.__qualname__ = "jit_vjp"

    def __call__(self, fun, *primals):
        positions = tuple(i for i, p in enumerate(primals) if jacobians._differentiable(p))
        if not positions or is_derivative(fun):
            if positions:
                warn_fallback(_name(fun), ", ".join(map(_describe, primals)),
                              "a derivative's vjp (its Python form is differentiated as Python)", "", "")
            return jacobians.vjp(fun, *primals)
        key = (fun, positions)
        compiled = self._gradients.get(key)
        if compiled is None:
            compiled = self._gradients[key] = JitFunction(GradientFunction(fun, positions))
        value = fun(*primals)

        def vjp_fn(cotangent):
            grads = compiled.vjp(cotangent, *primals)
            out = [None] * len(primals)
            for i, g in zip(positions, grads):
                out[i] = g
            return tuple(out)

        return value, vjp_fn

    def __repr__(self) -> str:
        return "<s2sgrad.jit of s2sgrad.vjp>"


class JitJacobian:
    """jacfwd, jacrev or hessian with each column's jvp (or each row's vjp) compiled."""

    def __init__(self, jacobian: jacobians.Jacobian):
        self.jacobian = copy.copy(jacobian)
        self.jacobian._jvp = JitJvp()
        if isinstance(jacobian._gradient, GradientFunction):
            self.jacobian._gradient = JitFunction(jacobian._gradient)
        self.__name__ = self.__qualname__ = f"jit_{jacobian.__name__}"
        self.__doc__ = jacobian.__doc__

    def __call__(self, *args):
        return self.jacobian(*args)

    def python_for(self, *args):
        return self.jacobian.python_for(*args)

    def source_for(self, *args) -> str:
        """The module numba compiles for a call with these arguments (jacrev: the reverse sweep seeded with
        one row's cotangent; jacfwd, hessian: the tangent code of one column)."""
        j = self.jacobian
        if j.mode == "jacrev":
            if not isinstance(j._gradient, JitFunction):
                return ""
            value = j.fun(*args)
            cotangent = np.zeros(np.shape(value)) if np.shape(value) else np.float64(1.0)
            gradient = j._gradient
            gradient.vjp(cotangent, *args)
            spec = gradient._specializations.get(("vjp", _value_key(cotangent), _key(args, {})))
            return spec.source if spec is not None and spec.source else ""
        tangents = [jacobians._zero_tangent(a) for a in args]
        return j._jvp.source_for(j.fun, args, tangents)

    def __repr__(self) -> str:
        return f"<s2sgrad.jit of {self.jacobian!r}>"


def _all_finite(result) -> bool:
    """Whether every float in a (nested) tuple result is finite; arrays are NumPy's business."""
    if isinstance(result, tuple):
        return all(_all_finite(r) for r in result)
    return type(result) is not float or result - result == 0.0


def _name(fun) -> str:
    return getattr(fun, "__qualname__", None) or getattr(fun, "__name__", None) or type(fun).__name__


def _label(fun) -> str:
    module = getattr(fun, "__module__", None) or "generated"
    return f"{module}.{_name(fun)}" if isinstance(fun, types.FunctionType) else _name(fun)
