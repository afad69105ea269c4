"""Algebraic clean-up of adjoint expressions, so they read like a derivation.

Rule templates are general (`dy * b * a ** (b - 1)`); once real operands are
pasted in, many collapse: `dv * 1` is `dv`, `2 * t1 ** (2 - 1)` is `2 * t1`,
`dJ * 3` reads better as `3 * dJ`. Only rewrites that hold for floats and
NumPy arrays alike are made (no `0 * x -> 0`, which would lose an array's shape).
"""
from __future__ import annotations

import numbers
import operator

import gast

_FOLD = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
    gast.Div: operator.truediv, gast.Pow: operator.pow, gast.FloorDiv: operator.floordiv,
}
_COMPARE = {gast.Is: operator.is_, gast.IsNot: operator.is_not, gast.Eq: operator.eq, gast.NotEq: operator.ne}


def simplify(node: gast.expr) -> gast.expr:
    """Simplify bottom-up; returns a new or the same node."""
    for field, value in gast.iter_fields(node):
        if isinstance(value, gast.expr):
            setattr(node, field, simplify(value))
        elif isinstance(value, list):
            setattr(node, field, [simplify(v) if isinstance(v, gast.expr) else v for v in value])
    if isinstance(node, gast.BinOp):
        return _binop(node)
    if isinstance(node, gast.UnaryOp):
        return _unary(node)
    if isinstance(node, gast.BoolOp):
        node = _boolop(node)
    if isinstance(node, gast.IfExp):
        test = _constant(node.test)
        if test is not _NOT_CONSTANT:
            return node.body if test else node.orelse
    if isinstance(node, gast.Call):
        return _call(node)
    if isinstance(node, gast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        left, right = _constant(node.left), _constant(node.comparators[0])
        if left is not _NOT_CONSTANT and right is not _NOT_CONSTANT:
            return gast.Constant(value=_COMPARE[type(node.ops[0])](left, right), kind=None)
    return node


_NOT_CONSTANT = object()


def _boolop(node: gast.BoolOp) -> gast.expr:
    """`True and x` is x, `False and x` is False (`or` likewise): a rule's tests on defaults that the
    call left as they are (`where is True and initial == 1`) fold away with the branch they guard."""
    stops = isinstance(node.op, gast.And)       # a falsy operand ends `and`, a truthy one ends `or`
    values = list(node.values)
    while len(values) > 1:
        first = _constant(values[0])
        if first is _NOT_CONSTANT:
            break
        if bool(first) != stops:
            return values[0]
        values.pop(0)
    if len(values) == 1:
        return values[0]
    node.values = values
    return node


def _call(node: gast.Call) -> gast.Call:
    """f(a, *(), **{}) is f(a): a rule's `*args, **kwargs` that the call it stands for left empty."""
    node.args = [a for a in node.args if not (
        isinstance(a, gast.Starred) and isinstance(a.value, (gast.Tuple, gast.List)) and not a.value.elts)]
    node.keywords = [k for k in node.keywords if not (
        k.arg is None and isinstance(k.value, gast.Dict) and not k.value.keys)]
    return node


def _constant(node):
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant) \
            and isinstance(node.operand.value, numbers.Number):
        return -node.operand.value
    return _NOT_CONSTANT


def _number(node):
    value = _constant(node)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    return _NOT_CONSTANT


def _make_number(value) -> gast.expr:
    # Python writes a negative number, or a negative imaginary one (-1j), as the minus of a literal
    negative = value.imag < 0 if isinstance(value, complex) and value.real == 0 else \
        not isinstance(value, complex) and value < 0
    if negative:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-value, kind=None))
    return gast.Constant(value=value, kind=None)


def _binop(node: gast.BinOp) -> gast.expr:
    left, right = _number(node.left), _number(node.right)
    op = type(node.op)
    if left is not _NOT_CONSTANT and right is not _NOT_CONSTANT and op in _FOLD:
        try:
            return _make_number(_FOLD[op](left, right))
        except (ZeroDivisionError, OverflowError, ValueError):
            return node
    if op is gast.Mult:
        if right == 1:
            return node.left
        if left == 1:
            return node.right
        if right == -1:
            return _unary(gast.UnaryOp(op=gast.USub(), operand=node.left))
        if left == -1:
            return _unary(gast.UnaryOp(op=gast.USub(), operand=node.right))
        if right is not _NOT_CONSTANT and left is _NOT_CONSTANT:     # dJ * 3 -> 3 * dJ
            return _binop(gast.BinOp(left=node.right, op=node.op, right=node.left))
        if left is not _NOT_CONSTANT and isinstance(node.right, gast.BinOp) and isinstance(node.right.op, gast.Mult):
            inner = _number(node.right.left)
            if inner is not _NOT_CONSTANT:                             # 2 * (3 * x) -> 6 * x
                return _binop(gast.BinOp(left=_make_number(left * inner), op=node.op, right=node.right.right))
        if isinstance(node.left, gast.UnaryOp) and isinstance(node.left.op, gast.USub) \
                and _number(node.left) is _NOT_CONSTANT:               # (-a) * b -> -(a * b) reads as -a * b
            return node
    if op in (gast.Add, gast.Sub) and (right == 0 or _constant(node.right) is False):
        return node.left        # `b - 1 + (b == 0)` of a number b: `(3 == 0)` folded to False
    if op is gast.Add and left == 0:
        return node.right
    if op is gast.Div and right == 1:
        return node.left
    if op is gast.Pow and right == 1:
        return node.left
    if op in (gast.Add, gast.Sub):           # a + -b*c -> a - b*c;  a - -b/c -> a + b/c
        positive = _without_leading_minus(node.right)
        if positive is not None:
            flipped = gast.Sub() if op is gast.Add else gast.Add()
            return gast.BinOp(left=node.left, op=flipped, right=positive)
    return node


def _without_leading_minus(node):
    """`b * c` for `-b * c` (the minus of a product's first factor), None if there is no leading minus."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        return node.operand
    if isinstance(node, gast.BinOp) and isinstance(node.op, (gast.Mult, gast.Div)):
        inner = _without_leading_minus(node.left)
        if inner is not None:
            return gast.BinOp(left=inner, op=node.op, right=node.right)
    return None


def _unary(node: gast.UnaryOp) -> gast.expr:
    if isinstance(node.op, gast.UAdd):
        return node.operand
    if isinstance(node.op, gast.USub):
        value = _number(node.operand)
        if value is not _NOT_CONSTANT:
            return _make_number(-value)
        inner = node.operand
        if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
            return inner.operand
    return node
