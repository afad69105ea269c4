"""Namedtuples, dataclasses and callable objects, as parameters and built inside the function.

A gradient with respect to a namedtuple or a dataclass comes back as one of the same type holding
the adjoints (as JAX returns a pytree of the parameters' structure)."""
import collections
import dataclasses
import typing

import numpy as np
import pytest

from s2sgrad import grad, jvp, value_and_grad
from s2sgrad.errors import UnsupportedConstructError

from .derivatives import both_modes

Normal = collections.namedtuple("Normal", "mu sigma")


class Affine(typing.NamedTuple):
    W: np.ndarray
    b: np.ndarray
    scale: float = 2.0


@dataclasses.dataclass
class Params:
    mu: float
    log_sigma: float


@dataclasses.dataclass
class Layer:
    W: np.ndarray
    b: np.ndarray


def log_density(p, x):
    return -0.5 * ((x - p.mu) / p.sigma) ** 2 - np.log(p.sigma)


def affine_loss(layer, x):
    return np.sum(np.tanh(layer.scale * (layer.W @ x + layer.b)) ** 2)


def by_position_and_field(p, x):
    return p[0] * x + p.sigma * p.mu


def dataclass_loss(p, x):
    return (x - p.mu) ** 2 * np.exp(-2 * p.log_sigma) + p.log_sigma


def layer_loss(layer, x):
    return np.sum((layer.W @ x + layer.b) ** 2)


def namedtuple_inside(x, y):
    p = Normal(x, sigma=y * y)
    return log_density(p, 0.3) + p[1]


def typed_inside_with_default(x):
    a = Affine(np.eye(2) * x, np.array([x, 1.0]))
    return np.sum(a.scale * a.W @ a.b)


def dataclass_inside(x):
    p = Params(mu=x, log_sigma=0.5 * x)
    return dataclass_loss(p, 1.5)


def records_in_a_list(x):
    normals = [Normal(x * k, 1.0 + k) for k in range(3)]
    return sum(n.mu / n.sigma for n in normals)


X = np.array([0.5, -1.0])
AFFINE = Affine(np.array([[0.3, -0.2], [0.1, 0.4]]), np.array([0.05, -0.1]))


@pytest.mark.parametrize("f, args, wrt", [
    (log_density, (Normal(0.2, 1.3), 0.7), (0, 1)),
    (affine_loss, (AFFINE, X), (0, 1)),
    (by_position_and_field, (Normal(0.2, 1.3), 0.7), (0, 1)),
    (dataclass_loss, (Params(0.2, -0.3), 0.7), (0, 1)),
    (layer_loss, (Layer(AFFINE.W, AFFINE.b), X), 0),
    (namedtuple_inside, (0.4, 1.2), (0, 1)),
    (typed_inside_with_default, (0.7,), 0),
    (dataclass_inside, (0.4,), 0),
    (records_in_a_list, (0.9,), 0),
])
def test_reverse_and_forward_mode(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


def test_the_gradient_has_the_parameters_type():
    g = grad(log_density)(Normal(0.2, 1.3), 0.7)
    assert type(g) is Normal
    z = (0.7 - 0.2) / 1.3
    assert g.mu == pytest.approx(z / 1.3) and g.sigma == pytest.approx(z * z / 1.3 - 1 / 1.3)
    g = grad(affine_loss)(AFFINE, X)
    assert type(g) is Affine and g.W.shape == (2, 2)
    g = grad(dataclass_loss)(Params(0.2, -0.3), 0.7)
    assert type(g) is Params


class Model:
    """A model as users write them: parameters as attributes, the forward pass as __call__."""

    def __init__(self):
        self.W = np.array([[0.5, -0.2], [0.3, 0.8]])
        self.b = np.array([0.1, -0.4])

    def __call__(self, x):
        return np.sum(np.tanh(self.W @ x + self.b))


def loss(model, x):
    return model(x) ** 2


def test_a_callable_object_is_differentiated_with_respect_to_its_call_arguments():
    model = Model()
    value, g = value_and_grad(model)(X)
    assert value == pytest.approx(model(X))
    h = 1e-6
    numeric = [(model(X + h * e) - model(X - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(g, numeric, rtol=1e-6)
    _, tangent = jvp(model, (X,), (np.array([1.0, 0.0]),))
    assert tangent == pytest.approx(numeric[0], rel=1e-6)


def test_its_parameters_through_a_function_that_calls_it():
    model = Model()
    g = grad(loss)(model, X)
    assert type(g) is Model
    h = 1e-6
    for name in ("W", "b"):
        value = getattr(model, name)
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            for sign in (1, -1):
                moved = Model()
                getattr(moved, name)[index] += sign * h
                numeric[index] += sign * loss(moved, X) / (2 * h)
        np.testing.assert_allclose(getattr(g, name), numeric, rtol=1e-5)
    # and through its unbound __call__, whose `self` is the model
    g_self = grad(Model.__call__, wrt="self")(model, X)
    np.testing.assert_allclose(g_self.W, grad(lambda m, x: m(x))(model, X).W)


@dataclasses.dataclass
class WithPostInit:
    a: float

    def __post_init__(self):
        self.a = 2 * self.a


def builds_post_init(x):
    return WithPostInit(x).a


def test_a_class_whose_constructor_does_more_is_refused():
    with pytest.raises(UnsupportedConstructError, match="constructing a `WithPostInit`") as info:
        grad(builds_post_init)
    assert "test_records.py" in str(info.value)


def helper_reads_fields(p, x):
    return p.mu * x * p.log_sigma


def object_to_a_helper_and_read_here(p, x):
    here = p.mu * 2.0
    there = helper_reads_fields(p, x)
    return here + there


def namedtuple_to_a_helper_and_read_here(x):
    n = Normal(x, 2 * x)
    return log_density(n, 0.5) + n.sigma * n.mu


@pytest.mark.parametrize("f, args", [
    (object_to_a_helper_and_read_here, (Params(1.0, 2.0), 3.0)),
    (namedtuple_to_a_helper_and_read_here, (0.8,)),
])
def test_adjoints_of_records_returned_by_a_helper_add_to_the_callers(f, args):
    g = both_modes(f, *args, wrt=0)
    if isinstance(g, Params):           # d/dmu = 2 + x * log_sigma, d/dlog_sigma = mu * x
        assert (g.mu, g.log_sigma) == pytest.approx((8.0, 3.0))
