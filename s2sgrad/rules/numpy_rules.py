"""Rules for NumPy functions, methods and attributes."""
from __future__ import annotations

import numpy as np

from .registry import RuleTable


def register(rules: RuleTable) -> None:
    d = rules.define
    d(np.sin, "x", dx="dy * np.cos(x)")
    d(np.cos, "x", dx="-dy * np.sin(x)")
    d(np.exp, "x", dx="dy * y")
    d(np.log, "x", dx="dy / x")
    d(np.tanh, "x", dx="dy * (1 - y * y)")
    d(np.sqrt, "x", dx="dy / (2 * y)")
    d(np.add, "a, b", da="dy", db="dy", broadcasts=True)
    d(np.multiply, "a, b", da="dy * b", db="dy * a", broadcasts=True)
    # *operands: the adjoint expression returns one adjoint per operand
    d(np.broadcast_arrays, "*args", dargs="tuple(unbroadcast(g, a) for g, a in zip(dy, args))")
