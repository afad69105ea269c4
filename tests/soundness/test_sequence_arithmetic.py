"""`+` and `*` on Python lists and tuples join and repeat them: their adjoints split and add up entries.

They once went through the arithmetic rules and gave silently wrong gradients (`[x] * 3` passed on
one copy's adjoint, `[x] + [y, x]` gave `x` the whole joined adjoint); forward mode failed on a
broadcast. A list beside an array is an array operand (`x * [2.0, 3.0]` multiplies). analysis/sequence_arithmetic.py gives them Python's own entries (runtime/sequences.py).
"""
import pytest

import s2sgrad
from tests.soundness import sequence_arithmetic_functions as functions

TWO_NUMBERS = [functions.repeated_list, functions.count_first, functions.repeated_pair, functions.repeated_tuple,
               functions.joined_lists, functions.joined_then_repeated, functions.joined_tuples,
               functions.extended_in_place, functions.self_joined, functions.nested_rows,
               functions.joined_helper_results, functions.helper_array_arithmetic,
               functions.helper_number_arithmetic, functions.array_times_list, functions.array_plus_list]
POINT = (1.3, 0.7)


def central_differences(f, args, i, h=1e-6):
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


@pytest.mark.parametrize("f", TWO_NUMBERS, ids=lambda f: f.__name__)
def test_reverse_mode_matches_central_differences(f):
    gradient = s2sgrad.grad(f, argnums=(0, 1))(*POINT)
    expected = [central_differences(f, POINT, i) for i in range(2)]
    assert [float(g) for g in gradient] == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("f", TWO_NUMBERS, ids=lambda f: f.__name__)
def test_forward_mode_matches_central_differences(f):
    for i, direction in enumerate([(1.0, 0.0), (0.0, 1.0)]):
        _, tangent = s2sgrad.jvp(f, POINT, direction)
        assert float(tangent) == pytest.approx(central_differences(f, POINT, i), rel=1e-6, abs=1e-9)


def test_list_parameters_join_and_repeat():
    grad = s2sgrad.grad(functions.joined_parameter, argnums=(0, 1))
    dxs, dy = grad([1.3, 0.4], 0.7)
    assert dxs == pytest.approx([0.7, 1.0]) and dy == pytest.approx(1.3)
    dxs, dy = s2sgrad.grad(functions.repeated_parameter, argnums=(0, 1))([1.3, 0.4], 0.7)
    assert dxs == pytest.approx([0.4 * 0.7, 1.3 * 0.7]) and dy == pytest.approx(1.3 * 0.4)
    _, tangent = s2sgrad.jvp(functions.repeated_parameter, ([1.3, 0.4], 0.7), ([0.0, 1.0], 0.0))
    assert tangent == pytest.approx(1.3 * 0.7)


def test_numbers_read_from_a_repeated_list_keep_textbook_adjoints():
    """Only the `*` that repeats the list gets the sequence entry; products of its numbers stay plain."""
    source = s2sgrad.grad(functions.repeated_list).source_for(*POINT)
    assert "dt1 = repetition_adjoint_left(ditems, t1, 3)" in source
    assert source.count("repetition_adjoint") == 1 and "dt3 = dt5 * t4" in source
    assert "unbroadcast" not in source


def test_reverse_over_reverse_through_a_helpers_result():
    """jacrev(grad(f)) through `helper(x) * x`: the helper's own analysis says its result is no list, so
    the arithmetic rules apply (the sequence entries' reverse slots are checked in tests/rules)."""
    import numpy as np
    x = np.array([0.3, -0.7, 0.9])
    f = functions.helper_product_and_sum
    np.testing.assert_allclose(s2sgrad.jacrev(s2sgrad.grad(f))(x), s2sgrad.hessian(f)(x), rtol=1e-10, atol=1e-12)


def test_arithmetic_on_a_helpers_array_result_keeps_the_arithmetic_rules():
    import numpy as np
    source = s2sgrad.grad(functions.helper_product_and_sum).source_for(np.array([0.3, -0.7, 0.9]))
    assert "concatenation_part" not in source and "repetition_adjoint" not in source
    source = s2sgrad.grad(functions.joined_helper_results).source_for(*POINT)
    assert "concatenation_part" in source          # _pair returns a list: joined, not added
