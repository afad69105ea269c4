"""In-place element assignment on arrays the function creates."""
import numpy as np


def fill_then_read(w, v):
    x = np.zeros(4)
    x[0] = w
    x[1:3] = v * w
    x[3] += w * w
    y = x * x
    x[1] = 2.0              # overwrites a value y was computed from: the reverse sweep needs the old one
    return np.sum(y) + np.sum(x * w)


def recurrence_in_place(w):
    x = np.ones(3) * w
    for i in range(1, 3):
        x[i] = x[i - 1] * x[i]
    return x[2]


def masked_assignment(a):
    x = a * 2.0
    x[x > 1.0] = 0.0
    return np.sum(x * a)


def integer_array_index(a, w):
    x = np.zeros(5)
    x[np.array([0, 2, 4])] = a * w
    return np.sum(x ** 2) + x[2]


def row_update(m, v):
    x = m * 1.0
    x[1] = x[1] + v
    x[:, 0] *= 3.0
    return np.sum(x * x)


def in_place_in_branch(a, flag):
    x = a + 0.0
    if flag > 0:
        x[0] = x[1] * x[2]
    else:
        x[2] = 5.0
    return np.sum(x * a)


def mutates_input(x):
    x[0] = 1.0
    return np.sum(x)


def mutates_alias(a):
    x = a * 2.0
    y = x
    y[0] = 1.0
    return np.sum(x)


def mutates_view(a):
    x = a * 2.0
    y = x[1:]
    y[0] = 1.0
    return np.sum(x)


def sum_of_squares(x):
    return np.sum(x * x)
