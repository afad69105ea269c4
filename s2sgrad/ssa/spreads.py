"""`*` spreads in calls and displays: `x.reshape(*shape)`, `np.power(*args)`, `np.stack([*rows, r])`.

A spread of a tuple or list whose length is known when the gradient is built (a display, or a name the
function assigned a display to) becomes its elements, `shape[0], shape[1]`, behind a check of that length
(so a value of another length stops, never loses or gains an argument): each element is then an operand
of its own, which rules bind and derivatives reach. A spread inside a display whose length is not known
becomes a concatenation, `[a] + list(rows)`, whose rule (runtime/sequences.py) sends each element's
adjoint back. A spread in a call whose length is not known is left as it is: a rule's `*args` parameter
takes it whole, anything else is refused where it is bound (reverse/templates.py).
"""
from __future__ import annotations

import gast

from . import ast_build as build


class Spreads:
    """Mixed into the normalizer through ExpressionFlattening: it uses atom, statement, builtin_name."""

    def note_definition(self, name: str, op) -> None:
        """Keep the length of each name assigned a display; a name assigned twice (in two branches) with
        different lengths has none, and so has a list a method was called on (forget_length)."""
        lengths = self.__dict__.setdefault("_display_lengths", {})
        length = len(op.elts) if isinstance(op, (gast.Tuple, gast.List)) and not _has_spread(op.elts) else None
        lengths[name] = length if lengths.get(name, length) == length else None
        super().note_definition(name, op)

    def method_statement(self, node, call, *rest):
        """`xs.append(v)` (a comprehension's too) changes xs's length: it has none to spread by."""
        self.forget_length(call.func)
        return super().method_statement(node, call, *rest)

    def forget_length(self, func) -> None:
        """A method called on a list (`xs.append`, `xs.pop`) may change its length."""
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name):
            lengths = self.__dict__.get("_display_lengths", {})
            name = self.env.get(func.value.id, func.value.id)
            if name in lengths:
                lengths[name] = None

    def spread_length(self, value) -> int | None:
        """The number of elements a spread `*value` gives, where the gradient can tell."""
        if isinstance(value, (gast.Tuple, gast.List)) and not _has_spread(value.elts):
            return len(value.elts)
        if isinstance(value, gast.Name):
            return self.__dict__.get("_display_lengths", {}).get(value.id)
        return None

    def spread_elements(self, starred, origin) -> list | None:
        """The atoms `*value` stands for, or None where its length is not known."""
        value = starred.value
        if isinstance(value, (gast.Tuple, gast.List)) and not _has_spread(value.elts):
            return [self.atom(e) for e in value.elts]
        whole = self.atom(value)
        length = self.spread_length(whole)
        if length is None:
            return None
        # (a raise, not an assert: `python -O` would drop an assert, and pytest rewrites them)
        size = build.call(self.builtin_name("len", origin), whole)
        other = gast.Compare(left=size, ops=[gast.NotEq()], comparators=[build.const(length)])
        error = build.call(self.builtin_name("ValueError", origin), build.const(
            f"s2sgrad spread this value as {length} elements (the length it was given); it has another"))
        check = gast.If(test=other, body=[gast.copy_location(gast.Raise(exc=error, cause=None), origin)], orelse=[])
        self.statement(gast.copy_location(check, origin))
        return [self.atom(gast.Subscript(value=whole, slice=build.const(i), ctx=gast.Load())) for i in range(length)]

    def spread_arguments(self, args, origin) -> list:
        """A call's positional arguments as atoms, spreads of known length written out."""
        out = []
        for a in args:
            if not isinstance(a, gast.Starred):
                out.append(self.atom(a))
                continue
            elements = self.spread_elements(a, origin)
            out += elements if elements is not None else [gast.Starred(value=self.atom(a.value), ctx=gast.Load())]
        return out

    def spread_display(self, node):
        """A list or tuple display holding spreads: its elements written out, or a concatenation of parts."""
        kind = gast.List if isinstance(node, gast.List) else gast.Tuple
        convert = "list" if kind is gast.List else "tuple"
        parts, plain = [], []
        for e in node.elts:
            if not isinstance(e, gast.Starred):
                plain.append(self.atom(e))
                continue
            elements = self.spread_elements(e, node)
            if elements is not None:
                plain += elements
                continue
            if plain:
                parts.append(kind(elts=plain, ctx=gast.Load()))
                plain = []
            parts.append(build.call(self.builtin_name(convert, node), self.atom(e.value)))
        if plain or not parts:
            parts.append(kind(elts=plain, ctx=gast.Load()))
        if len(parts) == 1:
            return parts[0]
        whole = self.atom(parts[0])
        for part in parts[1:-1]:
            whole = self.atom(build.binop(whole, gast.Add(), self.atom(part)))
        return build.binop(whole, gast.Add(), self.atom(parts[-1]))

def _has_spread(elements) -> bool:
    return any(isinstance(e, gast.Starred) for e in elements)
