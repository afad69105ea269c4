"""User names that are also the names of Python's builtins (`len = 3.0`, `def f(x, min)`).

The generated code calls builtins of its own: `range(len(seq))` for a `for` over a sequence,
`min(len(a), len(b))` for a zip, `reversed(range(n))` in a reverse sweep. A local of the user's
named `len` would make those calls call a number (a bare TypeError from the generated code, or
from the gradient's own derivative in a Hessian). So a local variable never keeps a builtin's
name in single-assignment form: its first version is `len_1`, as later ones are. A parameter
must keep its name (callers pass it by keyword, `wrt` names it): where the generated code calls
the builtin the parameter hides, the transformation stops and says to rename it.
"""
from __future__ import annotations

import builtins

import gast

from ..errors import UnsupportedConstructError
from .ast_build import walk


def shadows_builtin(name: str) -> bool:
    return hasattr(builtins, name) and not name.startswith("_")


def refuse_shadowing_parameters(src, params, body) -> None:
    """Stop where a parameter hides a builtin that the normalized body calls and the user's code does not."""
    hiding = {p for p in params if shadows_builtin(p)}
    if not hiding:
        return
    called_by_user = _called_names(src.tree.body) & hiding
    has_loop = any(isinstance(n, (gast.For, gast.While)) for n in walk(src.tree))
    for name in sorted(hiding - called_by_user):
        if name in _called_names(body) or name == "reversed" and has_loop:
            arg = next(a for a in walk(src.tree.args) if isinstance(a, gast.Name) and a.id == name)
            raise UnsupportedConstructError(
                f"the parameter `{name}`, which hides the builtin {name}() that the generated code calls",
                src.location(arg),
                f"rename the parameter (e.g. `{name}_value`); the gradient's code calls Python's {name}() "
                "for the loops and sequences of this function")


def _called_names(stmts) -> set[str]:
    return {n.func.id for stmt in stmts for n in walk(stmt)
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name)}
