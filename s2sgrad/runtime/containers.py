"""Adjoints of containers: tuples, lists and dicts of numbers and arrays (like JAX pytrees).

Inside the reverse sweep the adjoint of a tuple or list is a list (so it can
be scattered into) and the adjoint of a dict is a dict. Adding two of them adds
element by element; `+` would concatenate lists, so the generated code calls
`add_adjoints` wherever a value may be a container.
"""
from __future__ import annotations

import copy
import inspect

import numpy as np

from ..errors import S2SGradError
from .arrays import FieldAdjoints, ObjectAdjoint, adjoint_dtype, unbroadcast, zeros_like
from .namespace import is_foreign_array


def add_adjoints(a, b):
    """a + b, element by element for lists, tuples and dicts (missing dict keys count as zero)."""
    if a is None or b is None:          # what carries no derivative (np.einsum's subscripts): the other one
        return b if a is None else a
    if _adds_itself(a) or _adds_itself(b):
        return a + b
    if isinstance(a, dict) or isinstance(b, dict):
        owner = getattr(a, "owner", None) or getattr(b, "owner", None)      # an object's adjoint stays one
        a, b = _entries(a), _entries(b)
        added = {k: add_adjoints(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in {**a, **b}}
        return ObjectAdjoint(owner, added) if owner is not None else added
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        fields = getattr(a, "fields", None) or getattr(b, "fields", None)
        added = [add_adjoints(x, y) for x, y in zip(a, b)]
        if not fields:
            return added
        owner = getattr(a, "owner", None) or getattr(b, "owner", None)
        return FieldAdjoints(fields, added, owner)          # still reachable by field name
    if isinstance(a, (list, tuple)):
        return add_adjoints(a, [b] * len(a)) if np.ndim(b) == 0 else np.asarray(a) + b
    if isinstance(b, (list, tuple)):
        return add_adjoints([a] * len(b), b) if np.ndim(a) == 0 else a + np.asarray(b)
    return a + b


def add_field(adjoint, name: str, g):
    """The adjoint `g` of `obj.<name>` added into `adjoint`, obj's adjoint (an ObjectAdjoint, or a namedtuple's
    FieldAdjoints), in place.

    `obj.<name>` may be a field (an array, a layer object: g goes to that field's entry) or a method bound
    to obj, whose adjoint is obj's own (what a call of it reaches through its `self`: added field by field).
    A method bound to one of obj's fields goes to that field; one bound to another object is refused.
    """
    owner = getattr(g, "owner", None)
    if owner is not None and owner is adjoint.owner:             # obj.method: the adjoint of obj itself
        for field, value in (g.items() if isinstance(g, dict) else enumerate(g)):
            held = field in adjoint if isinstance(adjoint, dict) else True
            adjoint[field] = add_adjoints(adjoint[field], value) if held else value
        return adjoint
    key = _entry(adjoint, name)
    if key is None:
        if _is_zero(g):                 # a function, a label: a field that carries no derivative
            return adjoint
        kind = type(adjoint.owner).__name__
        if owner is not None:           # a method bound to another object: to the field holding that object
            key = next((_entry(adjoint, field) for field, value in _fields_of(adjoint.owner)
                        if value is owner and _entry(adjoint, field) is not None), None)
            if key is None:
                raise S2SGradError(
                    f"`{kind}.{name}` holds a method bound to a `{type(owner).__name__}` object that is not one "
                    f"of the `{kind}`'s fields, so the derivatives of that object's fields have nowhere to go; "
                    f"store the object itself in a field of the `{kind}` and call its method through it")
        elif isinstance(g, (dict, list)):       # fields' adjoints for a field the adjoint does not hold
            raise S2SGradError(
                f"an adjoint of `{kind}.{name}` holding fields came without the object it belongs to, so "
                "s2sgrad cannot tell whose fields they are; this derivative of a gradient with respect to an "
                "object is not supported: take it with respect to the object's arrays, passed as separate "
                "arguments")
        elif isinstance(inspect.getattr_static(type(adjoint.owner), name, None), property):
            raise S2SGradError(
                f"`{kind}.{name}` is a property: it computes its value with code the gradient does not "
                f"follow, so the derivative through it would be lost; make it a method ({name}(self)) and "
                f"call it, or read the fields it computes from")
        elif isinstance(adjoint, dict):
            adjoint[name] = g
            return adjoint
        else:
            raise S2SGradError(f"`{kind}.{name}` is not one of the fields of the namedtuple `{kind}` "
                               "whose adjoint it would go to")
    adjoint[key] = add_adjoints(adjoint[key], g)
    return adjoint


def _entry(adjoint, name):
    """Where field `name` sits in an object's adjoint (its key, or a namedtuple's position), or None."""
    if isinstance(adjoint, dict):
        return name if name in adjoint else None
    return adjoint.fields.index(name) if name in adjoint.fields else None


def _fields_of(value):
    """(name, value) of each field of the user's object or namedtuple."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return zip(value._fields, value)
    return vars(value).items()


def _is_zero(g) -> bool:
    return isinstance(g, (int, float)) and g == 0


def _adds_itself(value) -> bool:
    """A value that defines its own addition and turns NumPy's away (the adjoint of a call's record,
    runtime/tangents.py's RecordAdjoint, which adds a list of its arguments' adjoints itself)."""
    return getattr(type(value), "__array_ufunc__", 0) is None


def split_last(adjoint):
    """(adjoint without its last entry, that entry): the reverse of `xs.append(v)` on xs's adjoint.

    The adjoint shrinks with its list, so positions counted from the end (`xs[-1]`) mean the same in
    both. A list's adjoint drops the entry in place; an array's (from `np.array(xs)`) is sliced.
    """
    if isinstance(adjoint, list):
        last = adjoint.pop()
        return adjoint, last
    return adjoint[:-1], adjoint[-1]


def split_off_last(adjoint):
    """split_last without changing its argument: (all but the last entry, a copy; the last entry).

    Code being differentiated calls it for split_last (`split_last.pure`, ssa/normalize.py), so the list
    keeps its length for the transpose, joined_last."""
    return adjoint[:-1], adjoint[-1]


split_last.pure = split_off_last


def joined_last(adjoint, like):
    """The transpose of split_off_last: the adjoints of (all but the last entry of `like`, its last entry)
    as one adjoint shaped like `like` (a zero number stands for zeros)."""
    rest, last = adjoint if isinstance(adjoint, (list, tuple)) else (adjoint, adjoint)
    if isinstance(like, (list, tuple)):
        rest = list(rest) if isinstance(rest, (list, tuple)) else zeros_like(list(like[:-1]))
        return rest + [zeros_like(like[-1]) if _zero_number(last) else last]
    rest = zeros_like(like[:-1]) if _zero_number(rest) else rest
    last = zeros_like(like[-1]) if _zero_number(last) else last
    return np.concatenate([np.broadcast_to(rest, np.shape(like[:-1])),
                           np.expand_dims(np.broadcast_to(last, np.shape(like[-1])), 0)])


def _zero_number(value) -> bool:
    return isinstance(value, (int, float)) and value == 0


def _entries(adjoint) -> dict:
    """A dict adjoint's entries; a number is a zero standing for the whole dict or object."""
    if isinstance(adjoint, dict):
        return adjoint
    if hasattr(adjoint, "__dict__") and not isinstance(adjoint, np.ndarray):
        # an object shaped for the user (a copy holding gradients in some fields and its own values in the
        # others) cannot be told apart field by field: adding it as nothing would drop its gradients
        raise S2SGradError(
            f"the gradient of a `{type(adjoint).__name__}` object came back from a helper as an object, which "
            "cannot be added to the caller's adjoint of it; pass the fields that carry derivatives to the "
            "helper as separate arguments")
    return {}


