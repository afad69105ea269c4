"""The check before a `super().method(...)` call that the generated code makes as `Base.method(self, ...)`.

ssa/super_calls.py resolves `super()` when it transforms the method: the class
after the method's own in its class's method resolution order that defines the
method. `super()` decides at run time, from the object's class: a subclass with
several bases (`class C(Child, Mixin)`) puts another class in between. So the
generated code checks, once per call, that the object's class resolves the
method to the class it was written for, and stops otherwise.
"""
from __future__ import annotations

import sys

from ..errors import UnsupportedConstructError
from .calls import locate_generated_line

__all__ = ["check_super"]


def check_super(owner: type, instance, name: str, expected: type) -> None:
    """Stop unless `super(owner, instance).name` is `expected`'s `name`."""
    mro = type(instance).__mro__
    later = mro[mro.index(owner) + 1:] if owner in mro else ()
    found = next((k for k in later if name in vars(k)), None)
    if found is expected:
        return
    caller = sys._getframe(1)
    shown = found.__name__ if found is not None else "no class"
    raise UnsupportedConstructError(
        f"`super().{name}(...)` in a method of {owner.__name__}, called on a {type(instance).__name__}: s2sgrad "
        f"wrote it as {expected.__name__}.{name}, but for this object's class `super()` gives {shown}'s",
        locate_generated_line(caller.f_code, caller.f_lineno + 1),
        f"call the method you mean by its class (`{shown}.{name}(self, ...)`) instead of `super()`")
