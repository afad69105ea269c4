"""Hand-written functions for tests/numpy_rules/test_special.py (s2sgrad reads their source)."""
import numpy as np


def uses_i0(x):
    y = np.sin(x)
    return np.sum(np.i0(y))


def max_of(x):
    return np.max(x)


def max_over_rows(x):
    return np.sum(np.max(x, axis=1) * np.array([1.0, 2.0]))


def maximum_of(a, b):
    return np.sum(np.maximum(a, b))


def sine_weighted(x, w):
    return np.sum(np.sin(x) * w)


def pad_linear_ramp(x):
    return np.sum(np.pad(x, 1, mode="linear_ramp"))
