"""Which shape (and dtype kind) each value has, for a gradient specialized on its arrays' shapes.

A gradient called again and again with arrays of the same shapes can be
generated for those shapes (api/shape_keys.py decides when). Knowing the shape
of every value lets the reverse sweep drop `unbroadcast(dx, x)` where `x` has
the result's shape (no broadcasting stretched it), and with it the tape entries
kept only so that `unbroadcast` could read a shape.

Facts come from the rule table: an entry that is `elementwise` or `broadcasts`
gives the broadcast of its operands' shapes (np.broadcast_shapes), `@` and the
reductions (axis, keepdims) have a shape rule each, subscripts with known
indices are evaluated on a zero-stride dummy array (a view: no element is
computed), and `.shape`, `len`, tuples of known ints carry their values so
`np.zeros((xs.shape[1], n))` has a known shape. Dtype kinds come from
evaluating ufuncs and operators on 0-d dummies. Nothing else is evaluated:
calls to other functions, random draws and anything without a shape fact are
unknown, and an unknown shape keeps today's shape-generic code.

Facts are flow-insensitive (a name's fact holds for every definition of it) and
computed as an optimistic fixpoint, so a loop-carried `h` whose body keeps its
shape has a known shape; a name whose definitions disagree is unknown.
"""
from __future__ import annotations

import math
import numbers
import operator
from dataclasses import dataclass

import gast
import numpy as np

from ..rules import NonDifferentiable, Rule
from .dataflow import assignments, simple_statements
from .kinds import is_scalar_atom
from .primitives import COPY, CONSTANT, PACK, SUBSCRIPT

# dtype kinds: b(ool) < i(nt) < f(loat) < c(omplex); "r" a real number of a kind not known (a scalar argument:
# the specialization serves ints and floats alike); "" unknown


@dataclass(frozen=True)
class Fact:
    """What is known about one value: its array shape (`()` for a number), its dtype kind, its value
    (an int or a tuple of ints read from shapes, else None)."""

    shape: tuple | None = None
    kind: str = ""
    value: object = None


UNKNOWN = Fact()
class _Pending:
    """Not computed yet (the fixpoint's optimistic start). Not None: None is np.newaxis in an index."""


_PENDING = _Pending()


def argument_fact(value) -> Fact | None:
    """The fact a specialization key gives an argument: a NumPy array's shape and kind."""
    if type(value) is np.ndarray:
        return Fact(tuple(value.shape), value.dtype.kind)
    return None


def value_facts(body, parameters: dict[str, Fact], scalars: set[str], resolve, source=None) -> dict[str, Fact]:
    """name -> Fact for every name of the single-assignment `body` whose shape is decided.

    `parameters`: the facts of the arguments the gradient is specialized for; `scalars`: names known to hold
    numbers (analysis/kinds.py), which are shape () whatever their kind."""
    definitions = [(s.targets[0].id, s) for s in assignments(body)]
    defined = {name for name, _ in definitions}
    opaque = _opaque_names(body)            # bound otherwise than by `name = op`: tuple targets, nested defs
    facts: dict[str, Fact] = {name: Fact((), "r") for name in scalars - defined}
    facts.update(parameters)
    for name in _loop_indices(body):
        facts[name] = Fact((), "i")
    evaluator = _Evaluator(facts, defined | set(facts), resolve, source)
    while True:
        changed = True
        while changed:
            changed = False
            for name, stmt in definitions:
                if name in opaque or facts.get(name) is UNKNOWN:
                    continue
                new = evaluator.evaluate(stmt.value, stmt)
                if new is _PENDING:
                    continue
                if name in scalars and new.shape != ():        # a number of a kind this does not follow
                    new = Fact((), "r")
                old = facts.get(name, _PENDING)
                merged = new if old is _PENDING else _join(old, new)
                if merged != old:
                    facts[name] = merged
                    changed = True
        # a definition still waiting for its operands never had a fact: its name's other definitions alone
        # would decide a loop-carried name (`acc = 0.0` before a loop whose `acc = acc + row` was never
        # decided), so such a name is unknown, and the fixpoint runs again to carry that to what reads it
        stuck = {name for name, stmt in definitions if name not in opaque and facts.get(name) is not UNKNOWN
                 and evaluator.evaluate(stmt.value, stmt) is _PENDING}
        if not stuck:
            break
        for name in stuck:
            facts[name] = UNKNOWN
    return {name: fact for name, fact in facts.items() if fact.shape is not None or fact.value is not None}


