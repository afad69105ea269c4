"""Reverse over reverse through calls to your own functions: jacrev(grad(f)) and grad(grad(f)) when f
calls helpers. The gradient's code runs `call_forward(helper, ...)` and `call_backward(record, dy)`;
reverse mode over them runs call_forward_vjp and call_backward_vjp (runtime/tangents.py): the helper's
gradient for the value's adjoint, and forward mode over the helper's gradient for the record's.
Checked against central differences of the gradient."""
import numpy as np
import pytest

import s2sgrad


def helper(x, w):
    return np.sin(x) * w + x ** 3


def squash(a):
    return np.tanh(a) * a


def nested(x, w):
    return squash(helper(x, w)) * 2.0


def two_helpers(x, w):
    return np.sum(helper(x, w) ** 2) + np.sum(np.sin(nested(x, w)))


def constant_weight(x, w):
    return np.sum(np.cos(helper(x, 0.5)) ** 2) + np.sum(w ** 2 * x)


def scalar(a):
    return helper(a, 2.0) ** 2 + squash(a)


X = np.array([0.3, 1.1, -0.4])
W = np.array([0.7, -0.2, 1.5])


def central_jacobian(g, args, wrt, eps=1e-6):
    """d g(*args) / d args[wrt] by central differences, one column per element of args[wrt]."""
    x = np.asarray(args[wrt], dtype=float)
    columns = []
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = eps
        up, down = list(args), list(args)
        up[wrt], down[wrt] = x + e.reshape(x.shape), x - e.reshape(x.shape)
        columns.append((np.asarray(g(*up)) - np.asarray(g(*down))) / (2 * eps))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("f", [two_helpers, constant_weight])
@pytest.mark.parametrize("inner, outer", [(0, 0), (1, 0), (0, 1), (1, 1)])
def test_jacrev_of_grad_through_helpers_equals_central_differences(f, inner, outer):
    gradient = s2sgrad.grad(f, wrt=inner)
    got = s2sgrad.jacrev(gradient, wrt=outer)(X, W)
    np.testing.assert_allclose(got, central_jacobian(gradient, (X, W), outer), rtol=1e-6, atol=1e-7)


def test_grad_of_grad_of_a_scalar_function_calling_helpers():
    a = 0.7
    got = s2sgrad.grad(s2sgrad.grad(scalar))(a)
    want = (s2sgrad.grad(scalar)(a + 1e-6) - s2sgrad.grad(scalar)(a - 1e-6)) / 2e-6
    np.testing.assert_allclose(got, want, rtol=1e-7)
    assert np.isclose(got, s2sgrad.hessian(scalar)(a))


def test_third_order_through_helpers():
    # the second order's calls are differentiated through their Python forms (api/recorded_call_forms.py)
    third = s2sgrad.grad(s2sgrad.grad(s2sgrad.grad(scalar)))(0.7)
    second = s2sgrad.hessian(scalar)
    eps = 1e-5
    assert np.isclose(third, (second(0.7 + eps) - second(0.7 - eps)) / (2 * eps), rtol=1e-6)
