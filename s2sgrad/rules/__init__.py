"""Derivative rules, kept apart from the machinery that applies them.

`DEFAULT_RULES` holds every built-in rule; `defvjp` and `nondifferentiable`
(re-exported by the package) add the user's own.
"""
from __future__ import annotations

import math

import numpy as np

from .. import runtime
from . import builtin_rules, math_rules, numpy_rules, operators, runtime_rules, structural
from .registry import (SAME_OPERATION, Facts, NonDifferentiable, RefusesDerivatives, Rule, RuleError, RuleTable,
                       describe_key)

TEMPLATE_NAMESPACE = {"np": np, "math": math, **runtime.HELPERS}

DEFAULT_RULES = RuleTable(TEMPLATE_NAMESPACE)
for _module in (structural, operators, math_rules, builtin_rules, numpy_rules, runtime_rules):
    _module.register(DEFAULT_RULES)
try:                        # SciPy is optional: its rules load only where it is installed
    from . import scipy_rules
except ImportError:
    pass
else:
    scipy_rules.register(DEFAULT_RULES)
BUILTIN_KEYS = frozenset(DEFAULT_RULES.keys())      # the table as shipped, before any user's defvjp

__all__ = ["BUILTIN_KEYS", "DEFAULT_RULES", "Facts", "NonDifferentiable", "RefusesDerivatives", "Rule", "RuleError", "RuleTable", "SAME_OPERATION",
           "describe_key"]
