"""A local or a parameter named like a builtin (`len = 3.0`, `def f(x, min)`): the generated code
calls builtins of its own (`range(len(seq))` for a `for` over a sequence, `min(len(a), len(b))` for
a zip), which then called the user's number: a bare TypeError from the generated gradient, and from
a Hessian even where the gradient worked (the gradient's code kept the local's name).
"""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from tests.soundness import builtin_name_functions as functions


def central_differences(f, x, *rest, h=1e-6):
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e, *rest) - f(x - e, *rest)) / (2 * h)
    return out


@pytest.mark.parametrize("f", [functions.local_named_len, functions.locals_named_range_and_sum])
def test_locals_named_like_builtins(f):
    x = np.array([0.3, -0.5, 0.7])
    np.testing.assert_allclose(s2sgrad.grad(f)(x), central_differences(f, x), rtol=1e-6, atol=1e-9)
    _, tangent = s2sgrad.jvp(f, (x,), (np.array([1.0, 2.0, -1.0]),))
    assert tangent == pytest.approx(central_differences(f, x) @ np.array([1.0, 2.0, -1.0]), rel=1e-6)
    hessian = s2sgrad.hessian(f)(x)
    numeric = np.array([central_differences(lambda y: s2sgrad.grad(f)(y)[i], x) for i in range(3)])
    np.testing.assert_allclose(hessian, numeric, atol=1e-6)


def test_generated_code_keeps_the_builtin():
    source = s2sgrad.grad(functions.local_named_len).source_for(np.array([0.3, -0.5]))
    assert "len_1 = 3.0" in source and "range(len(x))" in source


def test_parameter_hiding_a_builtin_the_generated_code_calls_is_named():
    with pytest.raises(UnsupportedConstructError) as info:
        s2sgrad.grad(functions.parameter_named_min)(np.array([0.3, -0.5, 0.7]), 2.0)
    text = str(info.value)
    assert "`min`" in text and "builtin_name_functions.py" in text and "rename the parameter" in text


def test_parameter_hiding_a_builtin_nothing_calls_is_differentiated():
    f = functions.parameter_named_max_without_loops
    x = np.array([0.3, -0.5, 0.7])
    np.testing.assert_allclose(s2sgrad.grad(f)(x, 0.6), central_differences(f, x, 0.6), rtol=1e-6, atol=1e-9)
    assert s2sgrad.grad(f, wrt="max")(x, 0.6) == pytest.approx(2 * 0.6, rel=1e-9)   # only 0.7 is clipped
