"""Sample calls for `{**a, **b}` and its adjoints (rules/mapping_rules.py), in samples.py's notation.

`d[k] = v` and `d.update(e)` become such merges (ssa/container_writes.py). Keys in both dicts show
that b's entries win and a's overwritten ones get no adjoint; the dicts other than the first argument of
an adjoint give keys only.
"""
from __future__ import annotations

from s2sgrad.runtime import mappings

_A = "{'u': 0.0, 'v': np.zeros(3)}"
_B = "{'v': np.zeros(3), 'w': 0.0}"
_MERGED = "{'u': 0.0, 'v': np.zeros(3), 'w': 0.0}"

MAPPING_SAMPLES = {
    mappings.merged: ["{'u': F(0.7), 'v': A(3)}, {'v': A(3), 'w': F(-0.3)}", "{}, {'w': A(2)}"],
    mappings.merged_part: [f"{{'u': F(0.7), 'v': A(3), 'w': F(0.2)}}, {_A}, {_B}, 0",
                           f"{{'u': F(0.7), 'v': A(3), 'w': F(0.2)}}, {_A}, {_B}, 1"],
    mappings.merged_part_transpose: [f"{{'u': F(0.7), 'v': A(3)}}, {_MERGED}, {_A}, {_B}, 0",
                                     f"{{'v': A(3), 'w': F(0.2)}}, {_MERGED}, {_A}, {_B}, 1"],
}
