"""The computation graph evaluates the gradient's own plans one operation at a time: its adjoints of a
model must be the gradient's, a called layer's under that layer's field, a method's in the model's own."""
import numpy as np
import pytest

from s2sgrad import grad
from s2sgrad.graph.computation_graph import graph
from s2sgrad.runtime.containers import match_structure

from .numeric import leaf_paths, read
from .test_layers import PROGRAMS, Net


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_the_graph_draws_the_gradients_of_the_model(f):
    net, x = Net(np.random.default_rng(7)), np.random.default_rng(1).standard_normal(2)
    drawn = graph(f, net, x, wrt=(0, 1)).gradients
    net_gradient, x_gradient = grad(f, wrt=(0, 1))(net, x)
    drawn_net = match_structure(drawn["net"], net)
    for path in leaf_paths(net):
        np.testing.assert_allclose(read(drawn_net, path), read(net_gradient, path), rtol=1e-12, err_msg=str(path))
    np.testing.assert_allclose(drawn["x"], x_gradient, rtol=1e-12)
