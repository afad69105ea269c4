"""`+` and `*` where an operand may be a Python list or tuple: concatenation and repetition.

For numbers and arrays `a + b` adds and `a * b` multiplies; for lists and tuples
they join and repeat, and the adjoints are not the arithmetic ones. The
transformer cannot always tell which (a helper's result, a field of an object),
so such an operation gets the entries below (analysis/sequence_arithmetic.py):
their adjoints look at the values and do what Python did. The forward code
keeps the user's `a + b`.
"""
from __future__ import annotations

import numpy as np

from .arrays import unbroadcast, zeros_like
from .containers import add_adjoints
from .namespace import in_library_of, is_foreign_array, numpy_values_like

__all__ = ["concatenate", "repeat", "concatenation_part", "repetition_adjoint_left", "repetition_adjoint_right",
           "concatenation_part_transpose", "repetition_transpose", "repetition_factor_transpose",
           "repetition_factor_part", "entries_like"]


def concatenate(a, b):
    """Python's `a + b`: a sum of numbers or arrays, a joined list or tuple."""
    return a + b


def repeat(a, b):
    """Python's `a * b`: a product of numbers or arrays, a list or tuple repeated."""
    return a * b


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple))


def _joined(a, b) -> bool:
    """Does `a + b` join two sequences (rather than add, as a list beside an array does)?"""
    return _is_sequence(a) and _is_sequence(b)


def _entries(g, n: int) -> list:
    """A sequence's adjoint as a list of its entries' adjoints (a number is a zero for all of them)."""
    if isinstance(g, (int, float)):
        return [g] * n
    return list(g)


def concatenation_part(g, a, b, side):
    """The adjoint of `a` (side 0) or `b` (side 1) in `a + b`.

    Joined sequences: the entries of the joined adjoint that came from that operand.
    Numbers and arrays: the adjoint reduced to the operand's shape, as for any sum."""
    if _joined(a, b):
        entries = _entries(g, len(a) + len(b))
        return entries[:len(a)] if side == 0 else entries[len(a):]
    return unbroadcast(g, a if side == 0 else b)


def repetition_adjoint_left(g, a, b):
    """The adjoint of `a` in `a * b`: for a repeated sequence, every copy's adjoint added up entry by
    entry; for numbers and arrays, the product rule reduced to `a`'s shape."""
    return _repetition_adjoint(g, a, b)


def repetition_adjoint_right(g, a, b):
    """The adjoint of `b` in `a * b` (`3 * [x]` repeats `b`)."""
    return _repetition_adjoint(g, b, a)


def _repetition_adjoint(g, operand, other):
    if _is_sequence(operand) and _is_count(other):
        n = len(operand)
        entries = _entries(g, n * other)
        total = entries[:n]
        for start in range(n, len(entries), n):
            total = add_adjoints(total, entries[start:start + n])
        return total if len(total) == n else [0.0] * n       # repeated zero times: no adjoint flowed
    if _is_sequence(other) and _is_count(operand):
        return 0.0                                    # the repeat count, an integer
    # numbers and arrays (a list beside an array is an array operand: `x * [2.0, 3.0]`); plain numbers
    # stay Python floats
    return unbroadcast(np.multiply(g, other) if _is_sequence(other) else g * other, operand)


def _is_count(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


# transposes of the adjoints above (their own reverse slots: reverse mode over a gradient's code)

def concatenation_part_transpose(d, g, a, b, side):
    """The adjoint of `g` in concatenation_part(g, a, b, side), given the adjoint `d` of that part."""
    if _joined(a, b):
        entries = _entries(g, len(a) + len(b))
        if side == 0:
            return _like_entries(list(d) + [zeros_like(e) for e in entries[len(a):]], g)
        return _like_entries([zeros_like(e) for e in entries[:len(a)]] + list(d), g)
    return zeros_like(g) + d                     # unbroadcast's transpose: d stretched to g's shape


def _like_entries(entries: list, g):
    """Entries in g's form: a list for a list, an array (stacked along its first axis) for an array."""
    if isinstance(g, (list, tuple)):
        return entries
    if not entries:
        return zeros_like(g)
    if is_foreign_array(g):         # Python floats beside 0-d arrays: each one of g's library (CuPy stacks arrays only)
        entries = [numpy_values_like(g, e) for e in entries]
    return in_library_of(np.stack(entries), g)


def entries_like(value, like):
    """An adjoint in the form of the value it belongs to: a sequence's entries stacked for an array."""
    if isinstance(value, (list, tuple)) and not isinstance(like, (list, tuple)):
        return _like_entries(list(value), like)
    return value


def repetition_transpose(d, g, operand, other):
    """The adjoint of `g` in _repetition_adjoint(g, operand, other), given the adjoint `d` of its result."""
    if _is_sequence(operand) and _is_count(other):
        return _like_entries(list(d) * other, g)     # each copy's entries got the same adjoint
    if _is_sequence(other) and _is_count(operand):
        return zeros_like(g)                     # the count's adjoint is a constant zero
    return unbroadcast(np.multiply(d, other) if _is_sequence(other) else d * other, g)


def repetition_factor_transpose(d, g, operand, other):
    """The adjoint of `other` (the factor) in _repetition_adjoint(g, operand, other)."""
    if _is_sequence(operand) or _is_sequence(other):
        return zeros_like(other)                 # a repeat count
    return unbroadcast(d * g, other)


def repetition_factor_part(dr, factor, like, operand, other):
    """The adjoint of one factor (d or g) of repetition_factor_transpose(d, g, operand, other), given the
    adjoint `dr` of its result: the other factor times dr, reduced to `like` (the factor's own value)."""
    if _is_sequence(operand) or _is_sequence(other):
        return zeros_like(like)                  # the product was a repeat count's: no derivative
    return unbroadcast(dr * factor, like)