def parameter_facts(shapes) -> dict[str, Fact]:
    """The facts of a specialization key's ((parameter, shape, dtype), ...); its numbers (shape None) are
    left to the kinds analysis."""
    return {name: Fact(tuple(shape), np.dtype(dtype).kind) for name, shape, dtype in shapes if shape is not None}


def in_place_candidates(facts: dict, varied, containers, adjoint_name) -> set[str]:
    """The adjoints the reverse sweep may add into in place (optimize/accumulate.py): those of float
    arrays of known shape, and none at all where a varied value's kind is unknown or complex (a real
    array's adjoint could then receive a complex term)."""
    kinds = {facts[n].kind if n in facts else "" for n in varied}
    if kinds - {"f", "r"}:
        return set()
    return {adjoint_name(n) for n in varied if n in facts and facts[n].kind == "f" and facts[n].shape
            and n not in containers}


def same_shape(facts: dict, a: str, b: str) -> bool:
    """Whether the values named `a` and `b` are known to have one and the same shape."""
    fa, fb = facts.get(a), facts.get(b)
    return fa is not None and fb is not None and fa.shape is not None and fa.shape == fb.shape


def _join(a: Fact, b: Fact) -> Fact:
    if a == b:
        return a
    shape = a.shape if a.shape == b.shape else None
    kind = a.kind if a.kind == b.kind else ""
    value = a.value if a.value == b.value else None
    return Fact(shape, kind, value) if shape is not None or value is not None else UNKNOWN


def _opaque_names(body) -> set[str]:
    names = set()
    for stmt in simple_statements(body):
        if isinstance(stmt, gast.Assign) and not isinstance(stmt.targets[0], (gast.Name, gast.Subscript)):
            names |= {n.id for n in gast.walk(stmt.targets[0]) if isinstance(n, gast.Name)}
        elif isinstance(stmt, gast.FunctionDef):
            names.add(stmt.name)
    return names


def _loop_indices(body) -> set[str]:
    # normalized `for` loops run over range(...): their targets are ints
    return {n.target.id for stmt in body for n in gast.walk(stmt) if isinstance(n, gast.For)
            and isinstance(n.target, gast.Name)}


