"""A helper (or the function itself) owns a list it builds by tuple unpacking (`p, q = [a, b], 3`) or
rebinds to a new list (`xs = list(xs)`) before growing it: the append is followed, not refused as a change
to a value outside the function. Growing the caller's list is still refused."""
from __future__ import annotations

import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .derivatives import both_modes


def unpacked(a):
    p, q = [a, 2 * a], 3
    p.append(a * a)
    return sum(p) * q


def calls_unpacked(x):
    return unpacked(x) + x


def copied_first(xs, a):
    xs = list(xs)
    xs.append(a)
    return sum(xs)


def calls_copied_first(x):
    return copied_first([x, 2.0], x * x)


def rebound_in_a_branch(xs, a):
    if a > 0:
        xs = [a]
    xs.append(a)
    return sum(xs)


def calls_rebound_in_a_branch(x):
    return rebound_in_a_branch([x], x * x)


def nested_unpacking(a):
    (p, r), q = ([a], [2 * a]), a
    p.append(q * r[0])
    return sum(p)


@pytest.mark.parametrize("f, expected", [
    (unpacked, 3 * (3 + 2 * 1.5)),
    (calls_unpacked, 3 * (3 + 2 * 1.5) + 1),
    (calls_copied_first, 1 + 2 * 1.5),
    (nested_unpacking, 1 + 4 * 1.5),
])
def test_lists_the_function_builds_grow_in_every_mode(f, expected):
    assert both_modes(f, 1.5) == pytest.approx(expected)


def test_a_list_rebound_on_one_path_only_is_still_the_callers():
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(calls_rebound_in_a_branch)(1.5)
    assert "`xs.append(...)`" in str(error.value)
    assert error.value.location.lineno == rebound_in_a_branch.__code__.co_firstlineno + 3
