"""Does a function change values outside itself? Such side effects carry no derivatives.

s2sgrad differentiates what a function returns. A nested def that accumulates
into a captured variable (`nonlocal total; total += v * v`), a lambda that
appends to an outer list, or a module-level helper that adds to a global
changes a value the differentiated function may read afterwards, and that
change has no adjoint: the gradient through it would silently be 0. So such
functions are refused, at the line of the declaration or mutation, with the
advice to return the value instead.

The check reads the syntax: a `global` or `nonlocal` declaration, an
assignment into an element or attribute (`xs[i] = v`, `xs[i] += v`,
`obj.a = v`, `del xs[i]`), a mutating method (`xs.append(v)`,
`d.update(...)`), `setattr`, or `out=` of a value the function did not
create itself. A value counts as created by the function when each of its
assignments builds a new one (a literal, a comprehension, a call); a plain
alias (`ys = xs`) is not. Calls the function makes to other Python functions
are followed, a few levels deep.
"""
from __future__ import annotations

import functools
import os
import sysconfig
import types
from dataclasses import dataclass

import gast

from ..codegen.loader import is_generated_function
from ..errors import UnsupportedConstructError
from ..source import read_function
from ..ssa.user_terms import UNNORMALIZED
from .resolve import dotted_name

MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove", "clear", "sort",
    "reverse", "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update",
    "fill", "put", "resize", "itemset", "setflags", "partition", "byteswap",
    "__setitem__", "__delitem__", "__setattr__", "__delattr__", "__iadd__", "__isub__", "__imul__",
    "__itruediv__",
})
# builtins and NumPy functions that write into their first argument
_WRITING_FUNCTIONS = frozenset({"setattr", "delattr", "np.copyto", "numpy.copyto", "np.put", "numpy.put",
                                "np.place", "numpy.place", "np.putmask", "numpy.putmask", "np.fill_diagonal",
                                "numpy.fill_diagonal", "np.random.shuffle", "numpy.random.shuffle"})
_FRESH_VALUES = (gast.List, gast.Dict, gast.Set, gast.Tuple, gast.ListComp, gast.DictComp, gast.SetComp,
                 gast.GeneratorExp, gast.Call, gast.BinOp, gast.UnaryOp, gast.Constant, gast.JoinedStr,
                 gast.Lambda, gast.Compare, gast.BoolOp)
FOLLOWED_CALLS = 3          # how many levels of calls to other Python functions are read


@dataclass(frozen=True)
class SideEffect:
    node: gast.AST            # the declaration or statement that changes an outside value
    what: str                 # e.g. "`nonlocal total`", "`out.append(...)` on `out`"


def first_side_effect(function: gast.AST, modules=frozenset(), nested_only: bool = False) -> SideEffect | None:
    """The first side effect a def or lambda has on values outside it (source order), its nested
    defs and lambdas included. `modules`: names that denote modules where it is defined (`np.sort(x)`
    and `np.add(a, b)` are functions of a module, not methods changing a value). `nested_only`: only
    those of its nested defs and lambdas (the function's own statements are known to change nothing
    outside it)."""
    return _first_in(function, frozenset(), frozenset(modules), nested_only)


def module_names(source) -> frozenset:
    """The names a FunctionSource's globals and closure cells give to modules."""
    names = {k for k, v in source.globals.items() if isinstance(v, types.ModuleType)}
    for name, cell in (source.closure or {}).items():
        try:
            value = cell.cell_contents if hasattr(cell, "cell_contents") else cell
        except ValueError:                  # an empty cell
            continue
        if isinstance(value, types.ModuleType):
            names.add(name)
    return frozenset(names)


def _first_in(function, outer_owned, modules=frozenset(), nested_only: bool = False) -> SideEffect | None:
    params = _parameters(function)
    owned = (set(outer_owned) - params) | _created_names(function, params)
    # a name rebound to a value built here before it changes (`xs = list(xs)`) owns it from there on
    owned_at = _OwnedAt(params, _declared(_body(function)))
    owned_at.block(_body(function))
    statement = None
    for node in _walk_scope(_body(function)):
        if isinstance(node, gast.stmt):
            statement = node
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda)):
            found = _first_in(node, owned, modules)      # a nested function may run later: every binding counts
        elif nested_only:
            continue
        else:
            found = _side_effect_of(node, owned | owned_at.before.get(id(statement), frozenset()), modules)
        if found is not None:
            return found
    return None


