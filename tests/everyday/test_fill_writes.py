"""`y.fill(v)` and `np.fill_diagonal(A, v)` on arrays the function made are element writes (`y[...] = v`,
`A[positions] = v`), followed in every mode; on the caller's array or a view they stay refused, and the
message for in-place methods names what is followed."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .all_modes import all_modes

X = np.array([0.3, 1.2, -0.7])
WEIGHTS = np.arange(15.0).reshape(5, 3)


def filled(x):
    y = np.empty(4)
    y.fill(x[0] * x[1])
    z = y[:3] * x
    return np.sum(z ** 2) + np.sum(y)


def diagonal_then_more_writes(x):
    a = np.ones((3, 3)) * x[2]
    np.fill_diagonal(a, x * 2.0)
    a[0, 1] = x[0] ** 2
    return np.sum(np.sin(a) * WEIGHTS[:3])


def wrapped_diagonal(x):
    a = np.zeros((5, 3)) + x[0]
    np.fill_diagonal(a, np.concatenate([x[1:], x[1:]]), wrap=True)
    return np.sum(np.cos(a) * WEIGHTS)


def cube_diagonal(x):
    a = np.zeros((2, 2, 2))
    np.fill_diagonal(a, val=x[0] * x[1])
    return np.sum(np.exp(a) * np.arange(8.0).reshape(2, 2, 2))


def fills_the_callers_array(x):
    x.fill(1.0)
    return np.sum(x)


def fills_a_view(x):
    a = np.zeros((3, 3))
    b = a[:2]
    np.fill_diagonal(b, x)
    return np.sum(a)


def diagonal_of_the_wrong_length(x):
    a = np.zeros((5, 3))
    np.fill_diagonal(a, x[:2], wrap=True)
    return np.sum(a)


def sorts_in_place(x):
    y = x * 2.0
    y.sort()
    return np.sum(y)


def partitions_in_place(x):
    y = x * 2.0
    y.partition(1)
    return np.sum(y)


@pytest.mark.parametrize("f", [filled, diagonal_then_more_writes, wrapped_diagonal, cube_diagonal])
def test_fills_in_every_mode(f):
    all_modes(f, X)


def test_the_fill_is_an_element_write_in_the_generated_code():
    source = s2sgrad.grad(filled).source_for(X)
    assert "y[...] = " in source
    assert "diagonal_positions(a, " in s2sgrad.grad(wrapped_diagonal).source_for(X)


@pytest.mark.parametrize("f, what", [
    (fills_the_callers_array, "`x.fill(...)`, which changes `x` in place: `x` is the caller's input array"),
    (fills_a_view, "`np.fill_diagonal(...)`, which changes `b` in place: `b` is an array that may share memory"),
])
def test_fills_of_arrays_the_function_does_not_own_are_refused(f, what):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(X.copy())
    assert what in str(error.value)
    assert error.value.location.lineno == f.__code__.co_firstlineno + (1 if f is fills_the_callers_array else 3)


def test_a_diagonal_value_numpy_would_repeat_stops_at_the_users_line():
    with pytest.raises(ValueError, match="np.fill_diagonal with 2 values for a diagonal of 4 elements") as error:
        s2sgrad.grad(diagonal_of_the_wrong_length)(X)
    if hasattr(error.value, "__notes__"):
        assert "np.fill_diagonal(a, x[:2], wrap=True)" in "".join(error.value.__notes__)


def test_the_refusal_of_other_in_place_methods_names_what_is_followed():
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(partitions_in_place)(X)
    message = str(error.value)
    assert "`y.partition(...)` used as a statement" in message and "besides list.append" not in message
    assert "y.fill, np.fill_diagonal" in message and "update, setdefault" in message


def test_an_arrays_sort_in_place_is_refused_with_the_pure_form():
    with pytest.raises(UnsupportedConstructError, match=r"`y = np.sort\(y\)`"):
        s2sgrad.grad(sorts_in_place)(X)
