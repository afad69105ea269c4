"""A Gaussian-process regression fitted with scipy.optimize.minimize, its gradient from s2sgrad.

The objective is the negative log marginal likelihood of an RBF kernel,
computed through scipy.linalg.cholesky and solve_triangular, plus gamma priors
on the length scale and signal variance written with scipy.special.gammaln.
s2sgrad differentiates it with respect to the log hyperparameters; L-BFGS-B
uses that gradient. Needs SciPy (pip install s2sgrad[scipy]).

    python examples/gaussian_process_scipy.py
"""
import numpy as np

try:
    from scipy.linalg import cholesky, solve_triangular
    from scipy.optimize import minimize
    from scipy.special import gammaln
except ImportError:                      # SciPy is an optional dependency
    cholesky = None

from s2sgrad import check_grad, value_and_grad


def log_gamma_density(x, shape, rate):
    return shape * np.log(rate) - gammaln(shape) + (shape - 1) * np.log(x) - rate * x


def negative_log_marginal(log_length, log_signal, log_noise, X, y):
    length, signal, noise = np.exp(log_length), np.exp(log_signal), np.exp(log_noise)
    squared = (X[:, None] - X[None, :]) ** 2
    k = signal * np.exp(-0.5 * squared / length ** 2) + (noise + 1e-8) * np.eye(len(X))
    lower = cholesky(k, lower=True)
    white = solve_triangular(lower, y, lower=True)
    fit = 0.5 * np.sum(white ** 2) + np.sum(np.log(np.diag(lower))) + 0.5 * len(X) * np.log(2 * np.pi)
    prior = log_gamma_density(length, 2.0, 2.0) + log_gamma_density(signal, 2.0, 1.0)
    return fit - prior


def make_data(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = np.sort(rng.uniform(-3, 3, n))
    return X, np.sin(1.5 * X) + 0.2 * rng.normal(size=n)


def fit(X, y, start=(0.0, 0.0, -1.0)):
    step = value_and_grad(negative_log_marginal, wrt=(0, 1, 2))

    def objective(theta):
        value, grads = step(theta[0], theta[1], theta[2], X, y)
        return value, np.array(grads)

    return minimize(objective, np.array(start), jac=True, method="L-BFGS-B")


def main():
    if cholesky is None:
        print("this example needs SciPy: pip install s2sgrad[scipy]")
        return
    X, y = make_data()
    check_grad(negative_log_marginal, 0.1, 0.2, -1.5, X, y, wrt=(0, 1, 2))
    start = negative_log_marginal(0.0, 0.0, -1.0, X, y)
    result = fit(X, y)
    length, signal, noise = np.exp(result.x)
    print(f"negative log marginal likelihood: {start:.3f} -> {result.fun:.3f} in {result.nit} iterations")
    print(f"length scale {length:.3f}, signal variance {signal:.3f}, noise variance {noise:.4f}")
    assert result.success and result.fun < start


if __name__ == "__main__":
    main()