def _side_effect_of(node, owned: set[str], modules=frozenset(), terms=UNNORMALIZED) -> SideEffect | None:
    """`terms`: the user's names for a single-assignment form's (ssa/user_terms.py), for the message."""
    shown = terms.expression
    if isinstance(node, gast.Nonlocal):
        return SideEffect(node, f"`nonlocal {', '.join(node.names)}`")
    if isinstance(node, gast.Global):
        return SideEffect(node, f"`global {', '.join(node.names)}`")
    targets = []
    if isinstance(node, gast.Assign):
        targets = node.targets
    elif isinstance(node, (gast.AugAssign, gast.AnnAssign, gast.For)):
        targets = [node.target]
    elif isinstance(node, gast.Delete):
        targets = node.targets
    for target in targets:
        for store in _element_stores(target):
            root = _root_name(store)
            if root not in owned:
                return SideEffect(node, f"the assignment to `{shown(store)}`, which changes "
                                        f"`{terms.name(root) if root else shown(store.value)}` in place")
    if isinstance(node, gast.Call):
        func = node.func
        for keyword in node.keywords:       # first: `np.add(y, 1.0, out=y)` writes y, not np (add is a method)
            if keyword.arg == "out" and _root_name(keyword.value) not in owned:
                return SideEffect(node, f"`out={shown(keyword.value)}`, which changes it in place")
        if dotted_name(func) in _WRITING_FUNCTIONS:     # first: np.put writes its argument, not np
            if node.args and _root_name(node.args[0]) not in owned:
                return SideEffect(node, f"`{shown(func)}(...)`, which changes `{shown(node.args[0])}` in place")
        elif isinstance(func, gast.Attribute) and func.attr in MUTATING_METHODS \
                and not (isinstance(func.value, gast.Name) and func.value.id in modules - owned):
            root = _root_name(func.value)
            if root not in owned:
                return SideEffect(node, f"`{shown(func)}(...)`, which changes "
                                        f"`{terms.name(root) if root else shown(func.value)}` in place")
    return None


def _element_stores(target):
    """The element and attribute targets inside an assignment target (`a[i], b.c = ...`)."""
    if isinstance(target, (gast.Subscript, gast.Attribute)):
        return [target]
    if isinstance(target, (gast.Tuple, gast.List)):
        return [s for elt in target.elts for s in _element_stores(elt)]
    if isinstance(target, gast.Starred):
        return _element_stores(target.value)
    return []


def _root_name(node) -> str | None:
    """`xs` for xs[0].a[1]; None when the value is not reached through a name (`globals()[...]`)."""
    while isinstance(node, (gast.Subscript, gast.Attribute, gast.Starred)):
        node = node.value
    return node.id if isinstance(node, gast.Name) else None


def _created_names(function, params: set[str]) -> set[str]:
    """Names the function binds only to values it builds itself, never to a parameter or an alias."""
    body = _body(function)
    fresh: dict[str, bool] = {name: False for name in params}
    for node in _walk_scope(body):
        if isinstance(node, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For, gast.With)):
            for name, is_fresh in _bindings(node):
                fresh[name] = fresh.get(name, True) and is_fresh
    return {name for name, is_fresh in fresh.items() if is_fresh} - _declared(body)


def _declared(body) -> set[str]:
    return {name for node in _walk_scope(body) if isinstance(node, (gast.Global, gast.Nonlocal)) for name in node.names}


def _bindings(node):
    """(name, whether it is bound to a value built here) for each name a binding statement assigns."""
    if isinstance(node, gast.Assign):
        for target in node.targets:
            yield from _paired(target, node.value)
    elif isinstance(node, gast.AnnAssign) and node.value is not None:
        yield from _paired(node.target, node.value)
    else:       # loop targets, `as` names: may be aliases; `xs += ys` keeps xs's own object
        for name in _stored_names(node):
            yield name, isinstance(node, gast.AugAssign)


def _paired(target, value):
    """`p, q = [a, b], 3` binds p to a new list: the targets and a display's elements pair up."""
    if isinstance(target, gast.Name):
        yield target.id, isinstance(value, _FRESH_VALUES)
    elif isinstance(target, (gast.Tuple, gast.List)) and isinstance(value, (gast.Tuple, gast.List)) \
            and len(target.elts) == len(value.elts) and not any(isinstance(e, gast.Starred) for e in value.elts):
        for inner, element in zip(target.elts, value.elts):
            yield from _paired(inner, element)
    else:           # unpacking another value, starred targets: each name may alias an element
        yield from ((n.id, False) for n in gast.walk(target) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))


