"""Nested functions and lambdas inside the differentiated function, and `list.append`.

A nested def runs as written in the forward code; calls to it are
differentiated through call_vjp (runtime/calls.py), with the variables it reads
from the enclosing function passed in as inputs, so gradients flow into them.
What it returns is all that carries derivatives: a nested def or lambda that
changes a value outside itself (`nonlocal`, `global`, `out.append(...)`,
`captured[i] = v`) is refused where it does so (analysis/side_effects.py).
"""
from __future__ import annotations

import gast

from ..analysis.side_effects import first_side_effect, module_names
from ..codegen.loader import is_generated_function
from . import ast_build as build
from .atoms import copy_tree, resolved


class NestedFunctions:
    """Mixed into the normalizer (ssa/normalize.py)."""

    def method_statement(self, node, call) -> None:
        """`xs.append(v)` on a list the function built; other mutating method calls are refused."""
        func = call.func
        if func.attr == "append" and isinstance(func.value, gast.Name) and len(call.args) == 1 and not call.keywords:
            items = self.env[func.value.id]
            if items not in self.owned:
                raise self.unsupported(
                    node, f"`{gast.unparse(func)}(...)`: `{func.value.id}` may be the caller's list",
                    f"build a new list in the function: {func.value.id} = list({func.value.id})")
            stmt = gast.Expr(value=build.call(gast.Attribute(value=resolved(items), attr="append", ctx=gast.Load()),
                                              self.atom(call.args[0])))
            gast.copy_location(stmt, node)
            stmt.s2s_append = items
            self.emit(stmt)
            appended = stmt.value.args[0]
            if isinstance(appended, gast.Name):      # the list now holds that value: a write into it reaches the list
                self.note_view(appended.id, items)
                self.note_holding(appended.id, items)
            line = getattr(node, "lineno", 0) + self.src.line_offset
            for other in self.holding.get(items, ()):     # other names for the list (r2 = rows) see it grow
                self.stale_views[other] = (func.value.id, line)
            return
        if func.attr == "pop" and isinstance(func.value, gast.Name) and not call.args and not call.keywords \
                and (self.env.get(func.value.id) in self.owned or is_generated_function(self.src.function)):
            # `xs.pop()` whose value is dropped (a gradient's reverse sweep undoing its appends): the pop of
            # an assignment, into a temporary nothing reads, so both modes reverse it like any other pop.
            # In a gradient's own code every such pop is of a list its forward sweep built, also where the
            # list came back from the tape (one built in a loop) and ownership cannot be seen
            self.atom(call)
            return
        if func.attr == "fill" and self.fill_statement(node, call):      # y[...] = v (ssa/array_fills.py)
            return
        raise self.unsupported(
            node, f"the call `{gast.unparse(func)}(...)` used as a statement",
            "if it changes a value in place, build a new value and assign it instead: s2sgrad follows in-place "
            "changes only of lists the function built (append, extend, insert, pop, remove, reverse, sort, "
            "clear, `xs[i] = v`), of dicts it built (update, setdefault, pop, clear, `d[k] = v`), of arrays it "
            "made (`y[i] = v`, y.fill, np.fill_diagonal) and of objects of your classes that it builds itself "
            "(`acc = Accumulator()` then `acc.add(x)`)",
        )

    def stmt_FunctionDef(self, node) -> None:
        """A nested def runs as written; calls to it are differentiated through call_vjp, with the
        variables it reads from this function passed in as inputs (see runtime/calls.py)."""
        if node.decorator_list:
            raise self.unsupported(node, "a decorated nested `def`", "define it at module level")
        captured = self.captured_by(node)
        copy_ = copy_tree(node)
        self.evaluate_defaults(node, copy_)
        name = self.define_env(node.name)
        copy_.name = name
        self.closures[name] = captured
        self.emit(copy_)

    def evaluate_defaults(self, function, copy_) -> None:
        """Default values are computed where the function is defined, in this function's scope: they become
        its atoms (`def g(a, b=y)` after `y = y * 2` reads the new y, and a default that carries a
        derivative is seen by the analyses; transform.py refuses it)."""
        args = copy_.args
        args.defaults = [self.atom(d) for d in function.args.defaults]
        args.kw_defaults = [None if d is None else self.atom(d) for d in function.args.kw_defaults]

    def captured_by(self, function) -> list[str]:
        """Variables of this function that a nested def or lambda reads; each must be assigned once.
        Its side effects on values outside it would have no adjoint: they are refused here."""
        self.refuse_side_effects(function)
        inner = set()
        args = function.args
        for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None:
                inner.add(a.id)
        body = function.body if isinstance(function.body, list) else [function.body]
        for stmt in body:
            inner |= {n.id for n in gast.walk(stmt) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        reads = {n.id for stmt in body for n in gast.walk(stmt) if isinstance(n, gast.Name)
                 and isinstance(n.ctx, gast.Load)}
        captured = sorted((reads - inner) & (set(self.env) | self.assigned_in_function))
        for user in captured:
            if self.assignment_counts.get(user, 0) > 1 or self.env.get(user, user) != user:
                raise self.unsupported(
                    function, f"a nested function reading `{user}`, which this function assigns more than once",
                    f"pass `{user}` to the nested function as an argument",
                )
        return captured

    def refuse_side_effects(self, function) -> None:
        effect = first_side_effect(function, module_names(self.src))
        if effect is None:
            return
        kind = "lambda" if isinstance(function, gast.Lambda) else f"nested function `{function.name}`"
        raise self.unsupported(
            effect.node, f"{effect.what} in the {kind}: a change to a value outside it carries no derivative",
            "return the value from the nested function and combine it in the enclosing one "
            "(e.g. `total = total + add(x)`, `out = out + [push(x)]`)")
