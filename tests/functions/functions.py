"""User code that factors its computation into functions, closures and containers."""
import functools
import math

import numpy as np

from .helpers_module import affine
from . import helpers_module

SCALE = 3.0
OFFSETS = np.array([0.5, -1.0, 2.0])


def square(x):
    return x * x


def level3(x):
    return math.sin(x) * 2.0


def level2(x, y):
    return level3(x * y) + y


def level1(x, y):
    return level2(x, y) * level3(y)


def calls_helper_twice(x, y):
    return square(x) + square(x * y) * y


def uses_keywords_and_defaults(x, y):
    return scaled_power(x, power=3) + scaled_power(y, scale=y)


def scaled_power(x, power=2, scale=1.5):
    return scale * x ** power


def nested_def(x, w):
    def inner(t):
        return t * w + math.sin(t)
    return inner(x) * inner(w)


def lambda_inside(x, w):
    h = lambda t: t * t * w  # noqa: E731
    return h(x) + h(2.0)


def function_as_argument(x, fn):
    return fn(x) * 2.0


def reads_globals(x):
    return SCALE * np.sum(x * OFFSETS)


def closure_over_array(weights):
    def loss(x):
        return np.sum((x * weights) ** 2)
    return loss


def tuple_returning_helper(x):
    a, b = split_pair(x)
    return a * b


def split_pair(x):
    return x * 2.0, x + 1.0


def factorial_like(x, n):
    if n <= 1:
        return x
    return x * factorial_like(x, n - 1)


def with_partial(x, y):
    cube = functools.partial(scaled_power, power=3)
    return cube(x) + cube(y, scale=2.0)


def imported_helper(W, x, b):
    return np.sum(np.tanh(affine(W, x, b)))


def module_attribute_helper(x):
    return np.sum(helpers_module.softplus_naive(x))


def forwards_args(x, *args):
    return scaled_power(x, *args)


def forwards_kwargs(x, **options):
    return scaled_power(x, **options)


def params_tuple(params, x):
    w, b = params
    return np.sum((w * x + b) ** 2)


def params_dict(params, x):
    h = np.tanh(params["W1"] @ x + params["b1"])
    return np.sum((params["W2"] @ h + params["b2"]) ** 2)


def nested_params(params, x):
    first, rest = params["layers"][0], params["layers"][1]
    return np.sum((first * x) ** 2) + rest["scale"] * np.sum(x)


def builds_list(x, n):
    values = []
    for i in range(n):
        values.append(x * i + math.sin(x))
    total = 0.0
    for v in values:
        total = total + v * v
    return total


def builds_dict(a, b):
    d = {"first": a * b, "second": a + b}
    return d["first"] * d["second"]


def has_aux(x):
    loss = np.sum(x ** 2)
    return loss, {"norm": np.sqrt(loss)}


class Model:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def predict(self, x):
        return x @ self.w + self.b

    def loss(self, x, y):
        return np.mean((self.predict(x) - y) ** 2)


def model_loss(model, x, y):
    return model.loss(x, y)


def nested_def_reading_a_local_array(x):
    t = x * 2.0

    def g(a):
        return np.sum(a * t)
    return g(x) + np.sum(x)
