"""Python's scoping, as the normalizer needs it: what a block assigns, what is read later.

Single assignment renames variables; these questions decide when a variable
must keep one name across a loop (it is read after it, or by the next
iteration), when a branch must merge it, and what a nested function captures.
"""
from __future__ import annotations

import gast

from .ast_build import walk


def parameter_names(args: gast.arguments) -> list[str]:
    names = [a.id for a in args.posonlyargs + args.args]
    if args.vararg is not None:
        names.append(args.vararg.id)
    names += [a.id for a in args.kwonlyargs]
    if args.kwarg is not None:
        names.append(args.kwarg.id)
    return names


def assignment_counts(tree) -> dict[str, int]:
    """How often each name is assigned in the function (a loop body's assignments count twice)."""
    counts: dict[str, int] = {}

    def visit(stmts, weight):
        for stmt in stmts:
            if isinstance(stmt, (gast.FunctionDef, gast.Lambda)):
                counts[stmt.name] = counts.get(stmt.name, 0) + weight
                continue
            if isinstance(stmt, (gast.For, gast.While)):
                if isinstance(stmt, gast.For):
                    for n in gast.walk(stmt.target):
                        if isinstance(n, gast.Name):
                            counts[n.id] = counts.get(n.id, 0) + 2
                visit(stmt.body, 2)
                continue
            if isinstance(stmt, gast.If):
                visit(stmt.body, weight)
                visit(stmt.orelse, weight)
                continue
            for n in walk(stmt):
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                    counts[n.id] = counts.get(n.id, 0) + weight

    for a in parameter_names(tree.args):
        counts[a] = 1
    visit(tree.body, 1)
    return counts


def assigned_user_names(stmts) -> set[str]:
    names = set()
    for stmt in stmts:
        for n in walk(stmt):
            if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For)):
                targets = n.targets if isinstance(n, gast.Assign) else [n.target]
                for t in targets:      # x[i] = v mutates x in place: x keeps its name, it is not re-bound
                    names |= {x.id for x in walk(t) if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store)}
            elif isinstance(n, gast.NamedExpr):     # (y := v) inside an expression
                names.add(n.target.id)
    return names


def assigns(block, name: str) -> bool:
    return any(
        isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Store)
        for stmt in block for n in walk(stmt)
    )


def live_after(tree, loop, enclosing_loops, name: str) -> bool:
    """May `name`'s value after the statement `loop` be read: later in the function, or by another
    iteration of an enclosing loop? (Positions in the source tell what comes later.)"""
    return name in live_after_names(tree, loop, enclosing_loops, {name})


def live_after_names(tree, loop, enclosing_loops, names) -> set[str]:
    """The names of `names` that are `live_after` the statement `loop`, from one walk of the tree."""
    if not names:
        return set()
    end = (getattr(loop, "end_lineno", None) or 10**9, getattr(loop, "end_col_offset", None) or 0)
    inside = {id(n) for n in walk(loop)}
    # a later `for name in ...` binds name itself before its body reads it: its body is inside for name
    rebound: dict[str, set[int]] = {}
    for other in walk(tree):
        if isinstance(other, gast.For) and other is not loop:
            bound = {t.id for t in walk(other.target) if isinstance(t, gast.Name)} & names
            if bound:
                body = {id(n) for stmt in other.body for n in walk(stmt)}
                for name in bound:
                    rebound.setdefault(name, set()).update(body)
    around = {id(n) for outer in enclosing_loops for stmt in outer.body for n in walk(stmt)}
    live = set()
    for n in walk(tree):
        if isinstance(n, gast.Name) and n.id in names and n.id not in live and isinstance(n.ctx, gast.Load) \
                and id(n) not in inside and id(n) not in rebound.get(n.id, ()):
            later = (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)) > end
            if later or id(n) in around:
                live.add(n.id)
    return live
