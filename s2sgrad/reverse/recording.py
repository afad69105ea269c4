"""The tape: record inside loops exactly the values the reverse sweep reads.

Outside loops every name is assigned once, so the reverse sweep can read
forward values directly. Inside a loop body a name is assigned once per
iteration, and the reverse sweep, replaying iterations backwards, needs each
iteration's value back. This pass compares, for each loop body and each branch
inside a loop, the names the block owns (assigns at its own level, including a
loop's carried values on entry) with the names its reversed block reads, and
records only their intersection (a to-be-recorded analysis, as in Tapenade):

    forward, once the values are final       reverse, at the start of the block
        tape.append(p)                           p = tape.pop()

A loop index that the reversed loop regenerates (`for i in reversed(range(n))`)
is never recorded, nor is any value the reverse sweep does not read.
"""
from __future__ import annotations

import gast

from ..rules import Rule
from ..ssa import ast_build as build
from ..ssa.ast_build import loads, stores
from ..ssa.info import IfInfo, LoopInfo, info_of


def insert_tape(plan, forward_body: list, resolve, namer) -> str | None:
    """Add tape pushes and pops to the forward body and the reverse sweep of `plan` (a ReversePlan);
    return the tape's name, or None when nothing is recorded."""
    reverse_body = plan.body
    tape = None

    def tape_name() -> str:
        nonlocal tape
        if tape is None:
            tape = namer.claim("tape")
        return tape

    for loop in plan.loops:
        forward = loop.forward
        info: LoopInfo = info_of(forward)
        owned = owned_names(forward.body) | set(info.carried)
        reads = loads(loop.body_reverse)
        if isinstance(forward, gast.For):
            reads.discard(forward.target.id)
        record = (owned & reads) - set(info.fresh)
        if not loop.nested:
            # inside another loop such values change between outer iterations, and a loop that
            # runs zero times leaves them unassigned: only top-level loops skip them
            record -= _loop_invariant(forward, resolve, set(info.carried))
        if info.in_place:
            record |= set(info.carried) & (_loads_after(reverse_body, loop.reverse) or set())
        if record:
            end = len(forward.body) - info.n_carry_copies - len(info.exit_flags)
            _record(forward.body, _record_position(forward.body, record, end), loop.body_reverse,
                    _ordered(record, forward.body), tape_name())

    for loop, marker in plan.unreversed:
        _restore_after_inactive_loop(forward_body, reverse_body, loop, marker, namer)

    for branch in plan.branches:
        record = (owned_names(branch.forward_block) - branch.merged) & loads(branch.reverse_block)
        if record:
            _record(branch.forward_block, len(branch.forward_block), branch.reverse_block,
                    _ordered(record, branch.forward_block), tape_name())
    return tape


def _loop_invariant(loop, resolve, carried: set[str]) -> set[str]:
    """Names the body recomputes to the same value every iteration (e.g. `t1 = -k`).

    Their last value serves every iteration of the reverse sweep, so they need
    no tape. Only pure operations count (no calls that may draw random numbers),
    and never a carried value: on entry to each iteration it holds the previous
    iteration's result.
    """
    assigned = {n.id for stmt in loop.body for n in build.walk(stmt)
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    if isinstance(loop, gast.For):
        assigned.add(loop.target.id)
    top_level = [s for s in loop.body if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Name)]
    written = {s.targets[0].value.id for s in loop.body for s in build.walk(s)
               if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript)}
    assigned |= written
    counts = {}
    for stmt in loop.body:
        for n in build.walk(stmt):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                counts[n.id] = counts.get(n.id, 0) + 1
    # a list the body appends to holds this iteration's elements, however it started (`row = []`)
    appended = {getattr(n, "s2s_append", None) for stmt in loop.body for n in build.walk(stmt)}
    # a read of a list the body grows or shrinks (`rows[-1]` beside `rows.append(...)`) changes too
    assigned |= (appended - {None}) | _mutated_in_place(loop.body)
    invariant: set[str] = set()
    changed = True
    while changed:
        changed = False
        for stmt in top_level:
            target = stmt.targets[0].id
            # an array the body writes into (`v = u * 1.5` then `v[1:-1] = ...`) is the same at each iteration's
            # start only: the reverse sweep puts back what each write overwrote, so its last value serves none
            if target in invariant or target in carried or target in appended or target in written \
                    or counts.get(target) != 1 or not _pure(stmt, resolve):
                continue
            reads = {n.id for n in build.walk(stmt.value) if isinstance(n, gast.Name)}
            if all(r not in assigned or r in invariant for r in reads):
                invariant.add(target)
                changed = True
    return invariant


