"""A list of lambdas built by a comprehension, each reading the comprehension's variable: with respect
to that variable's sequence, the escaping-closures check looked up the comprehension's `append` as an
operation of the IR and stopped with a TransformError ("this is a bug in s2sgrad"); it is the located
refusal a lambda stored in a list gets. With respect to what the lambdas do not capture, the gradient
follows Python's late binding.
"""
import pytest

import s2sgrad
from s2sgrad.errors import TransformError, UnsupportedConstructError
from tests.soundness.closure_list_functions import lambdas_from_a_comprehension


def test_stored_lambda_reading_a_differentiated_value_is_refused_at_its_line():
    with pytest.raises(UnsupportedConstructError) as info:
        s2sgrad.grad(lambdas_from_a_comprehension, wrt=0)([1.5, 2.5], 0.7)
    assert not isinstance(info.value, TransformError)
    text = str(info.value)
    assert "lambda used as a value" in text and "closure_list_functions.py" in text


def test_late_binding_is_followed_for_the_other_argument():
    # both lambdas read w = 2.5 when called: f = 2 * 2.5 * x
    assert s2sgrad.grad(lambdas_from_a_comprehension, wrt=1)([1.5, 2.5], 0.7) == pytest.approx(5.0, rel=1e-12)
