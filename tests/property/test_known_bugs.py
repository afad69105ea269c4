"""Minimal reproducers of transformer bugs the random generators found and now steer around.

Each was a minimal reproducer of a transformer bug the random programs found;
they stay as regression tests now that the bugs are fixed.
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


def test_inactive_loop_does_not_clobber_a_value_the_reverse_sweep_reads():
    assert check_grad(inactive_loop_after_use, -0.43) == pytest.approx(1.5)


def test_for_loop_whose_body_is_pass():
    assert check_grad(for_loop_of_pass, 1.3) == pytest.approx(3.0)
