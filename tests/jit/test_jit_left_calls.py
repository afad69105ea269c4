"""Forward over reverse through helpers called in a loop compiles when the loop calls two different
helpers, or one helper with two kinds of arguments: each record that comes back from the tangent tape is
followed back, through the pop and the push it pairs with, to the call that returned it, and goes to
that call's compiled reverse part. Each result equals the Python version's to rtol 1e-7, no fallback."""
import re
import warnings

import numpy as np
import pytest

import s2sgrad

from .compiled_whole import transformation_compiled_equals_python

RNG = np.random.default_rng(29)


def bump(x, y):
    return x * y + np.sin(x)


def grow(x, y):
    return np.exp(0.3 * x) * y


def two_helpers_in_a_loop(x, y):
    s = 0.0
    for _ in range(3):
        s = s + bump(x, y) * grow(y, x)
    return s


def one_helper_two_kinds(x, y):
    s = 0.0
    for _ in range(2):
        s = s + bump(x, y) + bump(y, 2.0) * s     # the second call differentiates its first argument only
    return s


def arrays_through_two(w, x):
    s = 0.0
    for _ in range(2):
        s = s + np.sum(bump(w, x) * grow(x, w))
    return s


def _backward_calls(source):
    """The compiled reverse parts the module calls (`t13, t13_dot = jvp_grad_bump_backward_1(...)`)."""
    return set(re.findall(r"= (jvp_grad_\w+_backward\w*)\(", source))


@pytest.mark.parametrize("wrt", [(0, 1), (1,)])
def test_two_helpers_called_in_one_loop(wrt):
    fast = transformation_compiled_equals_python(s2sgrad.hessian(two_helpers_in_a_loop, wrt=wrt), 0.4, 1.2)
    source = fast.source_for(0.4, 1.2)
    assert "call_backward_jvp" not in source
    assert any("bump" in b for b in _backward_calls(source)) and any("grow" in b for b in _backward_calls(source))


def test_one_helper_called_with_two_kinds_of_arguments_in_a_loop():
    fast = transformation_compiled_equals_python(s2sgrad.hessian(one_helper_two_kinds, wrt=(0, 1)), 0.7, -0.3)
    assert len(_backward_calls(fast.source_for(0.7, -0.3))) == 2


def test_arrays_through_two_helpers_in_a_loop():
    transformation_compiled_equals_python(s2sgrad.hessian(arrays_through_two, wrt=0), RNG.normal(size=3), RNG.normal(size=3))


def test_a_hessian_vector_product_through_two_helpers_in_a_loop():
    g = s2sgrad.grad(two_helpers_in_a_loop, wrt=(0, 1))
    fast = s2sgrad.jit(s2sgrad.jvp)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        got = fast(g, (0.6, 1.4), (1.0, -2.0))
    np.testing.assert_allclose(np.ravel(got), np.ravel(s2sgrad.jvp(g, (0.6, 1.4), (1.0, -2.0))), rtol=1e-7)
