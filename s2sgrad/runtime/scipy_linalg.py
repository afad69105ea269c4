"""Adjoints and tangents of scipy.linalg functions: solves (general, structured, triangular, Cholesky,
LU, Sylvester), expm, sqrtm, logm, and SciPy's calling conventions around NumPy's decompositions.

Factor-based functions read one triangle of their matrix argument, so their
adjoints are masked to that triangle (what a change elsewhere would not
affect).

SciPy is imported here, at the top: a second derivative differentiates these
helpers' own source, which must name `linalg.solve_triangular` through the
module's globals (an import in a helper's body is a statement forward mode
cannot read). SciPy stays optional: the runtime does not import this module;
rules/scipy_rules.py does (its NAMESPACE), once the user's program has
imported SciPy.
"""
from __future__ import annotations

import numpy as np
from scipy import linalg

from ..errors import S2SGradError
from .arrays import matrix_transpose, unbroadcast
from .decompositions import lstsq_adjoint_a, lstsq_adjoint_b, lstsq_tangent_a, lstsq_tangent_b, qr_adjoint, qr_tangent
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
    factor, lower = _factor_parts(c_and_lower)
    factor_dot = _factor(c_and_lower_dot[0], lower)
    if lower:
        c_dot = factor_dot @ matrix_transpose(factor) + factor @ matrix_transpose(factor_dot)
    else:
        c_dot = matrix_transpose(factor_dot) @ factor + matrix_transpose(factor) @ factor_dot
    return -linalg.cho_solve(c_and_lower, _uncolumn(c_dot @ _column(x, b), b))


# ---- scipy.linalg.solve: the part of `a` its assume_a reads ------------------------------------------

# assume_a -> the structure SciPy reads. None (detect the structure) and 'banded' (the band a's own
# nonzeros span) read every entry a change could make nonzero, so they differentiate as a general solve.
STRUCTURES = {None: "general", "gen": "general", "general": "general", "banded": "general",
              "sym": "symmetric", "symmetric": "symmetric", "her": "symmetric", "hermitian": "symmetric",
              "pos": "symmetric", "positive definite": "symmetric", "diagonal": "diagonal",
              "tridiagonal": "tridiagonal", "upper triangular": "upper", "lower triangular": "lower"}


def _structure(assume_a) -> str:
    try:
        return STRUCTURES[assume_a]
    except (KeyError, TypeError):
        raise S2SGradError(f"scipy.linalg.solve(assume_a={assume_a!r}) has no derivative rule in s2sgrad; it "
                           f"knows {', '.join(repr(k) for k in STRUCTURES)}") from None


def _band(m, width):
    n = np.shape(m)[-1]
    rows, cols = np.indices((n, n))
    return m * (np.abs(rows - cols) <= width)


def _read(m, assume_a, lower):
    """The matrix SciPy solves with, built from the entries of m it reads (a symmetric solve mirrors
    one triangle)."""
    kind = _structure(assume_a)
    if kind == "symmetric":
        if lower:
            return np.tril(m) + matrix_transpose(np.tril(m, -1))
        return np.triu(m) + matrix_transpose(np.triu(m, 1))
    if kind in ("diagonal", "tridiagonal"):
        return _band(m, 0 if kind == "diagonal" else 1)
    if kind in ("upper", "lower"):
        return np.triu(m) if kind == "upper" else np.tril(m)
    return m


def _read_transpose(g, assume_a, lower):
    """The transpose of _read: a mirrored entry's adjoint goes back to the entry read."""
    kind = _structure(assume_a)
    if kind == "symmetric":
        if lower:
            return np.tril(g) + matrix_transpose(np.triu(g, 1))
        return np.triu(g) + matrix_transpose(np.tril(g, -1))
    return _read(g, assume_a, lower)


def _solved_with(a, lower, assume_a, transposed):
    part = _read(a, assume_a, lower)
    return matrix_transpose(part) if transposed else part


def structured_solve_adjoint_b(g, a, b, lower=False, assume_a=None, transposed=False):
    """Adjoint of b in x = M^-1 b, M the part of a read (transposed when `transposed`): M^-T g."""
    m = _solved_with(a, lower, assume_a, transposed)
    return unbroadcast(_uncolumn(np.linalg.solve(matrix_transpose(m), _column(g, b)), b), b)