class _OwnedAt:
    """The names bound to a value the function built where each statement runs (`before`: id(statement) ->
    names), following the statements in order: both branches of an `if` must agree, and a loop's body
    is read until what holds at its start no longer changes (a later iteration's rebinding counts)."""

    def __init__(self, params: set[str], declared: set[str]):
        self.before: dict[int, frozenset] = {}
        self.state = {name: False for name in params | declared}
        self.declared = declared

    def block(self, stmts) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def statement(self, stmt) -> None:
        self.before[id(stmt)] = frozenset(n for n, fresh in self.state.items() if fresh)
        if isinstance(stmt, gast.If):
            self.branches([stmt.body, stmt.orelse])
        elif isinstance(stmt, (gast.For, gast.While)):
            self.loop(stmt)
        elif isinstance(stmt, gast.Try):
            # an exception may leave the body at any statement: what holds after is what all paths agree on
            self.branches([stmt.body, *[h.body for h in stmt.handlers], stmt.body + stmt.orelse], keep_start=True)
            self.block(stmt.finalbody)
        elif isinstance(stmt, gast.With):
            self.bind(stmt)
            self.block(stmt.body)
        elif isinstance(stmt, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
            self.bind(stmt)
        elif isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            self.state[stmt.name] = False
        elif hasattr(stmt, "cases"):                 # match: each case's body from the same start
            self.branches([case.body for case in stmt.cases] + [[]])

    def bind(self, stmt) -> None:
        for name, fresh in _bindings(stmt):
            self.state[name] = fresh and name not in self.declared

    def branches(self, blocks, keep_start=False) -> None:
        start, ends = dict(self.state), []
        for block in blocks:
            self.state = dict(start)
            self.block(block)
            ends.append(self.state)
        if keep_start:
            ends.append(start)
        self.state = _meet(ends)

    def loop(self, stmt) -> None:
        while True:
            start = dict(self.state)
            if isinstance(stmt, gast.For):
                for name, _ in _bindings(stmt):
                    self.state[name] = False
            self.block(stmt.body)
            self.state = _meet([start, self.state])
            if self.state == start:
                break
        self.block(stmt.orelse)


def _meet(states) -> dict:
    names = set().union(*states)
    return {name: all(state.get(name, False) for state in states) for name in names}


def _parameters(function) -> set[str]:
    args = function.args
    return {a.id for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
            if a is not None}


def _body(function) -> list:
    return function.body if isinstance(function.body, list) else [function.body]


def _stored_names(node) -> set[str]:
    targets = node.targets if isinstance(node, gast.Assign) else \
        [item.optional_vars for item in node.items if item.optional_vars is not None] \
        if isinstance(node, gast.With) else [node.target]
    return {n.id for t in targets for n in gast.walk(t)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _walk_scope(stmts):
    """Every node of one scope, in source order; a nested def or lambda is yielded, not entered."""
    for stmt in stmts:
        yield from _walk_node(stmt)


def _walk_node(node):
    yield node
    if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)):
        return
    for child in gast.iter_child_nodes(node):
        yield from _walk_node(child)


def side_effect_of_callee(callee, depth: int = FOLLOWED_CALLS, seen=None, has_rule=lambda function: False):
    """(FunctionSource, SideEffect) for the first side effect of the Python function `callee` or of a
    function it calls (followed `depth` levels deep), or None. Functions without source count as pure;
    so do those `has_rule` says have a registered derivative rule (the rule vouches for them)."""
    seen = set() if seen is None else seen
    code = getattr(callee, "__code__", None)
    if code is None or code in seen:
        return None
    seen.add(code)
    source, effect = _read_and_check(callee, code)
    if effect is not None:
        return source, effect
    if source is None or depth == 0:
        return None
    return _side_effect_of_calls(callee, source.tree, depth - 1, seen, has_rule)


def _read_and_check(callee, code):
    """(FunctionSource or None, its own first SideEffect or None), remembered per code object: the
    syntax never changes under one code object (what its calls resolve to may, so that is not kept)."""
    if code not in _CHECKED:
        try:
            source = read_function(callee)
        except Exception:                   # no source to read: nothing to say about it
            source = None
        if len(_CHECKED) > _CHECKED_LIMIT:
            _CHECKED.clear()
        # a gradient's generated code writes only into values it made (its adjoints, what its own tape holds, a
        # copy of a seed it writes into: reverse/emitter.py), checked when it was made from the user's code; the
        # user's nested defs and lambdas it holds are the user's code, and keep the check
        own_checked = is_generated_function(callee)
        _CHECKED[code] = (source, first_side_effect(source.tree, module_names(source), own_checked)
                          if source is not None else None)
    return _CHECKED[code]


