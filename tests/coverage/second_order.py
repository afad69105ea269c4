"""One check of a user function's Hessian (s2sgrad.hessian, forward over reverse) against central differences
of its gradient."""
from __future__ import annotations

import numpy as np

import s2sgrad


def check_hessian(f, x, *, h=1e-5, rtol=1e-5, atol=1e-6):
    """f of one float or array argument `x`: hessian(f)(x) against differences of grad(f)."""
    hessian = np.asarray(s2sgrad.hessian(f)(x))
    gradient = s2sgrad.grad(f)
    if np.ndim(x) == 0:
        numeric = (gradient(x + h) - gradient(x - h)) / (2 * h)
    else:
        numeric = np.zeros(np.shape(x) + np.shape(x))
        for index in np.ndindex(np.shape(x)):
            step = np.zeros(np.shape(x))
            step[index] = h
            numeric[index] = (np.asarray(gradient(x + step)) - np.asarray(gradient(x - step))) / (2 * h)
    np.testing.assert_allclose(hessian, numeric, rtol=rtol, atol=atol, err_msg=f"hessian of {f.__name__}")
