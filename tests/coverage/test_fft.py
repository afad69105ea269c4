"""np.fft in user functions: every transform with n/s, axis/axes and norm, in both modes, real and complex inputs."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .both_modes import check_both_modes
from .test_complex_numbers import wirtinger_numeric

RNG = np.random.default_rng(5)
X = RNG.normal(size=(4, 6))
Z = RNG.normal(size=(4, 6)) + 1j * RNG.normal(size=(4, 6))


def spectra(x):
    one = np.fft.fft(x, axis=0, norm="ortho")
    padded = np.fft.ifft(x, n=8)
    half = np.fft.rfft(x, n=5)
    back = np.fft.irfft(half * (1 + 0.5j), n=7, norm="forward")
    herm = np.fft.hfft(half, n=6) + np.fft.ihfft(x)[..., :1].real
    return (np.sum(np.abs(one) ** 2) + np.sum(np.real(padded) * np.imag(padded)) + np.sum(back ** 2)
            + np.sum(herm * np.arange(6)))


def spectra_nd(x):
    plane = np.fft.fft2(x, s=(5, 4))
    back = np.fft.ifftn(plane * np.conj(plane), axes=(1,))
    half = np.fft.rfftn(x, s=(4, 6), axes=(0, 1), norm="ortho")
    full = np.fft.irfft2(half, s=(4, 5))
    shifted = np.fft.fftshift(np.fft.rfft2(x), axes=0)
    return (np.sum(np.abs(back)) + np.sum(full ** 3) + np.sum(np.abs(shifted) ** 2 * np.arange(4)[:, None])
            + np.real(np.sum(np.fft.ifft2(x) * np.fft.fftfreq(6))))


@pytest.mark.parametrize("f", [spectra, spectra_nd])
def test_real_inputs_in_both_modes(f):
    check_both_modes(f, X, rtol=1e-5, atol=1e-5)


def complex_spectrum(z):
    w = np.fft.fft(z, n=7, axis=1) * np.exp(1j * np.arange(7))
    return np.sum(np.abs(np.fft.ifft2(w, norm="forward"))) + np.sum(np.fft.irfft(z, axis=0) ** 2)


def test_complex_inputs_get_df_dx_minus_i_df_dy():
    g = s2sgrad.grad(complex_spectrum)(Z)
    np.testing.assert_allclose(g, wirtinger_numeric(complex_spectrum, Z), rtol=1e-5, atol=1e-5)


def test_the_power_spectrum_gradient_is_parseval():
    # sum |fft(x)|^2 = n sum x^2, so the gradient is 2 n x
    g = s2sgrad.grad(lambda x: np.sum(np.abs(np.fft.fft(x)) ** 2))(X[0])
    np.testing.assert_allclose(g, 2 * 6 * X[0], rtol=1e-10)
