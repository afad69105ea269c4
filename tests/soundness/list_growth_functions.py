"""Functions that read a list while a loop grows it (kept at module level: the tests read their source)."""
import numpy as np


def running_products(x):
    rows = [x[0]]
    for k in range(1, 3):
        rows.append(rows[-1] * x[k])
    return np.sum(np.stack(rows))


def recurrence_from_the_end(x):
    seq = [x[0], x[1]]
    for k in range(4):
        seq.append(seq[-1] * seq[-2] + x[2])
    return seq[-1] + np.sum(np.array(seq))


def rows_as_array(x):
    rows = [x[0]]
    for k in range(1, 3):
        rows.append(rows[-1] * x[k] + rows[0])
    return np.sum(np.array(rows) ** 2)
