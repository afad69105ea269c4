"""`*` spreads into calls that have rules and into displays: a tuple or list the function builds with a
display is written out element by element (behind a check of its length); one of another length spreads
whole into a rule's own `*args` parameter, becomes a concatenation inside a display, and is refused with a
located error anywhere else."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from tests.coverage.both_modes import check_both_modes
from tests.coverage.second_order import check_hessian

M = np.random.default_rng(13).uniform(0.5, 2.0, (3, 4))


def reshape_by_a_shape(m):
    shape = (4, 3)
    return np.sum(np.sin(m.reshape(*shape)) @ np.arange(3.0))


def power_of_a_pair(m):
    args = (m, 2.5)
    return np.sum(np.power(*args))


def stack_rows_and_more(m):
    rows = [m[0], m[1] * 2.0]
    return np.sum(np.sin(np.stack([m[2], *rows, *(m[0] ** 2,)])))


def stack_a_comprehension(m):
    rows = [r * 2.0 for r in m]
    return np.sum(np.cos(np.stack([*rows, m[0]])))


def meshgrid_of_a_comprehension(m):
    axes = [r[:2] * 1.5 for r in m]
    x, y, z = np.meshgrid(*axes)
    return np.sum(np.sin(x * y + z))


def scaled(a, b):
    return a * b


def spread_into_a_helper(m):
    args = (m[0], m[1])
    return np.sum(scaled(*args))


def spread_a_list_that_grew(m):
    rows = [m[0]]
    rows.append(m[1] * 3.0)
    widths = [r for r in m[2]]
    return np.sum(np.sin(np.stack([*rows, m[2]]))) + np.sum(np.stack([*widths]) ** 2)


def tuple_of_spreads(m):
    parts = (m[0], m[1])
    t = (*parts, m[2])
    return np.sum(t[2] * t[0])


@pytest.mark.parametrize("f", [reshape_by_a_shape, power_of_a_pair, stack_rows_and_more, stack_a_comprehension,
                               meshgrid_of_a_comprehension, spread_into_a_helper, spread_a_list_that_grew,
                               tuple_of_spreads])
def test_spreads_in_both_modes(f):
    check_both_modes(f, M)


@pytest.mark.parametrize("f", [power_of_a_pair, stack_rows_and_more, meshgrid_of_a_comprehension])
def test_hessians_through_spreads(f):
    check_hessian(f, M, rtol=1e-4, atol=1e-5)


def reshape_by_a_parameter(m, shape):
    return np.sum(np.sin(m.reshape(*shape)))


def test_a_spread_of_unknown_length_fills_a_rules_own_star_parameter():
    gradient = s2sgrad.grad(reshape_by_a_parameter)(M, (2, 6))
    np.testing.assert_allclose(gradient, np.cos(M))


def power_of_a_comprehension(m):
    args = [r for r in m[:2]]
    return np.sum(np.power(*args))


def test_a_spread_of_unknown_length_elsewhere_is_refused_where_made():
    with pytest.raises(UnsupportedConstructError, match="cannot tell") as info:
        s2sgrad.grad(power_of_a_comprehension)(M)
    assert "power_of_a_comprehension" in str(info.value)
