"""Adjoints and tangents of scipy.linalg functions: triangular solves, Cholesky solves, expm, sqrtm.

Factor-based functions read one triangle of their matrix argument, so their
adjoints are masked to that triangle (what a change elsewhere would not
affect). SciPy is imported inside the functions (an optional dependency).
"""
from __future__ import annotations

import numpy as np

from .arrays import matrix_transpose, unbroadcast
from .linalg import cholesky_adjoint
from .tangents import cholesky_tangent


def _transposes(trans) -> bool:
    """Whether solve_triangular's `trans` (0/'N', 1/'T', 2/'C') solves with the transpose (real matrices)."""
    return trans not in (0, "N", "n")


def _triangle(m, lower, unit_diagonal=False):
    """The part of `m` a triangular solve reads."""
    part = np.tril(m) if lower else np.triu(m)
    if unit_diagonal:
        part = part - np.tril(np.triu(part))      # the unit diagonal is assumed, not read
    return part


def _column(v, like_b):
    return np.expand_dims(v, -1) if np.ndim(like_b) == 1 else v


def _uncolumn(v, like_b):
    return v[..., 0] if np.ndim(like_b) == 1 else v


def solve_triangular_adjoint_b(g, a, b, trans=0, lower=False, unit_diagonal=False):
    """Adjoint of b in x = op(a)^-1 b: op(a)^-T g."""
    from scipy import linalg
    flipped = 0 if _transposes(trans) else 1
    return linalg.solve_triangular(a, g, trans=flipped, lower=lower, unit_diagonal=unit_diagonal)


def solve_triangular_adjoint_a(g, a, b, x, trans=0, lower=False, unit_diagonal=False):
    """Adjoint of a: -(op(a)^-T g) x^T (transposed back when op transposes), on the triangle read."""
    gb = _column(solve_triangular_adjoint_b(g, a, b, trans, lower, unit_diagonal), b)
    outer = -gb @ matrix_transpose(_column(x, b))
    if _transposes(trans):
        outer = matrix_transpose(outer)
    return unbroadcast(_triangle(outer, lower, unit_diagonal), a)