def structured_solve_adjoint_a(g, a, b, x, lower=False, assume_a=None, transposed=False):
    """Adjoint of a: -(M^-T g) x^T for M, taken back through the transpose and the entries read."""
    m = _solved_with(a, lower, assume_a, transposed)
    gb = np.linalg.solve(matrix_transpose(m), _column(g, b))
    outer = -gb @ matrix_transpose(_column(x, b))
    if transposed:
        outer = matrix_transpose(outer)
    return unbroadcast(_read_transpose(outer, assume_a, lower), a)


def structured_solve_tangent_a(a_dot, a, b, x, lower=False, assume_a=None, transposed=False):
    """Tangent through a: -M^-1 M_dot x, M_dot built from a_dot as M is from a."""
    m = _solved_with(a, lower, assume_a, transposed)
    m_dot = _solved_with(a_dot, lower, assume_a, transposed)
    return -_uncolumn(np.linalg.solve(m, m_dot @ _column(x, b)), b)


def structured_solve_tangent_b(b_dot, a, b, lower=False, assume_a=None, transposed=False):
    m = _solved_with(a, lower, assume_a, transposed)
    return _uncolumn(np.linalg.solve(m, _column(b_dot, b)), b)


# ---- NumPy's decompositions in SciPy's conventions ---------------------------------------------------

def _qr_mode(a, mode):
    """scipy's qr mode as np.linalg.qr's: 'economic' is 'reduced', and 'full' is too for a square matrix."""
    m, n = np.shape(a)[-2:]
    if mode == "economic" or (mode == "full" and m == n):
        return "reduced"
    if mode == "r":
        return "r"
    raise S2SGradError(f"scipy.linalg.qr(a, mode={mode!r}) of a {m}x{n} matrix has no derivative rule in "
                       "s2sgrad: it is differentiated in mode 'economic' (or 'full' for a square matrix, or "
                       "'r') for matrices with at least as many rows as columns")


def scipy_qr_adjoint(g, a, y, mode="full"):
    """Adjoint of scipy.linalg.qr; mode 'r' returns the tuple (R,), R with the full QR's m rows (those
    below the n-th are zeros)."""
    numpy_mode = _qr_mode(a, mode)
    if numpy_mode == "r":
        n = np.shape(a)[-1]
        g_r = np.broadcast_to(_first(g), np.shape(y[0]))[..., :n, :]
        return qr_adjoint(g_r, a, y[0][..., :n, :], "r")
    return qr_adjoint(g, a, y, numpy_mode)


def scipy_qr_tangent(a_dot, a, y, mode="full"):
    numpy_mode = _qr_mode(a, mode)
    if numpy_mode == "r":
        m, n = np.shape(a)[-2:]
        r_dot = qr_tangent(a_dot, a, y[0][..., :n, :], "r")
        return (np.concatenate([r_dot, np.zeros_like(r_dot, shape=(*np.shape(r_dot)[:-2], m - n, n))], axis=-2),)
    return qr_tangent(a_dot, a, y, numpy_mode)


def _numpy_residues(residues, b):
    """scipy's residues of a 1-D b are a scalar, NumPy's a 1-element array."""
    return np.reshape(residues, (1,)) if np.ndim(b) == 1 and np.size(residues) == 1 else residues


def _numpy_lstsq(parts, b):
    x, residues, rank, s = parts
    return x, _numpy_residues(residues, b), rank, s


def scipy_lstsq_adjoint_a(g, a, b, y):
    return lstsq_adjoint_a(_numpy_lstsq(g, b), a, b, _numpy_lstsq(y, b))


def scipy_lstsq_adjoint_b(g, a, b, y):
    return lstsq_adjoint_b(_numpy_lstsq(g, b), a, b, _numpy_lstsq(y, b))


def scipy_lstsq_tangent_a(a_dot, a, b, y):
    x_dot, residues_dot, rank, s_dot = lstsq_tangent_a(a_dot, a, b, _numpy_lstsq(y, b))
    return x_dot, np.reshape(residues_dot, np.shape(y[1])), rank, s_dot


