"""A function that calls the gradient of code writing into arrays in place, differentiated again.

The gradient's generated code writes only into values it made (its adjoints, the arrays its own tape holds,
a copy of a seed it writes into), so calling it changes nothing outside it. The side-effect check read those
writes as changes to outside values and refused every derivative of a function calling such a gradient,
with advice about globals that did not apply. Forward mode follows the writes (as hessian does for the
gradient itself); reverse mode over them stays refused, at the gradient's line, pointing to forward mode.
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError

from .differences import central


def marches(u):
    for _ in range(3):
        v = u.copy()
        v[1:-1] = v[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u = v
    return np.sum(u ** 3)


_U = np.linspace(0.1, 1.0, 6) ** 2
_V = np.cos(np.arange(6.0))
_GRADIENT = s2sgrad.grad(marches)


def scaled_gradient(u):
    return _GRADIENT(u) * 2.0


def directional(u):
    return _GRADIENT(u) @ _V


def test_forward_mode_over_a_call_of_the_gradient():
    hessian = central(_GRADIENT, _U)
    np.testing.assert_allclose(s2sgrad.jacfwd(scaled_gradient)(_U), 2.0 * hessian, rtol=1e-5, atol=1e-7)
    _, tangent = s2sgrad.jvp(directional, (_U,), (_V,))
    np.testing.assert_allclose(tangent, _V @ hessian @ _V, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("derivative", [s2sgrad.grad, s2sgrad.jacrev])
def test_reverse_mode_over_it_is_refused_with_the_forward_mode_hint(derivative):
    with pytest.raises(UnsupportedConstructError) as caught:
        derivative(directional)(_U)
    assert "forward mode over it is" in str(caught.value)
    assert "a change to a value outside the function" not in str(caught.value)
