"""An attribute or method of an array with no rule (`x.flat`, `x.compress(...)`) is read like a field of one
of the user's objects; when the value turns out to be an array, the reverse sweep stops with a located
error instead of a bare IndexError from inside NumPy."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import NoDerivativeRuleError

X = np.array([[0.3, -0.5, 0.8], [1.2, 0.1, -0.7]])


def flat_element(x):
    return x.flat[3] * 2.0


def compressed(x):
    return np.sum(x.compress([True, False, True], axis=1) ** 2)


@pytest.mark.parametrize("f, attribute", [(flat_element, ".flat"), (compressed, ".compress")])
def test_an_array_attribute_without_a_rule_is_a_located_error(f, attribute):
    with pytest.raises(NoDerivativeRuleError, match=attribute) as error:
        s2sgrad.grad(f)(X)
    assert "x.ravel()" in str(error.value)
