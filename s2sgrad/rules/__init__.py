"""Derivative rules, kept apart from the machinery that applies them.

`DEFAULT_RULES` holds every built-in rule; `defvjp` and `nondifferentiable`
(re-exported by the package) add the user's own.
"""
from __future__ import annotations

import importlib
import math

import numpy as np

from .. import runtime
from . import (builtin_rules, mapping_rules, math_rules, numpy_helper_rules, numpy_rules, operators, runtime_rules,
               structural)
from .registry import (SAME_OPERATION, Facts, NonDifferentiable, RefusesDerivatives, Rule, RuleError, RuleTable,
                       describe_key)

TEMPLATE_NAMESPACE = {"np": np, "math": math, **runtime.HELPERS}

DEFAULT_RULES = RuleTable(TEMPLATE_NAMESPACE)
for _module in (structural, operators, math_rules, builtin_rules, numpy_rules, runtime_rules, mapping_rules,
                numpy_helper_rules):
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


def _scipy_registration(submodule: str):
    """SciPy is optional, and slow to import (seconds, most of `import s2sgrad` when it was eager): the rules
    for one of its submodules load when the program has imported that submodule, which any function calling
    it has (and nothing more: numba imports scipy.linalg, not scipy.stats)."""
    def register(table) -> None:
        try:
            from . import scipy_rules
        except ImportError:
            return
        before = set(table.keys())
        scipy_rules.REGISTRATIONS[submodule](table)
        _SHIPPED.update(set(table.keys()) - before)
    return register


def _shipped_when_imported(module: str, register) -> None:
    """`register` once the program has imported `module` (a standard library module s2sgrad itself does not
    import), its entries counted as shipped."""
    def registered(table) -> None:
        before = set(table.keys())
        register(table)
        _SHIPPED.update(set(table.keys()) - before)
    DEFAULT_RULES.define_when_imported(module, registered)


BUILTIN_KEYS = _ShippedKeys()
_shipped_when_imported("statistics", builtin_rules.register_statistics)
_SCIPY_SUBMODULES = ("scipy.special", "scipy.stats", "scipy.linalg", "scipy.signal", "scipy.integrate",
                     "scipy.optimize")
for _submodule in _SCIPY_SUBMODULES:
    DEFAULT_RULES.define_when_imported(_submodule, _scipy_registration(_submodule))


def load_scipy_rules() -> bool:
    """Import the SciPy submodules that have entries, so that the table holds all of them (the page of
    supported functions lists them, the tests walk their helpers); False where SciPy is not installed."""
    try:
        for name in _SCIPY_SUBMODULES:
            importlib.import_module(name)
    except ImportError:
        return False
    DEFAULT_RULES.keys()                # a look-up registers what is imported
    return True

__all__ = ["BUILTIN_KEYS", "DEFAULT_RULES", "load_scipy_rules", "Facts", "NonDifferentiable", "RefusesDerivatives", "Rule", "RuleError", "RuleTable", "SAME_OPERATION",
           "describe_key"]
