"""Activity analysis: which values depend differentiably on the inputs we differentiate.

Only active values get adjoints; everything else (loop counters, branch
decisions, shapes, constants, non-differentiated parameters) is left alone in
the reverse sweep.
"""
from __future__ import annotations

import gast

from ..ssa.ast_build import walk      # gast.walk's order, which these sets do not need, costs twice the time

from ..rules import NonDifferentiable, Rule
from .dataflow import appends, assignments, element_stores
from .primitives import CALL, COPY, FIELD, PACK, PACK_DICT, POP, SUBSCRIPT


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
    if any(name in varied for name in captured):
        return True
    # a nested def passed to a call (a gradient's `call_forward(scaled, v, captured=('x',))`, differentiated
    # again): the call's result depends on what the def reads as much
    return any(name in varied for a in [*prim.args, *prim.keywords.values()] if isinstance(a, gast.Name)
               for name in closures.get(a.id, ()))


def _carries_derivative(prim, varied: set[str]) -> bool:
    rule = prim.rule
    if isinstance(rule, NonDifferentiable):
        return False
    operands = list(prim.args) + list(prim.keywords.values())
    if isinstance(rule, Rule) and not rule.adjoints and not rule.tangents:
        return False
    if rule in (COPY, PACK, PACK_DICT, SUBSCRIPT, CALL, FIELD, POP) or isinstance(rule, Rule):
        return any(_reads_varied(a, varied) for a in operands)
    return False


def _reads_varied(atom, varied: set[str]) -> bool:
    return any(isinstance(n, gast.Name) and n.id in varied for n in walk(atom))


def useful_names(body, output, closures=None, writes_may_alias: bool = False) -> set[str]:
    """Names whose value can reach the output (fixpoint over loops).

    Activity is varied and useful: a value that depends on the inputs but
    never reaches the output needs no adjoint, and reversing it anyway could
    only add zeros times whatever it computed (0 * inf is nan).

    `writes_may_alias`: the code writes into arrays that other names may view (a gradient's generated code,
    whose reverse sweep restores arrays popped from its tape while views of them popped beside them are read
    on: ssa/inplace.py leaves those writes unchecked for forward mode). A write there may reach the output
    through a name this analysis cannot see, so every array written into counts as useful.
    """
    closures = closures or {}
    useful = {output.id} if isinstance(output, gast.Name) else set()
    if writes_may_alias:
        useful |= {stmt.targets[0].value.id for stmt in element_stores(body)}
    flows = []          # (what is computed, the names it reads)
    for stmt in assignments(body):
        reads = _names(stmt.value)
        for call in walk(stmt.value):           # a nested function's call reads what it captured, and so
            if isinstance(call, gast.Call):     # does a call it is passed to
                for name in [call.func, *call.args, *(k.value for k in call.keywords)]:
                    if isinstance(name, gast.Name):
                        reads |= set(closures.get(name.id, ()))
        flows.append((stmt.targets[0].id, reads))
    for stmt in element_stores(body):           # x[i] = v: v reaches whatever x reaches
        flows.append((stmt.targets[0].value.id, _names(stmt.value) | _names(stmt.targets[0].slice)))
    for stmt in appends(body):
        flows.append((stmt.s2s_append, _names(stmt.value.args[0])))
    changed = True
    while changed:
        changed = False
        # last to first: one pass carries usefulness down a whole chain of single assignments
        # (a 5,000-term sum), and only loops need another pass
        for target, reads in reversed(flows):
            if target in useful and not reads <= useful:
                useful |= reads
                changed = True
    return useful


def _names(node) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, gast.Name)}
