"""The scipy.stats distributions beside the first ones: heavy-tailed and positive families (cauchy, lognorm,
weibull_min), uniform and truncnorm, survival functions, and the binomial and negative binomial
likelihoods in their continuous parameters, in user code in both modes; a count parameter is refused."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

scipy = pytest.importorskip("scipy")
import scipy.stats as st  # noqa: E402
from scipy.stats import binom, nbinom  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402

POSITIVE = np.array([0.4, 1.3, 2.2, 0.9])
COUNTS = np.array([0, 3, 5, 2])


def positive_families(loc, log_scale, shape):
    scale = np.exp(log_scale)
    total = np.sum(st.lognorm.logpdf(POSITIVE, shape, loc, scale) + st.weibull_min.logpdf(POSITIVE, shape, loc, scale))
    total = total + np.sum(st.lognorm.cdf(POSITIVE, 0.8, loc, scale) + st.weibull_min.logsf(POSITIVE, 1.7, loc, scale))
    return total + np.sum(st.cauchy.logpdf(POSITIVE, loc, scale) + st.cauchy.sf(POSITIVE, loc, scale))


def bounded_families(loc, scale, lower, upper):
    x = np.array([0.1, 0.5, 1.2])
    total = np.sum(st.truncnorm.logpdf(x, lower, upper, loc, scale) + st.truncnorm.cdf(x, -1.5, 2.0, loc, scale))
    total = total + np.sum(st.uniform.pdf(x, loc - 1, scale + 2) + st.uniform.logcdf(x, loc - 1, scale + 2))
    return total + np.sum(st.norm.logsf(x, loc, scale) + st.gamma.sf(x + 1, 2.5, loc, scale))


def count_likelihoods(p, n):
    total = np.sum(binom.logpmf(COUNTS, 6, p) + binom.cdf(COUNTS, 6, p) + binom.logsf(COUNTS, 6, p))
    return total + np.sum(nbinom.logpmf(COUNTS, n, p) + nbinom.pmf(COUNTS, n, p) + nbinom.logcdf(COUNTS, 2.5, p))


def test_positive_and_heavy_tailed_families_in_both_modes():
    check_both_modes(positive_families, -0.1, 0.2, 1.4, wrt=(0, 1, 2))


def test_truncated_uniform_and_survival_functions_in_both_modes():
    check_both_modes(bounded_families, 0.3, 1.4, -1.2, 2.5, wrt=(0, 1, 2, 3))


def test_binomial_and_negative_binomial_likelihoods_in_both_modes():
    check_both_modes(count_likelihoods, 0.35, 2.7, wrt=(0, 1))


def test_second_derivatives_through_densities_and_distribution_functions():
    def log_likelihood(p):
        mu, log_scale, df = p[0], p[1], p[2]
        total = st.t.logpdf(POSITIVE, df, mu, np.exp(log_scale)) + st.norm.logcdf(POSITIVE, mu, np.exp(log_scale))
        return np.sum(total + st.gamma.logpdf(POSITIVE + 2, df, mu) + st.weibull_min.logsf(POSITIVE + 2, 1.5, mu))

    p = np.array([0.1, 0.2, 3.0])
    gradient = s2sgrad.grad(log_likelihood)
    h = 1e-5
    numeric = np.stack([(gradient(p + h * e) - gradient(p - h * e)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(s2sgrad.hessian(log_likelihood)(p), numeric, rtol=1e-6, atol=1e-7)


def test_second_derivatives_through_count_distributions():
    def log_likelihood(q):
        p, n, mu = q[0], q[1], q[2]
        total = binom.logpmf(COUNTS, 6, p) + binom.logsf(COUNTS, 6, p) + nbinom.logpmf(COUNTS, n, p)
        return np.sum(total + nbinom.cdf(COUNTS, 2.5, p) + st.poisson.logpmf(COUNTS, mu) + st.poisson.cdf(COUNTS, mu))

    q = np.array([0.35, 2.7, 1.8])
    gradient = s2sgrad.grad(log_likelihood)
    h = 1e-5
    numeric = np.stack([(gradient(q + h * e) - gradient(q - h * e)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(s2sgrad.hessian(log_likelihood)(q), numeric, rtol=1e-6, atol=1e-6)


def binomial_in_its_count(n, p):
    return binom.logpmf(2, n, p)


def test_the_binomial_count_is_refused_where_it_is_used():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="binom.logpmf` with respect to its parameter `n`") as info:
        s2sgrad.grad(binomial_in_its_count, wrt=(0, 1))(5.0, 0.3)
    assert "test_scipy_distributions.py" in str(info.value)
