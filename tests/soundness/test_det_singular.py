"""np.linalg.det's gradient is the cofactor matrix, defined for singular matrices too: the adjoint no
longer inverts the matrix (LinAlgError there). Checked against central differences; the second derivative
at a singular matrix is a clear error, at an invertible one it matches central differences."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError


def central(f, a, h=1e-6):
    out = np.zeros_like(a)
    for index in np.ndindex(a.shape):
        e = np.zeros_like(a)
        e[index] = h
        out[index] = (f(a + e) - f(a - e)) / (2 * h)
    return out


def det_sum(a):
    return np.sum(np.linalg.det(a))


SINGULAR = {
    "rank 1, 2x2": np.array([[1.0, 2.0], [2.0, 4.0]]),
    "rank 2, 3x3": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]),
    "rank 1, 3x3": np.outer([1.0, -2.0, 0.5], [3.0, 1.0, -1.0]),
    "zero row, 3x3": np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [2.0, -1.0, 3.0]]),
    "batch": np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[2.0, 1.0], [0.5, 3.0]])]),
}


@pytest.mark.parametrize("name", sorted(SINGULAR))
def test_gradient_of_det_at_singular_matrices(name):
    a = SINGULAR[name]
    g = s2sgrad.grad(det_sum)(a)
    np.testing.assert_allclose(g, central(det_sum, a), rtol=1e-6, atol=1e-8)


def test_gradient_of_det_at_an_invertible_matrix_is_det_times_inverse_transposed():
    a = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, 1.0], [0.0, -1.0, 4.0]])
    np.testing.assert_allclose(s2sgrad.grad(det_sum)(a), np.linalg.det(a) * np.linalg.inv(a).T, rtol=1e-12)


def test_hessian_of_det():
    a = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, 1.0], [0.0, -1.0, 4.0]])
    h = s2sgrad.hessian(det_sum)(a)
    grad = s2sgrad.grad(det_sum)
    numeric = np.stack([central(lambda m, i=i: grad(m).reshape(-1)[i], a).reshape(-1) for i in range(9)])
    np.testing.assert_allclose(h.reshape(9, 9), numeric, rtol=1e-6, atol=1e-7)
    with pytest.raises(S2SGradError, match="singular matrix"):
        s2sgrad.hessian(det_sum)(SINGULAR["rank 2, 3x3"])
