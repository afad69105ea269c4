"""Register derivatives of the user's own callables, or mark them non-differentiable.

    def softplus(x):
        return np.logaddexp(0.0, x)

    s2sgrad.defvjp(softplus, "x", dx="dy * sigmoid(x)")

The rule is written like the built-in ones (rules/registry.py): a parameter
list, and for each parameter `d<name>=` an expression of `dy` (the result's
adjoint), `y` (the result) and the parameters; `defjvp` adds the forward rule
(each parameter's tangent contribution, written with `<name>_dot`). Names in the expression are
looked up where `defvjp` is called, when it is called; the generated code then
shows the expression itself (`dt2 = dt3 * sigmoid(t1)`).
"""
from __future__ import annotations

import sys

from ..rules import DEFAULT_RULES


def defvjp(fn, params: str | None = None, *, result: str = "y", namespace: dict | None = None,
           jvp: dict[str, str] | None = None, **adjoints: str):
    """Use these adjoint expressions for every call to `fn` (a C extension, scipy.special, your own code).

    `jvp={"x": "x_dot * ..."}` gives the forward slot in the same call. As a decorator, the
    parameter list comes first:

        @s2sgrad.defvjp("x", dx="dy * sigmoid(x)", jvp={"x": "x_dot * sigmoid(x)"})
        def softplus(x):
            return np.logaddexp(0.0, x)
    """
    caller = {**sys._getframe(1).f_globals, **(namespace or {})}
    if isinstance(fn, str):
        params_text = fn

        def decorate(function):
            DEFAULT_RULES.define(function, params_text, result=result, namespace=caller, jvp=jvp, **adjoints)
            _tangents_add_by_element(function)
            return function

        return decorate
    DEFAULT_RULES.define(fn, params, result=result, namespace=caller, jvp=jvp, **adjoints)
    _tangents_add_by_element(fn)
    return fn


def defjvp(fn, params: str | None = None, **tangents: str):
    """Give `fn`'s rule its forward slot: for each parameter, its contribution to the result's tangent.

        s2sgrad.defvjp(softplus, "x", dx="dy * sigmoid(x)")
        s2sgrad.defjvp(softplus, "x", x="x_dot * sigmoid(x)")

    `<name>_dot` is the tangent of parameter <name> and `y` the result; the reverse rule
    (defvjp) comes first, and `params`, if given, must repeat its parameter list. As a
    decorator above @defvjp: `@s2sgrad.defjvp("x", x="x_dot * sigmoid(x)")`.
    """
    if isinstance(fn, str):
        params_text = fn

        def decorate(function):
            DEFAULT_RULES.define_jvp(function, params_text, **tangents)
            _tangents_add_by_element(function)
            return function

        return decorate
    DEFAULT_RULES.define_jvp(fn, params, **tangents)
    _tangents_add_by_element(fn)
    return fn


def _tangents_add_by_element(fn) -> None:
    """A user's function may return a tuple (`return q, r`), which s2sgrad cannot see: the tangent
    contributions of two of its parameters add element by element (add_adjoints), where `+` would join
    two tuples into one twice as long and unpacking it would read the first parameter's alone."""
    rule = DEFAULT_RULES.lookup(fn)
    if len(getattr(rule, "tangents", ())) > 1:
        DEFAULT_RULES.declare_containers(fn)


def nondifferentiable(*fns) -> None:
    """Treat calls to these callables as constants: their results carry no derivative."""
    DEFAULT_RULES.nondifferentiable(*fns)


def stop_gradient(x):
    """`x` itself; s2sgrad treats the result as a constant (no derivative flows back through it)."""
    return x


DEFAULT_RULES.nondifferentiable(stop_gradient)
