"""A user's derivative rule whose adjoint has the wrong shape (a number for an array)."""
import numpy as np

import s2sgrad


def clipped_square(x):
    return np.minimum(x * x, 4.0)


s2sgrad.defvjp(clipped_square, "x", dx="np.sum(dy * 2 * x)")        # summed: a number, not x's shape


def loss(x):
    return np.sum(clipped_square(x))
