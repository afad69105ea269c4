"""Minimal reproducers of transformer bugs the random NumPy programs found and now steer around.

Strict xfails: when one starts passing (XPASS), switch its Features flag back on in
test_random_numpy_programs.py and delete the reproducer.
"""
import numpy as np
import pytest

from s2sgrad import check_grad

from . import known_bug_functions as k

X = np.array([0.5, -1.2, 0.3])


def test_nested_def_control_case_passes():
    check_grad(k.nested_def_after_tanh, X)


@pytest.mark.xfail(strict=True, reason="the captured B's adjoint t = sum(cosh(B)) is lost: dB = sinh(B) * sum(B) "
                                       "only; then set nested_defs=True")
def test_nested_def_capturing_a_parameter():
    check_grad(k.nested_def_after_cosh, X)


@pytest.mark.xfail(strict=True, raises=ValueError,
                   reason="drow carried from the second loop's reverse into the first: shapes (4,) vs (3,); "
                          "then set reuse_row_name=True")
def test_two_loops_over_rows_of_different_lengths_sharing_the_name_row():
    A = np.linspace(-0.5, 0.6, 12).reshape(4, 3)
    B = np.linspace(-0.8, 0.8, 12).reshape(3, 4)
    check_grad(k.two_row_loops, A, B, wrt=(0, 1))


@pytest.mark.xfail(strict=True, reason="y[0:1] = y gives a zero gradient; then set write_itself=True")
def test_write_of_the_array_into_itself():
    check_grad(k.write_itself, np.array([0.5]))


@pytest.mark.xfail(strict=True, reason="dv[t1] = add_adjoints(dv[t1], dt2) drops repeated indices (half the "
                                       "gradient); then set int_index_repeats=True")
def test_repeated_integer_index_of_a_call_result():
    check_grad(k.repeated_index_of_call_result, X)


@pytest.mark.xfail(strict=True, reason="v's gradient ignores the later `y[1] *= 0.5` through the view "
                                       "(dx[1] = -1.2 instead of -0.6); `y[1] = 0.0` is handled; "
                                       "then set write_after_views=True")
def test_augmented_write_into_an_array_after_taking_a_view_of_it():
    check_grad(k.view_then_scale, X)


@pytest.mark.xfail(strict=True, raises=ZeroDivisionError,
                   reason="product_of_others raises 'integer modulo by zero' (the generator avoids axis= on 0-d)")
def test_prod_with_axis_of_a_scalar():
    check_grad(k.prod_with_axis_of_a_scalar, 0.7)
