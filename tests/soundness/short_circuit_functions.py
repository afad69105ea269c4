"""and/or whose first operand guards the others (kept at module level: the tests read their source)."""
import numpy as np


def running_max_from_none(x):
    best = None
    for v in x:
        if best is None or v > best:
            best = v
    return best * 2


def ratio_guard(x, n):
    if n != 0 and x / n > 1.0:
        return x ** 2
    return x * 3.0


def optional_scale(x, scale=None):
    if scale is not None and scale > 0:
        return np.sum(x * scale)
    return np.sum(x ** 2)


def guard_in_a_while_test(x, limit):
    i = 0
    total = 0.0
    last = None
    while last is None or last < limit:
        last = x[i] * 2
        total = total + last ** 2
        i += 1
    return total


def both_positive(x, y):
    if x > 0 and y > 0:
        return x * y
    return x + y
