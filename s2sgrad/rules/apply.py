"""Apply one entry of the primitive table to values: its result, its adjoints, its tangent.

The generated code pastes rule templates into Python source. This module
evaluates the same templates on concrete values, with the same conventions
(`unbroadcast` for adjoints of broadcasting primitives, the result's shape for
their tangents, zeros for inactive operands of a linear primitive), so checks
that walk the whole table can exercise every rule without generating code.
"""
from __future__ import annotations

import ast
import builtins
import operator

import gast

from ..runtime.arrays import unbroadcast, zeros_like
from ..runtime.containers import add_adjoints
from ..runtime.tangents import broadcast_like
from .registry import SAME_OPERATION, Rule

OPERATORS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Div: operator.truediv,
    gast.Pow: operator.pow, gast.Mod: operator.mod, gast.MatMult: operator.matmul, gast.FloorDiv: operator.floordiv,
    gast.USub: operator.neg, gast.UAdd: operator.pos,
}


def primitive_function(key):
    """A plain callable for a table key: f(*args, **kwargs), the receiver first for methods and attributes."""
    if key in OPERATORS:
        return OPERATORS[key]
    if isinstance(key, tuple) and key[0] == "method":
        return lambda receiver, *args, **kwargs: getattr(receiver, key[1])(*args, **kwargs)
    if isinstance(key, tuple) and key[0] == "attr":
        return lambda receiver: getattr(receiver, key[1])
    if not callable(key) and hasattr(key, "__getitem__"):         # np.r_[a, b]: its items are the arguments
        return lambda *items: key[items]
    return key


class Bound(dict):
    """Parameter -> value, defaults included; `given` names the arguments the call itself passed."""

    given: tuple = ()


def bind(rule: Rule, args, kwargs) -> Bound:
    """The rule's parameters bound to values, defaults included (evaluated as the rule wrote them)."""
    bound = rule.signature.bind(*args, **kwargs)
    values = Bound(bound.arguments)
    values.given = tuple(bound.arguments)
    for name, p in rule.signature.parameters.items():
        if name in values:
            continue
        if name in rule.defaults:
            values[name] = _evaluate(rule.defaults[name], rule, {})
        elif p.kind is p.VAR_POSITIONAL:
            values[name] = ()
        elif p.kind is p.VAR_KEYWORD:
            values[name] = {}
    return values


def adjoints(rule: Rule, values: dict, y, dy, active) -> dict:
    """{parameter: its adjoint} for the `active` parameters, given the result's adjoint `dy`."""
    all_scalar = _all_scalar(values)
    names = {**values, rule.result: y, rule.seed: dy}
    out = {}
    for param in active:
        template = rule.template_for(param, all_scalar)
        if template is None:
            raise KeyError(f"{rule.name} has no adjoint for {param}")
        value = _evaluate(template, rule, names)
        if rule.broadcasts and not all_scalar:
            value = unbroadcast(value, values[param])
        out[param] = value
    return out


def tangent(rule: Rule, key, values: dict, y, tangents: dict):
    """The result's tangent, given {parameter: tangent} for the active parameters."""
    all_scalar = _all_scalar(values)
    total = None
    for param, t in tangents.items():
        template = rule.tangent_for(param, all_scalar)
        if template is None:
            raise KeyError(f"{rule.name} has no forward rule for {param}")
        if template == SAME_OPERATION:
            contributions = _same_operation(rule, key, values, param, tangents)
        else:
            names = {**values, rule.result: y, Rule.tangent_name(param): t}
            contributions = [_evaluate(template, rule, names)]
        for value in contributions:
            if rule.broadcasts and not all_scalar:
                value = broadcast_like(value, y)
            total = value if total is None else add_adjoints(total, value)
    return total


def _same_operation(rule, key, values, param, tangents) -> list:
    """The primitive applied to tangents: all of them at once if it is linear, one at a time if multilinear."""
    function = primitive_function(key)
    if rule.facts.linear:
        if param != next(iter(tangents)):       # a linear primitive's tangent takes all tangents in one call
            return []
        substituted = _with(values, {})
        for name in rule.tangents:
            if name in values:
                substituted[name] = tangents[name] if name in tangents else zeros_like(values[name])
        return [_call(function, rule, substituted)]
    if _is_variadic(rule, param):                # np.einsum(s, *operands): one operand at a time
        out = []
        for i, t in enumerate(tangents[param]):
            if t is not None:
                operands = list(values[param])
                operands[i] = t
                out.append(_call(function, rule, _with(values, {param: tuple(operands)})))
        return out
    return [_call(function, rule, _with(values, {param: tangents[param]}))]


def _with(values, changes) -> Bound:
    out = Bound({**values, **changes})
    out.given = getattr(values, "given", tuple(values))
    return out


def _is_variadic(rule, param) -> bool:
    return rule.signature.parameters[param].kind is rule.signature.parameters[param].VAR_POSITIONAL


def _call(function, rule, values):
    """Call the primitive with the arguments the original call gave (by position until one was left out)."""
    given = getattr(values, "given", tuple(values))
    args, kwargs, positional = [], {}, True
    for name, p in rule.signature.parameters.items():
        if name not in given:
            positional = positional and p.kind is p.VAR_POSITIONAL
            continue
        if p.kind is p.VAR_POSITIONAL:
            args.extend(values[name])
        elif p.kind is p.VAR_KEYWORD:
            kwargs.update(values[name])
        elif p.kind is p.KEYWORD_ONLY or not positional:
            kwargs[name] = values[name]
        else:
            args.append(values[name])
    return function(*args, **kwargs)


def _all_scalar(values) -> bool:
    return all(isinstance(v, (int, float)) or v is None for v in values.values())


def _evaluate(template, rule, names):
    tree = gast.gast_to_ast(gast.Expression(body=template))
    code = compile(ast.fix_missing_locations(tree), f"<rule for {rule.name}>", "eval")
    return eval(code, {"__builtins__": builtins, **rule.namespace}, names)   # noqa: S307 (the table's own text)
