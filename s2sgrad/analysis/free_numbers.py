"""Which names a function reads from outside itself hold plain real numbers, and do they still?

A function that reads a module-level constant (`DT = 0.001`) used to get
generated code that treated `DT` as a value of unknown shape: `unbroadcast`
on every adjoint it touches, tape entries kept for their shapes. Its kind is
known when the gradient is specialized, so it is part of the specialization
(the names join the scalar parameters, analysis/kinds.py). Unlike a callee's
identity (resolve.py's ResolutionGuard), a number is rebound often
(`DT = DT / 2`) and then only its kind matters: `NumberGuard` checks per call
that each name the specialization took for a number still holds one, and a
call where one holds something else (an array) must get a new specialization.
A name that held something else when specializing gets general code, right
for any later value; it is never guarded.

Only real numbers count: scalar templates compare (`dy if x >= 0 else -dy`),
which a complex number cannot.
"""
from __future__ import annotations

import weakref

import gast
import numpy as np

from .dataflow import assigned_names
from .resolve import closure_cells

# exact types, so the per-call check is one set lookup (a subclass of float could override anything)
REAL_NUMBER_TYPES = frozenset({int, float, bool, np.float64, np.float32, np.float16, np.int64, np.int32,
                               np.int16, np.int8, np.uint64, np.uint32, np.uint16, np.uint8, np.bool_})


def free_reads(ssa) -> tuple[str, ...]:
    """The plain names the function's own statements read but neither take as parameters nor assign
    (globals, closure cells, builtins), in order of first reading. Nested defs' bodies are theirs.
    Remembered per single-assignment form (a transformation is shared by every gradient of it)."""
    found = _FREE_READS.get(ssa.tree)
    if found is None:
        found = _FREE_READS[ssa.tree] = _free_reads(ssa)
    return found


_FREE_READS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _free_reads(ssa) -> tuple[str, ...]:
    local = set(ssa.params) | assigned_names(ssa.body)
    seen: dict[str, None] = {}
    pending = list(reversed(ssa.body))
    while pending:          # depth first, in reading order; fields read directly (iter_child_nodes is slow)
        node = pending.pop()
        kind = type(node)
        if kind is gast.FunctionDef or kind is gast.Lambda:
            continue
        if kind is gast.Name and type(node.ctx) is gast.Load and node.id not in local:
            seen.setdefault(node.id)
        children = []
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                children.extend(item for item in value if isinstance(item, gast.AST))
            elif isinstance(value, gast.AST):
                children.append(value)
        pending.extend(reversed(children))
    return tuple(seen)


class NumberGuard:
    """The names among `names` that hold a real number for `function` now (`.names`), and the per-call
    check that they still do (`holds`)."""

    def __init__(self, names, function):
        self._namespace = namespace = function.__globals__
        cells = closure_cells(function)
        numbers = []
        for name in names:
            if name in cells:
                try:
                    value = cells[name].cell_contents
                except ValueError:          # an empty cell: nothing to know yet
                    continue
            else:
                value = namespace.get(name)
            if type(value) in REAL_NUMBER_TYPES:
                numbers.append(name)
        self.names = frozenset(numbers)
        self._globals = tuple(n for n in numbers if n not in cells)
        self._cells = tuple(cells[n] for n in numbers if n in cells)

    def __bool__(self) -> bool:
        return bool(self.names)

    def holds(self) -> bool:
        get = self._namespace.get
        for name in self._globals:
            if type(get(name)) not in REAL_NUMBER_TYPES:
                return False
        for cell in self._cells:
            try:
                if type(cell.cell_contents) not in REAL_NUMBER_TYPES:
                    return False
            except ValueError:              # the variable was deleted
                return False
        return True
