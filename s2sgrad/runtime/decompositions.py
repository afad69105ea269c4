"""Adjoints and tangents of np.linalg.svd, np.linalg.qr and np.linalg.matrix_power (real, batched).

The SVD's derivatives need distinct nonzero singular values (Townsend,
"Differentiating the singular value decomposition"); with full_matrices=True
on a non-square matrix the extra singular vectors are not unique, so that
form is refused. QR is differentiated for m >= n in the reduced form (the
factorization is then unique once R's diagonal signs are fixed).
"""
from __future__ import annotations

import numpy as np

from ..errors import S2SGradError
from .arrays import is_zero_adjoint, matrix_transpose
from .linalg import pinv_adjoint
from .namespace import dtype_of, element_count, numpy_values_like
from .tangents import pinv_tangent      # at the top: a second derivative reads these helpers' names


def _refuse_full(a, full_matrices):
    m, n = np.shape(a)[-2:]
    if full_matrices and m != n:
        raise S2SGradError(
            "np.linalg.svd(a, full_matrices=True) of a non-square matrix has no derivative: its extra singular "
            "vectors are not unique. Call np.linalg.svd(a, full_matrices=False)")


def _gaps(s):
    """F[i, j] = 1 / (s_j^2 - s_i^2) off the diagonal, 0 on it."""
    squares = s * s
    gaps = np.expand_dims(squares, -2) - np.expand_dims(squares, -1)
    eye = numpy_values_like(s, np.eye(np.shape(s)[-1], dtype=bool))
    return np.where(eye, 0, 1 / np.where(eye, 1, gaps))


def _diag(v):
    return np.expand_dims(v, -1) * numpy_values_like(v, np.eye(np.shape(v)[-1], dtype=dtype_of(v)))


def svd_adjoint(g, a, y, full_matrices=True, compute_uv=True):
    """Adjoint of np.linalg.svd(a, ...); y and g are (U, S, Vh) or S alone (compute_uv=False)."""
    if not compute_uv:
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        return (u * np.expand_dims(g, -2)) @ vh
    _refuse_full(a, full_matrices)
    u, s, vh = y
    # a factor the function does not use has a zero adjoint (the number 0, or zeros): its terms, which divide
    # by the gaps between singular values and by the values themselves, are left out, so sum(s ** 2) of a
    # matrix with repeated or zero singular values (the identity, zeros) has its gradient (2a), not 0 * inf
    moves_u, moves_v = not is_zero_adjoint(g[0]), not is_zero_adjoint(g[2])
    gs = np.zeros_like(s) if np.ndim(g[1]) == 0 else g[1]
    inner = _diag(gs)
    if moves_u or moves_v:
        f = _gaps(s)
        ut = matrix_transpose(u)
    if moves_u:
        gu = g[0]
        inner = inner + f * (ut @ gu - matrix_transpose(gu) @ u) * np.expand_dims(s, -2)
    if moves_v:
        v, gv = matrix_transpose(vh), matrix_transpose(g[2])
        inner = inner + np.expand_dims(s, -1) * (f * (vh @ gv - matrix_transpose(gv) @ v))
    out = u @ inner @ vh
    m, n = np.shape(a)[-2:]
    if m > n and moves_u:            # the part of gU outside U's columns
        out = out + (gu - u @ (ut @ gu)) * (1 / np.expand_dims(s, -2)) @ vh
    if n > m and moves_v:            # the part of gV outside V's columns
        out = out + u @ matrix_transpose((gv - v @ (vh @ gv)) * (1 / np.expand_dims(s, -2)))
    return out


