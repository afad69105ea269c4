"""Update carried loop variables in place when nothing needs their previous value.

Single-assignment form gives a loop body fresh names and copies them back at
its end:

    for i in range(n):                        for i in range(n):
        t1 = x[i]                                 t1 = x[i]
        s_1 = s + t1             becomes          s = s + t1
        s = s_1

when the new value is neither read by the reverse sweep nor recorded, and the
old one is neither read by the body after the update nor recorded after it.
The reverse sweep reads the old name only once it popped it, or after the
loop, where it holds the last value either way.
"""
from __future__ import annotations

import gast

from ..ssa.ast_build import loads, rename_loads, store_count
from ..ssa.info import LoopInfo, info_of


def coalesce_carries(forward: list, reverse: list) -> None:
    """Rewrite loops of `forward` in place (after the reverse sweep and the tape are final)."""
    read_by_reverse = loads(reverse)
    for loop in _loops(forward):
        info: LoopInfo = info_of(loop)
        body = loop.body
        end = len(body) - len(info.exit_flags)
        copies = body[end - info.n_carry_copies:end] if info.n_carry_copies else []
        pushes = [(i, loads([s])) for i, s in enumerate(body) if _is_push(s)]
        pushed = set().union(*(names for _, names in pushes))
        for copy in list(copies):
            if not (isinstance(copy.value, gast.Name) and isinstance(copy.targets[0], gast.Name)):
                continue
            carried, latest = copy.targets[0].id, copy.value.id
            position = _defining_statement(body, latest)
            if position is None or latest in (read_by_reverse | pushed):
                continue
            # the old value may be recorded before the update (the reverse sweep reads what it pops); the
            # reverse sweep reads the old name only after popping it or after the loop, when it holds the
            # last value either way
            if any(i > position for i, names in pushes if carried in names):
                continue
            later = [s for s in body[position + 1:] if s is not copy]
            if carried in loads(later) or store_count(body, latest) != 1:
                continue
            body[position].targets[0].id = carried
            for stmt in later:
                rename_loads(stmt, latest, carried)
            body.remove(copy)
            info.n_carry_copies -= 1


def _loops(stmts):
    for stmt in stmts:
        if isinstance(stmt, (gast.For, gast.While)):
            yield stmt
            yield from _loops(stmt.body)
        elif isinstance(stmt, gast.If):
            yield from _loops(stmt.body)
            yield from _loops(stmt.orelse)


def _defining_statement(body, name):
    for position, stmt in enumerate(body):
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) and stmt.targets[0].id == name:
            return position
    return None


def _is_push(stmt) -> bool:
    return isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call) \
        and isinstance(stmt.value.func, gast.Attribute) and stmt.value.func.attr == "append" \
        and not getattr(stmt, "s2s_append", None)





