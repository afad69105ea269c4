"""The table's entries evaluated on arrays of another library, next to the same values in NumPy.

tests/rules/test_table.py draws each entry's sample call; here its float arrays are handed to another
library (`convert`) and the primitive, its adjoints and its tangent run on both. `compare` then says
whether each result of the other library equals NumPy's and is still that library's array. The
Refusing walk (test_no_conversion.py) and the CuPy walk (test_cupy_table.py) share it.
"""
from __future__ import annotations

import numpy as np
import pytest

from s2sgrad.rules import DEFAULT_RULES, apply

from ..rules.test_table import Leaf, _draw, _fresh, _has_leaf, _like, _samples


def has_array(specs) -> bool:
    """Whether a sample call has an array among its arguments (numbers only give another library nothing)."""
    return any(isinstance(s, Leaf) and (s.shape is not None or s.values is not None)
               or isinstance(s, (list, tuple)) and has_array(s) for s in specs)


def entry_params(key, rule, extra=()) -> list:
    """One pytest.param(key, args, kwargs, *extra) per array sample of the entry."""
    return [pytest.param(key, args, kwargs, *extra, id=f"{rule.name}[{label}]")
            for label, args, kwargs in _samples(key, rule) if has_array([*args, *kwargs.values()])]


def float_leaves(value, convert):
    """The values with every float or complex array (not index arrays, not numbers) converted."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return convert(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(float_leaves(v, convert) for v in value)
    return value


def _bound(values: dict, given) -> apply.Bound:
    bound = apply.Bound(values)
    bound.given = given
    return bound


class PrimitiveRefused(Exception):
    """The primitive itself does not run on the other library's arrays."""


def evaluate(key, args, kwargs, convert, convert_all, refusals=(TypeError, NotImplementedError)):
    """[(what, result on the other library, result in NumPy)] for the primitive, each active operand's
    adjoint and the tangent. `convert` converts float arrays of the inputs; `convert_all` every array of
    the cotangent and tangents. PrimitiveRefused if the primitive raises one of `refusals` there."""
    rule = DEFAULT_RULES.lookup(key)
    rng = np.random.default_rng(0)
    specs = apply.bind(rule, args, kwargs)
    plain = _bound({k: _draw(v, rng, np.float64) for k, v in specs.items()}, specs.given)
    active = [p for p in rule.tangents if p in specs and _has_leaf(specs[p])]
    other = _bound({k: float_leaves(v, convert) for k, v in plain.items()}, specs.given)
    function = apply.primitive_function(key)
    y = apply._call(function, rule, _fresh(plain))
    try:
        y_other = apply._call(function, rule, _fresh(other))
    except refusals as exc:
        raise PrimitiveRefused(f"{rule.name} itself: {type(exc).__name__}: {exc}") from exc
    results = [(f"{rule.name} itself", y_other, y)]
    cotangent = _like(y, rng)
    tangents = {p: _like(plain[p], rng) for p in active}
    if all(p in rule.adjoints for p in active):
        want = apply.adjoints(rule, _fresh(plain), y, cotangent, active)
        got = apply.adjoints(rule, _fresh(other), y_other, convert_all(cotangent), active)
        results += [(f"adjoint of {p} in {rule.name}", got[p], want[p]) for p in active]
    want_dot = apply.tangent(rule, key, _fresh(plain), y, tangents)
    got_dot = apply.tangent(rule, key, _fresh(other), y_other, {p: convert_all(t) for p, t in tangents.items()})
    results.append((f"tangent of {rule.name}", got_dot, want_dot))
    return results


def compare(got, want, what, array_type, to_numpy, rtol=1e-12, atol=1e-14):
    """`got` (the other library's result) equals `want` (NumPy's), with every non-scalar array an array_type."""
    if want is None:                    # no adjoint (an inactive operand)
        assert got is None, what
        return
    if isinstance(want, dict):
        for k in want:
            compare(got[k], want[k], what, array_type, to_numpy, rtol, atol)
        return
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), what
        for g, w in zip(got, want):
            compare(g, w, what, array_type, to_numpy, rtol, atol)
        return
    if isinstance(want, np.ndarray) and want.ndim > 0:
        assert isinstance(got, array_type), f"{what}: a {type(got).__name__} came back for a {array_type.__name__} input"
    np.testing.assert_allclose(to_numpy(got), want, rtol=rtol, atol=atol, err_msg=what)
