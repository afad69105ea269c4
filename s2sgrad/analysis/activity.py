"""Activity analysis: which values depend differentiably on the inputs we differentiate.

Only active values get adjoints; everything else (loop counters, branch
decisions, shapes, constants, non-differentiated parameters) is left alone in
the reverse sweep.
"""
from __future__ import annotations

import gast

from ..rules import AdjointRule, NonDifferentiable
from .dataflow import assignments, element_stores
from .primitives import COPY, PACK, SUBSCRIPT


def varied_names(body, wrt: list[str], resolve) -> set[str]:
    """Names whose value depends differentiably on a parameter in `wrt` (fixpoint over loops)."""
    varied = set(wrt)
    stmts = list(assignments(body))
    stores = list(element_stores(body))
    changed = True
    while changed:
        changed = False
        for stmt in stores:            # x[i] = v: x's contents now depend on v
            array = stmt.targets[0].value.id
            if array not in varied and _reads_varied(stmt.value, varied):
                varied.add(array)
                changed = True
        for stmt in stmts:
            target = stmt.targets[0].id
            if target in varied:
                continue
            prim = resolve(stmt.value, stmt)
            if _carries_derivative(prim, varied):
                varied.add(target)
                changed = True
    return varied


def _carries_derivative(prim, varied: set[str]) -> bool:
    rule = prim.rule
    if isinstance(rule, NonDifferentiable) or rule == "constant":
        return False
    operands = list(prim.args) + list(prim.keywords.values())
    if isinstance(rule, AdjointRule) and not rule.adjoints:
        return False
    if rule in (COPY, PACK, SUBSCRIPT) or isinstance(rule, AdjointRule):
        return any(_reads_varied(a, varied) for a in operands)
    return False


def _reads_varied(atom, varied: set[str]) -> bool:
    return any(isinstance(n, gast.Name) and n.id in varied for n in gast.walk(atom))
