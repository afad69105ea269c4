"""math.prod: every element's derivative is the product of the others (a zero among them included),
in both modes and under hessian."""
import math

import numpy as np
import pytest

import s2sgrad
from tests.coverage.both_modes import check_both_modes


def literal_list(x):
    return math.prod([x, x + 1.0, 2.0])


def with_a_zero(x):
    return math.prod((x, 0.0, 3.0)) + x


def with_start(x, y):
    return math.prod([x, 2.0, y], start=x * y)


def built_in_a_loop(x):
    values = [x * i for i in range(1, 5)]
    return math.prod(values)


def arrays_elementwise(x):
    return np.sum(math.prod([x, x ** 2, np.full(3, 2.0)]))


def rows_of_a_matrix(x):
    return np.sum(math.prod(np.reshape(x, (2, 2))))


@pytest.mark.parametrize("f, args, wrt", [
    (literal_list, (1.3,), (0,)),
    (with_a_zero, (1.3,), (0,)),
    (with_start, (1.3, -0.6), (0, 1)),
    (built_in_a_loop, (0.8,), (0,)),
    (arrays_elementwise, (np.array([0.5, -1.0, 2.0]),), (0,)),
    (rows_of_a_matrix, (np.array([0.5, 1.5, -2.0, 3.0]),), (0,)),
])
def test_math_prod_in_both_modes(f, args, wrt):
    check_both_modes(f, *args, wrt=wrt)


def test_hessian_of_math_prod():
    def f(x, y):
        return math.prod([x, y, x * y], start=2.0)       # 2 x^2 y^2
    x, y = 1.3, 0.7
    expected = [[4 * y * y, 8 * x * y], [8 * x * y, 4 * x * x]]
    np.testing.assert_allclose(s2sgrad.hessian(f, wrt=(0, 1))(x, y), expected, rtol=1e-12)
