"""Write a result into the array of an operand that dies with it (`out=`), as a person tuning NumPy would.

Every arithmetic line of a gradient makes a new array. On large arrays that
costs more than the arithmetic: fresh memory is cold, so a line that writes
into an array that was just read runs faster than one that writes into new
memory. Once `release` (optimize/release.py) has put `del a` after the last
line that reads `a`, a line `y = a * b` followed by `del a` may as well write
its result into `a`'s array: `y = np.multiply(a, b, out=a)`. The same holds
for the term of an accumulation (`dx += np.multiply(dt2, t1, out=t1)`) and for
a NumPy ufunc called by name (`t5 = np.exp(t4, out=t4)`).

That is only right when nobody else can see the array, so a name's array is
*owned* only when a line of this function made it with arithmetic (or a
ufunc) and it has not been handed to anything since: a copy (`dt2 = dt6`)
shares it until one of the two names is deleted, and any other use (a call, a
subscript, an attribute, a container, the tape, a loop or branch) gives it
away for good. Parameters, views, broadcasts and the tape's values are never
owned.

And only when the result has exactly the operand's shape and dtype, or
`out=` would cast it. Layouts are followed exactly through the lines: a
parameter's from the specialization's key, a result's by broadcasting its
operands' shapes and evaluating its operation on one-element arrays of their
dtypes. A number whose exact type is unknown (a scalar argument could be a
np.longdouble) leaves its line's dtype unknown, and an unknown layout leaves
the line as it is. `**` is never rewritten: NumPy computes `a ** 2` and
`a ** 0.5` by faster routes than np.power, which differ at -0.0 and -inf.
"""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from typing import Callable

import gast
import numpy as np

from ..analysis.shapes import matmul_shape


@dataclass(frozen=True)
class Layout:
    """The exact shape and dtype of an array value or NumPy number; for a Python number (weak in NumPy's
    promotion), `weak` holds one of its type to compute with."""

    shape: tuple
    dtype: np.dtype
    weak: object = None

    @staticmethod
    def of_number(type_name: str) -> "Layout":
        """A number argument's layout from its specialization tag: a Python type's name or a dtype."""
        weak = _PYTHON_NUMBERS.get(type_name)
        return Layout((), np.asarray(weak).dtype if weak is not None else np.dtype(type_name), weak)


_PYTHON_NUMBERS = {"bool": True, "int": 1, "float": 1.0, "complex": 1j}


def reuse_dying_buffers(stmts: list, layouts: dict[str, Layout], resolve: Callable[[gast.expr], object],
                        numpy_name: str, like_argument: dict[str, int]) -> list:
    """`stmts` (straight-line top-level statements with release's `del`s) with results written into the
    arrays of operands that die on that line.

    `layouts`: the parameters' exact layouts; `resolve`: the object a global name or attribute chain of
    the generated code denotes (None for a local or anything unknown); `numpy_name`: the generated code's
    name for NumPy (operators become its ufuncs); `like_argument`: helper name -> index of the argument
    whose layout the helper's result has (spread: a broadcast view shaped like its second argument)."""
    _Walk(dict(layouts), resolve, numpy_name, like_argument).run(stmts)
    return stmts


_UFUNCS = {gast.Add: "add", gast.Sub: "subtract", gast.Mult: "multiply", gast.Div: "divide",
           gast.FloorDiv: "floor_divide", gast.Mod: "remainder", gast.USub: "negative", gast.UAdd: "positive"}
_OPERATORS = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Div: operator.truediv,
              gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod, gast.Pow: operator.pow,
              gast.MatMult: operator.matmul, gast.USub: operator.neg, gast.UAdd: operator.pos}


