"""`x += v` on an array: Python changes the array in place, s2sgrad computes `x = x + v`, a new array, and
never changes the caller's. The two agree, and are followed in every mode, unless another name that shares
the array (`y = x`, a slice, a list holding it) is read after the update: that read is refused, at its line,
since Python's value would differ from the generated code's."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .all_modes import all_modes

X = np.array([0.5, 1.0, 2.0])


def updates_its_parameter(x):
    x += 1.0
    x *= x
    return np.sum(x * x)


def updates_in_a_loop(x):
    total = 0.0
    y = x * 2.0
    for i in range(3):
        y += x
        total = total + np.sum(y * y)
    return total


def reads_an_alias_taken_before(x):
    y = x * 1.0
    s = y.sum()
    y += 1.0
    return s + np.sum(y)


def new_array_each_iteration(x):
    history = []
    for i in range(3):
        x = x * 1.5
        x += 1.0
        history.append(x)
    return np.sum(history[0]) + np.sum(history[2])


def number_kept_before_the_update(x):
    previous = x
    x += 1.0
    return previous * x


def element_then_update(x):
    acc = x[0]
    acc += x[1]
    return acc * x[2] + np.sum(x)


def alias_read_after(x):
    y = x
    x += 1.0
    return np.sum(y * x)


def slice_read_after(x):
    v = x[:2]
    x += 1.0
    return np.sum(v * v)


def list_holds_the_array(x):
    z = x * 1.0
    history = []
    for i in range(3):
        z += 1.0
        history.append(z)
    return np.sum(history[0])


def alias_read_early_in_the_loop(x):
    y = x * 1.0
    z = y
    total = 0.0
    for i in range(2):
        total = total + np.sum(z)
        y *= 2.0
    return total


@pytest.mark.parametrize("f", [updates_its_parameter, updates_in_a_loop, reads_an_alias_taken_before,
                               new_array_each_iteration, element_then_update])
def test_updates_python_and_s2sgrad_agree_on_in_every_mode(f):
    all_modes(f, X.copy())


def test_the_callers_array_is_left_unchanged():
    x = X.copy()
    value, gradient = s2sgrad.value_and_grad(updates_its_parameter)(x)
    np.testing.assert_array_equal(x, X)
    assert value == pytest.approx(updates_its_parameter(X.copy()))


def test_a_number_kept_before_its_update_is_no_alias():
    assert s2sgrad.grad(number_kept_before_the_update)(0.5) == pytest.approx(2 * 0.5 + 1.0)


@pytest.mark.parametrize("f, name, line", [
    (alias_read_after, "y", 2), (slice_read_after, "v", 2), (list_holds_the_array, "history", 4),
    (alias_read_early_in_the_loop, "z", 6),
])
def test_reading_what_shares_the_updated_array_is_refused(f, name, line):
    line += f.__code__.co_firstlineno
    for differentiate in (lambda: s2sgrad.grad(f)(X.copy()), lambda: s2sgrad.jvp(f, (X.copy(),), (np.ones(3),))):
        with pytest.raises(UnsupportedConstructError) as error:
            differentiate()
        assert f"on line {line}`, which changes the ndarray" in str(error.value)
        assert f"while `{name}`, read afterwards, may hold the same ndarray" in str(error.value)


def test_the_same_code_with_numbers_runs_and_shows_its_check():
    g = s2sgrad.grad(alias_read_after)
    assert g(0.5) == pytest.approx(2 * 0.5 + 1.0)         # d/dx of x * (x + 1)
    line = alias_read_after.__code__.co_firstlineno + 2
    assert f"unshared_update(x, 'x += ... on line {line}', 'y', y)\n    x_1 = x + 1.0" in g.source_for(0.5)
