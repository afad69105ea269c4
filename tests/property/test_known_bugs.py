"""Minimal reproducers of the transformer bugs the random programs found.

Fixed ones stay as regression tests. An open one goes here as a strict xfail,
with the construct switched off in the generators' Features; when the fix
lands the XPASS says to switch it back on and drop the xfail.
"""
import math

import numpy as np
import pytest

from s2sgrad import check_grad, grad, vjp

NOISE = np.random.RandomState(0)


def swap(x, y):
    x, y = y, x                  # was compiled as x_1 = y; y_1 = x_1
    return x - 2 * y


def keyword_after_an_omitted_default(x, p=1.5, beta=1.25):
    return x + 3 * beta


def loop_adding_a_constant(x):
    w = x
    for i in range(2):
        w = w + 1.0              # the reverse loop body simplified to nothing: IndentationError
    return w


def first_assigned_in_a_loop(p):
    w = math.pi
    for i in range(2):
        r = w                    # the tape pushed r before its first assignment: UnboundLocalError
        w = w + p
    return r


def read_then_overwritten_in_a_loop(g, x):
    for i in range(1):
        v = x * g                # the reverse sweep read the g of after the loop
        g = x
    return v


def inactive_loop_after_use(p):
    r = 1.5
    p = p * r                    # the reverse sweep reads r here ...
    for i in range(3):
        r = r * 1.5              # ... after this inactive loop has overwritten it
    return p


def inactive_loop_after_max(x, *, tape=0.7):
    t = max(1 - x, tape)         # max's rule compares against tape ...
    for i in range(1):
        tape = 2.0               # ... which this loop overwrites
    return t


def for_loop_of_pass(x):
    for i in range(2):
        pass
    return x * 3.0


def dead_loop_that_overflows(beta):
    s = beta
    for k in range(5):
        s = np.exp(s)            # overflows to inf (harmless: s never reaches the output) ...
    return 1.5 * beta            # ... but the reversed dead loop computes ds = 0.0 * inf = nan


def test_tuple_swap():
    assert check_grad(swap, 1.0, 2.0, wrt=(0, 1)) == pytest.approx((-2.0, 1.0))


def test_numeric_grad_keyword_after_an_omitted_default():
    assert check_grad(keyword_after_an_omitted_default, 1.0, beta=2.0, wrt=("x", "beta")) == pytest.approx((1, 3))


def test_loop_whose_adjoints_are_only_copies():
    assert check_grad(loop_adding_a_constant, 1.3) == pytest.approx(1.0)


def test_variable_first_assigned_in_a_loop_and_read_after_it():
    assert check_grad(first_assigned_in_a_loop, 1.3) == pytest.approx(1.0)


def test_carried_variable_read_then_overwritten_by_an_invariant():
    assert check_grad(read_then_overwritten_in_a_loop, 1.87, -1.73, wrt=(0, 1)) == pytest.approx((-1.73, 1.87))


def test_inactive_loop_does_not_clobber_a_value_the_reverse_sweep_reads():
    assert check_grad(inactive_loop_after_use, -0.43) == pytest.approx(1.5)
    assert check_grad(inactive_loop_after_max, -0.39, tape=0.7, wrt=("x", "tape")) == pytest.approx((-1.0, 0.0))


def test_for_loop_whose_body_is_pass():
    assert check_grad(for_loop_of_pass, 1.3) == pytest.approx(3.0)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")       # the overflow, and the nan it makes today
def test_dead_loop_with_an_overflow_does_not_poison_the_gradient():
    assert grad(dead_loop_that_overflows)(0.7) == 1.5


def noisy(u):
    return u + 0.25 * NOISE.randn()


def square_of_a_noisy_value(x):
    return noisy(x) ** 2


def test_vjp_pullback_uses_the_values_draws():
    # the pullback ran the function again (a whole forward and reverse sweep): a helper drawing random
    # numbers drew twice, and the cotangent was taken at new draws; it now resumes the value's own run
    NOISE.seed(1)
    draw = NOISE.randn()
    NOISE.seed(1)
    value, pullback = vjp(square_of_a_noisy_value, 0.5)
    assert value == (0.5 + 0.25 * draw) ** 2
    assert pullback(1.0) == pytest.approx((2 * (0.5 + 0.25 * draw),))      # (0.694,): the next draw's


def test_a_second_cotangent_that_would_need_new_draws_is_refused():
    NOISE.seed(1)
    _, pullback = vjp(square_of_a_noisy_value, 0.5)
    pullback(1.0)
    with pytest.raises(Exception, match="second cotangent"):
        pullback(1.0)           # the run it would need draws other numbers: the first run's values are gone
