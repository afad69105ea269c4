"""Forward mode over the gradient with respect to a model: the gradient object's own derivative.
Needs forward mode over add_at (its rule in rules/runtime_rules.py)."""
import numpy as np
import pytest

from s2sgrad import grad, jvp

from .numeric import moved, pairing, random_tangent
from .test_higher_order import STRAIGHT_LINE
from .test_layers import Dense, Net, dict_of_layers, list_of_layers, methods_calling_layers, one_layer_reused

THROUGH_LOOPS = [list_of_layers, methods_calling_layers, one_layer_reused, dict_of_layers]


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(19)
    return Net(rng), rng.standard_normal(2)


@pytest.mark.parametrize("f", STRAIGHT_LINE + THROUGH_LOOPS, ids=lambda f: f.__name__)
def test_forward_over_the_model_gradient_along_a_tangent_object(f, model):
    net, x = model
    rng = np.random.default_rng(23)
    tangent, x_dot = random_tangent(net, rng), rng.standard_normal(2)
    g = grad(f, wrt=(0, 1))
    _, (net_dot, x_grad_dot) = jvp(g, (net, x), (tangent, x_dot))
    h = 1e-6
    up, down = g(moved(net, tangent, h), x + h * x_dot), g(moved(net, tangent, -h), x - h * x_dot)
    np.testing.assert_allclose(x_grad_dot, (up[1] - down[1]) / (2 * h), rtol=1e-5, atol=1e-7)
    probe = random_tangent(net, rng)            # the gradient object's derivative, read along a direction
    expected = (pairing(up[0], probe) - pairing(down[0], probe)) / (2 * h)
    assert type(net_dot) is Net and type(net_dot.l1) is Dense       # shaped as grad shapes the gradient
    assert pairing(net_dot, probe) == pytest.approx(expected, rel=1e-5, abs=1e-7)
