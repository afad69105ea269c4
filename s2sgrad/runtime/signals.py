"""Adjoints and tangents of NumPy's 1-D numerics: polyval, interp, convolve, correlate, trapezoid.

polyval and trapezoid are linear in their coefficients and samples, convolve
and correlate in each operand; interp is piecewise linear in x and linear in
the values fp (plus left/right, which it returns outside the knots).
"""
from __future__ import annotations

import numpy as np

from ..errors import S2SGradError
from .arrays import adjoint_dtype, unbroadcast
from .indexing import add_at
from .namespace import array_of, dtype_of, element_count, in_library_of, numpy_values_like


# ---- polyval ---------------------------------------------------------------------------------

def _powers(p, x):
    """x ** (n-1), ..., x ** 0 along a new last axis (p's coefficients, highest first)."""
    n = np.shape(p)[0]
    x = array_of(x)
    return x[..., None] ** numpy_values_like(x, np.arange(n - 1, -1, -1))


def polyval_adjoint_p(g, p, x):
    total = np.sum(np.reshape(array_of(g)[..., None] * _powers(p, x), (-1, np.shape(p)[0])), axis=0)
    return in_library_of(np.reshape(total.astype(adjoint_dtype(array_of(p)), copy=False), np.shape(p)), p)


def polyval_slope(p, x):
    """d/dx polyval(p, x) = polyval(p', x), p' = p's coefficients times their powers (np.polyder, written out
    so a second derivative differentiates it)."""
    p = array_of(p)
    n = np.shape(p)[0]
    if n < 2:
        return np.zeros_like(x, dtype=adjoint_dtype(x))
    slope = np.polyval(p[:-1] * numpy_values_like(p, np.arange(n - 1, 0, -1)), x)
    return slope.astype(adjoint_dtype(x), copy=False) if hasattr(x, "dtype") else slope


def polyval_tangent_p(p_dot, p, x):
    return np.polyval(p_dot, x)


# ---- interp ----------------------------------------------------------------------------------

def _interp_parts(x, xp, fp, period):
    """The segment each x falls in, its fraction w along it, and where x lies below or above the knots."""
    if period is not None:
        raise S2SGradError("np.interp with period= has no derivative rule in s2sgrad: map x into one period "
                           "yourself (np.mod) and interpolate without period")
    x, xp = array_of(x), array_of(xp)
    n = np.shape(xp)[0]
    i = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, n - 2)
    width = xp[i + 1] - xp[i]
    w = (x - xp[i]) / width
    below, above = x < xp[0], x > xp[-1]
    return i, w, below, above, np.logical_not(below | above)


def interp_adjoint_x(g, x, xp, fp, left=None, right=None, period=None):
    i, _, _, _, inside = _interp_parts(x, xp, fp, period)
    fp = array_of(fp)
    slope = (fp[i + 1] - fp[i]) / (array_of(xp)[i + 1] - array_of(xp)[i])
    return np.where(inside, g * slope, 0).astype(adjoint_dtype(x), copy=False)


def interp_adjoint_fp(g, x, xp, fp, left=None, right=None, period=None):
    i, w, below, above, inside = _interp_parts(x, xp, fp, period)
    g = np.broadcast_to(g, np.shape(i))
    out = np.zeros_like(fp, dtype=adjoint_dtype(array_of(fp)))          # fp's library; add_at follows it
    add_at(out, i, np.where(inside, g * (1 - w), 0))
    add_at(out, i + 1, np.where(inside, g * w, 0))
    if left is None:
        out[0] += np.sum(np.where(below, g, 0))
    if right is None:
        out[-1] += np.sum(np.where(above, g, 0))
    return out


def interp_adjoint_left(g, x, xp, fp, left=None, right=None, period=None):
    _, _, below, _, _ = _interp_parts(x, xp, fp, period)
    return unbroadcast(np.where(below, g, 0), left)


def interp_adjoint_right(g, x, xp, fp, left=None, right=None, period=None):
    _, _, _, above, _ = _interp_parts(x, xp, fp, period)
    return unbroadcast(np.where(above, g, 0), right)


def interp_tangent_x(x_dot, x, xp, fp, left=None, right=None, period=None):
    return interp_adjoint_x(x_dot, x, xp, fp, left, right, period)        # a diagonal Jacobian


def interp_tangent_fp(fp_dot, x, xp, fp, left=None, right=None, period=None):
    i, w, below, above, inside = _interp_parts(x, xp, fp, period)
    fp_dot = array_of(fp_dot)
    out = np.where(inside, fp_dot[i] * (1 - w) + fp_dot[i + 1] * w, 0)
    if left is None:
        out = out + np.where(below, fp_dot[0], 0)
    if right is None:
        out = out + np.where(above, fp_dot[-1], 0)
    return out


def interp_tangent_left(left_dot, x, xp, fp, left=None, right=None, period=None):
    _, _, below, _, _ = _interp_parts(x, xp, fp, period)
    return np.where(below, left_dot, 0)


def interp_tangent_right(right_dot, x, xp, fp, left=None, right=None, period=None):
    _, _, _, above, _ = _interp_parts(x, xp, fp, period)
    return np.where(above, right_dot, 0)


# ---- convolve and correlate ------------------------------------------------------------------