def svd_tangent(a_dot, a, y, full_matrices=True, compute_uv=True):
    """Tangent of np.linalg.svd: dS = diag(U^T dA V); dU, dV from the off-diagonal parts."""
    if not compute_uv:
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        return np.diagonal(matrix_transpose(u) @ a_dot @ matrix_transpose(vh), axis1=-2, axis2=-1)
    _refuse_full(a, full_matrices)
    u, s, vh = y
    v = matrix_transpose(vh)
    ut = matrix_transpose(u)
    dp = ut @ a_dot @ v
    f = _gaps(s)
    row, column = np.expand_dims(s, -2), np.expand_dims(s, -1)        # s_j, s_i
    du = u @ (f * (dp * row + column * matrix_transpose(dp)))
    dv = v @ (f * (column * dp + matrix_transpose(dp) * row))
    inverse_s = 1 / row
    m, n = np.shape(a)[-2:]
    if m > n:
        du = du + (a_dot @ v - u @ dp) * inverse_s
    if n > m:
        dv = dv + (matrix_transpose(a_dot) @ u - v @ matrix_transpose(dp)) * inverse_s
    return du, np.diagonal(dp, axis1=-2, axis2=-1), matrix_transpose(dv)


def _refuse_qr(a, mode):
    m, n = np.shape(a)[-2:]
    if mode not in ("reduced", "r") or m < n:
        raise S2SGradError(
            f"np.linalg.qr(a, mode={mode!r}) of a {m}x{n} matrix has no derivative rule in s2sgrad: it is "
            "differentiated in mode 'reduced' (or 'r') for matrices with at least as many rows as columns")


def qr_adjoint(g, a, y, mode="reduced"):
    """Adjoint of (Q, R) = np.linalg.qr(a): (gQ + Q sym(triu(gR R^T - Q^T gQ))) R^-T."""
    _refuse_qr(a, mode)
    if mode == "r":
        q, r = np.linalg.qr(a)
        gq, gr = np.zeros_like(q), g
    else:
        q, r = y
        gq, gr = [np.zeros_like(part) if np.ndim(piece) == 0 else piece for part, piece in zip(y, g)]
    m = np.triu(gr @ matrix_transpose(r) - matrix_transpose(q) @ gq)
    sym = m + matrix_transpose(m) - _diag(np.diagonal(m, axis1=-2, axis2=-1))
    return matrix_transpose(np.linalg.solve(r, matrix_transpose(gq + q @ sym)))


def qr_tangent(a_dot, a, y, mode="reduced"):
    """Tangent of the reduced QR (as in JAX): with X = Q^T dA R^-1 and W its antisymmetric lower part,
    dQ = Q (W - X) + dA R^-1 and dR = (X - W) R."""
    _refuse_qr(a, mode)
    q, r = np.linalg.qr(a) if mode == "r" else y
    da_rinv = matrix_transpose(np.linalg.solve(matrix_transpose(r), matrix_transpose(a_dot)))
    x = matrix_transpose(q) @ da_rinv
    lower = np.tril(x, -1)
    w = lower - matrix_transpose(lower)
    dr = (x - w) @ r
    if mode == "r":
        return dr
    return q @ (w - x) + da_rinv, dr


def matrix_power_adjoint(g, a, n):
    """Adjoint of a^n: sum over k of (a^T)^k g (a^T)^(n-1-k); for n < 0 through the inverse."""
    if n < 0:
        inverse = np.linalg.inv(a)
        g_inverse = matrix_power_adjoint(g, inverse, -n)
        return -matrix_transpose(inverse) @ g_inverse @ matrix_transpose(inverse)
    at = matrix_transpose(a)
    powers = [np.broadcast_to(numpy_values_like(a, np.eye(np.shape(a)[-1], dtype=dtype_of(a))), np.shape(a))]
    for _ in range(1, n):
        powers.append(powers[-1] @ at)
    out = np.zeros_like(a, dtype=np.result_type(a, g))
    for k in range(n):
        out = out + powers[k] @ g @ powers[n - 1 - k]
    return out


