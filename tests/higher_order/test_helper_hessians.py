"""Hessians of everyday functions whose gradients call runtime adjoint helpers.

A Hessian is forward mode over the gradient's code, so it differentiates the helpers that code calls
(cumprod_adjoint, tile_adjoint, einsum_call_adjoints, the fft adjoints, ...): through their table entries
(rules/runtime_rules.py) or their source. Each Hessian here is checked against central differences of the
gradient; each used to stop with an error inside s2sgrad's runtime (a generator expression, a starred
tuple, an in-place write such as eig_adjoint's np.put_along_axis, np.polyder, np.pad or np.where of a
complex value, np.isposinf in np.nan_to_num's adjoint) or, for a complex literal on a Python float, with
a raw TypeError; boxcox's second derivative in lmbda at lmbda = 0 was 0 (its slope there was a constant).
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

try:
    import scipy.special as special
except ImportError:                 # the Python 3.10 environment has no SciPy
    special = None

_RNG = np.random.default_rng(7)
_A = _RNG.standard_normal((3, 3))
_C = _RNG.standard_normal((3, 2))
_V = _RNG.standard_normal(4)
_P = np.array([0.5, -1.0, 2.0])


def cumprod(x):
    return np.sum(np.cumprod(x) ** 2)


def cumprod_method(a):
    return np.sum(a.cumprod(axis=1) ** 2)


def tile(x):
    return np.sum(np.tile(x, (2, 1)) ** 3)


def kron(a):
    return np.sum(np.kron(a, _C) ** 2)


def item(x):
    return x.item(1) ** 3


def polyval(p):
    return np.sum(np.polyval(p, _V) ** 2)


def arange(start):
    return np.sum(np.arange(start, 4.0, 0.5) ** 3)


def var(a):
    return np.sum(np.var(a, axis=0, ddof=1) ** 2)


def irfft(x):
    return np.sum(np.fft.irfft(x) ** 3)


def irfft2(a):
    return np.sum(np.fft.irfft2(a) ** 3)


def rfft_modulus(x):
    return np.sum(abs(np.fft.rfft(x)) ** 2 * np.arange(3.0))


def complex_literal(x):
    return abs(x + 1j * x ** 2)


def complex_literal_array(x):
    return np.sum(np.abs(x + 1j * x ** 2) ** 3)


def einsum_product(a):
    return np.sum(np.einsum("ij,jk->ik", a, a) ** 2)


def einsum_three(a):
    return np.sum(np.einsum("ij,jk,kl->il", a, a, a) ** 2)


def einsum_diagonal(a):
    return np.sum(np.einsum("ii->i", a) ** 3)


def einsum_sublists(a):
    return np.sum(np.einsum(a, [0, 1], _C, [1, 2], [0, 2]) ** 3)


def eigenvectors(a):
    w, v = np.linalg.eig(a + np.diag([2.0, 4.0, 6.0]))      # well separated eigenvalues
    return np.sum(np.real(v) ** 3) + np.sum(np.real(w) ** 2)


def boxcox_at_zero(lmbda):
    return np.sum(special.boxcox(_V ** 2 + 0.5, lmbda) ** 2)


def inv_boxcox_at_zero(lmbda):
    return np.sum(special.inv_boxcox(0.5 * _V, lmbda) ** 2)


def nan_to_num_fill(top):
    return np.sum(np.nan_to_num(np.array([1.0, np.inf, np.nan]), posinf=top, nan=top) ** 3)


def concatenated(x):
    return np.sum(np.concatenate([x, x ** 2]) ** 2)


CASES = [(cumprod, _V), (cumprod_method, _A), (tile, _V[:3]), (kron, _A[:2, :2]), (item, _V), (polyval, _P),
         (arange, 0.7), (var, _A), (irfft, _V), (irfft2, _A), (rfft_modulus, _V), (complex_literal, 0.7),
         (complex_literal_array, _V), (einsum_product, _A), (einsum_three, _A), (einsum_diagonal, _A),
         (einsum_sublists, _A), (eigenvectors, _A), (nan_to_num_fill, 3.0),
         (concatenated, _V)] + ([(boxcox_at_zero, 0.0), (inv_boxcox_at_zero, 0.0)] if special is not None else [])


# the gradient near lmbda = 0 divides by lmbda: a step of 1e-6 would lose the difference to rounding
_STEPS = {boxcox_at_zero: 1e-3, inv_boxcox_at_zero: 1e-3}


@pytest.mark.parametrize("f, x", CASES, ids=[f.__name__ for f, _ in CASES])
def test_hessian_against_central_differences_of_the_gradient(f, x):
    hessian = np.asarray(s2sgrad.hessian(f)(x))
    gradient = s2sgrad.grad(f)
    x = np.asarray(x, dtype=float)
    h = _STEPS.get(f, 1e-6)
    columns = []
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        up, down = (gradient(float(x + s)) if x.ndim == 0 else gradient(x + s) for s in (step, -step))
        columns.append(np.ravel((np.asarray(up) - np.asarray(down)) / (2 * h)))
    want = np.reshape(np.stack(columns, axis=-1), np.shape(hessian))
    scale = max(1.0, float(np.max(np.abs(want))))
    tolerance = 1e-5 if h == 1e-6 else 1e-4
    np.testing.assert_allclose(hessian, want, rtol=tolerance, atol=tolerance * scale)
