"""Release arrays as soon as the generated function is done with them.

A gradient keeps forward values until the reverse sweep has read them, and
creates an adjoint for each; left alone, all of them live until the function
returns, so on large arrays every new result lands on fresh memory. After the
top-level statement that reads a non-scalar name for the last time, `del name`
hands its memory back (NumPy reuses it for the next result). Numbers are left
alone, so scalar code still reads exactly like the derivation; names that may
be unassigned on some path (assigned only inside a branch or loop), and names a
nested function reads (its closure still needs them), are left alone too.
"""
from __future__ import annotations

import gast

from ..ssa.ast_build import loads, stores


def release_dead_values(stmts: list, read_after, keep: set[str], scalar: set[str]) -> list:
    """`stmts` (the top level of the generated function) with `del` after last uses; `read_after`
    holds what runs after them (the return)."""
    assigned = set()
    for stmt in stmts:
        if isinstance(stmt, gast.Assign):
            assigned |= {n.id for t in stmt.targets for n in gast.walk(t)
                         if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    reads_later = loads(read_after) | _captured(stmts)
    last_use: dict[str, int] = {}
    for index, stmt in enumerate(stmts):
        for name in loads([stmt]):
            last_use[name] = index
    by_position: dict[int, list[str]] = {}
    for name, index in last_use.items():
        if name in assigned and name not in keep and name not in scalar and name not in reads_later:
            by_position.setdefault(index, []).append(name)
    last_store: dict[str, int] = {}                # a name assigned again later (restored from the tape): keep
    for index, stmt in enumerate(stmts):           # (the last position only: a set per position was quadratic)
        for name in stores([stmt]):
            last_store[name] = index
    out = []
    for index, stmt in enumerate(stmts):
        out.append(stmt)
        names = sorted(n for n in by_position.get(index, ()) if last_store.get(n, -1) <= index)
        if names and index < len(stmts) - 1:        # after the last statement the return frees everything
            out.append(gast.Delete(targets=[gast.Name(id=n, ctx=gast.Del(), annotation=None, type_comment=None)
                                            for n in names]))
    return out



def _captured(stmts) -> set[str]:
    """Names read inside nested defs and lambdas: the closure reads them whenever it is called."""
    return {n.id for s in stmts for node in gast.walk(s) if isinstance(node, (gast.FunctionDef, gast.Lambda))
            for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
