"""Which values are known to be scalars (Python or NumPy numbers), and which may be containers?

The reverse sweep must reduce an adjoint to its input's shape wherever NumPy
broadcasting may have stretched the input. When every other operand of an
elementwise operation is known to be a scalar, no broadcasting reshaped this
one, and the generated code can say `db = du * c` instead of
`db = unbroadcast(du * c, b)`. Kinds start from the arguments a gradient is
specialized for (which parameters hold numbers, 1-D sequences of numbers,
containers) and flow through the single-assignment form; anything uncertain is
not a scalar. A value that may be a tuple, list, dict or object has adjoints
that add element by element (`container_names`).
"""
from __future__ import annotations

import numbers

import gast
import numpy as np

from ..rules import AdjointRule
from .dataflow import appends, assignments, loop_indices
from .primitives import CALL, FIELD
_ELEMENTWISE_BUILTINS = {abs, max, min, float, int, round, pow, len, bool}


def scalar_names(body, scalar_params: set[str], resolve, scalar_sequences: set[str] = frozenset()) -> set[str]:
    """Names that hold a number on every path (fixpoint: a name is scalar only if all its definitions are)."""
    definitions: dict[str, list] = {}
    for stmt in assignments(body):
        definitions.setdefault(stmt.targets[0].id, []).append(stmt)
    # normalized loops all run over range(...), so their indices are ints
    scalar = set(scalar_params) | set(definitions) | loop_indices(body)   # optimistic start, then remove
    sequences = {n for n, stmts in definitions.items()          # tuples and lists of numbers
                 if all(isinstance(s.value, (gast.Tuple, gast.List)) for s in stmts)}
    sequences |= set(scalar_sequences) - set(definitions)        # parameters never re-assigned
    changed = True
    while changed:
        changed = False
        for name in list(sequences & set(definitions)):
            if not all(_is_scalar_atom(e, scalar) for s in definitions[name] for e in s.value.elts):
                sequences.discard(name)
                changed = True
        for name, stmts in definitions.items():
            if name in scalar and not all(_is_scalar_op(s.value, s, scalar, resolve, sequences) for s in stmts):
                scalar.discard(name)
                changed = True
    return scalar


def _is_scalar_atom(atom, scalar: set[str]) -> bool:
    if isinstance(atom, gast.Constant):
        return isinstance(atom.value, numbers.Number) or atom.value is None
    if isinstance(atom, gast.UnaryOp) and isinstance(atom.operand, gast.Constant):
        return True
    if isinstance(atom, gast.Name):
        return atom.id in scalar
    return False


def _is_scalar_op(op, stmt, scalar: set[str], resolve, sequences=frozenset()) -> bool:
    if isinstance(op, gast.Subscript):
        return isinstance(op.value, gast.Name) and op.value.id in sequences and _is_scalar_atom(op.slice, scalar)
    if isinstance(op, (gast.Name, gast.Constant)):
        return _is_scalar_atom(op, scalar)
    if isinstance(op, gast.BinOp):
        return not isinstance(op.op, gast.MatMult) and _is_scalar_atom(op.left, scalar) and _is_scalar_atom(op.right, scalar)
    if isinstance(op, gast.UnaryOp):
        return _is_scalar_atom(op.operand, scalar)
    if isinstance(op, gast.Compare):
        return all(_is_scalar_atom(a, scalar) for a in [op.left, *op.comparators])
    if isinstance(op, gast.BoolOp):
        return all(_is_scalar_atom(a, scalar) for a in op.values)
    if isinstance(op, gast.Call):
        prim = resolve(op, stmt)
        if isinstance(prim.rule, AdjointRule) and prim.rule.scalar_result:
            return True
        operands = list(prim.args) + list(prim.keywords.values())
        elementwise = isinstance(prim.key, np.ufunc) or prim.key in _ELEMENTWISE_BUILTINS
        return elementwise and all(_is_scalar_atom(a, scalar) for a in operands)
    return False


def container_names(body, container_params: set[str], resolve) -> set[str]:
    """Names that may hold a tuple, list or dict: their adjoints add element by element."""
    containers = set(container_params) | {s.s2s_append for s in appends(body)}
    stmts = list(assignments(body))
    changed = True
    while changed:
        changed = False
        for stmt in stmts:
            target, op = stmt.targets[0].id, stmt.value
            if target in containers:
                continue
            holds = isinstance(op, (gast.Tuple, gast.List, gast.Dict))
            holds = holds or (isinstance(op, gast.Name) and op.id in containers)
            holds = holds or (isinstance(op, gast.Subscript) and isinstance(op.value, gast.Name)
                              and op.value.id in containers)
            holds = holds or (isinstance(op, gast.Call) and resolve(op, stmt).rule == CALL)
            holds = holds or (isinstance(op, gast.Attribute) and resolve(op, stmt).rule == FIELD)
            if holds:
                containers.add(target)
                changed = True
    return containers
