"""Functions of the singular values alone, taken from np.linalg.svd with its factors unused (and of the
eigenvalues alone from np.linalg.eig), at matrices whose singular values repeat or vanish (the identity, a diagonal with a repeated entry, zeros, a
rank-deficient matrix). sum(s ** 2) is the squared Frobenius norm, whose gradient 2a exists everywhere, but
the SVD's adjoint multiplied the unused factors' zero adjoints by 1 / (s_j^2 - s_i^2) and 1 / s: 0 * inf, a
gradient of nan, silently. Unused factors' terms are left out (as eigh's adjoint already did)."""
import numpy as np
import pytest

import s2sgrad


def frobenius_squared(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(s ** 2)


def reduced_frobenius_squared(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return np.sum(s ** 2) + np.sum(s)


def nuclear(a):
    _, s, _ = np.linalg.svd(a)
    return np.sum(s)


MATRICES = {
    "identity": np.eye(3),
    "repeated": np.diag([1.0, 1.0, 2.0]),
    "zeros": np.zeros((3, 3)),
    "rank one": np.outer([1.0, 2.0, -1.0], [0.5, -1.0, 2.0]),
}


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_gradient_of_the_squared_singular_values(name):
    a = MATRICES[name]
    grad = s2sgrad.grad(frobenius_squared)
    for _ in range(3):
        np.testing.assert_allclose(grad(a), 2 * a, atol=1e-12)
    _, pull = s2sgrad.vjp(frobenius_squared, a)
    np.testing.assert_allclose(pull(0.5)[0], a, atol=1e-12)


def test_reduced_svd_of_a_tall_matrix_with_a_repeated_value():
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 3)))      # orthonormal columns: s = 1, 1, 1
    a = q * 2.0
    np.testing.assert_allclose(s2sgrad.grad(reduced_frobenius_squared)(a), 2 * a + q, atol=1e-12)


def test_nuclear_norm_at_the_identity():
    np.testing.assert_allclose(s2sgrad.grad(nuclear)(np.eye(3)), np.eye(3), atol=1e-12)


def eigenvalues_squared(a):
    w, v = np.linalg.eig(a)
    return np.sum(w.real ** 2)


@pytest.mark.parametrize("name", ["identity", "repeated"])
def test_eig_eigenvalues_alone_where_they_repeat(name):
    a = MATRICES[name]
    for _ in range(3):
        np.testing.assert_allclose(s2sgrad.grad(eigenvalues_squared)(a), 2 * a.T, atol=1e-12)
