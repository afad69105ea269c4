"""Walk the single-assignment form's simple statements, in order, through branches and loops."""
from __future__ import annotations

import gast

from ..ssa.ast_build import walk      # gast.walk's order, which these sets do not need, costs twice the time


def simple_statements(stmts):
    """Every statement that is not a branch or a loop, nested blocks included, in source order."""
    for stmt in stmts:
        if isinstance(stmt, (gast.If, gast.While)):
            yield from simple_statements(stmt.body)
            yield from simple_statements(stmt.orelse)
        elif isinstance(stmt, gast.For):
            yield from simple_statements(stmt.body)
        else:
            yield stmt


def assignments(stmts):
    """Every `name = op` statement."""
    return (s for s in simple_statements(stmts)
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name))


def element_stores(stmts):
    """Every `array[index] = atom` statement (in-place assignment)."""
    return (s for s in simple_statements(stmts)
            if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript))


def appends(stmts):
    """Every `items.append(atom)` statement."""
    return (s for s in simple_statements(stmts) if isinstance(s, gast.Expr) and getattr(s, "s2s_append", None))


def assigned_names(stmts) -> set[str]:
    names = {s.targets[0].id for s in assignments(stmts)}
    for stmt in stmts:
        for node in walk(stmt):
            if isinstance(node, gast.For):
                names.add(node.target.id)
            elif isinstance(node, gast.FunctionDef):      # a nested def binds its name
                names.add(node.name)
    return names


def loop_indices(stmts) -> set[str]:
    return {node.target.id for stmt in stmts for node in walk(stmt) if isinstance(node, gast.For)}
