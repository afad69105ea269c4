"""Minimal reproducers of transformer bugs the random NumPy programs found: regression tests once fixed, strict
xfails while open (an XPASS means the fix landed: drop the xfail and the program from KNOWN_FAILING)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError, check_grad

from . import known_bug_functions as k

X = np.array([0.5, -1.2, 0.3])


def test_nested_def_control_case_passes():
    check_grad(k.nested_def_after_tanh, X)


def test_nested_def_capturing_a_parameter():
    check_grad(k.nested_def_after_cosh, X)


def test_two_loops_over_rows_of_different_lengths_sharing_the_name_row():
    A = np.linspace(-0.5, 0.6, 12).reshape(4, 3)
    B = np.linspace(-0.8, 0.8, 12).reshape(3, 4)
    check_grad(k.two_row_loops, A, B, wrt=(0, 1))


def test_write_of_the_array_into_itself():
    check_grad(k.write_itself, np.array([0.5]))


def test_repeated_integer_index_of_a_call_result():
    check_grad(k.repeated_index_of_call_result, X)


def test_augmented_write_into_an_array_after_taking_a_view_of_it():
    # the view sees the write; s2sgrad refuses rather than give the old values' gradient
    with pytest.raises(UnsupportedConstructError) as info:
        check_grad(k.view_then_scale, X)
    assert "may share memory with `y`" in str(info.value)


def test_prod_with_axis_of_a_scalar():
    check_grad(k.prod_with_axis_of_a_scalar, 0.7)


def test_third_derivative_of_a_stack_holding_the_input():
    # forward over forward over reverse wrote the zero second-order tangent of an input's tangent as the
    # number 0.0 in a list literal (`t2_dot_dot2 = [0.0, t1_dot_dot2]`): jvp took a tangent parameter it was
    # passed an array for as a number, by its default (found by test_forward_mode.py's third derivatives)
    x = np.array([-0.6, 0.9, 1.4])
    T = s2sgrad.jacfwd(s2sgrad.hessian(k.stack_of_the_input_and_its_square))(x)
    expected = np.zeros((3, 3, 3))
    expected[range(3), range(3), range(3)] = 24 * x
    np.testing.assert_allclose(T, expected, rtol=1e-10, atol=1e-12)
