"""Lower the normalized gast tree to the IR, resolving every operation to its table entry once."""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from ..ssa.info import info_of
from .nodes import Append, Branch, ElementStore, Function, Loop, Operation, Statement


def lower(ssa, resolver) -> Function:
    """The IR of `ssa` (an SSAFunction); `resolver` maps each operation to its primitive."""
    body = _block(ssa.body[:-1], resolver, ssa.source)
    return Function(ssa.tree.name, list(ssa.params), body, ssa.output, dict(ssa.closures or {}))


def _block(stmts, resolver, source) -> list:
    return [_node(stmt, resolver, source) for stmt in stmts]


def _node(stmt, resolver, source):
    if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
        return Operation(stmt.targets[0].id, resolver.resolve(stmt.value, stmt), stmt)
    if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Subscript):
        target = stmt.targets[0]
        return ElementStore(target.value.id, target.slice, stmt.value, stmt, getattr(stmt, "s2s_saved", None))
    if isinstance(stmt, gast.Expr) and getattr(stmt, "s2s_append", None):
        return Append(stmt.s2s_append, stmt.value.args[0], stmt)
    if isinstance(stmt, gast.If):
        info = info_of(stmt)
        return Branch(stmt.test, _block(stmt.body, resolver, source), _block(stmt.orelse, resolver, source),
                      set(info.merged) if info else set(), stmt)
    if isinstance(stmt, gast.For):
        info = info_of(stmt)
        return Loop("for", stmt.target.id, stmt.iter, _block(stmt.body, resolver, source),
                    list(info.carried) if info else [], info, stmt)
    if isinstance(stmt, gast.While):
        info = info_of(stmt)
        return Loop("while", None, stmt.test, _block(stmt.body, resolver, source),
                    list(info.carried) if info else [], info, stmt)
    if isinstance(stmt, (gast.Expr, gast.Assert, gast.Raise, gast.Pass, gast.Break, gast.FunctionDef)):
        return Statement(stmt)
    raise UnsupportedConstructError(f"a `{type(stmt).__name__}` statement", source.location(stmt))
