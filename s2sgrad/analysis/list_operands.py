"""Lists and tuples of numbers given to NumPy functions become arrays once, in the forward sweep.

NumPy converts such an operand itself (`np.linalg.norm([x, y])` runs
np.asarray on `[x, y]` first), but a rule's adjoint and tangent are Python
written for arrays: `dy * x / y` with `x = [x, y]` would repeat a list, and
`[x, y] >= 1.0` compares a list. So where the kinds analysis proves that a
differentiable operand of a NumPy or SciPy function holds a list or tuple of
numbers (a display, one joined or grown from them, a sequence argument, or
lists of such lists: a matrix), the specialization converts it first, with
NumPy's own conversion, and hands the function the array:

    t1 = [x, y]
    t1_array = np.asarray(t1)
    f = np.linalg.norm(t1_array)

The entry of np.asarray passes the adjoint through (`dt1 = dt1_array`), and
the list's own rule splits the array adjoint into the numbers (`dx = dt1[0]`);
forward mode converts the tangents alike (`t1_array_dot = np.asarray(t1_dot)`).
The conversion is what NumPy would have done, so the values do not change.
Operands the analysis cannot prove to be numbers (a list holding arrays, whose
library a conversion could change) stay as they are, and so do parameters no
derivative goes through (`axis`, `shape`, indices), except a ufunc's: a ufunc
converts any list it is given with np.asarray (it looks for overrides only on
its operands themselves), so `np.sin([x, y])` of arrays reads the array that
np.asarray makes of a list display too, whatever it holds (a ragged one fails
there, with NumPy's error, as the ufunc would).
"""
from __future__ import annotations

import gast
import numpy as np

from ..ir.nodes import Branch, Loop, Operation
from ..rules import Rule
from ..ssa import ast_build as build
from .dataflow import appends, assignments, simple_statements
from .primitives import Primitive

# entries that are the conversion themselves: their operand stays the list
_CONVERSIONS = (np.array, np.asarray, np.asanyarray, np.ascontiguousarray)
_LIBRARIES = ("numpy", "scipy")


def convert_number_lists(ir, ssa, scalars, containers: set[str], varied: set[str], rules, name_for) -> set[str]:
    """Insert `<list>_array = np.asarray(<list>)` before each NumPy operation that reads a list of numbers
    where a derivative passes, and make the operation read the array.

    Changes `ir` and `ssa` (a specialization's own copies, whose statements they share) and adds each
    conversion of a varied list to `varied`. `scalars` is kinds.scalar_names' result, `containers` the
    names that may hold lists or tuples (kinds.container_names: a 1-D array argument counts among the
    sequences of numbers, but needs no conversion); `name_for(name, object)` binds a module for the
    generated code. Returns the lists it may convert (converted_operands tells which, per operation)."""
    lists = ConvertedLists(number_lists(ssa.body, scalars) & set(containers))
    lists.displays = _displays(ssa.body)
    if lists or lists.displays:
        converter = _Converter(ssa, lists, varied, rules.lookup(np.asarray), name_for)
        converter.block(ir.body, ssa.body)     # ir.resolve finds the new operations (its index rebuilds on a miss)
    return lists


class ConvertedLists(set):
    """The lists of numbers that NumPy operations may read converted, with `displays`: the list displays
    of anything that ufuncs read converted."""

    displays: set = frozenset()


def converted_operands(prim: Primitive, lists: set[str]) -> set[str]:
    """The operand names of an operation whose result carries a derivative that the conversion gives
    arrays for: the lists among the operands a NumPy or SciPy entry differentiates."""
    if isinstance(prim.key, np.ufunc):
        lists = set(lists) | set(getattr(lists, "displays", ()))
    if not lists or not _library_entry(prim):
        return set()
    return {atom.id for atom in _differentiable_atoms(prim) if atom.id in lists}


def number_lists(body, scalars) -> set[str]:
    """Names that hold a list or tuple of numbers on every path (kinds: `scalars.sequences`), or a list or
    tuple of such lists of one length (a matrix written `[[a, b], [c, d]]`).

    Rows must make a regular array: each a display of a known length that nothing resizes (an append,
    a method call on it), all of one shape. np.concatenate([[a, b], [c]]) joins ragged rows where
    np.asarray would refuse them, so such a list stays a list."""
    found = set(getattr(scalars, "sequences", ()))
    definitions: dict[str, list] = {}
    for stmt in assignments(body):
        definitions.setdefault(stmt.targets[0].id, []).append(stmt.value)
    resized = {s.s2s_append for s in appends(body)} | _method_receivers(body)
    shapes: dict[str, tuple] = {}          # a list -> the shape of the array NumPy makes of it
    for name in found - resized:
        lengths = {len(v.elts) if isinstance(v, (gast.Tuple, gast.List)) else None for v in definitions.get(name, ())}
        if len(lengths) == 1 and None not in lengths:
            shapes[name] = (lengths.pop(),)
    changed = True
    while changed:
        changed = False
        for name, values in definitions.items():
            if name in found or name in resized:
                continue
            rows = {_rows_shape(v, shapes) for v in values}
            if len(rows) == 1 and None not in rows:
                found.add(name)
                shapes[name] = rows.pop()
                changed = True
    return found


