"""`try` blocks in generated code: the `if` that stands for one tried statement until printing.

ssa/try_statements.py turns each statement of a `try` body into an `if` on its
attempt (runtime/attempts.py), so single-assignment form, the IR, both sweeps and
the tape treat it as a branch: its adjoints run only if the statement ran to the
end. The statement that makes the attempt (`ran_1 = attempt(ran)`) is marked
(TryMark: what the handlers catch). The printer writes the forward `if` on that
attempt as a `try` whose `except` clause catches what the user's handlers catch,
records the exception in the attempt, and assigns what the `if`'s other branch
assigns (the values the statement would have changed keep their old ones):

    ran_1 = attempt(ran)              ran_1 = attempt(ran)
    if ran_1:                         if ran_1:
        z = y * 2                         try:
    else:                    ->               z = y * 2
        z = None                          except ValueError:
                                              ran_1.failed()
                                              z = None
                                      else:
                                          z = None

The first statement's attempt is new, so always true: it prints without the `if`.
Forward mode's tangents of the statement run in the `try`'s `else` clause, so a
handler never catches what only a derivative raised.
Only code that makes the attempt folds its `if`s: the reverse sweep, which reads
the attempt back (from the tape in a loop), keeps plain `if`s on it.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import gast

MARK = "s2s_try"


@dataclass
class TryMark:
    catches: object          # the `except` clause's type (a gast expression), None for a bare `except:`
    first: bool              # the body's first statement: its attempt is new, so true




def mark_tried(node: gast.Assign, catches, first: bool) -> gast.Assign:
    """Mark `node`, the statement that makes an attempt: `if`s on its target print as `try`s."""
    setattr(node, MARK, TryMark(catches, first))
    return node


def carry_mark(old, new) -> None:
    """Keep the mark when a pass rebuilds the marked statement (single-assignment form)."""
    mark = getattr(old, MARK, None)
    if mark is not None:
        setattr(new, MARK, mark)


def fold_try_blocks(stmts: list) -> list:
    """`stmts` with every `if` on an attempt they make (at any depth) printed as its `try`; the input is left
    as it is."""
    attempts = attempts_made(stmts)
    return _folded(stmts, attempts) if attempts else stmts


def attempts_made(stmts) -> dict:
    """{attempt's name: its TryMark} for the marked statements in `stmts`, at any depth."""
    attempts = {}
    for stmt in _walk_statements(stmts):
        mark = getattr(stmt, MARK, None)
        if mark is not None and isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            attempts[stmt.targets[0].id] = mark
    return attempts


def function_with_tries(tree: gast.FunctionDef) -> gast.FunctionDef:
    """A function whose body makes attempts (the single-assignment form) with their `if`s printed as `try`s."""
    folded = fold_try_blocks(tree.body)
    if folded is tree.body:
        return tree
    new = copy.copy(tree)
    new.body = folded
    return new


def _folded(stmts: list, attempts: dict) -> list:
    out: list = []
    for stmt in stmts:
        mark = attempts.get(stmt.test.id) if isinstance(stmt, gast.If) and isinstance(stmt.test, gast.Name) else None
        if mark is not None:
            out.extend(_tried(stmt, mark, attempts))
        elif isinstance(stmt, (gast.If, gast.For, gast.While, gast.With, gast.Try)):
            new = copy.copy(stmt)
            new.body = _folded(stmt.body, attempts)
            if hasattr(stmt, "orelse"):
                new.orelse = _folded(stmt.orelse, attempts)
            out.append(new)
        else:
            out.append(stmt)
    return out


def _tried(stmt: gast.If, mark: TryMark, attempts: dict) -> list:
    failed = gast.Expr(value=gast.Call(func=gast.Attribute(value=copy.deepcopy(stmt.test), attr="failed",
                                                           ctx=gast.Load()), args=[], keywords=[]))
    orelse = _folded(stmt.orelse, attempts)
    handler = gast.ExceptHandler(type=copy.deepcopy(mark.catches), name=None,
                                 body=[failed, *copy.deepcopy(orelse)])
    primal, derived = _split_tangents(_folded(stmt.body, attempts))
    tried = gast.Try(body=primal or [gast.Pass()], handlers=[handler], orelse=derived, finalbody=[])
    if mark.first:
        return [tried]
    return [gast.If(test=stmt.test, body=[tried], orelse=orelse)]


def _split_tangents(stmts) -> tuple[list, list]:
    """(the statement's own statements, forward mode's tangents of them): a tangent may raise where its
    value does not (`x_dot / (2 * y)` at y = 0), and a handler must catch only what the statement raises,
    so tangents run in the `try`'s `else` clause, after it. A tangent reads values, never the other way;
    what reads or changes a tangent (`tape_dot.append(t6_dot)`) moves with it."""
    primal, derived, assigned, moved = [], [], set(), set()
    for stmt in stmts:
        target = stmt.targets[0] if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 else None
        tangent = isinstance(target, gast.Name) and target.id.endswith("_dot") and target.id[:-4] in assigned
        if tangent or _names(stmt, gast.Load) & moved:
            derived.append(stmt)
            moved |= _names(stmt, gast.Store) | _changed(stmt)
        else:
            primal.append(stmt)
            assigned |= _names(stmt, gast.Store)
    return primal, derived


def _names(stmt, context) -> set:
    return {n.id for n in gast.walk(stmt) if isinstance(n, gast.Name) and isinstance(n.ctx, context)}


# methods that change their list, dict or set and return a value the line keeps (`v_dot = tape_dot.pop()`)
_CHANGING_METHODS = frozenset({"pop", "popitem", "setdefault"})


def _changed(stmt) -> set:
    """Names whose object a statement changes: `xs.append(v)`'s xs, `v = xs.pop()`'s, `d[k] = v`'s d. A call
    whose value the line keeps is taken to change nothing else (`t1_dot = np.outer(x_dot, x)` leaves `np`
    as it was: taking it for changed moved every later line that calls NumPy out of the `try`)."""
    changed = set()
    if isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call):
        called = stmt.value.func          # a call made for what it does: `tape_dot.append(t6_dot)`
        if isinstance(called, gast.Attribute) and isinstance(called.value, gast.Name):
            changed.add(called.value.id)
    for node in gast.walk(stmt):
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and \
                isinstance(node.func.value, gast.Name) and node.func.attr in _CHANGING_METHODS:
            changed.add(node.func.value.id)
        if isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store) and isinstance(node.value, gast.Name):
            changed.add(node.value.id)
    return changed


def _walk_statements(stmts):
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, gast.FunctionDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from _walk_statements(inner)
