"""Helpers taking `*args` and `**kwargs` whose values carry derivatives, in both modes, and `grad` of a
function whose inputs arrive through `*args` (wrt counts positional arguments as passed, as JAX's argnums)."""
import functools

import numpy as np
import pytest

from s2sgrad import grad, jvp, value_and_grad
from s2sgrad.errors import UnsupportedConstructError, WrtError

from .derivatives import both_modes


def norm2(*xs):
    return sum(x * x for x in xs)


def three_squares(a, b, c):
    return norm2(a, b, c)


def three_arrays(a, b, c):
    return np.sum(norm2(a, b, c) * np.cos(a))


def two_and_three(a, b):
    return norm2(a, b) + norm2(a, b, a * b)       # two call shapes of one helper


def weighted(w, *xs):
    total = 0.0
    for x in xs:
        total = total + w * np.sin(x)
    return total


def weighted_in_a_loop(w, x):
    s = 0.0
    for k in range(3):
        s = s + weighted(w, x, x * k)
    return s


def scaled(x, **opts):
    return x * opts["scale"] + opts.get("shift", 0.0)


def uses_scaled(x, s):
    return scaled(x, scale=s) + scaled(x, scale=2.0, shift=s * s)


def target(x, y):
    return np.sum(np.tanh(x) * y)


def forward_all(*a, **k):
    return target(*a, **k)


def through_a_wrapper(x, y):
    return forward_all(x, y=y)


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@logged
def logged_cube(x):
    return x ** 3


def calls_a_decorated_helper(x):
    return logged_cube(2.0 * x) + x


def keyword_named_like_a_builtin(x, **kw):
    return x * kw["sum"] + sum([x, x])


def calls_with_keyword_sum(x, y):
    return keyword_named_like_a_builtin(x, sum=y)


def star_then_keyword(x, *rest, key=1.0):
    return x * key + sum(r * r for r in rest)


def calls_star_then_keyword(a, b):
    return star_then_keyword(a, b, a * b, key=b)


def default_then_star(x, y=2.0, *rest):
    return x * y + sum(rest)


def calls_default_then_star(a, b):
    return default_then_star(a, b, a, b) + default_then_star(a)


class Totals:
    def __init__(self, w):
        self.w = w

    def total(self, *vals):
        return self.w * sum(vals)


TOTALS = Totals(3.0)


def calls_a_star_method(a, b):
    return TOTALS.total(a, b, a * b)


def keyword_only_and_double_star(*, a, **kw):
    return a * sum(kw.values())


def calls_keyword_only_and_double_star(a, b):
    return keyword_only_and_double_star(a=a, p=b, q=a * b)


def star_lambda(a, b):
    f = lambda *v: v[0] * v[-1]          # noqa: E731
    return f(a, 2.0, b)


def skips_the_first(*xs):
    xs = xs[1:]
    return sum(x * x for x in xs)


def calls_skips_the_first(a, b):
    return skips_the_first(a, b, a * b)


def weighs_keywords(*xs, **kw):
    total = 0.0
    for k, v in kw.items():
        total = total + v * len(k)
    return total + sum(xs)


def calls_weighs_keywords(a, b):
    return weighs_keywords(a, b, alpha=a * b, be=b)


X = np.array([0.3, -0.8, 1.1])


@pytest.mark.parametrize("f, args, wrt", [
    (three_squares, (0.4, -1.2, 0.7), (0, 1, 2)),
    (three_arrays, (X, 0.5, X[::-1].copy()), (0, 1, 2)),
    (two_and_three, (0.6, -0.9), (0, 1)),
    (weighted_in_a_loop, (0.7, 0.3), (0, 1)),
    (uses_scaled, (1.3, -0.4), (0, 1)),
    (through_a_wrapper, (X, X * 2.0), (0, 1)),
    (calls_a_decorated_helper, (0.8,), 0),
    (calls_with_keyword_sum, (0.5, 1.5), (0, 1)),
    (calls_star_then_keyword, (0.7, 1.3), (0, 1)),
    (calls_default_then_star, (0.7, 1.3), (0, 1)),
    (calls_a_star_method, (0.7, 1.3), (0, 1)),
    (calls_keyword_only_and_double_star, (0.7, 1.3), (0, 1)),
    (star_lambda, (0.7, 1.3), (0, 1)),
    (calls_skips_the_first, (0.7, 1.3), (0, 1)),
    (calls_weighs_keywords, (0.7, 1.3), (0, 1)),
])
def test_helpers_with_star_parameters_in_both_modes(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


def central(f, args, i, kwargs=None, h=1e-6):
    plus, minus = list(args), list(args)
    plus[i], minus[i] = args[i] + h, args[i] - h
    return (f(*plus, **(kwargs or {})) - f(*minus, **(kwargs or {}))) / (2 * h)


def test_grad_of_a_star_function_counts_positions_as_passed():
    args = (0.5, -1.5, 2.0)
    numeric = [central(norm2, args, i) for i in range(3)]
    assert grad(norm2)(*args) == pytest.approx(numeric[0])
    assert grad(norm2, wrt=(0, -1))(*args) == pytest.approx((numeric[0], numeric[2]))
    assert grad(norm2, wrt="xs")(*args) == pytest.approx(tuple(numeric))          # all of *xs, a tuple
    assert grad(norm2, wrt="xs")(1.0, 2.0) == pytest.approx((2.0, 4.0))          # another shape
    value, g = value_and_grad(weighted, wrt=(0, "xs"))(0.5, 0.2, 0.9)
    assert value == pytest.approx(weighted(0.5, 0.2, 0.9))
    assert g[0] == pytest.approx(central(weighted, (0.5, 0.2, 0.9), 0))
    assert g[1] == pytest.approx((central(weighted, (0.5, 0.2, 0.9), 1), central(weighted, (0.5, 0.2, 0.9), 2)))


def test_grad_with_respect_to_keywords_gives_a_dict():
    g = grad(scaled, wrt=(0, "opts"))(1.5, scale=3.0, shift=0.25)
    assert g[0] == pytest.approx(3.0)
    assert g[1] == pytest.approx({"scale": 1.5, "shift": 1.0})


def test_jvp_of_a_star_function_moves_each_argument():
    args, tangents = (0.5, -1.5, 2.0), (1.0, 0.5, -2.0)
    value, tangent = jvp(norm2, args, tangents)
    assert value == pytest.approx(norm2(*args))
    assert tangent == pytest.approx(sum(2 * a * t for a, t in zip(args, tangents)))


def test_wrt_errors_say_how_positions_and_keywords_are_named():
    with pytest.raises(WrtError, match="passes 2 positional arguments"):
        grad(norm2, wrt=2)(1.0, 2.0)
    with pytest.raises(WrtError, match="naming the `\\*\\*` parameter"):
        grad(scaled, wrt="scale")


def drops_the_first(*a):
    a = a[1:]
    return target(*a)


def spreads_a_rebound_tuple(x, y):
    return drops_the_first(0.0, x, y)


def test_a_spread_that_cannot_be_written_out_is_a_located_error():
    with pytest.raises(UnsupportedConstructError) as info:
        grad(spreads_a_rebound_tuple, wrt=(0, 1))(X, X)
    message = str(info.value)
    assert "return target(*a)" in message and "separate arguments" in message
    assert "return drops_the_first(0.0, x, y)" in message          # the caller's line too
