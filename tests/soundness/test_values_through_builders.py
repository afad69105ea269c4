"""Functions that build, draw, count or convert arrays, and `and`/`or`, whose results still hold or
depend on the values passed in. Each was a silent 0 (the table called them non-differentiable, and
`x or 1.0` was one operation with no derivative); now each has its derivative or a located refusal."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from tests.coverage.both_modes import check_both_modes

X = np.array([0.3, -0.5, 0.8, 1.2])


def grids(x):
    a, b = np.meshgrid(x, x[:3] ** 2)
    return np.sum(a * b ** 2)


def grids_ij_sparse(x):
    a, b = np.meshgrid(x, np.sin(x), indexing="ij", sparse=True)
    return np.sum(np.exp(a) * b)


def stepped(x):
    t = np.arange(x[0], x[0] + 2.0, x[1] + 1.1)
    return np.sum(t ** 2)


def logarithmic(x):
    return np.sum(np.logspace(x[0], x[3], 4, base=2.0) * np.geomspace(x[3], x[3] + 3.0, 5)[:4])


def counts_weighted(x):
    return np.sum(np.bincount(np.array([0, 1, 1, 3]), weights=x) ** 2)


def step_with_value_at_zero(x):
    return np.sum(np.heaviside(np.array([0.0, 1.0, -1.0, 0.0]), x) * x)


def as_list(x):
    values = x.tolist()
    return values[0] * values[2] + sum(values)


def frequencies(x):
    return np.sum(np.fft.rfftfreq(6, d=x[1] ** 2 + 0.5) * x[0])


def or_value(x):
    y = x[0] or 1.0
    return y * 2 + (x[1] and x[2])


@pytest.mark.parametrize("f", [grids, grids_ij_sparse, stepped, logarithmic, counts_weighted,
                               step_with_value_at_zero, as_list, frequencies, or_value])
def test_derivatives_flow_through(f):
    check_both_modes(f, X)


def test_or_takes_the_derivative_of_the_operand_it_returns():
    def first_true(a, b):
        return (a or b) * 3.0
    assert s2sgrad.grad(first_true, wrt=(0, 1))(0.0, 2.0) == (0.0, 3.0)
    assert s2sgrad.grad(first_true, wrt=(0, 1))(1.5, 2.0) == (3.0, 0.0)


def drawn(x):
    rng = np.random.default_rng(0)
    return np.sum(rng.choice(x, size=3) ** 2)


def shuffled(x):
    return np.sum(np.random.permutation(x) * np.arange(4.0))


def distinct(x):
    return np.sum(np.unique(x) ** 2)


def binned(x):
    counts, edges = np.histogram(x, bins=3)
    return np.sum(edges ** 2)


def distinct_positions(x):
    _, idx = np.unique(s2sgrad.stop_gradient(x), return_index=True)
    return np.sum(x[idx] ** 2)


@pytest.mark.parametrize("f, what", [(drawn, "random choice"), (shuffled, "permutation"),
                                     (distinct, "np.unique"), (binned, "np.histogram")])
def test_values_chosen_without_a_trace_are_refused_in_both_modes(f, what):
    with pytest.raises(UnsupportedConstructError, match=what) as error:
        s2sgrad.grad(f)(X)
    assert f.__name__ in str(error.value)
    with pytest.raises(UnsupportedConstructError, match=what):
        s2sgrad.jvp(f, (X,), (np.ones(4),))


def test_the_hint_for_unique_works():
    check_both_modes(distinct_positions, X)
