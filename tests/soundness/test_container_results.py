"""A rule whose result is a tuple or list, used whole and in part: the adjoints add element by element.

With `+` the two lists of adjoints were joined end to end (an 8-element gradient for a 4-element input).
"""
import numpy as np
import pytest

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


def add_into_repeated_positions(w):
    y = np.zeros(3)
    y[[0, 0, 1]] += w[:3]              # NumPy keeps the last write to position 0: w[1]
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def store_into_repeated_negative_positions(w):
    y = np.zeros((3, 2))
    y[[2, -1, 0]] = w                  # -1 and 2 are the same row: the second write wins
    return np.sum(y * np.arange(6.0).reshape(3, 2))


def test_repeated_fancy_indices_give_their_gradient_to_the_last_write():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(s2sgrad.grad(add_into_repeated_positions)(w), [0.0, 1.0, 2.0, 0.0])
    s2sgrad.check_grad(store_into_repeated_negative_positions, np.arange(6.0).reshape(3, 2) + 0.5)


def test_np_matrix_arguments_are_refused():
    def product_sum(a, b):
        return np.sum(a * b)
    a = np.matrix([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(s2sgrad.WrtError, match="np.matrix"):
        s2sgrad.grad(product_sum)(a, a)


def reads_a_flipped_view_after_writing_its_array(w):
    x = w * 1.0
    y = np.flip(x)                     # a view of x: the write below changes y too
    x[0] = 5.0
    return np.sum(y * np.array([1.0, 2.0, 3.0]))


def test_a_view_made_by_flip_is_not_read_after_a_write_into_its_array():
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="may share memory"):
        s2sgrad.grad(reads_a_flipped_view_after_writing_its_array)(np.array([1.0, 2.0, 3.0]))
