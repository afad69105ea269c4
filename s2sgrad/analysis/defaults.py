"""Default values of nested functions and lambdas that carry derivatives.

`def g(a, b=y)` computes `y` once, where g is defined; a call `g(x)` then
passes it without naming it, so nothing at the call carries `y`'s derivative
to `b`. Such a default is refused, naming the function and the value, until
calls bind defaults explicitly.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from ..ssa.user_terms import terms_of
from .dataflow import simple_statements


def refuse_defaults_carrying_derivatives(ssa, reached: set[str]) -> None:
    """Stop at the first nested def or lambda whose default reads a value derivatives reach."""
    for node in simple_statements(ssa.body):
        for function in _functions_in(node):
            args = function.args
            for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
                read = [n.id for n in gast.walk(default) if isinstance(n, gast.Name) and n.id in reached]
                if read:
                    kind = "lambda" if isinstance(function, gast.Lambda) else f"nested function `{function.name}`"
                    raise UnsupportedConstructError(
                        f"a default value of the {kind} that carries a derivative "
                        f"(`{terms_of(ssa.source).name(read[0])}`)",
                        ssa.source.location(function),
                        "pass that value when calling the function, or read it in its body instead of "
                        "through a default")


def _functions_in(node):
    if isinstance(node, gast.FunctionDef):
        return [node]
    if isinstance(node, gast.Assign):
        return [n for n in gast.walk(node.value) if isinstance(n, gast.Lambda)]
    return []
