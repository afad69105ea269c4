"""Comprehensions and generator expressions become the loops they stand for.

s2sgrad differentiates `for` loops and `list.append` on a list the function
built, so a comprehension is rewritten into exactly that, where it stands in
the expression (so it runs when Python would run it):

    s = sum(w * x for x in xs if x > 0)       t1 = []
                                              for x_1 in xs:
                                       ->         if x_1 > 0:
                                                      t1.append(w * x_1)
                                              s = sum(t1)

The loop is then normalized like any loop the user wrote. Its variables get
fresh names (x_1), so they never touch the function's own `x`, as in Python,
where a comprehension has its own scope. A generator expression becomes a
list where it is consumed whole at once (sum, max, min, sorted, list, tuple,
dict, any, all, a `for` loop without `break`); anywhere else it is
refused, since a list would be evaluated eagerly. A set comprehension is
`set()` of the list of its elements: a set of indices or keys is data, and a
set holding values that carry derivatives is refused where it is built
(analysis/refusals.py), since its elements have no order for adjoints to
follow. A dict comprehension is `dict()` of the list of its (key, value) pairs.
"""
from __future__ import annotations

import builtins
import math

import gast
import numpy as np

from ..analysis.resolve import dotted_name, resolve_global
from . import ast_build as build
from .atoms import copy_tree, resolved

# builtins that consume an iterable argument whole, in order, so a list can stand for a generator
_CONSUMERS = {builtins.sum, builtins.max, builtins.min, builtins.sorted, builtins.list, builtins.tuple,
              builtins.any, builtins.all, builtins.dict, math.fsum, math.prod}


