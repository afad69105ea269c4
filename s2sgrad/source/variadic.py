"""A function taking `*args` or `**kwargs`, bound to one call's shape.

Derivatives flow through named parameters: each differentiated input is a
parameter of the generated code, with an adjoint or a tangent of its own. A
`def norm2(*xs)` called as `norm2(a, b, c)` has no such parameters, so it is
read as the function that call runs, with `*xs` and `**opts` spelled out
(`inspect.Signature.bind` done at transform time, where the number of
positional arguments and the keywords are known):

    def norm2(*xs):                    def norm2(xs_0, xs_1, xs_2):
        return sum(x * x for x in xs)  ->  xs = (xs_0, xs_1, xs_2)
                                           return sum(x * x for x in xs)

    def scaled(x, **opts):             def scaled(x, *, scale):
        return x * opts["scale"]       ->  opts = {'scale': scale}
                                           return x * opts['scale']

The tuple and the dict are then ordinary values the function built, whose
adjoints the rules for tuples and dicts already follow. A forwarding wrapper
(`def g(*a, **k): return h(*a, **k)`) has its spreads written out too, where
the tuple and the dict cannot have changed: `return h(a_0, a_1, y=y)`, an
ordinary call whose arguments carry their derivatives in both modes.

A call shape is one transformation: `norm2` called with three arguments and
with four are two, as JAX retraces for a new number of arguments.
"""
from __future__ import annotations

import keyword
import re
import types
from dataclasses import dataclass

import gast

CO_VARARGS, CO_VARKEYWORDS = 0x04, 0x08


@dataclass(frozen=True)
class CallShape:
    """What a call puts into `*args` and `**kwargs`: how many positional values, which keywords."""

    extra_positional: int
    keywords: tuple[str, ...]


def is_variadic(function) -> bool:
    """A function with `*args` or `**kwargs`, other than a decorator's `functools.wraps` wrapper (which
    decorated.py gives the parameters of the function it wraps)."""
    return isinstance(function, types.FunctionType) \
        and bool(function.__code__.co_flags & (CO_VARARGS | CO_VARKEYWORDS)) \
        and getattr(function, "__wrapped__", None) is None


def call_shape(function, n_positional: int, keywords) -> CallShape | None:
    """The shape of `function(*n_positional values, **keywords)`, or None for a function without
    `*args`/`**kwargs`."""
    if not is_variadic(function):
        return None
    code = function.__code__
    named = set(code.co_varnames[code.co_posonlyargcount:code.co_argcount + code.co_kwonlyargcount])
    extra = max(n_positional - code.co_argcount, 0) if code.co_flags & CO_VARARGS else 0
    spread = tuple(k for k in keywords if k not in named) if code.co_flags & CO_VARKEYWORDS else ()
    return CallShape(extra, spread)


def reaches_variadic(function, active) -> bool:
    """Whether an active argument (a position as passed, or a keyword's name) lands in `*args`/`**kwargs`."""
    if not is_variadic(function):
        return False
    code = function.__code__
    named = set(code.co_varnames[code.co_posonlyargcount:code.co_argcount + code.co_kwonlyargcount])
    return any(a >= code.co_argcount if isinstance(a, int) else a not in named and a != "self"
               for a in active)


@dataclass(frozen=True)
class BoundNames:
    """The parameters a call shape gives the bound function: one per value in `*args`, and one per
    keyword in `**kwargs` (named as the keyword unless the function already uses that name)."""

    star: str | None
    positional: tuple[str, ...]
    double_star: str | None
    keywords: dict                     # the call's keyword -> the bound function's parameter

    def __hash__(self):
        return hash((self.star, self.positional, self.double_star, tuple(self.keywords.items())))

    def renamed(self, kwargs: dict) -> dict:
        """A call's keyword arguments under the bound function's parameter names."""
        names = self.keywords
        if all(names.get(k, k) == k for k in kwargs):
            return kwargs
        return {names.get(k, k): v for k, v in kwargs.items()}


def bound_names(function, shape: CallShape) -> BoundNames:
    code = function.__code__
    used = _names_used(code)
    n_named = code.co_argcount + code.co_kwonlyargcount
    star = code.co_varnames[n_named] if code.co_flags & CO_VARARGS else None
    double_star = code.co_varnames[n_named + bool(star)] if code.co_flags & CO_VARKEYWORDS else None
    positional = tuple(_fresh(f"{star}_{i}", used) for i in range(shape.extra_positional))
    keywords = {}
    for k in shape.keywords:
        plain = k.isidentifier() and not keyword.iskeyword(k)
        keywords[k] = _fresh(k if plain and k not in used else f"{double_star}_{re.sub(r'[^0-9a-zA-Z_]', '_', k)}",
                             used)
    return BoundNames(star, positional, double_star, keywords)


