"""`y.fill(v)` and `np.fill_diagonal(A, v)` as the element writes they are, `np.add.at` as a new value.

    y.fill(v)                       y[...] = v
    np.fill_diagonal(A, v)          A[diagonal_positions(A)] = v        (wrap= passed on)
    np.add.at(F, index, v)          F = added_at(F, index, v)           (np.subtract.at: -v)

An element write is already followed in both sweeps (ssa/inplace.py: the
forward saves what it overwrites, the reverse gives v the written elements'
adjoint and puts the old values back), so these need no rules of their own.
A scatter-add (assembling a stiffness matrix, summing forces per particle)
adds every value at its position, a repeated one as often as it repeats, which
no element write does; it becomes the sum as a new array, `added_at`, whose
entry in the table (rules/runtime_rules.py) passes F's adjoint through and
gathers v's at the index. As for any element write, the array must be one the
function made; the caller's array, or a name that may share memory with
another, is refused, and a view or container of the array taken before the
scatter, which Python would see change, may not be read after it.
"""
from __future__ import annotations

import gast
import numpy as np

from ..runtime.indexing import added_at, diagonal_positions
from . import ast_build as build
from .ast_build import located_at


class ArrayFills:
    """Mixed into the normalizer (ssa/normalize.py)."""

    def fill_statement(self, node, call) -> bool:
        """`y.fill(v)` on an array the function made; False for any other receiver (refused by the caller)."""
        receiver = call.func.value
        if not isinstance(receiver, gast.Name) or len(call.args) != 1 or call.keywords:
            return False
        array = self.env.get(receiver.id)
        if array is None or array in self.holders or array in self.dicts:
            return False            # a list, tuple or dict has no fill
        self.refuse_unowned(node, receiver.id, f"`{receiver.id}.fill(...)`")
        target = located_at(gast.Subscript(value=receiver, slice=build.const(Ellipsis), ctx=gast.Store()), node)
        self.setitem(target, call.args[0], node)
        return True

    def fill_diagonal_statement(self, node, call) -> None:
        shown = gast.unparse(call.func).strip()
        bound = dict(zip(("a", "val", "wrap"), call.args))
        for keyword in call.keywords:
            if keyword.arg not in ("a", "val", "wrap") or keyword.arg in bound:
                bound = {}
                break
            bound[keyword.arg] = keyword.value
        if len(call.args) > 3 or "a" not in bound or "val" not in bound:
            raise self.unsupported(node, f"`{gast.unparse(call).strip()}` with these arguments",
                                   f"pass {shown}(a, val) or {shown}(a, val, wrap)")
        array = bound["a"]
        if not isinstance(array, gast.Name) or array.id not in self.env:
            raise self.unsupported(node, f"`{shown}(...)` into `{gast.unparse(array).strip()}`, which is not a "
                                   "variable of the function", "make a copy first: a = a.copy(), and fill that")
        self.refuse_unowned(node, array.id, f"`{shown}(...)`")
        value = self.atom(bound["val"])         # evaluated once: its size is checked against the diagonal's
        wrap = [bound["wrap"]] if "wrap" in bound else []
        positions = build.call(self.runtime_name("diagonal_positions", diagonal_positions), build.load(array.id),
                               value, *wrap)
        target = located_at(gast.Subscript(value=build.load(array.id), slice=positions, ctx=gast.Store()), node)
        self.setitem(target, value, node)

    def add_at_statement(self, node, call, negated: bool) -> None:
        """`np.add.at(F, index, v)` (`np.subtract.at`: `negated`) into an array the function made:
        `F = added_at(F, index, v)`. (ssa/pure_forms.py made the statement an assignment to F, so that a loop
        carries F.)"""
        shown = gast.unparse(call.func).strip()
        if len(call.args) != 3 or call.keywords or any(isinstance(a, gast.Starred) for a in call.args):
            raise self.unsupported(node, f"`{gast.unparse(call).strip()}` with these arguments",
                                   f"pass {shown}(a, indices, values)")
        array, index, values = call.args
        if not isinstance(array, gast.Name) or array.id not in self.env:
            raise self.unsupported(node, f"`{shown}(...)` into `{gast.unparse(array).strip()}`, which is not a "
                                   "variable of the function", "make a copy first: a = a.copy(), and add into that")
        self.refuse_unowned(node, array.id, f"`{shown}(...)`")
        # Python changes F's array, which its views and the containers holding it see; the new value here
        # does not reach them, so reading one of them later is refused (ssa/expressions.py), as after y[i] = v
        line = getattr(node, "lineno", 0) + self.src.line_offset
        old = self.env[array.id]
        for other in self.views.get(old, set()) | self.holding.get(old, set()):
            if other != old:
                self.stale_views[other] = (array.id, line)
        if negated:
            values = located_at(gast.UnaryOp(op=gast.USub(), operand=values), node)
        total = build.call(self.runtime_name("added_at", added_at), build.load(array.id), index, values)
        self.assign_to(located_at(gast.Name(id=array.id, ctx=gast.Store(), annotation=None, type_comment=None),
                                  node), total, node)

    def refuse_unowned(self, node, user: str, what: str) -> None:
        """The element writes' own refusal (ssa/inplace.py), worded for the call the user wrote."""
        array = self.env[user]
        if array in self.owned:
            return
        whose = ("the caller's input array" if array in self.params_ssa
                 else "an array that may share memory with another one (a view, or another name for it)")
        raise self.unsupported(
            node, f"{what}, which changes `{user}` in place: `{user}` is {whose}",
            f"copy it first, e.g. {user} = {user}.copy(), then change the copy")


def is_fill_diagonal(target) -> bool:
    return target is np.fill_diagonal
