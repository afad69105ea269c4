"""Which Python object does a name or dotted name in the function refer to?

Derivative rules are chosen by the object a call refers to (`math.sin`,
`np.cos`, the builtin `max`), so the transformer resolves such references
against the function's globals, closure and builtins when it transforms. The
generated code still looks them up by name when it runs, so values are never
frozen; only the choice of rule is made here.
"""
from __future__ import annotations

import builtins

import gast

_MISSING = object()


def dotted_name(node) -> str | None:
    """'np.linalg.inv' for the expression np.linalg.inv, None if it is not a dotted name."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))



def resolve_global(dotted: str, namespace: dict, closure: dict):
    """The object `dotted` denotes in the function's namespace, or _MISSING."""
    head, *rest = dotted.split(".")
    if head in closure:
        try:
            obj = closure[head].cell_contents
        except ValueError:      # an empty cell: the variable is not bound yet
            return _MISSING
    elif head in namespace:
        obj = namespace[head]
    elif hasattr(builtins, head):
        obj = getattr(builtins, head)
    else:
        return _MISSING
    for attr in rest:
        obj = getattr(obj, attr, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


def is_missing(obj) -> bool:
    return obj is _MISSING
