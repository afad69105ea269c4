"""Every entry that declares complex support (Facts.complex), checked on complex inputs.

The convention is autograd's and JAX's: the adjoint of z = x + iy is
dL/dx - i dL/dy, so the reverse slot is the plain transpose of the forward
slot under the pairing Re sum(a * b). For each entry and each of its sample
calls, every differentiable input gets an imaginary part (small, so logarithms
and square roots stay off their branch cuts), and:

- the forward slot's tangent along a complex direction matches the central
  difference of the primitive along it (real and imaginary directions at once);
- the reverse slot passes the dot-product test Re<c, J t> = Re<J^T c, t>, with a
  complex cotangent wherever the result is complex;
- an adjoint of a real input is real, of a complex input complex.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, Rule, apply

from .test_table import (Leaf, _call, _draw, _fresh, _has_leaf, _inner, _leaves, _like, _map, _pairs, _samples,
                         _shift, _wide)

# these read only the real part of their input (NumPy drops the imaginary part with a warning)
REAL_INPUT = {np.fft.rfft, np.fft.rfft2, np.fft.rfftn, np.fft.ihfft}


def _complex(spec, value, rng):
    """`value` drawn from `spec` with an imaginary part added to every differentiable leaf."""
    if isinstance(spec, Leaf):
        shape = np.shape(value)
        imaginary = rng.uniform(-0.3, 0.3, shape)
        return complex(value, float(imaginary)) if isinstance(value, float) else value + 1j * imaginary
    if isinstance(spec, (list, tuple)):
        return type(spec)(_complex(s, v, rng) for s, v in zip(spec, value))
    return value


CASES = [pytest.param(key, args, kwargs, id=f"{rule.name}[{label}]")
         for key, rule in DEFAULT_RULES.items()
         if isinstance(rule, Rule) and key in BUILTIN_KEYS and rule.facts.complex and key not in REAL_INPUT
         for label, args, kwargs in _samples(key, rule)]


def test_entries_declare_complex_support():
    assert len(CASES) > 100, "the complex entries lost their samples"


@pytest.mark.parametrize("key, args, kwargs", CASES)
def test_complex_inputs_against_central_differences(key, args, kwargs):
    rule = DEFAULT_RULES.lookup(key)
    rng = np.random.default_rng(1)
    specs = apply.bind(rule, args, kwargs)
    values = apply.Bound({k: _complex(v, _draw(v, rng, np.float64), rng) for k, v in specs.items()})
    values.given = specs.given
    active = [p for p in rule.tangents if p in specs and _has_leaf(specs[p])]
    y = _call(key, rule, values)
    tangents = {p: _like(values[p], rng) for p in active}
    y_dot = apply.tangent(rule, key, _fresh(values), y, tangents)

    h = 1e-6

    def at(step):
        shifted = {p: _shift(values[p], tangents[p], step, wide=False) for p in active}
        return _call(key, rule, _fresh(values, shifted))

    numeric = _map(lambda a, b: (_wide(a) - _wide(b)) / (2 * h), at(h), at(-h))
    for got, want in zip(_leaves(y_dot), _leaves(numeric)):
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        np.testing.assert_allclose(_wide(got), want, rtol=1e-5, atol=1e-5 * scale,
                                   err_msg=f"forward rule of {rule.name} on complex inputs")

    cotangent = _like(y, rng)
    adjoints = apply.adjoints(rule, _fresh(values), y, cotangent, active)
    for p in active:
        for a, v in _pairs(adjoints[p], values[p]):
            assert np.shape(a) == np.shape(v), f"{rule.name}: adjoint of {p} shaped {np.shape(a)}, input {np.shape(v)}"
    forward = _inner(cotangent, y_dot)
    reverse = sum(_inner(tangents[p], adjoints[p]) for p in active)
    assert math.isclose(forward, reverse, rel_tol=1e-5, abs_tol=1e-5 * max(1.0, abs(forward))), \
        f"{rule.name} on complex inputs: Re<c, J t> = {forward} but Re<J^T c, t> = {reverse}"
