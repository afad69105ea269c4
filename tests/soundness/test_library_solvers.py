"""Library functions written in Python that s2sgrad cannot follow, as a pharmacokinetics model or a
calibration calls them. solve_ivp, quad, scipy.optimize's solvers and the statistics module stopped deep
inside the library (`options['jac'] = ...` in ivp.py, `operator.index` in brentq, whose hint was to mark it
nondifferentiable: a silent zero for whoever followed it, groupby in statistics.py), telling the user to
change code that is not theirs. They are refused at the user's line, naming what does work; where no
derivative reaches them they run as written. The quantile functions (norm.ppf, the families' ppf and isf),
which stopped inside scipy.stats at `place(output, ...)`, are differentiated: dq = 1 / pdf(y)."""
import statistics

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError

pytest.importorskip("scipy")            # SciPy is optional: these are its functions
import scipy.integrate  # noqa: E402
import scipy.optimize  # noqa: E402
import scipy.stats  # noqa: E402

from .differences import central_in  # noqa: E402


def elimination(t, y, k):
    return -k * y


def integrand(t, k):
    return np.exp(-k * t)


def cubic(z, k):
    return z ** 3 - k


def squared_distance(z, k):
    return (z[0] - k) ** 2


def pk_solve_ivp(k):
    return scipy.integrate.solve_ivp(elimination, (0.0, 1.0), [1.0], args=(k,)).y[0, -1]


def area_quad(k):
    return scipy.integrate.quad(integrand, 0.0, 1.0, args=(k,))[0]


def root_brentq(k):
    return scipy.optimize.brentq(cubic, 0.0, 10.0, args=(k,))


def fit_minimize(k):
    return scipy.optimize.minimize(squared_distance, np.zeros(1), args=(k,)).x[0]


def mean_statistics(x):
    return statistics.mean(x) * 2.0


@pytest.mark.parametrize("f, said, hint", [
    (pk_solve_ivp, "scipy.integrate.solve_ivp", "odeint"),
    (area_quad, "scipy.integrate.quad", "np.trapezoid"),
    (root_brentq, "scipy.optimize solver", "s2sgrad.defvjp"),
    (fit_minimize, "scipy.optimize solver", "Python loop"),
    (mean_statistics, "statistics.mean", "np.mean(x)"),
], ids=lambda v: getattr(v, "__name__", None))
def test_a_solver_is_refused_at_the_users_line(f, said, hint):
    x = [0.5, 1.5] if f is mean_statistics else 0.5
    with pytest.raises(S2SGradError) as caught:
        s2sgrad.grad(f, wrt=0)(x)
    text = str(caught.value)
    assert said in text and hint in text
    assert "test_library_solvers.py" in text.splitlines()[1]          # the user's line, not the library's


def solve_then_scale(a):
    decay = scipy.integrate.solve_ivp(elimination, (0.0, 1.0), [1.0], args=(0.3,)).y[0, -1]     # constants
    return a * decay


def test_a_solver_no_derivative_reaches_runs_as_written():
    expected = scipy.integrate.solve_ivp(elimination, (0.0, 1.0), [1.0], args=(0.3,)).y[0, -1]
    assert s2sgrad.grad(solve_then_scale)(2.0) == pytest.approx(expected)


def normal_quantiles(p, mu, sigma):
    return np.sum(scipy.stats.norm.ppf(p, loc=mu, scale=sigma) ** 2) + np.sum(scipy.stats.norm.isf(p))


def student_quantile(p):
    return np.sum(scipy.stats.t.ppf(p, 4.0) * p)


def test_quantile_functions_are_differentiated():
    p, mu, sigma = np.array([0.1, 0.5, 0.8]), 0.3, 1.7
    grad = s2sgrad.grad(normal_quantiles, wrt=(0, 1, 2))
    for _ in range(3):
        gp, gmu, gsigma = grad(p, mu, sigma)
        np.testing.assert_allclose(gp, central_in(normal_quantiles, (p, mu, sigma), 0), rtol=1e-5)
        assert gmu == pytest.approx(central_in(normal_quantiles, (p, mu, sigma), 1), rel=1e-5)
        assert gsigma == pytest.approx(central_in(normal_quantiles, (p, mu, sigma), 2), rel=1e-5)
    # (SciPy's t.ppf is accurate to about 1e-10 near the median: central differences there to about 1e-4)
    np.testing.assert_allclose(s2sgrad.grad(student_quantile)(p), central_in(student_quantile, (p,), 0), rtol=1e-4)
    hessian = s2sgrad.hessian(student_quantile)(p)
    expected = np.stack([central_in(lambda q: s2sgrad.grad(student_quantile)(q)[k], (p,), 0) for k in range(3)])
    np.testing.assert_allclose(hessian, expected, rtol=1e-4, atol=1e-6)
