"""Which names of a numba-ready gradient hold float64 arrays (rank, layout) and which hold numbers, for
the call's arguments: what fusion.py needs to know, decided without numba.

numba's typing of the module would say it too, but typing compiles the array overloads it meets (of
`np.sum`, of every ufunc), and the fused module then calls their scalar versions: on the elementwise chain
that was a third of a second of a one-second first call, thrown away. Generated code is made of few
kinds of operation, and numba types them by NumPy's rules, so a walk over the code follows them:

- a parameter has its argument's kind (layout as numba.typeof says: C if C-contiguous, else F if
  F-contiguous, else A); a literal number or a module-level number the module bakes in is a number;
- `+ - * / // % **`, unary minus, a comparison and a NumPy ufunc with one output, its inputs given by
  position: between numbers a number (a bool for a comparison); with arrays, an array of the largest rank
  (broadcasting), of the dtype of the ufunc's loop for those dtypes, C-ordered unless no input is C and
  one is F (numba's rule for the array a ufunc allocates);
- `np.sum(a)` of an array (no axis) is a number; `np.zeros(shape)`, `ones`, `empty` a C float64 array of
  the shape's length; `np.array` of a tuple or list of floats a vector; `x.reshape(...)` and
  `np.reshape` an array of the new shape's length; `x.copy()`, `np.copy(x)`, `x.flatten()` C arrays;
  `x.T` the transposed layout; `x.shape` a tuple of ints, `x.size`, `x.ndim`, `len(x)` ints;
- a subscript with ints and slices: one axis fewer per int (a number when none is left), C where a C
  array is indexed by ints alone, otherwise of a layout not known (A);
- the runtime helpers as jit/helpers.py's numba versions type them: `unbroadcast(g, x)` is `g` where `x`
  is an array of g's rank or `g` a number, a sum where `x` is a number, a C array of x's rank where `g` has
  more axes; `unreduce(g, x)` of a number is a float array like `x`; `zeros_like(x)` is one too;
  `copy_of(x)` is a C copy of an array; `to_float`, `to_int` and `math`'s functions give numbers.

Anything else (another call, a name bound by unpacking or in a `with`, a tape's `pop()`) is left
undecided, and so is everything computed from it: fusion leaves those statements as they are, which is
always correct, only slower. Layout A means "not known to be C or F": fusion reads a matrix of it through
no flat view.

Facts are flow-insensitive (a name's kind holds wherever it is assigned), found as an optimistic fixpoint
(so a value carried around a loop keeps its kind when the loop's body keeps it); where a name's assignments
disagree it is undecided, except that an int and a float join as a number and two layouts as A.
"""
from __future__ import annotations

import ast
import builtins
import functools
import math
from dataclasses import dataclass

import numpy

__all__ = ["argument_kind", "module_kinds", "variable_kinds"]


@dataclass(frozen=True)
class Kind:
    """A number (`ndim` 0; `dtype` "b" a bool, "i" an int, "f" a float, "r" an int or a float) or an
    array (`dtype` a NumPy dtype character, `layout` "C", "F" or "A": not known to be either)."""

    ndim: int
    dtype: str
    layout: str = ""


@dataclass(frozen=True)
class Sequence:
    """A tuple or list of `length` values of one kind (numbers, or arrays of one rank and dtype): a shape,
    or what np.array makes an array of."""

    element: object            # a Kind, or a Sequence (a list of lists)
    length: int
    is_list: bool


@dataclass(frozen=True)
class DType:
    """A NumPy scalar type named as a dtype (`np.float64`), by its character."""

    char: str


_PENDING = object()          # not evaluated yet: the fixpoint's optimistic start
_UNDECIDED = None            # the walk cannot say (and anything computed from it cannot either)

_OPERATORS = {ast.Add: numpy.add, ast.Sub: numpy.subtract, ast.Mult: numpy.multiply, ast.Div: numpy.true_divide,
              ast.FloorDiv: numpy.floor_divide, ast.Mod: numpy.remainder, ast.Pow: numpy.power}
_UNARY = {ast.USub: numpy.negative, ast.UAdd: numpy.positive}
_COMPARISONS = {ast.Lt: numpy.less, ast.LtE: numpy.less_equal, ast.Gt: numpy.greater, ast.GtE: numpy.greater_equal,
                ast.Eq: numpy.equal, ast.NotEq: numpy.not_equal}
