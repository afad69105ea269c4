"""The entries for Python's own operations: copying, packing, indexing, reading a field, calling, popping.

They are primitives like np.sin, with facts of their own: all but a call are
linear (the tangent of `t = x[i]` is `x_dot[i]`, of `p = (a, b)` is
`(a_dot, b_dot)`), and their adjoints scatter back into containers, which the
emitters write out themselves. A constant (a literal, a lambda, a global read)
is an entry too, the non-differentiable one.
"""
from __future__ import annotations

from dataclasses import dataclass

from .registry import Facts, NonDifferentiable


@dataclass(frozen=True)
class Structural:
    """A primitive of the language itself."""

    name: str
    facts: Facts = Facts()
    differentiable = True

    def __str__(self) -> str:
        return self.name

    def __deepcopy__(self, memo):       # an entry of the table: shared, never copied with a program
        return self


COPY = Structural("copy", Facts(linear=True))              # y = x
PACK = Structural("pack", Facts(linear=True))              # y = (a, b) or [a, b]
PACK_DICT = Structural("pack_dict", Facts(linear=True))    # y = {"k": a}
SUBSCRIPT = Structural("subscript", Facts(linear=True))    # y = x[i]
FIELD = Structural("field", Facts(linear=True))            # y = model.w, a field of the user's object
CALL = Structural("call")                                  # y = f(x), f the user's own Python function
POP = Structural("pop", Facts(linear=True))                # y = xs.pop(), the last element of a list built here
CONSTANT = NonDifferentiable("constant")                   # y = 2.0, a lambda, a value read from a global

ENTRIES = (COPY, PACK, PACK_DICT, SUBSCRIPT, FIELD, CALL, POP, CONSTANT)


def register(rules) -> None:
    rules.add_entries({("structural", str(entry.name)): entry for entry in ENTRIES})
