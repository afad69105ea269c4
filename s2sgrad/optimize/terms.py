"""One operation's adjoint terms, with a term it sends twice to the same operand sent once, doubled.

`y = h * h` gives h the term `dy * h` from each factor; a person writes
`dh = 2 * (dy * h)`, one product fewer and no second accumulation.
"""
from __future__ import annotations

import gast

from ..ssa import ast_build as build


def merge_repeated_terms(contributions: list, containers=frozenset()) -> list:
    """[(operand, term), ...] with identical plain terms to one operand merged as `k * (term)`.

    Terms are pure expressions of the reverse sweep, so equal text means equal value. Scatters into an
    element (not expressions) and containers' adjoints (added element by element) are left as they are."""
    operands = [operand for operand, _ in contributions]
    if len(set(operands)) == len(operands):
        return list(contributions)      # no operand gets two terms (most operations): nothing to compare
    counts: dict = {}
    for operand, term in contributions:
        if isinstance(term, gast.expr) and operand not in containers:
            key = (operand, gast.dump(term))
            counts[key] = counts.get(key, 0) + 1
    if all(n == 1 for n in counts.values()):
        return list(contributions)
    merged, seen = [], set()
    for operand, term in contributions:
        key = (operand, gast.dump(term)) if isinstance(term, gast.expr) and operand not in containers else None
        if key is None or counts[key] == 1:
            merged.append((operand, term))
        elif key not in seen:
            seen.add(key)
            merged.append((operand, build.binop(build.const(counts[key]), gast.Mult(), term)))
    return merged
