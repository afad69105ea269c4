"""A helper the differentiated function calls runs once per gradient call.

The forward sweep records each call (call_forward) and the reverse sweep uses
that record (call_backward), so a helper that draws random numbers or counts
its calls is not run a second time, and its gradient is taken at the values
the returned value was computed with.
"""
import functools
import itertools

import numpy as np
import pytest

import s2sgrad
from s2sgrad import grad, value_and_grad

NOISE = np.random.RandomState(0)
CALLS = itertools.count()


def calls_so_far() -> int:
    """How many times the counted helpers ran (reading the counter advances it: subtract that)."""
    return next(CALLS)


def noisy(x, rs):
    return x * rs.randn(3)


def noisy_loss(w):
    return np.sum(noisy(w, NOISE) ** 2) + np.sum(np.sin(w))


def counted(x):
    next(CALLS)
    return np.sin(x) * x


def central_difference(f, x, eps=1e-6):
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        out[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return out


def derivative(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def test_random_draw_in_a_helper_is_the_value_s_noise():
    w = np.array([0.5, -1.0, 2.0])
    NOISE.seed(3)
    value, g = value_and_grad(noisy_loss)(w)
    NOISE.seed(3)
    eps = NOISE.randn(3)

    def at_fixed_noise(v):
        return np.sum((v * eps) ** 2) + np.sum(np.sin(v))

    assert value == pytest.approx(at_fixed_noise(w))
    np.testing.assert_allclose(g, central_difference(at_fixed_noise, w), rtol=1e-6)
    # one draw per gradient call: the generator is exactly where one forward call leaves it
    NOISE.seed(3)
    noisy_loss(w)
    after_forward = NOISE.randn()
    NOISE.seed(3)
    grad(noisy_loss)(w)
    assert NOISE.randn() == after_forward


def test_closure_held_generator_draws_once_per_call():
    def make_loss(seed):
        rng = np.random.default_rng(seed)

        def reparameterized(mu):
            return mu + rng.standard_normal(mu.shape)

        def loss(mu):
            z = reparameterized(mu)
            return np.sum(z * z * mu)
        return loss

    mu = np.array([0.3, -0.7])
    value, g = value_and_grad(make_loss(5))(mu)
    eps = np.random.default_rng(5).standard_normal(2)
    assert value == pytest.approx(np.sum((mu + eps) ** 2 * mu))
    np.testing.assert_allclose(g, 2 * (mu + eps) * mu + (mu + eps) ** 2, rtol=1e-12)


def test_each_helper_call_runs_once_per_gradient_call():
    def in_a_loop(x):
        total = 0.0
        for i in range(4):
            total = total + counted(x * i)
        return total + counted(x)

    start = calls_so_far()
    value, g = value_and_grad(in_a_loop)(0.7)
    assert calls_so_far() - start - 1 == 5
    expected = sum(np.cos(0.7 * i) * 0.7 * i * i + np.sin(0.7 * i) * i for i in range(4)) \
        + np.cos(0.7) * 0.7 + np.sin(0.7)
    assert g == pytest.approx(expected)


def outer_helper(x):
    return counted(x) * counted(2.0 * x)


def test_nested_helpers_run_once_each():
    def f(x):
        return outer_helper(x) + 1.0

    start = calls_so_far()
    g = grad(f)(0.4)
    assert calls_so_far() - start - 1 == 2
    expected = derivative(lambda v: np.sin(v) * v * np.sin(2 * v) * 2 * v, 0.4)
    assert g == pytest.approx(expected, rel=1e-6)


class Scaler:
    def __init__(self, scale):
        self.scale = scale

    def apply(self, x):
        return counted(x) * self.scale


def power(x, n):
    return counted(x) ** n


def test_partials_bound_methods_and_helpers_passed_in_run_once():
    scaler = Scaler(3.0)
    cube = functools.partial(power, n=3)

    def f(x, fn):
        return scaler.apply(x) + cube(x) + fn(x)

    start = calls_so_far()
    g = grad(f)(0.9, counted)
    assert calls_so_far() - start - 1 == 3
    expected = derivative(lambda v: 3 * np.sin(v) * v + (np.sin(v) * v) ** 3 + np.sin(v) * v, 0.9)
    assert g == pytest.approx(expected, rel=1e-6)


def two_scaled_calls(x, y):
    def scaled(z):
        return counted(z) * y
    return scaled(x) + scaled(2 * x)


def test_closure_capturing_a_differentiated_value():
    start = calls_so_far()
    gx, gy = grad(two_scaled_calls, wrt=(0, 1))(0.3, 1.5)
    assert calls_so_far() - start - 1 == 2
    assert gy == pytest.approx(np.sin(0.3) * 0.3 + np.sin(0.6) * 0.6)
    assert gx == pytest.approx(1.5 * (np.cos(0.3) * 0.3 + np.sin(0.3)) + 1.5 * 2 * (np.cos(0.6) * 0.6 + np.sin(0.6)))


def falling(x, n):
    if n == 0:
        return 1.0
    return counted(x) * falling(x, n - 1)


def test_recursion_runs_each_level_once():
    start = calls_so_far()
    g = grad(falling)(0.8, 3)
    assert calls_so_far() - start - 1 == 3
    expected = derivative(lambda v: (np.sin(v) * v) ** 3, 0.8)
    assert g == pytest.approx(expected, rel=1e-6)


def test_the_generated_code_records_calls_and_reads_the_records():
    g = grad(noisy_loss)
    assert "noisy_record = call_forward(noisy, w, NOISE, active=(0,))" in g.source
    assert "call_backward(noisy_record, " in g.source
    assert "call_vjp" not in g.source


def test_a_record_inside_a_loop_goes_on_the_tape():
    def f(x):
        total = 0.0
        for i in range(3):
            total = total + noisy(x, NOISE)[i]
        return total

    source = grad(f).source
    assert "tape.append((" in source and "noisy_record" in source.split("tape.append(")[1].split("\n")[0]
    NOISE.seed(11)
    g = grad(f)(np.ones(3))
    NOISE.seed(11)
    draws = [NOISE.randn(3) for _ in range(3)]
    np.testing.assert_allclose(g, [draws[0][0], draws[1][1], draws[2][2]])


def test_a_record_serves_one_reverse_sweep():
    from s2sgrad.runtime.calls import call_backward, call_forward
    value, record = call_forward(power, 0.5, 2, active=(0,))
    assert value == pytest.approx((np.sin(0.5) * 0.5) ** 2)
    dx, = call_backward(record, 1.0)
    assert dx == pytest.approx(2 * np.sin(0.5) * 0.5 * (np.cos(0.5) * 0.5 + np.sin(0.5)))
    with pytest.raises(s2sgrad.S2SGradError, match="second reverse sweep"):
        call_backward(record, 1.0)


def scaled_sine(x, scale=1.0):
    next(CALLS)
    return np.sin(x) * scale


def branchy(x, w):
    total = 0.0
    for i in range(4):
        if i % 2 == 0:
            total = total + scaled_sine(x * i, scale=w)     # the record is kept by the branch, on the tape
        else:
            total = total - scaled_sine(x, scale=w * i)
    return total


def test_records_made_in_branches_inside_loops_and_keyword_arguments():
    start = calls_so_far()
    gx, gw = grad(branchy, wrt=(0, 1))(0.6, 1.3)
    assert calls_so_far() - start - 1 == 4
    source = grad(branchy, wrt=(0, 1)).source
    assert "call_forward(scaled_sine, t" in source and "scale=w, active=(0, 'scale'))" in source

    def at(x, w):
        return sum(np.sin(x * i) * w if i % 2 == 0 else -np.sin(x) * w * i for i in range(4))
    assert gx == pytest.approx(derivative(lambda v: at(v, 1.3), 0.6), rel=1e-6)
    assert gw == pytest.approx(derivative(lambda v: at(0.6, v), 1.3), rel=1e-6)
