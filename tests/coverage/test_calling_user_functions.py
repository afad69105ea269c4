"""np.piecewise and np.apply_along_axis call the user's functions: each piece or slice is differentiated through
them, in both modes. Their second derivatives, a function that reads a differentiated value, and lazy (Dask)
arrays are refused with an error naming the call."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import MissingArrayFunctionError, S2SGradError
from tests.coverage.both_modes import check_both_modes

RNG = np.random.default_rng(11)
X = RNG.uniform(0.2, 2.0, 7)
M = RNG.uniform(-1.0, 1.0, (3, 4))


def squared(t):
    return t ** 2


def lambdas_and_a_constant(x):
    return np.sum(np.sin(np.piecewise(x, [x < 0.7, x > 1.5], [lambda t: t ** 3, 2.0, squared])))


def overlapping_conditions(x):
    # a later condition overwrites an earlier one where both hold
    return np.sum(np.piecewise(x * 2.0, [x < 1.0, x > 0.5], [np.exp, lambda t: np.cos(t) * t]))


def extra_arguments(x):
    return np.sum(np.piecewise(x, [x < 1.0], [lambda t, k: k * t ** 2, lambda t, k: t / k], 3.0))


def row_norms(m):
    return np.sum(np.apply_along_axis(lambda row: np.sqrt(np.sum(row ** 2) + 1.0), 1, m))


def column_outer_products(m):
    return np.sum(np.sin(np.apply_along_axis(lambda col: np.outer(col, col[:2]), 0, m)))


@pytest.mark.parametrize("f, x", [(lambdas_and_a_constant, X), (overlapping_conditions, X), (extra_arguments, X),
                                  (row_norms, M), (column_outer_products, M)])
def test_in_both_modes(f, x):
    check_both_modes(f, x)


def reads_a_differentiated_value(x, scale):
    return np.sum(np.piecewise(x, [x < 1.0], [lambda t: t * scale, squared]))


def test_a_function_reading_a_differentiated_value_is_refused():
    with pytest.raises(S2SGradError) as info:
        s2sgrad.grad(reads_a_differentiated_value, wrt=1)(X, 2.0)
    assert "reads_a_differentiated_value" in str(info.value)


def test_second_derivatives_are_refused_with_a_hint():
    with pytest.raises(S2SGradError, match="second derivative through np.piecewise") as info:
        s2sgrad.hessian(lambdas_and_a_constant)(X)
    assert "np.where" in str(info.value)


def test_lazy_arrays_are_refused_by_name():
    da = pytest.importorskip("dask.array")
    with pytest.raises(MissingArrayFunctionError, match="numpy.apply_along_axis"):
        s2sgrad.grad(row_norms)(da.from_array(M, chunks=2))
