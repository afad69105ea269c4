"""A function's defaults assigned anew after its gradient was built (`f.__defaults__ = (5.0,)`): the
generated code had copied the old ones, so the value and gradient of a caller stayed those of the old
default, silently. Every transformation now follows the function's defaults as they are at the call."""
import numpy as np
import pytest

import s2sgrad


def scaled(x, a=2.0):
    return x * a


def caller(x):
    return scaled(x) * x


def powered(x, *, k=2.0):
    return np.sum(x ** k)


@pytest.fixture(autouse=True)
def restore_defaults():
    yield
    scaled.__defaults__ = (2.0,)
    powered.__kwdefaults__ = {"k": 2.0}


def test_a_helpers_new_default_reaches_the_callers_gradient_in_every_mode():
    gradient = s2sgrad.value_and_grad(caller)
    assert gradient(3.0) == (18.0, 12.0)
    assert s2sgrad.jvp(caller, (3.0,), (1.0,)) == (18.0, 12.0)
    scaled.__defaults__ = (5.0,)
    assert caller(3.0) == 45.0
    assert gradient(3.0) == (45.0, 30.0)                 # the gradient made before the change
    assert s2sgrad.jvp(caller, (3.0,), (1.0,)) == (45.0, 30.0)
    assert s2sgrad.hessian(caller)(3.0) == pytest.approx(10.0)
    assert s2sgrad.grad(scaled)(3.0) == 5.0


def test_new_keyword_only_defaults_and_arrays():
    gradient = s2sgrad.grad(powered)
    x = np.array([1.5, 2.0])
    np.testing.assert_allclose(gradient(x), 2.0 * x)
    powered.__kwdefaults__ = {"k": 3.0}
    np.testing.assert_allclose(gradient(x), 3.0 * x ** 2)
    np.testing.assert_allclose(s2sgrad.jvp(powered, (x,), (np.ones(2),))[1], np.sum(3.0 * x ** 2))
