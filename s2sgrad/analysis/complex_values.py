"""Which values may be complex, and does every operation that differentiates them have a rule for that?

A rule written for real inputs can be wrong for complex ones without any sign
(`np.maximum`, `np.linalg.norm`, `np.std` of complex values): the table marks
the entries whose slots hold for complex operands (Facts.complex). This
analysis follows complex values through a function: parameters that hold
complex numbers at the call, complex literals (`1j`), globals holding complex
values, casts to a complex dtype, and entries whose result is complex whatever
their operands (np.fft.fft). An operation that carries a derivative and
receives a complex operand must have the fact, or the transform stops there,
naming the line, before anything runs.

What it cannot see: a call to another Python function that returns a complex
value from real arguments (that function's own gradient checks itself).
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import UnsupportedConstructError
from ..ir.nodes import ElementStore, Operation
from ..rules import Rule
from .resolve import dotted_name, is_missing, resolve_global

_COMPLEX_TYPES = (complex, np.complex64, np.complex128, np.complexfloating)


def complex_names(ir, source, complex_params) -> set[str]:
    """The names that may hold complex values (a fixpoint: loops carry values around)."""
    maybe = set(complex_params)
    local = set(ir.params) | {n.target for n in ir.operations()}
    source = _Globals(source, local)
    while True:
        size = len(maybe)
        for node in ir.walk():
            if isinstance(node, Operation) and _result_may_be_complex(node, maybe, source):
                maybe.add(node.target)
            elif isinstance(node, ElementStore) and _reads_complex(node.value, maybe, source):
                maybe.add(node.container)
        if len(maybe) == size:
            return maybe


def refuse_complex_operations(ir, source, varied, complex_params) -> set[str]:
    """Stop at the first operation that differentiates a complex operand without a rule for it.

    Returns the names that may hold complex values (empty for an all-real function)."""
    maybe = complex_names(ir, source, complex_params)
    if not maybe:
        return maybe
    location = source.location
    source = _Globals(source, set(ir.params) | {n.target for n in ir.operations()})
    for node in ir.walk():
        if not isinstance(node, Operation) or not isinstance(node.entry, Rule) or node.entry.facts.complex:
            continue
        operands = _operands(node)
        active = node.target in varied or any(isinstance(a, gast.Name) and a.id in varied for a in operands)
        if active and any(_reads_complex(a, maybe, source) for a in operands):
            raise UnsupportedConstructError(
                f"`{node.entry.name}` of a complex value: its derivative rule holds for real inputs only",
                location(node.node),
                "take the real part, imaginary part or modulus first (np.real, np.imag, np.abs), or register a "
                "rule that holds for complex values; docs/functions_supported.md lists the entries that do")
    return maybe


def _operands(node: Operation) -> list:
    prim = node.primitive
    return [*prim.args, *prim.keywords.values()]


def _result_may_be_complex(node: Operation, maybe: set, source) -> bool:
    entry = node.entry
    facts = getattr(entry, "facts", None)
    if facts is not None and facts.complex_result == "complex":
        return True
    if getattr(entry, "differentiable", True) is False and not isinstance(node.node.value, (gast.Name,
                                                                                            gast.Constant)):
        return False                 # comparisons, shapes, argmax: never complex values that carry derivatives
    if facts is not None and facts.complex_result == "real":
        return False
    value = node.node.value
    if isinstance(value, (gast.Constant, gast.Name, gast.Attribute)) and _reads_complex(value, maybe, source):
        return True                  # a literal 1j, a global holding a complex array
    return any(_reads_complex(a, maybe, source) or _names_complex_dtype(a, source) for a in _operands(node))


def _reads_complex(atom, maybe: set, source) -> bool:
    if isinstance(atom, gast.Constant):
        return isinstance(atom.value, complex)
    if isinstance(atom, gast.UnaryOp):
        return _reads_complex(atom.operand, maybe, source)
    if isinstance(atom, (gast.Tuple, gast.List)):
        return any(_reads_complex(e, maybe, source) for e in atom.elts)
    if isinstance(atom, gast.Name) and atom.id in maybe:
        return True
    if isinstance(atom, (gast.Name, gast.Attribute)):
        return _is_complex_value(_global_value(atom, source))
    return False


def _is_complex_value(value) -> bool:
    """A complex number, or an array of them (a list or an object is not looked into)."""
    if isinstance(value, (complex, np.complexfloating)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind == "c"


def _names_complex_dtype(atom, source) -> bool:
    """`complex`, `np.complex128`, 'complex64' or np.dtype(complex) as an argument: a cast to complex."""
    if isinstance(atom, gast.Constant) and isinstance(atom.value, str):
        return atom.value.startswith("complex") or atom.value in ("c8", "c16", "F", "D")
    value = _global_value(atom, source) if isinstance(atom, (gast.Name, gast.Attribute)) else None
    if isinstance(value, type):
        return issubclass(value, _COMPLEX_TYPES)
    return isinstance(value, np.dtype) and value.kind == "c"


class _Globals:
    """The function's namespace, less the names the function assigns itself."""

    def __init__(self, source, local: set):
        self.globals, self.closure, self.local = source.globals, source.closure, local


def _global_value(atom, source):
    dotted = dotted_name(atom)
    if dotted is None or dotted.split(".")[0] in source.local:
        return None
    value = resolve_global(dotted, source.globals, source.closure)
    return None if is_missing(value) else value
