"""np.einsum's two call forms, brought to one: `einsum('ij,jk->ik', a, b)` and the sublist form
`einsum(a, [0, 1], b, [1, 2], [0, 2])`, whose integer labels (and Ellipsis) become letters."""
from __future__ import annotations

import string

from .linalg import einsum_adjoints

__all__ = ["einsum_call_adjoints"]


def einsum_call_adjoints(g, args, optimize=False):
    """One adjoint per argument of np.einsum(*args): None for the subscripts and the sublists."""
    if isinstance(args[0], str):
        return (None, *einsum_adjoints(g, args[0], args[1:], optimize))
    count = len(args) // 2                          # (operand, sublist) pairs, then perhaps the output's sublist
    operands = list(args[0:2 * count:2])
    subscripts = ",".join(_term(labels) for labels in args[1:2 * count:2])
    if len(args) % 2:
        subscripts += "->" + _term(args[-1])
    adjoints = iter(einsum_adjoints(g, subscripts, operands, optimize))
    return tuple(next(adjoints) if i % 2 == 0 and i < 2 * count else None for i in range(len(args)))


def _term(labels) -> str:
    return "".join("..." if label is Ellipsis else string.ascii_letters[label] for label in labels)
