"""Models written as the user's own classes: callable layers held in fields, in lists, in local names,
methods held in names and functions held in fields. Each gradient (an object shaped like the model, nested
objects included) and each jvp (along a tangent object of the model's classes) is checked against central
differences."""
import numpy as np
import pytest

from s2sgrad import grad, jvp

from .numeric import directional, leaf_paths, pairing, random_tangent, read, unit_tangent


class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b
        self.label = "dense"

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)

    def go(self, x):
        return np.sin(self.w @ x) * self.b


def relu_like(x):
    return x * (1.0 + np.tanh(x)) / 2


class Net:
    def __init__(self, rng):
        self.l1 = Dense(rng.standard_normal((3, 2)), rng.standard_normal(3))
        self.l2 = Dense(rng.standard_normal((2, 3)), rng.standard_normal(2))
        self.layers = [Dense(rng.standard_normal((2, 2)), rng.standard_normal(2)) for _ in range(3)]
        self.w = 1.7                    # a field named like the layers' own: no mixing with theirs
        self.blocks = {"first": Dense(rng.standard_normal((2, 2)), rng.standard_normal(2)),
                       "second": Dense(rng.standard_normal((2, 2)), rng.standard_normal(2))}
        self.depth = 3
        self.act = np.tanh              # functions held in fields carry no derivative
        self.smooth = relu_like
        self.go_first = self.l1.go      # a method bound to one of the net's own layers

    def __call__(self, x):
        return self.l2(self.l1(x)) * self.w

    def stack(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    @staticmethod
    def squash(x):
        return x / (1.0 + x * x)


def direct(net, x):
    return np.sum(net.l2(net.l1(x)) ** 2) * net.w


def held_in_names(net, x):
    first = net.l1
    second = net.l2
    return np.sum(second(first(x)) ** 2) * net.w


def bound_method_in_a_name(net, x):
    method = net.l1.go
    return np.sum(method(x)) * net.w


def functions_in_fields(net, x):
    return np.sum(net.act(x) * net.smooth(x) + net.squash(x)) * net.w


def list_of_layers(net, x):
    for layer in net.layers:
        x = layer(x)
    return np.sum(x ** 2)


def the_model_called(net, x):
    return np.sum(net(x) ** 2)


def methods_calling_layers(net, x):
    return np.sum(net.stack(x) * net.l2(net.l1(x)))


def one_layer_reused(net, x):
    for _ in range(3):
        x = net.layers[0](x)
    return np.sum(x)


def method_of_a_field_held_in_a_field(net, x):
    return np.sum(net.go_first(x) ** 2) + np.sum(net.l1(x))


def dict_of_layers(net, x):
    for name in net.blocks:
        x = net.blocks[name](x)
    return np.sum(x * net.blocks["first"].go(x))


def helper(net, x):
    return net.l2(net.l1(x))


def through_a_helper(net, x):
    return np.sum(helper(net, x) * net.w)


PROGRAMS = [direct, held_in_names, bound_method_in_a_name, functions_in_fields, list_of_layers, the_model_called,
            methods_calling_layers, one_layer_reused, method_of_a_field_held_in_a_field, dict_of_layers,
            through_a_helper]


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(7)
    return Net(rng), rng.standard_normal(2)


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_gradient_is_an_object_shaped_like_the_model(f, model):
    net, x = model
    g, gx = grad(f, wrt=(0, 1))(net, x)
    assert type(g) is Net and type(g.l1) is Dense and all(type(layer) is Dense for layer in g.layers)
    assert type(g.blocks["second"]) is Dense
    assert g.act is np.tanh and g.smooth is relu_like and g.l1.label == "dense"      # not leaves: kept as they are
    rng = np.random.default_rng(3)
    for _ in range(2):                  # the gradient's pairing with random directions, against differences
        tangent, x_dot = random_tangent(net, rng), rng.standard_normal(2)
        expected = directional(f, net, tangent, x, x_dot)
        assert pairing(g, tangent) + float(gx @ x_dot) == pytest.approx(expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_jvp_moves_the_model_along_a_tangent_object(f, model):
    net, x = model
    rng = np.random.default_rng(5)
    tangent, x_dot = random_tangent(net, rng), rng.standard_normal(2)
    value, value_dot = jvp(f, (net, x), (tangent, x_dot))
    assert value == pytest.approx(f(net, x))
    assert value_dot == pytest.approx(directional(f, net, tangent, x, x_dot), rel=1e-6, abs=1e-8)


def test_every_field_of_every_layer_gets_its_own_gradient(model):
    """Leaf by leaf against central differences: layer l1's w is not net's w, nor l2's."""
    net, x = model
    g = grad(direct)(net, x)
    for path in leaf_paths(net):
        expected = directional(direct, net, unit_tangent(net, path), x, 0 * x)
        assert float(np.sum(read(g, path))) == pytest.approx(expected, rel=1e-6, abs=1e-9), path
