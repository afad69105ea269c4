"""`with` blocks in generated code: the markers that stand for them until printing, and the folding.

A `with` over a context manager that changes no value (`np.errstate(...)`,
ssa/with_statements.py) is carried through single-assignment form, the IR and
both sweeps as two plain statements, one where the block is entered and one
where it is left, with the statements in between as ordinary ones: nothing
flows through the markers, so no pass needs to know about them. The reverse
sweep, which runs the block's adjoints last to first, meets the leaving
marker first and turns it into an entering one (`mirrored`), so the adjoints
run inside the same context (an `np.errstate(divide='ignore')` around a log is
quiet about the adjoint's division too). The printer folds each pair back:

    np.errstate(divide='ignore')      # entering            with np.errstate(divide='ignore'):
    y = np.log(x)                                  ->           y = np.log(x)
    np.errstate(divide='ignore')      # leaving
"""
from __future__ import annotations

import copy

import gast

MARK = "s2s_context"        # on a gast.Expr: ContextMark


class ContextMark:
    """Which side of a block a marker stands for, and the statements that set the context up (the
    `warnings.simplefilter(...)` calls inside a catch_warnings block), replayed when the reverse sweep
    enters it."""

    def __init__(self, entering: bool, setup=()):
        self.entering = entering
        self.setup = list(setup)


def marker(manager: gast.expr, entering: bool, setup=()) -> gast.Expr:
    stmt = gast.Expr(value=copy.deepcopy(manager))
    setattr(stmt, MARK, ContextMark(entering, setup))
    return stmt


def is_marker(stmt) -> bool:
    return isinstance(stmt, gast.Expr) and getattr(stmt, MARK, None) is not None


def mirrored(stmt: gast.Expr) -> list:
    """The reverse sweep's statements for a forward marker: leaving becomes entering (then the setup
    again), entering becomes leaving."""
    mark = getattr(stmt, MARK)
    if mark.entering:
        return [marker(stmt.value, False, mark.setup)]
    return [marker(stmt.value, True, mark.setup), *[copy.deepcopy(s) for s in mark.setup]]


def fold_with_blocks(stmts: list) -> list:
    """`stmts` with every marker pair (at any depth) folded into a `with` block; the input is left as it
    is (the forward sweep is printed twice: the gradient and its recording form)."""
    if not any(_has_marker(s) for s in stmts):
        return stmts
    out: list = []
    opened: list = []           # (the block's `with` node, the list it belongs to) for each open block
    for stmt in stmts:
        if is_marker(stmt) and getattr(stmt, MARK).entering:
            block = gast.With(items=[gast.withitem(context_expr=copy.deepcopy(stmt.value), optional_vars=None)],
                              body=[], type_comment=None)
            opened.append((block, out))
            out = block.body
        elif is_marker(stmt):
            if not opened:
                raise AssertionError("a `with` block's closing marker without its opening one")
            block, out = opened.pop()
            if not block.body:
                block.body.append(gast.Pass())
            out.append(block)
        else:
            out.append(_folded_inside(stmt))
    if opened:
        raise AssertionError("a `with` block's opening marker without its closing one")
    return out


def folded_function(tree: gast.FunctionDef) -> gast.FunctionDef:
    """A function whose body holds markers (the single-assignment form) with its `with` blocks folded."""
    if not any(_has_marker(s) for s in tree.body):
        return tree
    new = copy.copy(tree)
    new.body = fold_with_blocks(tree.body)
    return new


def _folded_inside(stmt):
    if not isinstance(stmt, (gast.If, gast.For, gast.While, gast.With)):
        return stmt
    if not _has_marker(stmt):
        return stmt
    new = copy.copy(stmt)
    new.body = fold_with_blocks(stmt.body)
    if hasattr(stmt, "orelse"):
        new.orelse = fold_with_blocks(stmt.orelse)
    return new


def _has_marker(stmt) -> bool:
    if is_marker(stmt):
        return True
    if isinstance(stmt, (gast.If, gast.For, gast.While, gast.With)):
        return any(_has_marker(s) for s in stmt.body) or any(_has_marker(s) for s in getattr(stmt, "orelse", ()))
    return False
