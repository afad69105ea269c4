"""The check the generated code makes before `x += v` where another name may share x's array.

s2sgrad writes `x += v` as `x = x + v` (a new value, ssa/shared_updates.py). For a
number that is what Python does too; for an array Python changes it in place,
and a name that shares it (`y = x`, a slice, a list holding it) would then read
the new values where the generated code reads the old ones. Which of the two a
value is shows only when the code runs: a number passes, an array stops here.
"""
from __future__ import annotations

import sys

import numpy as np

from ..errors import UnsupportedConstructError
from .calls import locate_generated_line

_IN_PLACE = {"+=": "__iadd__", "-=": "__isub__", "*=": "__imul__", "/=": "__itruediv__", "//=": "__ifloordiv__",
             "%=": "__imod__", "**=": "__ipow__", "@=": "__imatmul__", "&=": "__iand__", "|=": "__ior__",
             "^=": "__ixor__", "<<=": "__ilshift__", ">>=": "__irshift__"}


def unshared_update(value, update: str, shared: str, *held):
    """Stop if `value`, about to be updated by `update` ("x += ... on line 12"), changes in place in Python
    (an array, a list: its type defines the in-place operator) while `shared`, read later, may hold it.
    `held`: what `shared` holds now, where the generated code can pass it: a number, or an array that shares
    no memory with `value`, lets the update through."""
    operator = next((op for op in sorted(_IN_PLACE, key=len, reverse=True) if f" {op} " in update), "+=")
    if not hasattr(type(value), _IN_PLACE[operator]):
        return None
    if held and not _may_hold(held[0], value):
        return None
    name = update.split(" ", 1)[0]
    caller = sys._getframe(1)               # the generated code, whose line maps back to the user's
    raise UnsupportedConstructError(
        f"`{update}`, which changes the {type(value).__name__} `{name}` in place in Python, while `{shared}`, "
        f"read afterwards, may hold the same {type(value).__name__}: s2sgrad computes `{name} {operator[:-1]} ...` "
        f"as a new value, so `{shared}` would keep the old one and the result would not be the function's",
        # the check assigns nothing; the update it stands before (the next line) is the user's `x += v`
        locate_generated_line(caller.f_code, caller.f_lineno + 1),
        f"write `{name} = {name} {operator[:-1]} ...` (then `{shared}` keeps the old values, in Python too), or read "
        f"`{name}` instead of `{shared}` after the update")


def _may_hold(alias, value, depth: int = 4) -> bool:
    """Whether `alias` is, views or holds `value`'s memory (anything not told apart counts as holding it)."""
    if alias is value:
        return True
    if isinstance(alias, (bool, int, float, complex, np.generic)) or alias is None:
        return False
    if isinstance(alias, np.ndarray):
        return isinstance(value, np.ndarray) and bool(np.may_share_memory(alias, value))
    if depth and isinstance(alias, (list, tuple)):
        return any(_may_hold(item, value, depth - 1) for item in alias)
    if depth and isinstance(alias, dict):
        return any(_may_hold(item, value, depth - 1) for item in alias.values())
    return True
