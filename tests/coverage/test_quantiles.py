"""np.median, np.quantile, np.percentile and their nan- variants in users' functions, in both modes."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .both_modes import check_both_modes

RNG = np.random.default_rng(7)
ROWS = RNG.normal(size=(4, 5))
WITH_NANS = np.array([[0.4, np.nan, -1.3, 2.2, 0.9], [np.nan, 1.7, 0.1, -0.6, np.nan], [1.1, -0.2, 0.8, 0.3, -1.5]])


def median_of_all(x):
    return np.median(x) * np.sum(x)


def medians_along_axes(x):
    rows = np.median(x, axis=1)
    columns = np.median(x, axis=0, keepdims=True)
    return np.sum(rows ** 2) + np.sum(columns * x)


def quantiles_of_rows(x):
    spread = np.quantile(x, [0.1, 0.5, 0.9], axis=1)        # q's axis first: shape (3, 4)
    return np.sum(spread * np.array([[1.0], [-2.0], [0.5]])) + np.quantile(x, 0.75, axis=(0, 1))


def percentiles(x):
    return np.sum(np.percentile(x, [25.0, 90.0], axis=0, keepdims=True) ** 2)


def nan_quantiles(x):
    middle = np.nanmedian(x, axis=1)
    upper = np.nanquantile(x, [0.3, 0.8], axis=1)
    return np.sum(middle * np.array([1.0, -0.5, 2.0])) + np.sum(upper ** 2) + np.nanpercentile(x, 60.0)


def median_squared(x):
    return np.median(x * x) ** 2 + np.quantile(x, 0.25) * np.sum(x)


def nearest_quantile(x):
    return np.quantile(x, 0.3, method="nearest")


def test_median_of_odd_length_takes_the_middle_element():
    x = np.array([3.0, -1.0, 2.0, 5.0, 0.5])
    expected = np.zeros(5)
    expected[2] = 1.0                                       # 2.0 is the middle of the sorted values
    np.testing.assert_allclose(s2sgrad.grad(lambda v: np.median(v))(x), expected)


def test_median_of_even_length_shares_between_the_two_middle_elements():
    x = np.array([3.0, -1.0, 2.0, 5.0])
    np.testing.assert_allclose(s2sgrad.grad(lambda v: np.median(v))(x), [0.5, 0.0, 0.5, 0.0])


def test_quantile_weights_follow_linear_interpolation():
    x = np.array([4.0, 0.0, 1.0, 3.0, 2.0])                # position 0.3 * 4 = 1.2: 0.8 on 1.0, 0.2 on 2.0
    np.testing.assert_allclose(s2sgrad.grad(lambda v: np.quantile(v, 0.3))(x), [0.0, 0.0, 0.8, 0.0, 0.2])
    np.testing.assert_allclose(s2sgrad.grad(lambda v: np.percentile(v, 30.0))(x), [0.0, 0.0, 0.8, 0.0, 0.2])


@pytest.mark.parametrize("f", [median_of_all, medians_along_axes, quantiles_of_rows, percentiles])
def test_quantiles_in_both_modes(f):
    check_both_modes(f, ROWS)


def test_nan_variants_ignore_nans():
    grad = s2sgrad.grad(nan_quantiles)(WITH_NANS)
    assert np.all(grad[np.isnan(WITH_NANS)] == 0)
    assert np.all(np.isfinite(grad))
    filled = np.where(np.isnan(WITH_NANS), 0.0, WITH_NANS)

    def on_present(values):                     # the same function, with the NaNs put back
        return nan_quantiles(np.where(np.isnan(WITH_NANS), np.nan, values))

    numeric = np.zeros_like(filled)
    for index in zip(*np.nonzero(~np.isnan(WITH_NANS))):
        step = np.zeros_like(filled)
        step[index] = 1e-6
        numeric[index] = (on_present(filled + step) - on_present(filled - step)) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
    value, tangent = s2sgrad.jvp(nan_quantiles, (WITH_NANS,), (np.ones_like(WITH_NANS),))
    np.testing.assert_allclose(tangent, np.sum(numeric), rtol=1e-6)


def test_hessian_through_a_median():
    x = np.array([0.7, -1.2, 1.9, 0.3, -0.4, 1.1])
    hessian = s2sgrad.hessian(median_squared)(x)
    h = 1e-5
    gradient = s2sgrad.grad(median_squared)
    numeric = np.stack([(gradient(x + h * e) - gradient(x - h * e)) / (2 * h) for e in np.eye(6)], axis=1)
    np.testing.assert_allclose(hessian, numeric, rtol=1e-6, atol=1e-6)
    assert np.any(hessian != 0)
    np.testing.assert_allclose(s2sgrad.jacrev(gradient)(x), hessian, atol=1e-12)    # reverse over reverse


def test_another_method_is_refused_naming_it():
    with pytest.raises(s2sgrad.S2SGradError, match="method='nearest'") as raised:
        s2sgrad.grad(nearest_quantile)(ROWS)
    assert "test_quantiles.py" in str(raised.value)
    with pytest.raises(s2sgrad.S2SGradError, match="method='nearest'"):
        s2sgrad.jvp(nearest_quantile, (ROWS,), (np.ones_like(ROWS),))


def old_interpolation_keyword(x):
    return np.quantile(x, 0.3, interpolation="linear")


def test_keywords_outside_the_rule_are_refused_where_they_are_written():
    with pytest.raises(s2sgrad.S2SGradError, match="unexpected keyword argument 'interpolation'") as raised:
        s2sgrad.grad(old_interpolation_keyword)(ROWS)
    message = str(raised.value)
    assert "method='linear', keepdims=False)" in message and "gast" not in message     # the rule's own text
    assert "test_quantiles.py" in message
