"""A nested def or lambda reading a value that carries derivatives, used as a value instead of called by its
name, hid that value: its derivative through it was a silent zero in both modes. Now it is followed where the
function is called by its name, and refused, at its line, everywhere else."""
import functools
import math

import numpy as np
import pytest

try:                                    # SciPy is optional: its two cases run where it is installed
    from scipy import integrate, optimize
except ImportError:
    integrate = optimize = None

import s2sgrad
from s2sgrad import UnsupportedConstructError


def make_scaler(a):
    def scale(v):
        return a * v
    return scale


def through_a_made_closure(x):
    scale = make_scaler(x)
    return scale(x) + scale(2.0)


def through_an_alias(x):
    def inner(v):
        return x * v
    alias = inner
    return alias(3.0)


def through_a_list_of_lambdas(x):
    fs = [lambda v: v * x, lambda v: v + x]
    return fs[0](2.0) + fs[1](1.0)


def apply_twice(f, v):
    return f(f(v))


def through_a_helper_taking_it(x):
    def inner(v):
        return x * v
    return apply_twice(inner, 3.0)


def through_another_nested_function(x):
    def inner(v):
        return x * v

    def outer(v):
        return inner(v) * 2.0
    return outer(3.0)


def through_quad(x):
    return integrate.quad(lambda t: math.sin(t * x), 0.0, 1.0)[0]


def through_a_root_finder(a):
    return optimize.brentq(lambda z: z ** 3 - a, 0.0, 3.0)


@pytest.mark.parametrize("f, line_text", [
    (through_a_made_closure, "def scale(v):"),
    (through_an_alias, "alias = inner"),
    (through_a_list_of_lambdas, "fs = [lambda v: v * x"),
    (through_a_helper_taking_it, "return apply_twice(inner, 3.0)"),
    (through_another_nested_function, "def outer(v):"),
] + ([] if integrate is None else [
    (through_quad, "integrate.quad(lambda t"),
    (through_a_root_finder, "optimize.brentq(lambda z"),
]), ids=lambda v: getattr(v, "__name__", "line"))
def test_a_closure_hiding_a_derivative_is_refused_at_its_line(f, line_text):
    for transform in (lambda: s2sgrad.grad(f)(1.5), lambda: s2sgrad.jvp(f, (1.5,), (1.0,))):
        with pytest.raises(UnsupportedConstructError, match="used as a value") as error:
            transform()
        assert line_text in str(error.value) and "as an argument" in str(error.value)


def called_by_name(x):
    def inner(v):
        return x * v
    square = lambda v: v * v          # noqa: E731  reads nothing from the function: a value like any other
    return inner(2.0) + inner(x) + apply_twice(square, x)


def sorted_by_a_key_reading_w(xs, w):
    ys = sorted(xs, key=lambda v: (v - w) ** 2)        # the key only orders: no derivative flows through it
    return ys[0] * w


def test_closures_called_by_name_or_given_to_a_table_entry_still_differentiate():
    assert s2sgrad.grad(called_by_name)(1.5) == pytest.approx(2.0 + 2 * 1.5 + 4 * 1.5 ** 3)
    assert s2sgrad.jvp(called_by_name, (1.5,), (1.0,))[1] == pytest.approx(2.0 + 2 * 1.5 + 4 * 1.5 ** 3)
    assert s2sgrad.grad(sorted_by_a_key_reading_w, wrt=1)([0.3, 1.5, 0.7], 1.0) == pytest.approx(0.7)


def partial_of_a_constant(x):
    f = functools.partial(np.power, 2.0)
    return f(x)


def test_a_partial_of_constants_is_a_value_like_any_other():
    assert s2sgrad.grad(partial_of_a_constant)(1.5) == pytest.approx(math.log(2.0) * 2.0 ** 1.5)
