"""`{**a, **b}`: a dict merged from two, and its adjoints.

The normalizer writes a change to a dict the function built as a new dict
(ssa/container_writes.py): `d[k] = v` becomes `d = {**d, k: v}`, and
`d.update(e)` becomes `d = {**d, **e}`; single-assignment form writes each
such display as merges of two dicts, `d_1 = merged(d, t1)` (ssa/expressions.py). Each key of the merged dict holds b's
value if b has the key, else a's; so the merged dict's adjoint splits by key:
b gets the entries of its keys, a the entries of the keys b did not overwrite
(zero for those it did, whose old values no longer reach the result).

Inside the reverse sweep a dict's adjoint is a dict, and a plain number stands
for a zero of the whole dict (runtime/containers.py).
"""
from __future__ import annotations

from .arrays import zeros_like

__all__ = ["merged", "merged_part", "merged_part_transpose"]


def merged(a, b):
    """Python's `{**a, **b}`."""
    return {**a, **b}


def merged_part(g, a, b, side):
    """The adjoint of `a` (side 0) or `b` (side 1) in `{**a, **b}`, from the merged dict's adjoint `g`."""
    if side == 1:
        return {key: _entry(g, key, value) for key, value in b.items()}
    return {key: zeros_like(value) if key in b else _entry(g, key, value) for key, value in a.items()}


def merged_part_transpose(d, g, a, b, side):
    """The adjoint of `g` in merged_part(g, a, b, side), given the adjoint `d` of that part: d's entries
    where the part took them from g, zeros elsewhere (reverse mode over a gradient's code)."""
    whole = {**a, **b}
    if side == 1:
        return {key: _entry(d, key, value) if key in b else zeros_like(value) for key, value in whole.items()}
    return {key: _entry(d, key, value) if key not in b else zeros_like(value) for key, value in whole.items()}


def _entry(adjoint, key, value):
    """The adjoint of one entry: a dict's entry (a key no adjoint reached is a zero), or the number that
    stands for the whole dict's zero."""
    if isinstance(adjoint, dict):
        return adjoint[key] if key in adjoint else zeros_like(value)
    return adjoint
