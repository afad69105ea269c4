"""Iterating dicts: gradients with respect to a dict come back as a dict of the same keys."""
import numpy as np
import pytest

from s2sgrad import grad

from . import dict_functions as d
from .helpers import checked

D = {"alpha": 1.5, "b": -2.0, "cc": 0.5}
ARRAYS = {"W": np.array([[0.5, -1.0], [2.0, 0.25]]), "b": np.array([0.1, -0.3])}


@pytest.mark.parametrize("f, args, wrt", [
    (d.squares_by_key, (D,), 0),
    (d.squares_by_item, (D,), 0),
    (d.weighted_values, (D, 0.7), (0, 1)),
    (d.keys_then_lookup, (D, {"alpha": 2.0, "b": -1.0, "cc": 3.0}), (0, 1)),
    (d.dict_built_inside, (1.5, -0.5), (0, 1)),
    (d.l2_penalty, (ARRAYS,), 0),
    (d.sum_of_values, (D,), 0),
    (d.comprehension_over_items, ({"z": 1.5, "a": -2.0},), 0),
    (d.loop_in_loop, (D, 0.3), (0, 1)),
    (d.integer_keys, ({1: 2.0, 0: 3.0},), 0),
])
def test_gradient_matches_central_differences(f, args, wrt):
    checked(f, *args, wrt=wrt)


def test_gradient_is_a_dict_of_the_same_keys():
    g = grad(d.l2_penalty)(ARRAYS)
    assert isinstance(g, dict) and list(g) == list(ARRAYS)
    for name, value in ARRAYS.items():
        np.testing.assert_allclose(g[name], 2.0 * value)


def test_integer_keys_are_keys_not_positions():
    assert grad(d.integer_keys)({1: 2.0, 0: 3.0}) == {1: 2.0, 0: 1.0}