_MUTATING_METHODS = {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
                     "setdefault", "popitem", "add", "discard", "fill", "resize", "put", "itemset"}


def _mutated_in_place(body) -> set[str]:
    """Names whose object a method of the body changes (`xs.pop()`, `d.update(...)`, `a.fill(0)`)."""
    return {n.func.value.id for stmt in body for n in build.walk(stmt)
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute)
            and isinstance(n.func.value, gast.Name) and n.func.attr in _MUTATING_METHODS}


def _pure(stmt, resolve) -> bool:
    calls = [n for n in build.walk(stmt.value) if isinstance(n, gast.Call)]
    if not calls:
        return True
    return isinstance(resolve(stmt.value, stmt).rule, Rule)


def _restore_after_inactive_loop(forward_body, reverse_body, loop, marker, namer) -> None:
    """A loop without adjoints may still overwrite (in place) a value that earlier adjoints read:
    keep the value it had before the loop, and put it back where the loop sits in the reverse sweep."""
    needed = [c for c in info_of(loop).carried if c in (_loads_after(reverse_body, marker) or set())]
    block = _block_holding(forward_body, loop)
    saved = [namer.claim(f"{c}_before") for c in needed]
    for name, keep in zip(needed, saved):
        block.insert(next(i for i, s in enumerate(block) if s is loop), build.assign(keep, build.load(name)))
    parent = _block_holding(reverse_body, marker)
    position = next(i for i, s in enumerate(parent) if s is marker)
    restores = [build.assign(name, build.load(keep)) for name, keep in zip(needed, saved)]
    parent[position:position + 1] = restores or ([] if len(parent) > 1 else [gast.Pass()])


def _block_holding(stmts, target):
    """The statement list that directly contains `target`."""
    if any(s is target for s in stmts):
        return stmts
    for stmt in stmts:
        for child in _child_blocks(stmt):
            found = _block_holding(child, target)
            if found is not None:
                return found
    return None


def owned_names(block) -> set[str]:
    """Names whose value a block defines at its own level (not inside nested blocks)."""
    names = set()
    for stmt in block:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            names.add(stmt.targets[0].id)
        elif isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Tuple):
            # `y, f_record = call_forward(f, x)`: a call's value and its record (runtime/calls.py)
            names |= {t.id for t in stmt.targets[0].elts if isinstance(t, gast.Name)}
        info = info_of(stmt)
        if isinstance(info, IfInfo):
            names |= info.merged
        elif isinstance(info, LoopInfo):
            names |= set(info.carried)
    return names


def _record_position(body, names: set[str], end: int) -> int:
    """Where a loop body records `names`: right after the last statement that assigns one of them or holds
    a block (whose own records the reverse sweep pops after this one's), at the latest at `end`, before
    the carried values' copies. A carried value recorded at the top, as a person writes it
    (`tape.append((x, v))` first), leaves the carry free to update in place (optimize/carries.py)."""
    position = 0
    for i, stmt in enumerate(body[:end]):
        if isinstance(stmt, (gast.If, gast.For, gast.While)) or stores([stmt]) & names:
            position = i + 1
    return position


def _record(forward_block, position, reverse_block, names, tape) -> None:
    values = [build.load(n) for n in names]
    pushed = values[0] if len(values) == 1 else build.tuple_of(values)
    forward_block.insert(position, gast.Expr(value=build.method_call(tape, "append", pushed)))
    target = build.store(names[0]) if len(names) == 1 else build.tuple_of([build.store(n) for n in names], True)
    reverse_block.insert(0, gast.Assign(targets=[target], value=build.method_call(tape, "pop"), type_comment=None))


def _ordered(names: set[str], block) -> list[str]:
    """Recorded names in the order the forward block first mentions them."""
    order = []
    for stmt in block:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and node.id in names and node.id not in order:
                order.append(node.id)
    order += sorted(names - set(order))
    return order




def _loads_after(stmts, target):
    """Names read by the reverse code that runs after `target` finishes (None if target is absent)."""
    for i, stmt in enumerate(stmts):
        if stmt is target:
            return loads(stmts[i + 1:])
        for child in _child_blocks(stmt):
            found = _loads_after(child, target)
            if found is not None:
                return found | loads(stmts[i + 1:])
    return None


def _child_blocks(stmt):
    if isinstance(stmt, gast.If):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, (gast.For, gast.While)):
        return [stmt.body]
    return []
