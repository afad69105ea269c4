"""jvp with an integer primal and a tangent that is not zero: the integer carries no tangent, so the one the
caller gave was dropped and the result's tangent came out without its part (jvp(f, (3,), (1,)) of
f(x) = 1.5 x ** 2 gave the tangent 0.0; an integer array, or True, the same), silently. It is refused,
saying to pass floats; a zero or None tangent for an integer (a count, an exponent) stays accepted."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import WrtError


def quadratic(x):
    return x ** 2 * 1.5


def scaled(x, n):
    return np.sum(x * n)


@pytest.mark.parametrize("primal, tangent", [(3, 1), (3, 1.0), (np.int64(3), 1.0), (True, 1.0),
                                             (np.array([1, 2]), np.ones(2))],
                         ids=["int", "int-float-tangent", "np.int64", "bool", "int-array"])
def test_a_tangent_given_to_an_integer_is_refused(primal, tangent):
    with pytest.raises(WrtError, match="carries no tangent"):
        s2sgrad.jvp(quadratic, (primal,), (tangent,))


def test_the_same_values_as_floats_move():
    assert s2sgrad.jvp(quadratic, (3.0,), (1.0,)) == (13.5, 9.0)
    _, tangent = s2sgrad.jvp(quadratic, (np.array([1.0, 2.0]),), (np.ones(2),))
    np.testing.assert_allclose(tangent, [3.0, 6.0])


@pytest.mark.parametrize("zero", [0, 0.0, None])
def test_an_integer_with_no_tangent_is_data(zero):
    x = np.array([1.0, 2.0])
    for _ in range(3):
        value, tangent = s2sgrad.jvp(scaled, (x, 3), (np.ones(2), zero))
        assert value == 9.0 and tangent == 6.0
