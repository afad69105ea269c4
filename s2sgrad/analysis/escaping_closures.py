"""A nested def or lambda that reads a value carrying derivatives may only be called, not passed around.

A call by its own name, `inner(v)`, is differentiated with what it captured as
inputs (ssa/closures.py, runtime/calls.py `captured=`), so derivatives flow
into `x` of `def inner(v): return x * v`. Used as a value, the function hides
`x`: `g = inner; g(v)`, `[inner, other]`, `apply(inner, v)`, `quad(inner, 0, 1)`,
`return inner` (a helper making a closure) all call it where nothing knows what
it read, and the derivative through `x` would be a silent zero. Those uses stop
the transform, naming the line. A table entry may take it (`sorted(xs,
key=inner)`): its rule says what flows through a function operand, and
analysis/function_operands.py refuses the entries that call one they cannot
follow.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from ..rules import Rule
from ..runtime.calls import call_forward
from ..ssa.user_terms import terms_of
from .dataflow import simple_statements
from .resolve import resolve_global


def refuse_escaping_closures(ssa, resolve, varied: set) -> None:
    """Raise a located error where a nested function reading a value in `varied` is used other than called."""
    carrying = {name: [c for c in captured if c in varied] for name, captured in (ssa.closures or {}).items()}
    carrying = {name: read for name, read in carrying.items() if read}
    if not carrying:
        return
    for stmt in simple_statements(ssa.body):
        if _records_what_it_reads(stmt, ssa):
            continue
        name = _escaping_use(stmt, carrying, resolve)
        if name is not None:
            read = terms_of(ssa.source).name(carrying[name][0])
            raise UnsupportedConstructError(
                f"{_user_name(name, ssa)} used as a value (assigned, stored, passed or returned) "
                f"while it reads `{read}`, which carries derivatives from the enclosing function",
                ssa.source.location(stmt) or ssa.source.location(_definition(name, ssa)),
                f"call it by its own name where it is defined (its derivative through `{read}` is followed "
                f"there), or pass `{read}` to it as an argument")


def _escaping_use(stmt, carrying: dict, resolve) -> str | None:
    """The carrying function that `stmt` uses other than by calling it, or None."""
    if isinstance(stmt, (gast.FunctionDef, gast.Lambda)):
        return _first_load(stmt.body, carrying)          # a call from another nested function hides it too
    value = stmt.value if isinstance(stmt, (gast.Assign, gast.Expr, gast.Return)) else None
    if isinstance(value, gast.Lambda):
        return _first_load(value.body, carrying)
    if isinstance(value, gast.Call):
        operands = list(value.args) + [k.value for k in value.keywords]
        if _first_load(operands, carrying) is None or _has_rule(value, stmt, resolve):
            return None if isinstance(value.func, gast.Name) else _first_load(value.func, carrying)
        return _first_load(operands, carrying)
    return _first_load(stmt, carrying)


def _has_rule(call, stmt, resolve) -> bool:
    """Whether a table entry takes the call (and says what flows through a function operand). A call the IR
    holds no operation for (`fs.append(inner)`, a list built by a comprehension of lambdas) has none."""
    try:
        return isinstance(resolve(call, stmt).rule, Rule)
    except LookupError:
        return False


def _records_what_it_reads(stmt, ssa) -> bool:
    """`call_forward(inner, v, captured=('x',))`: a gradient's call to its nested def, in the gradient's code
    differentiated again. The call names what inner reads (runtime/calls.py), and forward mode carries their
    tangents into the record's (runtime/tangents.py call_forward_jvp), so nothing is hidden."""
    value = getattr(stmt, "value", None)
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)):
        return False
    return resolve_global(value.func.id, ssa.source.globals, ssa.source.closure) is call_forward


def _first_load(nodes, carrying: dict) -> str | None:
    for node in (nodes if isinstance(nodes, list) else [nodes]):
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id in carrying:
                return n.id
    return None


def _definition(name: str, ssa):
    """The statement defining the nested function `name` (a `def`, or `name = lambda ...`)."""
    for stmt in simple_statements(ssa.body):
        if isinstance(stmt, gast.FunctionDef) and stmt.name == name or \
                isinstance(stmt, gast.Assign) and isinstance(stmt.value, gast.Lambda) and stmt.targets[0].id == name:
            return stmt
    return None


def _user_name(name: str, ssa) -> str:
    """What the user wrote: a lambda is a temporary of the single-assignment form."""
    definition = _definition(name, ssa)
    if isinstance(definition, gast.Assign):
        return "the lambda"
    return f"the function `{terms_of(ssa.source).name(name)}`"
