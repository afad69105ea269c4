"""Second derivatives through scipy.linalg: the Hessian (forward over reverse), jacrev of the gradient (reverse
over reverse) and jacfwd of the gradient each agree with central differences of the gradient.

The gradient's code calls the adjoint helpers of runtime/scipy_linalg.py (solve_triangular_adjoint_b,
cho_solve_adjoint_c, expm_adjoint, ...), which a second derivative differentiates in turn: they name SciPy at
module level, where forward and reverse mode can read it (an `import` in a helper's body stopped both)."""
import numpy as np
import pytest

scipy_linalg = pytest.importorskip("scipy.linalg")

from s2sgrad import grad, hessian, jacfwd, jacrev  # noqa: E402

from .differences import central  # noqa: E402

RNG = np.random.default_rng(3)
A0 = RNG.normal(size=(3, 3))
S = A0 @ A0.T + 3 * np.eye(3)
B = RNG.normal(size=3)
X = np.array([0.3, -0.2, 0.5])


def through_solve(x):
    return np.sum(scipy_linalg.solve(S + np.outer(x, x), B * x) ** 2)


def through_cho_solve(x):
    factor = scipy_linalg.cho_factor(S + np.diag(x ** 2))
    return np.sum(scipy_linalg.cho_solve(factor, B * x))


def through_lu_solve(x):
    factors = scipy_linalg.lu_factor(S + np.outer(x, x))
    return np.sum(scipy_linalg.lu_solve(factors, B * x))


def through_solve_triangular(x):
    lower = np.tril(S) + np.diag(x ** 2)
    return np.sum(scipy_linalg.solve_triangular(lower, B * x, lower=True))


def through_expm(x):
    return np.sum(scipy_linalg.expm(0.1 * np.outer(x, B) + 0.2 * np.diag(x)))


def through_det(x):
    return scipy_linalg.det(S + np.diag(x))


def through_inv(x):
    return np.sum(scipy_linalg.inv(S + np.outer(x, x)))


def through_logdet(x):
    factor = scipy_linalg.cholesky(S + np.diag(x ** 2), lower=True)
    return 2 * np.sum(np.log(np.diag(factor)))


def through_sqrtm(x):
    return np.sum(scipy_linalg.sqrtm(S + np.diag(x ** 2)))


def through_logm(x):
    return np.sum(scipy_linalg.logm(S + np.diag(x ** 2)))


def through_sylvester(x):
    return np.sum(scipy_linalg.solve_sylvester(S + np.diag(x), S.T, np.outer(x, B)))


TALL = RNG.normal(size=(5, 3))


def through_qr(x):          # NumPy's QR adjoint (runtime/decompositions.py), differentiated again
    return np.sum(scipy_linalg.qr(TALL + np.outer(np.ones(5), x), mode="economic")[1] ** 2)


def through_svdvals(x):
    return np.sum(scipy_linalg.svdvals(TALL + np.outer(np.ones(5), x)) ** 3)


def through_lstsq(x):        # through pinv, the residuals and the singular values (runtime/decompositions.py)
    return np.sum(scipy_linalg.lstsq(TALL + np.outer(np.ones(5), x), np.arange(5.0))[0] ** 2)


FUNCTIONS = [through_solve, through_cho_solve, through_lu_solve, through_solve_triangular, through_expm,
             through_det, through_inv, through_logdet, through_sqrtm, through_logm, through_sylvester, through_qr,
             through_svdvals, through_lstsq]


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_second_derivatives_agree_with_differences_of_the_gradient(f):
    expected = central(grad(f), X)
    np.testing.assert_allclose(hessian(f)(X), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(jacrev(grad(f))(X), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f", [through_cho_solve, through_expm], ids=lambda f: f.__name__)
def test_forward_over_the_gradient(f):
    np.testing.assert_allclose(jacfwd(grad(f))(X), central(grad(f), X), rtol=1e-5, atol=1e-6)
