"""What a called value's `self` is: the state whose adjoint (or tangent) the call's receiver gets.

The generated code calls `net.l1(x)`, `layer(x)` or `m(x)` with `active=(..., "self")` when the called
value may carry derivatives; which state it carries is known only when the code runs:

- a method bound to an object (`net.predict`, `m = net.l1.go`): that object, its `__self__`; the
  adjoint is an ObjectAdjoint owned by it, so runtime/containers.py's add_field adds it to the object
  holding the method, not under the method's name;
- a callable object (`net.l1`, a layer whose class defines `__call__`): the object itself;
- a function, a builtin, a ufunc, a staticmethod or a method bound to a class (`net.act = np.tanh`):
  nothing; its adjoint is zero, as a field holding a label's is.

A function or partial that reads one of the user's objects through its closure or its stored arguments
(`self.act = lambda x: self.w * x`) would hide that object's derivatives: refused where it is called.
"""
from __future__ import annotations

import copy
import functools
import types

import numpy as np

from ..errors import S2SGradError
from .array_kinds import is_foreign_array


def is_user_object(value) -> bool:
    """An instance of the user's own class, callable or not (a layer with __call__ is one): not a function,
    method, class, module or partial, whose attributes are code, not values."""
    if not hasattr(value, "__dict__") or isinstance(value, CODE_TYPES) or is_foreign_array(value):
        return False                # a Dask array has a __dict__ too, but it is an array
    # a ufunc or NumPy's function dispatchers have a __dict__ too, but their __call__ is not Python code
    return not callable(value) or isinstance(getattr(type(value), "__call__", None), types.FunctionType)


CODE_TYPES = (np.ndarray, type, types.FunctionType, types.MethodType, types.BuiltinFunctionType,
               types.ModuleType, functools.partial)


def carries_state(callee) -> bool:
    """Does a call of `callee` differentiate a `self` (a bound method's object, a callable object)?"""
    if isinstance(callee, types.MethodType):
        return not isinstance(callee.__self__, type)        # a classmethod's class is code, not a value
    if is_user_object(callee):
        return True
    _refuse_hidden_objects(callee)
    return False


def self_tangent(callee, tangent):
    """The tangent of the `self` a call of `callee` differentiates, given the tangent of the called value
    (forward mode: `net_dot.l1` for `net.l1`, a bound method of the tangent object for `net.predict`)."""
    if isinstance(callee, types.MethodType):
        if not (isinstance(tangent, types.MethodType) and tangent.__func__ is callee.__func__):
            raise S2SGradError(
                f"the tangent of the method `{callee.__func__.__qualname__}` is a {type(tangent).__name__}, not the "
                f"same method of the object's tangent: give the tangent of a `{type(callee.__self__).__name__}` as "
                "another object of that class, holding the fields' tangents")
        if tangent.__self__ is callee.__self__:
            raise S2SGradError(
                f"the tangent of the method `{callee.__func__.__qualname__}` is that method of the primal object "
                "itself (a field holding a bound method, copied into the tangent object unchanged): store the "
                "object in a field and call its method through it, or bind the method to the object's tangent")
        return tangent.__self__
    if isinstance(tangent, dict) and is_user_object(callee):
        raise S2SGradError(
            f"the tangent of a `{type(callee).__name__}` object is a dict: give it as another "
            f"`{type(callee).__name__}` holding the fields' tangents (copy.copy the object and set its fields)")
    return tangent


def _refuse_hidden_objects(callee) -> None:
    """A function whose closure cells, or a partial whose stored arguments, hold one of the user's objects
    reads that object's fields where s2sgrad cannot follow them."""
    if isinstance(callee, functools.partial):
        held = list(callee.args) + list(callee.keywords.values())
        where = "stored arguments"
    elif isinstance(callee, types.FunctionType) and callee.__closure__:
        held = []
        for cell in callee.__closure__:
            try:
                held.append(cell.cell_contents)
            except ValueError:          # a cell not bound yet holds nothing
                pass
        where = "closure"
    else:
        return
    objects = [type(v).__name__ for v in held if is_user_object(v)]
    if objects:
        name = getattr(callee, "__qualname__", None) or getattr(getattr(callee, "func", None), "__qualname__", "")
        raise S2SGradError(
            f"the function `{name}`, called through an object, holds a `{objects[0]}` object in its {where}: "
            "the derivatives of that object's fields would be lost. Make the function a method of the class "
            "(def act(self, x): ...), or pass the values it reads as arguments")


def guarded_tangent(tangent):
    """`tangent` (a tangent object, or a container holding some) with each object whose class defines
    properties made an instance of a subclass whose properties refuse to be read.

    Forward mode reads `m.area` as `m_dot.area`: a property computes from the fields, and computing it from
    the tangents' fields gives its tangent only when it is linear in them. The user's tangent is not changed.
    """
    if isinstance(tangent, list):
        return [guarded_tangent(t) for t in tangent]
    if isinstance(tangent, tuple) and not hasattr(tangent, "_fields"):
        return tuple(guarded_tangent(t) for t in tangent)
    if isinstance(tangent, dict):
        return {k: guarded_tangent(t) for k, t in tangent.items()}
    if not is_user_object(tangent) or callable(tangent):
        return tangent
    fields = {k: guarded_tangent(v) for k, v in vars(tangent).items()}
    guard = _guard_class(type(tangent))
    if guard is None and all(fields[k] is v for k, v in vars(tangent).items()):
        return tangent
    copied = copy.copy(tangent)
    vars(copied).update(fields)
    if guard is not None:
        copied.__class__ = guard
    return copied


def _guard_class(cls):
    """A subclass of `cls` whose properties raise, or None when `cls` has none (or cannot be subclassed so)."""
    if cls not in _GUARDS:
        names = {name for c in cls.__mro__ for name, v in vars(c).items() if isinstance(v, property)}
        guard = None
        if names and "__slots__" not in vars(cls):
            guard = type(cls.__name__, (cls,), {
                **{name: property(_refusing(cls.__name__, name)) for name in names},
                "__module__": cls.__module__, "__qualname__": cls.__qualname__})
        _GUARDS[cls] = guard
    return _GUARDS[cls]


def _refusing(kind, name):
    def read(self):
        raise S2SGradError(
            f"`{kind}.{name}` is a property: forward mode would compute it from the tangents of the fields, "
            f"which is its tangent only when it is linear in them; make it a method ({name}(self)) and call it, "
            "or read the fields it computes from")
    return read


_GUARDS: dict = {}