def match_structure(gradient, like, internal=False):
    """The gradient shaped as the value it belongs to: a tuple for a tuple, a dict for a dict, ...

    A zero adjoint (0.0, when nothing flowed into the value) becomes zeros of
    the value's structure. `internal`: for the reverse sweep of a caller (a helper's
    gradient), which reads a namedtuple's adjoint by position or field name and an
    object's as a dict of its fields, and scatters into them, so they keep those forms.
    """
    if _adds_itself(gradient):              # a call record's adjoint stays whole (runtime/tangents.py)
        return gradient
    if inspect.isroutine(like) or inspect.isclass(like) or inspect.ismodule(like):
        return gradient                     # a function passed along (a helper's callee) carries no derivative
    if isinstance(like, tuple) and not hasattr(like, "_fields"):
        return tuple(match_structure(_item(gradient, i), v, internal) for i, v in enumerate(like))
    if isinstance(like, tuple):              # a namedtuple keeps its type
        items = [match_structure(_item(gradient, i), v, internal) for i, v in enumerate(like)]
        return FieldAdjoints(like._fields, items, like) if internal else type(like)(*items)
    if isinstance(like, list):
        return [match_structure(_item(gradient, i), v, internal) for i, v in enumerate(like)]
    if isinstance(like, dict):
        return {k: match_structure(_item(gradient, k), v, internal) for k, v in like.items()}
    if internal and hasattr(like, "__dict__") and not isinstance(like, np.ndarray) and not is_foreign_array(like) \
            and isinstance(gradient, (dict, int, float)):
        fields = zeros_like(like) if not isinstance(gradient, dict) else gradient      # a zero for all of it
        return ObjectAdjoint(like, {name: match_structure(g, getattr(like, name), internal)
                                    for name, g in fields.items()})
    if isinstance(gradient, dict) and hasattr(like, "__dict__") and not isinstance(like, (dict, np.ndarray)) \
            and not is_foreign_array(like):
        # the user's object: a copy of it whose differentiable fields hold their gradients
        result = copy.copy(like)
        for name, g in gradient.items():
            setattr(result, name, match_structure(g, getattr(like, name)))
        return result
    if isinstance(like, float) and isinstance(gradient, (int, float, np.ndarray, np.generic)) \
            and np.ndim(gradient) == 0:
        return float(gradient)          # a 0-d array of another library (lazy Dask) is left as it is
    if (isinstance(like, np.ndarray) or is_foreign_array(like)) and np.ndim(gradient) == 0 and like.ndim > 0:
        # a zero standing for the whole array: an array of its shape, in its library (a CuPy one on the GPU)
        return np.full_like(like, gradient, dtype=np.result_type(like.dtype, np.float32))
    return gradient


