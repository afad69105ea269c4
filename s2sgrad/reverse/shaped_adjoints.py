"""Adjoints written for known shapes, as a person would write them.

`matmul_adjoint_left(dy, a, b)` handles every rank `@` accepts (vectors,
stacks of matrices); when the operands are known to be a matrix and a matrix
or a vector (a gradient specialized on shapes, analysis/shapes.py) the adjoint
is just `dy @ b.T`, `b @ dy` or `a.T @ dy`: no call, no rank tests, and `a` or
`b` read only where the product needs it. Likewise `unbroadcast` gets its
axes written out (`reduce_to`), and `unreduce` and `element_count` of a value
of known shape need not look at it.
"""
from __future__ import annotations

import math

import gast
import numpy as np

from ..runtime import shaped
from ..runtime.arrays import unreduce
from ..runtime.namespace import element_count
from ..ssa import ast_build as build

_MATMUL = (gast.MatMult, np.matmul)


def shaped_adjoint(key, param: str, operands: dict, seed: str, facts: dict) -> gast.expr | None:
    """The adjoint of `param` for an operation whose operands' shapes are known, or None (use the rule's)."""
    if not facts or not _is_matmul(key) or set(operands) != {"a", "b"}:
        return None
    a, b = operands["a"], operands["b"]
    na, nb = _ndim(a, facts), _ndim(b, facts)
    dy = build.load(seed)
    if param == "a" and nb == 2 and na in (1, 2):
        # y = a @ B: da = dy @ B.T; for a vector a, y = B.T @ a and da = B @ dy
        if na == 2:
            return gast.BinOp(left=dy, op=gast.MatMult(), right=_transposed(b))
        return gast.BinOp(left=build.load(b.id), op=gast.MatMult(), right=dy)
    if param == "b" and na == 2 and nb in (1, 2):
        return gast.BinOp(left=_transposed(a), op=gast.MatMult(), right=dy)
    return None


def _is_matmul(key) -> bool:
    return any(key is k for k in _MATMUL)


def _ndim(atom, facts: dict) -> int | None:
    fact = facts.get(atom.id) if isinstance(atom, gast.Name) else None
    return len(fact.shape) if fact is not None and fact.shape is not None else None


def _transposed(atom: gast.Name) -> gast.expr:
    return gast.Attribute(value=build.load(atom.id), attr="T", ctx=gast.Load())


def reduced_to_operand(expr: gast.expr, operand: str, result: str, facts: dict, bind) -> gast.expr | None:
    """`unbroadcast(expr, operand)` with the axes to sum read from known shapes: `reduce_to(expr, operand,
    axes, kept)` (runtime/shaped.py), or None when a shape is not known. `expr` has the result's shape."""
    of_operand, of_result = facts.get(operand), facts.get(result)
    if of_operand is None or of_result is None or of_operand.shape is None or of_result.shape is None:
        return None
    small, large = of_operand.shape, of_result.shape
    extra = len(large) - len(small)
    if extra < 0 or any(n != 1 and n != m for n, m in zip(small, large[extra:])):
        return None
    axes = tuple(range(extra))
    kept = tuple(i for i, n in enumerate(small) if n == 1 and large[extra + i] != 1)
    arguments = [expr, build.load(operand), _int_tuple(axes)] + ([_int_tuple(kept)] if kept else [])
    return build.call(bind("reduce_to", shaped.reduce_to), *arguments)


def with_known_shapes(expr: gast.expr, facts: dict, helpers: dict, bind) -> gast.expr:
    """A rule's adjoint with the shape queries it makes answered: `element_count(x)` of a value of known
    shape becomes the count, `unreduce(g, x)` of a floating array of known shape `spread(g, x)`."""
    if not facts:
        return expr
    return _KnownShapes(facts, helpers, bind).visit(expr)


class _KnownShapes(gast.NodeTransformer):
    def __init__(self, facts, helpers, bind):
        self.facts, self.helpers, self.bind = facts, helpers, bind

    def visit_Call(self, node):
        self.generic_visit(node)
        if not isinstance(node.func, gast.Name) or node.keywords:
            return node
        helper = self.helpers.get(node.func.id)
        fact = self.facts.get(node.args[-1].id) if node.args and isinstance(node.args[-1], gast.Name) else None
        if fact is None or fact.shape is None:
            return node
        if helper is element_count and len(node.args) == 1:
            return build.const(math.prod(fact.shape))
        if helper is unreduce and len(node.args) == 2 and fact.kind == "f" and fact.shape:     # an ndarray
            return build.call(self.bind("spread", shaped.spread), *node.args)
        return node


def _int_tuple(values) -> gast.Tuple:
    return gast.Tuple(elts=[build.const(v) for v in values], ctx=gast.Load())
