"""Adjoints and tangents of the functions that are not holomorphic: |z|, Im z, arg z.

In the convention of autograd and JAX the adjoint of z = x + iy is
dL/dx - i dL/dy. A holomorphic function's rule is then its real rule
(`dy * np.cos(x)`); the functions here, whose results are real, are not
holomorphic and need their own. Their results being real, only the real part
of their adjoint is meaningful (a real value used in a complex product picks up
an imaginary part that belongs to no direction of it), so they read `np.real(dy)`.
For real inputs each reduces to its real rule.
"""
from __future__ import annotations

import numpy as np

__all__ = ["abs_adjoint", "abs_tangent", "imag_adjoint", "angle_adjoint", "angle_tangent"]


def _phase(x, y):
    """x / |x|, 0 where x is 0 (the subgradient autograd and JAX pick there)."""
    return np.where(y == 0, 0, x / np.where(y == 0, 1, y))


def abs_adjoint(g, x, y):
    if not np.iscomplexobj(x):
        return g * np.sign(x)
    return np.real(g) * np.conj(_phase(x, y))


def abs_tangent(x_dot, x, y):
    if not np.iscomplexobj(x):
        return x_dot * np.sign(x)
    return np.real(np.conj(_phase(x, y)) * x_dot)


def imag_adjoint(g, val):
    """Im z = y: the adjoint is -i dL/dy; a real input's imaginary part is constantly 0."""
    if not np.iscomplexobj(val):
        return np.zeros_like(g) if np.ndim(g) else 0.0 * g
    return -1j * np.real(g)


def angle_adjoint(g, z, deg=False):
    """arg z = atan2(y, x): dL/dx - i dL/dy = -i g conj(z) / |z|^2; constant (0) for a real input."""
    if not np.iscomplexobj(z):
        return np.zeros_like(g) if np.ndim(g) else 0.0 * g
    squared = np.real(z * np.conj(z))
    scale = 180 / np.pi if deg else 1.0
    return -1j * scale * np.real(g) * np.conj(z) / np.where(squared == 0, 1, squared)


def angle_tangent(z_dot, z, deg=False):
    if not np.iscomplexobj(z) and not np.iscomplexobj(z_dot):
        return np.zeros_like(z, dtype=np.float64) if np.ndim(z) else 0.0     # z's library
    squared = np.real(z * np.conj(z))
    scale = 180 / np.pi if deg else 1.0
    return scale * np.imag(np.conj(z) * z_dot) / np.where(squared == 0, 1, squared)
