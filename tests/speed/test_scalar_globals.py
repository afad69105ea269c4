"""Globals and closure variables holding numbers are scalar kinds of a specialization, guarded per call
(analysis/free_numbers.py): no `unbroadcast` for them, and never code made for a float once one holds
an array."""
import numpy as np
import pytest

import s2sgrad

from . import scalar_functions as f


def central(fn, x, h=1e-6):
    return (fn(x + h) - fn(x - h)) / (2 * h)


def test_a_loop_reading_a_module_level_float_has_no_unbroadcast_and_the_right_gradient():
    g = s2sgrad.value_and_grad(f.euler)
    source = g.source_for(2.0, 50)
    assert "unbroadcast" not in source
    assert "DT" in source
    value, dk = g(2.0, 50)
    assert value == f.euler(2.0, 50)
    assert dk == pytest.approx(central(lambda k: f.euler(k, 50), 2.0), rel=1e-6)


def test_a_float_rebound_to_another_float_keeps_the_specialization(monkeypatch):
    g = s2sgrad.grad(f.euler)
    g(2.0, 20)
    generated = g.generated_for(2.0, 20)
    monkeypatch.setattr(f, "DT", 0.02)
    assert g(2.0, 20) == pytest.approx(central(lambda k: f.euler(k, 20), 2.0), rel=1e-6)
    assert g.generated_for(2.0, 20) is generated


@pytest.mark.parametrize("calls_before", [1, 3])       # 3: the fast path is in place when the global changes
def test_a_global_rebound_from_float_to_array_gets_new_code_and_the_right_gradient(monkeypatch, calls_before):
    g = s2sgrad.grad(f.scaled_sum)
    for _ in range(calls_before):
        assert g(1.5) == 2.0
    assert "unbroadcast" not in g.source_for(1.5)
    monkeypatch.setattr(f, "SCALE", np.array([1.0, 2.0, 3.0]))
    for _ in range(2):
        d = g(1.5)
        assert np.shape(d) == () and d == pytest.approx(6.0)
    assert "unbroadcast" in g.source_for(1.5)
    monkeypatch.setattr(f, "SCALE", 0.5)           # a number again: the general code stays right for it
    assert g(1.5) == 0.5
    assert "unbroadcast" not in s2sgrad.grad(f.scaled_sum).source_for(1.5)


def test_value_and_grad_and_the_general_path_see_the_rebinding(monkeypatch):
    g = s2sgrad.value_and_grad(f.scaled_sum)
    assert g(1.5) == (3.0, 2.0)
    monkeypatch.setattr(f, "SCALE", np.array([1.0, 2.0]))
    value, d = g(x=1.5)                              # a keyword argument: the general path
    assert value == pytest.approx(4.5) and np.shape(d) == () and d == pytest.approx(3.0)


def test_a_helper_reading_a_rebound_global_gives_its_caller_the_right_gradient(monkeypatch):
    g = s2sgrad.grad(f.calls_scaled_sum)
    assert g(1.5) == 7.0 and g(1.5) == 7.0
    monkeypatch.setattr(f, "SCALE", np.array([1.0, 2.0, 3.0]))
    d = g(1.5)
    assert np.shape(d) == () and d == pytest.approx(19.0)


def test_a_closure_cell_rebound_from_float_to_array():
    scaled, set_scale = f.make_scaled(2.0)
    g = s2sgrad.grad(scaled)
    assert g(1.5) == 3.0 and g(1.5) == 3.0
    assert "unbroadcast" not in g.source_for(1.5)
    set_scale(np.array([1.0, 2.0]))
    d = g(1.5)
    assert np.shape(d) == () and d == pytest.approx(5.0)
    assert "unbroadcast" in g.source_for(1.5)


def test_forward_mode_sees_a_global_rebound_from_float_to_array(monkeypatch):
    for _ in range(2):                               # the second call takes jvp's fast path
        assert s2sgrad.jvp(f.shifted_sum, (1.5,), (1.0,)) == (3.5, 1.0)
    before = s2sgrad.jvp_source(f.shifted_sum, 1.5)
    assert "broadcast_like" not in before
    monkeypatch.setattr(f, "SCALE", np.array([1.0, 2.0, 3.0]))
    for _ in range(2):
        value, tangent = s2sgrad.jvp(f.shifted_sum, (1.5,), (1.0,))
        assert value == pytest.approx(10.5) and tangent == pytest.approx(3.0)
    assert "broadcast_like" in s2sgrad.jvp_source(f.shifted_sum, 1.5)
