"""What numba cannot compile runs as Python, with a warning naming the construct and the user's line."""
import math
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import JitFallbackWarning

from . import functions


def _fallbacks(caught):
    return [str(w.message) for w in caught if issubclass(w.category, JitFallbackWarning)]


def _run(fast, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fast(*args)
    return result, _fallbacks(caught)


def test_a_helper_returning_an_array_compiles_and_stays_correct():
    # it fell back before its sweeps compiled apart (test_jit_calls.py has the fallbacks helper calls still make)
    g = s2sgrad.value_and_grad(functions.with_array_helper)
    x = np.linspace(-1.0, 1.0, 4)
    (value, grad), messages = _run(s2sgrad.jit(g), x)
    expected_value, expected_grad = g(x)
    assert value == pytest.approx(expected_value, rel=1e-12) and np.allclose(grad, expected_grad, rtol=1e-12)
    assert messages == []


def test_a_random_draw_runs_as_python_even_inside_a_helper():
    # numba's generators are not NumPy's: compiled, the draws would differ from the Python version's
    g = s2sgrad.value_and_grad(functions.with_noisy_helper)
    np.random.seed(3)
    got, messages = _run(s2sgrad.jit(g), 1.5)
    np.random.seed(3)
    assert got == g(1.5)
    assert len(messages) == 1 and "random draw `np.random" in messages[0] and "noisy" in messages[0]


def test_a_builtin_numba_computes_differently_is_refused_not_compiled():
    # numba's str(1.5) is not Python's: compiled, len(str(x)) would give another answer
    g = s2sgrad.grad(functions.with_str)
    grad, messages = _run(s2sgrad.jit(g), 1.5)
    assert grad == g(1.5) == 3.0
    assert "str()" in messages[0] and "len(str(x))" in messages[0]


def test_a_typing_failure_names_the_generated_and_the_users_line():
    def weird(x):
        return x * int("3")           # numba has no int() of a string
    g = s2sgrad.grad(weird)
    grad, messages = _run(s2sgrad.jit(g), 1.5)
    assert grad == 3.0
    assert "to_int('3')" in messages[0]                  # the generated line
    assert "test_fallback.py" in messages[0] and 'int("3")' in messages[0]   # the user's line


def test_fallback_is_decided_per_argument_types():
    fast = s2sgrad.jit(s2sgrad.grad(functions.scaled))
    x, w = np.linspace(-1.0, 1.0, 5), np.linspace(0.5, 1.5, 5)
    grad, messages = _run(fast, x, w)
    assert not messages and np.allclose(grad, w, rtol=1e-7)
    grad, messages = _run(fast, [1.0, 2.0], w[:2])            # a list: the Python version, with a warning
    assert messages and "list argument" in messages[0]
    assert np.allclose(grad, w[:2], rtol=1e-7)
    grad, messages = _run(fast, x, w)                     # arrays again: still compiled, no new warning
    assert not messages and np.allclose(grad, w, rtol=1e-7)


def test_broadcasting_along_a_stretched_axis_stays_compiled():
    # unbroadcast sums the stretched axis in compiled code (it asked the Python version for it before)
    fast = s2sgrad.jit(s2sgrad.grad(functions.scaled))
    x, w = np.ones((3, 1)), np.arange(12.0).reshape(3, 4)
    grad, messages = _run(fast, x, w)
    assert np.array_equal(grad, w.sum(axis=1, keepdims=True))
    assert not messages


def test_an_integer_to_a_negative_power_keeps_pythons_float():
    g = s2sgrad.value_and_grad(functions.halving)
    fast = s2sgrad.jit(g)
    result, messages = _run(fast, 1.5, 4)
    assert result == g(1.5, 4)
    assert messages and "negative integer power" in messages[0]
    # the values decided it, not the types: a call without a negative power runs compiled, and the
    # next one that needs Python gets it without another warning
    result, messages = _run(fast, 1.5, 0)
    assert result == g(1.5, 0) and not messages
    assert not next(iter(fast._specializations.values())).python
    result, messages = _run(fast, 1.5, 3)
    assert result == g(1.5, 3) and not messages


def test_round_to_digits_follows_pythons_decimal_rounding():
    def rounded(x):
        return x * round(x, 1)
    g = s2sgrad.value_and_grad(rounded)
    fast = s2sgrad.jit(g)
    for x in (0.37, 1.26, -2.44, 0.35, 2.675):      # 0.35 and 2.675 sit at a binary half: Python decides
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", JitFallbackWarning)
            assert fast(x) == g(x)


def test_a_math_domain_error_is_pythons_error_not_nan():
    fast = s2sgrad.jit(s2sgrad.grad(functions.square_root))
    assert fast(4.0) == pytest.approx(3.0 * math.sqrt(4.0) / 2.0, rel=1e-12)
    with pytest.raises(ValueError, match="math domain error"):
        fast(-1.0)


def test_jit_takes_gradient_functions_only():
    with pytest.raises(TypeError, match="s2sgrad.grad or s2sgrad.value_and_grad"):
        s2sgrad.jit(functions.euler)


def test_a_bool_argument_runs_as_python():
    # NumPy computes np.sin(True) in float16, numba in float32
    g = s2sgrad.grad(functions.sines)
    grad, messages = _run(s2sgrad.jit(g), True, 3)
    assert grad == g(True, 3)
    assert messages and "bool argument" in messages[0]


def test_a_nested_function_is_refused_by_name():
    g = s2sgrad.grad(functions.with_nested_def)
    grad, messages = _run(s2sgrad.jit(g), 1.5)
    assert grad == g(1.5)
    assert messages and "the function `inner` defined inside the function" in messages[0]
