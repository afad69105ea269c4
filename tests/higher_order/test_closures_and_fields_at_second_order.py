"""Second derivatives through calls the gradient records with something besides their arguments, each checked
against central differences of the gradient:

- a nested def that reads a value carrying derivatives from the enclosing function: the gradient records the
  call with the value captured (`call_forward(scaled, v, captured=('x',))`); forward mode over the gradient
  carries the captured value's tangent into the record's tangent, and reverse mode over the gradient gives
  the captured value's adjoint out of the recorded call (call_forward_vjp's wrt_captured);
- a function or staticmethod held in a field of an object that carries derivatives (`net.tool.squash(x)`):
  the call has no self to differentiate (its adjoint is a zero), in forward mode over the gradient too."""
import math

import numpy as np
import pytest

from s2sgrad import grad, hessian, jacrev, jvp

from ..objects.numeric import leaf_paths, moved, random_tangent, read
from ..objects.test_layers import Net
from .differences import central


def nested_scalar(x):
    def scaled(v):
        return v * x
    return scaled(2.0) + 1.0 + np.sin(x) * scaled(x)


def nested_array(x):
    def weigh(v):
        return np.sum(v * x ** 2)
    return weigh(np.ones(3)) + np.sum(np.sin(x)) * weigh(x)


def nested_two_captured(x, y):
    def both(v):
        return np.tanh(v * x) * y
    return np.sum(both(x) ** 2) + np.sum(both(2.0))


def test_grad_of_grad_through_a_nested_def():
    second = grad(grad(nested_scalar))
    expected = -np.sin(0.7) * 0.49 + 4 * np.cos(0.7) * 0.7 + 2 * np.sin(0.7)     # d2/dx2 (2x + 1 + sin(x) x^2)
    assert second(0.7) == pytest.approx(expected, rel=1e-10)
    assert second(0.7) == pytest.approx(central(grad(nested_scalar), 0.7), rel=1e-6)


def test_hessian_through_a_nested_def():
    x = np.array([0.7, 0.2, -0.4])
    np.testing.assert_allclose(hessian(nested_array)(x), central(grad(nested_array), x), rtol=1e-6, atol=1e-8)


def test_reverse_over_the_gradient_through_a_nested_def():
    """call_forward_vjp gives the adjoints of what the def reads too (wrt_captured), with the second-order
    term from forward mode over the def's own gradient."""
    x = np.array([0.7, 0.2, -0.4])
    np.testing.assert_allclose(jacrev(grad(nested_array))(x), central(grad(nested_array), x), rtol=1e-6, atol=1e-8)
    assert jacrev(grad(nested_scalar))(0.7) == pytest.approx(central(grad(nested_scalar), 0.7), rel=1e-6)


def test_a_value_the_def_reads_that_moves_only_at_the_second_order():
    """y is constant for grad(f, wrt=0), so its gradient records only x; jvp and jacrev of that gradient move y
    as well."""
    x, y = np.array([0.3, -0.5]), np.array([1.2, 0.4])
    gx = grad(nested_two_captured, wrt=0)
    jx, jy = jacrev(gx, wrt=(0, 1))(x, y)
    np.testing.assert_allclose(jx, central(lambda v: gx(v, y), x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(jy, central(lambda v: gx(x, v), y), rtol=1e-6, atol=1e-8)
    x_dot, y_dot = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    _, tangent = jvp(gx, (x, y), (x_dot, y_dot))
    np.testing.assert_allclose(tangent, jx @ x_dot + jy @ y_dot, rtol=1e-6, atol=1e-8)


def test_forward_over_the_gradient_of_two_captured_values():
    x, y = np.array([0.3, -0.5]), np.array([1.2, 0.4])
    x_dot, y_dot = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    g = grad(nested_two_captured, wrt=(0, 1))
    _, (dx_dot, dy_dot) = jvp(g, (x, y), (x_dot, y_dot))
    h = 1e-6
    plus, minus = g(x + h * x_dot, y + h * y_dot), g(x - h * x_dot, y - h * y_dot)
    np.testing.assert_allclose(dx_dot, (plus[0] - minus[0]) / (2 * h), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dy_dot, (plus[1] - minus[1]) / (2 * h), rtol=1e-6, atol=1e-8)


class Tool:
    @staticmethod
    def squash(x):
        return x / (1.0 + x * x)


def static_in_fields(net, x):
    return np.sum(net.tool.squash(net.l1(x)) ** 2) * net.w + np.sum(net.squash(x) * x) + np.sum(net.held(x))


@pytest.fixture(scope="module")
def model():
    net = Net(np.random.default_rng(17))
    net.tool = Tool()                   # an object whose class has a staticmethod
    net.held = Tool.squash              # a staticmethod's function held in a field
    return net, np.random.default_rng(5).standard_normal(2)


def test_forward_over_the_model_gradient_through_staticmethods_in_fields(model):
    net, x = model
    rng = np.random.default_rng(23)
    tangent, x_dot = random_tangent(net, rng), rng.standard_normal(2)
    g = grad(static_in_fields, wrt=(0, 1))
    _, (net_grad_dot, x_grad_dot) = jvp(g, (net, x), (tangent, x_dot))
    h = 1e-6
    plus, minus = g(moved(net, tangent, h), x + h * x_dot), g(moved(net, tangent, -h), x - h * x_dot)
    np.testing.assert_allclose(x_grad_dot, (plus[1] - minus[1]) / (2 * h), rtol=1e-5, atol=1e-7)
    paths = leaf_paths(net)
    assert paths
    for path in paths:
        expected = (np.asarray(read(plus[0], path)) - np.asarray(read(minus[0], path))) / (2 * h)
        np.testing.assert_allclose(read(net_grad_dot, path), expected, rtol=1e-5, atol=1e-7, err_msg=str(path))


def pendulum(theta0, length, steps=20):
    g = 9.81                            # read by the nested def, constant at both orders
    h = 1.0 / steps
    th, om = theta0, 0.0

    def rates(th, om):
        return om, -g / length * math.sin(th)
    for _ in range(steps):
        k1 = rates(th, om)
        k2 = rates(th + h / 2 * k1[0], om + h / 2 * k1[1])
        th = th + h * k2[0]
        om = om + h * k2[1]
    return th


@pytest.mark.parametrize("wrt", [0, 1])
def test_hessian_through_a_nested_def_reading_a_constant_beside_a_moving_value(wrt):
    """rates reads g (never moving) and length (moving when differentiated): the forward pass over the
    callee's gradient was called without g ('missing 1 required keyword-only argument: g')."""
    args = [0.4, 1.2]
    gradient = grad(pendulum, wrt=wrt)
    h = 1e-5
    up, down = list(args), list(args)
    up[wrt] += h
    down[wrt] -= h
    numeric = (gradient(*up) - gradient(*down)) / (2 * h)
    assert hessian(pendulum, wrt=wrt)(*args) == pytest.approx(numeric, rel=1e-6)
