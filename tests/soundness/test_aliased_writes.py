"""A value that holds an array by reference (a list, tuple or dict built around it, a function's result)
sees a later in-place write into that array; reading it afterwards is refused, as for a view.

Each function here once gave a silently wrong gradient: the write was undone in the reverse sweep for
the array but not for the list, dict or result holding it (ssa/inplace.py tracked views only)."""
import numpy as np
import pytest

import s2sgrad
from tests.soundness import aliased_write_functions as functions

X = np.array([0.3, -0.7, 0.9, 1.4])


@pytest.mark.parametrize("f", [functions.held_by_list, functions.held_by_dict, functions.held_by_tuple,
                               functions.returned_by_a_helper, functions.returned_from_a_list_by_a_helper,
                               functions.appended, functions.repeated_list, functions.larger_of_two,
                               functions.shallow_copy_of_a_list],
                         ids=lambda f: f.__name__)
def test_reading_a_holder_after_the_write_is_refused_where_it_happens(f):
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="may share memory with `y`") as info:
        s2sgrad.grad(f)(X)
    assert "aliased_write_functions.py" in str(info.value)


@pytest.mark.parametrize("f", [functions.another_name_for_a_growing_list, functions.nested_list_grows],
                         ids=lambda f: f.__name__)
def test_reading_another_name_for_a_list_after_it_grew_is_refused(f):
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="may share memory with") as info:
        s2sgrad.grad(f)(X)
    assert "aliased_write_functions.py" in str(info.value)


def test_a_copy_stored_before_the_write_is_followed():
    def central(f, x, h=1e-6):
        return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])
    np.testing.assert_allclose(s2sgrad.grad(functions.stores_a_copy)(X), central(functions.stores_a_copy, X),
                               rtol=1e-6, atol=1e-8)


def test_elements_read_from_a_list_stay_readable_after_it_grows():
    # `t = xs[-1]` is an element, not the list: appending to xs changes neither (generated gradient code
    # records such elements on a tape while the list grows, and is differentiated again)
    def fibonacci_like(x):
        xs = [x[0], x[1]]
        for _ in range(3):
            last = xs[-1]
            xs.append(last * xs[-2])
        return xs[-1] + last
    x = np.array([0.3, -0.7])
    h = 1e-6
    expected = [(fibonacci_like(x + h * e) - fibonacci_like(x - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(s2sgrad.grad(fibonacci_like)(x), expected, rtol=1e-6)
