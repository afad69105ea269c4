"""`a ** b` where b == 0 and a == 0: the base's derivative is 0 (a ** 0 is constant), but the rule's
`b * a ** (b - 1)` is 0 * inf = nan for arrays and NumPy numbers, and a ZeroDivisionError ('0.0 cannot be
raised to a negative power') for Python floats. Every polynomial written as sum(c[k] * x ** k) hits it at
x == 0, as do np.power, pow, math.pow, a Vandermonde matrix x[:, None] ** np.arange(n), and np.polyval's
helpers differentiated again (its Hessian was all nan). Checked against central differences, to second order."""
import math

import numpy as np
import pytest

import s2sgrad

from ..higher_order.differences import central

C = [1.0, 2.0, 3.0, -0.5]


def poly_loop(x):
    return sum(C[k] * x ** k for k in range(len(C)))


def poly_array(x):
    return np.sum(np.array(C) * x ** np.arange(len(C)))


def poly_np_power(x):
    return np.sum(np.array(C) * np.power(x, np.arange(len(C), dtype=float)))


def poly_builtin_pow(x):
    return sum(c * pow(x, k) for k, c in enumerate(C))


def poly_math_pow(x):
    return sum(c * math.pow(x, k) for k, c in enumerate(C))


def poly_float_power(x):
    return np.sum(np.array(C) * np.float_power(x, np.arange(len(C))))


def slope(x):        # the polynomial's derivative and second derivative, exactly
    return C[1] + 2 * C[2] * x + 3 * C[3] * x ** 2, 2 * C[2] + 6 * C[3] * x


@pytest.mark.parametrize("f", [poly_loop, poly_array, poly_np_power, poly_builtin_pow, poly_math_pow,
                               poly_float_power], ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [0.0, np.float64(0.0), 0.7])
def test_polynomial_derivatives_at_zero(f, x):
    first, second = slope(float(x))
    assert s2sgrad.grad(f)(x) == pytest.approx(first)
    assert s2sgrad.jvp(f, (x,), (1.0,))[1] == pytest.approx(first)
    assert s2sgrad.hessian(f)(x) == pytest.approx(second)
    assert s2sgrad.grad(s2sgrad.grad(f))(x) == pytest.approx(second)


def vandermonde(x):
    return np.sum((x[:, None] ** np.arange(3)[None, :]) @ np.array([1.0, -2.0, 0.5]))


def polyval_at_zero(p, x):
    return np.sum(np.polyval(p, x) ** 2)


def test_vandermonde_through_zero():
    x = np.array([0.0, 0.5, 1.5])
    for _ in range(3):
        np.testing.assert_allclose(s2sgrad.grad(vandermonde)(x), [-2.0, -1.5, -0.5])
        np.testing.assert_allclose(s2sgrad.hessian(vandermonde)(x), np.eye(3))


def test_polyval_hessian_in_the_coefficients_at_zero():
    p, x = np.array([0.5, -1.0, 2.0]), np.array([0.0, 0.5, 1.0])
    hessian = s2sgrad.hessian(polyval_at_zero, wrt=0)(p, x)
    assert np.all(np.isfinite(hessian))
    np.testing.assert_allclose(hessian, central(lambda q: s2sgrad.grad(polyval_at_zero)(q, x), p), atol=1e-6)


def test_constant_exponents_still_read_as_written():
    def cube(x):
        return np.sum(x ** 3)

    source = s2sgrad.grad(cube).source_for(np.ones(3))
    assert "x ** 2" in source and "==" not in source
