"""Adjoints of np.fft's transforms.

Adjoints follow the convention of autograd and JAX: the adjoint of a complex
value z = x + iy is dL/dx - i dL/dy, so a linear map's adjoint is its plain
transpose (no conjugate). The DFT matrix is symmetric, so the transpose of a
complex transform is the same transform; what remains is bookkeeping:

- `n`/`s` crop or zero-pad the input before transforming: the adjoint crops or
  pads back to the input's length (fit_length);
- rfft keeps the first n//2 + 1 outputs of a real input: its transpose pads the
  adjoint with zeros to n, transforms, and keeps the real part (the input is real);
- irfft reads a half spectrum as the whole Hermitian one: each bin other than
  the zero and Nyquist bins stands for two, so its adjoint counts twice.

Tangents need nothing here: every transform is linear over the reals, so the
tangent is the transform of the tangent (the table's `linear` fact).
"""
from __future__ import annotations

import numpy as np

from .namespace import array_of, numpy_values_like

__all__ = ["fit_length", "fit_length_like", "real_like_input",
           "fft_adjoint", "ifft_adjoint", "rfft_adjoint", "irfft_adjoint", "hfft_adjoint", "ihfft_adjoint",
           "fftn_adjoint", "ifftn_adjoint", "rfftn_adjoint", "irfftn_adjoint"]

_SCALE = {"backward": "forward", "forward": "backward", "ortho": "ortho", None: "forward"}


def fit_length(g, length, axis):
    """`g` cropped or zero-padded along `axis` to `length` (the transpose of the transform's own fitting)."""
    have = np.shape(g)[axis]
    if have > length:                   # a slice: an index array would be NumPy's, which CuPy refuses
        return g[(slice(None),) * (axis % np.ndim(g)) + (slice(0, length),)]
    if have < length:
        widths = [(0, 0)] * np.ndim(g)
        widths[axis] = (0, length - have)
        return np.pad(g, widths)
    return g


def fit_length_like(d, g, axis):
    """`d` cropped or zero-padded along `axis` to g's length there: the transpose of fit_length in g."""
    return fit_length(d, np.shape(g)[axis], axis)


def real_like_input(g, x):
    """The adjoint of a real input is real (the imaginary part belongs to no direction of x), in x's precision."""
    dtype = getattr(x, "dtype", np.dtype(np.float64))
    if not np.issubdtype(dtype, np.inexact):
        dtype = np.dtype(np.float64)
    if np.iscomplexobj(x):
        return array_of(g, np.result_type(dtype, np.complex64))
    return array_of(np.real(g), dtype)


def fft_adjoint(g, a, n=None, axis=-1, norm=None):
    return real_like_input(fit_length(np.fft.fft(g, axis=axis, norm=norm), np.shape(a)[axis], axis), a)


def ifft_adjoint(g, a, n=None, axis=-1, norm=None):
    return real_like_input(fit_length(np.fft.ifft(g, axis=axis, norm=norm), np.shape(a)[axis], axis), a)


def rfft_adjoint(g, a, n=None, axis=-1, norm=None):
    n = np.shape(a)[axis] if n is None else n
    full = np.fft.fft(fit_length(g, n, axis), axis=axis, norm=norm)
    return real_like_input(fit_length(full, np.shape(a)[axis], axis), a)


def irfft_adjoint(g, a, n=None, axis=-1, norm=None):
    """y = irfft(a): y_t = scale * sum_k w_k Re(a_k e^(2 pi i k t / n)), w_k = 2 but for the zero and Nyquist bins."""
    m = np.shape(a)[axis]
    return real_like_input(_irfft_transpose(g, m, 2 * (m - 1) if n is None else n, axis, norm), a)


def _irfft_transpose(g, m, n, axis, norm):
    # scale * sum_t g_t e^(+2 pi i k t / n), by the forward transform with the scale swapped, conjugated
    spectrum = np.conj(np.fft.rfft(g, axis=axis, norm=_SCALE[norm]))
    twice = np.full(n // 2 + 1, 2.0, dtype=np.real(spectrum).dtype)
    twice[0] = 1.0
    if n % 2 == 0:
        twice[-1] = 1.0
    shape = [1] * np.ndim(spectrum)
    shape[axis] = n // 2 + 1
    return fit_length(spectrum * numpy_values_like(spectrum, twice.reshape(shape)), m, axis)


def hfft_adjoint(g, a, n=None, axis=-1, norm=None):
    # hfft(a) = irfft(conj(a)) with the scaling of the other direction
    return real_like_input(np.conj(irfft_adjoint(g, a, n, axis, _SCALE[norm])), a)


def ihfft_adjoint(g, a, n=None, axis=-1, norm=None):
    # ihfft(a) = conj(rfft(a)) with the scaling of the other direction
    return rfft_adjoint(np.conj(g), a, n, axis, _SCALE[norm])


def _axes_and_sizes(a, s, axes, last_from_half=False):
    """NumPy's reading of (s, axes) for the n-dimensional transforms."""
    if axes is None:
        axes = tuple(range(np.ndim(a)))[-len(s):] if s is not None else tuple(range(np.ndim(a)))
    axes = tuple(int(ax) % np.ndim(a) for ax in np.atleast_1d(axes))
    if s is None:
        s = [np.shape(a)[ax] for ax in axes]
        if last_from_half:
            s = s[:-1] + [2 * (s[-1] - 1)]
    return axes, list(s)


def fftn_adjoint(g, a, s=None, axes=None, norm=None):
    axes, s = _axes_and_sizes(a, s, axes)
    for ax in axes:
        g = fit_length(np.fft.fft(g, axis=ax, norm=norm), np.shape(a)[ax], ax)
    return real_like_input(g, a)


def ifftn_adjoint(g, a, s=None, axes=None, norm=None):
    axes, s = _axes_and_sizes(a, s, axes)
    for ax in axes:
        g = fit_length(np.fft.ifft(g, axis=ax, norm=norm), np.shape(a)[ax], ax)
    return real_like_input(g, a)


def rfftn_adjoint(g, a, s=None, axes=None, norm=None):
    # rfftn: rfft along the last axis, then fft along the others; the adjoint undoes them in reverse
    axes, s = _axes_and_sizes(a, s, axes)
    for ax, n in zip(axes[:-1], s[:-1]):
        g = fit_length(np.fft.fft(g, axis=ax, norm=norm), np.shape(a)[ax], ax)
    return rfft_adjoint(g, a, s[-1], axes[-1], norm)


def irfftn_adjoint(g, a, s=None, axes=None, norm=None):
    # irfftn: ifft along all axes but the last, then irfft along the last
    axes, s = _axes_and_sizes(a, s, axes, last_from_half=True)
    g = _irfft_transpose(g, np.shape(a)[axes[-1]], s[-1], axes[-1], norm)
    for ax in reversed(axes[:-1]):
        g = fit_length(np.fft.ifft(g, axis=ax, norm=norm), np.shape(a)[ax], ax)
    return real_like_input(g, a)