def scipy_lstsq_tangent_b(b_dot, a, b, y):
    x_dot, residues_dot, rank, s_dot = lstsq_tangent_b(b_dot, a, b, _numpy_lstsq(y, b))
    return x_dot, np.reshape(residues_dot, np.shape(y[1])), rank, s_dot


def _one_matrix(name, m, dims=2):
    """SciPy batches these functions over leading axes; their derivatives here take one matrix (vector)."""
    if np.ndim(m) > dims:
        raise S2SGradError(f"scipy.linalg.{name} of a batch (an argument shaped {np.shape(m)}) has no derivative "
                           "rule in s2sgrad: it is differentiated for one "
                           f"{'matrix' if dims == 2 else 'vector'}; loop over the batch")


# ---- LU: P a = L U, packed as (lu, piv) ------------------------------------------------------------------

def _permutation(piv, n):
    """The rows of a that P a takes, from LAPACK's pivots (row i swapped with row piv[i], in turn)."""
    rows = np.arange(n)
    for i, p in enumerate(np.asarray(piv)[:n]):
        rows[i], rows[p] = rows[p], rows[i]
    return rows


def _lu_parts(lu):
    _one_matrix("lu_factor", lu)
    n = np.shape(lu)[-1]
    unit_lower = np.tril(lu, -1) + np.eye(n, dtype=lu.dtype)
    return unit_lower, np.triu(lu)


def _unpermute(m, rows):
    """P^T m: row i of m goes back to row rows[i]."""
    out = np.empty_like(m)
    out[rows] = m
    return out


def _first(g):
    return g[0] if isinstance(g, (tuple, list)) else g


def lu_factor_adjoint(g, a, y):
    """Adjoint of (lu, piv) = lu_factor(a). With F = L^-1 P a_dot U^-1, lu_dot = L tril(F, -1) + triu(F) U,
    so F-bar = tril(L^T gL, -1) + triu(gU U^T) and a-bar = P^T L^-T F-bar U^-T."""
    lu, piv = y
    g_lu = np.broadcast_to(_first(g), np.shape(lu))          # an unused factor's adjoint may be a plain 0
    lower, upper = _lu_parts(lu)
    f_bar = np.tril(matrix_transpose(lower) @ np.tril(g_lu, -1), -1) + np.triu(np.triu(g_lu) @ matrix_transpose(upper))
    left = np.linalg.solve(matrix_transpose(lower), f_bar)
    product = matrix_transpose(np.linalg.solve(upper, matrix_transpose(left)))
    return _unpermute(product, _permutation(piv, np.shape(lu)[-1]))


def lu_factor_tangent(a_dot, a, y):
    lu, piv = y
    lower, upper = _lu_parts(lu)
    permuted = np.asarray(a_dot)[_permutation(piv, np.shape(lu)[-1])]
    f = matrix_transpose(np.linalg.solve(matrix_transpose(upper), matrix_transpose(np.linalg.solve(lower, permuted))))
    return (lower @ np.tril(f, -1) + np.triu(f) @ upper, np.zeros(np.shape(piv)))     # the pivots: constant


def _lu_matrix(lu_and_piv):
    """a = P^T L U, rebuilt from the packed factors."""
    lu, piv = lu_and_piv
    lower, upper = _lu_parts(lu)
    return _unpermute(lower @ upper, _permutation(piv, np.shape(lu)[-1])), lower, upper, piv


def lu_solve_adjoint_b(g, lu_and_piv, b, trans=0):
    """Adjoint of b in x = op(a)^-1 b: op(a)^-T g, by the same factors."""
    return linalg.lu_solve(lu_and_piv, g, trans=0 if _transposes(trans) else 1)


