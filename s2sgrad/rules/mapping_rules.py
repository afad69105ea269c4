"""Rules for what a list or dict changed in place becomes (ssa/container_writes.py).

`d[k] = v` and `d.update(e)` become a merged dict, `{**d, **e}`: its entry
splits the merged dict's adjoint by key (runtime/mappings.py). Its tangent is
the same merge of the tangents. `xs.remove(v)` finds the position with
`list.index(xs, v)`, a position, which carries no derivative, and the slices
of a rebinding are `slice(...)` objects in a gradient's code.
"""
from __future__ import annotations

import functools

from ..runtime import mappings
from .registry import RuleTable

_HELPERS = {name: getattr(mappings, name) for name in mappings.__all__}


def register(rules: RuleTable) -> None:
    d = functools.partial(rules.define, namespace=_HELPERS)
    d(mappings.merged, "a, b", linear=True, da="merged_part(dy, a, b, 0)", db="merged_part(dy, a, b, 1)")
    rules.declare_containers(mappings.merged)
    # the adjoints above, linear in g, and their transposes (derivatives of a gradient's code)
    d(mappings.merged_part, "g, a, b, side", constant="a, b, side", linear=True,
      dg="merged_part_transpose(dy, g, a, b, side)")
    rules.declare_containers(mappings.merged_part)
    d(mappings.merged_part_transpose, "d, g, a, b, side", constant="g, a, b, side", linear=True,
      forward_only="d")
    rules.declare_containers(mappings.merged_part_transpose)
    rules.nondifferentiable(list.index)
    # the slices a list's rebinding takes (xs[:i] + xs[i + 1:]) are built as slice(i, None) where a gradient's
    # code is differentiated again (hessian): an index, which carries no derivative
    rules.nondifferentiable(slice)
