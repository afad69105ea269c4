"""Loops whose iteration reads a value the iteration before it assigned, with no value before the loop
(kept at module level: the tests read their source)."""
import numpy as np


def previous_element(x):
    s = 0.0
    for i in range(len(x)):
        if i > 0:
            s = s + prev * x[i]
        prev = x[i] ** 2
    return s


def previous_element_while(x):
    s = 0.0
    i = 0
    while i < len(x):
        if i > 0:
            s = s + prev * x[i]
        prev = x[i] ** 2
        i += 1
    return s


def walrus_in_while_test(x):
    total = 0.0
    i = 0
    while (v := x[i] * 2) < 5.0 and i < len(x) - 1:
        total += v ** 2
        i += 1
    return total


def walrus_reads_last(x):
    s = 0.0
    for i in range(len(x)):
        if i > 0 and (d := x[i] - last) > 0:
            s += d ** 2
        last = x[i]
    return s


def previous_row_in_nested_loops(A):
    total = 0.0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if i > 0:
                total = total + np.sin(row[j]) * A[i, j]
        row = A[i] * A[i]
    return total


def previous_array_in_else(x, W):
    acc = 0.0
    for i in range(len(x)):
        if i == 0:
            acc = acc + x[0]
        else:
            acc = acc + np.sum(np.tanh(h) * W[i])
        h = W[i] * x[i] + acc
    return acc
