"""An array written in place after a list, tuple, dict or function result came to hold it
(test_aliased_writes.py); s2sgrad reads their source."""
import numpy as np


def _same(a):
    return a


def _first(t):
    return t[0]


def held_by_list(x):
    y = x * 1.0
    rows = [y]
    y[0] = 5.0
    return np.sum(rows[0] * x)


def held_by_dict(x):
    y = x * 1.0
    d = {"a": y}
    y[1] = 2.0 * x[0]
    return np.sum(d["a"] ** 2)


def held_by_tuple(x):
    y = x * 1.0
    t = (y, 1.0)
    y[2] = 0.0
    return np.sum(t[0] * x)


def returned_by_a_helper(x):
    y = x * 1.0
    z = _same(y)
    y[0] = 5.0
    return np.sum(z * x)


def returned_from_a_list_by_a_helper(x):
    y = x * 1.0
    z = _first([y, 2.0])
    y[0] = 5.0
    return np.sum(z * x)


def appended(x):
    y = x * 1.0
    rows = []
    rows.append(y)
    y[3] = 1.0
    return np.sum(rows[0] * x)


def repeated_list(x):
    y = x * 1.0
    rows = [y] * 2
    y[3] = 1.0
    return np.sum(rows[1] * x)


def larger_of_two(x):
    y = x * 1.0
    z = max(y, x, key=np.sum)
    y[0] = 5.0
    return np.sum(z * x)


def stores_a_copy(x):
    y = x * 1.0
    rows = [y.copy()]
    y[0] = 5.0
    return np.sum(rows[0] * x) + np.sum(y * x)


def shallow_copy_of_a_list(x):
    y = x * 1.0
    rows = [y].copy()
    y[0] = 5.0
    return np.sum(rows[0] * x)


def another_name_for_a_growing_list(x):
    y = x * 1.0
    rows = [y]
    alias = rows
    rows.append(2.0 * y)
    return np.sum(alias[0] * alias[-1])


def nested_list_grows(x):
    inner = [x * 1.0]
    outer = [inner, inner]
    inner.append(x * x)
    return np.sum(outer[1][1])
