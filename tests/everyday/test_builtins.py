"""Builtin reductions over lists and arrays: gradients against central differences, ties as Python
breaks them, and values against the plain function."""
import numpy as np
import pytest

from s2sgrad import grad

from . import builtin_functions as b
from .helpers import checked

A = np.array([0.5, -1.5, 2.0, 0.25])


@pytest.mark.parametrize("f, args, wrt", [
    (b.total_of_list, (1.5, 2.0), (0, 1)),
    (b.total_with_start, (1.5, 2.0), (0, 1)),
    (b.total_of_array, (A,), 0),
    (b.total_of_rows, (np.arange(6.0).reshape(3, 2) / 5.0,), 0),
    (b.total_of_arrays, (A, A[::-1].copy()), (0, 1)),
    (b.largest_of_list, (1.5, 2.0), (0, 1)),
    (b.largest_of_list, (3.0, 0.5), (0, 1)),
    (b.smallest_of_array, (A,), 0),
    (b.largest_of_three, (1.5, 2.0, -0.5), (0, 1, 2)),
    (b.largest_of_three, (0.5, 2.0, -1.8), (0, 1, 2)),
    (b.largest_by_key, (1.5, 0.5), (0, 1)),
    (b.largest_by_key, (0.5, 1.5), (0, 1)),
    (b.largest_or_default, (1.5, [2.0, -1.0, 3.0]), 0),
    (b.largest_or_default, (1.5, [-2.0, -1.0]), 0),
    (b.spread, (A,), 0),
    (b.sorted_weights, (1.5, -2.0, 0.5), (0, 1, 2)),
    (b.sorted_descending_array, (A,), 0),
    (b.sorted_by_key, (1.5, -0.5), (0, 1)),
    (b.sorted_used_twice, (1.5, -0.5), (0, 1)),
])
def test_gradient_matches_central_differences(f, args, wrt):
    checked(f, *args, wrt=wrt)


def test_max_tie_goes_to_the_first_element_as_in_python():
    # central differences cannot see a kink; Python returns x, so the adjoint goes to x
    assert grad(b.largest_tie, wrt=(0, 1))(2.0, 2.0) == (10.0, 1.0)


def test_sorted_tie_keeps_the_original_order():
    # sorted is stable: with x == y, s[0] is y (listed first) and s[1] is x
    dx, dy, dz = grad(b.sorted_weights, wrt=(0, 1, 2))(1.0, 1.0, 2.0)
    assert (dx, dy, dz) == (1.0, 2.0, 12.0)


def test_min_of_an_array_returns_a_gradient_shaped_like_it():
    g = grad(b.smallest_of_array)(A)
    assert isinstance(g, np.ndarray) and g.shape == A.shape
    np.testing.assert_array_equal(g, [0.0, 3.0, 0.0, 0.0])
