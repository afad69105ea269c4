"""Lambdas are found in their file on every Python version, several to a line included."""
import math

import pytest

import s2sgrad
from s2sgrad import grad, value_and_grad

SQUARE, CUBE = lambda x: x * x, lambda x: x * x * x
SHIFTED, SCALED = lambda x: x + 1.0, lambda x: x * 3.0
SAME_A, SAME_B = lambda x: math.sin(x), lambda x: math.sin(x)
TWO_PARAMETERS, ONE_PARAMETER = lambda x, y: x * y, lambda y: y ** 2


def make_lambdas(a, b):
    return lambda x: a * x, lambda x: b * x * x


def test_two_lambdas_on_one_line_each_get_their_own_gradient():
    assert grad(SQUARE)(3.0) == 6.0
    assert grad(CUBE)(3.0) == 27.0
    assert grad(SHIFTED)(2.0) == 1.0
    assert grad(SCALED)(2.0) == 3.0


def test_lambdas_with_different_parameters_on_one_line():
    assert grad(TWO_PARAMETERS, wrt=(0, 1))(2.0, 5.0) == (5.0, 2.0)
    assert grad(ONE_PARAMETER)(4.0) == 8.0


def test_identical_lambdas_on_one_line_compute_the_same_thing():
    assert grad(SAME_A)(0.5) == pytest.approx(math.cos(0.5))
    assert grad(SAME_B)(0.5) == pytest.approx(math.cos(0.5))


def test_lambdas_reading_a_closure_on_one_line():
    linear, quadratic = make_lambdas(2.0, 5.0)
    assert value_and_grad(linear)(3.0) == (6.0, 2.0)
    assert value_and_grad(quadratic)(3.0) == (45.0, 30.0)


class Model:
    scale = 4.0
    predict = staticmethod(lambda x: Model.scale * x * x)


def test_lambda_in_a_class_body():
    assert grad(Model.predict)(1.5) == 12.0


def test_lambda_called_from_a_differentiated_function():
    def f(x):
        return SCALED(x) + CUBE(x)

    assert s2sgrad.check_grad(f, 1.5) == pytest.approx(3.0 + 3 * 1.5 ** 2)
