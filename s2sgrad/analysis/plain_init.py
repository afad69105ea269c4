"""Which of the user's classes are built like a dataclass: an `__init__` that stores each parameter under
its own name and does nothing else (itself, or through the parents' `__init__` it calls with `super()`).

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
    in fields of the same names; else (None, why not and what to write instead).

    A class with no `__init__` of its own anywhere but `object`'s (class attributes only) stores nothing.
    `super().__init__(a)` or `Base.__init__(self, a)` passes a parameter on to a parent's `__init__` that in
    turn only stores it, under the same name: the parent is the one `cls`'s method resolution order gives.
    """
    special = [name for name in ("__new__", "__setattr__", "__slots__", "__post_init__")
               if any(name in vars(c) for c in cls.__mro__[:-1])]
    if special:
        return None, f"it defines {special[0]}, which may change what its __init__ stores"
    init = getattr(cls, "__init__", None)
    if init is object.__init__:
        return {}, ""
    owner = next((c for c in cls.__mro__ if "__init__" in vars(c)), None)
    parameters, why = _stored_by(cls, owner, init)
    if parameters is None:
        return None, why
    shadowed = [p.name for p in parameters if isinstance(inspect.getattr_static(cls, p.name, None), property)]
    if shadowed:
        return None, f"its field `{shadowed[0]}` is a property, whose setter may compute"
    return {p.name: p.default for p in parameters}, ""


def _stored_by(cls, owner, init) -> tuple[list | None, str]:
    """(parameters of `init`, defined in `owner`, each stored in the field of its name by it or by the parents'
    `__init__` it calls, "") or (None, why not)."""
    if not isinstance(init, types.FunctionType):
        return None, "its __init__ is not Python code s2sgrad can read"
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
        if field is not None:
            stored.add(field)
            continue
        passed, why = _passed_to_parent(stmt, self_name, cls, owner, init)
        if passed is None:
            line = gast.unparse(stmt).strip().splitlines()[0]
            return None, why or (f"its __init__ also runs `{line}`: compute such values before constructing the "
                                 "object and pass them in, or build the object outside and pass it in")
        stored |= passed
    missing = [p.name for p in parameters if p.name not in stored]
    if missing:
        return None, f"its __init__ does not store its parameter `{missing[0]}` in a field of that name"
    return parameters, ""


def _passed_to_parent(stmt, self_name, cls, owner, init) -> tuple[set | None, str]:
    """For `super().__init__(a, b=b)` or `Base.__init__(self, a, b=b)`: the fields the parent's `__init__`
    stores, when every argument is a parameter of the same name as the parent's and the parent only stores
    them ({} when the parent is object's); else (None, why not, or "" for a statement of another kind)."""
    call = stmt.value if isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call) else None
    func = call.func if call is not None else None
    if not (isinstance(func, gast.Attribute) and func.attr == "__init__"):
        return None, ""
    args = list(call.args)
    if isinstance(func.value, gast.Call) and isinstance(func.value.func, gast.Name) and func.value.func.id == "super" \
            and not func.value.args:
        later = cls.__mro__[cls.__mro__.index(owner) + 1:]      # what super() gives, for an object of cls
    elif isinstance(func.value, gast.Name) and args and isinstance(args[0], gast.Name) and args[0].id == self_name:
        named = init.__globals__.get(func.value.id)
        if not (isinstance(named, type) and named in cls.__mro__):
            return None, ""
        later, args = named.__mro__, args[1:]
    else:
        return None, ""
    parent = next((c for c in later if "__init__" in vars(c)), object)
    if parent is object:
        return (set(), "") if not args and not call.keywords else (None, "")
    passed = [(None, a) for a in args] + [(k.arg, k.value) for k in call.keywords]
    if not all(isinstance(v, gast.Name) for _, v in passed):
        return None, ""
    try:
        bound = inspect.signature(parent.__init__).bind(None, *[v.id for k, v in passed if k is None],
                                                        **{k: v.id for k, v in passed if k is not None})
    except TypeError:
        return None, ""
    renamed = [name for name, value in list(bound.arguments.items())[1:] if name != value]
    if renamed:
        return None, (f"its __init__ passes another name to the parameter `{renamed[0]}` of "
                      f"{parent.__name__}.__init__: pass each value under the name of the field that stores it")
    parameters, why = _stored_by(cls, parent, vars(parent)["__init__"])
    if parameters is None:
        return None, f"{parent.__name__}.__init__, which it calls, does not only store its parameters: {why}"
    left = [p.name for p in parameters if p.name not in bound.arguments]
    if left:
        return None, (f"it leaves the parameter `{left[0]}` of {parent.__name__}.__init__ at its default: pass it "
                      "on explicitly")
    return {p.name for p in parameters}, ""


def _stored_field(stmt, self_name):
    """`name` for a statement `self.name = name`, else None."""
    if not (isinstance(stmt, gast.Assign) and len(stmt.targets) == 1):
        return None
    target, value = stmt.targets[0], stmt.value
    if not (isinstance(target, gast.Attribute) and isinstance(target.value, gast.Name)
            and target.value.id == self_name and isinstance(value, gast.Name) and value.id == target.attr):
        return None
    return target.attr
