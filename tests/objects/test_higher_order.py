"""Second derivatives of functions of a model: Hessians in the inputs with the model as data, and forward
mode over a gradient along a tangent object (the model's own self moving inside its layers' calls)."""
import numpy as np
import pytest

from s2sgrad import grad, hessian, jvp

from .numeric import moved, random_tangent
from .test_layers import Net, bound_method_in_a_name, direct, held_in_names, method_of_a_field_held_in_a_field, \
    the_model_called, through_a_helper

STRAIGHT_LINE = [direct, held_in_names, bound_method_in_a_name, the_model_called, method_of_a_field_held_in_a_field,
                 through_a_helper]


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(17)
    return Net(rng), rng.standard_normal(2)


@pytest.mark.parametrize("f", [direct, the_model_called, bound_method_in_a_name], ids=lambda f: f.__name__)
def test_hessian_in_the_input_with_the_model_as_data(f, model):
    net, x = model
    h = hessian(f, wrt=1)(net, x)
    gx = grad(f, wrt=1)
    columns = [(gx(net, x + 1e-6 * e) - gx(net, x - 1e-6 * e)) / 2e-6 for e in np.eye(2)]
    np.testing.assert_allclose(h, np.array(columns).T, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("f", STRAIGHT_LINE, ids=lambda f: f.__name__)
def test_forward_over_the_input_gradient_along_a_tangent_object(f, model):
    """The layers' calls inside the gradient move with the model: their records carry its tangent."""
    net, x = model
    rng = np.random.default_rng(23)
    tangent, x_dot = random_tangent(net, rng), rng.standard_normal(2)
    g = grad(f, wrt=1)
    _, x_grad_dot = jvp(g, (net, x), (tangent, x_dot))
    h = 1e-6
    expected = (g(moved(net, tangent, h), x + h * x_dot) - g(moved(net, tangent, -h), x - h * x_dot)) / (2 * h)
    np.testing.assert_allclose(x_grad_dot, expected, rtol=1e-5, atol=1e-7)
