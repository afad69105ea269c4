"""Which of the user's classes are built like a dataclass: an `__init__` that stores each parameter under
its own name and does nothing else.

`Model(w, b)` of such a class packs its fields as a dataclass construction does (analysis/primitives.py's
`_construct`): each field's adjoint goes back to the argument that gave it, and forward mode builds the
tangent with the same constructor. An `__init__` that computes (`self.w = np.asarray(w)`), keeps a
constant (`self.count = 0`) or calls anything is not a record's: its derivative would need the
constructor's own code differentiated, so the construction is refused, naming the statement.
"""
from __future__ import annotations

import inspect
import types

import gast

from ..errors import S2SGradError
from ..source import read_function


def stored_parameters(cls) -> tuple[dict | None, str]:
    """({parameter: its default, or inspect.Parameter.empty}, "") when `cls(...)` only stores its arguments
    in fields of the same names; else (None, why not and what to write instead)."""
    init = getattr(cls, "__init__", None)
    if not isinstance(init, types.FunctionType):
        return None, "its __init__ is not Python code s2sgrad can read"
    special = [name for name in ("__new__", "__setattr__", "__slots__", "__post_init__")
               if any(name in vars(c) for c in cls.__mro__[:-1])]
    if special:
        return None, f"it defines {special[0]}, which may change what its __init__ stores"
    parameters = list(inspect.signature(init).parameters.values())[1:]
    if any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters):
        return None, "its __init__ takes *args or **kwargs"
    try:
        tree = read_function(init).tree
    except S2SGradError:
        return None, "s2sgrad cannot read the source of its __init__"
    self_name = tree.args.args[0].id if tree.args.args else None
    stored = set()
    for stmt in tree.body:
        if isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant):
            continue                    # the docstring
        field = _stored_field(stmt, self_name)
        if field is None:
            line = gast.unparse(stmt).strip().splitlines()[0]
            return None, (f"its __init__ also runs `{line}`: compute such values before constructing the "
                          "object and pass them in, or build the object outside and pass it in")
        stored.add(field)
    missing = [p.name for p in parameters if p.name not in stored]
    if missing:
        return None, f"its __init__ does not store its parameter `{missing[0]}` in a field of that name"
    shadowed = [name for name in stored if isinstance(inspect.getattr_static(cls, name, None), property)]
    if shadowed:
        return None, f"its field `{shadowed[0]}` is a property, whose setter may compute"
    return {p.name: p.default for p in parameters}, ""


def _stored_field(stmt, self_name):
    """`name` for a statement `self.name = name`, else None."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1):
        return None
    target, value = stmt.targets[0], stmt.value
    if not (isinstance(target, gast.Attribute) and isinstance(target.value, gast.Name)
            and target.value.id == self_name and isinstance(value, gast.Name) and value.id == target.attr):
        return None
    return target.attr