class _Evaluator:
    """The fact of one operation from its operands' facts."""

    def __init__(self, facts, local, resolve, source):
        self.facts, self.local, self.resolve, self.source = facts, local, resolve, source

    def atom(self, atom) -> Fact | None:
        if isinstance(atom, gast.Name):
            if atom.id in self.facts:
                return self.facts[atom.id]
            return _PENDING if atom.id in self.local else UNKNOWN
        number = _constant_number(atom)
        if number is not None:
            return Fact((), _kind_of_number(number), number if type(number) is int else None)
        if isinstance(atom, gast.Attribute) and is_scalar_atom(atom, set(), self.source):
            return Fact((), "f")                  # math.pi, np.e
        return UNKNOWN

    def evaluate(self, op, stmt) -> Fact | None:
        prim = self.resolve(op, stmt)
        rule, key = prim.rule, prim.key
        if rule == COPY:
            return self.atom(prim.args[0])
        if rule == CONSTANT:
            return self.atom(op)
        if rule == PACK:
            if not isinstance(op, (gast.Tuple, gast.List)):
                return UNKNOWN
            return self.pack([self.atom(a) for a in prim.args], isinstance(op, gast.List))
        if rule == SUBSCRIPT:
            return self.subscript(op)
        if isinstance(key, tuple) and key[:1] == ("attr",):
            return self.attribute(key[1], self.atom(prim.args[0]))
        if key is len:
            held = self.atom(prim.args[0])
            if held is _PENDING:
                return _PENDING
            return Fact((), "i", held.shape[0]) if held.shape else UNKNOWN
        if isinstance(rule, NonDifferentiable) and rule.name == "comparison" and len(prim.args) == 2:
            return self.broadcast(prim.args, key, kind="b")
        shaped = _SHAPE_RULES.get(_hashable(key))
        if shaped is not None:
            return shaped(self, prim)
        if isinstance(rule, Rule) and (rule.facts.elementwise or rule.facts.broadcasts) and _elementwise_call(rule, prim):
            return self.broadcast(prim.args, key)
        return UNKNOWN

    # ---- families -----------------------------------------------------
    def pack(self, elements, is_list=False) -> Fact | None:
        if any(e is _PENDING for e in elements):
            return _PENDING
        if not is_list and all(type(e.value) is int for e in elements):
            return Fact(None, "", tuple(e.value for e in elements))
        # numbers or arrays of one shape: np.shape of the list, the shape of the array NumPy makes of it
        # (analysis/list_operands.py converts such lists for NumPy functions)
        shapes = {e.shape for e in elements}
        if not elements or len(shapes) != 1 or None in shapes:
            return UNKNOWN
        kinds = {e.kind for e in elements}
        kind = kinds.pop() if len(kinds) == 1 else next((k for k in ("", "c", "f") if k in kinds), "r")
        return Fact((len(elements),) + shapes.pop(), kind)

    def broadcast(self, operands, key, kind=None) -> Fact | None:
        facts = [self.atom(a) for a in operands]
        if any(f is _PENDING for f in facts):
            return _PENDING
        if not facts or any(f.shape is None for f in facts):
            return UNKNOWN
        try:
            shape = tuple(np.broadcast_shapes(*(f.shape for f in facts)))
        except ValueError:                       # it will fail when run: say nothing about it
            return UNKNOWN
        return Fact(shape, kind or _result_kind(key, [f.kind for f in facts]))

    def subscript(self, op) -> Fact | None:
        held = self.atom(op.value)
        if held is _PENDING:
            return _PENDING
        index = self.index(op.slice)
        if index is _PENDING:
            return _PENDING
        if index is None:
            return UNKNOWN
        if isinstance(held.value, tuple) and type(index) is int:
            if -len(held.value) <= index < len(held.value):
                return Fact((), "i", held.value[index])
            return UNKNOWN
        if held.shape is None or held.kind not in _DTYPES:      # (not `in "bifc"`: "" is in every string)
            return UNKNOWN
        # basic indexing of a zero-stride dummy is a view: its shape is the answer, nothing is computed
        dummy = np.broadcast_to(np.zeros((), dtype=_DTYPES[held.kind]), held.shape)
        try:
            return Fact(tuple(dummy[_as_numpy_index(index)].shape), held.kind)
        except (IndexError, TypeError, ValueError):
            return UNKNOWN

    def index(self, node):
        """The index as a Python value with known ints (an int of unknown value is 0: it selects as any int
        would), or None when it is not basic indexing with known slice bounds."""
        if isinstance(node, gast.Tuple):
            parts = [self.index(e) for e in node.elts]
            if any(p is _PENDING for p in parts):
                return _PENDING
            return None if any(p is None for p in parts) else tuple(parts)
        if isinstance(node, gast.Slice):
            bounds = []
            for part in (node.lower, node.upper, node.step):
                if part is None:
                    bounds.append(None)
                    continue
                fact = self.atom(part)
                if fact is _PENDING:
                    return _PENDING
                if type(fact.value) is not int:
                    return None
                bounds.append(fact.value)
            return slice(*bounds)
        if isinstance(node, gast.Constant) and node.value is None:
            return _NEW_AXIS
        if isinstance(node, gast.Constant) and node.value is Ellipsis:
            return Ellipsis
        fact = self.atom(node)
        if fact is _PENDING:
            return _PENDING
        if fact.shape == () and fact.kind == "i" and type(fact.value) is not bool:
            return fact.value if type(fact.value) is int else _ANY_INT
        return None

    def attribute(self, name, held) -> Fact | None:
        if held is _PENDING:
            return _PENDING
        if held.shape is None:
            return UNKNOWN
        if name == "shape":
            return Fact(None, "", held.shape)
        if name == "ndim":
            return Fact((), "i", len(held.shape))
        if name == "size":
            return Fact((), "i", math.prod(held.shape))
        if name == "T":
            return Fact(held.shape[::-1], held.kind)
        return UNKNOWN

    def bound(self, prim, params: str) -> dict | None:
        """The operands bound to `params` ("a, axis=None, ..."), or None for a call this does not follow."""
        names = [p.strip().split("=")[0] for p in params.split(",")]
        if len(prim.args) > len(names) or any(k not in names for k in prim.keywords):
            return None
        bound = dict(zip(names, prim.args))
        bound.update(prim.keywords)
        return bound

    def constant(self, atom):
        """A known Python constant: a number, None, a bool, an int read from shapes or a tuple of them."""
        if atom is None:
            return None, True
        if isinstance(atom, gast.Constant) and (atom.value is None or isinstance(atom.value, (bool, int))):
            return atom.value, True
        if isinstance(atom, gast.Tuple):
            parts = [self.constant(e) for e in atom.elts]
            return tuple(p for p, _ in parts), all(ok for _, ok in parts)
        fact = self.atom(atom)
        if fact is not _PENDING and fact is not UNKNOWN and isinstance(fact.value, (int, tuple)):
            return fact.value, True
        if isinstance(atom, gast.UnaryOp) and isinstance(atom.op, gast.USub) and isinstance(atom.operand, gast.Constant) \
                and type(atom.operand.value) is int:
            return -atom.operand.value, True
        return None, False


