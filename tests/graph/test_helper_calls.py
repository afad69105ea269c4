"""A call to another function is drawn as the gradient runs it: once, its adjoint from that very run.

The helpers draw from a module-level RandomState, so a second run (recomputing the helper for its
adjoint) would draw other numbers: the drawn values and adjoints would then disagree with
value_and_grad's at the same seed, and the draws counted would be two per call.
"""
import itertools

import numpy as np

import s2sgrad

RNG = np.random.RandomState(0)
CALLS = itertools.count()


def calls_so_far() -> int:
    """How many times the helpers ran since the last reset (reading the counter advances it)."""
    return next(CALLS)


def reset_calls() -> None:
    global CALLS
    CALLS = itertools.count()


def noisy_scale(x):
    next(CALLS)
    noise = RNG.standard_normal(x.shape)
    return x * (1.0 + noise)


def loss(x):
    y = noisy_scale(x)
    return np.sum(np.sin(y) * y)


def loss_in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sum(noisy_scale(x) ** 2)
    return s


def scalar_helper(a):
    next(CALLS)
    return a * RNG.uniform(0.5, 1.5)


def scalar_loss(a, b):
    return scalar_helper(a) * b + scalar_helper(b)


def _value_and_grad_then_graph(f, args, wrt=0):
    RNG.seed(7)
    reset_calls()
    value, grads = s2sgrad.value_and_grad(f, wrt)(*args)
    calls, state = calls_so_far(), RNG.get_state()[1].copy()
    RNG.seed(7)
    reset_calls()
    drawn = s2sgrad.graph(f, *args, wrt=wrt)
    assert calls_so_far() == calls              # the helper ran as often in the graph as in the gradient
    np.testing.assert_array_equal(RNG.get_state()[1], state)      # and drew as many numbers
    return value, grads, drawn, calls


def test_graph_runs_a_random_helper_once_with_value_and_grads_values():
    x = np.linspace(-1.0, 1.0, 5)
    value, grad, drawn, calls = _value_and_grad_then_graph(loss, (x,))
    assert calls == 1
    np.testing.assert_allclose(drawn.value, value, rtol=1e-12)
    np.testing.assert_allclose(drawn.gradients["x"], grad, rtol=1e-12)
    # the helper's result drawn is the one its gradient was taken at
    y = next(v for v in drawn.trace.variables if v.name == "y")
    RNG.seed(7)
    np.testing.assert_allclose(y.value, x * (1.0 + RNG.standard_normal(x.shape)), rtol=1e-12)


def test_graph_of_a_helper_called_in_a_loop_keeps_each_iterations_draw():
    x = np.array([0.3, -0.7, 1.1])
    value, grad, drawn, calls = _value_and_grad_then_graph(loss_in_loop, (x, 3))
    assert calls == 3
    np.testing.assert_allclose(drawn.value, value, rtol=1e-12)
    np.testing.assert_allclose(drawn.gradients["x"], grad, rtol=1e-12)


def test_graph_of_two_calls_and_two_parameters():
    value, grads, drawn, calls = _value_and_grad_then_graph(scalar_loss, (0.8, -1.3), wrt=(0, 1))
    assert calls == 2
    assert drawn.value == value
    np.testing.assert_allclose([drawn.gradients["a"], drawn.gradients["b"]], grads, rtol=1e-12)
    assert "call_forward" in drawn.source and "call_vjp" not in drawn.source
