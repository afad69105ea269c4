"""Which values are known to be scalars (Python or NumPy numbers), and which may be containers?

The reverse sweep must reduce an adjoint to its input's shape wherever NumPy
broadcasting may have stretched the input. When every other operand of an
elementwise operation is known to be a scalar, no broadcasting reshaped this
one, and the generated code can say `db = du * c` instead of
`db = unbroadcast(du * c, b)`. Kinds start from the arguments a gradient is
specialized for (which parameters hold numbers, 1-D sequences of numbers,
containers) and flow through the single-assignment form; anything uncertain is
not a scalar. In particular an operand read from outside the function (a
global, a closure cell, an attribute or element of one: `cfg.W`, `B.T`) has a
shape nobody knows when the gradient is built, so it counts as possibly
broadcasting; only number constants of the math, cmath and numpy modules
(`math.pi`, `np.e`) are known scalars, and the globals and closure variables
that hold numbers when a gradient is specialized, which the caller passes
among `scalar_params` and guards per call (analysis/free_numbers.py). The
result of a call to one of the user's functions is a number when that
function's own analysis, given which arguments are numbers, says so
(`_helper_returns_number`). A value that may be a tuple, list, dict or object
has adjoints that add element by element (`container_names`).
"""
from __future__ import annotations

import builtins
import contextlib
import contextvars
import inspect
import numbers
import types

import gast
import numpy as np

from ..errors import S2SGradError
from ..rules import Rule
from ..runtime.mappings import merged
from .dataflow import appends, assignments, loop_indices
from .primitives import CALL, CONSTANT, FIELD, PACK, PACK_DICT, POP
from .resolve import dotted_name, resolve_global

_ELEMENTWISE_BUILTINS = {abs, max, min, float, int, round, pow, len, bool}
# calls whose result is a list, tuple or dict: adjoints of it add element by element
_CONTAINER_RESULTS = {list, tuple, sorted, dict}


def scalar_names(body, scalar_params: set[str], resolve, scalar_sequences: set[str] = frozenset(),
                 source=None, params=()) -> set[str]:
    """Names that hold a number on every path (fixpoint: a name is scalar only if all its definitions are).

    `source` (the FunctionSource) lets `math.pi`-like module constants count as scalars. `params` are the
    function's parameters: one outside `scalar_params` that a loop assigns (`x = x + v`) enters the loop
    holding what the caller passed, which is not known to be a number whatever the loop assigns."""
    definitions: dict[str, list] = {}
    for stmt in assignments(body):
        definitions.setdefault(stmt.targets[0].id, []).append(stmt)
    # normalized loops all run over range(...), so their indices are ints
    indices = loop_indices(body)
    appended: dict[str, list] = {}                   # a list built empty, then by xs.append(v)
    for stmt in appends(body):
        appended.setdefault(stmt.s2s_append, []).append(stmt.value.args[0])
    displays = {n for n, stmts in definitions.items()          # tuples and lists of numbers
                if all(isinstance(s.value, (gast.Tuple, gast.List)) for s in stmts)}
    # dicts the function builds: displays, their copies, and `merged(d, {k: v})` (a write `d[k] = v`,
    # ssa/container_writes.py); those whose every value is a number make `d[k]` one
    dicts = {n for n, stmts in definitions.items() if all(_may_build_dict(s.value, s, resolve) for s in stmts)}
    joined: set[str] = set()        # sequences of numbers joined or repeated (`t + [y]`, `[x] * 3`), proven
    while True:
        sequences = displays | joined | (set(scalar_sequences) - set(definitions))   # parameters never re-assigned
        scalar = _scalars_given(definitions, sequences, appended, set(scalar_params) | indices, resolve, source,
                                set(params) - set(scalar_params), dicts)
        grown = {n for n, stmts in definitions.items() if n not in joined and all(
            _joins_sequences(s.value, scalar.sequences, scalar) for s in stmts)}
        if not grown:
            return scalar          # a set, with `.sequences`: the lists and tuples of numbers (list_operands.py)
        joined |= grown


class _Scalars(set):
    """The scalar names, with the sequences of numbers they were established with."""
    sequences: set


