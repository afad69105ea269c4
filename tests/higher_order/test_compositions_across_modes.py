"""Compositions of the transformations that failed with a bare error, each checked against central differences
of the derivative one order below it.

- a third derivative with reverse mode outermost over np.linalg.solve (jacrev(hessian(f))): the generated code
  of forward mode over the runtime's solve_adjoint_a names its result solve_adjoint_a, and the reverse sweep's
  call to the helper solve_adjoint_a read that local ('numpy.ndarray' object is not callable).
- reverse mode over reverse mode over reverse mode of a while loop: the third level's code has a `__1`, and
  reading the second level's code back recompiled it inside a class named after the user's function (read from
  the name `f.<grad_f>`), where Python mangles `__1`: "its source has changed since the function was defined".
"""
from __future__ import annotations

import numpy as np

import s2sgrad

from .differences import central

_A = np.array([[4.0, 0.5, -0.3], [0.5, 3.0, 0.2], [-0.3, 0.2, 5.0]])
_X = np.array([0.3, -0.4, 1.2])


def solves(x):
    m = _A + np.outer(x, x)
    return np.sum(np.linalg.solve(m, x) ** 2)


def loops_while(x):
    s = x[0]
    k = 0
    while k < 4:
        s = s * 0.5 + np.cos(s * x[1]) * x[2]
        k += 1
    return s


def test_reverse_mode_over_the_hessian_of_a_solve():
    third = s2sgrad.jacrev(s2sgrad.hessian(solves))(_X)
    np.testing.assert_allclose(third, central(s2sgrad.hessian(solves), _X, eps=1e-5), rtol=1e-4, atol=1e-6)


def test_reverse_mode_three_times_over_a_while_loop():
    third = s2sgrad.jacrev(s2sgrad.jacrev(s2sgrad.jacrev(loops_while)))(_X)
    np.testing.assert_allclose(third, central(s2sgrad.hessian(loops_while), _X, eps=1e-5), rtol=1e-4, atol=1e-6)
