"""A method of a dict, list or tuple the function built, taken as a value (`get = d.get`), refused where
it is written.

Called at once (`d.get("a")`), such a method is a call s2sgrad follows. Taken as a value, the attribute
read looks like a field of one of the user's objects, so the reverse sweep would scatter the method's
adjoint into the dict under the key "get" and stop with a bare KeyError at run time. Where every
assignment of the name is a display (`d = {...}`, `xs = [...]`, `t = (...)`) or a copy of one, the
transform stops at the attribute read, naming the line.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from ..ssa.user_terms import terms_of
from .dataflow import assignments

_DISPLAYS = {gast.Dict: dict, gast.List: list, gast.Tuple: tuple}


def refuse_container_methods_as_values(ssa, varied) -> None:
    """Stop where a value carrying derivatives is a method of a dict, list or tuple display, read
    without being called and called later under its new name."""
    kinds = _display_kinds(ssa.body)
    # called later by the name it was stored under (passed as sorted's or max's key, it only orders)
    called = {node.func.id for node in gast.walk(ssa.tree) if isinstance(node, gast.Call)
              and isinstance(node.func, gast.Name)}
    for stmt in assignments(ssa.body):
        target, value = stmt.targets[0], stmt.value
        if not (isinstance(target, gast.Name) and target.id in varied and target.id in called
                and isinstance(value, gast.Attribute) and isinstance(value.value, gast.Name)):
            continue
        kind = kinds.get(value.value.id)
        if kind is not None and callable(getattr(kind, value.attr, None)):
            read = terms_of(ssa.source).expression(value)
            raise UnsupportedConstructError(
                f"`{read}`: a method of a {kind.__name__} taken as a value (s2sgrad follows it where it is "
                "called)", ssa.source.location(stmt), f"call it where you need its result: `{read}(...)`")


def _display_kinds(body) -> dict:
    """name -> dict, list or tuple, for the names every assignment of which is a display of that kind or
    a copy of such a name."""
    values: dict[str, list] = {}
    for stmt in assignments(body):
        if isinstance(stmt.targets[0], gast.Name):
            values.setdefault(stmt.targets[0].id, []).append(stmt.value)
    kinds: dict = {}
    changed = True
    while changed:
        changed = False
        for name, assigned in values.items():
            found = {_DISPLAYS.get(type(v)) or (kinds.get(v.id) if isinstance(v, gast.Name) else None)
                     for v in assigned}
            if name not in kinds and len(found) == 1 and None not in found:
                kinds[name] = found.pop()
                changed = True
    return kinds


__all__ = ["refuse_container_methods_as_values"]
