"""Why reverse mode over a gradient that writes in place stays refused: a case it would get wrong.

In `pushes_before_writing` the gradient's loop records `v` on its tape before `v[1] = sin(x[i])` (the
tape keeps the array, not a copy), and its reverse sweep reads the popped `v` in `dw += du * v` while
the array still holds the written value, before it puts the old `v[1]` back. Reverse mode over that code
reads the tape by value: it takes the popped `v` to be the array as pushed, so the second derivative
through `v[1]` goes to the overwritten `2 * u[1]` instead of `sin(x[i])`. With the refusal lifted,
jacrev(grad(f)) in w gave 1.29 where the Hessian entry is 0. Forward mode follows the writes as they run
and is right; every reverse-over-reverse route (jacrev of grad, grad of a function calling the gradient,
jacrev of jacrev) stops at the gradient's line and points to it.
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError

from .differences import central


def pushes_before_writing(x, w):
    u = x * 1.0
    for i in range(3):
        v = u * 2.0
        v[1] = np.sin(x[i])
        u = v * w
    return np.sum(u)


_X = np.array([0.3, 0.7, 1.2])
_W = np.array([0.5, -1.0, 2.0])


def test_forward_over_reverse_is_right():
    gradient = s2sgrad.grad(pushes_before_writing, wrt=1)
    expected = central(lambda w: gradient(_X, w), _W)
    assert expected[1, 1] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(s2sgrad.hessian(pushes_before_writing, wrt=1)(_X, _W), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("route", ["jacrev_of_grad", "grad_of_a_call", "jacrev_of_jacrev"])
def test_every_reverse_over_reverse_route_is_refused_at_the_gradients_line(route):
    gradient = s2sgrad.grad(pushes_before_writing, wrt=1)
    derivative = {
        "jacrev_of_grad": lambda: s2sgrad.jacrev(gradient, wrt=1)(_X, _W),
        "grad_of_a_call": lambda: s2sgrad.grad(lambda w: gradient(_X, w) @ _W)(_W),
        "jacrev_of_jacrev": lambda: s2sgrad.jacrev(s2sgrad.jacrev(pushes_before_writing, wrt=1), wrt=1)(_X, _W),
    }[route]
    with pytest.raises(UnsupportedConstructError) as caught:
        derivative()
    assert "forward mode over it is" in str(caught.value)
    assert caught.value.location is not None
