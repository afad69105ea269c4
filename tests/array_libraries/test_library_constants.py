"""Runtime helpers build the constants they combine with an array (np.eye, np.arange, a stencil, a 0/1
matrix) in that array's library: CuPy refuses a NumPy operand in its ufuncs, functions and writes.

Here a Refusing array is made strict like CuPy for the length of a test: a NumPy array among the operands
of its ufuncs or writes, or a NumPy float array given to its functions, raises `Mixed`; np.where refuses a
Python-bool condition, and ufunc.at is declined. The table's entries whose helpers build such constants (those calling numpy_values_like,
in_library_of or mask_like, directly or through the helpers they call) are walked on strict arrays, as
test_cupy_table.py walks them on CuPy (on a GPU); add_at's stand-in for ufunc.at is checked directly.
"""
from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

from s2sgrad.runtime import HELPERS
from s2sgrad.runtime.indexing import add_at

from .refusing import Conversion, Refusing, unwrap, wrap
from .table_walk import DerivativeFunctionMissing, PrimitiveRefused, compare, evaluate
from .test_no_conversion import CASES

_MAKERS = ("numpy_values_like", "in_library_of", "mask_like")
# NEP 35's like= (np.asarray(v, like=x)) hands NumPy's creation functions to the array's library
_CREATION = {"asarray", "array", "asanyarray", "full", "zeros", "ones", "empty", "eye", "arange", "identity"}


class Mixed(TypeError):
    """A NumPy array met a strict array (CuPy: "Unsupported type <class 'numpy.ndarray'>")."""


def _refuse_numpy(values, kinds="biufc"):
    for value in values:
        if isinstance(value, np.ndarray) and value.dtype.kind in kinds:
            raise Mixed(f"Unsupported type {type(value)}: a numpy.ndarray beside a strict array")
        if isinstance(value, (list, tuple)):
            _refuse_numpy(value, kinds)


@pytest.fixture
def strict(monkeypatch):
    ufunc_call, function_call, setitem = Refusing.__array_ufunc__, Refusing.__array_function__, Refusing.__setitem__

    def strict_ufunc(self, ufunc, method, *inputs, **kwargs):
        if method == "at":
            return NotImplemented
        _refuse_numpy(inputs)
        return ufunc_call(self, ufunc, method, *inputs, **kwargs)

    def strict_function(self, func, types, args, kwargs):
        if func.__name__ in _CREATION and func.__module__.startswith("numpy") and types == (type(self),) \
                and not any(isinstance(a, Refusing) for a in args):
            return function_call(self, func, types, args, kwargs)       # like=self: made in this library
        _refuse_numpy(args, "fc")           # values; NumPy index arrays a function may take (np.delete's)
        _refuse_numpy(kwargs.values(), "fc")
        if func is np.where and len(args) == 3 and isinstance(args[0], (bool, np.bool_)):
            raise AttributeError(f"'{type(args[0]).__name__}' object has no attribute 'astype'")    # CuPy's where
        return function_call(self, func, types, args, kwargs)

    def strict_setitem(self, index, value):
        _refuse_numpy([value])
        setitem(self, index, value)

    monkeypatch.setattr(Refusing, "__array_ufunc__", strict_ufunc)
    monkeypatch.setattr(Refusing, "__array_function__", strict_function)
    monkeypatch.setattr(Refusing, "__setitem__", strict_setitem)


def _building_constants() -> set:
    """The helpers that build a constant for an array: calling one of _MAKERS, or a helper that does."""
    calls = {}
    for name, function in HELPERS.items():
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        calls[name] = {other for other in (*HELPERS, *_MAKERS) if re.search(rf"\b{other}\(", source)}
    found = set(_MAKERS)
    while True:
        more = {name for name, called in calls.items() if called & found} - found
        if not more:
            return found - set(_MAKERS)
        found |= more


BUILDERS = _building_constants()
STRICT_CASES = [case for case in CASES if case.values[3] & BUILDERS]


def test_the_strict_walk_has_entries():
    assert len(STRICT_CASES) >= 30, f"only {len(STRICT_CASES)} entries use helpers that build constants"


@pytest.mark.parametrize("key, args, kwargs, helpers", STRICT_CASES)
def test_helpers_build_constants_in_the_arrays_library(strict, key, args, kwargs, helpers):
    try:
        results = evaluate(key, args, kwargs, Refusing, wrap, refusals=(Conversion, Mixed, AttributeError, TypeError),
                           library="tests.array_libraries")
    except PrimitiveRefused as exc:
        pytest.skip(f"the primitive itself refuses: {exc}"[:300])
    except DerivativeFunctionMissing as exc:
        pytest.skip(str(exc)[:300])
    for what, got, want in results:
        compare(got, want, what, Refusing, unwrap)


def test_add_at_sums_repeated_positions_along_any_axis_in_the_arrays_library(strict):
    g = np.arange(12.0).reshape(3, 4)
    for positions in ([2, 0, 2, 1], wrap(np.array([2, 0, 2, 1]))):       # a list, and the library's own array
        dx = wrap(np.zeros((3, 3)))
        add_at(dx, (slice(None), positions), wrap(g))
        want = np.zeros((3, 3))
        np.add.at(want, (slice(None), [2, 0, 2, 1]), g)
        compare(dx, want, f"add_at with positions {type(positions).__name__}", Refusing, unwrap)
    dx = wrap(np.zeros(4))
    add_at(dx, [1, 1, 3], np.array([1.0, 2.0, 3.0]))              # a NumPy g (from the seed): made the library's
    compare(dx, np.array([0.0, 3.0, 0.0, 3.0]), "add_at with a NumPy g", Refusing, unwrap)
