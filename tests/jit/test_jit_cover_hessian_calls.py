"""Forward over reverse through a helper compiles: the Hessian of a function that calls another
(`s2sgrad.jit(s2sgrad.hessian(f))`) runs the tangent code of the helper's compiled gradient, split as
the Python runtime's call_forward_jvp (the helper's value, its tangent and a record) and
call_backward_jvp (the rest of its gradient and the gradient's tangent, given the cotangent and its
tangent) run it. Each result equals the Python version's to rtol 1e-7, without a fallback."""
import warnings

import numpy as np
import pytest

import s2sgrad

from .compiled_whole import transformation_compiled_equals_python

RNG = np.random.default_rng(13)


def bump(x, y):
    return x * y + np.sin(x)


def calls_bump(x, y):
    return bump(x, y) * x


def decay(x, k, n):
    v = x
    for _ in range(n):
        v = v - k * np.tanh(v)
    return v


def calls_decay(x, k):
    return decay(x, k, 3) ** 2 + k


def soft(z, scale=0.5):
    return np.log(1.0 + np.exp(z * scale))


def outer(w, x):
    return np.sum(soft(w * x)) + np.sum(w * w)


def through_two(x, y):
    return calls_bump(x, y) + bump(y, x)


@pytest.mark.parametrize("wrt", [(0, 1), (0,), (1,)])
def test_the_hessian_of_a_function_calling_a_helper(wrt):
    transformation_compiled_equals_python(s2sgrad.hessian(calls_bump, wrt=wrt), 1.3, -0.4)


def test_the_helpers_reverse_part_gets_the_cotangent_and_its_tangent():
    fast = transformation_compiled_equals_python(s2sgrad.hessian(calls_bump, wrt=(0, 1)), 0.2, 2.5)
    source = fast.source_for(0.2, 2.5)
    assert "call_forward_jvp" not in source and "call_backward_jvp" not in source
    assert "jvp_grad_bump_forward(x, y, x_dot, y_dot)" in source
    assert "jvp_grad_bump_backward(bump_record, dt1, dt1_dot)" in source


def test_a_helper_with_a_loop_its_tape_in_the_record():
    transformation_compiled_equals_python(s2sgrad.hessian(calls_decay, wrt=(0, 1)), 0.9, 0.3)


def test_arrays_and_a_default_left_to_the_helper():
    w, x = RNG.normal(size=4), RNG.normal(size=4)
    transformation_compiled_equals_python(s2sgrad.hessian(outer, wrt=0), w, x)
    transformation_compiled_equals_python(s2sgrad.hessian(outer, wrt=(0, 1)), w, x)


def test_a_helper_calling_a_helper_and_two_calls():
    transformation_compiled_equals_python(s2sgrad.hessian(through_two, wrt=(0, 1)), 0.7, -1.1)


def test_a_hessian_vector_product_through_a_helper():
    g = s2sgrad.grad(calls_bump, wrt=(0, 1))
    fast = s2sgrad.jit(s2sgrad.jvp)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        got = fast(g, (0.6, 1.4), (1.0, -2.0))
    expected = s2sgrad.jvp(g, (0.6, 1.4), (1.0, -2.0))
    np.testing.assert_allclose(np.ravel(got), np.ravel(expected), rtol=1e-7)


def calls_in_a_loop(x, y):
    s = 0.0
    for _ in range(3):
        s = s + bump(x, y) * x
    return s


def test_a_helper_called_in_a_loop_its_records_on_the_tangent_tape():
    transformation_compiled_equals_python(s2sgrad.hessian(calls_in_a_loop, wrt=(0, 1)), 0.4, 1.2)
