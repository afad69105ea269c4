"""scipy.stats distributions in user code, called as `norm.logpdf` after `from scipy.stats import norm` and as
`scipy.stats.t.logpdf`, checked in both modes."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

scipy = pytest.importorskip("scipy")
import scipy.stats  # noqa: E402
import scipy.stats as st  # noqa: E402
from scipy.stats import multivariate_normal, norm  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402

DATA = np.array([0.3, -1.2, 0.8, 2.1, -0.4])


def gaussian_log_likelihood(mu, log_sigma):
    return np.sum(norm.logpdf(DATA, mu, np.exp(log_sigma)))


def robust_log_likelihood(mu, df):
    return np.sum(scipy.stats.t.logpdf(DATA, df, loc=mu, scale=1.5))


def every_distribution(loc, scale, shape):
    x = np.array([0.2, 0.6, 1.4])
    total = np.sum(norm.pdf(x, loc, scale) + norm.cdf(x, loc, scale) + norm.logcdf(x, loc, scale))
    total = total + np.sum(st.logistic.logpdf(x, loc, scale) + st.logistic.cdf(x, loc, scale))
    total = total + np.sum(st.laplace.logpdf(x, loc, scale) + st.laplace.logcdf(x, loc, scale))
    total = total + np.sum(st.expon.logpdf(x + 2, loc, scale) + st.expon.cdf(x + 2, loc, scale))
    total = total + np.sum(st.gamma.logpdf(x, shape) + st.gamma.cdf(x, 2.0, scale=scale))
    total = total + np.sum(st.beta.logpdf(x / 2, shape, shape + 1) + st.chi2.logpdf(x, shape))
    total = total + np.sum(st.poisson.logpmf(np.array([0, 2, 3]), shape) + st.poisson.cdf(2, shape))
    total = total + st.dirichlet.logpdf(np.array([0.2, 0.3, 0.5]), np.array([shape, 1.0, 2.0]))
    return total


def mvn_log_likelihood(mean, cov_factor):
    cov = cov_factor @ cov_factor.T + np.eye(2)
    points = np.array([[0.1, 0.4], [-0.7, 1.2], [0.5, -0.3]])
    return np.sum(multivariate_normal.logpdf(points, mean, cov))


def test_normal_likelihood_through_the_imported_name():
    check_both_modes(gaussian_log_likelihood, 0.4, -0.2, wrt=(0, 1))


def test_student_t_through_the_dotted_name_including_df():
    check_both_modes(robust_log_likelihood, 0.4, 3.5, wrt=(0, 1))


def test_every_distribution_in_both_modes():
    check_both_modes(every_distribution, 0.1, 1.3, 2.5, wrt=(0, 1, 2))


def test_multivariate_normal_in_mean_and_covariance():
    check_both_modes(mvn_log_likelihood, np.array([0.2, -0.1]), np.array([[0.5, 0.1], [-0.3, 0.8]]), wrt=(0, 1))


def gamma_cdf_in_shape(a):
    return scipy.stats.gamma.cdf(1.5, a)


def test_a_shape_parameter_of_a_distribution_function_is_refused_where_it_is_called():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="gamma.cdf` with respect to its parameter `a`"):
        s2sgrad.grad(gamma_cdf_in_shape)(2.0)
    with pytest.raises(s2sgrad.S2SGradError, match="gamma.cdf` in forward mode with respect to its parameter `a`"):
        s2sgrad.jvp(gamma_cdf_in_shape, (2.0,), (1.0,))


def dirichlet_in_x(x):
    return scipy.stats.dirichlet.logpdf(x, np.array([1.0, 2.0, 3.0]))


def test_dirichlet_x_off_the_simplex_is_refused():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="dirichlet.logpdf` with respect to its parameter `x`"):
        s2sgrad.grad(dirichlet_in_x)(np.array([0.2, 0.3, 0.5]))
