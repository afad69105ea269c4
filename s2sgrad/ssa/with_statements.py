"""`with` statements over context managers that change no value and no control flow.

    with np.errstate(divide='ignore'):          np.errstate(divide='ignore')     # entering (a marker)
        y = np.log(x)                    ->     y = np.log(x)
                                                np.errstate(divide='ignore')     # leaving (a marker)

The body becomes ordinary statements between two markers (codegen/with_blocks.py),
before any other rewrite, so every later pass sees plain code; the printer folds
the markers back into a `with` block around the forward statements, and around
the block's adjoints in the reverse sweep (a user who silences a log's division
by zero expects its adjoint's division to be quiet too).

That is right only for a manager whose `__exit__` never suppresses an exception
and whose context changes no value the block computes: then the block runs the
same statements in the same order whatever the context does. Which managers are
so is data, NEUTRAL_CONTEXTS, keyed by the callable the way the rule table keys
functions. Any other manager (`contextlib.suppress`, which swallows exceptions,
or a class of the user's) may change control flow: it is refused, named.
"""
from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import gast
import numpy as np

from ..analysis.resolve import dotted_name, resolve_global
from ..codegen.with_blocks import marker
from ..errors import UnsupportedConstructError
from . import ast_build as build


@dataclass(frozen=True)
class NeutralContext:
    name: str
    replayed: tuple = ()        # calls in the block that set its context up: run again when the reverse sweep enters it
    binds: str = ""             # what `as name` binds, for the managers whose value is plain ("nullcontext": its argument)


NEUTRAL_CONTEXTS = {
    np.errstate: NeutralContext("np.errstate"),
    np.printoptions: NeutralContext("np.printoptions"),
    warnings.catch_warnings: NeutralContext(
        "warnings.catch_warnings", replayed=(warnings.simplefilter, warnings.filterwarnings, warnings.resetwarnings)),
    contextlib.nullcontext: NeutralContext("contextlib.nullcontext", binds="nullcontext"),
}


def lower_with_statements(src) -> None:
    """Rewrite, in place, every `with` statement of `src.tree` (a FunctionSource) into marked plain statements,
    or refuse it with its line."""
    if not _has_with(src.tree.body):
        return
    local = {n.id for n in gast.walk(src.tree) if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Param))}
    _Lowering(src, local).block(src.tree.body)


