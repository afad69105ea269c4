"""`for ... else` and `while ... else` (s2sgrad/ssa/loop_else.py): the clause runs when the loop ended
without `break`; every mode on both paths, and the generated code reads the loop's own stop flag."""
from __future__ import annotations

import math

import numpy as np
import pytest

import s2sgrad

from .all_modes import all_modes


def search(x):
    for k in range(1, 6):
        if x * k > 4.0:
            y = x * k
            break
    else:
        y = -x
    return y * y


def for_else_accumulates(x):
    s = 0.0
    for k in range(5):
        if s > 3.0:
            break
        s = s + x * k
    else:
        s = s * x
    return s


def while_else(x):
    s = x
    n = 0
    while n < 4:
        s = s * x
        n += 1
        if s > 100.0:
            break
    else:
        s = s + math.sin(x)
    return s


def else_without_break(x):
    s = x
    for k in range(3):
        s = s * x + k
    else:
        s = math.exp(s * 0.1)
    return s


def returns_inside(x):
    for k in range(4):
        if x * k > 3.0:
            return x * k
    else:
        y = x * x
    return y + 1.0


def inner_else_breaks_outer(x):
    total = 0.0
    for i in range(3):
        for j in range(3):
            if x * j > 2.5:
                break
            total = total + x * j
        else:
            total = total + i
            continue
        total = total * x
    return total


def over_rows(x):
    for row in x:
        if np.sum(row) < 0.0:
            found = row * 2.0
            break
    else:
        found = x[0] + x[1]
    return np.sum(found * found)


@pytest.mark.parametrize("f, points", [
    (search, (0.2, 1.3, 2.5)),
    (for_else_accumulates, (0.2, 1.3, 2.5)),
    (while_else, (0.2, 1.3, 2.5)),
    (else_without_break, (0.3, 1.1)),
    (returns_inside, (0.5, 2.0)),
    (inner_else_breaks_outer, (0.4, 1.0, 3.0)),
])
def test_both_paths_in_every_mode(f, points):
    for x in points:
        all_modes(f, x)


@pytest.mark.parametrize("x", [np.array([[1.0, 2.0], [0.5, -3.0]]), np.array([[1.0, 2.0], [0.5, 3.0]])])
def test_an_array_loop_with_else(x):
    all_modes(over_rows, x, hessian=False)
    # the Hessian against central differences of the gradient, one entry of x at a time
    grad, h = s2sgrad.grad(over_rows), 1e-5
    steps = np.eye(x.size).reshape((x.size,) + x.shape) * h
    numeric = np.array([(grad(x + step) - grad(x - step)).ravel() / (2 * h) for step in steps])
    np.testing.assert_allclose(s2sgrad.hessian(over_rows)(x).reshape(x.size, x.size), numeric, atol=1e-6)


def test_the_clause_reads_the_loops_stop_flag():
    source = s2sgrad.grad(search).source
    assert "stop = False" in source
    assert "t3 = not stop\n    if t3:\n        y_2 = -x" in source
