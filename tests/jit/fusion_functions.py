"""Elementwise chains for the fusion tests (their source must stand in a file)."""
import numpy as np


def chain(x):
    y = np.sin(x) * np.exp(-x * x) + np.tanh(x)
    return np.sum(y * y)


def two_inputs(x, w):
    z = np.exp(x) * w / (1.0 + w * w)
    return np.sum(z - np.log1p(x * x) * w)


def row_offsets(x, b):
    """b (one row) broadcasts over the rows of x: those statements must not fuse."""
    z = np.cos(x) * x + b
    return np.sum(z * z)


def sum_in_the_middle(x):
    """The second chain reads the first sum: a sum ends its run."""
    s = np.sum(np.sin(x) * x)
    return np.sum(np.tanh(x * s))


def scaled(x, a, b):
    """a / b divides numbers (Python's ZeroDivisionError when b is 0), x / a arrays (inf when a is 0)."""
    return np.sum(np.exp(x) * (a / b) + x / a)
