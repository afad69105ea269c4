"""Functions that join and repeat Python lists and tuples with `+` and `*` (test_sequence_arithmetic.py).

In a module of their own: s2sgrad reads their source."""
import numpy as np


def repeated_list(x, y):
    items = [x] * 3
    items[1] = y
    return items[0] * items[1] * items[2]


def count_first(x, y):
    pair = 2 * [x * y]
    return pair[0] + pair[1]


def repeated_pair(x, y):
    items = [x, y] * 2
    return items[0] * items[3]


def repeated_tuple(x, y):
    items = (x, y) * 2
    return items[0] * items[3] + items[1]


def joined_lists(x, y):
    items = [x] + [y, x]
    return items[0] * items[1] + items[2]


def joined_then_repeated(x, y):
    items = [x] + [y] * 2
    return items[0] * items[1] * items[2]


def joined_tuples(x, y):
    items = (x, y) + (x * y,)
    return items[0] * items[2] + items[1]


def extended_in_place(x, y):
    items = [x, y]
    items += [x * y]
    return items[0] * items[2] + items[1]


def self_joined(x, y):
    items = [x, y]
    both = items + items
    return both[0] * both[3]


def nested_rows(x, y):
    rows = [[x, y]] * 2
    return rows[0][0] * rows[1][1]


def _pair(v):
    return [v, v * v]


def joined_helper_results(x, y):
    items = _pair(x) + _pair(y)
    return items[1] * items[2] + items[3]


def _scaled(v):
    return np.array([v, 2.0 * v])


def helper_array_arithmetic(x, y):
    h = _scaled(x)
    return float(np.sum(h + y) * (h * y)[1])


def _square(v):
    return v * v


def helper_number_arithmetic(x, y):
    h = _square(x)
    return h + y * h


def joined_parameter(xs, y):
    ys = xs + [y]
    return ys[0] * ys[-1] + ys[1]


def repeated_parameter(xs, y):
    ys = xs * 2
    return ys[0] * ys[-1] * y


def array_times_list(x, y):
    return float(np.sum(np.array([x, y]) * [y, x]) + np.sum(np.array([x, y]) * [2.0, 3.0]))


def array_plus_list(x, y):
    return float(np.prod(np.array([x, y]) + [y, 1.0]))


def _tanh_scaled(v):
    return np.tanh(v) * v


def helper_product_and_sum(x):
    h = _tanh_scaled(x)
    return np.sum(h * x + h)
