"""The scipy.special functions a new user reaches for beyond the gamma family (Bessel functions of any
order, incomplete gamma and beta functions, the normal distribution's functions, entropies, Huber losses)
in user code, in both modes and to second order; what has no derivative here is refused where it is used."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

scipy = pytest.importorskip("scipy")
import scipy.special as sp  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402


ORDER = 1.5
SHAPES = np.array([0.8, 1.5, 2.5])      # the incomplete integrals' shape parameters: constants here


def bessel_terms(x):
    v = ORDER
    total = sp.iv(v, x) + sp.jv(v, x) + sp.yv(v, x) + sp.kv(v, x) + sp.kve(v, x) + sp.ive(v, x)
    total = total + sp.i0e(x) + sp.i1e(x) + sp.k0(x) + sp.k1(x) + sp.k0e(x) + sp.k1e(x) + sp.yn(2, x)
    return np.sum(total)


def probability_terms(x):
    """The lower and upper incomplete gamma functions, the incomplete beta function on x / 3, and normal tails."""
    a = SHAPES
    total = sp.gammainc(a, x) * sp.gammaincc(a, 2 * x) + sp.betainc(a, 2.5, x / 3) + sp.rgamma(x + a)
    total = total + sp.ndtr(x - a) + sp.log_ndtr(-3 * x) + sp.ndtri(sp.expit(x - 1)) + sp.erfcx(x)
    total = total + sp.log_expit(x - a) + sp.dawsn(x) + sp.exp1(x) + sp.expi(x) + sp.zeta(2.5, x)
    return np.sum(total)


def entropy_and_loss_terms(p, q, delta, residual):
    total = np.sum(sp.entr(p) + sp.rel_entr(p, q) + sp.kl_div(p, q))
    return total + np.sum(sp.huber(delta, residual) + sp.pseudo_huber(delta, residual))


def more_terms(x, lmbda):
    """Exponential integrals, Pochhammer's symbol, elliptic integrals, Owen's T and Box-Cox (lmbda may be 0)."""
    total = sp.expn(0, x) + sp.expn(2, x) + sp.spence(x) + sp.poch(x, 1.5) + sp.ellipk(x / 2) + sp.ellipe(x / 2)
    total = total + sp.owens_t(x, 0.7) + sp.sindg(30 * x) + sp.exp10(x / 3)
    return np.sum(total + sp.boxcox(x, lmbda) + sp.boxcox1p(x, lmbda) + sp.inv_boxcox(x, lmbda))


X = np.array([0.6, 1.1, 1.7])


def test_bessel_functions_of_any_order_in_both_modes():
    check_both_modes(bessel_terms, X)


def test_incomplete_integrals_and_normal_functions_in_both_modes():
    check_both_modes(probability_terms, X)


def test_entropies_and_huber_losses_in_both_modes():
    # residuals on both sides of delta: Huber's two pieces
    args = (np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.4, 0.2]), 0.8, np.array([-1.5, 0.3, 0.7, 2.0]))
    check_both_modes(entropy_and_loss_terms, *args, wrt=(0, 1, 2, 3))


def test_exponential_elliptic_and_box_cox_in_both_modes():
    check_both_modes(more_terms, X, 0.4, wrt=(0, 1))
    check_both_modes(more_terms, X, 0.0, wrt=(0, 1))      # Box-Cox's limit at lmbda = 0


def test_second_derivatives_go_through_the_slopes_own_entries():
    def total(x):
        return np.sum(sp.jv(1.5, x) + sp.gammainc(2.0, x) + sp.log_ndtr(x) + sp.digamma(x) + sp.polygamma(1, x)
                      + sp.k1e(x))

    hessian = s2sgrad.hessian(total)(X)
    gradient = s2sgrad.grad(total)
    h = 1e-5
    numeric = np.stack([(gradient(X + h * e) - gradient(X - h * e)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(hessian, numeric, rtol=1e-6, atol=1e-7)


def gammainc_in_a(a, x):
    return sp.gammainc(a, x)


def betainc_in_b(b, x):
    return sp.betainc(1.5, b, x)


def test_incomplete_integrals_in_their_shape_parameters_are_refused_where_called():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="gammainc` with respect to its parameter `a`") as info:
        s2sgrad.grad(gammainc_in_a)(1.5, 0.7)
    assert "test_scipy_special_functions.py" in str(info.value)
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="betainc` with respect to its parameter `b`"):
        s2sgrad.grad(betainc_in_b)(2.0, 0.3)
    assert s2sgrad.grad(gammainc_in_a, wrt=1)(1.5, 0.7) == pytest.approx(
        np.exp(0.5 * np.log(0.7) - 0.7 - sp.gammaln(1.5)))


def signed_gamma(x):
    return sp.gammasgn(x) * sp.gamma(np.abs(x))


def test_sign_valued_functions_are_piecewise_constant():
    x = np.array([-1.5, 0.7, 2.2])
    expected = np.sign(sp.gamma(x)) * sp.gamma(np.abs(x)) * sp.digamma(np.abs(x)) * np.sign(x)
    np.testing.assert_allclose(s2sgrad.grad(sum_signed_gamma)(x), expected, rtol=1e-10)


def sum_signed_gamma(x):
    return np.sum(signed_gamma(x))