def _item(gradient, key):
    if isinstance(gradient, (list, tuple, dict)) or (
            (isinstance(gradient, np.ndarray) or is_foreign_array(gradient)) and gradient.ndim > 0):
        return gradient[key]
    return gradient                         # a zero standing for the whole container


# ---- adjoints of the builtins that take a whole iterable -------------------------------------------
# Each returns the adjoint of the iterable argument shaped as that argument: an array for an array,
# a list with one adjoint per element for a list or a tuple, and for a dict (whose iteration yields
# its keys, which carry no derivative) zeros shaped like the dict.

def sum_adjoint(dy, iterable):
    """sum(iterable, start): every element was added once, so each gets dy (reduced to its shape)."""
    if isinstance(iterable, dict):
        return zeros_like(iterable)
    if isinstance(iterable, np.ndarray) or is_foreign_array(iterable):    # over axis 0: dy is one row's adjoint
        return np.zeros_like(iterable, dtype=adjoint_dtype(iterable)) + dy
    return [unbroadcast(dy, element) for element in iterable]


def list_adjoint(dy, iterable):
    """list(iterable) / tuple(iterable): element i's adjoint goes back to element i."""
    if isinstance(iterable, dict):
        return zeros_like(iterable)
    return _shaped_like(iterable, [_item(dy, i) for i in range(len(iterable))])


def order_key(key, value):
    """key(value) for max(..., key=key) and min(..., key=key) (ssa/reductions.py): only compared, so a
    constant (no derivative), whatever key is: a bound method of a dict (d.get) or a list (lst.index)."""
    return key(value)


def sorted_adjoint(dy, iterable, key=None, reverse=False):
    """sorted(iterable, key, reverse) permuted its elements: send each adjoint back to where it came from.

    Sorting the positions by the same keys, with Python's same stable algorithm, gives the very
    permutation sorted() applied, ties included."""
    if isinstance(iterable, dict):
        return zeros_like(iterable)
    order = _sorting_order(iterable, key, reverse)
    adjoints = [None] * len(order)
    for position, origin in enumerate(order):
        adjoints[origin] = _item(dy, position)
    return _shaped_like(iterable, adjoints)


def dict_adjoint(dy, pairs):
    """dict(pairs) keeps, for each key, the value of its last pair: that pair's value gets the key's
    adjoint, earlier pairs with the same key get zero (their values were overwritten). Keys carry none."""
    pairs = list(pairs)
    last = {key: i for i, (key, _) in enumerate(pairs)}
    adjoints = [[0.0, _item(dy, key) if last[key] == i else zeros_like(value)]
                for i, (key, value) in enumerate(pairs)]
    return _shaped_like(pairs, adjoints)


def dict_tangent(pairs_dot, pairs):
    """Tangent of dict(pairs): each key's tangent is its last pair's value tangent (keys as the primal's)."""
    return {key: _item(_item(pairs_dot, i), 1) for i, (key, _) in enumerate(pairs)}


def _sorting_order(iterable, key, reverse) -> list[int]:
    """The positions of iterable's elements in sorted(iterable, key=key, reverse=reverse)."""
    values = list(iterable)
    return sorted(range(len(values)), key=(lambda i: key(values[i])) if key is not None else values.__getitem__,
                  reverse=reverse)


def sorted_tangent(iterable_dot, iterable, key=None, reverse=False):
    """Tangent of sorted(iterable): the tangents in the order sorted() put their elements."""
    return [_item(iterable_dot, i) for i in _sorting_order(iterable, key, reverse)]


def _shaped_like(iterable, adjoints):
    """Per-element adjoints in the container kind of `iterable`: an array for an array, else a list."""
    if isinstance(iterable, np.ndarray) or is_foreign_array(iterable):     # a CuPy array's rows: a CuPy array
        result = np.zeros_like(iterable, dtype=adjoint_dtype(iterable))
        for i, g in enumerate(adjoints):
            result[i] += g
        return result
    return list(adjoints)
