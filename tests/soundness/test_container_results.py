"""A rule whose result is a tuple or list, used whole and in part: the adjoints add element by element.

With `+` the two lists of adjoints were joined end to end (an 8-element gradient for a 4-element input).
"""
import numpy as np

import s2sgrad


def split_used_twice(x):
    parts = np.split(x, 2)
    return np.sum(parts[0] * 3) + np.sum(np.concatenate(parts) ** 2)


def eigh_used_twice(a):
    w, v = np.linalg.eigh(a)
    both = np.linalg.eigh(a)
    return np.sum(w * w) + np.sum(both[0] * 2) + np.sum(both[1][:, 0] ** 2)


def test_split_used_whole_and_in_part():
    x = np.arange(4.0)
    np.testing.assert_allclose(s2sgrad.grad(split_used_twice)(x), 2 * x + np.array([3.0, 3.0, 0.0, 0.0]))


def test_eigh_used_whole_and_in_part():
    a = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 3.0]])
    s2sgrad.check_grad(eigh_used_twice, a)
