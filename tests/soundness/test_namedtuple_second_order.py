"""Second derivatives of a function that builds a namedtuple and reads it by field name. The gradient
scatters into the namedtuple's adjoint by name (`add_at(dp, 'x', ...)`); forward mode over it started the
tangent of that adjoint from a zero that was a plain list, so the first scatter by name stopped with a bare
`TypeError: list indices must be integers or slices, not str`. The zero tangent of a namedtuple's adjoint
keeps its field names. Checked against central differences of the gradient."""
from typing import NamedTuple

import numpy as np
import pytest

import s2sgrad

from ..higher_order.differences import central


class Point(NamedTuple):
    x: float
    y: float = 1.0


class Layer(NamedTuple):
    w: np.ndarray
    b: np.ndarray


def by_field(x):
    p = Point(x, 3.0)
    return p.x * p.y + p.x ** 3


def _point(x):
    return Point(np.sin(x), x * x)


def from_helper(x):
    p = _point(x)
    return p.x * p.y + p.y ** 2


def arrays_by_field(v):
    layer = Layer(v[:2] * 2.0, v[2:] ** 2)
    return np.sum(np.tanh(layer.w) * layer.b) + np.sum(layer.w ** 3)


@pytest.mark.parametrize("f", [by_field, from_helper], ids=lambda f: f.__name__)
def test_second_derivative_of_a_namedtuple_read_by_field(f):
    x = 0.7
    expected = central(s2sgrad.grad(f), x)
    hessian = s2sgrad.hessian(f)
    for _ in range(3):
        assert float(hessian(x)) == pytest.approx(expected, rel=1e-6)
    assert s2sgrad.grad(s2sgrad.grad(f))(x) == pytest.approx(expected, rel=1e-6)


def test_hessian_of_a_namedtuple_of_arrays():
    v = np.array([0.3, -0.8, 1.1, 0.5])
    hessian = s2sgrad.hessian(arrays_by_field)
    expected = central(s2sgrad.grad(arrays_by_field), v)
    for _ in range(3):
        np.testing.assert_allclose(hessian(v), expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(s2sgrad.jacrev(s2sgrad.grad(arrays_by_field))(v), expected, rtol=1e-6, atol=1e-8)
