"""The adjoints of selections (np.maximum, np.minimum, np.fmax, np.fmin, np.clip) give 0 to what was not
selected even where the incoming adjoint is infinite: sqrt(max(v, 0)) (full truncation in a Heston
scheme) has gradient 0 where v < 0, not inf * 0 = nan."""
import warnings

import numpy as np
import pytest

import s2sgrad

from ..higher_order.differences import central


def truncated_sqrt(v):
    vp = np.maximum(v, 0.0)
    return np.sum(np.sqrt(vp) * 2 + vp)


def truncated_sqrt_min(v):
    return np.sum(np.sqrt(-np.minimum(v, 0.0)))


def truncated_sqrt_fmax(v):
    return np.sum(np.sqrt(np.fmax(0.0, v)) + np.sqrt(-np.fmin(v, 0.0)))


def clipped_sqrt(v):
    return np.sum(np.sqrt(np.clip(v, 0.0, 9.0)) * v)


def clipped_sqrt_method(v):
    return np.sum(np.log(v.clip(1e-300, None) * 0.0 + 1.0) + np.sqrt(np.clip(v, 0.0, None)))


V = np.array([-1.0, -0.25, 0.5, 4.0, 12.0])


@pytest.mark.parametrize("f", [truncated_sqrt, truncated_sqrt_min, truncated_sqrt_fmax, clipped_sqrt,
                               clipped_sqrt_method])
def test_no_nan_where_the_selection_drops_an_infinite_adjoint(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # sqrt's adjoint at 0 is inf before the selection
        g = s2sgrad.grad(f)(V)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, central(f, V), rtol=1e-5, atol=1e-7)


def test_numbers_stay_numbers_and_float32_stays_float32():
    def f(a, b):
        return np.sqrt(np.maximum(a, b)) + np.minimum(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        da, db = s2sgrad.grad(f, wrt=("a", "b"))(2.0, 0.0)
    assert isinstance(da, float) and isinstance(db, float)
    assert da == pytest.approx(0.5 / np.sqrt(2.0)) and db == 1.0
    x = np.array([1.0, -2.0, 3.0], dtype=np.float32)
    g = s2sgrad.grad(lambda x: np.sum(np.maximum(x, 0.0) ** 2))(x)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [2.0, 0.0, 6.0])


def test_a_bound_of_clip_gets_nothing_where_it_does_not_clip():
    def f(hi):
        return np.sum(np.sqrt(np.clip(np.array([-1.0, 0.5, 3.0]), 0.0, hi)))
    hi = np.array([2.0, 2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = s2sgrad.grad(f)(hi)
    np.testing.assert_allclose(g, [0.0, 0.0, 0.5 / np.sqrt(2.0)])
    np.testing.assert_allclose(g, central(f, hi), atol=1e-7)


def test_hessian_through_the_selection_matches_central():
    def f(x):
        return np.sum(np.maximum(x, 0.0) ** 3 + np.clip(x, -1.0, 1.0) ** 2 * x)
    x = np.array([-2.0, -0.5, 0.3, 1.5])
    h = s2sgrad.hessian(f)(x)
    grad = s2sgrad.grad(f)
    numeric = np.stack([central(lambda x, i=i: grad(x)[i], x) for i in range(x.size)])
    np.testing.assert_allclose(h, numeric, rtol=1e-5, atol=1e-6)
