"""When a gradient gets code specialized on its arrays' shapes, and how many such versions it keeps.

Code generated for known shapes (analysis/shapes.py) drops `unbroadcast`
where no broadcasting happened, keeps no tape entries for shapes alone and
adds adjoints in place; it is only right for arrays of those shapes and
dtypes, so the shapes are part of its key and a call with other shapes never
runs it.

The policy bounds the work: a shape signature (the shape and dtype of each
NumPy array argument) gets its own code on its second call, once it has shown
it repeats (a training loop, a solver); the first call, and every call of a
signature seen once, runs the shape-generic code, which is right for any
shape. At most `LIMIT` signatures per kind of call are specialized; a function
called with ever new shapes (a growing window, a sweep over sizes) keeps
running the generic code instead of transforming again for each. The counts
of signatures seen once are forgotten past `REMEMBERED`, so they cannot grow
without bound either.
"""
from __future__ import annotations

import numpy as np

LIMIT = 4              # shape-specialized programs per kind of call
REMEMBERED = 64        # signatures seen once, remembered per kind of call


def array_shapes(positional: list[str], args, kwargs) -> tuple:
    """((parameter, shape, dtype), ...) for the NumPy array arguments of a call, then (parameter, None, type)
    for its number arguments (their exact types decide the dtypes of results, optimize/buffers.py);
    () when there are no arrays."""
    shapes = tuple((name, value.shape, value.dtype.str) for name, value in zip(positional, args)
                   if type(value) is np.ndarray)
    if kwargs:
        shapes += tuple((name, value.shape, value.dtype.str) for name, value in kwargs.items()
                        if type(value) is np.ndarray)
    if shapes:
        shapes += tuple((name, None, _number_type(value)) for name, value in zip(positional, args)
                        if isinstance(value, _NUMBERS))
        if kwargs:
            shapes += tuple((name, None, _number_type(value)) for name, value in kwargs.items()
                            if isinstance(value, _NUMBERS))
    return shapes


_NUMBERS = (bool, int, float, complex, np.number, np.bool_)


def _number_type(value) -> str:
    """A Python number's type name (`float`: weak in NumPy's promotion), a NumPy scalar's dtype ('<f8')."""
    return type(value).__name__ if type(value) in (bool, int, float, complex) else value.dtype.str


class ShapeSpecializations:
    """Per kind of call: the shape-specialized entries made so far and the signatures seen once.

    `number_types`: the types of numbers whose type alone decides their kind; a call whose positional
    arguments are all such numbers or NumPy arrays is found again by `known` in one pass over them
    (types, shapes and dtypes decide its kind of call too)."""

    def __init__(self, build, number_types=()):
        self._build = build            # (key, args, kwargs, shapes) -> the entry of a shape-specialized program
        self._numbers = {t: t for t in number_types}
        self._entries: dict = {}       # (kind key, shapes) -> entry
        self._seen: dict = {}          # kind key -> {shapes: calls so far}
        self._count: dict = {}         # kind key -> shape-specialized programs made
        self._by_signature: dict = {}  # the types, shapes and dtypes of positional arguments -> entry

    def known(self, args):
        """The shape-specialized entry of a call with positional arguments alone, if one was made."""
        if not self._by_signature:
            return None
        signature = self._signature(args)
        return None if signature is None else self._by_signature.get(signature)

    def _signature(self, args):
        numbers = self._numbers
        try:
            return tuple([(a.shape, a.dtype) if type(a) is np.ndarray else numbers[type(a)] for a in args])
        except KeyError:
            return None

    def entry(self, key, positional, args, kwargs, generic):
        """The entry a call runs: its shapes' own once they repeat, else `generic`."""
        shapes = array_shapes(positional, args, kwargs)
        if not shapes:
            return generic
        shaped = self._entries.get((key, shapes))
        if shaped is not None:
            return shaped
        made = self._count.get(key, 0)
        if made >= LIMIT:
            return generic
        seen = self._seen.setdefault(key, {})
        if shapes not in seen:
            if len(seen) >= REMEMBERED:
                seen.clear()
            seen[shapes] = 1
            return generic
        del seen[shapes]
        shaped = self._entries[(key, shapes)] = self._build(key, args, kwargs, shapes)
        self._count[key] = made + 1
        signature = None if kwargs else self._signature(args)
        if signature is not None:
            self._by_signature[signature] = shaped
        return shaped

    def __len__(self) -> int:
        return len(self._entries)
