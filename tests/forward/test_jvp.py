"""Forward mode (`jvp`): tangents against central differences and against the reverse sweep.

Every program of the control-flow table and of the NumPy rule table runs in
both modes: the tangent along a random direction t must match the central
difference of f, and <grad f, t> from the reverse sweep (the dot-product test).
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError

from ..control_flow.test_control_flow import CASES as FLOW_CASES
from ..numpy_rules.cases import CASES as NUMPY_CASES
from ..numpy_rules.test_rules import arguments, functions  # noqa: F401  (the module of NumPy cases, a fixture)


def seed000(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J


def test_seed000_tangents_read_as_the_derivation():
    assert s2sgrad.jvp(seed000, (5.0, 3.0, 2.0), (0.0, 1.0, 0.0)) == (33.0, 6.0)
    assert s2sgrad.jvp(seed000, (5.0, 3.0, 2.0), (0.0, 0.0, 1.0)) == (33.0, 9.0)
    source = s2sgrad.jvp_source(seed000, 5.0, 3.0, 2.0)
    assert "    u_dot = b_dot * c + c_dot * b\n    v = a + u\n    v_dot = a_dot + u_dot\n" in source
    assert "J_dot = 3 * v_dot" in source


def _direction(args, wrt, rng):
    return tuple(
        (float(rng.normal()) if isinstance(a, float) else rng.normal(size=np.shape(a)).astype(np.asarray(a).dtype))
        if i in wrt else (0 if isinstance(a, int) else np.zeros_like(a) if isinstance(a, np.ndarray) else 0.0)
        for i, a in enumerate(args))


def _shift(args, tangent, h):
    return [a + h * t if i_is_float(a) else a for a, t in zip(args, tangent)]


def i_is_float(a) -> bool:
    return isinstance(a, float) or (isinstance(a, np.ndarray) and a.dtype.kind == "f")


def _check(f, args, wrt, seed):
    rng = np.random.default_rng(seed)
    tangent = _direction(args, wrt, rng)
    try:
        value, tangent_out = s2sgrad.jvp(f, args, tangent)
    except UnsupportedConstructError as exc:
        assert "forward mode" in str(exc) and "line" in str(exc)
        pytest.skip(f"forward mode refuses this function: {exc.construct}")
    np.testing.assert_allclose(value, f(*args), rtol=1e-12)
    h = 1e-6
    numeric = (np.asarray(f(*_shift(args, tangent, h))) - np.asarray(f(*_shift(args, tangent, -h)))) / (2 * h)
    np.testing.assert_allclose(tangent_out, numeric, rtol=1e-5, atol=1e-6)
    grads = s2sgrad.grad(f, wrt=tuple(wrt))(*args)
    grads = grads if isinstance(grads, tuple) else (grads,)
    reverse = sum(float(np.sum(g * tangent[i])) for g, i in zip(grads, wrt))
    np.testing.assert_allclose(float(np.sum(tangent_out)), reverse, rtol=1e-9, atol=1e-9)


FLOW = [pytest.param(f, args, wrt, id=f"{f.__name__}{args}") for f, arg_sets, wrt in FLOW_CASES
        for args in arg_sets if all(isinstance(args[i], float) for i in wrt)]


@pytest.mark.parametrize("f, args, wrt", FLOW)
def test_control_flow_programs(f, args, wrt):
    _check(f, args, wrt, seed=len(args))


@pytest.mark.parametrize("index", range(0, len(NUMPY_CASES), 3), ids=[c.id for c in NUMPY_CASES[::3]])
def test_numpy_programs(functions, index):
    case = NUMPY_CASES[index]
    f = getattr(functions, f"f{index}")
    args = arguments(index)
    names = list(case.args) + ["W"]
    wrt = [names.index(n) for n in case.wrt]
    _check(f, tuple(args), wrt, seed=index)


def test_tangent_of_an_integer_argument_is_ignored():
    def power(x, n):
        return x ** n
    assert s2sgrad.jvp(power, (2.0, 3), (1.0, 0)) == (8.0, 12.0)


def test_mismatched_tangent_shape_is_a_clear_error():
    def total(x):
        return np.sum(x * x)
    with pytest.raises(s2sgrad.WrtError, match="tangent of `x` is shaped"):
        s2sgrad.jvp(total, (np.ones(3),), (np.ones(2),))


def test_defjvp_gives_a_custom_rule_its_forward_slot():
    from . import custom_forward as cf
    value, tangent = s2sgrad.jvp(cf.loss, (0.3,), (1.0,))
    h = 1e-6
    assert abs(tangent - (cf.loss(0.3 + h) - cf.loss(0.3 - h)) / (2 * h)) < 1e-6
    assert "t1_dot = x_dot * sigmoid(x)" in s2sgrad.jvp_source(cf.loss, 0.3)


def test_rules_registered_by_decorators_serve_both_modes():
    from . import custom_forward as cf
    x, h = 0.4, 1e-6
    numeric = (cf.uses_decorated_rules(x + h) - cf.uses_decorated_rules(x - h)) / (2 * h)
    assert s2sgrad.jvp(cf.uses_decorated_rules, (x,), (1.0,))[1] == pytest.approx(numeric, rel=1e-7)
    assert s2sgrad.grad(cf.uses_decorated_rules)(x) == pytest.approx(numeric, rel=1e-7)
    assert "my_tanh(" in s2sgrad.jvp_source(cf.uses_decorated_rules, x)


def test_a_custom_tuple_valued_rule_adds_its_parameters_tangents_element_by_element():
    """Both parameters' contributions are tuples: `+` joined them into one of four, and unpacking it read
    the first parameter's alone (the tangent in y was a silent 0)."""
    from . import custom_forward as cf
    x, y = 1.5, 2.0
    for tangents, want in (((0.0, 1.0), x + 2 * (x + y)), ((1.0, 0.0), y + 2 * (x + y)),
                           ((1.0, 1.0), x + y + 4 * (x + y))):
        assert s2sgrad.jvp(cf.uses_a_tuple_valued_rule, (x, y), tangents)[1] == pytest.approx(want)
    hessian = s2sgrad.hessian(cf.uses_a_tuple_valued_rule, argnums=(0, 1))(x, y)
    assert hessian == ((pytest.approx(2.0), pytest.approx(3.0)), (pytest.approx(3.0), pytest.approx(2.0)))


