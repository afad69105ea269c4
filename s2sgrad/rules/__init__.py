"""Derivative rules, kept apart from the machinery that applies them.

`DEFAULT_RULES` holds every built-in rule; `defvjp` and `nondifferentiable`
(re-exported by the package) add the user's own.
"""
from __future__ import annotations

import math

import numpy as np

from .. import runtime
from . import builtin_rules, mapping_rules, math_rules, numpy_rules, operators, runtime_rules, structural
from .registry import (SAME_OPERATION, Facts, NonDifferentiable, RefusesDerivatives, Rule, RuleError, RuleTable,
                       describe_key)

TEMPLATE_NAMESPACE = {"np": np, "math": math, **runtime.HELPERS}

DEFAULT_RULES = RuleTable(TEMPLATE_NAMESPACE)
for _module in (structural, operators, math_rules, builtin_rules, numpy_rules, runtime_rules, mapping_rules):
    _module.register(DEFAULT_RULES)
_SHIPPED = set(DEFAULT_RULES.keys())


class _ShippedKeys:
    """The table's keys as shipped, before any user's defvjp: SciPy's included once they are loaded."""

    def __contains__(self, key) -> bool:
        DEFAULT_RULES.keys()            # registers what waits for a library that is now imported
        return key in _SHIPPED

    def __iter__(self):
        DEFAULT_RULES.keys()
        return iter(frozenset(_SHIPPED))

    def __len__(self) -> int:
        DEFAULT_RULES.keys()
        return len(_SHIPPED)


def _register_scipy(table) -> None:
    """SciPy is optional, and slow to import (seconds, most of `import s2sgrad` when it was eager): its
    rules load when the user's program has imported SciPy, which any function calling it has."""
    try:
        from . import scipy_rules
    except ImportError:
        return
    before = set(table.keys())
    scipy_rules.register(table)
    _SHIPPED.update(set(table.keys()) - before)


BUILTIN_KEYS = _ShippedKeys()
DEFAULT_RULES.define_when_imported("scipy", _register_scipy)

__all__ = ["BUILTIN_KEYS", "DEFAULT_RULES", "Facts", "NonDifferentiable", "RefusesDerivatives", "Rule", "RuleError", "RuleTable", "SAME_OPERATION",
           "describe_key"]