# math's functions of numbers that return floats (the rest: floor, ceil, isnan, ... are left undecided)
_MATH_FLOATS = {"exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "asin", "acos",
                "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "pow", "hypot", "erf", "erfc",
                "gamma", "lgamma", "fabs", "copysign", "degrees", "radians"}
_NUMBER_CHARS = {"b": "?", "i": "l", "f": "d"}


def variable_kinds(fn: ast.FunctionDef, arguments: dict, lookup, helpers) -> dict[str, tuple]:
    """name -> ("array", ndim, layout) for a float64 array, ("number",) for an int or a float, for every
    parameter and assigned name of `fn` whose kind the walk decides. `arguments`: parameter -> the value
    it is called with; `lookup(name)` what a name the function does not assign denotes; `helpers.get(name)`
    the jit helper a name calls (helpers.py's name), or None."""
    definitions, indices, opaque = _bindings(fn.body, lookup)
    facts: dict = {name: argument_kind(value) for name, value in arguments.items()}
    facts.update({name: Kind(0, "i") for name in indices})
    facts.update({name: _UNDECIDED for name in opaque})
    local = set(facts) | {name for name, _ in definitions}
    evaluate = _Evaluator(facts, local, lookup, helpers).kind
    changed = True
    while changed:
        changed = False
        for name, value in definitions:
            old = facts.get(name, _PENDING)
            if old is _UNDECIDED:
                continue
            new = evaluate(value)
            if new is _PENDING:
                continue
            merged = new if old is _PENDING else _join(old, new)
            if merged != old:
                facts[name] = merged
                changed = True
    described = {name: _described(kind) for name, kind in facts.items() if "." not in name}
    return {name: kind for name, kind in described.items() if kind is not None}


def module_kinds(text: str, name: str, parameters: tuple, arguments: tuple) -> dict[str, tuple]:
    """variable_kinds of the function `name` of a numba-ready module's `text` (jit/numba_source.py), called
    with `arguments` for its `parameters`: what the module's names denote is read from its imports and its
    constants (`from s2sgrad.jit.helpers import unbroadcast`, `import numpy as np`, `DT = 0.001`), so
    nothing is imported or run."""
    module = ast.parse(text)
    known, helpers = {}, {}
    for stmt in module.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "s2sgrad.jit.helpers":
            helpers.update({alias.asname or alias.name: alias.name for alias in stmt.names})
        elif isinstance(stmt, ast.ImportFrom) and stmt.module == "s2sgrad.jit":
            known.update({alias.asname or alias.name: math for alias in stmt.names if alias.name == "checked_math"})
        elif isinstance(stmt, ast.Import):
            known.update({alias.asname or alias.name: numpy for alias in stmt.names if alias.name == "numpy"})
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            try:
                known[stmt.targets[0].id] = ast.literal_eval(stmt.value)
            except ValueError:
                pass
    fn = next((s for s in module.body if isinstance(s, ast.FunctionDef) and s.name == name), None)
    if fn is None or len(parameters) != len(arguments):
        return {}
    return variable_kinds(fn, dict(zip(parameters, arguments)),
                          lambda found: known[found] if found in known else getattr(builtins, found, None), helpers)


def argument_kind(value):
    """The kind of an argument value (numba.typeof's view of it), or None where the walk does not follow it."""
    if isinstance(value, numpy.ndarray):
        if value.ndim == 0:
            return _UNDECIDED                  # numba's ufuncs return numbers for 0-d arrays
        flags = value.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return Kind(value.ndim, value.dtype.char, layout)
    return _number_kind(value)


def _number_kind(value):
    if isinstance(value, (bool, numpy.bool_)):
        return Kind(0, "b")
    if isinstance(value, (int, numpy.integer)):
        return Kind(0, "i")
    if isinstance(value, (float, numpy.floating)):
        return Kind(0, "f")
    return _UNDECIDED


def _described(kind):
    if not isinstance(kind, Kind):
        return None
    if kind.ndim == 0:
        return ("number",) if kind.dtype in "ifr" else None
    return ("array", kind.ndim, kind.layout) if kind.dtype == "d" else None


