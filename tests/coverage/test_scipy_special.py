"""scipy.special in user code: a mixture model's log likelihood, priors built from gammaln, and the
special functions each once, in both modes; refusals name what they refuse."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

scipy = pytest.importorskip("scipy")
import scipy.special  # noqa: E402
import scipy.special as sp  # noqa: E402
from scipy.special import expit, gammaln, logsumexp  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402


def mixture_log_likelihood(logits, means, log_scales, data):
    """A 1-D Gaussian mixture: log sum_k w_k N(x | mu_k, s_k), summed over the data."""
    log_weights = scipy.special.log_softmax(logits)
    z = (data[:, None] - means) / np.exp(log_scales)
    log_components = -0.5 * z ** 2 - log_scales - 0.5 * np.log(2 * np.pi)
    return np.sum(logsumexp(log_weights + log_components, axis=1))


def gamma_prior(shape, rate, x):
    """Log density of a Gamma(shape, rate) prior, written with gammaln."""
    return np.sum(shape * np.log(rate) - gammaln(shape) + (shape - 1) * np.log(x) - rate * x)


def every_function(x, p):
    total = np.sum(sp.gamma(p) + sp.digamma(p) + sp.polygamma(1, p) + sp.beta(p, x + 3) + sp.betaln(p, p))
    total = total + sp.multigammaln(p[0] + 2, 3)
    total = total + np.sum(expit(x) + sp.logit(expit(x)) + sp.erf(x) + sp.erfc(x) + sp.erfinv(np.tanh(x)))
    total = total + np.sum(sp.erfcinv(expit(x)) + sp.xlogy(x, p) + sp.xlog1py(x, p))
    total = total + np.sum(sp.i0(x) + sp.i1(x) + sp.ive(1, p) + sp.j0(x) + sp.j1(x) + sp.y0(p) + sp.y1(p))
    total = total + np.sum(sp.softmax(x) * x) + logsumexp(x, b=p)
    return total


def test_mixture_model_in_both_modes():
    rng = np.random.default_rng(0)
    data = np.concatenate([rng.normal(-1, 0.5, 20), rng.normal(2, 1.0, 30)])
    args = (np.array([0.1, -0.3]), np.array([-0.8, 1.5]), np.array([-0.5, 0.1]), data)
    check_both_modes(mixture_log_likelihood, *args, wrt=(0, 1, 2))


def test_gammaln_prior_in_both_modes():
    check_both_modes(gamma_prior, 2.5, 1.3, np.array([0.4, 1.1, 2.0]), wrt=(0, 1, 2))


def test_every_special_function_in_both_modes():
    check_both_modes(every_function, np.array([-0.7, 0.2, 0.9]), np.array([0.8, 1.4, 2.2]), wrt=(0, 1))


def logsumexp_with_sign(x):
    value, sign = logsumexp(x, return_sign=True)
    return value


def test_logsumexp_return_sign_is_refused_where_it_is_called():
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="logsumexp") as info:
        s2sgrad.grad(logsumexp_with_sign)(np.array([0.1, 0.2]))
    assert "test_scipy_special.py" in str(info.value)


def polygamma_order(n, x):
    return scipy.special.polygamma(n, x)


def test_a_gradient_through_an_integer_order_is_refused_where_it_is_called():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="polygamma` with respect to its parameter `n`") as info:
        s2sgrad.grad(polygamma_order, wrt=(0, 1))(1.0, 0.8)
    assert "test_scipy_special.py" in str(info.value)