class _Walk:
    def __init__(self, layouts, resolve, numpy_name, like_argument):
        self.layouts = layouts            # name -> Layout (exact), for the names whose layout is known
        self.resolve, self.numpy_name, self.like_argument = resolve, numpy_name, like_argument
        self.buffer_of: dict[str, int] = {}       # name -> the owned array it holds
        self.holders: dict[int, set[str]] = {}    # owned array -> the names holding it
        self.fresh = itertools.count()

    def run(self, stmts: list) -> None:
        for index, stmt in enumerate(stmts):
            following = stmts[index + 1] if index + 1 < len(stmts) else None
            dying = {t.id for t in following.targets if isinstance(t, gast.Name)} \
                if isinstance(following, gast.Delete) else set()
            self.statement(stmt, dying)

    # ---- one statement ----------------------------------------------------------------------------------
    def statement(self, stmt, dying: set[str]) -> None:
        if isinstance(stmt, gast.Delete):
            for target in stmt.targets:
                if isinstance(target, gast.Name):
                    self.forget(target.id)
            return
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name):
            target, value = stmt.targets[0].id, stmt.value
            if isinstance(value, gast.Name):              # a copy: both names hold one array
                buffer, layout = self.buffer_of.get(value.id), self.layouts.get(value.id)
                self.forget(target)
                if buffer is not None:
                    self.hold(target, buffer)
                if layout is not None:
                    self.layouts[target] = layout
                return
            layout, arithmetic = self.layout(value), _is_arithmetic(value, self.resolve)
            self.give_away_operands(value)
            buffer = self.rewrite(stmt, layout, dying) if arithmetic else None
            self.forget(target)
            if layout is not None:
                self.layouts[target] = layout
            if buffer is not None:
                self.hold(target, buffer)
            elif layout is not None and layout.shape and arithmetic:
                self.hold(target, next(self.fresh))     # arithmetic on arrays: a new array nobody else holds
            return
        if isinstance(stmt, gast.AugAssign) and isinstance(stmt.target, gast.Name) \
                and _is_arithmetic(stmt.value, self.resolve):
            # `dx += term`: dx keeps its array (accumulate.py made sure it may); the term's array is new
            self.give_away_operands(stmt.value)
            self.rewrite(stmt, self.layout(stmt.value), dying - {stmt.target.id})
            return
        # anything else (tape pushes and pops, calls, subscripts, loops, branches): every name it mentions
        # gives its array away, and every name it assigns holds something of unknown layout
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name):
                self.give_away(node.id)
                if not isinstance(node.ctx, gast.Load):
                    self.forget(node.id)

    def rewrite(self, stmt, layout: Layout | None, dying: set[str]) -> int | None:
        """Write the operation of `stmt.value` into a dying owned operand's array; that array's id, or None."""
        value = stmt.value
        if layout is None or not layout.shape or not _writable_into(value, self.resolve):
            return None
        for operand in _operands(value):
            if not isinstance(operand, gast.Name) or operand.id not in dying:
                continue
            buffer = self.buffer_of.get(operand.id)
            if buffer is None or self.holders[buffer] != {operand.id} or self.layouts.get(operand.id) != layout:
                continue
            stmt.value = self.written_into(value, operand.id)
            return buffer
        return None

    def written_into(self, value, name: str):
        out = gast.keyword(arg="out", value=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None))
        if isinstance(value, gast.Call):
            return gast.Call(func=value.func, args=value.args, keywords=[*value.keywords, out])
        function = gast.Attribute(value=gast.Name(id=self.numpy_name, ctx=gast.Load(), annotation=None,
                                                  type_comment=None), attr=_UFUNCS[type(value.op)], ctx=gast.Load())
        operands = [value.left, value.right] if isinstance(value, gast.BinOp) else [value.operand]
        return gast.Call(func=function, args=operands, keywords=[out])

    # ---- ownership ----------------------------------------------------------------------------------------
    def hold(self, name: str, buffer: int) -> None:
        self.buffer_of[name] = buffer
        self.holders.setdefault(buffer, set()).add(name)

    def forget(self, name: str) -> None:
        """`name` no longer holds what it held (deleted or assigned anew)."""
        buffer = self.buffer_of.pop(name, None)
        if buffer is not None:
            self.holders[buffer].discard(name)
        self.layouts.pop(name, None)

    def give_away(self, name: str) -> None:
        """Something other than arithmetic saw `name`'s array: nobody owns it from now on."""
        buffer = self.buffer_of.get(name)
        if buffer is not None:
            for holder in self.holders.pop(buffer):
                del self.buffer_of[holder]

    def give_away_operands(self, value) -> None:
        """Arithmetic reads its operands and keeps nothing of them; anything else in `value` may keep them."""
        for part in _opaque_parts(value, self.resolve):
            for node in gast.walk(part):
                if isinstance(node, gast.Name):
                    self.give_away(node.id)

    # ---- layouts ------------------------------------------------------------------------------------------
    def layout(self, value) -> Layout | None:
        shape = self.shape(value)
        if shape is None:
            return None
        try:
            with np.errstate(all="ignore"):
                return Layout(shape, np.asarray(self.evaluate(value)).dtype)
        except Exception:           # noqa: BLE001 - a leaf of unknown layout, or an operation dummies cannot take
            return None

    def shape(self, value) -> tuple | None:
        if isinstance(value, gast.Name):
            layout = self.layouts.get(value.id)
            return None if layout is None else layout.shape
        if _number(value) is not None:
            return ()
        if isinstance(value, gast.BinOp) and isinstance(value.op, gast.MatMult):
            return matmul_shape(self.shape(value.left), self.shape(value.right))
        liked = self.liked_argument(value)
        if liked is not None:
            return self.shape(liked)
        if not _is_arithmetic(value, self.resolve):
            return None
        shapes = [self.shape(o) for o in _operands(value)]
        if None in shapes:
            return None
        try:
            return tuple(np.broadcast_shapes(*shapes))
        except ValueError:
            return None

    def evaluate(self, value):
        """`value` computed on one-element arrays of its operands' dtypes (broadcasting aside)."""
        if isinstance(value, gast.Name):
            layout = self.layouts.get(value.id)
            if layout is None:
                raise LookupError(value.id)
            if layout.weak is not None:
                return layout.weak
            return np.ones((1,) * len(layout.shape), layout.dtype) if layout.shape else layout.dtype.type(1)
        number = _number(value)
        if number is not None:
            return number
        liked = self.liked_argument(value)
        if liked is not None:
            return self.evaluate(liked)
        if isinstance(value, gast.BinOp):
            return _OPERATORS[type(value.op)](self.evaluate(value.left), self.evaluate(value.right))
        if isinstance(value, gast.UnaryOp) and type(value.op) in _OPERATORS:
            return _OPERATORS[type(value.op)](self.evaluate(value.operand))
        ufunc = _ufunc_called(value, self.resolve)
        if ufunc is not None:
            return ufunc(*(self.evaluate(a) for a in value.args))
        raise LookupError(gast.dump(value))

    def liked_argument(self, value):
        """The argument a helper's result takes its layout from (spread(g, x): x's), else None."""
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and not value.keywords \
                and value.func.id in self.like_argument and len(value.args) > self.like_argument[value.func.id]:
            return value.args[self.like_argument[value.func.id]]
        return None