def _join(a, b):
    if a == b:
        return a
    if isinstance(a, Kind) and isinstance(b, Kind) and a.ndim == b.ndim:
        if a.ndim == 0 and a.dtype in "ifr" and b.dtype in "ifr":
            return Kind(0, "r")                 # numba unifies an int and a float as a float
        if a.ndim and a.dtype == b.dtype:
            return Kind(a.ndim, a.dtype, "A")
    return _UNDECIDED


def _array_char(kind) -> str:
    """The NumPy dtype character of a number's kind ("r" has none)."""
    return _NUMBER_CHARS.get(kind.dtype, "")


def _number_of(char: str):
    """The kind of an element of an array of dtype `char`."""
    found = numpy.dtype(char).kind
    if found == "b":
        return Kind(0, "b")
    if found in "iu":
        return Kind(0, "i")
    return Kind(0, "f") if found == "f" else _UNDECIDED


# ---- where names are bound ------------------------------------------------------------------------------
def _bindings(body, lookup):
    """([(name, expression whose kind it takes)], names of `for` loops' indices over range, names bound
    any other way). A name bound any other way is undecided, whatever else assigns it."""
    definitions, indices, opaque, followed = [], set(), set(), set()
    pushes, stack_uses = [], set()          # (stack, pushed expression); the Name nodes of stacks' appends and pops

    def visit(statements):
        for stmt in statements:
            pushed, popped = _stack_call(getattr(stmt, "value", None), "append", 1), _stack_call(
                getattr(stmt, "value", None), "pop", 0)
            if isinstance(stmt, ast.Expr) and pushed is not None:
                pushes.append((pushed.id, stmt.value.args[0]))
                stack_uses.add(id(pushed))
            elif isinstance(stmt, ast.Assign) and popped is not None and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name):
                # what a stack pops is what it pushed: the kind of a name standing for its elements
                definitions.append((stmt.targets[0].id, ast.Name(id=f"{popped.id}.element", ctx=ast.Load())))
                followed.add(id(stmt.targets[0]))
                stack_uses.add(id(popped))
            elif isinstance(stmt, ast.Assign) and all(isinstance(t, (ast.Name, ast.Subscript, ast.Attribute))
                                                    for t in stmt.targets):
                # a subscript or attribute target writes into an existing value: it binds nothing
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        definitions.append((target.id, stmt.value))
                        followed.add(id(target))
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                definitions.append((stmt.target.id, ast.BinOp(left=ast.Name(id=stmt.target.id, ctx=ast.Load()),
                                                              op=stmt.op, right=stmt.value)))
                followed.add(id(stmt.target))
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                definitions.append((stmt.target.id, stmt.value))
                followed.add(id(stmt.target))
            elif isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name) and _is_range(stmt.iter, lookup):
                indices.add(stmt.target.id)
                followed.add(id(stmt.target))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                opaque.add(stmt.name)
                continue                           # its body is another scope
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                opaque.update((alias.asname or alias.name).split(".")[0] for alias in stmt.names)
            elif isinstance(stmt, (ast.Global, ast.Nonlocal)):
                opaque.update(stmt.names)
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(stmt, field, ()))
            for handler in getattr(stmt, "handlers", ()):
                if handler.name:
                    opaque.add(handler.name)
                visit(handler.body)
            for case in getattr(stmt, "cases", ()):
                opaque.update(_pattern_names(case.pattern))
                visit(case.body)

    visit(body)
    module = ast.Module(body=body, type_ignores=[])
    stacks = {name for name, _ in pushes} | {n.value.id for n in ast.walk(module) if isinstance(n, ast.Attribute)
                                             and n.attr == "pop" and id(n.value) in stack_uses}
    for stack in stacks:
        # a list made empty and used only by these appends and pops: its elements are what was pushed
        plain = all(isinstance(value, ast.List) and not value.elts for name, value in definitions if name == stack) \
            and not any(isinstance(n, ast.Name) and n.id == stack and isinstance(n.ctx, ast.Load)
                        and id(n) not in stack_uses for n in ast.walk(module))
        if plain:
            definitions.extend((f"{stack}.element", value) for name, value in pushes if name == stack)
        else:
            opaque.add(f"{stack}.element")
    # any other binding (a tuple target, a `for` over something else, `with ... as`, `:=`): undecided
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and id(node) not in followed:
            opaque.add(node.id)
    return definitions, indices, opaque


