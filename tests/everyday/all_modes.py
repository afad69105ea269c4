"""Every mode at once for one input: grad and value_and_grad against central differences, jvp against the
gradient (derivatives.py), and the Hessian against central differences of the gradient."""
from __future__ import annotations

import numpy as np

import s2sgrad

from .derivatives import both_modes


def all_modes(f, x, hessian=True):
    """Check f's first derivatives in both modes and, with `hessian`, its Hessian at x (one argument)."""
    gradient = both_modes(f, x)
    if hessian:
        np.testing.assert_allclose(s2sgrad.hessian(f)(x), numeric_hessian(f, x), rtol=1e-5, atol=1e-6)
    return gradient


def numeric_hessian(f, x, h=1e-5):
    """Central differences of the gradient, one input direction at a time."""
    grad = s2sgrad.grad(f)
    x = np.asarray(x, dtype=float)
    columns = []
    for step in np.eye(x.size).reshape((x.size,) + x.shape) * h:
        columns.append((np.asarray(grad(x + step)) - np.asarray(grad(x - step))) / (2 * h))
    return np.moveaxis(np.array(columns).reshape(x.shape + x.shape), 0, -1) if x.ndim else columns[0]
