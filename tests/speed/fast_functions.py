"""Functions the speed tests differentiate."""
import math

import numpy as np

activation = math.sin


def seed000(a, b, c):
    u = b * c
    v = a + u
    return 3 * v


def square_sum(x, y):
    return np.sum(x * x) + y * y if isinstance(x, np.ndarray) else x * x + y * y


def with_aux(x, y):
    return x * x + math.sin(x) * y, "aux"


def numpy_result(x):
    return np.exp(x) * x + x


def array_result(x):
    return np.array([x, 2.0 * x])


def log_of(x):
    return math.log(x)


def calls_activation(x):
    return activation(x)
