"""Loops over dicts: `for k in d`, `for k, v in d.items()`, `d.keys()`, `d.values()`; and `d.get(k, default)`.

A loop becomes a loop over positions (loops.py), and `d[i]` would look up the
key i, not the i-th key. So a dict is iterated through a list of its keys, and
each value is read by its key, which the reverse sweep scatters back into the
dict's adjoint under the same key:

    for k, v in d.items():            keys = list(d)
        s = s + v * v          ->     for i in range(len(keys)):
                                          k = keys[i]
                                          v = d[k]
                                          ...

Outside a loop header, `d.keys()` is `list(d)`, and `d.values()` and `d.items()`
are the lists `[d[k] for k in d]` and `[(k, d[k]) for k in d]`, built by such a
loop, so `sum(d.values())` reaches each value through `d[k]` as well (a view
and a list hold the same elements; the function cannot change `d` meanwhile).

A plain `for k in d` takes this form when `d` is known to be a dict (built in
the function) or when the body reads `d[k]`; the key list is correct for lists
and arrays too (list(xs) holds their elements), so choosing it is always safe.
"""
from __future__ import annotations

import builtins

import gast

from ..analysis.resolve import resolve_global
from . import ast_build as build
from .atoms import copy_tree, range_len, resolved

_VIEWS = ("items", "keys", "values")


class DictIteration:
    """Mixed into the normalizer (ssa/normalize.py); `dicts` holds the SSA names known to hold dicts."""

    def keyed_iteration(self, node):
        """loop_header's answer for a loop over a dict or a dict view, or None for any other loop."""
        it, target = node.iter, node.target
        if _is_view_call(it):
            mapping, view = it.func.value, it.func.attr
        elif (isinstance(it, gast.Name) and self.env.get(it.id) in self.dicts) or _reads_by_target(node, it):
            mapping, view = it, "keys"
        else:
            return None
        if view == "items" and not (isinstance(target, gast.Tuple) and len(target.elts) == 2):
            raise self.unsupported(node, f"a `for` over `{gast.unparse(it).strip()}` whose target is not `key, value`",
                                   "unpack each item: for key, value in d.items():")
        mapping = self.atom(mapping)
        keys = self.temporary()
        self.emit(build.assign(keys, build.call(self.builtin_name("list", node), mapping), node))
        keys = resolved(keys)
        key_target = target.elts[0] if view == "items" else target if view == "keys" else None
        if not isinstance(key_target, gast.Name):        # d.values(), or a key unpacked further: a fresh name
            key_user = self.namer.version("key")
            elements = [(build.store(key_user), lambda index: _at(keys, index))]
            key = build.load(key_user)
            if key_target is not None:
                elements.append((key_target, lambda index: build.load(key_user)))
        else:
            elements = [(key_target, lambda index: _at(keys, index))]
            key = build.load(key_target.id)
        value_target = target.elts[1] if view == "items" else target if view == "values" else None
        if value_target is not None:
            elements.append((value_target, lambda index: gast.Subscript(value=mapping, slice=key, ctx=gast.Load())))
        return range_len(keys), None, elements

    def dict_view(self, node: gast.Call):
        """`d.keys()`, `d.values()` or `d.items()` as an atom holding a list; None for any other call."""
        if not _is_view_call(node) or self._is_global_reference(node.func):
            return None
        mapping = self.atom(node.func.value)
        if node.func.attr == "keys":
            return self.atom(build.call(self.builtin_name("list", node), mapping))
        key = self.namer.version("key")
        value = gast.Subscript(value=copy_tree(mapping), slice=build.load(key), ctx=gast.Load())
        element = value if node.func.attr == "values" else gast.Tuple(elts=[build.load(key), value], ctx=gast.Load())
        target = build.store(key)
        target.s2s_fresh = True             # already a name of its own: the comprehension keeps it
        loop = gast.comprehension(target=target, iter=copy_tree(mapping), ifs=[], is_async=0)
        return self.atom(gast.copy_location(gast.ListComp(elt=element, generators=[loop]), node))

    def dict_get(self, node: gast.Call):
        """`d.get(k, default)` as `d[k] if k in d else default`, an atom; None for any other call. The key's
        adjoint reaches `d[k]` only when the key is there, the default's only when it is not (the default
        is evaluated first, as Python evaluates a call's arguments)."""
        func = node.func
        if not (isinstance(func, gast.Attribute) and func.attr == "get" and 1 <= len(node.args) <= 2
                and not node.keywords and not any(isinstance(a, gast.Starred) for a in node.args)) \
                or self._is_global_reference(func):
            return None
        mapping = self.atom(func.value)
        key = self.atom(node.args[0])
        default = self.atom(node.args[1]) if len(node.args) == 2 else build.const(None)
        found = gast.Compare(left=copy_tree(key), ops=[gast.In()], comparators=[copy_tree(mapping)])
        value = gast.Subscript(value=copy_tree(mapping), slice=copy_tree(key), ctx=gast.Load())
        return self.atom(gast.copy_location(gast.IfExp(test=found, body=value, orelse=default), node))

    def builtin_name(self, name: str, origin) -> gast.Name:
        """A call to the builtin `name` that the generated code emits; refused if the module shadows it."""
        if resolve_global(name, self.src.globals, self.src.closure) is not getattr(builtins, name) \
                or name in self.env:
            raise self.unsupported(
                origin, f"this construct while `{name}` names something other than the builtin",
                f"s2sgrad writes it with the builtin `{name}`; rename your `{name}`")
        return build.load(name)


def _is_view_call(it) -> bool:
    return (isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute) and it.func.attr in _VIEWS
            and not it.args and not it.keywords)


def _reads_by_target(loop, sequence) -> bool:
    """Does the body read `sequence[target]` (the dict idiom `for k in d: ... d[k]`, or a field holding a
    dict: `for name in self.blocks: ... self.blocks[name]`)?"""
    if not isinstance(loop.target, gast.Name) or not _is_dotted(sequence):
        return False
    spelled = gast.dump(sequence)
    return any(isinstance(n, gast.Subscript) and _is_dotted(n.value) and gast.dump(n.value) == spelled
               and isinstance(n.slice, gast.Name) and n.slice.id == loop.target.id
               for stmt in loop.body for n in gast.walk(stmt))


def _is_dotted(node) -> bool:
    """A name or a chain of attributes of one (`d`, `self.blocks`): the same value wherever the body reads it."""
    while isinstance(node, gast.Attribute):
        node = node.value
    return isinstance(node, gast.Name)


def _at(sequence, index: str) -> gast.Subscript:
    return gast.Subscript(value=sequence, slice=resolved(index), ctx=gast.Load())
