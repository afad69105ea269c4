"""An attribute or method of an array that has no rule (`x.flat`, `x.compress(...)`) is refused when the
gradient is built, naming its line, where the call's arguments prove the receiver is a NumPy value
(analysis/array_attributes.py); it used to be read as a field of one of the user's objects and stop only in
the reverse sweep. An object with a field of that name is still differentiated."""
import inspect

import numpy as np
import pytest

from s2sgrad import NoDerivativeRuleError, grad, jvp


def flat_of_a_parameter(x):
    return np.sum(x.flat[1] * x)


def flat_of_a_product(x):
    y = x * 2.0
    return np.sum(y.flat[1] * x)


def compress_of_a_ufunc(x):
    y = np.sin(x)
    return np.sum(y.compress([True, False, True]))


def through_argpartition(x):
    order = x.argpartition(1)             # integers: no derivative reaches the method, the indexing carries it
    return np.sum(x[order[:2]] ** 2)


class Holder:
    def __init__(self, flat):
        self.flat = flat


def field_named_flat(h):
    return np.sum(h.flat * h.flat)


X = np.array([1.0, 2.0, 3.0])


def _line_of(f, text):
    lines, first = inspect.getsourcelines(f)
    return first + next(i for i, line in enumerate(lines) if text in line)


@pytest.mark.parametrize("f, attribute, line", [
    (flat_of_a_parameter, "flat", "x.flat"), (flat_of_a_product, "flat", "y.flat"),
    (compress_of_a_ufunc, "compress", "y.compress")], ids=lambda v: getattr(v, "__name__", str(v)))
def test_refused_when_the_gradient_is_built(f, attribute, line):
    with pytest.raises(NoDerivativeRuleError) as error:
        grad(f)(X)
    message = str(error.value)
    assert f"`.{attribute}`" in message and "is a NumPy value here" in message
    assert f"line {_line_of(f, line)}" in message
    assert "reverse sweep" not in message          # not found by running the gradient
    assert "ravel()[i]" in message                  # what to write instead


def test_forward_mode_refuses_a_method_and_follows_an_attribute():
    with pytest.raises(NoDerivativeRuleError, match="is a NumPy value here"):
        jvp(compress_of_a_ufunc, (X,), (np.ones(3),))
    _, tangent = jvp(flat_of_a_parameter, (X,), (np.ones(3),))
    assert tangent == pytest.approx(np.sum(X) + X[1] * 3)


def test_a_method_giving_integers_is_not_refused():
    np.testing.assert_allclose(grad(through_argpartition)(np.array([3.0, 1.0, 2.0])), [0.0, 2.0, 4.0])


def test_a_field_named_like_an_array_attribute_is_still_a_field():
    assert grad(field_named_flat)(Holder(np.array([1.0, -2.0]))).flat == pytest.approx([2.0, -4.0])
