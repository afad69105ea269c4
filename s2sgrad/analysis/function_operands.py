"""A function passed to a table entry that calls it (Facts.calls) must not carry a derivative the entry
cannot follow.

`odeint(lambda y, t: -k * y, y0, ts)` hands the entry a function that reads `k`
from the enclosing function. The entry's rule differentiates its array operands;
a derivative that reaches it only through what the function reads would be
silently dropped. Such an operation stops the transform, naming its line.
"""
from __future__ import annotations

import gast

from ..errors import NoDerivativeRuleError
from ..ir.nodes import Operation
from ..rules import Rule
from ..ssa.user_terms import terms_of


def refuse_functions_reading_varied_values(ir, source, closures: dict, varied: set) -> None:
    for node in ir.walk():
        if not isinstance(node, Operation) or not isinstance(node.entry, Rule) or not node.entry.facts.calls:
            continue
        prim = node.primitive
        try:
            bound = node.entry.signature.bind(*prim.args, **prim.keywords).arguments
        except TypeError:
            continue                      # the emitters refuse a call that does not match the rule
        for param in node.entry.facts.calls:
            operand = bound.get(param)
            if not isinstance(operand, gast.Name):
                continue
            read = sorted(terms_of(source).name(name) for name in closures.get(operand.id, ()) if name in varied)
            if read:
                raise NoDerivativeRuleError(
                    f"`{node.entry.name}` of a function that reads `{read[0]}` from the enclosing function: "
                    "its rule does not follow derivatives that reach it through what a function reads",
                    source.location(node.node),
                    f"pass `{read[0]}` to the function as an argument (for odeint: args=({read[0]},))")