def solve_triangular_tangent_a(a_dot, a, b, x, trans=0, lower=False, unit_diagonal=False):
    """Tangent through a: -op(a)^-1 op(a_dot) x, a_dot restricted to the triangle read."""
    from scipy import linalg
    change = _triangle(a_dot, lower, unit_diagonal)
    if _transposes(trans):
        change = matrix_transpose(change)
    rhs = _uncolumn(change @ _column(x, b), b)
    return -linalg.solve_triangular(a, rhs, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


def _factor(c, lower):
    return np.tril(c) if lower else np.triu(c)


def cho_factor_adjoint(g, a, y):
    """Adjoint of (c, lower) = cho_factor(a, lower): the factor's triangle through the Cholesky adjoint;
    the other triangle of c is whatever this SciPy leaves there (see _other_triangle_source)."""
    c, lower = y
    gc = g[0] if isinstance(g, (tuple, list)) else g
    gc = np.broadcast_to(gc, np.shape(c))          # an unused factor's adjoint may be a plain 0
    upper = not lower
    from_factor = cholesky_adjoint(_factor(gc, lower), a, _factor(c, lower), upper)
    if not _other_triangle_source(a, c, lower):
        return from_factor
    return from_factor + (np.triu(gc, 1) if lower else np.tril(gc, -1))


def cho_factor_tangent(a_dot, a, y):
    c, lower = y
    factor_dot = cholesky_tangent(a_dot, _factor(c, lower), not lower)
    if not _other_triangle_source(a, c, lower):
        return (factor_dot, 0.0)
    return (factor_dot + (np.triu(a_dot, 1) if lower else np.tril(a_dot, -1)), 0.0)


def _other_triangle_source(a, c, lower) -> bool:
    """Whether the triangle of c that cho_factor does not use holds a's entries (True) or zeros (False).

    SciPy documents it as arbitrary: some versions leave a's entries, others clear them. Any other
    content has no derivative s2sgrad can state, so that is an error rather than a guess.
    """
    other = np.triu if lower else np.tril
    k = 1 if lower else -1
    if np.array_equal(other(c, k), other(a, k)):
        return True
    if not np.any(other(c, k)):
        return False
    raise ValueError("s2sgrad: scipy.linalg.cho_factor left neither a's entries nor zeros in the triangle it "
                     "does not use, so their derivative is unknown; use only the factor (through cho_solve)")


def _factor_parts(c_and_lower):
    c, lower = c_and_lower
    return _factor(c, lower), bool(lower)


def cho_solve_adjoint_b(g, c_and_lower, b):
    """Adjoint of b in x = C^-1 b (C = L L^T from the factor): C^-1 g."""
    from scipy import linalg
    return linalg.cho_solve(c_and_lower, g)


def cho_solve_adjoint_c(g, c_and_lower, b, x):
    """Adjoint of the factor: with M = -(C^-1 g) x^T, dL = tril((M + M^T) L) (dU = triu(U (M + M^T)));
    the flag `lower` gets none (a tuple, as the argument was)."""
    factor, lower = _factor_parts(c_and_lower)
    gb = _column(cho_solve_adjoint_b(g, c_and_lower, b), b)
    m = -gb @ matrix_transpose(_column(x, b))
    sym = m + matrix_transpose(m)
    gc = np.tril(sym @ factor) if lower else np.triu(factor @ sym)
    return (gc, 0.0)


def cho_solve_tangent_c(c_and_lower_dot, c_and_lower, b, x):
    """Tangent through the factor: -C^-1 C_dot x with C_dot = L_dot L^T + L L_dot^T."""
    from scipy import linalg
    factor, lower = _factor_parts(c_and_lower)
    factor_dot = _factor(c_and_lower_dot[0], lower)
    if lower:
        c_dot = factor_dot @ matrix_transpose(factor) + factor @ matrix_transpose(factor_dot)
    else:
        c_dot = matrix_transpose(factor_dot) @ factor + matrix_transpose(factor) @ factor_dot
    return -linalg.cho_solve(c_and_lower, _uncolumn(c_dot @ _column(x, b), b))


def _frechet(a, e):
    """The Frechet derivative of expm at a in direction e, from expm of the block matrix [[a, e], [0, a]]."""
    from scipy import linalg
    n = np.shape(a)[-1]
    zeros = np.zeros_like(a)
    block = np.concatenate([np.concatenate([a, e], axis=-1), np.concatenate([zeros, a], axis=-1)], axis=-2)
    return linalg.expm(block)[..., :n, n:]


def expm_adjoint(g, a):
    """Adjoint of expm: the Frechet derivative at a^T in direction g."""
    return _frechet(matrix_transpose(a), np.asarray(g, dtype=np.result_type(a, g)))


def expm_tangent(a_dot, a):
    return _frechet(a, np.asarray(a_dot, dtype=np.result_type(a, a_dot)))


def sqrtm_tangent(a_dot, y):
    """Tangent of y = sqrtm(a): the solution of y y_dot + y_dot y = a_dot (a Sylvester equation)."""
    from scipy import linalg
    return linalg.solve_sylvester(y, y, a_dot)


def sqrtm_adjoint(g, y):
    """Adjoint of sqrtm: the solution z of y^T z + z y^T = g."""
    from scipy import linalg
    return linalg.solve_sylvester(matrix_transpose(y), matrix_transpose(y), g)


__all__ = [
    "cho_factor_adjoint", "cho_factor_tangent", "cho_solve_adjoint_b", "cho_solve_adjoint_c",
    "cho_solve_tangent_c", "expm_adjoint", "expm_tangent", "solve_triangular_adjoint_a",
    "solve_triangular_adjoint_b", "solve_triangular_tangent_a", "sqrtm_adjoint", "sqrtm_tangent",
]
