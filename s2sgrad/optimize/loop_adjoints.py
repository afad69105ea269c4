"""Reverse loops written as a person writes them: no branch bookkeeping, no temporaries for a sign.

Inside a reverse loop every statement runs once per iteration, so what a
person would not write costs time. Two rewrites, after the tape is final:

`hoist_shared_branch_statements`: a statement both branches of an `if` begin
with (the copy `da = da_1` that the adjoint of a merged name gives each
branch) runs once before the `if`; copy propagation then removes it.

`fold_loop_temporaries`: an adjoint term named only to be added
(`dt1 = da * x; dk = dk - dt1`) is written into the addition
(`dk = dk - da * x`), and a negated adjoint (`dt3 = -da`, from `a = t2 - t3`)
folds into the additions that read it (`dc = dc + dt3 * v` becomes
`dc = dc - da * v`): a subtraction instead of a negation and a name.
Both are exact in floating point, for numbers and arrays alike.
"""
from __future__ import annotations

import copy

import gast

from ..ssa.ast_build import loads, loads_outside, store_counts, stores
from .copies import blocks_inside_loops
from .simplify import simplify


def hoist_shared_branch_statements(reverse: list) -> None:
    """Move statements that both branches of an `if` inside a loop begin with before the `if` (in place)."""
    for block in blocks_inside_loops(reverse, inside=False):
        position = 0
        while position < len(block):
            stmt = block[position]
            if isinstance(stmt, gast.If):
                shared = _shared_head(stmt)
                if shared is not None:
                    block.insert(position, shared)
                    position += 1
                    continue
            position += 1


def _shared_head(branch: gast.If):
    """Remove and return the first statement of both branches when it is the same assignment, else None."""
    body, orelse = branch.body, branch.orelse
    if not body or not orelse or not isinstance(body[0], gast.Assign) \
            or gast.dump(body[0]) != gast.dump(orelse[0]) or stores([body[0]]) & loads([branch.test]):
        return None
    head = body.pop(0)
    orelse.pop(0)               # an empty `else` is no `else`
    if not body:
        body.append(gast.Pass())
    return head


def fold_loop_temporaries(reverse: list, read_after=()) -> None:
    """Fold negated and add-once adjoint temporaries of every block inside a loop into their readers
    (in place); `read_after` holds the statements that run after `reverse` (the return)."""
    everything = list(reverse) + list(read_after)
    # folding changes what statements read, not what they assign: the counts hold throughout (a folded
    # temporary's one assignment goes with it, and it is not asked for again)
    assigned = store_counts(everything)
    for block in blocks_inside_loops(reverse, inside=False):
        read_outside = loads_outside(everything, block)
        position = 0
        while position < len(block):
            if _fold(block, position, read_outside, assigned):
                del block[position]
            else:
                position += 1
        if not block:
            block.append(gast.Pass())
    _drop_empty_else(reverse)


def _drop_empty_else(stmts) -> None:
    """`else: pass`, left where every statement of an `else` went, is no `else`."""
    for stmt in stmts:
        if isinstance(stmt, gast.If):
            if all(isinstance(s, gast.Pass) for s in stmt.orelse):
                stmt.orelse = []
            _drop_empty_else(stmt.body)
            _drop_empty_else(stmt.orelse)
        elif isinstance(stmt, (gast.For, gast.While)):
            _drop_empty_else(stmt.body)


def _fold(block: list, position: int, read_outside: set[str], assigned: dict[str, int]) -> bool:
    """Fold block[position] into the statements after it that read it; whether it was (then it is dead).
    `assigned`: how many times the whole reverse sweep assigns each name."""
    stmt = block[position]
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name)):
        return False
    name, value = stmt.targets[0].id, stmt.value
    negation = isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub) \
        and isinstance(value.operand, gast.Name)
    product = isinstance(value, gast.BinOp) and all(isinstance(o, (gast.Name, gast.Constant))
                                                    for o in (value.left, value.right))
    if not (negation or product) or name in read_outside or assigned.get(name, 0) != 1 \
            or name in loads(block[:position + 1]):
        return False
    rest = block[position + 1:]
    uses = [i for i, s in enumerate(rest) if name in loads([s])]
    if not uses or any(not _is_assignment(rest[i]) for i in uses):
        return False
    # the value's operands must mean the same at every reader (a reader may assign one: it reads first)
    if stores(rest[:uses[-1]]) & loads([value]):
        return False
    if product:
        if len(uses) != 1 or not _adds(rest[uses[0]].value, name):
            return False
        folded = [_substituted(rest[uses[0]].value, name, value)]
    else:
        folded = [simplify(_minus_outside(_substituted(rest[i].value, name, value))) for i in uses]
        if any(_negates(f, value.operand.id) for f in folded):
            return False             # a reader would still negate: keep the one negation
    for i, new in zip(uses, folded):
        rest[i].value = new
    return True


def _is_assignment(stmt) -> bool:
    return isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name)


def _adds(value, name: str) -> bool:
    """`acc + name` or `acc - k * name` (k a number): an accumulation of the term `name`."""
    if not (isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Sub))
            and isinstance(value.left, gast.Name) and value.left.id != name):
        return False
    term = value.right
    if isinstance(term, gast.BinOp) and isinstance(term.op, gast.Mult) and isinstance(term.left, gast.Constant):
        term = term.right
    return isinstance(term, gast.Name) and term.id == name


def _substituted(expr, name: str, replacement):
    expr = copy.deepcopy(expr)
    if isinstance(expr, gast.Name) and expr.id == name:
        return copy.deepcopy(replacement)
    for node in gast.walk(expr):
        for field, child in gast.iter_fields(node):
            if isinstance(child, gast.Name) and isinstance(child.ctx, gast.Load) and child.id == name:
                setattr(node, field, copy.deepcopy(replacement))
            elif isinstance(child, list):
                setattr(node, field, [copy.deepcopy(replacement) if isinstance(c, gast.Name) and c.id == name
                                      and isinstance(c.ctx, gast.Load) else c for c in child])
    return expr


def _minus_outside(expr):
    """`k * -y` as `-(k * y)`, so that simplify turns `a + -(k * y)` into `a - k * y`."""
    for node in gast.walk(expr):
        for field, child in gast.iter_fields(node):
            if isinstance(child, gast.BinOp) and isinstance(child.op, gast.Mult) \
                    and isinstance(child.right, gast.UnaryOp) and isinstance(child.right.op, gast.USub):
                inner = gast.BinOp(left=child.left, op=gast.Mult(), right=child.right.operand)
                setattr(node, field, gast.UnaryOp(op=gast.USub(), operand=inner))
    return expr


def _negates(expr, name: str) -> bool:
    return any(isinstance(n, gast.UnaryOp) and isinstance(n.op, gast.USub) and isinstance(n.operand, gast.Name)
               and n.operand.id == name for n in gast.walk(expr))
