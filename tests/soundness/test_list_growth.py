"""A loop that reads a list it appends to: each iteration's read must be recorded, and positions
counted from the end (`rows[-1]`) must mean, in the reverse sweep, what they meant then.

Both once gave silently wrong gradients: the read `rows[-1]` looked loop-invariant (the list is never
re-assigned, only appended to), and its adjoint went to the last entry of the full-length adjoint list.
"""
import numpy as np
import pytest

import s2sgrad

from tests.soundness import list_growth_functions as functions

from ..higher_order.differences import central


@pytest.mark.parametrize("f", [functions.running_products, functions.recurrence_from_the_end,
                               functions.rows_as_array])
def test_gradient_matches_central(f):
    x = np.array([0.3, -0.5, 0.7])
    np.testing.assert_allclose(s2sgrad.grad(f)(x), central(f, x), rtol=1e-6, atol=1e-9)


def test_forward_mode_agrees():
    x = np.array([0.3, -0.5, 0.7])
    v = np.array([1.0, 2.0, -1.0])
    _, tangent = s2sgrad.jvp(functions.recurrence_from_the_end, (x,), (v,))
    gradient = s2sgrad.grad(functions.recurrence_from_the_end)(x)
    assert tangent == pytest.approx(gradient @ v, rel=1e-10)
