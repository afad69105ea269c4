"""Derivatives of np.vander and np.polyfit.

np.polyfit(x, y, deg) is the least-squares solution p of V p = y for the Vandermonde matrix V of x: it is
linear in y, p = pinv(V) y, and depends on x through V. Differentiating the normal equations
V^T V p = V^T y gives the tangent (V^T V) dp = dV^T r - V^T dV p (r = y - V p, the residuals), whose
transpose is the adjoint; dV is V's slope in each x times its tangent.
"""
from __future__ import annotations

import numpy as np

from .namespace import numpy_values_like


def vander_slope(x, N=None, increasing=False):
    """d/dx of each column of np.vander(x, N, increasing): p x^(p-1) for the column's power p (0 for p = 0)."""
    columns = np.shape(x)[0] if N is None else N
    if columns <= 1:
        return np.zeros_like(np.vander(x, columns, increasing))
    powers = numpy_values_like(x, np.arange(columns - 1, 0, -1))
    lower = np.vander(x, columns - 1) * powers                    # powers N-1, ..., 1: p x^(p-1)
    slope = np.concatenate([lower, np.zeros_like(lower[:, :1])], axis=1)
    return np.flip(slope, axis=1) if increasing else slope


def _fit(x, y, deg, rcond, p):
    """(V, V's slope, p as columns, the residuals as columns, the Gram matrix V^T V) of polyfit's solve."""
    v = np.vander(x, deg + 1)
    slope = vander_slope(x, deg + 1)
    columns = p if np.ndim(p) == 2 else p[:, None]
    targets = y if np.ndim(y) == 2 else y[:, None]
    return v, slope, columns, targets - v @ columns, v.T @ v


def polyfit_adjoint(g, x, y, deg, rcond, p, part="y"):
    """Adjoint of p = np.polyfit(x, y, deg) with respect to y, or to x (part='x')."""
    v, slope, columns, residuals, gram = _fit(x, y, deg, rcond, p)
    u = np.linalg.solve(gram, g if np.ndim(g) == 2 else g[:, None])    # (V^T V)^-1 g
    if part == "y":
        back = v @ u
        return back if np.ndim(y) == 2 else back[:, 0]
    # dp = (V^T V)^-1 (dV^T r - V^T dV p) with dV = slope * dx[:, None]: <g, dp> summed over x's entries
    fitted = v @ u
    return np.sum(slope * (residuals @ u.T - fitted @ columns.T), axis=1)


def polyfit_tangent(x_dot, y_dot, x, y, deg, rcond, p):
    """Tangent of p = np.polyfit(x, y, deg) for tangents of x and y (either may be None)."""
    v, slope, columns, residuals, gram = _fit(x, y, deg, rcond, p)
    right = np.zeros_like(columns)
    if y_dot is not None:
        right = right + v.T @ (y_dot if np.ndim(y_dot) == 2 else y_dot[:, None])
    if x_dot is not None:
        moved = slope * x_dot[:, None]                                  # dV
        right = right + moved.T @ residuals - v.T @ (moved @ columns)
    dp = np.linalg.solve(gram, right)
    return dp if np.ndim(p) == 2 else dp[:, 0]


__all__ = ["polyfit_adjoint", "polyfit_tangent", "vander_slope"]