def _elementwise_call(rule: Rule, prim) -> bool:
    """Whether the result's shape is the broadcast of the positional operands: every parameter given
    by position or left at a number default (np.where(c) alone returns indices), and none that sets the
    result's shape (a random draw's `size`) or where it goes."""
    params = list(rule.signature.parameters)
    if prim.keywords or len(prim.args) > len(params) or set(params) & _SHAPING_PARAMETERS:
        return False
    for name in params[len(prim.args):]:
        default = rule.defaults.get(name)
        if _constant_number(default) is None:
            return False
    return True


_SHAPING_PARAMETERS = {"size", "shape", "out", "dtype", "axis", "self"}


_NEW_AXIS = object()        # np.newaxis in an index: None itself would read as "not basic indexing"


def _as_numpy_index(index):
    if isinstance(index, tuple):
        return tuple(None if part is _NEW_AXIS else part for part in index)
    return None if index is _NEW_AXIS else index


class _AnyInt(int):
    """An int index whose value is not known: selects like 0 on a non-empty axis."""


_ANY_INT = _AnyInt(0)


# ---- shape rules of entries that neither broadcast nor act elementwise ----------------------------------------
def _matmul(ev: _Evaluator, prim) -> Fact | None:
    if len(prim.args) != 2 or prim.keywords:
        return UNKNOWN
    a, b = (ev.atom(x) for x in prim.args)
    if a is _PENDING or b is _PENDING:
        return _PENDING
    shape = matmul_shape(a.shape, b.shape)
    return UNKNOWN if shape is None else Fact(shape, _result_kind(operator.mul, [a.kind, b.kind]))


def matmul_shape(a, b) -> tuple | None:
    """The shape of `a @ b` for operands of these shapes (None if unknown or invalid)."""
    if a is None or b is None or not a or not b:
        return None
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        return None
    try:
        batch = tuple(np.broadcast_shapes(a2[:-2], b2[:-2]))
    except ValueError:
        return None
    shape = batch + (a2[-2],) * (len(a) > 1) + (b2[-1],) * (len(b) > 1)
    return shape


def _reduction(params: str, kind=None):
    def rule(ev: _Evaluator, prim) -> Fact | None:
        bound = ev.bound(prim, params)
        if bound is None or "a" not in bound:
            return UNKNOWN
        held = ev.atom(bound["a"])
        if held is _PENDING:
            return _PENDING
        for extra in ("dtype", "out"):
            value, known = ev.constant(bound.get(extra))
            if not known or value is not None:
                return UNKNOWN
        axis, known_axis = ev.constant(bound.get("axis"))
        keepdims, known_keep = ev.constant(bound.get("keepdims", gast.Constant(value=False, kind=None)))
        if held.shape is None or not known_axis or not known_keep or not isinstance(keepdims, bool):
            return UNKNOWN
        shape = reduced_shape(held.shape, axis, keepdims)
        if shape is None:
            return UNKNOWN
        result_kind = kind or ("f" if held.kind in "bi" and prim.key in _AVERAGES else held.kind)
        if held.kind == "b" and result_kind == "b" and prim.key in _SUMS:
            result_kind = "i"
        return Fact(shape, result_kind)
    return rule


