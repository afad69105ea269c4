"""`match` statements (lowered to if/elif chains) and assignment expressions `:=` (assigned where
Python evaluates them), in both modes, against central differences; the patterns and places that are
refused name their line."""
import functools
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from tests.coverage.both_modes import check_both_modes


class Method:
    HALF = "half"


def step(x, method):
    match method:
        case "euler":
            return x * 1.1
        case "midpoint" | "rk2":
            y = x * x
        case Method.HALF:
            y = x / 2
        case None:
            y = -x
        case other if len(other) > 5:       # a capture read by its guard: the subject itself
            y = x ** 3
        case _:
            y = math.sin(x)
    return y * 2


def cycle(x, n):
    for i in range(n):
        match i % 3:
            case 0:
                x = x * 1.01
            case 1:
                x = math.cos(x)
            case k:
                x = x + k * x
    return x


def computed_subject(x, options):
    match options["kind"]:
        case "square" as chosen:
            label = chosen
            r = x * x
        case _:
            label = "none"
            r = x
    return r * len(label)


def no_case_matches(x, method):
    y = x
    match method:
        case "double":
            y = 2 * x
    return y * x


@pytest.mark.parametrize("method", ["euler", "midpoint", "rk2", "half", None, "longname", "abc"])
def test_match_on_a_string_option(method):
    check_both_modes(functools.partial(step, method=method), 0.7)


def test_match_in_a_loop_with_a_capture():
    check_both_modes(functools.partial(cycle, n=7), 0.7)


@pytest.mark.parametrize("kind", ["square", "other"])
def test_match_on_a_computed_subject(kind):
    assert s2sgrad.grad(computed_subject)(0.7, {"kind": kind}) == pytest.approx(
        (2 * 0.7 * 6) if kind == "square" else 4.0)


def test_match_where_no_case_matches():
    check_both_modes(functools.partial(no_case_matches, method="neither"), 0.7)
    check_both_modes(functools.partial(no_case_matches, method="double"), 0.7)


def destructures(x, pair):
    match pair:
        case (a, b):
            return x * a + b
    return x


def test_structural_patterns_are_refused_with_their_line():
    with pytest.raises(UnsupportedConstructError, match="sequence pattern") as error:
        s2sgrad.grad(destructures)(0.7, (1.0, 2.0))
    assert "case (a, b):" in str(error.value)


def in_a_test(x):
    if (y := x * 2.0) > 1.0:
        return y ** 2
    return y


def after_a_short_circuit(x):
    if x > 0.5 and (z := math.sin(x)) > 0.1:
        return z * x
    return x


def in_a_loop_read_after(x):
    total = 0.0
    for i in range(4):
        if (term := x * i) > 1.0:
            total = total + term ** 2
        else:
            total = total + term
    return total + term


def in_a_while_test(x):
    n = 0
    while (x := x * 0.9) > 0.3:
        n += 1
    return x * n


def in_a_list(x):
    values = [x, (w := x ** 2), w * 3]
    return sum(values)


def on_arrays(x):
    if (s := np.sum(x ** 2)) > 1.0:
        return np.sqrt(s)
    return s


@pytest.mark.parametrize("f, x", [
    (in_a_test, 0.7), (in_a_test, 0.3), (after_a_short_circuit, 0.7), (after_a_short_circuit, 0.2),
    (in_a_loop_read_after, 0.7), (in_a_while_test, 1.7), (in_a_list, 0.7),
    (on_arrays, np.array([0.5, 1.0, -0.3])), (on_arrays, np.array([0.1, 0.2])),
])
def test_assignment_expressions(f, x):
    check_both_modes(f, x)


def in_a_comprehension(x):
    return sum([(q := x * i) for i in range(3)])


def test_an_assignment_expression_in_a_comprehension_is_refused():
    with pytest.raises(UnsupportedConstructError, match="inside a comprehension"):
        s2sgrad.grad(in_a_comprehension)(0.7)
