"""Reductions with a mask (`where=`) or a starting value (`initial=`), in both modes and under hessian:
masked-out elements get no derivative, `initial` gets the derivative of the results it decides."""
import numpy as np
import pytest

from tests.coverage.both_modes import check_both_modes
from tests.coverage.second_order import check_hessian

RNG = np.random.default_rng(3)
X = RNG.uniform(0.5, 2.0, (3, 4))
MASK = np.array([[True, False, True, False], [True, True, False, False], [False, True, True, False]])
ROW_MASK = np.array([True, False, True, True])


def masked_sum(x):
    return np.sum(np.sin(np.sum(x ** 2, axis=0, where=MASK)))


def masked_sum_with_initial(x, start):
    return np.sum(np.sum(x, axis=1, where=ROW_MASK, initial=start) ** 2)


def masked_mean_method(x):
    return np.sum(np.exp(x.mean(axis=1, keepdims=True, where=ROW_MASK)) * x)


def product_with_initial(x, start):
    return np.sum(np.prod(x, axis=1, initial=start, where=ROW_MASK) ** 2)


def maximum_with_initial(x, start):
    # column 3 takes nothing from the mask: its maximum is `start`
    return np.sum(np.max(x * x, axis=0, initial=start, where=MASK) ** 2)


def minimum_method_with_initial(x, start):
    return np.sum(np.cos(x.min(axis=1, initial=start)))


def nanmax_with_initial(x, start):
    return np.sum(np.nanmax(np.where(MASK, x, np.nan), axis=1, initial=start) ** 2)


@pytest.mark.parametrize("f, args, wrt", [
    (masked_sum, (X,), (0,)),
    (masked_sum_with_initial, (X, 0.4), (0, 1)),
    (masked_mean_method, (X,), (0,)),
    (product_with_initial, (X, 0.7), (0, 1)),
    (maximum_with_initial, (X, 1.9), (0, 1)),
    (minimum_method_with_initial, (X, 0.8), (0, 1)),
    (nanmax_with_initial, (X, 1.2), (0, 1)),
])
def test_reduction_keywords_in_both_modes(f, args, wrt):
    check_both_modes(f, *args, wrt=wrt)


@pytest.mark.parametrize("f", [masked_sum, masked_mean_method])
def test_hessians_of_masked_reductions(f):
    check_hessian(f, X)


@pytest.mark.parametrize("f, start", [(masked_sum_with_initial, 0.4), (product_with_initial, 0.7),
                                      (maximum_with_initial, 1.9), (nanmax_with_initial, 1.2)])
def test_hessians_in_the_array_and_the_starting_value(f, start):
    check_hessian(lambda x: f(x, start), X)
    check_hessian(lambda s: f(X, s), start)


def masked_variance(x):
    return np.sum(np.sin(np.var(x, axis=1, ddof=1, where=ROW_MASK)))


def masked_deviation_method(x):
    # column 3 takes one element: its deviation is 0 whatever it is, and so is its derivative
    return np.sum(x.std(axis=0, keepdims=True, where=MASK | np.array([[False, False, False, True]]
                                                                       + [[False] * 4] * 2)) * x)


@pytest.mark.parametrize("f", [masked_variance, masked_deviation_method])
def test_masked_variances(f):
    check_both_modes(f, X)
    check_hessian(f, X, rtol=1e-4, atol=1e-5)


NAN_AT = np.array([[False, True, False, False], [False] * 4, [True, False, False, False]])
TAKEN = np.array([[True, True, False, True], [True, False, True, True], [True, True, True, False]])


def masked_nansum(x, start):
    return np.sum(np.nansum(np.where(NAN_AT, np.nan, x), axis=0, where=TAKEN, initial=start) ** 2)


def masked_nanmean(x):
    return np.sum(np.sin(np.nanmean(np.where(NAN_AT, np.nan, x), axis=1, keepdims=True, where=TAKEN)))


@pytest.mark.parametrize("f, args, wrt", [(masked_nansum, (X, 0.3), (0, 1)), (masked_nanmean, (X,), (0,))])
def test_masked_nan_reductions(f, args, wrt):
    check_both_modes(f, *args, wrt=wrt)
    check_hessian(lambda x: f(x, *args[1:]), X)


def corrected_variance(x):
    return np.sum(np.var(x, axis=0, correction=1)) + np.sum(np.std(x, axis=1, correction=1.5, where=ROW_MASK) ** 3)


def test_correction_is_ddof():
    check_both_modes(corrected_variance, X)
    check_hessian(corrected_variance, X, rtol=1e-4, atol=1e-5)
