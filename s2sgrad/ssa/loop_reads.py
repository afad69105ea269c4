"""Which names a loop's iteration reads from the iteration before it.

A name assigned in a loop must keep one name across iterations (be carried,
ssa/loops.py) when it is read after the loop, and also when one iteration reads
the value the iteration before it left: `if i > 0: s += prev * x[i]` then
`prev = x[i]`, or a `while (v := f(i)) < 5:` test whose v the body reads (the
single-assignment loop evaluates the test again at the end of its body). Such a
read comes before any assignment of the name on some path from the top of the
iteration: it is "exposed". Without carrying, the read and the later assignment
became two unrelated values, and the reverse sweep sent no adjoint from one to
the other (value right, gradient silently wrong).

The walk follows Python's order of evaluation and is conservative where paths
merge: a name counts as assigned after an `if` only when both branches assign
it, after a loop, a `try` or a `match` only when it was before them. A read
wrongly called exposed only carries a name that did not need it.
"""
from __future__ import annotations

import gast

from .ast_build import walk

_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)
_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def exposed_reads(stmts, names: set[str], assigned_first=()) -> set[str]:
    """The names of `names` that `stmts`, run in order from the top with `assigned_first` already
    assigned, may read before assigning them."""
    exposed: set[str] = set()
    if names:
        _block(stmts, set(assigned_first), names, exposed)
    return exposed


def _block(stmts, assigned: set[str], names, exposed) -> set[str]:
    for stmt in stmts:
        assigned = _statement(stmt, assigned, names, exposed)
    return assigned


def _statement(stmt, assigned, names, exposed) -> set[str]:
    if isinstance(stmt, gast.If):
        assigned = _expression(stmt.test, assigned, names, exposed)
        then = _block(stmt.body, set(assigned), names, exposed)
        other = _block(stmt.orelse, set(assigned), names, exposed)
        return then & other
    if isinstance(stmt, gast.For):
        assigned = _expression(stmt.iter, assigned, names, exposed)
        _block(stmt.body + stmt.orelse, assigned | _stored(stmt.target), names, exposed)
        return assigned
    if isinstance(stmt, gast.While):
        assigned = _expression(stmt.test, assigned, names, exposed)
        _block(stmt.body + stmt.orelse, set(assigned), names, exposed)
        return assigned
    if isinstance(stmt, (gast.With, gast.AsyncWith)):
        for item in stmt.items:
            assigned = _expression(item.context_expr, assigned, names, exposed)
            if item.optional_vars is not None:
                assigned = _target(item.optional_vars, assigned, names, exposed)
        return _block(stmt.body, assigned, names, exposed)
    if isinstance(stmt, (gast.Try, getattr(gast, "TryStar", gast.Try))):
        # a handler may start after any statement of the body: it counts only what was assigned before
        finished = _block(stmt.body + stmt.orelse, set(assigned), names, exposed)
        for handler in stmt.handlers:
            bound = {handler.name.id} if isinstance(handler.name, gast.Name) else set()
            finished &= _block(handler.body, assigned | bound, names, exposed)
        return _block(stmt.finalbody, finished, names, exposed)
    if isinstance(stmt, getattr(gast, "Match", ())):
        assigned = _expression(stmt.subject, assigned, names, exposed)
        for case in stmt.cases:
            if case.guard is not None:
                _loads(case.guard, assigned, names, exposed)
            _block(case.body, set(assigned), names, exposed)
        return assigned
    if isinstance(stmt, _SCOPES):       # a nested def or class reads its free names when it runs: count them now
        _loads(stmt, assigned, names, exposed)
        return assigned | {stmt.name}
    if isinstance(stmt, gast.Assign):
        assigned = _expression(stmt.value, assigned, names, exposed)
        for target in stmt.targets:
            assigned = _target(target, assigned, names, exposed)
        return assigned
    if isinstance(stmt, gast.AugAssign):   # x += v reads x first
        assigned = _expression(stmt.value, assigned, names, exposed)
        _loads(stmt.target, assigned, names, exposed, stores_read=True)
        return assigned | _stored(stmt.target)
    if isinstance(stmt, gast.AnnAssign):
        if stmt.value is not None:
            assigned = _expression(stmt.value, assigned, names, exposed)
            return _target(stmt.target, assigned, names, exposed)
        return assigned
    # expressions, return, raise, assert, del, ...: what they read, in order
    for child in gast.iter_child_nodes(stmt):
        if isinstance(child, gast.expr):
            assigned = _expression(child, assigned, names, exposed)
    return assigned


def _expression(node, assigned, names, exposed) -> set[str]:
    """Reads in `node` against what is assigned before it; then the names its `:=` surely assigned
    (one under a short-circuit `and`/`or`, a conditional's branch or a comprehension may not run)."""
    _loads(node, assigned, names, exposed)
    sure = set()
    _sure_walrus(node, sure)
    return assigned | sure


def _sure_walrus(node, sure) -> None:
    if isinstance(node, gast.NamedExpr):
        _sure_walrus(node.value, sure)
        sure.add(node.target.id)
        return
    if isinstance(node, gast.BoolOp):
        _sure_walrus(node.values[0], sure)
        return
    if isinstance(node, gast.IfExp):
        _sure_walrus(node.test, sure)
        return
    if isinstance(node, _COMPREHENSIONS + (gast.Lambda,)):
        return
    for child in gast.iter_child_nodes(node):
        _sure_walrus(child, sure)


def _target(target, assigned, names, exposed) -> set[str]:
    # x[i] = v and x.a = v read x; a plain name or an unpacking binds
    _loads(target, assigned, names, exposed)
    return assigned | _stored(target)


def _stored(target) -> set[str]:
    return {n.id for n in walk(target) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _loads(node, assigned, names, exposed, stores_read=False) -> None:
    for n in walk(node):
        if isinstance(n, gast.Name) and n.id in names and n.id not in assigned \
                and (isinstance(n.ctx, gast.Load) or stores_read and isinstance(n.ctx, gast.Store)):
            exposed.add(n.id)
