"""Walk the single-assignment form's assignments, in order, through branches and loops."""
from __future__ import annotations

import gast


def assignments(stmts):
    """Every `name = op` statement in a block, nested blocks included, in source order."""
    for stmt in stmts:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            yield stmt
        elif isinstance(stmt, (gast.If, gast.While)):
            yield from assignments(stmt.body)
            yield from assignments(stmt.orelse)
        elif isinstance(stmt, gast.For):
            yield from assignments(stmt.body)


def assigned_names(stmts) -> set[str]:
    names = set()
    for stmt in assignments(stmts):
        names |= {n.id for n in gast.walk(stmt.targets[0]) if isinstance(n, gast.Name)}
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.For):
                names.add(node.target.id)
            elif isinstance(node, gast.FunctionDef):      # a nested def binds its name
                names.add(node.name)
    return names


def loop_indices(stmts) -> set[str]:
    return {node.target.id for stmt in stmts for node in gast.walk(stmt) if isinstance(node, gast.For)}


def element_stores(stmts):
    """Every `array[index] = atom` statement (in-place assignment), nested blocks included."""
    for stmt in stmts:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Subscript):
            yield stmt
        elif isinstance(stmt, (gast.If, gast.While)):
            yield from element_stores(stmt.body)
            yield from element_stores(stmt.orelse)
        elif isinstance(stmt, gast.For):
            yield from element_stores(stmt.body)


def appends(stmts):
    """Every `items.append(atom)` statement, nested blocks included."""
    for stmt in stmts:
        if isinstance(stmt, gast.Expr) and getattr(stmt, "s2s_append", None):
            yield stmt
        elif isinstance(stmt, (gast.If, gast.While)):
            yield from appends(stmt.body)
            yield from appends(stmt.orelse)
        elif isinstance(stmt, gast.For):
            yield from appends(stmt.body)
