"""sorted(xs, key=...) at second order: the key only orders the values, so its derivative is zero whatever it
reads. The gradient's sorted_adjoint sorts again with the same key (a lambda reading the values), and forward
mode over it refused the key as 'a parameter carrying a derivative' without a tangent."""
import numpy as np
import pytest

import s2sgrad


def top_two(xs):
    ys = sorted(xs, key=lambda v: -v)
    return ys[0] ** 3 * 2 + ys[1] ** 2


def test_hessian_through_sorted_with_a_key_matches_central_differences():
    xs = [0.3, 1.5, 0.7]
    hessian = np.asarray(s2sgrad.hessian(top_two)(xs))
    gradient = s2sgrad.grad(top_two)
    h = 1e-5
    columns = []
    for k in range(3):
        up, down = list(xs), list(xs)
        up[k] += h
        down[k] -= h
        columns.append((np.asarray(gradient(up)) - np.asarray(gradient(down))) / (2 * h))
    np.testing.assert_allclose(hessian, np.array(columns).T, rtol=1e-6, atol=1e-8)
    assert hessian[1, 1] == pytest.approx(12 * 1.5) and hessian[2, 2] == pytest.approx(2.0)
