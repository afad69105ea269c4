"""np.linalg.eig and eigvals of general (non-symmetric) matrices: complex eigenvalues and eigenvectors in
user functions, real and complex inputs, both modes."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .test_complex_numbers import wirtinger_numeric

RNG = np.random.default_rng(11)
A = RNG.normal(size=(4, 4))                       # real, with a complex pair of eigenvalues
Z = RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3))


def spectrum(a):
    w, v = np.linalg.eig(a)
    # what a result may depend on: eigenvalues, and eigenvectors up to their arbitrary phase
    return np.sum(np.abs(w) ** 2) + np.sum(np.real(w) ** 3) + np.sum(np.abs(v[0]) ** 2 * np.arange(np.shape(v)[1]))


def radius(a):
    return np.max(np.abs(np.linalg.eigvals(a @ a.T + a)))


@pytest.mark.parametrize("f", [spectrum, radius])
@pytest.mark.parametrize("a", [A, Z], ids=["real", "complex"])
def test_gradient(f, a):
    assert np.iscomplexobj(np.linalg.eigvals(A))          # the real case does pass through complex values
    g = s2sgrad.grad(f)(a)
    assert np.iscomplexobj(g) == np.iscomplexobj(a)
    np.testing.assert_allclose(g, wirtinger_numeric(f, a), rtol=1e-5, atol=1e-6)


def test_forward_mode():
    t = RNG.normal(size=A.shape)
    _, tangent = s2sgrad.jvp(spectrum, (A,), (t,))
    h = 1e-6
    np.testing.assert_allclose(tangent, (spectrum(A + h * t) - spectrum(A - h * t)) / (2 * h), rtol=1e-5)
