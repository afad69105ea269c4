"""Builtin sum, min, max, abs, len and sorted over lists and arrays, written as users write them."""
import numpy as np


def total_of_list(x, y):
    values = [x, y, x * y]
    return sum(values)


def total_with_start(x, y):
    return sum([x, y * y], 10.0 * x)


def total_of_array(a):
    return sum(a) * 2.0


def total_of_rows(M):
    return np.sum(sum(M) ** 2)          # sum over a 2-D array adds its rows


def total_of_arrays(a, b):
    return np.sum(sum([a, b * 2.0, a * b]))


def largest_of_list(x, y):
    return max([x, 2.0 * y, x * y])


def smallest_of_array(a):
    return min(a) * 3.0


def largest_of_three(x, y, z):
    return max(x * y, y, z * z)


def largest_by_key(x, y):
    return max([x, -2.0 * y, y], key=abs)


def largest_or_default(x, ys):
    return max([x * y for y in ys if y > 0], default=x)


def largest_tie(x, y):
    return max([x, y]) * 10.0 + y        # x == y: Python returns the first, x


def spread(a):
    return max(a) - min(a) + abs(sum(a)) / len(a)


def sorted_weights(x, y, z):
    s = sorted([x, y, z * z])
    return s[0] + 2.0 * s[1] + 3.0 * s[2]


def sorted_descending_array(a):
    s = sorted(a, reverse=True)
    return s[0] * 4.0 + s[1] * s[2]


def sorted_by_key(x, y):
    s = sorted([x, y, -x * y], key=lambda v: v * v)
    return s[0] + 10.0 * s[-1]


def sorted_used_twice(x, y):
    s = sorted([y, x])
    return sum(s) * s[0]
