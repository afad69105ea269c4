"""In-place assignment: correct gradients for the overwritten array and the assigned value."""
import numpy as np
import pytest

from s2sgrad import UnsupportedConstructError, WrtError, check_grad, grad, value_and_grad

from . import inplace_functions as f

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("fn, args, wrt", [
    (f.fill_then_read, (0.5, np.array([1.0, 2.0])), (0, 1)),
    (f.fill_then_read, (-1.3, np.array([0.3, -2.0])), (0, 1)),
    (f.recurrence_in_place, (0.7,), 0),
    (f.masked_assignment, (np.array([0.2, 0.8, -0.4, 1.5]),), 0),
    (f.integer_array_index, (np.array([1.0, 2.0, 3.0]), 0.5), (0, 1)),
    (f.row_update, (RNG.normal(size=(3, 2)), np.array([0.5, -1.0])), (0, 1)),
    (f.in_place_in_branch, (np.array([0.5, 1.5, -2.0]), 1.0), 0),
    (f.in_place_in_branch, (np.array([0.5, 1.5, -2.0]), -1.0), 0),
])
def test_gradient_matches_central_differences(fn, args, wrt):
    check_grad(fn, *args, wrt=wrt)


def test_value_is_unchanged_and_arrays_are_restored():
    a = np.array([0.2, 0.8, -0.4, 1.5])
    before = a.copy()
    value, _ = value_and_grad(f.masked_assignment)(a)
    assert value == f.masked_assignment(a)
    assert np.array_equal(a, before)


def test_generated_code_saves_and_restores_the_overwritten_elements():
    source = grad(f.recurrence_in_place).source
    assert "copy_of(x[i])" in source          # forward: save (a copy in the array's own library)
    assert "x[i] = t" in source               # reverse: restore


@pytest.mark.parametrize("fn, words", [
    (f.mutates_input, "the caller's input array"),
    (f.mutates_alias, "may share memory"),
    (f.mutates_view, "may share memory"),
])
def test_mutating_what_may_be_the_callers_data_is_an_error(fn, words):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(fn)
    assert words in str(info.value)
    assert ".copy()" in str(info.value)


def test_integer_array_inputs_are_not_differentiated():
    g = grad(f.sum_of_squares)
    with pytest.raises(WrtError) as info:
        g(np.arange(3))
    assert "integer" in str(info.value) and "astype(float)" in str(info.value)
    assert np.allclose(g(np.arange(3.0)), [0.0, 2.0, 4.0])