def bound_signature(signature, names: BoundNames):
    """`signature` with `*args` and `**kwargs` replaced by the bound parameters (how the bound function's
    arguments are named: for `wrt` and for telling numbers from arrays)."""
    kinds = signature.parameters.values()
    P = type(next(iter(kinds)))
    positional = [p for p in kinds if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    if names.positional:                 # every named positional parameter was passed: no defaults remain
        positional = [p.replace(default=P.empty) for p in positional]
    keyword_only = [p for p in kinds if p.kind is P.KEYWORD_ONLY]
    return signature.replace(parameters=[
        *positional, *[P(n, P.POSITIONAL_OR_KEYWORD) for n in names.positional],
        *keyword_only, *[P(n, P.KEYWORD_ONLY) for n in names.keywords.values()]])


def bind_call_shape(src, shape: CallShape) -> BoundNames:
    """Rewrite `src.tree` in place into the function the call shape runs (module docstring)."""
    names = bound_names(src.function, shape)
    tree = src.tree
    args = tree.args
    prologue = []
    if args.vararg is not None:
        if names.positional:
            args.defaults = []
        args.args.extend(_param(n) for n in names.positional)
        args.vararg = None
        prologue.append((names.star, gast.Tuple(elts=[_load(n) for n in names.positional], ctx=gast.Load())))
    if args.kwarg is not None:
        args.kwonlyargs.extend(_param(n) for n in names.keywords.values())
        args.kw_defaults.extend(None for _ in names.keywords)
        args.kwarg = None
        prologue.append((names.double_star, gast.Dict(keys=[gast.Constant(value=k, kind=None) for k in names.keywords],
                                                      values=[_load(n) for n in names.keywords.values()])))
    _spell_out_spreads(tree, names)
    read = {n.id for n in gast.walk(tree) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
    statements = [gast.Assign(targets=[gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)],
                              value=value, type_comment=None)
                  for name, value in prologue if name in read]
    for stmt in statements:
        gast.copy_location(stmt, tree)          # an error about the packing names the def line
    tree.body[:0] = statements
    src.bound = names
    return names


def _spell_out_spreads(tree, names: BoundNames) -> None:
    """`h(*args)` becomes `h(args_0, args_1)` and `h(**kwargs)` becomes `h(y=y)`, in the function's own
    scope, where the tuple is never rebound and the dict never rebound nor changed."""
    own = list(_own_scope(tree))
    star_fixed = names.star is not None and not _rebound(tree, names.star)
    dict_fixed = names.double_star is not None and not _rebound(tree, names.double_star) and all(
        _reads_dict_only(n, parent, names.double_star) for n, parent in _with_parents(tree))
    for node, _ in own:
        if isinstance(node, (gast.Call, gast.List, gast.Tuple)) and star_fixed:
            elements = node.args if isinstance(node, gast.Call) else node.elts
            if isinstance(node, gast.Tuple) and not isinstance(node.ctx, gast.Load):
                continue
            spread = []
            for e in elements:
                if isinstance(e, gast.Starred) and _is_name(e.value, names.star):
                    spread.extend(_load(n) for n in names.positional)
                else:
                    spread.append(e)
            elements[:] = spread
        if isinstance(node, gast.Call) and dict_fixed:
            written = [k.arg for k in node.keywords if k.arg is not None]
            if any(k in written for k in names.keywords):
                continue                    # Python raises its own TypeError there: keep the call as written
            keywords = []
            for k in node.keywords:
                if k.arg is None and _is_name(k.value, names.double_star):
                    keywords.extend(gast.keyword(arg=key, value=_load(p)) for key, p in names.keywords.items())
                else:
                    keywords.append(k)
            node.keywords = keywords


_DICT_READS = {"get", "keys", "values", "items", "copy"}


def _reads_dict_only(node, parent, name) -> bool:
    """`name` is only read here: spread into a call, subscripted, or asked for its entries."""
    if not _is_name(node, name):
        return True
    if isinstance(parent, gast.keyword) and parent.arg is None:
        return True
    if isinstance(parent, gast.Subscript) and isinstance(parent.ctx, gast.Load):
        return True
    if isinstance(parent, gast.Attribute) and parent.attr in _DICT_READS:
        return True
    return isinstance(parent, (gast.Compare, gast.Call)) and _only_len_or_in(parent, node)


def _only_len_or_in(parent, node) -> bool:
    if isinstance(parent, gast.Compare):        # `"key" in opts`
        return node is not parent.left and all(isinstance(op, (gast.In, gast.NotIn)) for op in parent.ops)
    return isinstance(parent.func, gast.Name) and parent.func.id in ("len", "sorted", "list") and node in parent.args


def _own_scope(tree):
    """(node, its parent) for every node of the function's body outside nested functions and lambdas."""
    stack = [(stmt, tree) for stmt in tree.body]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        if isinstance(node, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            continue
        stack.extend((child, node) for child in gast.iter_child_nodes(node))


def _with_parents(tree):
    """(node, its parent) for every node of the function, nested functions included."""
    for parent in gast.walk(tree):
        for child in gast.iter_child_nodes(parent):
            yield child, parent


def _rebound(tree, name) -> bool:
    """`name` is assigned, deleted, or declared global/nonlocal anywhere in the function, nested ones too."""
    for node in gast.walk(tree):
        if isinstance(node, gast.Name) and node.id == name and not isinstance(node.ctx, (gast.Load, gast.Param)):
            return True
        if isinstance(node, (gast.Global, gast.Nonlocal)) and name in node.names:
            return True
    return False


def _names_used(code) -> set:
    """Every name the function or a function nested in it reads or binds (a new parameter must not
    shadow a global, a builtin or a local)."""
    used = set(code.co_varnames) | set(code.co_names) | set(code.co_freevars) | set(code.co_cellvars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            used |= _names_used(const)
    return used


def _fresh(base: str, used: set) -> str:
    name, i = base, 1
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def _param(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Param(), annotation=None, type_comment=None)


def _load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _is_name(node, name) -> bool:
    return isinstance(node, gast.Name) and node.id == name
