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

A call to another Python function is followed into it: `calls(function,
positions, keywords)` (api/complex_arguments.py runs this analysis on the
callee) says whether it returns a complex value when the arguments at those
positions and keywords are complex, so a helper that makes a complex value from
real arguments makes its result complex in the caller too. A callee it cannot
look into (a lambda, a method, a function without source) is taken to return a
complex value exactly when an argument is complex.
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import UnsupportedConstructError
from ..ir.nodes import ElementStore, Operation
from ..rules import Rule
from ..rules.structural import CALL
from .resolve import dotted_name, is_missing, resolve_global

_COMPLEX_TYPES = (complex, np.complex64, np.complex128, np.complexfloating)


def complex_names(ir, source, complex_params, calls=None) -> set[str]:
    """The names that may hold complex values (a fixpoint: loops carry values around)."""
    maybe = set(complex_params)
    local = set(ir.params) | {n.target for n in ir.operations()}
    source = _Globals(source, local)
    while True:
        size = len(maybe)
        for node in ir.walk():
            if isinstance(node, Operation) and _result_may_be_complex(node, maybe, source, calls):
                maybe.add(node.target)
            elif isinstance(node, ElementStore) and _reads_complex(node.value, maybe, source):
                maybe.add(node.container)
        if len(maybe) == size:
            return maybe


def refuse_complex_operations(ir, source, varied, complex_params, calls=None) -> set[str]:
    """Stop at the first operation that differentiates a complex operand without a rule for it.

    Returns the names that may hold complex values (empty for an all-real function)."""
    maybe = complex_names(ir, source, complex_params, calls)
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


def _result_may_be_complex(node: Operation, maybe: set, source, calls=None) -> bool:
    entry = node.entry
    if entry is CALL and calls is not None:
        returns = _call_returns_complex(node.primitive, maybe, source, calls)
        if returns is not None:
            return returns
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


def _call_returns_complex(prim, maybe: set, source, calls):
    """Whether the called function returns a complex value given which arguments are complex; None when
    it cannot be looked into (then its result is complex exactly when an argument is)."""
    callee = _global_value(prim.callee, source) if isinstance(prim.callee, (gast.Name, gast.Attribute)) else None
    if callee is None or prim.receiver is not None or any(isinstance(a, gast.Starred) for a in prim.args) \
            or None in prim.keywords:
        return None
    positions = frozenset(i for i, a in enumerate(prim.args) if _reads_complex(a, maybe, source))
    keywords = frozenset(k for k, v in prim.keywords.items() if _reads_complex(v, maybe, source))
    return calls(callee, positions, keywords)


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
