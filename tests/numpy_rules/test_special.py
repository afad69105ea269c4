"""Rules whose behaviour is a choice (ties, kinks), errors, and the generated code's wording."""
import numpy as np
import pytest

import s2sgrad

from . import functions


def test_a_numpy_function_without_a_rule_names_itself_its_line_and_the_remedy():
    with pytest.raises(s2sgrad.NoDerivativeRuleError) as info:
        s2sgrad.grad(functions.uses_i0)
    message = str(info.value)
    line = functions.uses_i0.__code__.co_firstlineno + 2
    assert "np.i0" in message
    assert "functions.py" in message and f"line {line}" in message
    assert "np.sum(np.i0(y))" in message
    assert "defvjp" in message and "nondifferentiable" in message


def test_max_shares_the_adjoint_among_tied_maxima():
    g = s2sgrad.grad(functions.max_of)(np.array([1.0, 3.0, 3.0, 2.0]))
    np.testing.assert_array_equal(g, [0.0, 0.5, 0.5, 0.0])


def test_max_along_an_axis_shares_within_each_row():
    x = np.array([[2.0, 2.0, 1.0], [0.0, 5.0, 4.0]])
    np.testing.assert_array_equal(s2sgrad.grad(functions.max_over_rows)(x), [[0.5, 0.5, 0.0], [0.0, 2.0, 0.0]])


def test_maximum_gives_a_tie_to_its_first_argument():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0, 0.0])
    da, db = s2sgrad.grad(functions.maximum_of, wrt=(0, 1))(a, b)
    np.testing.assert_array_equal(da, [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(db, [0.0, 1.0, 0.0])


def test_a_pad_mode_that_is_not_a_copy_says_it_has_no_derivative():
    with pytest.raises(NotImplementedError, match="linear_ramp"):
        s2sgrad.grad(functions.pad_linear_ramp)(np.ones(3))


def test_generated_code_reads_like_the_derivation():
    source = s2sgrad.grad(functions.sine_weighted).source
    assert "np.cos(x)" in source
    assert "unreduce(dsine_weighted, t2)" in source


@pytest.mark.parametrize("x", [0.5, np.float32(0.5), np.array(0.5), np.array(0.5, dtype=np.float32)])
def test_scalars_and_0d_arrays_work(x):
    g = s2sgrad.grad(functions.sine_weighted)(x, 2.0)
    assert np.isclose(g, 2.0 * np.cos(0.5))
    assert np.ndim(g) == 0
    if np.result_type(x) == np.float32:
        assert np.result_type(g) == np.float32
