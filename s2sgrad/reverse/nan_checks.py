"""debug_nans: a check after every assignment of the generated gradient (runtime/nan_checks.py).

Forward statements carry the user's line they were normalized from; the
reverse emitter tags each adjoint statement with the forward statement it
reverses (`s2s_origin`), so a NaN that first appears in an adjoint names the
user's line whose derivative produced it. Calls to helpers pass `debug_nans=True`
on (runtime/calls.py), so a helper's values are checked inside the helper. Without debug_nans this pass does not
run and the generated code is unchanged.
"""
from __future__ import annotations

import gast

from ..ssa import ast_build as build


def insert_nan_checks(forward: list, reverse: list, location_of, helper: str) -> tuple[list, list]:
    """(forward, reverse) with `helper(name, "name", file, line, sweep)` after each assignment to names."""
    return _checked(forward, location_of, helper, "forward"), _checked(reverse, location_of, helper, "reverse")


def _checked(block: list, location_of, helper: str, sweep: str) -> list:
    out = []
    for stmt in block:
        for child in ("body", "orelse"):
            if isinstance(stmt, (gast.If, gast.For, gast.While)) and getattr(stmt, child, None):
                setattr(stmt, child, _checked(getattr(stmt, child), location_of, helper, sweep))
        out.append(stmt)
        if getattr(stmt, "s2s_recorded_call", False):        # a helper's own values are checked inside it
            stmt.value.keywords.append(gast.keyword(arg="debug_nans", value=build.const(True)))
        if not isinstance(stmt, gast.Assign) or _restores(stmt):
            continue
        location = location_of(getattr(stmt, "s2s_origin", stmt))
        filename, line = (location.filename, location.lineno) if location is not None else ("", 0)
        for name in _assigned(stmt.targets[0]):
            out.append(gast.Expr(value=build.call(helper, build.load(name), build.const(name),
                                                  build.const(filename), build.const(line), build.const(sweep))))
    return out


def _assigned(target) -> list[str]:
    if isinstance(target, gast.Name):
        return [target.id]
    if isinstance(target, gast.Tuple):
        return [n for e in target.elts for n in _assigned(e)]
    return []                           # x[i] = v: checked where v was computed


def _restores(stmt) -> bool:
    """`t1, s = tape.pop()` puts back values checked when they were computed."""
    value = stmt.value
    return isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and value.func.attr == "pop"
