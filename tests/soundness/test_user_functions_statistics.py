"""Statistics written as users write them, against central differences: np.average with weights, np.cov
and np.corrcoef (they had no rule, so these stopped), in every mode, with respect to the values and to the weights; samples drawn
with NumPy's legacy functions from a seed, whose gradients with respect to two numbers came out as arrays
shaped like the sample (np.random.normal(mu, sigma, 4): `size` made the draw larger than its parameters)."""
import numpy as np
import pytest

import s2sgrad


def weighted_variance(x, w):
    mu = np.average(x, weights=w)
    return np.average((x - mu) ** 2, weights=w)


def column_means(X, w):
    return np.sum(np.average(X, axis=0, weights=w) ** 2) + np.sum(np.average(X, 1, keepdims=True) * X)


def numeric_gradient(f, args, i, h=1e-6):
    x = args[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        plus = list(args); plus[i] = x + step
        minus = list(args); minus[i] = x - step
        grad[index] = (f(*plus) - f(*minus)) / (2 * h)
    return grad


def correlation(x, y):
    return np.corrcoef(x, y)[0, 1]


def covariance_logdet(X):
    C = np.cov(X, rowvar=False) + 0.1 * np.eye(X.shape[1])
    return np.linalg.slogdet(C)[1]


def column_correlations(X, y):
    return np.sum(np.corrcoef(X, y, rowvar=False)[-1, :-1] ** 2) + np.sum(np.cov(X.T, y, ddof=0))


CASES = [
    (correlation, (np.array([0.3, -1.2, 0.7, 2.0, 0.1]), np.array([1.0, -0.4, 0.5, 1.5, 0.2]))),
    (covariance_logdet, (np.array([[0.3, -1.2, 0.7], [2.0, 0.4, -0.5], [0.1, 0.9, 1.3], [-0.6, 0.2, 0.8]]),)),
    (column_correlations, (np.array([[0.3, -1.2], [2.0, 0.4], [0.1, 0.9], [-0.6, 0.2]]),
                           np.array([0.5, 1.1, -0.3, 0.7]))),
    (weighted_variance, (np.array([0.3, -1.2, 0.7, 2.0]), np.array([1.0, 2.0, 0.5, 1.5]))),
    (column_means, (np.array([[0.3, -1.2, 0.7], [2.0, 0.4, -0.5]]), np.array([0.6, 1.4]))),
]


@pytest.mark.parametrize("f, args, i", [(f, args, i) for f, args in CASES for i in range(len(args))],
                         ids=[f"{f.__name__}-{i}" for f, args in CASES for i in range(len(args))])
def test_weighted_averages_covariances_and_correlations_in_every_mode(f, args, i):
    expected = numeric_gradient(f, args, i)
    np.testing.assert_allclose(s2sgrad.grad(f, wrt=i)(*args), expected, rtol=1e-6, atol=1e-8)
    tangents = tuple(np.linspace(-1.0, 1.0, a.size).reshape(a.shape) if j == i else np.zeros_like(a)
                     for j, a in enumerate(args))
    _, tangent = s2sgrad.jvp(f, args, tangents)
    assert tangent == pytest.approx(np.sum(expected * tangents[i]), rel=1e-6, abs=1e-9)
    hessian = s2sgrad.hessian(f, wrt=i)(*args)
    np.testing.assert_allclose(hessian, _numeric_hessian(f, args, i), rtol=1e-5, atol=1e-6)


def _numeric_hessian(f, args, i, h=1e-5):
    g = s2sgrad.grad(f, wrt=i)
    x = args[i]
    columns = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        plus = list(args); plus[i] = x + step
        minus = list(args); minus[i] = x - step
        columns.append((g(*plus) - g(*minus)) / (2 * h))
    return np.moveaxis(np.array(columns), 0, -1).reshape(x.shape + x.shape)


def legacy_normal_sample(mu, sigma):
    np.random.seed(1)
    return np.sum(np.random.normal(mu, sigma, 4) ** 2)


def legacy_uniform_sample(low, high):
    np.random.seed(2)
    return np.sum(np.random.uniform(low, high, size=(2, 3)) ** 3)


def generator_normal_sample(mu, sigma):
    rng = np.random.default_rng(3)
    return np.sum(rng.normal(mu, sigma, 5) ** 2)


@pytest.mark.parametrize("f", [legacy_normal_sample, legacy_uniform_sample, generator_normal_sample],
                         ids=lambda f: f.__name__)
def test_reparameterized_samples_from_numbers(f):
    args, h = (0.3, 1.2), 1e-6
    for i in range(2):
        plus = list(args); plus[i] += h
        minus = list(args); minus[i] -= h
        expected = (f(*plus) - f(*minus)) / (2 * h)
        g = s2sgrad.grad(f, wrt=i)(*args)
        assert np.shape(g) == () and g == pytest.approx(expected, rel=1e-6)
        tangents = (1.0, 0.0) if i == 0 else (0.0, 1.0)
        assert s2sgrad.jvp(f, args, tangents)[1] == pytest.approx(expected, rel=1e-6)
    hessian = s2sgrad.hessian(f, wrt=(0, 1))(*args)
    numeric = [[(s2sgrad.grad(f, wrt=j)(*[a + h * (k == i) for k, a in enumerate(args)])
                 - s2sgrad.grad(f, wrt=j)(*[a - h * (k == i) for k, a in enumerate(args)])) / (2 * h)
                for i in range(2)] for j in range(2)]
    np.testing.assert_allclose(np.array(hessian, dtype=float), numeric, rtol=1e-5, atol=1e-6)
