"""Activity analysis: which values depend differentiably on the inputs we differentiate.

Only active values get adjoints; everything else (loop counters, branch
decisions, shapes, constants, non-differentiated parameters) is left alone in
the reverse sweep.
"""
from __future__ import annotations

import gast

from ..rules import AdjointRule, NonDifferentiable
from .dataflow import appends, assignments, element_stores
from .primitives import CALL, COPY, FIELD, PACK, PACK_DICT, SUBSCRIPT


def varied_names(body, wrt: list[str], resolve, closures=None) -> set[str]:
    """Names whose value depends differentiably on a parameter in `wrt` (fixpoint over loops).

    `closures` maps a nested def or lambda to the variables it reads: a call to
    it depends on them as much as on its arguments.
    """
    closures = closures or {}
    varied = set(wrt)
    stmts = list(assignments(body))
    mutations = [(s.targets[0].value.id, s.value) for s in element_stores(body)]     # x[i] = v
    mutations += [(s.s2s_append, s.value.args[0]) for s in appends(body)]          # xs.append(v)
    changed = True
    while changed:
        changed = False
        for container, value in mutations:        # the container's contents now depend on the value
            if container not in varied and _reads_varied(value, varied):
                varied.add(container)
                changed = True
        for stmt in stmts:
            target = stmt.targets[0].id
            if target in varied:
                continue
            prim = resolve(stmt.value, stmt)
            if _carries_derivative(prim, varied) or _closure_varied(prim, closures, varied):
                varied.add(target)
                changed = True
    return varied


def _closure_varied(prim, closures, varied) -> bool:
    if prim.rule != CALL:
        return False
    callee = prim.callee
    if prim.receiver is not None and _reads_varied(prim.receiver, varied):
        return True
    captured = closures.get(callee.id, ()) if isinstance(callee, gast.Name) else ()
    return any(name in varied for name in captured)


def _carries_derivative(prim, varied: set[str]) -> bool:
    rule = prim.rule
    if isinstance(rule, NonDifferentiable) or rule == "constant":
        return False
    operands = list(prim.args) + list(prim.keywords.values())
    if isinstance(rule, AdjointRule) and not rule.adjoints:
        return False
    if rule in (COPY, PACK, PACK_DICT, SUBSCRIPT, CALL, FIELD) or isinstance(rule, AdjointRule):
        return any(_reads_varied(a, varied) for a in operands)
    return False


def _reads_varied(atom, varied: set[str]) -> bool:
    return any(isinstance(n, gast.Name) and n.id in varied for n in gast.walk(atom))
