"""Minimal reproducers of transformer bugs the random generators found and now steer around.

Each is a strict xfail: when the transformer is fixed it starts passing, the test
fails with XPASS, and the named Features flag in test_control_flow.py should be
switched back on (then this reproducer deleted).
"""
import pytest

from s2sgrad import check_grad


def inactive_loop_after_use(p):
    r = 1.5
    p = p * r              # the reverse sweep reads r here ...
    for i in range(3):
        r = r * 1.5        # ... after this inactive loop has overwritten it
    return p


def for_loop_of_pass(x):
    for i in range(2):
        pass
    return x * 3.0


@pytest.mark.xfail(strict=True, reason="dp comes out 1.5 ** 4 instead of 1.5; then set inactive_loops=True")
def test_inactive_loop_does_not_clobber_a_value_the_reverse_sweep_reads():
    assert check_grad(inactive_loop_after_use, -0.43) == pytest.approx(1.5)


@pytest.mark.xfail(strict=True, reason="grad() emits a `for` with an empty body (IndentationError); "
                                       "then set pass_only_for_loops=True")
def test_for_loop_whose_body_is_pass():
    assert check_grad(for_loop_of_pass, 1.3) == pytest.approx(3.0)
