"""Public transformations, with JAX's argument conventions."""
from __future__ import annotations

from ..errors import NonScalarOutputError
from ..rules import DEFAULT_RULES
from .gradient_function import GradientFunction
from .jacobians import GradientOfDerivative, gradient_of_gradient
from .variadic_gradient import VariadicGradient, reaches_variadic


def grad(fun=None, wrt=0, *, has_aux: bool = False, argnums=None, debug_nans: bool = False):
    """The gradient of `fun`, which must return a real scalar.

    Usable as `@grad`, `@grad(wrt="b")`, `@grad(wrt=("a", "b"))` or
    `grad(f, wrt=...)`. `wrt` takes parameter indices or names; one gives one
    gradient, a tuple gives a tuple of gradients in the same order. A gradient
    has the structure of its argument (a tuple for a tuple, a dict for a dict).
    With `has_aux=True`, `fun` returns `(value, aux)`; the result returns
    `(gradients, aux)`. `fun` may be any callable: a function, a lambda, a
    `functools.partial`, a bound method, or a NumPy function with a rule.
    `argnums=` is JAX's name for `wrt`. For a function taking `*args`, an
    index counts positional arguments as passed (`grad(norm2, wrt=1)(a, b)`
    for `def norm2(*xs)` differentiates with respect to `b`, as JAX's argnums
    do), and naming `*xs` or `**opts` differentiates every value passed there
    (a tuple, or a dict by keyword). The gradient of a gradient function
    is a second derivative, by forward mode over its generated code.
    With `debug_nans=True` (like JAX's jax_debug_nans) the generated code checks
    every value it computes and stops at the first NaN or infinity, in the
    forward or the reverse sweep, naming your line it was computed for.
    """
    wrt = _argnums(wrt, argnums)
    if fun is None:
        return lambda f: grad(f, wrt, has_aux=has_aux, debug_nans=debug_nans)
    _refuse_class(fun, "grad")
    if isinstance(fun, GradientFunction) and not has_aux:
        return gradient_of_gradient(fun, wrt)
    if hasattr(fun, "python_for") and not has_aux:      # grad of a Jacobian, a Hessian, ...: any order
        return GradientOfDerivative(fun, wrt)
    if reaches_variadic(fun, wrt):     # inputs in *args/**kwargs: one gradient per call's shape
        return VariadicGradient(fun, wrt, has_aux=has_aux, debug_nans=debug_nans)
    return GradientFunction(fun, wrt, has_aux=has_aux, debug_nans=debug_nans)


def value_and_grad(fun=None, wrt=0, *, has_aux: bool = False, argnums=None, debug_nans: bool = False):
    """Like `grad`, but the result returns `(value, gradients)` (`((value, aux), gradients)` with has_aux)."""
    wrt = _argnums(wrt, argnums)
    if fun is None:
        return lambda f: value_and_grad(f, wrt, has_aux=has_aux, debug_nans=debug_nans)
    _refuse_class(fun, "value_and_grad")
    if isinstance(fun, GradientFunction) and not has_aux:
        return gradient_of_gradient(fun, wrt, with_value=True)
    if hasattr(fun, "python_for") and not has_aux:
        return GradientOfDerivative(fun, wrt, with_value=True)
    if reaches_variadic(fun, wrt):
        return VariadicGradient(fun, wrt, with_value=True, has_aux=has_aux, debug_nans=debug_nans)
    return GradientFunction(fun, wrt, with_value=True, has_aux=has_aux, debug_nans=debug_nans)


def _refuse_class(fun, name: str) -> None:
    """A class of the user's passed where its instance was meant: calling it builds an object, never a number
    (a conversion with a rule, float or np.float64, is differentiated as a function)."""
    if isinstance(fun, type) and DEFAULT_RULES.lookup(fun) is None:
        cls = fun.__name__
        raise NonScalarOutputError(
            f"{name} needs a function returning a real scalar, but {cls} is a class: calling it builds an object "
            f"of that class. To differentiate what an instance computes when called, pass the instance: "
            f"{name}({cls}(...)); for a method, pass it: {name}({cls}.method) or {name}(obj.method)")


def _argnums(wrt, argnums):
    return wrt if argnums is None else argnums
