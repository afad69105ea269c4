"""Flatten expressions: one operation per assignment, on atoms.

`atom(node)` returns a name or constant holding the value of `node`, emitting
one assignment per operation it contains (to temporaries t1, t2, ...);
`op(node)` returns `node` as a single operation on atoms, for the caller to
assign. Short-circuit `and`/`or` and conditional expressions become `if`
statements, so nothing is evaluated that Python would not evaluate.
"""
from __future__ import annotations

import gast

from ..analysis.resolve import dotted_name
from ..runtime.mappings import merged
from . import ast_build as build
from .atoms import copy_tree, is_atom_expr, is_literal, is_pure, rename_loads, resolved
from .reductions import is_builtin_extremum
from .spreads import Spreads
from .unsupported import describe_expression, expression_hint

def _is_truth_value(node) -> bool:
    """Whether `node` is True or False by its form (a comparison, a `not`, a bool literal, and/or of those):
    `and`/`or` of such values is a truth value too, never one of the operands' numbers."""
    if isinstance(node, gast.Compare):
        return True
    if isinstance(node, gast.UnaryOp):
        return isinstance(node.op, gast.Not)
    if isinstance(node, gast.Constant):
        return isinstance(node.value, bool)
    return isinstance(node, gast.BoolOp) and all(_is_truth_value(v) for v in node.values)


def _later_cannot_raise(values) -> bool:
    """Whether the operands of an and/or after the first are safe to evaluate when Python would not:
    `best is None or v > best` compares with None, `n != 0 and x / n > 1` divides by zero, `k in d`
    needs a container. Only then are all operands evaluated up front."""
    maybe_none = {n.left.id for v in values for n in gast.walk(v) if _tests_none(n)}
    for value in values[1:]:
        tested = {id(n.left) for n in gast.walk(value) if _tests_none(n)}
        for n in gast.walk(value):
            if isinstance(n, gast.BinOp) and not isinstance(n.op, (gast.Add, gast.Sub, gast.Mult)):
                return False
            if isinstance(n, gast.Compare) and any(isinstance(o, (gast.In, gast.NotIn)) for o in n.ops):
                return False
            if isinstance(n, gast.Name) and n.id in maybe_none and id(n) not in tested:
                return False
    return True


def _tests_none(node) -> bool:
    """`name is None`, `name is not None`, `name == None`, `name != None`."""
    return (isinstance(node, gast.Compare) and isinstance(node.left, gast.Name) and len(node.ops) == 1
            and isinstance(node.ops[0], (gast.Is, gast.IsNot, gast.Eq, gast.NotEq))
            and isinstance(node.comparators[0], gast.Constant) and node.comparators[0].value is None)


# builtins whose result is an iterator: lowered where consumed whole (comprehensions.py), refused elsewhere
_LAZY_ITERATORS = (map, filter, zip, enumerate)


