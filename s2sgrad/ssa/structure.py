"""Turn `break`, `continue` and early `return` into flags, before normalization.

The reverse sweep replays a loop's iterations and an `if`'s decisions; jumps
out of the middle of a block would leave it no way to know which statements
ran. So jumps become data:

    for x in xs:                          stop = False
        if x > 0:                         for x in xs:
            break              ->             if x > 0:
        s = s + x                                 stop = True
                                              if not stop:
                                                  s = s + x
                                              (normalization ends the body with `if stop: break`
                                               and counts the iterations that ran)

`continue` sets a flag that is cleared at the top of each iteration; an early
`return` stores its value in `result`, sets `returned`, and leaves every
enclosing loop. Statements after a possible jump run under `if not flag:`.
"""
from __future__ import annotations

import gast

from . import ast_build as build
from .loop_else import has_loop_else, loop_with_else
from .names import NameAllocator


def structure(tree: gast.FunctionDef) -> gast.FunctionDef:
    """Rewrite `tree` in place so no jump is left but a final `return`; returns it."""
    if not _needs_rewrite(tree):
        return tree
    namer = NameAllocator.for_tree(tree)
    rewriter = _Rewriter(namer, tree)
    body, _ = rewriter.block(tree.body, _Context(None, None))
    if rewriter.returned is not None:
        start = [build.assign(rewriter.returned, build.const(False), tree),
                 build.assign(rewriter.result, build.const(None), tree)]
        end = gast.Return(value=build.load(rewriter.result))
        gast.copy_location(end, tree.body[-1])
        body = start + body + [end]
    tree.body = body
    return tree


class _Context:
    def __init__(self, break_flag, continue_flag):
        self.break_flag = break_flag
        self.continue_flag = continue_flag


class _Rewriter:
    def __init__(self, namer: NameAllocator, tree):
        self.namer = namer
        has_early_return = any(
            isinstance(n, gast.Return) for n in build.own_nodes(tree.body[:-1])
        ) or (tree.body and not isinstance(tree.body[-1], gast.Return)
              and any(isinstance(n, gast.Return) for n in build.own_nodes(tree.body)))
        self.returned = namer.claim("returned") if has_early_return else None
        self.result = namer.claim("result") if has_early_return else None

    def block(self, stmts, ctx: _Context):
        """(rewritten statements, flags they may set)."""
        out = []
        for i, stmt in enumerate(stmts):
            new, sets = self.statement(stmt, ctx)
            out.extend(new)
            if sets:
                rest, rest_sets = self.block(stmts[i + 1:], ctx)
                if rest:
                    guard = gast.If(test=_none_set(sorted(sets)), body=rest, orelse=[])
                    gast.copy_location(guard, stmts[i + 1])
                    out.append(guard)
                return out, sets | rest_sets
        return out, set()

    def statement(self, stmt, ctx: _Context):
        if isinstance(stmt, gast.Return) and self.returned is not None:
            value = stmt.value if stmt.value is not None else build.const(None)
            return [build.assign(self.result, value, stmt),
                    build.assign(self.returned, build.const(True), stmt)], {self.returned}
        if isinstance(stmt, gast.Break) and ctx.break_flag:
            return [build.assign(ctx.break_flag, build.const(True), stmt)], {ctx.break_flag}
        if isinstance(stmt, gast.Continue) and ctx.continue_flag:
            return [build.assign(ctx.continue_flag, build.const(True), stmt)], {ctx.continue_flag}
        if isinstance(stmt, gast.If):
            stmt.body, body_sets = self.block(stmt.body, ctx)
            stmt.orelse, else_sets = self.block(stmt.orelse, ctx)
            stmt.body = stmt.body or [gast.Pass()]
            return [stmt], body_sets | else_sets
        if isinstance(stmt, (gast.For, gast.While)) and not stmt.orelse:
            return self.loop(stmt)
        if has_loop_else(stmt):                 # `for ... else`: the clause runs unless `break` (loop_else.py)
            return loop_with_else(self, stmt, ctx)
        return [stmt], set()

    def loop(self, stmt):
        breaks = _jumps(stmt.body, gast.Break)
        continues = _jumps(stmt.body, gast.Continue)
        inner = _Context(self.namer.claim("stop") if breaks else None,
                         self.namer.claim("skip") if continues else None)
        body, sets = self.block(stmt.body, inner)
        if inner.continue_flag:
            body.insert(0, build.assign(inner.continue_flag, build.const(False), stmt))
        stmt.body = body
        exits = [f for f in (inner.break_flag, self.returned) if f is not None and f in sets]
        stmt.s2s_exit_flags = exits
        stmt.s2s_break_flag = inner.break_flag
        before = [build.assign(inner.break_flag, build.const(False), stmt)] if inner.break_flag else []
        escaping = {self.returned} & sets if self.returned else set()
        return before + [stmt], escaping


def _needs_rewrite(tree) -> bool:
    for node in build.own_nodes(tree.body):
        if isinstance(node, (gast.Break, gast.Continue)) or has_loop_else(node):
            return True
    returns = [n for n in build.own_nodes(tree.body) if isinstance(n, gast.Return)]
    return bool(returns) and not (len(returns) == 1 and tree.body and tree.body[-1] is returns[0])


def _jumps(stmts, kind) -> bool:
    """Does this loop body jump (kind) out of itself, not counting nested loops' own jumps?"""
    for stmt in stmts:
        if isinstance(stmt, kind):
            return True
        if isinstance(stmt, gast.If) and (_jumps(stmt.body, kind) or _jumps(stmt.orelse, kind)):
            return True
        if isinstance(stmt, (gast.For, gast.While)) and _jumps(stmt.orelse, kind):     # a loop's `else` clause
            return True
    return False


def _none_set(flags) -> gast.expr:
    """`not a` or `not (a or b)`."""
    test = build.load(flags[0]) if len(flags) == 1 else gast.BoolOp(op=gast.Or(), values=[build.load(f) for f in flags])
    return gast.UnaryOp(op=gast.Not(), operand=test)
