"""Functions that share code but not bindings get their own gradients (issue 9).

A transformation depends on what the names it resolved denote (which callable
`fn` is, through a closure cell, a default or a global). The cache serves a
function only a transformation made with the same resolutions, generated code
runs with the function's own cells and defaults, and a gradient notices a
rebound global on its next call.
"""
import linecache
import math
import textwrap
import types

import numpy as np
import pytest

from s2sgrad import S2SGradError, check_grad, defvjp, grad
from s2sgrad.runtime import calls
from s2sgrad.transform import PREPARED

DERIVATIVES = {math.sin: math.cos, math.cos: lambda x: -math.sin(x), math.exp: math.exp}


def make(fn):
    def f(x):
        return fn(x) * 2.0
    return f


def test_closures_from_one_factory_resolve_their_own_callable():
    for fn, derivative in DERIVATIVES.items():
        assert grad(make(fn))(0.5) == pytest.approx(2.0 * derivative(0.5), rel=1e-12)


def test_closures_with_the_same_callable_share_one_transformation():
    grad(make(math.tan))(0.3)
    misses = PREPARED.misses
    assert grad(make(math.tan))(0.3) == pytest.approx(2.0 / math.cos(0.3) ** 2)
    assert PREPARED.misses == misses


def test_defaults_bound_in_a_loop_are_each_functions_own():
    gs = []
    for r in (np.prod, np.sum):
        def g(a, _r=r):
            return _r(a * a)
        gs.append(g)
    a = np.array([1.0, 2.0])
    np.testing.assert_allclose(grad(gs[0])(a), [8.0, 4.0])       # d prod(a*a) = 2 a prod(a*a) / a
    np.testing.assert_allclose(grad(gs[1])(a), [2.0, 4.0])       # d sum(a*a) = 2 a
    for g in gs:
        check_grad(g, a)


def make_weighted(W):
    def f(x):
        return np.sum(x * W)
    return f


def test_closure_data_is_each_closures_own():
    x = np.ones(3)
    np.testing.assert_allclose(grad(make_weighted(np.full(3, 1.0)))(x), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(grad(make_weighted(np.full(3, 2.0)))(x), [2.0, 2.0, 2.0])


def test_a_rebound_global_is_noticed_on_the_next_call():
    module = _module("rebound_global", """
        import math
        fn = math.sin
        def f(x):
            return fn(x) * 2.0
    """)
    g = grad(module.f)
    assert g(0.5) == pytest.approx(2.0 * math.cos(0.5))
    module.fn = math.cos
    assert g(0.5) == pytest.approx(-2.0 * math.sin(0.5))
    module.fn = math.sin                                       # back: the first transformation serves again
    misses = PREPARED.misses
    assert g(0.5) == pytest.approx(2.0 * math.cos(0.5))
    assert PREPARED.misses == misses


def test_a_rebound_global_inside_a_called_helper_is_noticed():
    module = _module("rebound_in_helper", """
        import math
        act = math.sin
        def helper(x):
            return act(x) * 3.0
        def f(x):
            return helper(x) + x
    """)
    g = grad(module.f)
    assert g(0.5) == pytest.approx(3.0 * math.cos(0.5) + 1.0)
    module.act = math.exp
    assert g(0.5) == pytest.approx(3.0 * math.exp(0.5) + 1.0)


def outer(x, fn):
    def inner(y):
        return fn(y) * 3.0
    return inner(x)


def test_a_nested_def_made_at_each_call_resolves_the_callable_it_captured():
    g = grad(outer)
    for fn, derivative in DERIVATIVES.items():
        assert g(0.5, fn) == pytest.approx(3.0 * derivative(0.5), rel=1e-12)
        assert g(0.7, fn) == pytest.approx(3.0 * derivative(0.7), rel=1e-12)     # the same callable again


def test_a_function_passed_in_is_differentiated_as_itself():
    def apply(x, r):
        return r(x * x)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(grad(apply)(x, np.prod), [8.0, 4.0])
    np.testing.assert_allclose(grad(apply)(x, np.sum), [2.0, 4.0])


class Scaler:
    def __init__(self, k):
        self.k = k

    def act(self, x):
        return math.sin(x) * self.k


SCALER = Scaler(2.0)


def scaled(x):
    return SCALER.act(x)


def test_a_bound_method_resolution_does_not_transform_at_every_call():
    g = grad(scaled)
    assert g(0.5) == pytest.approx(2.0 * math.cos(0.5))
    misses = PREPARED.misses
    for x in (0.1, 0.2, 0.3):
        assert g(x) == pytest.approx(2.0 * math.cos(x))
    assert PREPARED.misses == misses


def test_rebinding_a_global_object_keeps_the_transformation_and_uses_the_new_object():
    global SCALER
    g = grad(scaled)
    assert g(0.5) == pytest.approx(2.0 * math.cos(0.5))
    misses, previous = PREPARED.misses, SCALER
    try:
        SCALER = Scaler(3.0)                   # a method of the same code: an equivalent resolution
        assert g(0.5) == pytest.approx(3.0 * math.cos(0.5))
    finally:
        SCALER = previous
    assert PREPARED.misses == misses


def layered(x, w):
    def act(t):
        return math.tanh(t)

    def layer(t):
        return act(t * w)
    return layer(x) * layer(2.0 * x)


def test_nested_helpers_made_at_each_call_are_not_transformed_again():
    g = grad(layered, wrt=("x", "w"))
    check_grad(layered, 0.3, 1.2, wrt=("x", "w"))
    expected = g(0.3, 1.2)
    misses = PREPARED.misses
    for _ in range(3):
        assert g(0.3, 1.2) == pytest.approx(expected, rel=1e-12)
    assert PREPARED.misses == misses


def test_a_function_with_its_own_rule_is_not_taken_for_another_of_the_same_code():
    def make_square():
        def square(t):
            return t * t
        return square
    plain, ruled = make_square(), make_square()
    defvjp(ruled, "t", dt="dy * 3.0")           # deliberately not the derivative: tells the two apart

    def call_with(helper):
        def f(x):
            return helper(x)
        return f
    assert grad(call_with(plain))(2.0) == pytest.approx(4.0)
    assert grad(call_with(ruled))(2.0) == pytest.approx(3.0)
    assert grad(call_with(plain))(2.0) == pytest.approx(4.0)


def test_call_vjp_without_the_api_factory_is_a_clear_error():
    g = grad(outer)
    previous = calls._FACTORY
    calls.set_gradient_factory(None)
    try:
        with pytest.raises(S2SGradError, match="no gradient factory"):
            g(0.5, math.sin)
    finally:
        calls.set_gradient_factory(previous)
    assert g(0.5, math.sin) == pytest.approx(3.0 * math.cos(0.5))


def _module(name, text):
    source = textwrap.dedent(text)
    filename = f"<test module {name} {hash(source)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(compile(source, filename, "exec"), module.__dict__)
    return module
