"""A gradient that scatters adjoints in a loop (`add_at(dparts, key, dval)` for a dict iterated in the
function), differentiated again: each iteration's scatter adds to the previous ones'. The loop did not
carry the scattered adjoint, so all but the last iteration were lost: a silently wrong Hessian."""
import numpy as np
import pytest

import s2sgrad

from .differences import central


def dict_of_terms(u):
    parts = {"square": np.sum(u ** 2), "peak": np.max(u), "mean": np.mean(np.sin(u))}
    total = 0.0
    for key, val in parts.items():
        total = total + np.tanh(val)
    return total


def rows_scattered(x):
    total = 0.0
    for i in range(3):
        total = total + np.sum(np.cos(x[i] * x[i + 1]))
    return total


@pytest.mark.parametrize("f, x", [(dict_of_terms, np.array([1.0171, -0.9379, 0.4])),
                                  (rows_scattered, np.array([0.3, -0.8, 1.1, 0.5]))])
def test_hessians_of_loops_that_scatter_adjoints(f, x):
    np.testing.assert_allclose(s2sgrad.hessian(f)(x), central(s2sgrad.grad(f), x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(s2sgrad.jacrev(s2sgrad.grad(f))(x), central(s2sgrad.grad(f), x),
                               rtol=1e-6, atol=1e-7)
