"""Sets: of indices, keys and labels they run as written; a set holding values that carry derivatives has
no order for their derivatives to follow, and is refused at its line with what to write instead."""
import numpy as np
import pytest

from s2sgrad import grad, jvp
from s2sgrad.errors import UnsupportedConstructError

from .derivatives import both_modes


def powers_at_distinct_indices(x, xs):
    idx = {int(round(v)) % 3 for v in xs}
    return sum(x ** (i + 1) for i in sorted(idx))


def distinct_labels(x, labels):
    seen = set(labels)
    total = 0.0
    for label in seen:
        total = total + x * len(label)
    return total


def masked_by_a_set_literal(x, w):
    keep = {0, 2}
    return sum(w[i] * x for i in range(len(w)) if i in keep)


def counts_distinct_rounded(x, xs):
    return x * len({round(v, 1) for v in xs})


def set_algebra(x):
    a = {1, 2} | {3}
    return x * len(a) + x * x * (2 in a) + max(a) * x


def vocabulary(x, words):
    vocab = sorted({w for w in words})
    weights = {w: x * (i + 1) for i, w in enumerate(vocab)}
    return sum(weights[w] ** 2 for w in words)


W = np.array([1.0, -2.0, 3.0])


@pytest.mark.parametrize("f, args", [
    (powers_at_distinct_indices, (0.7, [1.2, 2.9, 4.1, 1.1])),
    (distinct_labels, (0.5, ["ab", "c", "ab"])),
    (masked_by_a_set_literal, (0.5, W)),
    (counts_distinct_rounded, (2.0, [0.11, 0.12, 0.5])),
    (set_algebra, (1.5,)),
    (vocabulary, (0.3, ["b", "a", "b"])),
])
def test_sets_of_values_without_derivatives_in_both_modes(f, args):
    both_modes(f, *args, wrt=0)


def set_of_scaled_values(x, xs):
    vals = {v * x for v in xs}
    return max(vals)


def set_literal_of_x(x):
    return sum({x, 2.0})


def set_of_parameters(x, y):
    return sum(set([x, y]))


@pytest.mark.parametrize("f, args, line", [
    (set_of_scaled_values, (0.3, [1.0, 2.0]), "vals = {v * x for v in xs}"),
    (set_literal_of_x, (1.0,), "return sum({x, 2.0})"),
    (set_of_parameters, (1.0, 2.0), "return sum(set([x, y]))"),
])
def test_a_set_of_differentiated_values_is_refused_at_its_line_in_both_modes(f, args, line):
    for run in (lambda: grad(f)(*args), lambda: jvp(f, args, (1.0,) + tuple(args[1:]))):
        with pytest.raises(UnsupportedConstructError) as info:
            run()
        message = str(info.value)
        assert "holding values that carry derivatives" in message and line in message
        assert "test_sets.py" in message and "keep the values in a list" in message


def test_a_set_that_does_not_reach_the_result_changes_nothing():
    def unused_set(x):
        s = {x, 2 * x}      # noqa: F841
        return x * x
    assert grad(unused_set)(1.5) == 3.0
    assert jvp(unused_set, (1.5,), (1.0,)) == (2.25, 3.0)


def test_the_hint_works_keep_the_values_in_a_list():
    def as_a_list(x, xs):
        return max([v * x for v in xs])
    assert grad(as_a_list)(0.3, [1.0, 2.0]) == pytest.approx(2.0)
