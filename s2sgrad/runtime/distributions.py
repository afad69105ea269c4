"""Derivatives of scipy.stats' multivariate_normal and dirichlet densities.

(The location-scale families' and the count distributions' derivatives are templates in the table,
rules/scipy_rules.py, written with SciPy's own functions so that a second derivative goes through them.) SciPy is
imported at the top, where a second derivative can read its names (not in a helper's body); it stays optional because
only rules/scipy_rules.py imports this module, once the user's program has imported SciPy.
"""
from __future__ import annotations

import numpy as np
from scipy import special

from .arrays import unbroadcast
from .special import like


# ---- multivariate normal ---------------------------------------------------------------------

def _mvn_parts(x, mean, cov):
    """x as rows of dimension d, the full covariance, its inverse, and (x - mean) precision per row."""
    # the dimension as scipy infers it: from the mean if given, else from a 2-D covariance, else 1
    d = int(np.size(mean)) if mean is not None else (np.shape(cov)[0] if np.ndim(cov) >= 2 else 1)
    rows = np.reshape(np.asarray(x, dtype=np.float64), (-1, d))
    mean = np.zeros(d) if mean is None else np.broadcast_to(mean, (d,))
    if np.ndim(cov) == 0:
        full = cov * np.eye(d)
    elif np.ndim(cov) == 1:
        full = np.diag(cov)
    else:
        full = np.asarray(cov, dtype=np.float64)
        full = np.tril(full) + np.tril(full, -1).T         # scipy reads the lower triangle (eigh)
    precision = np.linalg.inv(full)
    return rows, precision, (rows - mean) @ precision


def _row_weights(g, count):
    return np.reshape(np.asarray(g, dtype=np.float64), (count,))


def mvn_adjoint_x(g, x, mean, cov, y, density=False):
    """Adjoint of x in multivariate_normal.logpdf (pdf when density): -g (x - mean) P per row."""
    rows, _, scaled = _mvn_parts(x, mean, cov)
    weights = _row_weights(g * y if density else g, len(rows))
    return like(np.reshape(-weights[:, None] * scaled, np.shape(x)), x)


def mvn_adjoint_mean(g, x, mean, cov, y, density=False):
    rows, _, scaled = _mvn_parts(x, mean, cov)
    weights = _row_weights(g * y if density else g, len(rows))
    total = np.sum(weights[:, None] * scaled, axis=0)
    return like(unbroadcast(total, mean) if np.ndim(mean) < 1 else np.reshape(total, np.shape(mean)), mean)


def mvn_adjoint_cov(g, x, mean, cov, y, density=False):
    """0.5 (sum_i g_i P r_i r_i^T P - sum_i g_i P), taken back to the form cov was given in."""
    rows, precision, scaled = _mvn_parts(x, mean, cov)
    weights = _row_weights(g * y if density else g, len(rows))
    full = 0.5 * ((scaled.T * weights) @ scaled - np.sum(weights) * precision)
    if np.ndim(cov) == 0:
        return like(np.trace(full), cov)
    if np.ndim(cov) == 1:
        return like(np.diagonal(full), cov)
    return like(np.tril(full) + np.tril(full, -1), cov)       # the lower triangle stands for both


def mvn_tangent(x_dot, mean_dot, cov_dot, x, mean, cov, y, density=False):
    """Tangent of multivariate_normal.logpdf (pdf when density); a None tangent is a constant operand."""
    rows, precision, scaled = _mvn_parts(x, mean, cov)
    d = rows.shape[1]
    total = np.zeros(len(rows))
    if x_dot is not None:
        total = total - np.sum(scaled * np.reshape(x_dot, (-1, d)), axis=1)
    if mean_dot is not None:
        total = total + scaled @ np.broadcast_to(mean_dot, (d,))
    if cov_dot is not None:
        if np.ndim(cov) == 0:
            full = cov_dot * np.eye(d)
        elif np.ndim(cov) == 1:
            full = np.diag(cov_dot)
        else:
            full = np.tril(cov_dot) + np.tril(cov_dot, -1).T
        total = total + 0.5 * (np.sum((scaled @ full) * scaled, axis=1) - np.trace(precision @ full))
    total = np.reshape(total, np.shape(y))
    return total * y if density else total


# ---- dirichlet -------------------------------------------------------------------------------

def dirichlet_slope_alpha(x, alpha):
    """d logpdf / d alpha_i = log x_i - digamma(alpha_i) + digamma(sum alpha); x's first axis holds components
    (K or K - 1 of them, the last then being 1 - the others' sum), further axes are samples."""
    x = np.asarray(x, dtype=np.float64)
    if np.shape(x)[0] == np.size(alpha) - 1:
        x = np.concatenate([x, 1 - np.sum(x, axis=0, keepdims=True)], axis=0)
    logs = np.log(x)
    offset = special.digamma(np.sum(alpha)) - special.digamma(alpha)
    return np.reshape(offset, (-1,) + (1,) * (logs.ndim - 1)) + logs      # (K, samples...)


def dirichlet_adjoint_alpha(g, x, alpha, y, density=False):
    slopes = dirichlet_slope_alpha(x, alpha)
    weights = g * y if density else g
    return like(np.sum(slopes * weights, axis=tuple(range(1, slopes.ndim))), alpha)


def dirichlet_tangent_alpha(alpha_dot, x, alpha, y, density=False):
    slopes = dirichlet_slope_alpha(x, alpha)
    total = np.tensordot(alpha_dot, slopes, axes=(0, 0))
    return np.reshape(total, np.shape(y)) * (y if density else 1)


__all__ = [
    "dirichlet_adjoint_alpha", "dirichlet_tangent_alpha", "mvn_adjoint_cov", "mvn_adjoint_mean", "mvn_adjoint_x",
    "mvn_tangent",
]
