"""Functions whose locals or parameters have the names of Python's builtins (kept at module level: the
tests read their source)."""
import numpy as np


def local_named_len(x):
    len = 3.0
    total = 0.0
    for v in x:
        total += v * len
    return total


def locals_named_range_and_sum(x):
    range = 2.0
    sum = x[0] * range
    for i in [0, 1]:
        sum = sum + np.sin(x[i]) * range
    return sum


def parameter_named_min(x, min):
    s = 0.0
    for a, b in zip(x, x[::-1]):
        s += a * b * min
    return s


def parameter_named_max_without_loops(x, max):
    return np.sum(np.clip(x, -max, max) ** 2)
