"""Reverse loops as a person writes them (optimize/loop_adjoints.py, reverse/recording.py,
optimize/carries.py): no branch bookkeeping, no temporaries for a sign, carried values updated in place;
the gradients stay the hand-written ones."""
import os
import sys

import numpy as np
import pytest

import s2sgrad

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
import loops  # noqa: E402


def reverse_loop(source: str) -> str:
    return source[source.index("for _ in reversed"):]


@pytest.mark.parametrize("f, by_hand", [(loops.euler_oscillator, loops.euler_oscillator_by_hand),
                                        (loops.euler_one_sided, loops.euler_one_sided_by_hand)])
def test_euler_loops_match_the_hand_written_gradient(f, by_hand):
    g = s2sgrad.value_and_grad(f, wrt=(0, 1))
    value, grads = g(4.0, 0.3, 200)
    hand_value, hand_grads = by_hand(4.0, 0.3, 200)
    assert value == pytest.approx(hand_value, rel=1e-12)
    np.testing.assert_allclose(grads, hand_grads, rtol=1e-10)


def test_the_loop_with_if_has_no_branch_bookkeeping_and_no_negated_temporaries():
    source = s2sgrad.value_and_grad(loops.euler_one_sided, wrt=(0, 1)).source_for(4.0, 0.3, 10)
    body = reverse_loop(source)
    assert "else" not in body                       # `da = da_1` in both branches ran once, then went
    assert " = -" not in body                       # `dt3 = -da` folded: `dc = dc - da_1 * v`
    assert "dc = dc - " in body and "dk = dk - " in body
    forward = source[:source.index("reverse sweep")]
    assert "x = x + " in forward and "x_1" not in forward      # the carry updates in place
    assert forward.index("tape.append((x, v, t4))") < forward.index("x = x + ")


def test_a_value_a_branch_records_is_popped_before_the_loops_own_record():
    # the loop's record goes after the branch that pushes its own (the reverse sweep pops in turn)
    def f(k, n):
        x = 1.0
        for _ in range(n):
            if x > 0.5:
                a = k * x
            else:
                a = 2.0 * k * x
            x = x - 0.1 * a
        return x * x
    g = s2sgrad.grad(f)
    h = 1e-6
    assert g(0.7, 20) == pytest.approx((f(0.7 + h, 20) - f(0.7 - h, 20)) / (2 * h), rel=1e-6)
