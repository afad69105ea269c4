"""Rules for Python builtins used in numeric code."""
from __future__ import annotations

import builtins
import functools

from .registry import RuleTable


def register(rules: RuleTable) -> None:
    # max/min of two values send the whole adjoint to the argument they returned
    # (Python returns the first argument on a tie, and so does the rule)
    rules.define(builtins.max, "a, b", da="dy if a >= b else 0.0", db="0.0 if a >= b else dy")
    rules.define(builtins.min, "a, b", da="dy if a <= b else 0.0", db="0.0 if a <= b else dy")
    rules.define(builtins.abs, "x", dx="dy * np.sign(x)", scalar={"dx": "dy if x >= 0 else -dy"})
    rules.define(builtins.float, "x", dx="dy")
    rules.define(builtins.pow, "a, b", da="dy * b * a ** (b - 1)",
                 db="dy * y * math.log(a) if a > 0 else 0.0")
    rules.nondifferentiable(
        builtins.int, builtins.round, builtins.len, builtins.range, builtins.bool,
        builtins.isinstance, builtins.print, builtins.type, builtins.id, builtins.str, builtins.repr,
        builtins.hash, builtins.callable, builtins.any, builtins.all,
        # a function value; binding a value that carries derivatives into it is refused (transform.py)
        functools.partial,
    )
