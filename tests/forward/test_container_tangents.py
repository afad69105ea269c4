"""A function returning a tuple, given derivatives through two arguments at once, adds its tangents
element by element: forward mode joined the two tuples with `+` (jvp of lstsq in a and b was wrong)."""
import numpy as np

from tests.coverage.both_modes import check_both_modes


def least_squares(a):
    x, residuals, _, _ = np.linalg.lstsq(a[:, :2], a[:, 2], rcond=None)
    return np.sum(x) + np.sum(residuals)


def test_lstsq_in_both_of_its_arguments():
    a = np.array([[1.0, 0.5, 2.0], [0.3, 1.2, -1.0], [-0.7, 0.4, 0.5], [0.2, -0.9, 1.5]])
    check_both_modes(least_squares, a)
