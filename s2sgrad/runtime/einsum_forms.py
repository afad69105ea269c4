"""np.einsum's two call forms, brought to one: `einsum('ij,jk->ik', a, b)` and the sublist form
`einsum(a, [0, 1], b, [1, 2], [0, 2])`, whose integer labels (and Ellipsis) become letters."""
from __future__ import annotations

import string

import numpy as np

from .linalg import einsum_adjoints

__all__ = ["einsum_call_adjoints", "einsum_call_adjoints_tangent", "einsum_call_transpose"]


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


# Derivatives of the adjoints (rules/runtime_rules.py): each operand's adjoint is linear in g and in each
# other operand, and reads its own operand for its shape and dtype only.

def _operand_positions(args) -> list:
    if isinstance(args[0], str):
        return list(range(1, len(args)))
    return list(range(0, 2 * (len(args) // 2), 2))


def _replaced(args, position, value) -> tuple:
    return tuple(value if i == position else a for i, a in enumerate(args))


def einsum_call_adjoints_tangent(g, args, args_dot, optimize=False):
    """The tangent of einsum_call_adjoints(g, args) along the operands' tangents: the adjoint of operand i
    with one other operand j replaced by its tangent, summed over j."""
    positions = _operand_positions(args)
    total = [None] * len(args)
    for j in positions:
        dot = args_dot[j]
        if dot is None or (np.ndim(dot) == 0 and dot == 0):
            continue                                 # an operand that carries no derivative
        parts = einsum_call_adjoints(g, _replaced(args, j, np.broadcast_to(dot, np.shape(args[j]))), optimize)
        for i in positions:
            if i != j:
                total[i] = parts[i] if total[i] is None else total[i] + parts[i]
    return tuple(np.zeros_like(args[i], dtype=np.result_type(args[i], 0.0)) if total[i] is None and i in positions
                 else total[i] for i in range(len(args)))


def einsum_call_transpose(d, args, optimize=False):
    """The adjoint of g in einsum_call_adjoints(g, args), given the adjoints `d` of its results: np.einsum
    with each operand in turn replaced by its part of d (the einsum is linear in each operand)."""
    total = 0.0
    for i in _operand_positions(args):
        if d[i] is not None and np.ndim(d[i]) == np.ndim(args[i]):     # a 0-d adjoint of an array: a zero
            total = total + np.einsum(*_replaced(args, i, d[i]), optimize=optimize)
    return total


def _term(labels) -> str:
    return "".join("..." if label is Ellipsis else string.ascii_letters[label] for label in labels)
