"""Copy propagation inside reverse loops, where every statement runs once per iteration.

The adjoint of a copy is a copy (`dt5 = dv_1`); at the top level these read
like the seeds' derivation (`da = dv`, `du = dv`) and cost nothing, so they
stay. Inside a loop they cost time on every iteration, so `a = b` is removed
and later reads of `a` read `b`, whenever that is provably the same value:
`a` is assigned nowhere else, read nowhere outside the block, and `b` is not
re-assigned before `a`'s last read.
"""
from __future__ import annotations

import gast

from ..ssa.ast_build import loads, loads_outside, rename_loads, store_count, stores


def propagate_copies_in_loops(stmts: list, read_after=()) -> None:
    """Apply to every block nested in a loop of `stmts` (the reverse sweep), in place.

    `read_after` holds the statements that run after `stmts` (the return).
    """
    everything = list(stmts) + list(read_after)
    for block in blocks_inside_loops(stmts, inside=False):
        _propagate(block, loads_outside(everything, block))
        if not block:                      # every statement was a removable copy
            block.append(gast.Pass())


def blocks_inside_loops(stmts, inside):
    """Every block of statements inside a loop (`inside`: `stmts` is one), loop bodies and branches alike."""
    for stmt in stmts:
        if isinstance(stmt, (gast.For, gast.While)):
            yield stmt.body
            yield from blocks_inside_loops(stmt.body, True)
        elif isinstance(stmt, gast.If):
            if inside:
                yield stmt.body
                yield stmt.orelse
            yield from blocks_inside_loops(stmt.body, inside)
            yield from blocks_inside_loops(stmt.orelse, inside)


def _propagate(block: list, read_outside: set[str]) -> None:
    changed = True
    while changed:
        changed = False
        reads = writes = None       # each statement's loads and stores, taken once the block has a copy
        for i, stmt in enumerate(block):
            copy = _copy(stmt)
            if copy is None:
                continue
            a, b = copy
            if reads is None:
                reads, writes = [loads([s]) for s in block], [stores([s]) for s in block]
            rest = block[i + 1:]
            if a in read_outside or any(a in w for w in writes[i + 1:]) \
                    or any(a in r for r in reads[:i]) or store_count(block, a) != 1:
                continue
            uses = [j for j, r in enumerate(reads[i + 1:]) if a in r]
            kills = [j for j, (s, w) in enumerate(zip(rest, writes[i + 1:])) if b in w and _copy(s) != (b, a)]
            if uses and kills and max(uses) > min(kills):
                continue
            if uses and kills and max(uses) == min(kills) and not isinstance(rest[max(uses)], gast.Assign):
                continue        # inside an `if` the kill may come before the read
            for s in rest[: (max(uses) + 1) if uses else 0]:
                rename_loads(s, a, b)
            del block[i]
            block[:] = [s for s in block if not (_copy(s) and _copy(s)[0] == _copy(s)[1])]
            changed = True
            break


def _copy(stmt):
    if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name) \
            and isinstance(stmt.value, gast.Name):
        return stmt.targets[0].id, stmt.value.id
    return None
