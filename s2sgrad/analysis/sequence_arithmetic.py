"""Which `+` and `*` may join or repeat Python lists and tuples rather than add or multiply numbers.

`[x] + [y]` and `[x] * 3` are not arithmetic: their adjoints split and sum
entries where addition and multiplication would add and scale. An operation
with an operand that may hold a list or tuple (`analysis/kinds.container_names`
less the names known to hold numbers) is given the table's entries for
Python's own `+` and `*` (runtime/sequences.py), whose adjoints and tangents
look at the values; the forward code still reads `a + b`. Operands known to be
numbers or arrays keep the arithmetic rules, so numeric code is unchanged.
"""
from __future__ import annotations

import gast

from ..runtime import sequences
from .primitives import Primitive

_SEQUENCE_FORMS = {gast.Add: sequences.concatenate, gast.Mult: sequences.repeat}


def mark_sequence_arithmetic(ir, maybe_sequences: set[str], rules) -> list[str]:
    """Point every `+`/`*` of the IR with a possible list or tuple operand at the sequence entries.

    Changes the primitives of `ir` (a specialization's own copy) and returns the targets changed."""
    changed = []
    for op in ir.operations():
        prim = op.primitive
        form = _SEQUENCE_FORMS.get(prim.key) if isinstance(prim.key, type) else None
        if form is None:
            continue
        if any(isinstance(a, gast.Name) and a.id in maybe_sequences for a in prim.args):
            op.primitive = Primitive(form, rules.lookup(form), list(prim.args), {})
            changed.append(op.target)
    return changed