def _scalars_given(definitions, sequences, appended, known, resolve, source, unknown=frozenset(),
                   dicts=frozenset()) -> _Scalars:
    """The greatest fixpoint: names whose every definition is a number given the others, with the
    candidate sequences whose every element is a number (`unknown`: names never taken for numbers) and the
    candidate dicts whose every value is one."""
    scalar = _Scalars(known | (set(definitions) - unknown))     # optimistic start, then remove
    sequences, dicts = set(sequences), set(dicts)
    changed = True
    while changed:
        changed = False
        for name in list(sequences & set(definitions)):
            if not all(_sequence_of_numbers(s.value, sequences, scalar, source) for s in definitions[name]) \
                    or not all(is_scalar_atom(v, scalar, source) for v in appended.get(name, ())):
                sequences.discard(name)
                changed = True
        for name in list(dicts):
            if not all(_dict_of_numbers(s.value, dicts, scalar, source) for s in definitions[name]):
                dicts.discard(name)
                changed = True
        for name, stmts in definitions.items():
            if name in scalar and not all(_is_scalar_op(s.value, s, scalar, resolve, sequences, source, dicts)
                                          for s in stmts):
                scalar.discard(name)
                changed = True
    scalar.sequences = sequences
    return scalar


def _may_build_dict(op, stmt, resolve) -> bool:
    """A dict display, a copy of a name, or `merged(a, b)` (a write into a dict the function built)."""
    if isinstance(op, (gast.Dict, gast.Name)):
        return True
    return isinstance(op, gast.Call) and resolve(op, stmt).key is merged


def _dict_of_numbers(op, dicts, scalar, source) -> bool:
    """Whether every value of the dict `op` builds is a number, given the dicts `dicts` of numbers."""
    if isinstance(op, gast.Dict):        # a key None is a `**spread` of another dict
        return all(is_scalar_atom(v, scalar, source) if k is not None else isinstance(v, gast.Name) and v.id in dicts
                   for k, v in zip(op.keys, op.values))
    if isinstance(op, gast.Name):
        return op.id in dicts
    return all(isinstance(a, gast.Name) and a.id in dicts for a in op.args) and not op.keywords


def _sequence_of_numbers(op, sequences, scalar, source) -> bool:
    if isinstance(op, (gast.Tuple, gast.List)):
        return all(is_scalar_atom(e, scalar, source) for e in op.elts)
    return _joins_sequences(op, sequences, scalar)


def _joins_sequences(op, sequences, scalar) -> bool:
    """`a + b` of two sequences of numbers, or `a * n` / `n * a` of one and an integer count."""
    if not isinstance(op, gast.BinOp):
        return False
    left, right = (isinstance(o, gast.Name) and o.id in sequences for o in (op.left, op.right))
    if isinstance(op.op, gast.Add):
        return left and right
    if isinstance(op.op, gast.Mult):
        return (left and is_scalar_atom(op.right, scalar)) or (right and is_scalar_atom(op.left, scalar))
    return False


def is_scalar_atom(atom, scalar: set[str], source=None) -> bool:
    """Is the operand `atom` known to hold a number? Anything not known to be one may broadcast.

    An Attribute operand is a reference rooted outside the function (the normalizer gives an attribute
    of a local value a name of its own), so only its holder's namespace can tell."""
    # a real number: scalar slots compare and take signs (abs, max), which a complex literal (1j) has not
    if isinstance(atom, gast.Constant):
        return isinstance(atom.value, numbers.Real) or atom.value is None
    if isinstance(atom, gast.UnaryOp) and isinstance(atom.operand, gast.Constant):
        return isinstance(atom.operand.value, numbers.Real)
    if isinstance(atom, gast.Name):
        return atom.id in scalar
    if isinstance(atom, gast.Attribute) and source is not None:
        return _is_module_constant(atom, source)
    return False


# modules whose number constants never change; a user's own module or object may rebind anything
_CONSTANT_MODULES = {"math", "cmath", "numpy"}


