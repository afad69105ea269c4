"""Drawing a closure reads its own cells, even when another closure of the same code was drawn first."""
import numpy as np

import s2sgrad


def make(weights):
    def f(x):
        return np.sum(weights * x * x)
    return f


def test_each_closure_is_drawn_with_its_own_values():
    x = np.array([1.0, 2.0])
    first, second = make(np.ones(2)), make(np.full(2, 2.0))
    drawn_first = s2sgrad.graph(first, x)
    drawn_second = s2sgrad.graph(second, x)
    assert drawn_first.value == 5.0 and drawn_second.value == 10.0
    np.testing.assert_allclose(drawn_second.gradients["x"], 4.0 * x)
    np.testing.assert_allclose(drawn_first.gradients["x"], 2.0 * x)
