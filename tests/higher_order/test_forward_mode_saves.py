"""Forward mode over in-place writes leaves out the copies a reverse sweep would restore from.

Single-assignment form saves what each write overwrites (`t3 = copy_of(y[1:3])` before `y[1:3] = t2`,
ssa/inplace.py) for the reverse sweep to put back. Forward mode runs no reverse sweep: the copies were
dead statements in every jvp, and in every Hessian forward mode over a gradient that writes in place.
"""
from __future__ import annotations

import numpy as np

import s2sgrad

from .differences import central


def writes(x):
    y = x * 2.0
    y[1:3] = np.sin(x[0:2])
    for i in range(2):
        y[i] = y[i] * x[i]
    if x[0] > 0:
        y[3] = y[3] ** 2
    return np.sum(y ** 2)


def marches(u):
    for _ in range(3):
        v = u.copy()
        v[1:-1] = v[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u = v
    return np.sum(u ** 3)


_X = np.array([0.3, 0.7, 1.2, 2.0])


def test_the_jvp_of_an_in_place_function_copies_nothing():
    source = s2sgrad.jvp_source(writes, _X)
    assert "copy_of" not in source
    assert "y[1:3] = t2" in source and "y_dot[i] = " in source        # the writes themselves stay
    direction = np.array([1.0, -0.5, 0.25, 2.0])
    _, tangent = s2sgrad.jvp(writes, (_X,), (direction,))
    np.testing.assert_allclose(tangent, central(writes, _X) @ direction, rtol=1e-6)


def test_a_hessian_copies_only_what_the_gradient_itself_restores_from():
    gradient = s2sgrad.grad(marches)
    u = np.linspace(0.1, 1.0, 6)
    gradient_source = gradient.source_for(u)
    hessian_source = s2sgrad.jvp_source(gradient.generated_for(u), u)
    # the gradient's own saves (its forward sweep's, its adjoints' pieces) and their tangents: no more
    assert hessian_source.count("copy_of(") == 2 * gradient_source.count("copy_of(")
    np.testing.assert_allclose(s2sgrad.hessian(marches)(u), central(gradient, u), rtol=1e-5, atol=1e-7)
