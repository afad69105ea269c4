"""max and min over an iterable, or of three or more values, become the loop Python runs.

The derivative rule for max(a, b) sends the adjoint to the argument returned
(rules/builtin_rules.py). Other forms are rewritten before normalization into
what CPython does, so the same element is returned, ties going to the first
(a later element replaces the best one only when strictly greater), and the
adjoint reaches exactly that element:

    m = max(xs)          largest = xs[0]
                   ->    for i in range(1, len(xs)):
                             candidate = xs[i]
                             if candidate > largest:
                                 largest = candidate

`key=` compares key(candidate) with the best key, calling key once per
element; `default=` is the result for an empty iterable. max(a, b, c) is
max(max(a, b), c), which returns the same argument.
"""
from __future__ import annotations

import builtins

import gast

from . import ast_build as build
from ..runtime.containers import order_key
from .atoms import copy_tree, resolved


class ExtremumLowering:
    """Mixed into the normalizer (ssa/normalize.py)."""

    def lower_extremum(self, node: gast.Call, function):
        """`node` (a call to builtins.max or min) as an atom, or None for max(a, b), which has its rule."""
        keywords = {k.arg: k.value for k in node.keywords}
        name = function.__name__
        if any(isinstance(a, gast.Starred) for a in node.args) or None in keywords \
                or set(keywords) - {"key", "default"}:
            raise self.unsupported(node, f"this call to `{name}`",
                                   "pass the values one by one or one list, with at most key= and default=")
        if not node.args:
            raise self.unsupported(node, f"`{name}()` without arguments", "pass a list of values")
        if len(node.args) == 2 and not keywords:
            return None
        if len(node.args) > 2 and not keywords:            # max(a, b, c) == max(max(a, b), c)
            nested = node.args[0]
            for argument in node.args[1:]:
                nested = gast.copy_location(gast.Call(func=node.func, args=[nested, argument], keywords=[]), node)
            return self.atom(nested)
        if len(node.args) > 1 and "default" in keywords:
            raise self.unsupported(node, f"`{name}` of several values with default=",
                                   "default= applies to one iterable argument only")
        iterable = node.args[0] if len(node.args) == 1 else gast.List(elts=list(node.args), ctx=gast.Load())
        if isinstance(iterable, gast.GeneratorExp):
            iterable = self.generator_as_list(iterable, None)
        return self.extremum_loop(node, name, self.sequence_of(iterable, node), keywords)

    def sequence_of(self, iterable, origin):
        """An atom that holds the iterable's elements by position (a dict's keys: as a list; a dict
        view is a list already, dicts.py)."""
        sequence = self.atom(iterable)
        if isinstance(sequence, gast.Name) and sequence.id in self.dicts:
            listed = self.temporary()
            self.emit(build.assign(listed, build.call(self.builtin_name("list", origin), sequence), origin))
            sequence = resolved(listed)
        return sequence

    def extremum_loop(self, node, name, sequence, keywords):
        greater = gast.Gt() if name == "max" else gast.Lt()
        best = self.namer.claim("largest" if name == "max" else "smallest")
        candidate, index = self.namer.claim("candidate"), self.namer.claim("i")
        key = keywords.get("key")
        key_call = build.call
        if key is not None:
            if isinstance(key, gast.Attribute):     # a bound method (d.get): its values are compared, not followed
                order = self.runtime_name("order_key", order_key)
                key_call = lambda function, value: build.call(order, function, value)    # noqa: E731
            key = self.atom(key)
            best_key, candidate_key = self.namer.claim(f"{best}_key"), self.namer.claim("candidate_key")
        element = lambda position: gast.Subscript(value=copy_tree(sequence), slice=position, ctx=gast.Load())  # noqa: E731
        first = [build.assign(best, element(build.const(0)), node)]
        replace = [build.assign(best, build.load(candidate), node)]
        body = [build.assign(candidate, element(build.load(index)), node)]
        if key is None:
            test = gast.Compare(left=build.load(candidate), ops=[greater], comparators=[build.load(best)])
        else:
            first.append(build.assign(best_key, key_call(copy_tree(key), build.load(best)), node))
            body.append(build.assign(candidate_key, key_call(copy_tree(key), build.load(candidate)), node))
            replace.append(build.assign(best_key, build.load(candidate_key), node))
            test = gast.Compare(left=build.load(candidate_key), ops=[greater], comparators=[build.load(best_key)])
        body.append(gast.If(test=test, body=replace, orelse=[]))
        loop = gast.For(target=build.store(index),
                        iter=build.call("range", build.const(1), build.call("len", copy_tree(sequence))),
                        body=body, orelse=[], type_comment=None)
        statements = first + [loop]
        if "default" in keywords:                 # Python evaluates default= before it looks at the iterable
            default = self.atom(keywords["default"])
            empty = gast.Compare(left=build.call("len", copy_tree(sequence)), ops=[gast.Eq()], comparators=[build.const(0)])
            statements = [gast.If(test=empty, body=[build.assign(best, default, node)], orelse=statements)]
        for statement in statements:
            for n in gast.walk(statement):
                if isinstance(n, (gast.stmt, gast.expr)) and not hasattr(n, "lineno"):
                    gast.copy_location(n, node)
            self.statement(statement)
        return resolved(self.env[best])


def is_builtin_extremum(target) -> bool:
    return target is builtins.max or target is builtins.min