def lu_solve_adjoint_lu(g, lu_and_piv, b, x, trans=0):
    """Adjoint of the packed factors: a-bar = -(op(a)^-T g) x^T (transposed back), then through
    a = P^T L U: L-bar = P a-bar U^T, U-bar = L^T P a-bar; the pivots get none (a tuple, as the argument)."""
    _, lower, upper, piv = _lu_matrix(lu_and_piv)
    gb = _column(lu_solve_adjoint_b(g, lu_and_piv, b, trans), b)
    a_bar = -gb @ matrix_transpose(_column(x, b))
    if _transposes(trans):
        a_bar = matrix_transpose(a_bar)
    permuted = a_bar[_permutation(piv, np.shape(lower)[-1])]
    g_lu = np.tril(permuted @ matrix_transpose(upper), -1) + np.triu(matrix_transpose(lower) @ permuted)
    return (g_lu, np.zeros(np.shape(piv)))           # the pivots: none


def lu_solve_tangent_lu(lu_and_piv_dot, lu_and_piv, b, x, trans=0):
    """Tangent through the factors: -op(a)^-1 op(a_dot) x with a_dot = P^T (L_dot U + L U_dot)."""
    _, lower, upper, piv = _lu_matrix(lu_and_piv)
    lu_dot = lu_and_piv_dot[0]
    a_dot = _unpermute(np.tril(lu_dot, -1) @ upper + lower @ np.triu(lu_dot), _permutation(piv, np.shape(lower)[-1]))
    if _transposes(trans):
        a_dot = matrix_transpose(a_dot)
    return -linalg.lu_solve(lu_and_piv, _uncolumn(a_dot @ _column(x, b), b), trans=trans)


# ---- Sylvester equations, structured matrices, logm -------------------------------------------------------

def sylvester_adjoints(g, a, b, x):
    """Adjoints of (a, b, q) in a x + x b = q: z solves a^T z + z b^T = g; q-bar = z, a-bar = -z x^T,
    b-bar = -x^T z."""
    z = linalg.solve_sylvester(matrix_transpose(a), matrix_transpose(b), g)
    return -z @ matrix_transpose(x), -matrix_transpose(x) @ z, z


def sylvester_tangent(a_dot, b_dot, q_dot, a, b, x):
    """Tangent of x: a x_dot + x_dot b = q_dot - a_dot x - x b_dot (a None tangent is a constant operand)."""
    rhs = np.zeros_like(x) if q_dot is None else q_dot
    if a_dot is not None:
        rhs = rhs - a_dot @ x
    if b_dot is not None:
        rhs = rhs - x @ b_dot
    return linalg.solve_sylvester(a, b, rhs)


def _as_block(m):
    """block_diag's reading of an argument: a scalar is 1x1, a vector one row."""
    return np.atleast_2d(m) if np.ndim(m) < 2 else m


def block_diag_adjoints(g, arrs):
    """Each argument's block of g, shaped like the argument."""
    out, row, col = [], 0, 0
    for m in arrs:
        rows, cols = np.shape(_as_block(m))
        out.append(np.reshape(g[row:row + rows, col:col + cols], np.shape(m)))
        row, col = row + rows, col + cols
    return tuple(out)


def _diagonal_sums(g, offsets, size):
    """sum of g[i, j] over the entries with offsets[i, j] == k, for k < size (entries with k < 0 left out)."""
    keep = offsets >= 0
    return np.bincount(offsets[keep], weights=np.asarray(g)[keep], minlength=size)[:size]


def toeplitz_adjoints(g, c, r):
    """Adjoints of (c, r) in toeplitz(c, r): T[i, j] = c[i - j] for i >= j, r[j - i] above (r[0] unread);
    with r None, r is c, so c gets both."""
    _one_matrix("toeplitz", c, 1)
    _one_matrix("toeplitz", r, 1)
    rows, cols = np.indices(np.shape(g))
    below = _diagonal_sums(g, np.where(rows >= cols, rows - cols, -1), np.size(c))
    above = _diagonal_sums(g, np.where(cols > rows, cols - rows, -1), np.shape(g)[1])
    dtype = np.result_type(g, np.float32)
    if r is None:                       # r is c (T is square): c[k] also fills the k-th diagonal above
        return np.reshape(below + above, np.shape(c)).astype(dtype), None
    return np.reshape(below, np.shape(c)).astype(dtype), np.reshape(above, np.shape(r)).astype(dtype)


