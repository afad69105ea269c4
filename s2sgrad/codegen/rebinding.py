"""The same generated gradient, for another function made from the same code.

A transformation is shared by every function with the same code whose names
resolve to the same objects (transform.py's cache), but the generated
function is loaded against the environment of the function it was first made
for (codegen/loader.py): its module globals, its closure cells, its defaults.
A closure from the same factory, or a def in a loop with other defaults, must
run with its own, and so must the function itself once its defaults are
assigned anew (`f.__defaults__ = (5.0,)`): `rebind` swaps them in without
generating anything anew, and `DefaultsGuard` tells a caller when to.
"""
from __future__ import annotations

import types


def rebind(generated: types.FunctionType, original: types.FunctionType,
           target: types.FunctionType) -> types.FunctionType:
    """`generated` (loaded for `original`) reading `target`'s globals, closure cells and defaults."""
    if target is original and same_defaults(generated, target):
        return generated
    # equal, not only identical: Python compares code objects by content (not by file name), so a nested
    # def compiled twice into two generated modules shares a transformation
    if target.__code__ != original.__code__:
        raise ValueError(f"cannot rebind the gradient of {original.__qualname__} to a function with other code")
    originals = dict(zip(original.__code__.co_freevars, original.__closure__ or ()))
    targets = dict(zip(target.__code__.co_freevars, target.__closure__ or ()))
    # the cells that are the original's own become the target's; those of the rules' helpers stay
    cells = tuple(targets[name] if originals.get(name) is cell else cell
                  for name, cell in zip(generated.__code__.co_freevars, generated.__closure__ or ()))
    fn = types.FunctionType(generated.__code__, target.__globals__, generated.__name__, target.__defaults__, cells)
    # the seed's default is the generated function's own; the user's keyword-only defaults are the target's
    fn.__kwdefaults__ = {**(generated.__kwdefaults__ or {}), **(target.__kwdefaults__ or {})}
    fn.__module__ = generated.__module__
    fn.__qualname__ = generated.__qualname__
    return fn


_MISSING = object()


def same_defaults(generated: types.FunctionType, target: types.FunctionType) -> bool:
    """Whether `generated` still holds the defaults `target` has now (the very objects)."""
    if generated.__defaults__ is not target.__defaults__:
        return False
    own = target.__kwdefaults__
    if not own:
        return True
    taken = generated.__kwdefaults__ or {}
    return all(taken.get(name, _MISSING) is value for name, value in own.items())


class DefaultsGuard:
    """The per-call check that a function's defaults are those its generated code took: false once they
    were assigned anew, so that the caller binds its generated functions again. Empty (false) for a
    function without defaults, which then has nothing to check."""

    def __init__(self, target: types.FunctionType):
        self._target = target
        self._defaults = target.__defaults__
        self._keywords = tuple((target.__kwdefaults__ or {}).items())

    def __bool__(self) -> bool:
        return bool(self._defaults or self._keywords)

    def holds(self) -> bool:
        target = self._target
        if target.__defaults__ is not self._defaults:
            return False
        own = target.__kwdefaults__ or {}
        return len(own) == len(self._keywords) and all(own.get(k, _MISSING) is v for k, v in self._keywords)
