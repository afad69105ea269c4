"""Reverse mode over a gradient whose reverse sweep pops a loop tape (jacrev(grad(f)), jacrev(jacrev(f))).

The transpose of the tape's pop is a push of the popped value's adjoint onto the list's adjoint, and the
list gets the value back, so the reverse of the push that filled the tape finds both as they were.
Each result is checked against central differences of the gradient.
"""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import grad, hessian, jacrev

from .differences import central


def scalar_loop(x):
    t = 1.0
    for i in range(3):
        t = t * x + np.sin(t)
    return t


def scalar_while(x):
    t = x
    k = 0
    while k < 3:
        t = t * np.cos(t) + x
        k += 1
    return t


def array_loop(x):
    for i in range(3):
        x = np.sin(x) * x
    return np.sum(x)


def array_while(x):
    k = 0
    while k < 2:
        x = x * np.exp(-x)
        k += 1
    return np.sum(x ** 2)


def array_writes(x):
    y = np.zeros(3)
    for i in range(3):
        y[i] = x[i] * x[(i + 1) % 3]
    return np.sum(y * y)


def scaled_tanh(v):
    return np.tanh(v) * v


def helper_in_loop(x):
    s = 0.0
    for i in range(2):
        s = s + np.sum(scaled_tanh(x * (i + 1)))
    return s


@pytest.mark.parametrize("f", [scalar_loop, scalar_while])
def test_scalar_reverse_over_reverse(f):
    x = 0.7
    expected = central(grad(f), x)
    assert np.allclose(jacrev(grad(f))(x), expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f", [array_loop, array_while, array_writes, helper_in_loop])
def test_array_reverse_over_reverse(f):
    x = np.array([0.3, -0.5, 0.8])
    expected = central(grad(f), x)
    assert np.allclose(jacrev(grad(f))(x), expected, rtol=1e-6, atol=1e-8)
    assert np.allclose(jacrev(jacrev(f))(x), expected, rtol=1e-6, atol=1e-8)
    assert np.allclose(jacrev(grad(f))(x), hessian(f)(x), rtol=1e-10, atol=1e-12)


def test_third_order_over_a_popped_tape():
    """jacrev of a Hessian: reverse over forward over reverse, through the tape's pops."""
    x = np.array([0.3, -0.5, 0.8])
    expected = central(hessian(array_loop), x, eps=1e-5)
    assert np.allclose(jacrev(hessian(array_loop))(x), expected, rtol=1e-5, atol=1e-7)


def test_the_pop_is_reversed_by_pushes_in_the_printed_code():
    """The reverse-over-reverse code pushes the popped value's adjoint and puts the value back."""
    gradient = grad(scalar_loop)
    second = grad(gradient.generated_for(0.7), wrt=0)
    source = second.source_for(0.7)
    assert "dtape.append(" in source and "tape.append(t_2)" in source
