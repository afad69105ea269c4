"""Python lists holding arrays (and numbers) handed to NumPy functions, as users write them: each works in
every mode, or, where NumPy itself refuses the list (ragged rows), fails with NumPy's error and the user's
line, not an error from inside s2sgrad."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .all_modes import all_modes

X = np.array([0.3, 1.2, -0.7])


def mean_of_rows(x):
    return np.sum(np.mean([x, 2 * x], axis=0) ** 2)


def max_of_a_list(x):
    return np.max([x, x * x]) + np.min([x[0], x[1] * 2.0, 3.0])


def concatenate_with_numbers(x):
    return np.sum(np.concatenate([x, [x[0] * 2.0, 3.0]]) ** 2)


def stacked(x):
    rows = []
    for i in range(3):
        rows.append(x * (i + 1.0))
    return np.sum(np.max(rows, axis=0)) + np.sum(np.vstack(rows) ** 2) + np.sum(np.stack(rows, axis=1)[0])


def array_of_rows_and_numbers(x):
    m = np.array([[x[0], 2 * x[1]], [x[2], 1.0]])
    return np.sum(np.array([x, x * x]) ** 2) + np.sum(m @ m)


def tuples_and_mixed(x):
    pair = (x, x * x[0])
    return np.sum(np.hstack([x, x[0], [1.0]]) ** 2) + np.sum(np.min(pair, axis=1)) + np.linalg.norm([x[0], x[1]])


def elementwise_of_lists(x):
    return np.sum(np.exp([x[0], x[1]])) + np.sum(np.maximum([x[0], x[1], 0.5], x)) + np.sum(np.sin([x, x * x]))


def array_and_number(x):
    return np.sum(np.array([x, x[0]]))


def ragged_mean(x):
    return np.mean([x, x[:2]])


@pytest.mark.parametrize("f", [mean_of_rows, max_of_a_list, concatenate_with_numbers, stacked,
                               array_of_rows_and_numbers, tuples_and_mixed, elementwise_of_lists])
def test_lists_of_arrays_in_every_mode(f):
    all_modes(f, X)


def test_a_list_of_arrays_as_the_argument():
    def mean_and_max(xs):
        return np.sum(np.mean(xs, axis=0) ** 2) + np.max(xs)

    a, b = np.array([0.3, 1.2]), np.array([2.0, -1.0])
    da, db = s2sgrad.grad(mean_and_max)([a, b])
    np.testing.assert_allclose(da, [1.15, 0.1])
    np.testing.assert_allclose(db, [2.15, 0.1])


@pytest.mark.parametrize("f", [array_and_number, ragged_mean])
def test_ragged_lists_fail_as_numpy_does_at_the_users_line(f):
    with pytest.raises(ValueError, match="inhomogeneous"):
        f(X)
    with pytest.raises(ValueError, match="inhomogeneous") as error:
        s2sgrad.grad(f)(X)
    if hasattr(error.value, "__notes__"):               # Python 3.11+: the user's line as a note
        assert f"line {f.__code__.co_firstlineno + 1}" in "".join(error.value.__notes__)
