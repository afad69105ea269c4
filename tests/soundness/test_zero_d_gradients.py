"""A derivative has its argument's kind: a 0-d array's gradient is a 0-d array (NumPy's ufuncs return
scalars for 0-d input, which a gradient must not pass on), a number's is a number (np.where of numbers
returns a 0-d array), in grad, value_and_grad, vjp, jacfwd, jacrev and hessian. Values are checked
against central differences."""
import numpy as np
import pytest

import s2sgrad


def through_float(a):
    return float(np.sin(a * 3.0) + a ** 2)


def through_ufuncs(a):
    return np.sin(a * 3.0) + a ** 2


def through_where(a):
    return np.where(a > 0, a, 0.0) * np.cos(a)


def central(f, a, h=1e-6):
    return (f(a + h) - f(a - h)) / (2 * h)


DERIVATIVES = {
    "grad": lambda f, a: s2sgrad.grad(f)(a),
    "value_and_grad": lambda f, a: s2sgrad.value_and_grad(f)(a)[1],
    "vjp": lambda f, a: s2sgrad.vjp(f, a)[1](1.0)[0],
    "jacfwd": lambda f, a: s2sgrad.jacfwd(f)(a),
    "jacrev": lambda f, a: s2sgrad.jacrev(f)(a),
}


@pytest.mark.parametrize("how", sorted(DERIVATIVES))
@pytest.mark.parametrize("f", [through_float, through_ufuncs, through_where])
def test_a_zero_d_array_gets_a_zero_d_array(f, how):
    a = np.array(0.4)
    g = DERIVATIVES[how](f, a)
    assert type(g) is np.ndarray and g.shape == () and g.dtype == np.float64
    assert float(g) == pytest.approx(float(central(f, a)), rel=1e-6)


@pytest.mark.parametrize("how", sorted(DERIVATIVES))
@pytest.mark.parametrize("f", [through_float, through_ufuncs, through_where])
def test_a_number_gets_a_number(f, how):
    g = DERIVATIVES[how](f, 0.4)
    assert isinstance(g, float) and not isinstance(g, np.ndarray)
    assert g == pytest.approx(float(central(f, 0.4)), rel=1e-6)


def test_float32_zero_d_and_hessian():
    a = np.array(0.4, dtype=np.float32)
    g = s2sgrad.grad(through_ufuncs)(a)
    assert type(g) is np.ndarray and g.shape == () and g.dtype == np.float32
    h = s2sgrad.hessian(through_ufuncs)(np.array(0.4))
    assert type(h) is np.ndarray and h.shape == ()
    assert float(h) == pytest.approx(-9.0 * np.sin(1.2) + 2.0, rel=1e-9)
    assert isinstance(s2sgrad.hessian(through_ufuncs)(0.4), float)