def _stack_call(node, method: str, count: int):
    """The Name `s` of a call `s.<method>(...)` with `count` positional arguments, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method \
            and isinstance(node.func.value, ast.Name) and len(node.args) == count and not node.keywords \
            and not any(isinstance(a, ast.Starred) for a in node.args):
        return node.func.value
    return None


def _pattern_names(pattern):
    for node in ast.walk(pattern):
        for field in ("name", "rest"):
            name = getattr(node, field, None)
            if isinstance(name, str):
                yield name


def _is_range(node, lookup) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and lookup(node.func.id) is builtins.range \
        and not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)


# ---- the kind of an expression ----------------------------------------------------------------------------
class _Evaluator:
    def __init__(self, facts, local, lookup, helpers):
        self.facts, self.local, self.lookup, self.helpers = facts, local, lookup, helpers

    def kind(self, node):
        if isinstance(node, ast.Name):
            if node.id in self.local:
                return self.facts.get(node.id, _PENDING)
            return _number_kind(self.lookup(node.id))       # a module-level number baked into the module
        if isinstance(node, ast.Constant):
            return _number_kind(node.value)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return self.operation(_UNARY[type(node.op)], [node.operand], op=node.op)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return self.operation(_OPERATORS[type(node.op)], [node.left, node.right], op=node.op)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARISONS:
            return self.operation(_COMPARISONS[type(node.ops[0])], [node.left, node.comparators[0]], op=node.ops[0])
        if isinstance(node, (ast.Tuple, ast.List)):
            return self.sequence(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Call) and not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args):
            return self.call(node)
        return _UNDECIDED

    def operands(self, nodes):
        kinds = [self.kind(n) for n in nodes]
        if any(k is _UNDECIDED for k in kinds):
            return _UNDECIDED
        if any(k is _PENDING for k in kinds):
            return _PENDING
        return kinds

    def operation(self, ufunc, nodes, op=None):
        kinds = self.operands(nodes)
        if not isinstance(kinds, list):
            return kinds
        if not all(isinstance(k, Kind) for k in kinds):
            return _UNDECIDED
        if op is not None and all(k.ndim == 0 for k in kinds):
            return _python_numbers(op, kinds)
        return _ufunc_kind(ufunc, tuple(kinds))

    def sequence(self, node):
        kinds = self.operands(node.elts)
        if not isinstance(kinds, list):
            return kinds
        if not kinds or not all(isinstance(k, (Kind, Sequence)) for k in kinds):
            return _UNDECIDED
        element = functools.reduce(_join, kinds)
        return Sequence(element, len(kinds), isinstance(node, ast.List)) if element is not _UNDECIDED else _UNDECIDED

    def subscript(self, node):
        held = self.kind(node.value)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        index = []
        for part in parts:
            if isinstance(part, ast.Slice):
                bounds = self.operands([b for b in (part.lower, part.upper, part.step) if b is not None])
                if not isinstance(bounds, list):
                    return bounds
                if not all(isinstance(b, Kind) and b.ndim == 0 and b.dtype == "i" for b in bounds):
                    return _UNDECIDED
                index.append("slice")
            else:
                found = self.kind(part)
                if found is _UNDECIDED or found is _PENDING:
                    return found
                if not (isinstance(found, Kind) and found.ndim == 0 and found.dtype == "i"):
                    return _UNDECIDED           # a float, a bool, an array: not basic indexing of ints
                index.append("int")
        if held is _UNDECIDED or held is _PENDING:
            return held
        if isinstance(held, Sequence):
            return held.element if index == ["int"] else _UNDECIDED
        if held.ndim == 0 or len(index) > held.ndim:
            return _UNDECIDED
        ndim = held.ndim - index.count("int")
        if ndim == 0:
            return _number_of(held.dtype)
        # leading ints keep a C array C (numba's rule; its finer ones for slices are read as A here)
        return Kind(ndim, held.dtype, "C" if held.layout == "C" and "slice" not in index else "A")

    def attribute(self, node):
        if self.is_module(node.value):
            value = getattr(self.lookup(node.value.id), node.attr, None)
            if isinstance(value, type) and issubclass(value, numpy.generic):
                return DType(numpy.dtype(value).char)
            return _number_kind(value) if isinstance(value, float) else _UNDECIDED     # np.pi, math.e
        held = self.kind(node.value)
        if not isinstance(held, Kind) or held.ndim == 0:
            return held if held is _PENDING else _UNDECIDED
        if node.attr == "shape":
            return Sequence(Kind(0, "i"), held.ndim, False)
        if node.attr in ("size", "ndim"):
            return Kind(0, "i")
        if node.attr == "T":
            return held if held.ndim == 1 else Kind(held.ndim, held.dtype, {"C": "F", "F": "C"}.get(held.layout, "A"))
        return _UNDECIDED

    def call(self, node):
        func = node.func
        helper = self.helpers.get(func.id) if isinstance(func, ast.Name) else None
        if helper == "reduce_axis":
            return self.reduce_axis(node.args)
        if helper in _HELPERS:
            kinds = self.operands(node.args)
            if not isinstance(kinds, list):
                return kinds
            rule, arity = _HELPERS[helper]
            if len(kinds) not in arity or not all(isinstance(k, Kind) for k in kinds):
                return _UNDECIDED
            return rule(*kinds)
        if isinstance(func, ast.Name) and func.id not in self.local and self.lookup(func.id) is builtins.len:
            if len(node.args) == 1 and _is_range(node.args[0], self.lookup):
                return Kind(0, "i")
            kinds = self.operands(node.args)
            if not isinstance(kinds, list):
                return kinds
            counted = kinds[0] if len(kinds) == 1 else None
            return Kind(0, "i") if isinstance(counted, Sequence) or isinstance(counted, Kind) and counted.ndim \
                else _UNDECIDED
        if isinstance(func, ast.Attribute) and func.attr in _METHODS and not self.is_module(func.value):
            return self.call_of(_METHODS[func.attr], [func.value, *node.args])
        module = self.module_of(func)
        if module is math and func.attr in _MATH_FLOATS:
            kinds = self.operands(node.args)
            if not isinstance(kinds, list):
                return kinds
            numbers = all(isinstance(k, Kind) and k.ndim == 0 and k.dtype in "ifr" for k in kinds)
            return Kind(0, "f") if kinds and numbers else _UNDECIDED
        if module is not numpy:
            return _UNDECIDED
        function = getattr(numpy, func.attr, None)
        if isinstance(function, numpy.ufunc):
            if function.nout != 1 or len(node.args) != function.nin:
                return _UNDECIDED
            return self.operation(function, node.args)
        rule = _NUMPY_FUNCTIONS.get(function) if _hashable(function) else None
        return self.call_of(rule, node.args) if rule is not None else _UNDECIDED

    def reduce_axis(self, args):
        """helpers.reduce_axis('mean', x, 0, True, 0): a float array reduced over one literal axis, kept
        (keepdims True) or not; of the layout the helper gives (read as A)."""
        if not (3 <= len(args) <= 5 and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)
                and _literal_int(args[2])):
            return _UNDECIDED
        kept = args[3].value if len(args) > 3 and isinstance(args[3], ast.Constant) else False
        if not isinstance(kept, bool):
            return _UNDECIDED
        x = self.kind(args[1])
        if not isinstance(x, Kind) or not x.ndim or numpy.dtype(x.dtype).kind != "f":
            return x if x is _PENDING else _UNDECIDED
        ndim = x.ndim - (not kept)
        return Kind(0, "f") if ndim == 0 else Kind(ndim, x.dtype, "A")

    def call_of(self, rule, nodes):
        """`rule(*kinds)`, each rule taking its function's positional arguments (any others: undecided)."""
        kinds = self.operands(nodes)
        if not isinstance(kinds, list):
            return kinds
        return rule(*kinds) if kinds else _UNDECIDED

    def is_module(self, node) -> bool:
        return isinstance(node, ast.Name) and node.id not in self.local and self.lookup(node.id) in (numpy, math)

    def module_of(self, func):
        if isinstance(func, ast.Attribute) and self.is_module(func.value):
            return self.lookup(func.value.id)
        return None


