"""Lambdas and nested defs that read differentiated values of the function that made them, in reverse
mode and in forward mode (jvp): the captured values' tangents go with each call."""
import numpy as np
import pytest

from s2sgrad import jvp

from .derivatives import both_modes


def lambda_reads_x(x):
    g = lambda t: t * x          # noqa: E731
    return g(2.0)


def nested_def_reads_a_computed_value(x, w):
    y = np.tanh(x) * w

    def shifted(t):
        return np.sum((t - y) ** 2)
    return shifted(x) + shifted(2.0 * x)


def lambda_in_map(x, scale):
    return sum(map(lambda t: t * scale, [x, x * x, 3.0]))


def helper_in_a_loop(x, w):
    f = lambda t, k: np.sin(t * w + k)        # noqa: E731
    total = 0.0
    for k in range(3):
        total = total + f(x, k)
    return total


def sorted_by_a_key_reading_x(x, y):
    pairs = sorted([(1.0, x), (0.5, y)], key=lambda p: p[0])
    return pairs[0][1] * pairs[1][1] + x


def nested_lambdas(x, y):
    outer = lambda t: t * y + (lambda u: u * x)(t)     # noqa: E731
    return outer(1.5)


@pytest.mark.parametrize("f, args, wrt", [
    (lambda_reads_x, (3.0,), 0),
    (nested_def_reads_a_computed_value, (0.4, np.array([0.5, -1.0])), (0, 1)),
    (lambda_in_map, (0.7, -1.3), (0, 1)),
    (helper_in_a_loop, (0.3, 1.7), (0, 1)),
    (sorted_by_a_key_reading_x, (0.2, 0.9), (0, 1)),
    (nested_lambdas, (0.6, -0.4), (0, 1)),
])
def test_closures_reading_differentiated_values_in_both_modes(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


def test_the_forward_code_hands_the_lambda_the_captured_tangent():
    value, tangent = jvp(lambda_reads_x, (3.0,), (1.0,))
    assert (value, tangent) == (6.0, 2.0)
