"""math.gamma and math.lgamma: their slope digamma (and polygamma, for higher derivatives) is pure Python, so
they differentiate without SciPy; checked against known values, SciPy where installed, and central differences."""
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.runtime.gamma_derivatives import digamma, polygamma
from tests.coverage.both_modes import check_both_modes
from tests.coverage.second_order import check_hessian

EULER = 0.5772156649015329
APERY = 1.2020569031595942          # zeta(3)


def test_known_values():
    assert abs(digamma(1.0) + EULER) < 1e-14
    assert abs(digamma(0.5) + EULER + 2 * math.log(2)) < 1e-14
    assert abs(polygamma(1, 1.0) - math.pi ** 2 / 6) < 1e-14
    assert abs(polygamma(2, 1.0) + 2 * APERY) < 1e-13
    assert abs(polygamma(1, 0.5) - math.pi ** 2 / 2) < 1e-13
    # the recurrence psi(x + 1) = psi(x) + 1 / x, on either side of 0
    for x in (-3.3, -0.7, 0.2, 2.9, 40.5):
        assert abs(digamma(x + 1) - digamma(x) - 1 / x) < 1e-12 * max(1.0, abs(digamma(x)))
    assert math.isnan(digamma(-2.0))


def test_against_scipy():
    special = pytest.importorskip("scipy.special")
    for x in np.concatenate([np.linspace(-7.9, 30.0, 157), [1e-3, 150.0, 1e4]]):
        for n in range(4):
            want = special.digamma(x) if n == 0 else special.polygamma(n, x)
            assert abs(polygamma(n, x) - want) <= 1e-12 * max(1.0, abs(want)), (n, x)


def gamma_of_a_product(a, b):
    return math.gamma(a * b) + math.lgamma(a + b)


def lgamma_of_a_negative(x):
    return math.lgamma(x - 3.0) * x


@pytest.mark.parametrize("f, args", [(gamma_of_a_product, (1.3, 0.9)), (lgamma_of_a_negative, (1.4, ))])
def test_gamma_in_both_modes(f, args):
    check_both_modes(f, *args, wrt=tuple(range(len(args))))


@pytest.mark.parametrize("f, x", [(math.gamma, 2.3), (math.lgamma, 0.6), (lambda x: math.gamma(x) * x, -1.6)])
def test_hessians_and_third_derivatives(f, x):
    check_hessian(lambda v: f(v), x)
    third = s2sgrad.grad(s2sgrad.grad(s2sgrad.grad(lambda v: f(v))))
    second = s2sgrad.grad(s2sgrad.grad(lambda v: f(v)))
    h = 1e-4
    np.testing.assert_allclose(third(x), (second(x + h) - second(x - h)) / (2 * h), rtol=1e-6)