class ComprehensionLowering:
    """Mixed into the normalizer (ssa/normalize.py)."""

    def expr_ListComp(self, node):
        return self.lower_comprehension(node)

    def expr_DictComp(self, node):
        """{k: v for ...} is dict([(k, v) for ...]): the pairs' list is built by a loop, then dict() of it
        (whose rule gives each key's adjoint to the value stored last under it)."""
        pairs = gast.ListComp(elt=gast.Tuple(elts=[node.key, node.value], ctx=gast.Load()),
                              generators=node.generators)
        pairs = self.lower_comprehension(gast.copy_location(pairs, node))
        return build.call(self.builtin_name("dict", node), pairs)

    def expr_SetComp(self, node):
        """{e for ...} is set([e for ...]): a set of indices or keys runs as written; one holding values that
        carry derivatives is refused once activity is known (analysis/refusals.py)."""
        elements = gast.copy_location(gast.ListComp(elt=node.elt, generators=node.generators), node)
        return build.call(self.builtin_name("set", node), self.lower_comprehension(elements))

    def expr_Set(self, node):
        """A set literal {a, b} is set([a, b]), as a set comprehension is."""
        if any(isinstance(e, gast.Starred) for e in node.elts):
            raise self.unsupported(node, "a set literal with a `*` spread", "use set(...) of a list")
        elements = gast.copy_location(gast.List(elts=node.elts, ctx=gast.Load()), node)
        return build.call(self.builtin_name("set", node), elements)

    def expr_GeneratorExp(self, node):
        raise self.unsupported(
            node, "a generator expression here",
            "use a list comprehension [...] (a generator is supported as the argument of sum, max, min, "
            "sorted, list, tuple, any, all, and as the iterable of a `for` loop)")

    def generator_as_list(self, node, loop):
        """The generator a `for` loop iterates, as a list comprehension: it is evaluated whole first."""
        if getattr(loop, "s2s_exit_flags", None):
            raise self.unsupported(
                node, "a `for` loop over a generator expression that may stop early",
                "iterate over a list comprehension [...], which evaluates every element")
        return _as_list_comprehension(node)

    def iterator_as_list(self, node):
        """`map(f, xs)`, `filter(f, xs)`, `zip(...)`, `enumerate(xs)` consumed whole, as the list
        comprehension that lists what the iterator yields; None for any other expression.

            map(f, xs, ys)  ->  [f(a, b) for a, b in zip(xs, ys)]
            filter(f, xs)   ->  [a for a in xs if f(a)]
            zip(*rows)      ->  [tuple([row[j] for row in rows]) for j in range(min([len(row) for row in rows], default=0))]

        Each loop variable is a fresh name, so the function or the sequences never see it.
        """
        if not isinstance(node, gast.Call):
            return None
        target = self.callee_object(node.func)
        if target is builtins.enumerate:
            node = _start_by_position(node)          # enumerate(xs, start=1): the start as written
        if node is None or node.keywords:
            return None
        if target not in (builtins.map, builtins.filter, builtins.zip, builtins.enumerate) or \
                (target is not builtins.zip and any(isinstance(a, gast.Starred) for a in node.args)):
            return None
        args = node.args
        if target is builtins.zip and len(args) == 1 and isinstance(args[0], gast.Starred):
            return self._transposed(args[0].value, node)
        if any(isinstance(a, gast.Starred) for a in args) or not args:
            return None
        if target is builtins.map and len(args) >= 2:
            names = [self._fresh("item") for _ in args[1:]]
            element = build.call(args[0], *[build.load(n) for n in names])
            return self._listing(element, names, args[1:], node)
        if target is builtins.filter and len(args) == 2:
            name = self._fresh("item")
            test = build.load(name) if _is_none(args[0]) else build.call(args[0], build.load(name))
            return self._listing(build.load(name), [name], args[1:], node, test)
        if target is builtins.zip:
            names = [self._fresh("item") for _ in args]
            return self._listing(gast.Tuple(elts=[build.load(n) for n in names], ctx=gast.Load()), names, args, node)
        if target is builtins.enumerate and len(args) in (1, 2):
            index, name = self._fresh("position"), self._fresh("item")
            loop = gast.Call(func=node.func, args=args[:1], keywords=[])
            counted = build.load(index) if len(args) == 1 else build.binop(build.load(index), gast.Add(), args[1])
            pair = gast.Tuple(elts=[counted, build.load(name)], ctx=gast.Load())
            return _comprehension(pair, _fresh_target([index, name]), loop, node)
        return None

    def _listing(self, element, names, sequences, origin, test=None):
        """[element for names in zip(*sequences) if test] (one sequence: no zip)."""
        if len(sequences) == 1:
            return _comprehension(element, _fresh_target(names), sequences[0], origin, test)
        zipped = build.call(self.builtin_name("zip", origin), *sequences)
        return _comprehension(element, _fresh_target(names), zipped, origin, test)

    def _transposed(self, rows, origin):
        """zip(*rows): the j-th tuple holds every row's j-th element, for j up to the shortest row."""
        row, column = self._fresh("row"), self._fresh("column")
        lengths = _comprehension(build.call(self.builtin_name("len", origin), build.load(row)),
                                 _fresh_target([row]), rows, origin)
        shortest = gast.Call(func=self.builtin_name("min", origin), args=[lengths],
                             keywords=[gast.keyword(arg="default", value=build.const(0))])
        row_inner = self._fresh("row")
        elements = _comprehension(gast.Subscript(value=build.load(row_inner), slice=build.load(column),
                                                 ctx=gast.Load()), _fresh_target([row_inner]), copy_tree(rows), origin)
        element = build.call(self.builtin_name("tuple", origin), elements)
        return _comprehension(element, _fresh_target([column]),
                              build.call(self.builtin_name("range", origin), shortest), origin)

    def _fresh(self, stem: str) -> str:
        return self.namer.version(stem)

    def call_with_lists(self, node: gast.Call) -> gast.Call:
        """`node` with a generator argument it consumes whole replaced by a list comprehension
        (and a map, filter, zip or enumerate iterator so consumed by the list it yields)."""
        target = self.callee_object(node.func)
        if _is_consumer(target) and node.args:
            listed = self.iterator_as_list(node.args[0])
            if listed is not None:
                node = gast.Call(func=node.func, args=[listed, *node.args[1:]], keywords=node.keywords)
        if not any(isinstance(a, gast.GeneratorExp) for a in node.args):
            return node
        generator = node.args[0]
        if target is np.sum:        # NumPy 2 raises TypeError for it (it was deprecated before)
            raise self.unsupported(
                node, "np.sum of a generator expression, which NumPy refuses",
                "pass a list comprehension, np.sum([...]), or use the builtin sum(...) of the generator")
        if target in (np.array, np.asarray):
            raise self.unsupported(
                node, f"`{gast.unparse(node.func).strip()}` of a generator expression, which NumPy makes a "
                      "0-d object array holding the generator", "pass a list comprehension: np.array([...])")
        if _is_consumer(target) and isinstance(generator, gast.GeneratorExp):
            return gast.Call(func=node.func, args=[_as_list_comprehension(generator), *node.args[1:]],
                             keywords=node.keywords)
        shown = gast.unparse(node.func).strip()
        raise self.unsupported(
            next(a for a in node.args if isinstance(a, gast.GeneratorExp)),
            f"a generator expression passed to `{shown}`",
            f"pass a list comprehension [...] to `{shown}`, or build the list with a `for` loop")

    def callee_object(self, func):
        """The object a call's callee denotes if it is a name from outside the function, else None."""
        dotted = dotted_name(func)
        if dotted is None or dotted.split(".")[0] in self.env:
            return None
        return resolve_global(dotted, self.src.globals, self.src.closure)

    def lower_comprehension(self, node) -> gast.Name:
        """Emit the loop that builds the comprehension's list; return the list."""
        node = copy_tree(node)
        walrus = next((n for n in gast.walk(node) if isinstance(n, gast.NamedExpr)), None)
        if walrus is not None:          # it would assign in the enclosing function, from inside the loop
            raise self.unsupported(walrus, "an assignment expression `:=` inside a comprehension",
                                   "write the loop out, assigning the name on its own line")
        scope: dict[str, str] = {}
        for index, generator in enumerate(node.generators):
            if generator.is_async:
                raise self.unsupported(node, "an `async for` in a comprehension", "use a plain `for`")
            if index:
                generator.iter = _Rename(scope).visit(generator.iter)
            for target in gast.walk(generator.target):        # the comprehension's own variables
                if isinstance(target, gast.Name):
                    scope[target.id] = target.id if getattr(target, "s2s_fresh", False) else self.namer.version(target.id)
            generator.target = _Rename(scope).visit(generator.target)
            generator.ifs = [_Rename(scope).visit(test) for test in generator.ifs]
        element = _Rename(scope).visit(node.elt)
        items = self.namer.temporary()
        self.assign_to(build.store(items), gast.List(elts=[], ctx=gast.Load()), node)
        append = build.call(gast.Attribute(value=build.load(items), attr="append", ctx=gast.Load()), element)
        statement = gast.Expr(value=append)
        for generator in reversed(node.generators):
            for test in reversed(generator.ifs):
                statement = gast.If(test=test, body=[statement], orelse=[])
            statement = gast.For(target=generator.target, iter=generator.iter, body=[statement], orelse=[],
                                 type_comment=None)
        _locate(statement, node)
        self.statement(statement)
        return resolved(self.env[items])


