"""A user's derivative rule for an elementwise function of an array and a number, whose adjoint of the
number keeps the array's shape (dc = "dy * ..." without the sum over the broadcast axes): grad, value_and_grad
and vjp handed that array on as the number's gradient, silently (shape (4,) for a float `c`), on the first
call and on the number fast path; for a 0-d array the shape was caught by grad but not by vjp. Each stops
with the located error that names the parameter and says to sum the adjoint."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import TransformError


def softclip(x, c):
    return c * np.tanh(x / c)


s2sgrad.defvjp(softclip, "x, c", dx="dy * (1 - np.tanh(x / c) ** 2)",
               dc="dy * (np.tanh(x / c) - x / c * (1 - np.tanh(x / c) ** 2))")      # not summed: c's shape lost


def loss(x, c):
    return np.sum(softclip(x, c) ** 2)


X = np.array([0.3, -0.5, 1.2, 0.1])


@pytest.mark.parametrize("c", [1.5, np.float64(1.5), np.array(1.5)], ids=["float", "np.float64", "0-d array"])
@pytest.mark.parametrize("how", ["grad", "value_and_grad", "vjp"])
def test_an_adjoint_of_the_wrong_shape_for_a_number_stops(c, how):
    for _ in range(3):          # the first call, and the fast paths of the later ones
        with pytest.raises(TransformError, match="for `c`"):
            if how == "grad":
                s2sgrad.grad(loss, wrt=1)(X, c)
            elif how == "value_and_grad":
                s2sgrad.value_and_grad(loss, wrt=(0, 1))(X, c)
            else:
                s2sgrad.vjp(loss, X, c)[1](1.0)


def summed_softclip(x, c):
    return c * np.tanh(x / c)


s2sgrad.defvjp(summed_softclip, "x, c", dx="dy * (1 - np.tanh(x / c) ** 2)",
               dc="np.sum(dy * (np.tanh(x / c) - x / c * (1 - np.tanh(x / c) ** 2)))")


def summed_loss(x, c):
    return np.sum(summed_softclip(x, c) ** 2)


def test_the_summed_rule_is_right():
    def central(c, h=1e-6):
        return (summed_loss(X, c + h) - summed_loss(X, c - h)) / (2 * h)

    grad = s2sgrad.grad(summed_loss, wrt=1)
    for _ in range(3):
        assert grad(X, 1.5) == pytest.approx(central(1.5), rel=1e-6)
