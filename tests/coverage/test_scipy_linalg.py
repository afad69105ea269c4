"""scipy.linalg in user code: a Gaussian-process marginal likelihood through cholesky, cho_solve and
solve_triangular, and the matrix functions, in both modes."""
from __future__ import annotations

import numpy as np
import pytest

scipy = pytest.importorskip("scipy")
import scipy.linalg  # noqa: E402
import scipy.linalg as la  # noqa: E402
from scipy.linalg import cho_factor, cho_solve, cholesky, solve_triangular  # noqa: E402
from scipy.special import gammaln  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402

X = np.linspace(-1.0, 1.0, 6)
Y = np.sin(2 * X) + 0.1 * np.cos(7 * X)


def gp_negative_log_marginal(log_length, log_noise):
    """-log p(Y | X) for an RBF kernel, plus a gamma prior on the length scale written with gammaln."""
    length, noise = np.exp(log_length), np.exp(log_noise)
    k = np.exp(-0.5 * (X[:, None] - X[None, :]) ** 2 / length ** 2) + noise * np.eye(6)
    lower = cholesky(k, lower=True)
    alpha = cho_solve((lower, True), Y)
    fit = 0.5 * Y @ alpha + np.sum(np.log(np.diag(lower)))
    prior = -(2.0 * np.log(3.0) - gammaln(2.0) + (2.0 - 1) * log_length - 3.0 * length)
    return fit + prior


def whitened(log_length):
    k = np.exp(-0.5 * (X[:, None] - X[None, :]) ** 2 / np.exp(log_length) ** 2) + 0.1 * np.eye(6)
    upper = cholesky(k)
    return np.sum(solve_triangular(upper, Y, trans=1) ** 2)


def factored(a):
    spd = a @ a.T + 3 * np.eye(3)
    return np.sum(cho_solve(cho_factor(spd), np.array([1.0, -2.0, 0.5])) ** 2)


def factor_entries(a):
    """cho_factor's matrix holds the factor in one triangle and the input's own entries in the other."""
    spd = a @ a.T + 3 * np.eye(3)
    c, lower = cho_factor(spd, lower=True)
    return np.sum(c * np.array([1.0, 2.0, 3.0]))


def matrix_functions(a):
    spd = a @ a.T + 3 * np.eye(3)
    return (la.det(a + 2 * np.eye(3)) + np.sum(la.inv(a + 2 * np.eye(3))) + np.sum(la.expm(0.5 * a))
            + np.sum(la.sqrtm(spd)))


A = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.3], [-0.6, 0.2, 0.1]])


def test_gaussian_process_marginal_likelihood():
    check_both_modes(gp_negative_log_marginal, 0.1, -2.0, wrt=(0, 1))


def test_triangular_solve_with_the_upper_factor():
    check_both_modes(whitened, 0.2)


def test_cho_factor_result_feeds_cho_solve():
    check_both_modes(factored, A)


def test_cho_factor_matrix_in_both_triangles():
    check_both_modes(factor_entries, A)


def test_det_inv_expm_sqrtm():
    check_both_modes(matrix_functions, A)


def test_gp_hyperparameters_fit_with_scipy_optimize():
    import s2sgrad
    from scipy.optimize import minimize

    gradient = s2sgrad.value_and_grad(gp_negative_log_marginal, wrt=(0, 1))

    def objective(theta):
        value, (g_length, g_noise) = gradient(theta[0], theta[1])
        return value, np.array([g_length, g_noise])

    start = np.array([0.5, -1.0])
    result = minimize(objective, start, jac=True, method="L-BFGS-B")
    assert result.success
    assert result.fun < gp_negative_log_marginal(*start)
    assert np.allclose(objective(result.x)[1], 0, atol=1e-4)
