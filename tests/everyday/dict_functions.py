"""Loops over dicts and their views, written as users write them."""
import numpy as np


def squares_by_key(d):
    s = 0.0
    for k in d:
        s = s + d[k] ** 2
    return s


def squares_by_item(d):
    s = 0.0
    for k, v in d.items():
        s = s + v ** 2 * len(k)
    return s


def weighted_values(d, w):
    s = 0.0
    for v in d.values():
        s = s + w * v
    return s


def keys_then_lookup(d, weights):
    s = 0.0
    for name in d.keys():
        s = s + weights[name] * d[name] ** 3
    return s


def dict_built_inside(x, y):
    params = {"a": x, "b": y * y}
    total = 0.0
    for name in params:
        total = total + params[name] * x
    return total


def l2_penalty(params):
    penalty = 0.0
    for name, W in params.items():
        penalty = penalty + np.sum(W ** 2)
    return penalty


def sum_of_values(d):
    return sum(d.values()) * max(d.values())


def comprehension_over_items(d):
    return sum([v * v for k, v in sorted(d.items())])


def loop_in_loop(d, x):
    s = 0.0
    for i in range(3):
        for k, v in d.items():
            s = s + v * x * i
    return s


def integer_keys(d):
    # keys 0 and 1 are also positions: reading by position would swap them
    s = 0.0
    for k in d:
        s = s + d[k] * (k + 1.0)
    return s