def spring_force(stretch, stiffness):
    return -stiffness * stretch ** 3


class Damper:
    def __init__(self, c):
        self.c = c

    def force(self, v):
        return -self.c * v


def step_with_helpers(x, v, damper, apply):
    f = spring_force(x, 2.0) + damper.force(v)
    return apply(x + 0.1 * v + 0.01 * f)


def test_forward_mode_follows_calls_to_other_functions_once():
    import functools
    damper = Damper(0.3)
    for apply in (np.tanh, functools.partial(spring_force, stiffness=1.5), lambda u: u * u):
        def f(x, v):
            return step_with_helpers(x, v, damper, apply)
        _check(f, (0.7, -0.4), [0, 1], seed=3)
    source = s2sgrad.jvp_source(step_with_helpers, 0.7, -0.4, damper, np.tanh)
    assert "call_jvp(spring_force, (x, 2.0), (x_dot, None))" in source


def reads_an_active_value_in_a_nested_def(x):
    def scaled(v):
        return v * x
    return scaled(2.0)


def passes_an_active_keyword(x):
    return spring_force(stretch=x, stiffness=2.0)


@pytest.mark.parametrize("f", [reads_an_active_value_in_a_nested_def, passes_an_active_keyword])
def test_forward_mode_follows_captured_values_and_keyword_arguments(f):
    # once refused; the tangents of captured values and keyword arguments now go with the call
    value, tangent = s2sgrad.jvp(f, (0.5,), (1.0,))
    assert value == f(0.5)
    assert tangent == pytest.approx((f(0.5 + 1e-6) - f(0.5 - 1e-6)) / 2e-6, rel=1e-6)
