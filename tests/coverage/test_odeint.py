"""scipy.integrate.odeint of a user's right-hand side: derivatives in the initial state and in `args`
(the adjoint method in reverse mode, sensitivities in forward mode); what it cannot follow is refused."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .both_modes import check_both_modes

odeint = pytest.importorskip("scipy.integrate").odeint

T = np.linspace(0.0, 1.5, 6)


def oscillator(y, t, k, c):
    return np.array([y[1], -k * y[0] - c * y[1] + np.sin(t)])


def trajectory_loss(y0, k, c):
    path = odeint(oscillator, y0, T, args=(k, c), rtol=1e-10, atol=1e-10)
    return np.sum(path[:, 0] ** 2) + np.sum(path[-1] * np.array([1.0, -2.0]))


def test_initial_state_and_arguments_in_both_modes():
    check_both_modes(trajectory_loss, np.array([1.0, 0.3]), 2.0, 0.4, wrt=(0, 1, 2), rtol=1e-5, atol=1e-6)


def captured_rate(y0, k):
    return np.sum(odeint(lambda y, t: -k * y, y0, T))      # k reaches func through its closure


def differentiable_times(y0, scale):
    return np.sum(odeint(oscillator, y0, T * scale, args=(1.0, 0.1)))


def test_derivatives_odeint_cannot_follow_are_refused_where_the_call_is():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match=r"odeint(.|\n)*func(.|\n)*test_odeint.py"):
        s2sgrad.grad(captured_rate, wrt=(0, 1))(np.array([1.0]), 0.5)
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match=r"odeint(.|\n)*`t`"):
        s2sgrad.grad(differentiable_times, wrt=(0, 1))(np.array([1.0, 0.0]), 1.2)


def test_a_value_reaching_func_only_through_its_closure_is_refused_too():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="args=\\(k,\\)"):
        s2sgrad.grad(captured_rate, wrt=1)(np.array([1.0]), 0.5)
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="odeint"):
        s2sgrad.jvp(captured_rate, (np.array([1.0]), 0.5), (np.zeros(1), 1.0))