def _rows_shape(value, shapes: dict) -> tuple | None:
    """The shape of the array a display of equally shaped lists makes, or None."""
    if not isinstance(value, (gast.Tuple, gast.List)) or not value.elts:
        return None
    inner = {shapes.get(e.id) if isinstance(e, gast.Name) else None for e in value.elts}
    if len(inner) != 1 or None in inner:
        return None
    return (len(value.elts),) + inner.pop()


def _displays(body) -> set[str]:
    """Names bound only to list or tuple displays (`[x, y]`, of numbers or arrays) that nothing changes in
    place: what a ufunc converts with np.asarray."""
    definitions: dict[str, list] = {}
    for stmt in assignments(body):
        definitions.setdefault(stmt.targets[0].id, []).append(stmt.value)
    resized = {s.s2s_append for s in appends(body)} | _method_receivers(body)
    return {name for name, values in definitions.items() if name not in resized
            and all(isinstance(v, (gast.Tuple, gast.List)) and v.elts for v in values)}


def _method_receivers(body) -> set[str]:
    """Names whose methods are called (`rows.pop()`, `rows.extend(...)`): they may change in place."""
    return {s.value.func.value.id for s in simple_statements(body)
            if isinstance(getattr(s, "value", None), gast.Call) and isinstance(s.value.func, gast.Attribute)
            and isinstance(s.value.func.value, gast.Name)}


class _Converter:
    def __init__(self, ssa, lists, varied, entry, name_for):
        self.ssa, self.lists, self.varied, self.entry, self.name_for = ssa, lists, varied, entry, name_for

    def block(self, nodes: list, stmts: list) -> None:
        # list -> its array, made earlier in this block; a later read converts afresh after anything that
        # may change a list in place (an append, a write, a pop, a call, a nested block)
        converted: dict[str, str] = {}
        for node in list(nodes):
            if isinstance(node, Branch):
                self.block(node.body, node.node.body)
                self.block(node.orelse, node.node.orelse)
            elif isinstance(node, Loop):
                self.block(node.body, node.node.body)
            if not (isinstance(node, Operation) and isinstance(node.entry, Rule)):
                converted.clear()
            elif node.target in self.varied:
                names = converted_operands(node.primitive, self.lists)
                for atom in _differentiable_atoms(node.primitive) if names else ():
                    if atom.id in names:
                        if atom.id not in converted:
                            converted[atom.id] = self.convert(atom.id, node, nodes, stmts)
                        atom.id = converted[atom.id]     # the operand node is the statement's and the primitive's

    def convert(self, name: str, before: Operation, nodes: list, stmts: list) -> str:
        array = self.ssa.namer.claim(f"{name}_array")
        numpy = gast.Attribute(value=build.load(self.name_for("np", np)), attr="asarray", ctx=gast.Load())
        stmt = build.assign(array, build.call(numpy, build.load(name)), before.node)
        operation = Operation(array, Primitive(np.asarray, self.entry, [stmt.value.args[0]], {}), stmt)
        nodes.insert(_position(nodes, before), operation)
        stmts.insert(_position(stmts, before.node), stmt)
        if name in self.varied:
            self.varied.add(array)
        return array


def _library_entry(prim: Primitive) -> bool:
    """An entry of NumPy's or SciPy's functions (ufuncs included), other than the conversions."""
    if not isinstance(prim.rule, Rule) or not callable(prim.key) or isinstance(prim.key, type):
        return False
    if any(prim.key is c for c in _CONVERSIONS):
        return False
    if isinstance(prim.key, np.ufunc):
        return True
    module = getattr(prim.key, "__module__", None) or ""
    return module.partition(".")[0] in _LIBRARIES


def _differentiable_atoms(prim: Primitive) -> list:
    """The operand names bound to parameters the entry differentiates (in either mode); none where the call
    does not bind (the emitters report that, at the user's line)."""
    rule = prim.rule
    if any(isinstance(a, gast.Starred) for a in prim.args) or None in prim.keywords:
        return []
    try:
        bound = rule.signature.bind(*prim.args, **prim.keywords).arguments
    except TypeError:
        return []
    atoms = []
    for param, value in bound.items():
        if param not in rule.adjoints and param not in rule.tangents:
            continue
        if isinstance(rule.defaults.get(param), (gast.Tuple, gast.List)):
            continue        # a parameter that takes a tuple as such (odeint's `args=()`, passed on to func)
        values = value if isinstance(value, tuple) else (value,)      # *operands: each is one
        atoms += [v for v in values if isinstance(v, gast.Name)]
    return atoms


def _position(block: list, node) -> int:
    for i, item in enumerate(block):
        if item is node:
            return i
    raise LookupError("an operation missing from its block")        # the IR and its statements disagree


__all__ = ["ConvertedLists", "convert_number_lists", "converted_operands", "number_lists"]
