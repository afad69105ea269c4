"""Comprehensions and generator expressions: gradients against central differences, values against the
plain function, and the constructs that stay refused with a located error."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError, grad

from . import comprehension_functions as c
from .helpers import checked

rng = np.random.default_rng(11)
X = rng.normal(size=(4, 3))


@pytest.mark.parametrize("f, args, wrt", [
    (c.weighted_positive_sum, (1.5, [1.0, -2.0, 3.0]), 0),
    (c.elementwise_products, (np.array([1.0, 2.0, -0.5]), np.array([3.0, 4.0, 0.25])), (0, 1)),
    (c.nested_table, (1.5,), 0),
    (c.best_score, (np.array([0.3, -0.2, 0.9]), X), 0),
    (c.squared_distances, (X, np.array([0.1, 0.2, 0.3])), (0, 1)),
    (c.enumerate_weights, (0.7, [1.0, -2.0, 0.5, 3.0]), 0),
    (c.over_pairs, ([1.0, 2.5, -1.0], [0.5, 2.0]), (0, 1)),
    (c.comprehension_keeps_its_variable, (1.3,), 0),
    (c.shadowing_nested, (0.9,), 0),
    (c.list_of_arrays, (np.array([0.5, -1.0, 2.0]), np.array([0.3, 0.1])), (0, 1)),
    (c.softmax_cross_entropy, (np.array([0.5, -1.0, 2.0]), 1), 0),
    (c.inside_a_loop, (0.8, [1.0, 2.0, -0.5]), (0, 1)),
    (c.any_and_sorted, (1.2, [3.0, -1.0, 2.0]), 0),
    (c.any_and_sorted, (1.2, [30.0, -1.0, 2.0]), 0),
    (c.over_array_rows, (X, np.array([0.3, -0.2, 0.9])), (0, 1)),
    (c.conditional_element, ([1.5, -2.0, 0.5],), 0),
    (c.exact_series, (0.7,), 0),            # math.fsum and math.prod consume a generator as sum does
])
def test_gradient_matches_central_differences(f, args, wrt):
    checked(f, *args, wrt=wrt)


def test_comprehension_variable_does_not_leak():
    source = s2sgrad.transform.prepare(c.comprehension_keeps_its_variable).ssa_source
    assert "for k_1 in range(3):" in source            # a fresh name: the function's k is untouched
    assert checked(c.comprehension_keeps_its_variable, 1.3) == pytest.approx(3.0 + 2.0)   # d(3x + 2x)/dx


def test_generated_gradient_reads_as_a_loop():
    source = grad(c.weighted_positive_sum, wrt=0).source_for(1.5, [1.0, -2.0, 3.0])
    print(source)
    forward = source.split("# reverse sweep")[0]
    assert "t1 = []" in forward and "for i in range(len(xs)):" in forward
    assert "if t2:" in forward and "t1.append(t3)" in forward and "sum(t1)" in forward
    # one operation per line: no comprehension or nested call survives
    assert " for " not in forward.replace("    for i in", "") and "[" not in forward.replace("xs[i]", "").replace("[]", "")


class Refused:
    """Constructs that would change results if rewritten: each gets a located error."""

    @staticmethod
    def set_comprehension(x):
        return sum({x * k for k in range(3)})

    @staticmethod
    def generator_kept(x):
        g = (x * k for k in range(3))
        return sum(g)

    @staticmethod
    def generator_to_numpy_sum(x):
        return np.sum(x * k for k in range(3))

    @staticmethod
    def generator_to_np_array(x):
        return np.sum(np.array(x * k for k in range(3)))

    @staticmethod
    def generator_to_a_helper(x):
        return helper(x * k for k in range(3))


def helper(values):
    return sum(values)


@pytest.mark.parametrize("f, construct", [
    (Refused.set_comprehension, "holding values that carry derivatives"),
    (Refused.generator_kept, "a generator expression here"),
    (Refused.generator_to_numpy_sum, "np.sum of a generator expression"),
    (Refused.generator_to_np_array, "of a generator expression, which NumPy makes a 0-d object array"),
    (Refused.generator_to_a_helper, "a generator expression passed to `helper`"),
])
def test_refused_with_location(f, construct):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(f)
    message = str(info.value)
    assert construct in message
    assert "test_comprehensions.py" in message
    assert "What to do" in message and "nondifferentiable" not in message
