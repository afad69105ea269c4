"""Helper calls in compiled forward-mode code: `s2sgrad.jit(s2sgrad.jvp)` of a function calling another
compiles the helper's tangent code and calls it (`call_jvp` becomes `jvp_<helper>(args, tangents)`),
equal to the Python version; a call it cannot compile still falls back, naming the user's line."""
import re
import warnings

import numpy as np
import pytest

import s2sgrad

from . import call_functions as c

RNG = np.random.default_rng(29)
FAST = s2sgrad.jit(s2sgrad.jvp)        # one per module: its specializations are shared by the tests


def check(function, primals, tangents):
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        value, tangent = FAST(function, primals, tangents)
    expected_value, expected_tangent = s2sgrad.jvp(function, primals, tangents)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7, atol=1e-12)
    assert np.shape(tangent) == np.shape(expected_tangent)
    np.testing.assert_allclose(tangent, expected_tangent, rtol=1e-7, atol=1e-12)
    return FAST.source_for(function, primals, tangents)


def test_a_helper_returning_an_array_is_called_compiled_with_its_tangents():
    source = check(c.one_call, (RNG.normal(size=6), 1.3), (RNG.normal(size=6), -0.4))
    assert "call_jvp" not in source
    assert re.search(r"\(?z, z_dot\)? = jvp_squash\(x, a, x_dot, a_dot\)", source)


def test_only_the_arguments_with_tangents_pass_them():
    # the loop count is an integer: no tangent, so the helper's tangent code takes none for it
    check(c.calls_in_a_loop, (RNG.normal(size=5), 0.8, 3), (RNG.normal(size=5), 0.0, 0))


def test_a_helper_calling_a_helper_and_numbers_and_arrays_together():
    check(c.nested_calls, (RNG.normal(size=(3, 4)), -0.6), (RNG.normal(size=(3, 4)), 1.0))
    check(c.array_then_number, (RNG.normal(size=4), RNG.normal(size=4)), (RNG.normal(size=4), RNG.normal(size=4)))


def test_jacfwd_runs_the_compiled_columns_through_the_helper():
    jacobian = s2sgrad.jit(s2sgrad.jacfwd(c.squash_twice, wrt=0))
    x = RNG.normal(size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        got = jacobian(x, 0.7)
    np.testing.assert_allclose(got, s2sgrad.jacfwd(c.squash_twice, wrt=0)(x, 0.7), rtol=1e-7, atol=1e-12)


def test_keywords_and_defaults_in_forward_mode():
    source = check(c.keyword_call, (RNG.normal(size=4), 0.7), (RNG.normal(size=4), 0.1))
    assert "jvp_squash(x, a, x_dot, a_dot)" in source
    check(c.defaults_and_keywords, (RNG.normal(size=5), 1.3), (RNG.normal(size=5), -0.2))


def test_a_helper_left_to_a_default_that_is_not_a_number_still_falls_back_naming_the_users_line():
    x, x_dot = RNG.normal(size=4), RNG.normal(size=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, tangent = FAST(c.default_none_call, (x,), (x_dot,))
    messages = [str(w.message) for w in caught if issubclass(w.category, s2sgrad.JitFallbackWarning)]
    assert len(messages) == 1 and "`shift` to a default that is not a number" in messages[0]
    assert "call_functions.py" in messages[0] and "offset(x)" in messages[0]
    expected_value, expected_tangent = s2sgrad.jvp(c.default_none_call, (x,), (x_dot,))
    assert value == expected_value and np.array_equal(tangent, expected_tangent)