def reduced_shape(shape: tuple, axis, keepdims: bool) -> tuple | None:
    """The shape of a reduction of an array of `shape` over `axis` (None, an int or a tuple of ints)."""
    ndim = len(shape)
    if axis is None:
        axes = set(range(ndim))
    else:
        items = axis if isinstance(axis, tuple) else (axis,)
        if not all(type(i) is int and -ndim <= i < ndim for i in items):
            return None
        axes = {i % ndim for i in items}
        if len(axes) != len(items):
            return None
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _creation(params: str):
    def rule(ev: _Evaluator, prim) -> Fact | None:
        bound = ev.bound(prim, params)
        if bound is None or "shape" not in bound or "dtype" in bound:
            return UNKNOWN
        shape, known = ev.constant(bound["shape"])
        if not known:
            return _PENDING if ev.atom(bound["shape"]) is _PENDING else UNKNOWN
        shape = (shape,) if type(shape) is int else shape
        if not isinstance(shape, tuple) or not all(type(n) is int and n >= 0 for n in shape):
            return UNKNOWN
        return Fact(shape, "f")
    return rule


def _like(ev: _Evaluator, prim) -> Fact | None:
    if len(prim.args) != 1 or prim.keywords:
        return UNKNOWN
    held = ev.atom(prim.args[0])
    if held is _PENDING:
        return _PENDING
    return UNKNOWN if held.shape is None else Fact(held.shape, held.kind)


_SUMS = {np.sum, ("method", "sum")}
_AVERAGES = {np.mean, ("method", "mean")}
_REDUCTION = "a, axis, dtype, out, keepdims"
_EXTREMUM = "a, axis, out, keepdims"
_SHAPE_RULES = {
    gast.MatMult: _matmul, np.matmul: _matmul,
    np.sum: _reduction(_REDUCTION), ("method", "sum"): _reduction(_REDUCTION),
    np.mean: _reduction(_REDUCTION), ("method", "mean"): _reduction(_REDUCTION),
    np.max: _reduction(_EXTREMUM), ("method", "max"): _reduction(_EXTREMUM),
    np.min: _reduction(_EXTREMUM), ("method", "min"): _reduction(_EXTREMUM),
    np.amax: _reduction(_EXTREMUM), np.amin: _reduction(_EXTREMUM),
    np.zeros: _creation("shape, dtype"), np.ones: _creation("shape, dtype"), np.empty: _creation("shape, dtype"),
    np.zeros_like: _like, np.ones_like: _like, np.asarray: _like, np.array: _like,
}


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        return None
    return key


# ---- dtype kinds ----------------------------------------------------------------------------------------------
_OPERATORS = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Div: operator.truediv,
              gast.Pow: operator.pow, gast.Mod: operator.mod, gast.FloorDiv: operator.floordiv,
              gast.USub: operator.neg, gast.UAdd: operator.pos, gast.MatMult: operator.mul}


def _result_kind(key, kinds: list[str]) -> str:
    """The dtype kind of an elementwise result: the ufunc or operator evaluated on 0-d dummies of the
    operands' kinds (a real number of unknown kind is tried as an int and as a float)."""
    if "" in kinds:
        return ""
    function = _OPERATORS.get(_hashable(key), key)
    if not (isinstance(function, np.ufunc) or function in _OPERATORS.values()):
        return "c" if "c" in kinds else ("f" if set(kinds) <= {"f", "r", "i", "b"} and "f" in kinds else "")
    answers = set()
    for choice in ("i", "f"):
        dummies = [np.zeros((), dtype=_DTYPES[choice if k == "r" else k]) for k in kinds]
        try:
            with np.errstate(all="ignore"):
                answers.add(np.asarray(function(*dummies)).dtype.kind)
        except Exception:          # noqa: BLE001 - an operation the dummies cannot take: kind unknown
            return ""
    return answers.pop() if len(answers) == 1 else ""


_DTYPES = {"b": np.bool_, "i": np.int64, "u": np.uint64, "f": np.float64, "c": np.complex128}


def _constant_number(atom):
    if isinstance(atom, gast.Constant) and isinstance(atom.value, numbers.Number):
        return atom.value
    if isinstance(atom, gast.UnaryOp) and isinstance(atom.operand, gast.Constant) \
            and isinstance(atom.operand.value, numbers.Number) and not isinstance(atom.operand.value, bool):
        if isinstance(atom.op, gast.USub):
            return -atom.operand.value
        if isinstance(atom.op, gast.UAdd):
            return atom.operand.value
    return None


def _kind_of_number(number) -> str:
    if isinstance(number, bool):
        return "b"
    if isinstance(number, numbers.Integral):
        return "i"
    if isinstance(number, numbers.Real):
        return "f"
    return "c"


__all__ = ["Fact", "UNKNOWN", "argument_fact", "in_place_candidates", "matmul_shape", "parameter_facts", "reduced_shape", "same_shape", "value_facts"]
