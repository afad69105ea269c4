"""call_forward's keywords, as the helpers that differentiate a recorded call again take them.

A gradient's `call_forward(helper, x, active=(0,), scale=s)` becomes, one level up,
`call_forward_jvp(helper, (x,), (x_dot,), recorded_active=(0,), scale=s)` (forward
mode) or `call_forward_vjp(dy, helper, x, recorded_active=(0,), wrt=(0,), scale=s)`
(reverse mode, runtime/tangents.py). call_forward's own `active` and `captured`
take names of their own there, and where the helper's keyword arguments use one
of those names (the helper is itself call_forward_jvp, a level further up) they
travel together in one dict, `callee_keywords`, so no keyword is given twice.
"""
from __future__ import annotations

import gast

from ..ssa import ast_build as build

_RENAMED = {"active": "recorded_active", "captured": "recorded_captured"}
_TAKEN = {"recorded_active", "recorded_captured", "callee_keywords", "wrt"}


def recorded_keywords(keywords: dict) -> list:
    """gast keywords for call_forward_jvp/vjp from a call_forward's keywords (name -> atom)."""
    own = [gast.keyword(arg=_RENAMED[k], value=v) for k, v in keywords.items() if k in _RENAMED]
    callee = {k: v for k, v in keywords.items() if k not in _RENAMED and k != "debug_nans"}
    if any(k in _TAKEN for k in callee):
        return own + [gast.keyword(arg="callee_keywords", value=gast.Dict(
            keys=[build.const(k) for k in callee], values=list(callee.values())))]
    return own + [gast.keyword(arg=k, value=v) for k, v in callee.items()]