def _literal_int(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _python_numbers(op, kinds):
    """numba's arithmetic and comparisons between numbers: Python's (`/` a float, 2 ** -1 too)."""
    if type(op) in _COMPARISONS:
        return Kind(0, "b")
    if isinstance(op, ast.Div):
        return Kind(0, "f")
    dtypes = {"i" if k.dtype == "b" else k.dtype for k in kinds}
    if dtypes == {"i"}:
        return Kind(0, "r" if isinstance(op, ast.Pow) else "i")
    return Kind(0, "f" if dtypes == {"f"} or dtypes == {"i", "f"} else "r")


@functools.lru_cache(maxsize=None)
def _ufunc_kind(ufunc, kinds):
    """The kind of `ufunc` applied to operands of `kinds`: the dtype of its loop for their dtypes (a
    number of unknown kind tried as an int and as a float), the broadcast rank, numba's layout."""
    results = set()
    for choice in ("l", "d"):
        dtypes = [numpy.dtype(choice if k.dtype == "r" else _array_char(k) if k.ndim == 0 else k.dtype) for k in kinds]
        try:
            with numpy.errstate(all="ignore"):
                result = ufunc(*(numpy.zeros((), dtype) for dtype in dtypes))
        except Exception:           # noqa: BLE001 - no loop for these dtypes: numba refuses it too
            return _UNDECIDED
        results.add(numpy.asarray(result).dtype)
    ndim = max(k.ndim for k in kinds)
    if ndim == 0:
        numbers = {_number_of(dtype.char) for dtype in results}
        if _UNDECIDED in numbers:
            return _UNDECIDED                  # a complex number
        return numbers.pop() if len(numbers) == 1 else Kind(0, "r") if numbers <= {Kind(0, "i"), Kind(0, "f")} \
            else _UNDECIDED
    if len(results) != 1:
        return _UNDECIDED
    layouts = {k.layout for k in kinds if k.ndim}
    layout = "F" if "C" not in layouts and "F" in layouts else "C"
    return Kind(ndim, results.pop().char, layout)


# ---- NumPy functions and array methods ------------------------------------------------------------------------
def _sum(a, *axis):
    if axis or not isinstance(a, Kind) or a.ndim == 0:
        return _UNDECIDED
    element = _number_of(a.dtype)
    return Kind(0, "i") if element == Kind(0, "b") else element


def _whole(element):
    """A reduction of a whole array (no axis) to a number of `element`'s kind (None: the array's element)."""
    def rule(a, *axis):
        if axis or not isinstance(a, Kind) or a.ndim == 0:
            return _UNDECIDED
        found = _number_of(a.dtype)
        return found if element is None or found is _UNDECIDED else element(found)
    return rule


def _like(a, *dtype):
    # numba's np.empty_like: the array's dtype and layout (A becomes C)
    if dtype or not isinstance(a, Kind) or a.ndim == 0:
        return _UNDECIDED
    return Kind(a.ndim, a.dtype, "C" if a.layout == "A" else a.layout)


def _creation(shape, *dtype):
    ndim = _shape_length(shape)
    if not ndim or len(dtype) > 1 or dtype and not isinstance(dtype[0], DType):
        return _UNDECIDED
    return Kind(ndim, dtype[0].char if dtype else "d", "C")


def _shape_length(shape) -> int:
    """The length of a shape given as an int or a tuple of ints (0: not a shape, or of a 0-d array)."""
    if isinstance(shape, Kind) and shape.ndim == 0 and shape.dtype == "i":
        return 1
    if isinstance(shape, Sequence) and shape.element == Kind(0, "i") and not shape.is_list:
        return shape.length
    return 0


def _array(values, *dtype):
    """np.array of numbers of one kind, of arrays of one rank and dtype, or of lists of numbers (an axis per
    level): C-ordered."""
    if dtype or not isinstance(values, Sequence):
        return _UNDECIDED
    element, levels = values.element, 1
    while isinstance(element, Sequence):
        element, levels = element.element, levels + 1
    if element.ndim == 0:
        return Kind(levels, _NUMBER_CHARS[element.dtype], "C") if element.dtype in _NUMBER_CHARS else _UNDECIDED
    return Kind(element.ndim + 1, element.dtype, "C") if levels == 1 else _UNDECIDED


def _asarray(values, *dtype):
    return values if not dtype and isinstance(values, Kind) and values.ndim else _array(values, *dtype)


def _reshape(a, *shape):
    if not shape or not isinstance(a, Kind) or a.ndim == 0:
        return _UNDECIDED
    if len(shape) == 1:
        ndim = _shape_length(shape[0])           # a tuple, or one int
    else:
        ndim = len(shape) if all(isinstance(s, Kind) and s.ndim == 0 and s.dtype == "i" for s in shape) else 0
    return Kind(ndim, a.dtype, "C") if ndim else _UNDECIDED


def _copy(a, *order):
    return Kind(a.ndim, a.dtype, "C") if not order and isinstance(a, Kind) and a.ndim else _UNDECIDED


def _flatten(a, *order):
    return Kind(1, a.dtype, "C") if not order and isinstance(a, Kind) and a.ndim else _UNDECIDED


def _clip(a, low, high):
    # numba's np.clip of an array between two numbers: np.empty_like(a), filled
    if isinstance(a, Kind) and a.ndim and all(isinstance(b, Kind) and b.ndim == 0 for b in (low, high)):
        return _like(a)
    return _UNDECIDED


_AS_FLOAT = _whole(lambda found: Kind(0, "f"))
_NOT_BOOL = _whole(lambda found: Kind(0, "i") if found.dtype == "b" else found)
_NUMPY_FUNCTIONS = {numpy.sum: _sum, numpy.mean: _AS_FLOAT, numpy.prod: _NOT_BOOL, numpy.max: _whole(None),
                    numpy.min: _whole(None), numpy.amax: _whole(None), numpy.amin: _whole(None),
                    numpy.zeros: _creation, numpy.ones: _creation, numpy.empty: _creation,
                    numpy.zeros_like: _like, numpy.ones_like: _like, numpy.empty_like: _like,
                    numpy.array: _array, numpy.asarray: _asarray, numpy.reshape: _reshape, numpy.copy: _copy,
                    numpy.clip: _clip}
_METHODS = {"reshape": _reshape, "copy": _copy, "flatten": _flatten, "sum": _sum, "mean": _AS_FLOAT,
            "prod": _NOT_BOOL, "max": _whole(None), "min": _whole(None)}


# ---- the runtime helpers (jit/helpers.py's numba versions) ----------------------------------------------------
def _float_dtype(kind) -> str:
    return kind.dtype if numpy.dtype(kind.dtype).kind == "f" else "d"


def _unbroadcast(g, x):
    if x.ndim == 0:
        if g.ndim == 0:
            return g
        return _sum(g)
    if g.ndim == 0 or g.ndim == x.ndim:
        return g
    if g.ndim > x.ndim and numpy.dtype(g.dtype).kind == "f":
        return Kind(x.ndim, g.dtype, "C")        # the leading axes summed away
    return _UNDECIDED


def _unreduce(g, x, *axis):
    if axis:
        # the adjoint of a sum over one axis: g put back along it; of the layout the helper gives (read as A)
        if len(axis) == 2 and x.ndim and g.ndim in (0, x.ndim - 1, x.ndim) and axis[0].ndim == 0 \
                and axis[0].dtype == "i" and axis[1].ndim == 0 and axis[1].dtype == "b":
            return Kind(x.ndim, _float_dtype(x), "A")
        return _UNDECIDED
    if x.ndim == 0:
        return g
    return Kind(x.ndim, _float_dtype(x), "C") if g.ndim == 0 else _UNDECIDED


def _zeros_like(x):
    return Kind(0, "f") if x.ndim == 0 else Kind(x.ndim, _float_dtype(x), "C")


def _copy_of(x):
    return x if x.ndim == 0 else _copy(x)


def _to_float(x):
    return Kind(0, "f") if x.ndim == 0 else _UNDECIDED


def _to_int(x):
    return Kind(0, "i") if x.ndim == 0 else _UNDECIDED


def _element_count(x):
    return Kind(0, "i")


_HELPERS = {"unbroadcast": (_unbroadcast, (2,)), "unreduce": (_unreduce, (2, 4)), "zeros_like": (_zeros_like, (1,)),
            "element_count": (_element_count, (1,)), "copy_of": (_copy_of, (1,)), "to_float": (_to_float, (1,)),
            "to_int": (_to_int, (1,))}
