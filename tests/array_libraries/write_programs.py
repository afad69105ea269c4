"""Functions that write into arrays (`y[i] = v`) and read through boolean masks, for the array-library
tests (Dask, CuPy, the saved copies): NumPy code as a user writes it, with NumPy constants as indices."""
import numpy as np


ROWS = np.array([2, 0])
KEEP = np.array([True, False, True, False, True, True])
PAIR_ROWS, PAIR_COLS = np.array([0, 2]), np.array([1, 3])
MASK_2D = np.arange(12).reshape(3, 4) % 3 == 0


def writes_of_each_kind(x):
    y = x * 2.0
    y[1] = x[0] ** 2                       # an integer
    y[2:4] = np.sin(x[2:4])                # a slice
    y[ROWS] = np.cos(x[3:5])               # one integer array
    y[KEEP] = y[KEEP] * x[KEEP]            # a NumPy boolean mask
    return np.sum(y * y)


def writes_in_a_loop(x):
    y = x * 1.0
    for i in range(1, x.shape[0]):
        y[i] = y[i - 1] * x[i] + np.tanh(y[i])
    return np.sum(y ** 2)


def rows_and_columns(a):
    b = np.tanh(a)
    b[1] = b[0] * a[2]                     # a row
    b[:, 2] = np.exp(b[:, 1])              # a column
    b[0, 3] = a[1, 1] ** 3                 # one element
    return np.sum(b * a)


def dask_mask_write(a):
    b = a * 3.0
    b[a > 0.2] = 0.5                       # a boolean Dask array of a's shape (the whole array is saved)
    return np.sum(b * a)


def masked_sum(x):
    return np.sum(np.sin(x[x > 0.0]))


def masked_matrix(a):
    b = a * a
    return np.sum(b[a > 0.1] ** 2) + np.sum(a)


def masked_rows(a):
    return np.sum(a[a[:, 0] > 0.0] ** 2)


def pairs_write(a):
    b = a * 2.0
    b[PAIR_ROWS, PAIR_COLS] = a[0, :2] ** 2
    return np.sum(b * b)


def matrix_mask_write(a):
    b = a * 2.0
    b[MASK_2D] = 0.0
    return np.sum(b * a)


VECTOR = np.linspace(-0.9, 1.3, 6)
MATRIX = np.random.default_rng(5).normal(size=(3, 4))
