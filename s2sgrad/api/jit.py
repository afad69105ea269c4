"""`s2sgrad.jit(t)`: the transformation `t` with its generated code compiled by numba.

    fast = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=("k", "c")))
    fast(4.0, 0.3, 1000)          # same arguments, same results as the Python version
    print(fast.source_for(4.0, 0.3, 1000))   # exactly what numba compiles for these arguments

grad and value_and_grad: jit_gradient.py (the rewrite, the compile with numba's
on-disk cache, the fallback to Python with a JitFallbackWarning). jvp, vjp,
jacfwd, jacrev, hessian: jit_forward.py, on the same machinery. numba is
imported only when something is compiled: a process whose compiled code comes
from the native libraries kept by an earlier one (jit/native.py) never imports it.
"""
from __future__ import annotations

import importlib.util

from ..jit.fallback import JitFallbackWarning
from . import forward_mode, jacobians
from .gradient_function import GradientFunction
from .jit_forward import JitJacobian, JitJvp, JitVjp
from .jit_gradient import JitFunction

__all__ = ["JitFallbackWarning", "JitFunction", "jit"]


def jit(transformation):
    """`transformation` with its generated code compiled by numba: a function made by grad, value_and_grad,
    jacfwd, jacrev or hessian, or s2sgrad.jvp / s2sgrad.vjp themselves (jit(s2sgrad.jvp)(f, primals,
    tangents) compiles the tangent code of each f it is given)."""
    if isinstance(transformation, (JitFunction, JitJvp, JitVjp, JitJacobian)):
        return transformation
    known = isinstance(transformation, (GradientFunction, jacobians.Jacobian)) \
        or transformation is forward_mode.jvp or transformation is jacobians.vjp
    if not known:
        raise TypeError(
            f"s2sgrad.jit takes a function made by s2sgrad.grad or s2sgrad.value_and_grad (or jacfwd, jacrev, "
            f"hessian), or s2sgrad.jvp / s2sgrad.vjp themselves, not {transformation!r}. "
            "Wrap the function first: s2sgrad.jit(s2sgrad.grad(f)).")
    if importlib.util.find_spec("numba") is None:       # found, not imported: a native library may do
        raise ImportError("s2sgrad.jit needs numba: pip install 's2sgrad[jit]'")
    if isinstance(transformation, GradientFunction):
        return JitFunction(transformation)
    if transformation is forward_mode.jvp:
        return JitJvp()
    if transformation is jacobians.vjp:
        return JitVjp()
    return JitJacobian(transformation)
