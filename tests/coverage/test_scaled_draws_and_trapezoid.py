"""Draws scaled by a parameter (exponential(scale), gamma(shape, scale)): scale times a draw the generator
fixed, differentiated in the scale; the gamma shape is refused where the draw is made. And SciPy's trapezoid,
which has its own entry (its source has a `try`)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError
from tests.coverage.both_modes import check_both_modes
from tests.coverage.second_order import check_hessian

try:
    from scipy.integrate import trapezoid
except ImportError:             # SciPy is optional
    trapezoid = None


def exponential_waiting_times(rate):
    rng = np.random.default_rng(4)
    return np.sum(np.sin(rng.exponential(1.0 / rate, size=(2, 3))))


def legacy_exponential(scale):
    np.random.seed(2)
    return np.sum(np.random.exponential(scale, 3) ** 2)


def gamma_scales(scale):
    rng = np.random.default_rng(5)
    return np.sum(np.log(rng.gamma(np.array([1.5, 3.0]), scale, size=(4, 2))))


def gamma_shape_differentiated(shape):
    rng = np.random.default_rng(5)
    return np.sum(rng.gamma(shape, 2.0, size=3))


@pytest.mark.parametrize("f, x", [(exponential_waiting_times, np.array([0.5, 1.0, 2.0])),
                                  (legacy_exponential, 1.3), (gamma_scales, np.array([0.7, 1.2]))])
def test_scale_derivatives_in_both_modes(f, x):
    check_both_modes(f, x)
    check_hessian(f, x)


def test_the_gamma_shape_is_refused_where_the_draw_is_made():
    with pytest.raises(S2SGradError, match="shape") as info:
        s2sgrad.grad(gamma_shape_differentiated)(2.0)
    assert "gamma_shape_differentiated" in str(info.value) and "line" in str(info.value).lower()


def scipy_trapezoid(y, x):
    return trapezoid(y ** 2, x) + trapezoid(np.sin(y), dx=0.3)


def test_scipy_trapezoid_in_both_modes():
    if trapezoid is None:
        pytest.skip("SciPy is not installed")
    y, x = np.array([0.3, -0.5, 1.2, 0.8]), np.array([0.0, 0.4, 1.1, 1.5])
    check_both_modes(scipy_trapezoid, y, x, wrt=(0, 1))
    check_hessian(lambda v: scipy_trapezoid(v, x), y)
