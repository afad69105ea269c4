"""What a user's class keeps in its instances, read from its methods' source (for ssa/local_objects.py).

An object whose class has no hooks on attribute access (no `__slots__`, `__getattr__`, `__setattr__`,
...) keeps its state in the fields its methods assign on `self`; those, the class attributes an
instance may shadow, and which methods assign a field (themselves or through the methods they call
on `self`) are what writing such an object out as variables needs.
"""
from __future__ import annotations

import dataclasses
import inspect
import types

import gast

from ..errors import S2SGradError
from ..source import read_function
from ..ssa import ast_build as build

_SPECIAL = ("__slots__", "__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__new__",
            "__post_init__", "__init_subclass__")


def is_plain_class(cls) -> bool:
    """A class of the user's whose instances are their fields: Python code, no hooks on attribute access."""
    if not isinstance(cls, type) or type(cls) is not type or cls.__module__ == "builtins":
        return False
    if any(k.__module__ == "builtins" and k is not object for k in cls.__mro__):
        return False                # a list, dict, tuple or exception subclass: its state is not its fields
    if any(name in vars(k) for k in cls.__mro__[:-1] for name in _SPECIAL):
        return False
    init = cls.__init__
    return init is object.__init__ or isinstance(init, types.FunctionType)


def method_of(cls, name: str):
    value = inspect.getattr_static(cls, name, None)
    return value if isinstance(value, types.FunctionType) else None


def is_class_value(cls, name: str) -> bool:
    """Whether `name` is a plain class attribute (a number, a string, ...: not a method or descriptor)."""
    value = inspect.getattr_static(cls, name, _ABSENT)
    return value is not _ABSENT and not isinstance(value, (types.FunctionType, property, classmethod, staticmethod))


_ABSENT = object()


def is_frozen(cls) -> bool:
    return dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


def instance_fields(cls) -> set[str]:
    """Every `self.<name>` the class's methods (its whole MRO's) assign, and a dataclass's fields."""
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    for klass in cls.__mro__[:-1]:
        for value in vars(klass).values():
            if isinstance(value, types.FunctionType):
                fields |= _assigned_on_self(value)
    return fields


def fields_set_on_every_path(cls) -> set[str]:
    """The fields `__init__` assigns at its top level (set on every path)."""
    if dataclasses.is_dataclass(cls):
        return {f.name for f in dataclasses.fields(cls) if f.init}
    init = cls.__init__
    if not isinstance(init, types.FunctionType):
        return set()
    tree = _tree(init)
    if tree is None or not tree.args.args:
        return set()
    me = tree.args.args[0].id
    return {t.attr for s in tree.body if isinstance(s, (gast.Assign, gast.AnnAssign))
            for t in (s.targets if isinstance(s, gast.Assign) else [s.target])
            if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == me}


def _assigned_on_self(function) -> set[str]:
    tree = _tree(function)
    if tree is None or not tree.args.args:
        return set()
    me = tree.args.args[0].id
    return {n.attr for n in build.own_nodes(tree.body) if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name)
            and n.value.id == me and isinstance(n.ctx, gast.Store)}


def writes_self(function, cls, seen: set) -> bool:
    """Does `function` (a method) assign a field of its `self`, itself or through the methods it calls on it?"""
    if function in seen:
        return False
    seen.add(function)
    tree = _tree(function)
    if tree is None or not tree.args.args:
        return False
    me = tree.args.args[0].id
    for node in build.own_nodes(tree.body):
        if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id == me \
                and isinstance(node.ctx, gast.Store):
            return True
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute):
            target = node.func.value
            if isinstance(target, gast.Name) and target.id == me or is_super_call(target):
                method = method_of(cls, node.func.attr)
                if method is not None and writes_self(method, cls, seen):
                    return True
    return False


def _tree(function):
    try:
        return read_function(function).tree
    except S2SGradError:
        return None


def is_super_call(node) -> bool:
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == "super" \
        and not node.args and not node.keywords


