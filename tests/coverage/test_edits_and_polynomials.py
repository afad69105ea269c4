"""np.insert, np.delete, np.ediff1d, np.vander and np.polyfit in both modes and under hessian, for each form of
their position argument (a number, a list, a slice, a mask), with and without `axis`."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError
from tests.coverage.both_modes import check_both_modes
from tests.coverage.second_order import check_hessian

RNG = np.random.default_rng(7)
V = RNG.uniform(0.5, 2.0, 6)
M = RNG.uniform(0.5, 2.0, (3, 4))


def insert_a_number(x):
    return np.sum(np.insert(x, 2, x[0] * 3.0) ** 2)


def insert_columns(m):
    return np.sum(np.sin(np.insert(m, [1, 3, 3], m[:, 0] * 2, axis=1)))


def insert_a_broadcast_row(m, v):
    return np.sum(np.cos(np.insert(m, slice(0, 3, 2), v, axis=0)) * np.arange(20.0).reshape(5, 4))


def delete_by_mask(m):
    return np.sum(np.sin(np.delete(m, np.array([True, False, True, False]), axis=1)) ** 2)


def delete_flat(x):
    return np.sum(np.exp(np.delete(x, [-1, 2, 2])))


def differences_with_ends(x, start):
    return np.sum(np.sin(np.ediff1d(x, to_begin=start, to_end=[x[1], 2.0])))


def vandermonde(x):
    return np.sum(np.sin(np.vander(x, 4, increasing=True)))


def fitted_curve(x, y):
    coefficients = np.polyfit(x, y, 2)
    return np.sum(np.polyval(coefficients, x) * y) + np.sum(coefficients ** 2)


def fitted_columns(y):
    return np.sum(np.sin(np.polyfit(np.linspace(0.0, 1.0, 6), y, 1)))


@pytest.mark.parametrize("f, args, wrt", [
    (insert_a_number, (V,), (0,)), (insert_columns, (M,), (0,)), (insert_a_broadcast_row, (M, 0.7), (0, 1)),
    (delete_by_mask, (M,), (0,)), (delete_flat, (V,), (0,)), (differences_with_ends, (V, 0.4), (0, 1)),
    (vandermonde, (V,), (0,)), (fitted_curve, (V, np.cos(V)), (0, 1)),
    (fitted_columns, (RNG.uniform(-1.0, 1.0, (6, 2)),), (0,)),
])
def test_in_both_modes(f, args, wrt):
    check_both_modes(f, *args, wrt=wrt)


@pytest.mark.parametrize("f, x", [(insert_columns, M), (delete_flat, V), (vandermonde, V),
                                  (lambda x: fitted_curve(x, np.cos(V)), V), (lambda y: fitted_curve(V, y), V)])
def test_hessians(f, x):
    check_hessian(f, x, rtol=1e-4, atol=1e-5)


def polyfit_with_weights(y):
    return np.sum(np.polyfit(np.arange(6.0), y, 2, w=np.ones(6)))


def test_polyfit_forms_without_a_rule_are_refused_where_called():
    with pytest.raises(S2SGradError, match="polyfit") as info:
        s2sgrad.grad(polyfit_with_weights)(V)
    assert "polyfit_with_weights" in str(info.value)
