"""Loops that write into arrays in place, at every order, against central differences.

Two silent wrong results, one at first order:
- `recomputed_then_written`: `v = u * 1.5` is recomputed alike at each iteration, so the tape left it out
  (a loop-invariant value's last one serves every iteration); but the body writes into it, and the reverse
  sweep puts back what each write overwrote, so from the second reversed iteration on it read the old
  values: the gradient itself was wrong, and its Hessian with it.
- `marches`, third derivative by forward mode over the Hessian's code: that code restores arrays popped from
  its tape in place (`v_2_dot[1:-1] = t7_2_dot`) while views of them popped beside them are read on. No name
  reads the restored array again, so the activity analysis dropped the restore's tangent, and the views'
  tangents kept the overwritten values. In such code (one the in-place checks were skipped for), every
  array written into counts as reaching the result.
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .differences import central


def recomputed_then_written(u):
    s = 0.0
    for _ in range(3):
        v = u * 1.5
        v[1:-1] = v[1:-1] * u[2:] + 0.1 * u[:-2]
        s = s + np.sum(v ** 3)
    return s


def marches(u):
    for _ in range(2):
        v = u.copy()
        v[1:-1] = v[1:-1] * u[2:] + 0.1 * u[:-2]
        u = v
    return np.sum(u ** 3)


def written_in_a_branch(x):
    y = np.zeros(4)
    for i in range(1, 4):
        y[i] = y[i - 1] * x[i] + np.sin(x[i - 1])
        if x[i] > 0.5:
            y[i - 1] = y[i - 1] ** 2
    return np.sum(y ** 2)


_U = np.linspace(0.2, 1.1, 5)


def test_the_gradient_of_an_array_recomputed_then_written_in_a_loop():
    np.testing.assert_allclose(s2sgrad.grad(recomputed_then_written)(_U), central(recomputed_then_written, _U),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f", [recomputed_then_written, marches, written_in_a_branch])
def test_second_and_third_derivatives(f):
    u = _U[:4] if f is written_in_a_branch else _U
    hessian = s2sgrad.hessian(f)
    np.testing.assert_allclose(hessian(u), central(s2sgrad.grad(f), u), rtol=1e-5, atol=1e-6)
    third = s2sgrad.jacfwd(hessian)(u)
    np.testing.assert_allclose(third, central(hessian, u, eps=1e-5), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(third, np.transpose(third, (1, 0, 2)), rtol=1e-9, atol=1e-9)
