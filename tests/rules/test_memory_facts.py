"""Facts.memory against NumPy itself: an entry whose result shares memory with its first argument must be
declared a view (ssa/inplace.py follows writes into views by this fact), and an entry declared to make a new
array must never return one that shares memory with an argument."""
from __future__ import annotations

import numpy as np
import pytest

from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, Rule, apply

from .test_table import _call, _draw, _fresh, _leaves, _samples

CASES = [pytest.param(key, args, kwargs, id=f"{entry.name}[{label}]")
         for key, entry in DEFAULT_RULES.items()
         if isinstance(entry, Rule) and key in BUILTIN_KEYS and (not isinstance(key, tuple) or key[0] != "attr")
         and not entry.name.startswith("s2sgrad.")           # helpers of generated code, not the user's
         for label, args, kwargs in _samples(key, entry)[:3]]


@pytest.mark.parametrize("key, args, kwargs", CASES)
def test_views_are_declared_and_new_arrays_are_new(key, args, kwargs):
    entry = DEFAULT_RULES.lookup(key)
    rng = np.random.default_rng(0)
    specs = apply.bind(entry, args, kwargs)
    values = apply.Bound({k: _draw(v, rng, np.float64) for k, v in specs.items()})
    values.given = specs.given
    first = next(iter(values.values()))
    arrays = [v for v in _leaves(list(values.values())) if isinstance(v, np.ndarray)]
    result = _call(key, entry, _fresh(values))
    leaves = [r for r in _leaves(result) if isinstance(r, np.ndarray)]
    memory = DEFAULT_RULES.memory_of(key)
    if isinstance(first, np.ndarray) and any(np.shares_memory(r, first) for r in leaves):
        assert memory == "view", f"{entry.name} returned a view of its first argument: declare it a view"
    if memory == "new":
        assert not any(np.shares_memory(r, a) for r in leaves for a in arrays), \
            f"{entry.name} is declared to make new arrays but returned one sharing memory with an argument"
