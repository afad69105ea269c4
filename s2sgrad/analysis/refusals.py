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
from .dataflow import assignments


def refuse_derivatives_into(body, resolve, active: set, source) -> None:
    """Raise a located error where an operation that refuses derivatives reads an active value."""
    for stmt in assignments(body):
        prim = resolve(stmt.value, stmt)
        rule = prim.rule
        if not isinstance(rule, RefusesDerivatives):
            continue
        operands = list(prim.args) + list(prim.keywords.values())
        if any(isinstance(n, gast.Name) and n.id in active for a in operands for n in gast.walk(a)):
            raise UnsupportedConstructError(rule.construct, source.location(stmt), rule.hint)