class ExpressionFlattening(Spreads):
    """Mixed into the normalizer (ssa/normalize.py), whose state (env, emit, branch) it uses; `*` spreads
    in calls and displays are written out in spreads.py."""

    def atom(self, node) -> gast.expr:
        """An atom holding the value of `node`, emitting temporaries for its operations."""
        if isinstance(node, gast.Name):
            if getattr(node, "s2s_resolved", False):     # already an SSA name: never look it up again
                return node
            name = self.env.get(node.id, node.id)
            if name in self.stale_views:
                array, line = self.stale_views[name]
                self.refuse_unless_checked(self.unsupported(
                    node, f"reading `{node.id}`, which may share memory with `{array}`, after the in-place "
                          f"assignment into `{array}` on line {line}",
                    f"make `{node.id}` a copy where it is taken (end that expression with .copy(); a list, "
                    f"tuple or dict should hold `{array}.copy()`), or read `{array}` again after the assignment"))
            return resolved(name)
        if isinstance(node, gast.Constant) or is_literal(node):
            return node
        if self._is_global_reference(node):
            return node
        op = self.op(node)
        if is_atom_expr(op) and not isinstance(op, gast.Attribute):
            return op
        name = self.temporary()
        if self._builds_dict(op):           # a dict or set: iterated through its keys (dicts.py)
            self.dicts.add(name)
        self.emit(build.assign(name, op, node))
        return resolved(name)

    def op(self, node) -> gast.expr:
        """`node` as one operation whose operands are atoms."""
        handler = getattr(self, f"expr_{type(node).__name__}", None)
        if handler is None:
            raise self.unsupported(node, describe_expression(node), expression_hint(node))
        result = handler(node)
        if hasattr(node, "lineno") and not hasattr(result, "lineno"):
            gast.copy_location(result, node)
        return result

    def expr_Name(self, node):
        return self.atom(node)

    def expr_Constant(self, node):
        return node

    def expr_BinOp(self, node):
        return build.binop(self.atom(node.left), node.op, self.atom(node.right))

    def expr_UnaryOp(self, node):
        if is_literal(node):
            return node
        return gast.UnaryOp(op=node.op, operand=self.atom(node.operand))

    def expr_Compare(self, node):
        left = self.atom(node.left)
        rights = [self.atom(c) for c in node.comparators]
        if len(node.ops) == 1:
            return gast.Compare(left=left, ops=node.ops, comparators=rights)
        parts, previous = [], left           # a < b < c  ==  (a < b) and (b < c), b evaluated once
        for op, right in zip(node.ops, rights):
            part = self.temporary()
            self.emit(build.assign(part, gast.Compare(left=previous, ops=[op], comparators=[right]), node))
            parts.append(build.load(part))
            previous = right
        return gast.BoolOp(op=gast.And(), values=parts)

    def expr_BoolOp(self, node):
        # `x or 1.0` is x itself when x is true: only an and/or of truth values stays one operation
        if all(is_pure(v) and _is_truth_value(v) for v in node.values) and _later_cannot_raise(node.values):
            return gast.BoolOp(op=node.op, values=[self.atom(v) for v in node.values])
        # short-circuit: `a and f(x)` must not call f when a is false
        result = self.temporary()
        first = self.atom(node.values[0])
        self.emit(build.assign(result, first, node))
        rest = node.values[1] if len(node.values) == 2 else gast.BoolOp(op=node.op, values=node.values[1:])
        user = f"__boolop_{result}"
        self.env[user] = result
        self.defined.add(result)
        then = [build.assign(build.store(user), rest, node)]
        test = build.load(result)
        if isinstance(node.op, gast.And):
            self.branch(test, then, [], node)
        else:
            self.branch(test, [], then, node)
        merged = self.env.pop(user)
        return resolved(merged)

    def expr_NamedExpr(self, node):
        """`(y := v)`: assign y where the expression is evaluated, then the expression is y. Flattening goes
        in evaluation order, and `and`/`or`/conditionals become branches, so y is assigned only when
        Python would assign it."""
        self.assign_to(node.target, node.value, node)
        return self.atom(gast.Name(id=node.target.id, ctx=gast.Load(), annotation=None, type_comment=None))

    def expr_IfExp(self, node):
        user = f"__ifexp_{id(node)}"
        test = self.atom(node.test)
        body = [build.assign(build.store(user), node.body, node)]
        orelse = [build.assign(build.store(user), node.orelse, node)]
        self.branch(test, body, orelse, node)
        return resolved(self.env.pop(user))

    def expr_Call(self, node):
        view = self.dict_view(node)                   # d.keys(), d.values(), d.items() (dicts.py)
        if view is None:
            view = self.dict_get(node)                # d.get(k, default) (dicts.py)
        if view is not None:
            return view
        node = self.call_with_lists(node)             # generator arguments (comprehensions.py)
        target = self.callee_object(node.func)
        if any(target is lazy for lazy in _LAZY_ITERATORS):
            shown = gast.unparse(node.func).strip()
            raise self.unsupported(
                node, f"a `{shown}` iterator kept as a value (it yields its elements once, lazily)",
                f"make it a list where it is built, list({shown}(...)); a `{shown}` consumed at once by sum, "
                "max, min, sorted, list, tuple, dict, a `for` loop or an unpacking `a, b = ...` needs no change")
        if is_builtin_extremum(target):               # max/min of an iterable (reductions.py)
            lowered = self.lower_extremum(node, target)
            if lowered is not None:
                return lowered
        func = node.func
        if isinstance(func, gast.Attribute) and not self._is_global_reference(func):
            func = gast.Attribute(value=self.atom(func.value), attr=func.attr, ctx=gast.Load())
        elif isinstance(func, gast.Name):
            func = build.load(self.env.get(func.id, func.id))
        elif not self._is_global_reference(func):
            func = self.atom(func)
        self.forget_length(node.func)                # `xs.pop()` (spreads.py)
        # *args of a known length becomes its elements; another forwards a tuple as it is (spreads.py)
        args = self.spread_arguments(node.args, node)
        keywords = [gast.keyword(arg=k.arg, value=self.atom(k.value)) for k in node.keywords]
        return gast.Call(func=func, args=args, keywords=keywords)

    def expr_Lambda(self, node):
        self.pending_closure = self.captured_by(node)
        copy_ = copy_tree(node)
        self.evaluate_defaults(node, copy_)
        return copy_

    def expr_Dict(self, node):
        if None in node.keys:
            return self.merged_dict(node)
        return gast.Dict(keys=[self.atom(k) for k in node.keys], values=[self.atom(v) for v in node.values])

    def merged_dict(self, node):
        """`{**a, 'k': v, **b}` as merges of two dicts at a time, each `merged(left, right)` (the runtime's
        `{**left, **right}`, an entry of the table: runtime/mappings.py), the plain entries between spreads
        packed into a dict of their own."""
        parts, entries = [], []
        for key, value in zip(node.keys, node.values):     # in order: later keys win, as in Python
            if key is not None:
                entries.append((self.atom(key), self.atom(value)))
                continue
            if entries:
                parts.append(self.atom(gast.Dict(keys=[k for k, _ in entries], values=[v for _, v in entries])))
                entries = []
            parts.append(self.atom(value))
        if entries:
            parts.append(self.atom(gast.Dict(keys=[k for k, _ in entries], values=[v for _, v in entries])))
        if len(parts) == 1:           # `{**a}`: a new dict holding a's entries
            parts.append(self.atom(gast.Dict(keys=[], values=[])))
        name = self.runtime_name("merged", merged)
        whole = parts[0]
        for part in parts[1:-1]:
            whole = self.atom(build.call(name, whole, part))
        return build.call(name, whole, parts[-1])

    def expr_Attribute(self, node):
        if self._is_global_reference(node):
            return node
        return gast.Attribute(value=self.atom(node.value), attr=node.attr, ctx=gast.Load())

    def expr_Subscript(self, node):
        return gast.Subscript(value=self.atom(node.value), slice=self.index(node.slice), ctx=gast.Load())

    def index(self, node):
        if isinstance(node, gast.Slice):
            return gast.Slice(*(self.atom(p) if p is not None else None for p in (node.lower, node.upper, node.step)))
        if isinstance(node, gast.Tuple):
            return gast.Tuple(elts=[self.index(e) for e in node.elts], ctx=gast.Load())
        return self.atom(node)

    def expr_Tuple(self, node):
        if any(isinstance(e, gast.Starred) for e in node.elts):
            return self.spread_display(node)
        return gast.Tuple(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    def expr_List(self, node):
        if any(isinstance(e, gast.Starred) for e in node.elts):
            return self.spread_display(node)
        return gast.List(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    def expr_JoinedStr(self, node):
        # f-strings only format values; their parts are renamed, never differentiated
        renamed = rename_loads(node, self.env)
        return renamed

    # ---- helpers ------------------------------------------------------
    def _is_global_reference(self, node) -> bool:
        """A dotted name rooted outside the function (math.pi, np.linalg.inv)."""
        dotted = dotted_name(node)
        if dotted is None:
            return False
        root = dotted.split(".")[0]
        return root not in self.env and isinstance(node, gast.Attribute)

    def _is_local_root(self, node) -> bool:
        dotted = dotted_name(node)
        return dotted is not None and dotted.split(".")[0] in self.env
