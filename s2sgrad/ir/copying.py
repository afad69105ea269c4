"""Copy a program (its gast trees and IR nodes) for one specialization, fast.

Each specialization emits into its own copy of the single-assignment form
and its IR. `copy.deepcopy` does that correctly but generically (a
`__reduce_ex__` round trip per node) and took a third of a transformation's
time. Syntax nodes and the pipeline's own dataclasses are plain records, so
they are copied field by field here; everything else (and anything with copy
hooks of its own, like the table's entries, which stay shared) goes through
`copy.deepcopy` with the same memo, so objects shared between the trees and
the IR stay shared in the copy.
"""
from __future__ import annotations

import copy
import dataclasses

import gast

_ATOMIC = frozenset({str, int, float, bool, complex, bytes, type(None), type(Ellipsis)})
_PLAIN: dict = {}       # class -> whether its instances are copied field by field (or: the fields shared)


def copy_program(obj, shared=()):
    """A deep copy of `obj`, equal to `copy.deepcopy(obj)` except that the objects in `shared` (and what
    they hold) are not copied: the copy refers to them."""
    return _copy(obj, {id(item): item for item in shared})


def _copy(obj, memo: dict):
    cls = obj.__class__
    if cls in _ATOMIC:
        return obj
    found = memo.get(id(obj), _NOTHING)
    if found is not _NOTHING:
        return found
    if cls is list:
        new = memo[id(obj)] = []
        new.extend([item if item.__class__ in _ATOMIC else _copy(item, memo) for item in obj])
        return new
    if cls is tuple:
        new = tuple([_copy(item, memo) for item in obj])
        return memo.setdefault(id(obj), new)
    if cls is dict:
        new = memo[id(obj)] = {}
        for key, value in obj.items():
            new[_copy(key, memo)] = _copy(value, memo)
        return new
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = _PLAIN[cls] = _is_plain(cls)
    if plain is False:
        return copy.deepcopy(obj, memo)
    new = memo[id(obj)] = cls.__new__(cls)
    state = new.__dict__
    if plain is True:       # most fields are atomic (positions, names, None): taken without a call
        for key, value in obj.__dict__.items():
            state[key] = value if value.__class__ in _ATOMIC else _copy(value, memo)
    else:                               # fields named by the class's _copy_shares stay shared
        for key, value in obj.__dict__.items():
            state[key] = value if key in plain else _copy(value, memo)
    return new


def _is_plain(cls):
    """True for a record whose copy is a copy of its fields: a syntax node, or a dataclass of the
    pipeline's without copy hooks of its own. A pipeline dataclass that names in `_copy_shares` the
    fields its own __deepcopy__ keeps shared (an operation's table entry) gives that set: its other
    fields are copied here, without a round trip through copy.deepcopy's generic machinery."""
    shares = getattr(cls, "_copy_shares", None)
    if shares is not None and dataclasses.is_dataclass(cls) and cls.__module__.startswith("s2sgrad.") \
            and not hasattr(cls, "__slots__"):
        return frozenset(shares)
    if not (issubclass(cls, gast.AST) or (dataclasses.is_dataclass(cls) and cls.__module__.startswith("s2sgrad."))):
        return False
    if hasattr(cls, "__slots__") and not issubclass(cls, gast.AST):
        return False
    hooks = ("__deepcopy__", "__setstate__", "__reduce__", "__reduce_ex__", "__getstate__")
    return all(getattr(cls, hook, None) is getattr(_BASE[issubclass(cls, gast.AST)], hook, None) for hook in hooks)


_NOTHING = object()
_BASE = {True: gast.AST, False: object}
