"""Helper calls from compiled code: the helper's gradient compiles as two functions, its forward sweep
(at the call: the value and a record) and its reverse sweep (in the caller's reverse sweep: the record
and the adjoint of the result), as the Python runtime's call_forward / call_backward run it. So a
helper returning an array compiles, and every helper runs once, where the Python version runs it."""
import re
import sys
import warnings

import numpy as np
import pytest

import s2sgrad

from . import call_functions as c
from .compiled_whole import compiled_equals_python as check

RNG = np.random.default_rng(11)


def test_a_helper_returning_an_array_compiles_as_its_two_sweeps():
    source = check(c.one_call, RNG.normal(size=7), 1.3)
    assert "call_forward" not in source and "call_backward" not in source
    assert re.search(r"\(?z, squash_record\)? = grad_squash_forward\(x, a\)", source)   # 3.10 adds ( )
    assert "grad_squash_backward(squash_record, dz)" in source


def test_the_helpers_module_holds_both_sweeps_and_the_record_between_them():
    from s2sgrad.api.jit_gradient import compiled_callee
    check(c.one_call, RNG.normal(size=3), 0.5)       # loads the helper's module
    module, name, _ = compiled_callee(c.squash, 2, (0, 1))
    assert name == "grad_squash_forward"
    with open(sys.modules[module].__file__, encoding="utf-8") as handle:
        forward, backward = handle.read().split("def grad_squash_backward")
    assert "return (y, (t1, a))" in forward          # the value, and what the reverse sweep reads
    assert re.search(r"\(?t1, a\)? = record", backward) and "return (dx, da)" in backward


@pytest.mark.parametrize("n", [0, 1, 4])
def test_calls_in_a_loop_push_their_records_and_pop_them_in_reverse(n):
    source = check(c.calls_in_a_loop, RNG.normal(size=5), 0.8, n, wrt=(0, 1))
    assert "grad_squash_backward(" in source


def test_a_helper_calling_a_helper_and_a_two_dimensional_argument():
    check(c.nested_calls, RNG.normal(size=(3, 4)), -0.6)


def test_helpers_returning_numbers_and_arrays_in_one_function():
    check(c.array_then_number, RNG.normal(size=6), RNG.normal(size=6))


def test_keywords_and_defaults_are_bound_to_the_helpers_parameters():
    source = check(c.keyword_call, RNG.normal(size=4), 0.7)
    assert "grad_squash_forward(x, a)" in source
    check(c.defaults_and_keywords, RNG.normal(size=5), 1.3)


def test_a_helper_left_to_a_default_that_is_not_a_number_still_falls_back_naming_the_users_line():
    g = s2sgrad.value_and_grad(c.default_none_call)
    x = RNG.normal(size=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, grads = s2sgrad.jit(g)(x)
    messages = [str(w.message) for w in caught if issubclass(w.category, s2sgrad.JitFallbackWarning)]
    assert len(messages) == 1 and "`shift` to a default that is not a number" in messages[0]
    assert "call_functions.py" in messages[0] and "offset(x)" in messages[0]
    expected_value, expected_grads = g(x)
    assert value == expected_value and all(np.array_equal(a, b) for a, b in zip(grads, expected_grads))