def _is_module_constant(atom: gast.Attribute, source) -> bool:
    """`math.pi`, `np.e`: a number of a library module (the holder is resolved, never the attribute of an
    arbitrary object, whose property could run code)."""
    holder = dotted_name(atom.value)
    if holder is None:
        return False
    module = resolve_global(holder, source.globals, source.closure)
    if not isinstance(module, types.ModuleType) or module.__name__.split(".")[0] not in _CONSTANT_MODULES:
        return False
    value = getattr(module, atom.attr, None)
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_scalar_op(op, stmt, scalar: set[str], resolve, sequences=frozenset(), source=None, dicts=frozenset()) -> bool:
    if isinstance(op, gast.Subscript):
        if isinstance(op.value, gast.Name) and op.value.id in dicts:
            return True                 # any key of a dict of numbers: a number (or a KeyError)
        return isinstance(op.value, gast.Name) and op.value.id in sequences and is_scalar_atom(op.slice, scalar, source)
    if isinstance(op, (gast.Name, gast.Constant)):
        return is_scalar_atom(op, scalar, source)
    if isinstance(op, gast.Attribute):      # `t = math.pi`; `t = x.T` of a local x has a rule, not CONSTANT
        return resolve(op, stmt).key == CONSTANT and is_scalar_atom(op, scalar, source)
    if isinstance(op, gast.BinOp):
        return not isinstance(op.op, gast.MatMult) and is_scalar_atom(op.left, scalar, source) and is_scalar_atom(op.right, scalar, source)
    if isinstance(op, gast.UnaryOp):
        return is_scalar_atom(op.operand, scalar, source)
    if isinstance(op, gast.Compare):
        return all(is_scalar_atom(a, scalar, source) for a in [op.left, *op.comparators])
    if isinstance(op, gast.BoolOp):
        return all(is_scalar_atom(a, scalar, source) for a in op.values)
    if isinstance(op, gast.Call):
        prim = resolve(op, stmt)
        if isinstance(prim.rule, Rule) and prim.rule.scalar_result:
            return True
        if prim.rule is CALL:
            return _helper_returns_number(prim, scalar, source)
        operands = list(prim.args) + list(prim.keywords.values())
        elementwise = isinstance(prim.key, np.ufunc) or prim.key in _ELEMENTWISE_BUILTINS
        return elementwise and all(is_scalar_atom(a, scalar, source) for a in operands)
    return False


_PREPARE = None          # transform.prepare, registered by transform.py (this package sits below it)
_IN_HELPER: contextvars.ContextVar = contextvars.ContextVar("s2sgrad_helper_kinds", default=False)


def read_helpers_with(prepare) -> None:
    """Let the analysis read the user's functions (`prepare(function)` -> its single-assignment form)."""
    global _PREPARE
    _PREPARE = prepare


def _helper_returns_number(prim, scalar: set[str], source) -> bool:
    """Whether a call to the user's function returns a number: its own kinds analysis, with the parameters
    that receive numbers here (or keep number defaults) as scalars.

    Only what cannot change behind the caller's back counts: the callee is a name the caller's resolution
    guard checks per call (a rebound name means a new transformation); the analysis of the callee reads
    its code alone, so it stops at the callee's own calls to Python functions and treats its globals and
    closure variables as unknown (no guard of the caller sees those), and a callee that resolves a name
    to anything but a library module or a builtin gets no answer."""
    call = _helper_call(prim, source)
    if call is None:
        return False
    function, signature, bound = call
    numbers_in = set()
    for name, param in signature.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name in bound:
            if is_scalar_atom(bound[name], scalar, source):
                numbers_in.add(name)
        elif type(param.default) in (int, float, bool):
            numbers_in.add(name)
    prepared = _read_helper(function)
    if prepared is None or not _reads_only_libraries(prepared):
        return False
    with _inside_helper():
        callee_scalars = scalar_names(prepared.ssa.body, numbers_in, prepared.ir.resolve, source=prepared.source,
                                      params=prepared.ssa.params)
    return is_scalar_atom(prepared.ssa.output, callee_scalars, prepared.source)


def _helper_call(prim, source):
    """(function, signature, arguments bound to its parameters) of a call to the user's plain function, or
    None where the analyses of the callee give no answer (a method, a starred call, a recursive look)."""
    if _PREPARE is None or source is None or prim.receiver is not None or _IN_HELPER.get():
        return None
    dotted = dotted_name(prim.callee)
    function = resolve_global(dotted, source.globals, source.closure) if dotted else None
    if type(function) is not types.FunctionType or any(isinstance(a, gast.Starred) for a in prim.args) \
            or None in prim.keywords:
        return None
    try:
        signature = inspect.signature(function)
        return function, signature, signature.bind(*prim.args, **prim.keywords).arguments
    except (TypeError, ValueError):
        return None