def _full_adjoint(g, n, m, mode, centre_right=False):
    """g of a mode='same'/'valid' result placed where that result sits inside the 'full' one (for an even
    overlap 'same' keeps the left middle, or the right one where centre_right: np.correlate with a longer v)."""
    full = n + m - 1
    if mode == "full":
        return array_of(g)
    if mode == "same":
        offset = min(n, m) // 2 if centre_right else (min(n, m) - 1) // 2
    elif mode == "valid":
        offset = min(n, m) - 1
    else:
        raise S2SGradError(f"np.convolve/np.correlate with mode={mode!r}: s2sgrad knows 'full', 'same', 'valid'")
    out = np.zeros_like(g, shape=(full,), dtype=dtype_of(g))
    out[offset:offset + np.shape(g)[0]] = g
    return out


def convolve_adjoint(g, a, v, mode="full", operand="a", centre_right=False):
    """Adjoint of a (or v) in np.convolve(a, v, mode): the 'full' adjoint correlated with the other operand."""
    full = _full_adjoint(g, element_count(a), element_count(v), mode, centre_right)
    other = v if operand == "a" else a
    out = np.correlate(full, other, mode="valid")
    return out.astype(adjoint_dtype(a if operand == "a" else v), copy=False)


def correlate_adjoint(g, a, v, mode="valid", operand="a"):
    """np.correlate(a, v) (real values) is np.convolve(a, v[::-1]) in 'full' mode: that adjoint, reversed back
    for v. NumPy computes a longer v's correlation the other way round, which centres 'same' to the right."""
    centre_right = element_count(v) > element_count(a)
    if operand == "a":
        return convolve_adjoint(g, a, np.flip(v), mode, "a", centre_right)
    return np.flip(convolve_adjoint(g, a, np.flip(v), mode, "v", centre_right))


# ---- trapezoid -------------------------------------------------------------------------------

def _spacing(y, x, dx, axis):
    """The widths of the trapezoids along `axis`, shaped to broadcast against y moved to the last axis."""
    if x is None:
        return dx
    x = array_of(x)
    return np.diff(x) if x.ndim == 1 else np.diff(np.moveaxis(x, axis, -1), axis=-1)


def trapezoid_adjoint_y(g, y, x=None, dx=1.0, axis=-1):
    """Each sample weighs half the widths of the trapezoids on either side of it."""
    moved = np.moveaxis(array_of(y), axis, -1)
    widths = np.broadcast_to(numpy_values_like(moved, _spacing(y, x, dx, axis)),       # dx: y's library
                             np.shape(moved)[:-1] + (np.shape(moved)[-1] - 1,))
    zero = np.zeros_like(widths[..., :1])
    weights = (np.concatenate([widths, zero], -1) + np.concatenate([zero, widths], -1)) / 2
    out = (np.expand_dims(g, -1) if np.ndim(g) else g) * weights      # (a Python-float g stays a number)
    return in_library_of(np.moveaxis(out, -1, axis).astype(adjoint_dtype(y), copy=False), y)


def _trapezoid_x_slopes(y, x, axis):
    """d/dx_i of sum (x_(k+1) - x_k) (y_(k+1) + y_k) / 2, with y's axis last."""
    moved = np.moveaxis(array_of(y), axis, -1)
    pairs = (moved[..., 1:] + moved[..., :-1]) / 2
    zero = np.zeros_like(pairs[..., :1])
    return np.concatenate([zero, pairs], -1) - np.concatenate([pairs, zero], -1)


def trapezoid_adjoint_x(g, y, x, axis=-1):
    slopes = np.expand_dims(g, -1) * _trapezoid_x_slopes(y, x, axis)
    if np.ndim(x) == 1:
        return np.reshape(np.sum(np.reshape(slopes, (-1, np.shape(slopes)[-1])), axis=0), np.shape(x))
    return unbroadcast(np.moveaxis(slopes, -1, axis), x)


def trapezoid_adjoint_dx(g, y, dx, axis=-1):
    moved = np.moveaxis(array_of(y), axis, -1)
    return unbroadcast(g * np.sum((moved[..., 1:] + moved[..., :-1]) / 2, axis=-1), dx)


def trapezoid_tangent_x(x_dot, y, x, axis=-1):
    slopes = _trapezoid_x_slopes(y, x, axis)
    x_dot = array_of(x_dot)
    if x_dot.ndim != 1:
        x_dot = np.moveaxis(np.broadcast_to(x_dot, np.shape(y)), axis, -1)
    return np.sum(slopes * x_dot, axis=-1)


def trapezoid_tangent_dx(dx_dot, y, axis=-1):
    moved = np.moveaxis(array_of(y), axis, -1)
    return dx_dot * np.sum((moved[..., 1:] + moved[..., :-1]) / 2, axis=-1)


__all__ = [
    "convolve_adjoint", "correlate_adjoint", "interp_adjoint_fp", "interp_adjoint_left", "interp_adjoint_right",
    "interp_adjoint_x", "interp_tangent_fp", "interp_tangent_left", "interp_tangent_right", "interp_tangent_x",
    "polyval_adjoint_p", "polyval_slope", "polyval_tangent_p", "trapezoid_adjoint_dx", "trapezoid_adjoint_x",
    "trapezoid_adjoint_y", "trapezoid_tangent_dx", "trapezoid_tangent_x",
]
