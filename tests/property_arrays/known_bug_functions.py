"""Minimal reproducers of the bugs the random NumPy programs found (used by test_known_bugs.py)."""
import numpy as np


def nested_def_after_cosh(B):
    v = np.cosh(B)
    def inner(t):
        return t * np.sum(B)
    return inner(np.sum(v))


def nested_def_after_tanh(B):           # the same with tanh: correct
    v = np.tanh(B)
    def inner(t):
        return t * np.sum(B)
    return inner(np.sum(v))


def two_row_loops(A, B):
    acc = 0.0
    for row in A:
        acc = acc + np.sum(np.tanh(row))
    acc2 = np.zeros(4)
    for row in B:
        acc2 = acc2 * 0.5 + row * row
    return acc + np.sum(acc2)


def write_itself(u):
    y = np.tanh(u) * 1.0
    y[0:1] = y
    return np.sum(y * y)


def _h(a, b):
    return a - b


def repeated_index_of_call_result(x):
    v = _h(x, 0.5)
    return np.sum(np.tanh(v[[1, 1]]))


def view_then_scale(x):
    y = x * 1.0
    v = y.reshape(-1)          # a view of y: the write below changes v too
    y[1] *= 0.5
    return np.sum(v * v)


def prod_with_axis_of_a_scalar(s):
    return np.prod(np.tanh(s), axis=0)      # NumPy accepts axis=0 on a 0-d value


def stack_of_the_input_and_its_square(x):
    return np.sum(np.stack([x, x * x]) ** 2)          # sum(x ** 2 + x ** 4): third derivative 24 x on the diagonal