def _number(node):
    """A Python int, float or bool constant (a weak operand in NumPy's promotion), else None."""
    if isinstance(node, gast.Constant) and type(node.value) in (int, float, bool):
        return node.value
    return None


def _ufunc_called(value, resolve) -> np.ufunc | None:
    """The elementwise NumPy ufunc a call applies to positional operands only (no `out=`, `where=`, `dtype=`)."""
    if not isinstance(value, gast.Call) or value.keywords or any(isinstance(a, gast.Starred) for a in value.args):
        return None
    function = resolve(value.func)
    # elementwise only: a generalized ufunc (np.matmul) has a core signature and shapes of its own
    if isinstance(function, np.ufunc) and function.signature is None and function.nout == 1 \
            and len(value.args) == function.nin:
        return function
    return None


def _is_arithmetic(value, resolve) -> bool:
    """An operator or ufunc: its result is a new array whenever an operand is an array."""
    if isinstance(value, gast.BinOp):
        return type(value.op) in _OPERATORS
    if isinstance(value, gast.UnaryOp):
        return type(value.op) in _UFUNCS
    return _ufunc_called(value, resolve) is not None


def _writable_into(value, resolve) -> bool:
    """An operation that takes `out=` and computes exactly what it computes without it (not `**`, see above;
    not `@`, whose operands `out` must not overlap)."""
    if isinstance(value, (gast.BinOp, gast.UnaryOp)):
        return type(value.op) in _UFUNCS
    return _ufunc_called(value, resolve) is not None


def _operands(value) -> list:
    if isinstance(value, gast.BinOp):
        return [value.left, value.right]
    if isinstance(value, gast.UnaryOp):
        return [value.operand]
    return list(value.args)


def _opaque_parts(value, resolve) -> list:
    """The parts of an expression that are not arithmetic over names and numbers (calls, subscripts, ...):
    what they do with the names they read is not known."""
    if isinstance(value, gast.Name) or _number(value) is not None:
        return []
    if _is_arithmetic(value, resolve):
        return [part for operand in _operands(value) for part in _opaque_parts(operand, resolve)]
    return [value]


__all__ = ["Layout", "reuse_dying_buffers"]