@contextlib.contextmanager
def _inside_helper():
    """The callee's own calls are not looked into (a recursive helper would never end)."""
    token = _IN_HELPER.set(True)
    try:
        yield
    finally:
        _IN_HELPER.reset(token)


def _read_helper(function):
    """The callee's transformation, or None if s2sgrad refuses it (that error comes when the call runs)."""
    with _inside_helper():
        try:
            return _PREPARE(function)
        except S2SGradError:
            return None


def _reads_only_libraries(prepared) -> bool:
    """Whether every name the function resolved is a module's (np.sin) or a builtin it does not shadow."""
    src = prepared.source
    for dotted in prepared.resolutions:
        head = dotted.partition(".")[0]
        if head in src.closure or head in src.globals:
            if not isinstance(resolve_global(head, src.globals, src.closure), types.ModuleType):
                return False
        elif not hasattr(builtins, head):
            return False
    return True


def container_names(body, container_params: set[str], resolve, source=None) -> set[str]:
    """Names that may hold a tuple, list or dict: their adjoints add element by element.

    With `source` (the FunctionSource), a call to the user's own function holds one only where that
    function's own analysis says its result may be one (`_helper_may_return_container`)."""
    containers = set(container_params) | {s.s2s_append for s in appends(body)}
    stmts = list(assignments(body))
    changed = True
    while changed:
        changed = False
        for stmt in stmts:
            target, op = stmt.targets[0].id, stmt.value
            if target in containers:
                continue
            holds = isinstance(op, (gast.Tuple, gast.List, gast.Dict))
            holds = holds or (isinstance(op, gast.Name) and op.id in containers)
            holds = holds or (isinstance(op, gast.Subscript) and isinstance(op.value, gast.Name)
                              and op.value.id in containers)
            holds = holds or (isinstance(op, gast.Call) and resolve(op, stmt).rule in (POP, PACK, PACK_DICT))
            holds = holds or (isinstance(op, gast.Call) and resolve(op, stmt).rule == CALL
                              and _helper_may_return_container(resolve(op, stmt), containers, source))
            holds = holds or (isinstance(op, gast.Call) and _builds_container(resolve(op, stmt)))
            holds = holds or (isinstance(op, gast.Attribute) and resolve(op, stmt).rule == FIELD)
            # `xs + [y]`, `[x] * 3`: Python joins and repeats a list or tuple operand
            holds = holds or (isinstance(op, gast.BinOp) and isinstance(op.op, (gast.Add, gast.Mult)) and any(
                isinstance(o, gast.Name) and o.id in containers for o in (op.left, op.right)))
            if holds:
                containers.add(target)
                changed = True
    return containers


def _helper_may_return_container(prim, containers: set[str], source) -> bool:
    """Whether a call to the user's function may return a tuple, list or dict: its own container analysis,
    with the parameters that receive containers here (or keep container defaults) as containers. The
    callee is a name the caller's resolution guard checks per call; its own calls count as containers."""
    call = _helper_call(prim, source)
    if call is None:
        return True
    function, signature, bound = call
    held = set()
    for name, param in signature.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            held.add(name)
        elif name in bound:
            if not (isinstance(bound[name], gast.Name) and bound[name].id not in containers) \
                    and not isinstance(bound[name], gast.Constant):
                held.add(name)
        elif isinstance(param.default, (list, tuple, dict)):
            held.add(name)
    prepared = _read_helper(function)
    if prepared is None:
        return True
    output = prepared.ssa.output
    if not isinstance(output, gast.Name):
        return not isinstance(output, gast.Constant)
    return output.id in container_names(prepared.ssa.body, held & set(prepared.ssa.params), prepared.ir.resolve)


def _builds_container(prim) -> bool:
    if isinstance(prim.rule, Rule) and prim.rule.facts.container:     # np.split, eigh: the table says so
        return True
    try:
        return prim.key in _CONTAINER_RESULTS
    except TypeError:                 # an unhashable callable
        return False
