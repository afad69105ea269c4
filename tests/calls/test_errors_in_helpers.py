"""A failure inside a helper names the helper's own line, and the user's line that called it."""
import functools

import numpy as np
import pytest

import s2sgrad


def uses_a_function_without_rule(x):
    y = np.i0(x)
    return y * 2.0


def middle(x):
    z = uses_a_function_without_rule(x * 3.0)
    return z + 1.0


def outer(x):
    total = middle(x) * x
    return total


def divides(x, d):
    return x / d


def test_missing_rule_in_a_nested_helper_names_each_call_site():
    with pytest.raises(s2sgrad.NoDerivativeRuleError) as info:
        s2sgrad.grad(outer)(0.5)
    text = str(info.value)
    assert "y = np.i0(x)" in text                                   # the helper's own line, first
    assert text.index("y = np.i0(x)") < text.index("Called from middle:") < text.index("Called from outer:")
    assert "z = uses_a_function_without_rule(x * 3.0)" in text      # then each caller's line
    assert "total = middle(x) * x" in text
    assert "test_errors_in_helpers.py" in text


def test_an_error_raised_by_a_helper_s_own_code_keeps_its_type():
    def f(x):
        return divides(x, 0.0) + 1.0

    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.grad(f)(1.0)
    notes = "".join(getattr(info.value, "__notes__", []))
    if hasattr(info.value, "add_note"):                             # Python 3.11+
        assert "return divides(x, 0.0) + 1.0" in notes


def test_a_cached_helper_gets_advice_that_keeps_its_gradient():
    @functools.lru_cache(maxsize=None)
    def cached_square(v):
        return v * v

    def f(x):
        return cached_square(x) + x

    with pytest.raises(s2sgrad.NoDerivativeRuleError) as info:
        s2sgrad.grad(f)(3.0)
    text = str(info.value)
    assert "__wrapped__" in text and "nondifferentiable" not in text

    def uncached(x):
        return cached_square.__wrapped__(x) + x

    assert s2sgrad.grad(uncached)(3.0) == 7.0


def sum_of_squares(*xs):
    return sum(x * x for x in xs)


def calls_a_star_helper(x, y):
    return sum_of_squares(x, y)


def test_derivatives_into_a_star_parameter_flow_through_the_helper():
    # once refused with a located error; the helper is now bound to the call's shape (source/variadic.py)
    assert s2sgrad.grad(calls_a_star_helper, wrt=("x", "y"))(1.0, 2.0) == (2.0, 4.0)
