"""Complex values inside containers: a call with a list, dict or object holding complex arrays gets a
specialization of its own (checked for complex values, complex-convention gradients), not the one a
real call made, in either order (test_complex_helpers.py: complex values returned by helpers)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .test_complex_numbers import wirtinger_numeric

REAL_PAIR = [np.array([0.3, 1.2, -0.4]), np.array([0.5, -1.0, 2.0])]
COMPLEX_PAIR = [np.array([0.3 + 0.1j, 1.2, -0.4 - 0.3j]), np.array([0.5, -1.0 + 0.5j, 2.0j])]


def phase_pair(ws):
    return np.sum(np.real(np.exp(1j * ws[0]) * ws[1]))


def phase_dict(d):
    return np.sum(np.real(np.exp(1j * d["a"]) * d["b"]))


def sorted_pair(ws):
    return np.real(np.sum(np.sort(ws[0]) * ws[1]))


@dataclass
class Waves:
    phase: np.ndarray
    amplitude: np.ndarray


def phase_object(w):
    return np.sum(np.real(np.exp(1j * w.phase) * w.amplitude))


def _numeric_pair(f, pair, which):
    def along(v):
        moved = list(pair)
        moved[which] = v
        return f(moved)
    return wirtinger_numeric(along, pair[which])


@pytest.mark.parametrize("first, second", [(REAL_PAIR, COMPLEX_PAIR), (COMPLEX_PAIR, REAL_PAIR)])
def test_a_list_of_complex_arrays_is_not_served_by_the_real_lists_code(first, second):
    g = s2sgrad.grad(phase_pair)
    g(first)
    got = g(second)
    for which in (0, 1):
        np.testing.assert_allclose(got[which], _numeric_pair(phase_pair, second, which), atol=1e-7)
        assert np.iscomplexobj(got[which]) == np.iscomplexobj(second[which])


@pytest.mark.parametrize("first, second", [(REAL_PAIR, COMPLEX_PAIR), (COMPLEX_PAIR, REAL_PAIR)])
def test_dicts_and_objects_holding_complex_arrays_have_their_own_specialization(first, second):
    g = s2sgrad.grad(phase_dict)
    g(dict(zip("ab", first)))
    got = g(dict(zip("ab", second)))
    fresh = s2sgrad.grad(phase_dict)(dict(zip("ab", second)))
    for key in "ab":
        np.testing.assert_allclose(got[key], fresh[key], rtol=1e-12)
        assert np.iscomplexobj(got[key]) == np.iscomplexobj(fresh[key])
    h = s2sgrad.grad(phase_object)
    h(Waves(*first))
    got = h(Waves(*second))
    fresh = s2sgrad.grad(phase_object)(Waves(*second))
    np.testing.assert_allclose(got.phase, fresh.phase, rtol=1e-12)
    assert np.iscomplexobj(got.phase) == np.iscomplexobj(second[0])


def test_an_operation_without_a_complex_rule_is_refused_after_a_real_call_too():
    g = s2sgrad.grad(sorted_pair)
    g(REAL_PAIR)
    with pytest.raises(UnsupportedConstructError, match="np.sort` of a complex value"):
        g(COMPLEX_PAIR)