def matrix_power_tangent(a_dot, a, n):
    """Tangent of a^n: sum over k of a^k a_dot a^(n-1-k); for n < 0 through the inverse."""
    if n < 0:
        inverse = np.linalg.inv(a)
        return matrix_power_tangent(-inverse @ a_dot @ inverse, inverse, -n)
    powers = [np.broadcast_to(numpy_values_like(a, np.eye(np.shape(a)[-1], dtype=dtype_of(a))), np.shape(a))]
    for _ in range(1, n):
        powers.append(powers[-1] @ a)
    out = np.zeros_like(a, dtype=np.result_type(a, a_dot))
    for k in range(n):
        out = out + powers[k] @ a_dot @ powers[n - 1 - k]
    return out


def _refuse_lstsq(a, rank):
    m, n = np.shape(a)[-2:]
    if m < n or rank < n:
        raise S2SGradError(
            f"np.linalg.lstsq of a {m}x{n} matrix of rank {rank}: s2sgrad differentiates it for matrices of "
            "full column rank (at least as many rows as columns); use np.linalg.pinv(a) @ b otherwise")


def lstsq_adjoint_a(g, a, b, y):
    """Adjoint of a in (x, residuals, rank, s) = np.linalg.lstsq(a, b): through x = pinv(a) b, the residuals
    |a x - b|^2 (whose slope in x is 0 at the solution) and the singular values."""
    x, residuals, rank, s = y
    _refuse_lstsq(a, rank)
    gx, gres, _, gs = g
    out = np.zeros_like(a, dtype=np.result_type(a, 1.0))
    pinv = np.linalg.pinv(a)
    if np.ndim(gx) > 0:
        out = out + pinv_adjoint(np.outer(gx, b) if np.ndim(b) == 1 else gx @ matrix_transpose(b), a, pinv)
    if np.ndim(gres) > 0 and element_count(residuals) > 0:
        r = a @ x - b
        out = out + (2 * gres[0] * np.outer(r, x) if np.ndim(b) == 1 else 2 * (r * gres) @ matrix_transpose(x))
    if np.ndim(gs) > 0:
        out = out + svd_adjoint(gs, a, s, False, False)
    return out


def lstsq_adjoint_b(g, a, b, y):
    x, residuals, rank, _ = y
    _refuse_lstsq(a, rank)
    gx, gres, _, _ = g
    out = np.zeros_like(b, dtype=np.result_type(b, 1.0))
    if np.ndim(gx) > 0:
        out = out + matrix_transpose(np.linalg.pinv(a)) @ gx
    if np.ndim(gres) > 0 and element_count(residuals) > 0:
        r = a @ x - b
        out = out - 2 * (gres[0] * r if np.ndim(b) == 1 else r * gres)
    return out


def lstsq_tangent_a(a_dot, a, b, y):
    x, residuals, rank, s = y
    _refuse_lstsq(a, rank)
    pinv = np.linalg.pinv(a)
    x_dot = pinv_tangent(a_dot, a, pinv) @ b
    r = a @ x - b
    residuals_dot = 2 * np.sum(r * (a_dot @ x), axis=0) if element_count(residuals) > 0 else np.zeros_like(s, shape=(0,))
    return x_dot, np.reshape(residuals_dot, np.shape(residuals)), 0, svd_tangent(a_dot, a, s, False, False)


def lstsq_tangent_b(b_dot, a, b, y):
    x, residuals, rank, s = y
    _refuse_lstsq(a, rank)
    r = a @ x - b
    residuals_dot = -2 * np.sum(r * b_dot, axis=0) if element_count(residuals) > 0 else np.zeros_like(s, shape=(0,))
    return np.linalg.pinv(a) @ b_dot, np.reshape(residuals_dot, np.shape(residuals)), 0, np.zeros_like(s)


__all__ = [
    "lstsq_adjoint_a", "lstsq_adjoint_b", "lstsq_tangent_a", "lstsq_tangent_b", "matrix_power_adjoint", "matrix_power_tangent", "qr_adjoint", "qr_tangent", "svd_adjoint", "svd_tangent",
]
