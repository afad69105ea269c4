"""A name first assigned inside a loop and read by the next iteration before it is assigned again
(`if i > 0: s += prev * x[i]` then `prev = x[i] ** 2`, or a while test's `(v := ...)` read by the
body): the single-assignment loop must carry it, and the reverse sweep must record each iteration's
value.

These gave the right value and a silently wrong gradient: the read and the assignment were two
unrelated names (no adjoint flowed from one iteration to the one before it), and a while test's
`:=` kept the first iteration's value for good (value 3.0 where Python gives 21.0).
"""
import numpy as np
import pytest

import s2sgrad
from tests.soundness import loop_carried_functions as functions


def central_differences(f, args, wrt, h=1e-6):
    x = args[wrt]
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        out[idx] = (f(*args[:wrt], plus, *args[wrt + 1:]) - f(*args[:wrt], minus, *args[wrt + 1:])) / (2 * h)
    return out


RNG = np.random.default_rng(7)
CASES = [
    (functions.previous_element, (np.array([0.5, 1.0, 2.0, 3.0]),)),
    (functions.previous_element_while, (np.array([0.5, 1.0, 2.0, 3.0]),)),
    (functions.walrus_in_while_test, (np.array([0.5, 1.0, 2.0, 3.0, 0.1]),)),
    (functions.walrus_reads_last, (np.array([0.5, 1.0, 0.2, 3.0]),)),
    (functions.previous_row_in_nested_loops, (RNG.standard_normal((3, 4)),)),
    (functions.previous_array_in_else, (RNG.standard_normal(4), RNG.standard_normal((4, 3)))),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_value_and_gradient_match_python(f, args):
    value, gradient = s2sgrad.value_and_grad(f)(*args)
    assert value == pytest.approx(f(*args), rel=1e-12)
    np.testing.assert_allclose(gradient, central_differences(f, args, 0), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f, args", CASES[2:4] + CASES[5:], ids=["walrus_in_while_test", "walrus_reads_last",
                                                                  "previous_array_in_else"])
def test_forward_mode_and_second_order_agree(f, args):
    rng = np.random.default_rng(3)
    tangent = rng.standard_normal(args[0].shape)
    tangents = (tangent,) + tuple(np.zeros_like(a) for a in args[1:])
    primal, derivative = s2sgrad.jvp(f, args, tangents)
    assert primal == pytest.approx(f(*args), rel=1e-12)
    assert derivative == pytest.approx(s2sgrad.grad(f)(*args) @ tangent.ravel() if args[0].ndim == 1
                                       else np.sum(s2sgrad.grad(f)(*args) * tangent), rel=1e-9)
    hessian = s2sgrad.hessian(f)(*args)
    numeric = central_differences(lambda *a: s2sgrad.grad(f)(*a) @ tangent, args, 0)
    np.testing.assert_allclose(hessian @ tangent, numeric, rtol=1e-5, atol=1e-6)

