"""`a or b` / `a and b` of comparisons was evaluated whole, both operands up front, though Python
does not evaluate b when a decides: `best is None or v > best` stopped with TypeError ('>' between
float and None) and `n != 0 and x / n > 1` with ZeroDivisionError, in functions Python runs fine.
Operands after the first are evaluated up front now only when they cannot raise; otherwise the
and/or is the branch Python runs.
"""
import numpy as np
import pytest

import s2sgrad
from tests.soundness import short_circuit_functions as functions


def central_difference(f, x, *rest, h=1e-6):
    if np.ndim(x) == 0:
        return (f(x + h, *rest) - f(x - h, *rest)) / (2 * h)
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e, *rest) - f(x - e, *rest)) / (2 * h)
    return out


CASES = [
    (functions.running_max_from_none, (np.array([0.5, 2.0, 1.0]),)),
    (functions.ratio_guard, (3.0, 0)),
    (functions.ratio_guard, (3.0, 2)),
    (functions.optional_scale, (np.array([0.5, -1.0]), None)),
    (functions.optional_scale, (np.array([0.5, -1.0]), 2.0)),
    (functions.guard_in_a_while_test, (np.array([0.5, 1.5, 3.0, 0.2]), 2.5)),
]


@pytest.mark.parametrize("f, args", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_guarded_operands_are_evaluated_only_when_python_does(f, args):
    value, gradient = s2sgrad.value_and_grad(f)(*args)
    assert value == pytest.approx(f(*args), rel=1e-12)
    np.testing.assert_allclose(gradient, central_difference(f, *args), rtol=1e-6, atol=1e-8)
    tangent = np.ones_like(args[0]) if np.ndim(args[0]) else 1.0
    primal, derivative = s2sgrad.jvp(f, args, (tangent,) + tuple(0.0 if isinstance(a, float) else None
                                                                for a in args[1:]))
    assert primal == pytest.approx(f(*args), rel=1e-12)
    assert derivative == pytest.approx(np.sum(gradient), rel=1e-9)


def test_second_order_through_the_guard():
    x = np.array([0.5, 2.0, 1.0])
    hessian = s2sgrad.hessian(functions.optional_scale)(x, None)
    np.testing.assert_allclose(hessian, 2 * np.eye(3), atol=1e-12)


def test_safe_comparisons_stay_one_operation():
    # operands that cannot raise are still evaluated up front: one `and` of truth values, no branch;
    # a guarded division becomes the branch Python runs
    assert " and " in s2sgrad.grad(functions.both_positive).ssa_source
    assert " and " not in s2sgrad.grad(functions.ratio_guard).ssa_source
    assert s2sgrad.grad(functions.both_positive, wrt=(0, 1))(2.0, 3.0) == (3.0, 2.0)
