"""scipy.linalg functions that share np.linalg's semantics (solve with its assume_a, eigh, svd, qr, norm,
pinv, lstsq), LU factor-and-solve, Sylvester equations, logm and the structured-matrix builders, plus
scipy.signal's convolutions, in user code in both modes; arguments that change the math and have no
rule are refused at the call."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

scipy = pytest.importorskip("scipy")
import scipy.linalg as la  # noqa: E402
import scipy.signal as signal  # noqa: E402

from .both_modes import check_both_modes  # noqa: E402

RNG = np.random.default_rng(0)
M = RNG.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)
B = RNG.uniform(-1, 1, (3, 2))


def structured_solves(a, b):
    sym = a @ a.T
    total = np.sum(la.solve(a, b)) + np.sum(la.solve(a, b, transposed=True))
    total = total + np.sum(la.solve(sym, b, assume_a="pos")) + np.sum(la.solve(np.triu(a), b[:, 0], assume_a="sym"))
    return total + np.sum(la.solve(a, b, assume_a="tridiagonal") ** 2)


def decompositions(a):
    w, v = la.eigh(a + a.T)
    u, s, vh = la.svd(a)
    q, r = la.qr(a[:, :2], mode="economic")
    total = np.sum(w ** 2) + np.sum((v * v) @ w) + np.sum(s) + np.sum(np.abs(u @ vh)) + np.sum(r ** 2) + np.sum(q[0])
    total = total + la.norm(a) + la.norm(a, 2) + np.sum(la.eigvalsh(a + a.T, lower=False)) + np.sum(la.svdvals(a))
    x, residues, rank, _ = la.lstsq(a[:, :2], B[:, 0])
    return total + np.sum(la.pinv(a[:2])) + np.sum(x) + residues


def factor_and_solve(a, b):
    lu_and_piv = la.lu_factor(a)
    x = la.lu_solve(lu_and_piv, b) + la.lu_solve(lu_and_piv, b, trans=1)
    y = la.solve_sylvester(a, a.T + 1.5 * np.eye(3), b @ b.T)
    return np.sum(x ** 2) + np.sum(y) + np.trace(la.logm(a @ a.T))


def builders(c, r):
    total = np.sum(la.toeplitz(c, r) @ r) + np.sum(la.toeplitz(c) ** 2) + np.sum(la.circulant(c) @ c)
    total = total + np.sum(la.hankel(c, r) ** 2) + np.sum(la.hankel(c))
    return total + np.sum(la.block_diag(np.outer(c, c), r, 2.0 * c[0]) ** 2)


def convolutions(x, k):
    image = np.outer(x, x)
    total = np.sum(signal.convolve(x, k) ** 2) + np.sum(signal.correlate(x, k, mode="same") * x)
    total = total + np.sum(signal.fftconvolve(image, np.outer(k, k), mode="valid"))
    return total + np.sum(signal.correlate(image, np.outer(k, k), mode="full", method="direct") ** 2)


def test_solve_with_each_structure_in_both_modes():
    check_both_modes(structured_solves, M, B, wrt=(0, 1))


def test_shared_decompositions_in_both_modes():
    check_both_modes(decompositions, M)


def test_lu_sylvester_and_logm_in_both_modes():
    check_both_modes(factor_and_solve, M, B, wrt=(0, 1))


def test_structured_matrix_builders_in_both_modes():
    check_both_modes(builders, np.array([0.5, -1.2, 0.8]), np.array([0.3, 0.9, -0.4, 1.1]), wrt=(0, 1))


def test_convolutions_in_both_modes():
    check_both_modes(convolutions, np.array([0.5, -1.2, 0.8, 0.3, 1.4]), np.array([0.7, -0.2, 0.4]), wrt=(0, 1))


def test_second_derivative_of_a_symmetric_solve():
    def energy(b):
        return b @ la.solve(M @ M.T, b, assume_a="pos")

    b = np.array([0.3, -0.5, 1.1])
    np.testing.assert_allclose(s2sgrad.hessian(energy)(b), 2 * np.linalg.inv(M @ M.T), rtol=1e-10)


def test_second_derivative_through_a_convolution():
    kernel = np.array([0.7, -0.2, 0.4])

    def energy(x):
        return np.sum(signal.convolve(x, kernel, mode="same") ** 2)

    # the 'same' window of the full convolution matrix C: the Hessian is 2 C^T C
    full = np.stack([np.convolve(e, kernel) for e in np.eye(4)], axis=1)
    window = full[1:5]
    np.testing.assert_allclose(s2sgrad.hessian(energy)(np.array([0.5, -1.0, 0.3, 0.8])), 2 * window.T @ window,
                               rtol=1e-10)


def real_part_of_a_complex_logarithm(a):
    weights = np.array([[1.0, 2.0], [-0.5, 1.5]])
    return np.sum(np.real(la.logm(a)) * weights) + np.sum(np.imag(la.sqrtm(a)) * weights)


def test_a_real_matrix_whose_logarithm_and_root_are_complex_gets_a_real_gradient():
    a = np.array([[-1.0, 0.3], [0.2, 2.0]])          # an eigenvalue on the negative real axis
    check_both_modes(real_part_of_a_complex_logarithm, a)
    assert not np.iscomplexobj(s2sgrad.grad(real_part_of_a_complex_logarithm)(a))


def generalized_eigh(a, b):
    return np.sum(la.eigh(a, b, eigvals_only=True))


def pivoted_qr(a):
    q, r, p = la.qr(a, pivoting=True)
    return np.sum(r)


def along_axes(x, k):
    return np.sum(signal.fftconvolve(x, k, axes=1))


def batched_lu(a):
    return np.sum(la.lu_factor(a)[0])


def batched_toeplitz(c):
    return np.sum(la.toeplitz(c) ** 2)


def test_batches_of_lu_factors_and_toeplitz_matrices_are_refused_at_the_call():
    batch = np.stack([M, M.T])
    for fn, arg in ((batched_lu, batch), (batched_toeplitz, batch[:, 0])):
        with pytest.raises(s2sgrad.S2SGradError, match="of a batch") as info:
            s2sgrad.grad(fn)(arg)
        assert "test_scipy_linalg_shared.py" in str(info.value), fn.__name__


def test_arguments_without_a_rule_are_refused_at_the_call():
    sym = M @ M.T
    for fn, args in ((generalized_eigh, (sym, np.eye(3))), (pivoted_qr, (M,)), (along_axes, (M, B))):
        with pytest.raises(s2sgrad.S2SGradError) as info:
            s2sgrad.grad(fn)(*args)
        assert "test_scipy_linalg_shared.py" in str(info.value), fn.__name__
