"""Public transformations, with JAX's argument conventions."""
from __future__ import annotations

from .gradient_function import GradientFunction


def grad(fun=None, wrt=0):
    """The gradient of `fun`, which must return a real scalar.

    Usable as `@grad`, `@grad(wrt="b")`, `@grad(wrt=("a", "b"))` or
    `grad(f, wrt=...)`. `wrt` takes parameter indices or names; one gives one
    gradient, a tuple gives a tuple of gradients in the same order. The result
    takes the same arguments as `fun`.
    """
    if fun is None:
        return lambda f: GradientFunction(f, wrt)
    return GradientFunction(fun, wrt)


def value_and_grad(fun=None, wrt=0):
    """Like `grad`, but the result returns `(value, gradients)`."""
    if fun is None:
        return lambda f: GradientFunction(f, wrt, with_value=True)
    return GradientFunction(fun, wrt, with_value=True)
