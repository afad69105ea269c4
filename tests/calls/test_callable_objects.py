"""A module-level object whose class defines __call__ in Python is called like a helper function:
both modes go through its __call__, whose fields are constants here."""
import numpy as np

from tests.coverage.both_modes import check_both_modes


class Affine:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)


LAYER = Affine(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]]), np.array([0.1, -0.3]))


def loss(x):
    return np.sum(LAYER(x) ** 2)


def test_both_modes_through_a_callable_object():
    check_both_modes(loss, np.array([0.3, -0.7, 1.1]))
