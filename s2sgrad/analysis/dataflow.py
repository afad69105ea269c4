"""Walk the single-assignment form's simple statements, in order, through branches and loops."""
from __future__ import annotations

import gast


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
    for node in _statements(stmts):
        if isinstance(node, gast.For):
            names.add(node.target.id)
        elif isinstance(node, gast.FunctionDef):      # a nested def binds its name
            names.add(node.name)
    return names


def loop_indices(stmts) -> set[str]:
    return {node.target.id for node in _statements(stmts) if isinstance(node, gast.For)}


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(stmts):
    """Every statement, those of nested blocks and nested defs included: a `for` or a `def` is never
    part of an expression, so the walk need not look inside expressions, most of the nodes."""
    for stmt in stmts:
        yield stmt
        for field in _BLOCKS:
            block = getattr(stmt, field, None)
            if type(block) is list:
                yield from _statements(block)