def refuse_side_effects(callee, shown: str, call_site, has_rule=lambda function: False) -> None:
    """Raise a located error if the Python function `callee`, called as `shown` at `call_site`, changes
    a value outside itself (its parameters included: they are the caller's values)."""
    while isinstance(callee, (functools.partial, types.MethodType)):
        callee = callee.func if isinstance(callee, functools.partial) else callee.__func__
    found = side_effect_of_callee(callee, has_rule=has_rule)
    if found is None:
        return
    source, effect = found
    where = f" on line {call_site.lineno} of {call_site.filename}" if call_site is not None else ""
    called = f" (called as `{shown}`{where})" if shown.split(".")[-1] == source.name \
        else f" (reached through the call to `{shown}`{where})"
    raise UnsupportedConstructError(
        f"{effect.what} in `{source.name}`{called}: a change to a value outside the function carries "
        "no derivative", source.location(effect.node),
        "return the new value from the function and assign it where it is called "
        "(e.g. `total = total + step(x)` instead of accumulating into a global or an argument)")


def refuse_writing_call(stmt, location, modules=frozenset(), terms=UNNORMALIZED) -> None:
    """Raise a located error if the call statement `stmt` writes into a value (`LOG.append(v)` on a global,
    `np.copyto(G, v)`, `out=buf`, `setattr(cfg, ...)`). The normalizer keeps `xs.append(v)` on a list the
    function built (marked `s2s_append`); it is differentiated."""
    if getattr(stmt, "s2s_append", None):
        return
    effect = _side_effect_of(stmt.value, frozenset(), modules, terms)     # np.add(...): a function, not set.add
    if effect is not None:
        raise UnsupportedConstructError(
            f"{effect.what}: the change carries no derivative", location,
            "compute a new value and return it (or assign it to a new name), instead of writing into one")


def call_statements(body, local: set[str], nested: bool = False):
    """(statement, the names local where it stands, whether it is in a nested def) for each call
    statement `f(x)` under `body` (a nested def's parameters and assignments are local there; its own
    writes were checked, with what it owns, by first_side_effect)."""
    for node in _statements_of_scope(body):
        if isinstance(node, gast.Expr) and isinstance(node.value, gast.Call):
            yield node, local, nested
        elif isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            yield from call_statements(node.body, set(local) | _local_names(node), True)


_BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")      # in each node's field order


def _statements_of_scope(stmts):
    """The statements of one scope in source order, as _walk_scope yields them, without walking into
    expressions (no statement is inside one): walking every node took a tenth of `prepare`."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        for block in _BLOCKS:
            inner = getattr(stmt, block, None)
            if inner:
                for node in inner:              # an except handler or a match case holds a body too
                    if isinstance(node, gast.stmt):
                        yield from _statements_of_scope([node])
                    else:
                        yield node
                        yield from _statements_of_scope(node.body)


_CHECKED: dict = {}            # code object -> (source, its own first side effect)
_CHECKED_LIMIT = 4096


def _side_effect_of_calls(callee, tree, depth: int, seen, has_rule):
    """The first side effect of a Python function that `callee` (whose syntax is `tree`) calls."""
    local = _local_names(tree)
    closure = dict(zip(callee.__code__.co_freevars, getattr(callee, "__closure__", None) or ()))
    for node in gast.walk(tree):
        if not isinstance(node, gast.Call):
            continue
        dotted = dotted_name(node.func)
        if dotted is None or dotted.split(".")[0] in local:
            continue
        target = _lookup_in(dotted, getattr(callee, "__globals__", {}), closure)
        if not isinstance(target, types.FunctionType) or _is_library(target) or has_rule(target):
            continue
        found = side_effect_of_callee(target, depth, seen, has_rule)
        if found is not None:
            return found
    return None


def _is_library(function) -> bool:
    """Installed code (the standard library, site-packages) is not followed: it keeps its own books (caches,
    memo dicts); a helper's direct call to it is checked when the helper itself is transformed."""
    if (getattr(function, "__module__", None) or "").startswith("s2sgrad."):
        return True              # s2sgrad's own runtime (call_jvp), reached when generated code is differentiated
    filename = os.path.abspath(function.__code__.co_filename)
    return any(filename.startswith(root + os.sep) for root in _LIBRARY_ROOTS)


_LIBRARY_ROOTS = tuple(sorted({os.path.abspath(path) for key in ("stdlib", "platstdlib", "purelib", "platlib")
                               if (path := sysconfig.get_paths().get(key))}))


def _lookup_in(dotted: str, namespace: dict, closure: dict):
    """What `dotted` denotes in another function's namespace, or None. Not resolve_global: that records
    what the function being transformed depends on, and these are names of the functions it calls."""
    head, *rest = dotted.split(".")
    try:
        obj = closure[head].cell_contents if head in closure else namespace[head]
    except (KeyError, ValueError):
        return None
    for attr in rest:
        if not isinstance(obj, types.ModuleType):      # only module attributes: no property code runs
            return None
        obj = getattr(obj, attr, None)
    return obj


def _local_names(function) -> set[str]:
    return _parameters(function) | {n.id for n in gast.walk(function)
                                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
