"""A call to the user's own function returns a number when the function's own kinds analysis says so
(analysis/kinds.py): the caller's adjoints then need no `unbroadcast` and no element-wise addition, and
whatever the analysis cannot see stays general and right."""
import numpy as np
import pytest

import s2sgrad

from . import scalar_functions as f


def central(fn, x, h=1e-6):
    return (fn(x + h) - fn(x - h)) / (2 * h)


def test_a_scalar_loop_calling_a_helper_has_textbook_adjoints():
    g = s2sgrad.grad(f.oscillator, wrt=(0, 1))
    source = g.source_for(1.0, 0.5, 20)
    assert "unbroadcast" not in source and "add_adjoints" not in source
    assert "call_forward(spring" in source
    dx, dv = g(1.0, 0.5, 20)
    assert dx == pytest.approx(central(lambda x: f.oscillator(x, 0.5, 20), 1.0), rel=1e-6)
    assert dv == pytest.approx(central(lambda v: f.oscillator(1.0, v, 20), 0.5), rel=1e-6)


def test_an_array_argument_makes_the_helper_result_an_array():
    g = s2sgrad.grad(f.oscillator, wrt=(0, 1))
    x = np.array([1.0, -0.5])
    assert g.source_for(x, 0.5, 3) != g.source_for(1.0, 0.5, 3)
    dx, dv = g(x, 0.5, 3)
    assert np.shape(dv) == () and dv == pytest.approx(central(lambda v: f.oscillator(x, v, 3), 0.5), rel=1e-6)
    np.testing.assert_allclose(dx, [central(lambda t: f.oscillator(np.array([t, -0.5]), 0.5, 3), 1.0),
                                    central(lambda t: f.oscillator(np.array([1.0, t]), 0.5, 3), -0.5)], rtol=1e-6)


@pytest.mark.parametrize("scale", [2.0, np.array([1.0, 2.0, 3.0])])
def test_a_helper_reading_a_global_stays_general(monkeypatch, scale):
    monkeypatch.setattr(f, "SCALE", scale)
    g = s2sgrad.grad(f.sums_scaled)
    d = g(1.5)
    assert np.shape(d) == () and d == pytest.approx(2 * 1.5 * np.sum(scale))


def test_a_helper_calling_a_helper_stays_general():
    g = s2sgrad.grad(f.calls_outer)
    source = g.source_for(1.5)
    assert "unbroadcast" in source or "repetition_adjoint" in source       # outer's result: kind unknown
    assert g(1.5) == pytest.approx(3 * 1.5 ** 2 + 2 * 1.5)


def test_a_rebound_helper_returning_an_array_gets_the_right_gradient(monkeypatch):
    g = s2sgrad.grad(f.calls_rebindable_helper)
    assert g(1.5) == g(1.5) == pytest.approx(3 * 1.5 ** 2)
    assert "unbroadcast" not in g.source_for(1.5)
    monkeypatch.setattr(f, "helper", f.pair)
    for _ in range(2):
        d = g(1.5)
        assert np.shape(d) == () and d == pytest.approx(2 * 1.5 + 4 * 1.5)


def test_an_array_parameter_a_loop_reassigns_is_not_taken_for_a_number():
    # `x = x + v`: x enters the loop holding the caller's array, whatever the loop assigns it
    g = s2sgrad.grad(f.shifted_in_a_loop, wrt=(0, 1))
    dx, dv = g(np.array([1.0, 2.0]), 0.5, 3)
    np.testing.assert_array_equal(dx, [1.0, 1.0])
    assert np.shape(dv) == () and dv == 6.0


def test_a_recursive_helper():
    g = s2sgrad.grad(f.calls_power)
    assert g(1.5) == pytest.approx(3 * 1.5 ** 2 + 1)
