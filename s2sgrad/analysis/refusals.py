"""Operations whose results cannot hold values that carry derivatives (rules/registry.py's
RefusesDerivatives: `set`, `frozenset`), checked once activity is known.

A set of indices or keys is data and runs as written; a set built from values
that carry derivatives and reach the result is refused at its line. Its
elements have no order, so a derivative could not be traced back to the value
it came from; marking the set non-differentiable instead would give a silent 0.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from ..rules import RefusesDerivatives
from .activity import useful_names
from .dataflow import assignments


def refuse_derivatives_into(ssa, resolve, active: set) -> None:
    """Raise a located error where an operation that refuses derivatives reads an active value and its
    result reaches the function's result (a set built and left unused changes nothing)."""
    refusing = [(stmt, prim) for stmt in assignments(ssa.body)
                for prim in [resolve(stmt.value, stmt)] if isinstance(prim.rule, RefusesDerivatives)]
    if not refusing:
        return
    useful = useful_names(ssa.body, ssa.output, ssa.closures)
    for stmt, prim in refusing:
        operands = list(prim.args) + list(prim.keywords.values())
        if stmt.targets[0].id in useful and any(
                isinstance(n, gast.Name) and n.id in active for a in operands for n in gast.walk(a)):
            raise UnsupportedConstructError(prim.rule.construct, ssa.source.location(stmt), prim.rule.hint)
