"""Derivatives of np.linalg.eig and np.linalg.eigvals (general square matrices, distinct eigenvalues).

With a = v diag(w) v^-1 and c = v^-1 da v: dw = diag(c), and dv = v (F * c) + v diag(k),
F[i, j] = 1 / (w[j] - w[i]) off the diagonal. The free diagonal k follows LAPACK's normalization of each
eigenvector (geev's documentation: unit Euclidean norm, largest component real), so the tangent is that of
the very vectors NumPy returns: Re k_j keeps the norm, Im k_j keeps the largest component m_j real.

Adjoints are transposes in the complex convention (the adjoint of z = x + iy is dL/dx - i dL/dy); a real
input gets the real part. Repeated eigenvalues make F infinite: the derivative does not exist there.
"""
from __future__ import annotations

import numpy as np

from .arrays import is_zero_adjoint, matrix_transpose
from .namespace import numpy_values_like

__all__ = ["eig_adjoint", "eig_tangent", "eigvals_adjoint", "eigvals_tangent"]


def _gaps(w):
    """F: 1 / (w[j] - w[i]) off the diagonal, 0 on it."""
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)
    n = np.shape(w)[-1]
    off = numpy_values_like(w, ~np.eye(n, dtype=bool))
    return np.where(off, 1 / np.where(off, gaps, 1), 0)


def _largest(v):
    """Each column's largest component: its row index m (as an index array) and its (real) value."""
    m = np.argmax(np.abs(v), axis=-2)[..., None, :]
    return m, np.take_along_axis(v, m, axis=-2)


def _real_if_real(x, a):
    return np.real(x) if not np.iscomplexobj(a) else x


def eig_tangent(a_dot, a, y):
    w, v = y
    c = np.linalg.solve(v, a_dot @ v)
    w_dot = np.diagonal(c, axis1=-2, axis2=-1)
    v_free = v @ (_gaps(w) * c)
    norm = np.real(np.sum(np.conj(v) * v_free, axis=-2, keepdims=True))
    m, top = _largest(v)
    phase = np.imag(np.take_along_axis(v_free, m, axis=-2)) / np.real(top)
    return w_dot, v_free - v * (norm + 1j * phase)


def eig_adjoint(g, a, y):
    w, v = y
    gw, gv = g
    c_bar = numpy_values_like(w, np.eye(np.shape(w)[-1])) * np.expand_dims(gw, -2)
    # eigenvectors the function does not use (a zero adjoint): their term, which divides by the gaps between
    # eigenvalues, is left out, so a function of the eigenvalues alone has its gradient where they repeat
    # (the identity), not 0 * inf = nan, as eigvals' adjoint gives
    if not is_zero_adjoint(gv):
        s = np.sum(gv * v, axis=-2, keepdims=True)             # s_j = sum_i gv[i, j] v[i, j]
        free = gv - np.conj(v) * np.real(s)                    # the norm's share of each column
        m, top = _largest(v)
        rows = numpy_values_like(v, np.arange(np.shape(v)[-2])[:, None])
        phase = np.where(rows == m, -1j * np.imag(s) / np.real(top), 0)      # the phase's share, in row m_j
        c_bar = c_bar + _gaps(w) * (matrix_transpose(v) @ (free + phase))
    return _real_if_real(np.linalg.solve(matrix_transpose(v), c_bar @ matrix_transpose(v)), a)


def eigvals_tangent(a_dot, a):
    w, v = np.linalg.eig(a)
    return np.diagonal(np.linalg.solve(v, a_dot @ v), axis1=-2, axis2=-1)


def eigvals_adjoint(g, a):
    w, v = np.linalg.eig(a)
    c_bar = numpy_values_like(w, np.eye(np.shape(w)[-1])) * np.expand_dims(g, -2)
    return _real_if_real(np.linalg.solve(matrix_transpose(v), c_bar @ matrix_transpose(v)), a)