def _is_consumer(target) -> bool:
    try:
        return target in _CONSUMERS
    except TypeError:                       # an unhashable callable
        return False


def _start_by_position(call: gast.Call):
    """enumerate(xs, start=s) as enumerate(xs, s); None for keywords enumerate does not take."""
    if not call.keywords:
        return call
    if len(call.args) != 1 or len(call.keywords) != 1 or call.keywords[0].arg != "start":
        return None
    return gast.copy_location(gast.Call(func=call.func, args=[*call.args, call.keywords[0].value], keywords=[]), call)


def _comprehension(element, target, iterable, origin, test=None) -> gast.ListComp:
    loop = gast.comprehension(target=target, iter=iterable, ifs=[test] if test is not None else [], is_async=0)
    return gast.copy_location(gast.ListComp(elt=element, generators=[loop]), origin)


def _fresh_target(names: list[str]):
    """The target of a synthesized loop: names already fresh, which the lowering keeps as they are."""
    targets = [build.store(n) for n in names]
    for t in targets:
        t.s2s_fresh = True
    return targets[0] if len(targets) == 1 else gast.Tuple(elts=targets, ctx=gast.Store())


def _is_none(node) -> bool:
    return isinstance(node, gast.Constant) and node.value is None


def _as_list_comprehension(generator: gast.GeneratorExp) -> gast.ListComp:
    comprehension = gast.ListComp(elt=generator.elt, generators=generator.generators)
    return gast.copy_location(comprehension, generator)


def _bound_names(target) -> list[str]:
    return [n.id for n in gast.walk(target) if isinstance(n, gast.Name)]


def _locate(statement, origin) -> None:
    """Synthesized nodes take the comprehension's place in the source, for errors and liveness."""
    for node in gast.walk(statement):
        if isinstance(node, (gast.stmt, gast.expr)) and not hasattr(node, "lineno"):
            gast.copy_location(node, origin)


class _Rename(gast.NodeTransformer):
    """Rename the comprehension's variables; a nested comprehension or lambda that binds the same
    name again hides it in its own scope, as Python's scoping does."""

    def __init__(self, mapping: dict[str, str]):
        self.mapping = mapping

    def visit_Name(self, node):
        if node.id in self.mapping:
            node.id = self.mapping[node.id]
        return node

    def _comprehension(self, node, fields):
        inner = dict(self.mapping)
        for index, generator in enumerate(node.generators):
            generator.iter = _Rename(inner if index else self.mapping).visit(generator.iter)
            for name in _bound_names(generator.target):
                inner.pop(name, None)
            generator.ifs = [_Rename(inner).visit(test) for test in generator.ifs]
        for field in fields:
            setattr(node, field, _Rename(inner).visit(getattr(node, field)))
        return node

    def visit_ListComp(self, node):
        return self._comprehension(node, ("elt",))

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        return self._comprehension(node, ("key", "value"))

    def visit_Lambda(self, node):
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        bound = {a.id for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                 + [node.args.vararg, node.args.kwarg] if a is not None}
        node.body = _Rename({k: v for k, v in self.mapping.items() if k not in bound}).visit(node.body)
        return node
