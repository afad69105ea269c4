"""An attribute or method of a NumPy value without a rule (`x.flat`, `x.compress(...)`), refused where it is
written when the kinds of the call prove the value is a NumPy one.

Without a rule, `x.flat` reads as a field of one of the user's objects (an object may well have a field
called `flat`), and `x.compress(m)` as a call of a method of one: the reverse sweep then finds an array
where it expected an object and stops there, at run time (runtime/indexing.py `add_at`). Where the call's
arguments say the value is a NumPy array or scalar (a parameter passed an array, arithmetic on one, a ufunc's
result, an element of one), the transform stops at once with the same located message.
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import NoDerivativeRuleError
from ..ir.nodes import Operation
from ..ssa.user_terms import terms_of
from .primitives import CALL, COPY, FIELD, SUBSCRIPT

# what of ndarray's has no rule and gives values of the array's elements, so a derivative would flow through it
# (the others give integers, bytes, flags or None, or write in place, which ssa/ refuses apart: no adjoint
# reaches them, and `x[x.argpartition(2)]` differentiates through the indexing)
CARRYING = frozenset({"flat", "compress", "view", "base", "getfield", "byteswap"})

HINT = ("use a NumPy function s2sgrad knows (docs/functions_supported.md: x.ravel()[i] for x.flat[i], "
        "x[..., mask] for x.compress(mask, axis=-1)), or register a rule with s2sgrad.defvjp")


def numpy_values(ir, array_params) -> set[str]:
    """Names that hold a NumPy array or NumPy scalar on every path: the parameters in `array_params`, and
    what copying, arithmetic, a ufunc or indexing makes of them (least fixpoint over loops)."""
    definitions: dict[str, list] = {}
    for node in ir.walk():
        if isinstance(node, Operation):
            definitions.setdefault(node.target, []).append(node)
    known = set(array_params) - set(definitions)        # a parameter assigned again may change kind
    changed = True
    while changed:
        changed = False
        for name, operations in definitions.items():
            if name not in known and all(_makes_numpy_value(op, known) for op in operations):
                known.add(name)
                changed = True
    return known


def _makes_numpy_value(op: Operation, known) -> bool:
    prim, value = op.primitive, op.node.value
    held = [isinstance(a, gast.Name) and a.id in known for a in prim.args]
    if isinstance(value, (gast.BinOp, gast.UnaryOp)):
        return any(held)            # ndarray's operators answer first: an ndarray or a NumPy scalar
    if prim.rule in (COPY, SUBSCRIPT):
        return held[0]
    return isinstance(prim.key, np.ufunc) and any(held)


def refuse_array_attributes(ir, source, resolve, array_params, varied, fields=True) -> None:
    """Stop, naming the line, where a value carrying derivatives is read through an attribute (with `fields`)
    or a method of a NumPy value that has no rule."""
    known = numpy_values(ir, array_params)
    if not known:
        return
    for node in ir.walk():
        if not isinstance(node, Operation) or node.target not in varied:
            continue
        prim = node.primitive
        if prim.rule is FIELD and fields:
            receiver, attribute = prim.args[0], node.node.value.attr
        elif prim.rule is CALL and isinstance(prim.callee, gast.Attribute) and prim.receiver is not None:
            receiver, attribute = prim.receiver, prim.callee.attr
        else:
            continue
        if isinstance(receiver, gast.Name) and receiver.id in known and attribute in CARRYING:
            raise NoDerivativeRuleError(
                f"the array attribute or method `.{attribute}`: it has no derivative rule "
                f"(`{terms_of(source).expression(receiver)}` is a NumPy value here)", source.location(node.node),
                hint=HINT)


__all__ = ["numpy_values", "refuse_array_attributes"]
