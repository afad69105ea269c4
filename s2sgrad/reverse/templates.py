"""Paste a rule's adjoint expressions into the generated code, with real names."""
from __future__ import annotations

import builtins

import gast

from ..errors import UnsupportedConstructError
from ..ir.copying import copy_program
from ..optimize import simplify
from ..rules import Rule, RuleError


class Bindings:
    """Objects the generated code refers to by name (np, math, unbroadcast, ...).

    Each gets the name rule templates use, unless the user's function already
    uses that name for something else; then it gets a fresh one.
    """

    def __init__(self, namer, user_names: set[str], user_namespace: dict, runtime: dict | None = None,
                 user_locals: set[str] = frozenset()):
        self._namer = namer
        self._user_names = user_names
        self._user_locals = user_locals        # the names the function assigns or takes as parameters
        self._user_namespace = user_namespace
        self.objects: dict[str, object] = {}      # emitted name -> object
        self._emitted: dict[int, str] = {}
        for name, obj in (runtime or {}).items():     # helpers the single-assignment form calls by name already
            self.objects[name] = obj
            self._emitted[id(obj)] = name

    def name_for(self, canonical: str, obj) -> str:
        key = id(obj)
        if key in self._emitted:
            return self._emitted[key]
        name = canonical
        if name in self._user_names:
            # the user's function refers to the global of that name: the same object can share it, unless the
            # function also assigns the name (`solve_adjoint_a = ...`, the result of forward mode over the
            # runtime helper solve_adjoint_a itself), whose local would hide the helper from the generated code
            clashes = self._user_namespace.get(name, _ABSENT) is not obj or name in self._user_locals
        else:               # a local the transform named (the result, named after the function: a runtime
            clashes = self._namer.is_taken(name) and name not in self.objects      # helper's own gradient)
        if clashes or (name in self.objects and self.objects[name] is not obj):
            name = self._namer.version(canonical)
        else:
            self._namer.reserve(name)
        self.objects[name] = obj
        self._emitted[key] = name
        return name


_ABSENT = object()


def local_names(tree) -> set[str]:
    """The names a function's tree assigns, deletes or takes as parameters (Bindings' `user_locals`)."""
    return {n.id for n in gast.walk(tree) if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)}


def bind_arguments(rule: Rule, args, keywords, location):
    """Operand atoms for each of the rule's parameters (defaults filled in)."""
    args, spread = _spread_into_variadic(rule, args)
    if any(isinstance(a, gast.Starred) for a in args) or None in keywords:
        raise UnsupportedConstructError(
            f"a starred argument `*args` or `**kwargs` in a call to `{rule.name}`, whose length s2sgrad "
            "cannot tell when it builds the gradient", location,
            "pass the arguments one by one, or spread a tuple or list the function builds with a display "
            "(`shape = (n, m)`, then `*shape`), so s2sgrad can match them to the derivative rule")
    try:
        bound = rule.signature.bind(*args, **keywords)
    except TypeError as exc:
        raise UnsupportedConstructError(
            f"this call to `{rule.name}`: its arguments do not match the derivative rule's "
            f"parameters ({rule.params_text or rule.signature}) — {exc}", location,
            "call it with the arguments the rule names (for several values, nest the calls: "
            "max(max(a, b), c)), or register a rule for this form (docs/functions.md)",
        ) from None
    bound.apply_defaults()
    if spread is not None:
        bound.arguments[spread[0]] = spread[1]
    values = {}
    for name, value in bound.arguments.items():
        if isinstance(value, tuple):
            value = gast.Tuple(elts=list(value), ctx=gast.Load())
        elif isinstance(value, dict):
            value = gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in value], values=list(value.values()))
        values[name] = value
    return values


def _spread_into_variadic(rule: Rule, args):
    """`np.broadcast_arrays(*arrays)`, `x.reshape(*shape)`: a last positional spread (of a length not known
    when the gradient is built: ssa/spreads.py wrote out the others) that lands on the rule's own `*args`
    parameter is that parameter's value as a whole (a tuple or list, whose adjoint is one per element).
    A multilinear rule takes its product one operand at a time, so it needs the operands one by one."""
    if not args or not isinstance(args[-1], gast.Starred) or rule.facts.multilinear \
            or any(isinstance(a, gast.Starred) for a in args[:-1]):
        return args, None
    positional = [p for p in rule.signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    place = len(args) - 1
    if place >= len(positional) or positional[place].kind is not positional[place].VAR_POSITIONAL:
        return args, None
    return args[:-1], (positional[place].name, args[-1].value)


def instantiate(template: gast.expr, rule: Rule, operands: dict, result: gast.expr,
                seed: str, bindings: Bindings) -> gast.expr:
    """The template with parameters, result and seed replaced; helpers renamed as bound."""
    replacements = {**operands, rule.result: result,
                    rule.seed: gast.Name(id=seed, ctx=gast.Load(), annotation=None, type_comment=None)}
    expr = _Substitute(replacements, rule, bindings, _local_names(template)).copy(template)
    return simplify(expr)


_ATOMIC = frozenset({str, int, float, bool, complex, bytes, type(None), type(Ellipsis)})
_LOCAL_NAMES: dict = {}         # id(template) -> (template, the names it binds): templates are the table's


def _local_names(template) -> set:
    """Names a comprehension or lambda in the template binds itself (once per template, not per use)."""
    found = _LOCAL_NAMES.get(id(template))
    if found is None or found[0] is not template:
        found = _LOCAL_NAMES[id(template)] = (template, {
            n.id for n in gast.walk(template) if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Param))})
    return found[1]


class _Substitute:
    """Copies a template with its names substituted, in one walk (a copy, then a NodeTransformer over
    it, took a quarter of a transformation's time)."""

    def __init__(self, replacements, rule, bindings, local):
        self.replacements = replacements
        self.rule = rule
        self.bindings = bindings
        self.local = local

    def copy(self, node):
        cls = type(node)
        new = cls.__new__(cls)
        state = new.__dict__
        for key, value in node.__dict__.items():
            if isinstance(value, gast.AST):
                value = self.copy(value)
            elif type(value) is list:
                value = [self.copy(item) if isinstance(item, gast.AST) else copy_program(item) for item in value]
            elif type(value) not in _ATOMIC:
                value = copy_program(value)
            state[key] = value
        return self.visit_Name(new) if cls is gast.Name else new

    def visit_Name(self, node):
        if node.id in self.local:
            return node
        if node.id in self.replacements:
            return copy_program(self.replacements[node.id])
        if node.id in self.rule.namespace:
            node.id = self.bindings.name_for(node.id, self.rule.namespace[node.id])
            return node
        if hasattr(builtins, node.id):
            node.id = self.bindings.name_for(node.id, getattr(builtins, node.id))
            return node
        raise RuleError(f"the rule for {self.rule.name} uses `{node.id}`, which is neither one of its "
                        "parameters nor a name in the rule's namespace")
