"""A gradient's scatter into an adjoint it owns, `add_at(d, i, g)`, becomes `d = add_at.pure(d, i, g)` when
that gradient's code is differentiated again, before anything asks which names a block assigns. The
user's own scatter-add, `np.add.at(F, i, v)` (or np.subtract.at), becomes `F = np.add.at(F, i, v)` marked
SCATTER_ADD, which the normalizer writes as the sum as a new array where F is the function's own
(ssa/array_fills.py), for the same reason: a loop that assembles F carries it.

`add_at` writes into `d` and returns it; its `pure` form returns the sum as a new value, which both modes
differentiate as an operation of the table (rules/runtime_rules.py). Rewriting the source statement
itself (rather than while normalizing it) is what lets a loop that scatters see that it assigns `d`, so
`d` is carried from one iteration to the next: otherwise each iteration added into the `d` from before
the loop, and all but the last iteration's adjoints were lost.
"""
from __future__ import annotations

import gast

import numpy as np

from ..analysis.resolve import dotted_name, resolve_global
from . import ast_build as build
from .scopes import assignment_counts, parameter_names

SCATTER_ADD = "s2s_scatter_add"     # on `F = np.add.at(F, i, v)`: 'add' or 'subtract'


def rebind_scatters(src) -> None:
    """Rewrite, in place, each statement `helper(d, ...)` of `src.tree` whose helper has a pure form and
    whose `d` is the function's own variable, as `d = helper.pure(d, ...)`."""
    tree = src.tree
    local = set(assignment_counts(tree)) | set(parameter_names(tree.args))
    for node in gast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                block[:] = [_rebound(stmt, src, local) for stmt in block]


def _rebound(stmt, src, local: set):
    call = stmt.value if isinstance(stmt, gast.Expr) else None
    if not (isinstance(call, gast.Call) and call.args and isinstance(call.args[0], gast.Name)
            and call.args[0].id in local):
        return stmt
    callee = _callee(call.func, src, local)
    scatter = _scatter_add_kind(callee)
    if scatter is not None:
        rebound = build.assign(call.args[0].id, call, stmt)
        setattr(rebound, SCATTER_ADD, scatter)
        return rebound
    if pure_form_of(callee) is None:
        return stmt
    pure = gast.Call(func=gast.Attribute(value=call.func, attr="pure", ctx=gast.Load()), args=call.args,
                     keywords=call.keywords)
    return build.assign(call.args[0].id, pure, stmt)


def _callee(func, src, local: set):
    dotted = dotted_name(func)
    if dotted is None or dotted.split(".")[0] in local:
        return None
    return resolve_global(dotted, src.globals, src.closure)


def _scatter_add_kind(target) -> str | None:
    """'add' for np.add.at, 'subtract' for np.subtract.at, else None."""
    if getattr(target, "__name__", "") == "at" and getattr(target, "__self__", None) in (np.add, np.subtract):
        return target.__self__.__name__
    return None


def pure_form_of(target):
    """The form of a runtime helper that changes its first argument (add_at, split_last) which leaves it as
    it was (`.pure`): what a gradient's code differentiated again calls instead."""
    pure = getattr(target, "pure", None)
    module = getattr(target, "__module__", None) or ""
    return pure if callable(pure) and module.startswith("s2sgrad.runtime.") else None