class _Lowering:
    def __init__(self, src, local: set[str]):
        self.src, self.local = src, local

    def block(self, stmts: list) -> None:
        out = []
        for stmt in stmts:
            if isinstance(stmt, gast.With):
                out.extend(self.with_statement(stmt))
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and not isinstance(stmt, (gast.FunctionDef, gast.ClassDef)):
                    self.block(inner)
            for part in getattr(stmt, "cases", None) or getattr(stmt, "handlers", None) or ():
                self.block(part.body)
            out.append(stmt)
        stmts[:] = out

    def with_statement(self, stmt: gast.With) -> list:
        self.refuse_jumps(stmt)
        self.block(stmt.body)           # a `with` inside this one first
        entering, leaving, bound = [], [], []
        for item in stmt.items:
            manager = self.neutral(item.context_expr, stmt)
            if item.optional_vars is not None:
                bound.append(self.binding(item, manager, stmt))
            setup = [s for s in stmt.body if self.replays(s, manager)]
            entering.append(marker(item.context_expr, True, setup))
            leaving.insert(0, marker(item.context_expr, False, setup))
        for new in entering + bound + leaving:
            _locate(new, stmt)
        return [*entering, *bound, *stmt.body, *leaving]

    def neutral(self, expr, stmt) -> NeutralContext:
        shown = gast.unparse(expr).strip()
        target = None
        if isinstance(expr, gast.Call):
            dotted = dotted_name(expr.func)
            if dotted is not None and dotted.split(".")[0] not in self.local:
                target = resolve_global(dotted, self.src.globals, self.src.closure)
        entry = _entry(target)
        if entry is None:
            names = ", ".join(e.name for e in NEUTRAL_CONTEXTS.values())
            raise UnsupportedConstructError(
                f"a `with` statement over `{shown}`: s2sgrad follows a `with` block only where its context "
                f"manager changes no value and cannot suppress an exception ({names}), and it cannot tell that "
                "of this one", self.src.location(stmt),
                "move the `with` block outside the differentiated function, or call a function that holds it "
                "and has a rule (s2sgrad.defvjp)")
        reads = sorted({n.id for n in gast.walk(expr) if isinstance(n, gast.Name) and n.id in self.local})
        if reads:
            raise UnsupportedConstructError(
                f"`with {shown}`, whose arguments read `{reads[0]}`, a variable of the function: the reverse sweep "
                "enters the context again, where that value may have changed", self.src.location(stmt),
                "pass the manager constants or module-level names")
        return entry

    def binding(self, item, manager: NeutralContext, stmt):
        shown = gast.unparse(item.optional_vars).strip()
        if manager.binds != "nullcontext" or not isinstance(item.optional_vars, gast.Name):
            raise UnsupportedConstructError(
                f"`with {gast.unparse(item.context_expr).strip()} as {shown}`: what `{manager.name}` gives "
                "`as` is not a value s2sgrad follows", self.src.location(stmt),
                f"drop `as {shown}`")
        call = item.context_expr
        value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "enter_result"),
                                                    build.const(None))
        return gast.Assign(targets=[item.optional_vars], value=value, type_comment=None)

    def replays(self, stmt, manager: NeutralContext) -> bool:
        if not manager.replayed or not isinstance(stmt, gast.Expr) or not isinstance(stmt.value, gast.Call):
            return False
        dotted = dotted_name(stmt.value.func)
        if dotted is None or dotted.split(".")[0] in self.local:
            return False
        if any(isinstance(n, gast.Name) and n.id in self.local for n in gast.walk(stmt.value)):
            return False
        return any(resolve_global(dotted, self.src.globals, self.src.closure) is f for f in manager.replayed)

    def refuse_jumps(self, stmt) -> None:
        """A `return`, or a `break`/`continue` of a loop around the block, leaves it in the middle: the
        statements after would no longer stand inside it once jumps become flags (ssa/structure.py)."""
        for node, loops in _jumps(stmt.body, 0):
            if isinstance(node, gast.Return) or loops == 0:
                word = type(node).__name__.lower()
                raise UnsupportedConstructError(
                    f"`{word}` inside a `with` block", self.src.location(node),
                    "assign the result to a variable and leave the block at its end")


def _has_with(stmts) -> bool:
    """Whether a `with` statement stands in `stmts` or a block inside them (statements only: no expression
    holds one), outside nested functions and classes."""
    for stmt in stmts:
        if isinstance(stmt, gast.With):
            return True
        if isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and _has_with(block):
                return True
        if any(_has_with(part.body) for part in getattr(stmt, "cases", None) or getattr(stmt, "handlers", None) or ()):
            return True
    return False


def _jumps(stmts, loops: int):
    for stmt in stmts:
        if isinstance(stmt, (gast.Return, gast.Break, gast.Continue)):
            yield stmt, loops
        if isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        inner = loops + isinstance(stmt, (gast.For, gast.While))
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list):
                yield from _jumps(block, inner if field == "body" else loops)
        for part in getattr(stmt, "cases", None) or getattr(stmt, "handlers", None) or ():
            yield from _jumps(part.body, loops)


def _entry(target):
    try:
        return NEUTRAL_CONTEXTS.get(target)
    except TypeError:               # an unhashable object
        return None


def _locate(new, original) -> None:
    for node in gast.walk(new):
        for attr in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            if attr in node._attributes and getattr(node, attr, None) is None:
                setattr(node, attr, getattr(original, attr, None))
