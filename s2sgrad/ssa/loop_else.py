"""`for ... else` and `while ... else`: the `else` clause runs when the loop ended without `break`.

The jump pass (structure.py) already turns a loop's `break` into a flag that stops
it; the clause then reads that flag, after the loop:

    for x in xs:                        stop = False
        if x > limit:                   for x in xs:
            break               ->          if x > limit:
        s = s + x                               stop = True
    else:                                   if not stop:
        s = s * 2                               s = s + x
                                        if not stop:
                                            s = s * 2

A loop with no `break` always runs its clause, so the clause follows it as plain
statements. An early `return` inside the loop leaves it with its own flag, which
the jump pass already puts around everything after the loop, the clause included.
A `break` or `continue` inside the clause belongs to the loop around this one, so
the clause is rewritten in that loop's context.
"""
from __future__ import annotations

import gast

from . import ast_build as build


def loop_with_else(rewriter, stmt, ctx):
    """(statements, flags they may set) for a `for`/`while` loop `stmt` that has an `else` clause;
    `rewriter` is structure.py's, `ctx` the jump context around the loop."""
    clause, stmt.orelse = stmt.orelse, []
    loop_statements, escaping = rewriter.loop(stmt)
    clause_statements, clause_sets = rewriter.block(clause, ctx)
    stop = getattr(stmt, "s2s_break_flag", None)
    if stop is None:                # no `break`: the clause always runs once the loop ends
        return loop_statements + clause_statements, escaping | clause_sets
    guard = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=build.load(stop)),
                    body=clause_statements or [gast.Pass()], orelse=[])
    gast.copy_location(guard, clause[0])
    return loop_statements + [guard], escaping | clause_sets


def has_loop_else(node) -> bool:
    return isinstance(node, (gast.For, gast.While)) and bool(node.orelse)
