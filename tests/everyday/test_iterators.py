"""Dict comprehensions, map and filter, zip(*rows), starred unpacking: written as users write them,
differentiated in reverse and forward mode, and refused with a located error where a list cannot
stand for them."""
import numpy as np
import pytest

from s2sgrad import grad, jvp
from s2sgrad.errors import UnsupportedConstructError

from .derivatives import both_modes
from .helpers import checked

WEIGHTS = {"a": 1.5, "b": -0.5, "c": 2.0}


# ---- dict comprehensions ---------------------------------------------------------------------------
def scaled_items(w, d):
    scaled = {k: v * w for k, v in d.items() if k != "c"}
    total = 0.0
    for k in scaled:
        total = total + scaled[k] ** 2
    return total


def over_zip(x, y):
    table = {name: a * b for name, a, b in zip(["p", "q"], [x, y], [y, 2.0])}
    return table["p"] + np.sin(table["q"])


def over_enumerate(x):
    by_position = {i: v ** (i + 1) for i, v in enumerate([x, 2 * x, x * x])}
    return by_position[0] + by_position[1] * by_position[2]


def nested(x):
    grid = {i: {j: x ** i + j for j in range(2)} for i in range(3)}
    return grid[2][1] * grid[1][0]


def repeated_key(x, y):
    last_wins = {k: v for k, v in [("a", x), ("b", y), ("a", 3 * y)]}
    return last_wins["a"] * last_wins["b"]


def dict_of_zip(values):
    named = dict(zip(["u", "v"], values))
    return named["u"] * named["v"] ** 2


def over_array_rows(X, w):
    rows = {i: row @ w for i, row in enumerate(X)}
    return sum(v ** 2 for v in rows.values())


# ---- map, filter, zip(*rows), starred unpacking --------------------------------------------------
def square(t):
    return t * t


def map_lambda(x):
    return sum(map(lambda t: t * x, [1.0, 2.0, x]))


def map_helper(x, y):
    return sum(map(square, [x, 2 * y]))


def map_two_sequences(x, y):
    return max(map(lambda a, b: a * b, [x, y], [y, 3.0]))


def filter_lambda(x):
    return sum(filter(lambda t: t > 0, [x, -1.0, 2 * x, -x]))


def filter_none(x):
    return sum(filter(None, [x, 0.0, 3 * x]))


def loop_over_map(x):
    total = 0.0
    for v in map(np.tanh, [x, 2 * x]):
        total = total + v
    return total


def sorted_map(x):
    ordered = sorted(map(lambda t: t * t, [x, -2.0, 0.5 * x]))
    return ordered[0] + 2 * ordered[2]


def transpose_pairs(x, y):
    pairs = [(x, 1.0), (2 * x, y), (y, x * y)]
    firsts, seconds = zip(*pairs)
    return firsts[1] * seconds[2] + sum(firsts) - seconds[1]


def transpose_in_loop(x):
    total = 0.0
    for column in zip(*[[x, 2.0], [3.0, x * x]]):
        total = total + column[0] * column[1]
    return total


def star_middle(x):
    first, *middle, last = [x, 2 * x, 3 * x, x * x]
    return first * sum(middle) + last


def star_tail(v):
    head, *rest = v
    return head * rest[0] + len(rest)


@pytest.mark.parametrize("f, args, wrt", [
    (scaled_items, (0.7, WEIGHTS), (0, 1)),
    (over_zip, (0.3, 1.2), (0, 1)),
    (over_enumerate, (0.8,), 0),
    (nested, (1.3,), 0),
    (repeated_key, (0.4, -1.1), (0, 1)),
    (dict_of_zip, ([0.5, 1.5],), 0),
    (over_array_rows, (np.arange(6.0).reshape(3, 2) / 5, np.array([0.3, -0.7])), (0, 1)),
    (map_helper, (0.5, 1.5), (0, 1)),
    (map_two_sequences, (0.5, 1.5), (0, 1)),
    (filter_lambda, (0.8,), 0),
    (filter_none, (0.8,), 0),
    (loop_over_map, (0.3,), 0),
    (sorted_map, (1.7,), 0),
    (transpose_pairs, (0.6, -1.3), (0, 1)),
    (transpose_in_loop, (0.9,), 0),
    (star_middle, (1.1,), 0),
    (star_tail, (np.array([0.5, -2.0, 1.5]),), 0),
])
def test_reverse_and_forward_mode(f, args, wrt):
    both_modes(f, *args, wrt=wrt)


def test_a_lambda_reading_a_differentiated_value():
    # reverse mode: every iteration's contribution through the lambda's closure is kept
    checked(map_lambda, 2.0)
    assert grad(map_lambda)(2.0) == pytest.approx(3.0 + 2 * 2.0)
    # forward mode: the lambda's captured value brings its tangent to each call
    assert jvp(map_lambda, (2.0,), (1.0,)) == pytest.approx((map_lambda(2.0), 3.0 + 2 * 2.0))


def test_values_in_the_hand_worked_cases():
    # only the last value stored under a repeated key reaches the result
    assert grad(repeated_key, wrt=(0, 1))(0.4, -1.1) == pytest.approx((0.0, 6 * -1.1))
    assert grad(scaled_items, wrt=1)(0.7, WEIGHTS) == pytest.approx({"a": 2 * 1.5 * 0.49, "b": 2 * -0.5 * 0.49,
                                                                    "c": 0.0})


def test_a_dict_comprehension_is_built_by_dict_of_its_pairs():
    source = grad(over_enumerate).source_for(0.8)
    assert "by_position = dict(" in source and "dict_adjoint(" in source


class Refused:
    @staticmethod
    def map_kept(x):
        squares = map(square, [x, 2 * x])
        return sum(squares)

    @staticmethod
    def enumerate_kept(x):
        pairs = enumerate([x, x])
        return sum(v for _, v in pairs)

    @staticmethod
    def set_comprehension(x):
        return sum({x * k for k in range(3)})


@pytest.mark.parametrize("f, construct, fix", [
    (Refused.map_kept, "a `map` iterator kept as a value", "list(map(...))"),
    (Refused.enumerate_kept, "a `enumerate` iterator kept as a value", "list(enumerate(...))"),
    (Refused.set_comprehension, "holding values that carry derivatives", "keep the values in a list"),
])
def test_refused_with_location_and_a_fix(f, construct, fix):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(f)
    message = str(info.value)
    assert construct in message and fix in message
    assert "test_iterators.py" in message
