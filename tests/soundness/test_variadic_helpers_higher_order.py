"""A helper taking both `*args` and `**kwargs`, called with values in each, differentiated to second and third
order: forward mode over its gradient binds the call's shape (source/variadic.py), the keywords that land in
`**kwargs` included. It bound the extra positional values only, and the keywords then found no parameter (a
bare TypeError from the generated code, `unexpected keyword argument 'scale'`). Values are checked against
central differences of the lower-order derivative."""
import numpy as np
import pytest

import s2sgrad

from ..higher_order.differences import central


def _inner(a, *, scale=1.0, shift=0.0):
    return scale * np.sum(a ** 4) + shift


def _spread(x, *args, **kwargs):
    return _inner(x, **kwargs) + sum(args) * np.sum(x)


def _named_after_star(x, *args, scale=1.0):
    return scale * np.sum(x ** 4) + sum(args) * np.sum(x)


def through_both(x):
    return _spread(x, 1.0, 2.0, scale=3.0, shift=0.5)


def through_named_keyword(x):
    return _named_after_star(x, 1.0, scale=3.0)


def through_keywords_only(x):
    return _spread(x, scale=3.0)


@pytest.mark.parametrize("f", [through_both, through_named_keyword, through_keywords_only])
def test_hessian_through_a_variadic_helper(f):
    x = np.array([0.3, -1.2, 0.7])
    hessian = s2sgrad.hessian(f)
    for _ in range(3):          # the first call and the shape-specialized ones
        np.testing.assert_allclose(hessian(x), np.diag(36.0 * x ** 2), rtol=1e-10)
    np.testing.assert_allclose(hessian(x), central(s2sgrad.grad(f), x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(hessian(x[:2]), np.diag(36.0 * x[:2] ** 2), rtol=1e-10)


def _scalar(x):
    return _spread(x, 1.0, scale=3.0)


THIRD = {
    "grad of grad of grad": lambda: s2sgrad.grad(s2sgrad.grad(s2sgrad.grad(_scalar))),
    "hessian of grad": lambda: s2sgrad.hessian(s2sgrad.grad(_scalar)),
    "jacfwd of hessian": lambda: s2sgrad.jacfwd(s2sgrad.hessian(_scalar)),
    "jacrev of hessian": lambda: s2sgrad.jacrev(s2sgrad.hessian(_scalar)),
}


@pytest.mark.parametrize("how", sorted(THIRD))
def test_third_derivative_through_a_variadic_helper(how):
    third = THIRD[how]()
    second = s2sgrad.grad(s2sgrad.grad(_scalar))
    x = 0.7
    assert np.asarray(third(x)) == pytest.approx(72.0 * x)
    assert np.asarray(third(x)) == pytest.approx(central(second, x), rel=1e-6)
