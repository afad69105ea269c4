"""Small functions with loops, branches and arrays, drawn by the graph tests."""
import numpy as np


def power(x, n):
    s = 1.0
    for i in range(n):
        s = s * x
    return s


def clipped_square(x, limit):
    if x > limit:
        y = limit * x
    else:
        y = x * x
    return y + 1


def halve_until_small(x):
    y = x
    while y > 1:
        y = y / 2
    return y * x


def layer_loss(W, x, b):
    z = W @ x + b
    return np.sum(np.tanh(z))


def pick(v):
    return v[0] * v[2]


def scaled_by(c):
    """A closure: the graph reads `c` as the function does."""
    def scaled(x):
        return c * x
    return scaled


def nothing_to_differentiate(x):
    return 0.0
