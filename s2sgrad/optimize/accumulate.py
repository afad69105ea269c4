"""Add into an adjoint in place (`dx += term`) where the array is the reverse sweep's own.

`dx = dx + term` allocates a new array for every contribution; a person
writes `dx += term`. That is only right when nothing else can see `dx`'s
array: a broadcast view (`unreduce`), an operand passed through
(`dt1 = dz`, `unbroadcast(dz, b)` returning dz itself), an element of a tuple,
a value on the tape or a user's array must never be written. So an adjoint is
*owned* only right after an assignment that makes a new array nobody else
holds (arithmetic, `zeros_like`), and stops being owned as soon as its value
is handed to anything other than arithmetic (a copy, a call, a container,
`del`). Through loops, an adjoint is owned at the loop's start only if it is
owned both on entry and at the end of the body (a fixpoint); through branches,
only if owned after both arms.

Which adjoints may be written at all (`candidates`) is decided by the caller
from the shape analysis: arrays of floats of a known shape, so `dx += term`
neither changes dx's shape nor casts a complex term into a real array.
"""
from __future__ import annotations

import gast


def accumulate_in_place(stmts: list, candidates: set[str], fresh_calls: set[str]) -> list:
    """`stmts` (the reverse sweep) with `d = d + term` turned into `d += term` (and `d = d - term` into
    `d -= term`) where `d` is owned.

    `fresh_calls`: names of functions that return a new array of their own (zeros_like)."""
    if candidates:
        _Ownership(candidates, fresh_calls).block(stmts, set(), apply=True)
    return stmts


class _Ownership:
    def __init__(self, candidates, fresh_calls):
        self.candidates, self.fresh_calls = candidates, fresh_calls

    def block(self, stmts: list, owned: set, apply: bool) -> set:
        for index, stmt in enumerate(stmts):
            replacement = self.statement(stmt, owned, apply)
            if replacement is not None and apply:
                stmts[index] = replacement
        return owned

    def statement(self, stmt, owned: set, apply: bool):
        """Update `owned` for one statement; return its in-place form where it has one."""
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name):
            target, value = stmt.targets[0].id, stmt.value
            term = self.accumulation_term(target, value)
            if term is not None and target in owned:
                owned -= _escaping(term)
                return gast.AugAssign(target=gast.Name(id=target, ctx=gast.Store(), annotation=None,
                                                       type_comment=None), op=type(value.op)(), value=term)
            owned -= _escaping(value)
            if target in self.candidates and self.makes_new_array(value):
                owned.add(target)
            else:
                owned.discard(target)
            return None
        if isinstance(stmt, gast.For):
            owned -= _escaping(stmt.iter)
            state = set(owned)
            while True:         # owned at the start of every iteration: on entry and after each body
                after = self.block(stmt.body, set(state), apply=False)
                narrowed = state & after
                if narrowed == state:
                    break
                state = narrowed
            after = self.block(stmt.body, set(state), apply=apply)
            owned &= after
            return None
        if isinstance(stmt, gast.If):
            owned -= _escaping(stmt.test)
            body = self.block(stmt.body, set(owned), apply)
            orelse = self.block(stmt.orelse, set(owned), apply)
            owned &= body & orelse
            return None
        # tuple targets (tape pops, a callee's adjoints), scatters, dels, calls: whatever they name
        owned -= {n.id for n in gast.walk(stmt) if isinstance(n, gast.Name)}
        return None

    def accumulation_term(self, target: str, value) -> gast.expr | None:
        """`term` when `value` is `target + term` or `target - term` (term not reading target: dx += dx * 2 would still be
        right, but reads worse than it is)."""
        if target not in self.candidates or not isinstance(value, gast.BinOp) \
                or not isinstance(value.op, (gast.Add, gast.Sub)):
            return None
        left = value.left
        if not (isinstance(left, gast.Name) and left.id == target):
            return None
        if any(isinstance(n, gast.Name) and n.id == target for n in gast.walk(value.right)):
            return None
        return value.right

    def makes_new_array(self, value) -> bool:
        if isinstance(value, (gast.BinOp, gast.UnaryOp)):
            return True
        return isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and value.func.id in self.fresh_calls


def _escaping(expr) -> set[str]:
    """Names whose value the expression's result may share: none for arithmetic (its result is new, its
    operands consumed), every name for anything else (a call may return or keep its argument)."""
    if isinstance(expr, (gast.BinOp, gast.UnaryOp, gast.Compare)):
        return set()
    return {n.id for n in gast.walk(expr) if isinstance(n, gast.Name)}