def circulant_adjoint(g, c):
    """Adjoint of c in circulant(c): C[i, j] = c[(i - j) mod n]."""
    _one_matrix("circulant", c, 1)
    n = np.size(c)
    rows, cols = np.indices(np.shape(g))
    return np.reshape(_diagonal_sums(g, (rows - cols) % n, n), np.shape(c)).astype(np.result_type(g, np.float32))


def hankel_adjoints(g, c, r):
    """Adjoints of (c, r) in hankel(c, r): H[i, j] = c[i + j] for i + j < len(c), r[i + j - len(c) + 1] after."""
    m = np.size(c)
    _one_matrix("hankel", c, 1)
    _one_matrix("hankel", r, 1)
    rows, cols = np.indices(np.shape(g))
    total = rows + cols
    dc = _diagonal_sums(g, np.where(total < m, total, -1), m).astype(np.result_type(g, np.float32))
    if r is None:                       # zeros below the anti-diagonal: no parameter
        return np.reshape(dc, np.shape(c)), None
    dr = _diagonal_sums(g, np.where(total >= m, total - m + 1, -1), np.size(r)).astype(dc.dtype)
    return np.reshape(dc, np.shape(c)), np.reshape(dr, np.shape(r))


def _log_frechet(a, e):
    """The Frechet derivative of logm at a in direction e: the top right block of logm([[a, e], [0, a]])."""
    n = np.shape(a)[-1]
    zeros = np.zeros_like(a)
    block = np.concatenate([np.concatenate([a, e], axis=-1), np.concatenate([zeros, a], axis=-1)], axis=-2)
    return linalg.logm(block)[..., :n, n:]


def logm_adjoint(g, a):
    """Adjoint of logm: its Frechet derivative at a^T in direction g (a primary matrix function's
    derivative is self-adjoint in that sense). A real a with eigenvalues on the negative real axis has a
    complex logarithm: its adjoint is the real part, as for any real input through complex values."""
    adjoint = _log_frechet(matrix_transpose(a), np.asarray(g, dtype=np.result_type(a, g)))
    return adjoint if np.iscomplexobj(a) else np.real(adjoint)


def logm_tangent(a_dot, a, y=None):
    """Tangent of y = logm(a): complex only where y is (SciPy returns a real logarithm when it is one)."""
    tangent = _log_frechet(a, np.asarray(a_dot, dtype=np.result_type(a, a_dot)))
    return tangent if y is None or np.iscomplexobj(y) else np.real(tangent)


def _frechet(a, e):
    """The Frechet derivative of expm at a in direction e, from expm of the block matrix [[a, e], [0, a]]."""
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
    return linalg.solve_sylvester(y, y, a_dot)


def sqrtm_adjoint(g, y, a=None):
    """Adjoint of sqrtm: the solution z of y^T z + z y^T = g; its real part for a real `a` whose square
    root is complex (eigenvalues on the negative real axis)."""
    adjoint = linalg.solve_sylvester(matrix_transpose(y), matrix_transpose(y), g)
    return adjoint if a is None or np.iscomplexobj(a) else np.real(adjoint)


__all__ = [
    "block_diag_adjoints", "circulant_adjoint", "hankel_adjoints", "logm_adjoint", "logm_tangent",
    "lu_factor_adjoint", "lu_factor_tangent", "lu_solve_adjoint_b", "lu_solve_adjoint_lu", "lu_solve_tangent_lu",
    "scipy_lstsq_adjoint_a", "scipy_lstsq_adjoint_b", "scipy_lstsq_tangent_a", "scipy_lstsq_tangent_b",
    "scipy_qr_adjoint", "scipy_qr_tangent", "structured_solve_adjoint_a", "structured_solve_adjoint_b",
    "structured_solve_tangent_a", "structured_solve_tangent_b",
    "sylvester_adjoints", "sylvester_tangent", "toeplitz_adjoints",
    "cho_factor_adjoint", "cho_factor_tangent", "cho_solve_adjoint_b", "cho_solve_adjoint_c",
    "cho_solve_tangent_c", "expm_adjoint", "expm_tangent", "solve_triangular_adjoint_a",
    "solve_triangular_adjoint_b", "solve_triangular_tangent_a", "sqrtm_adjoint", "sqrtm_tangent",
]
