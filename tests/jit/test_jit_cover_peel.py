"""A loop whose carried name is a number before it and an array in it (numba types a name once) compiles
with its first iteration run on its own (jit/peel.py): what that iteration records for the reverse sweep is
kept aside and read back by the reverse loop's last iteration, also run on its own. A loop that runs no
iteration leaves the name a number, which Python answers; a loop it cannot peel falls back with a warning.
Every result equals the Python version's to rtol 1e-7."""
import warnings

import numpy as np
import pytest

import s2sgrad

RNG = np.random.default_rng(17)


def weighted_sum(x, w, n):
    acc = 0.0
    for i in range(n):
        acc = acc + x[i] * w
    return np.sum(acc * acc)


def through_sin(x, w, n):
    acc = 0.5
    for i in range(n):
        s = np.sin(acc)
        acc = s * x[i] + w
    return np.sum(acc)


def then_indexed(B, A):
    acc1 = 0.0
    for i in range(3):
        acc1 = acc1 + A[i] * (i + 1)
    acc2 = 0.0
    for i in range(4):
        acc2 = acc2 * 0.5 + acc1[i] ** 2
    return np.sum(B * acc2)


def with_break(x, w, n):
    acc = 0.0
    for i in range(n):
        if i > 5:
            break
        acc = acc + x[i] * w
    return np.sum(acc)


def run(function, *args, fallback=False):
    g = s2sgrad.value_and_grad(function, wrt=(0, 1))
    fast = s2sgrad.jit(g)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, grads = fast(*args)
    fell_back = [w for w in caught if issubclass(w.category, s2sgrad.JitFallbackWarning)]
    assert bool(fell_back) == fallback, [str(w.message) for w in fell_back]
    expected_value, expected_grads = g(*args)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    for got, expected in zip(grads, expected_grads):
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-12)
    return fast


@pytest.mark.parametrize("n", [1, 4])
def test_a_sum_that_becomes_an_array(n):
    fast = run(weighted_sum, RNG.normal(size=4), RNG.normal(size=3), n)
    compiled, = [spec.source for spec in fast._specializations.values()]     # what numba compiled
    assert "nonempty_range(range(n))" in compiled and "for i in range(1, n):" in compiled


def test_what_the_first_iteration_records_is_read_back():
    run(through_sin, RNG.normal(size=5), RNG.normal(size=(2, 3)), 5)


def test_a_forward_loop_only_then_indexing_the_array():
    run(then_indexed, RNG.normal(size=(1, 4)), RNG.normal(size=(3, 4)))


def test_no_iteration_is_answered_by_python_that_call_only():
    g = s2sgrad.value_and_grad(weighted_sum, wrt=(0, 1))
    fast = s2sgrad.jit(g)
    x, w = RNG.normal(size=4), RNG.normal(size=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fast(x, w, 3)                                        # compiles, peeled
        got = fast(x, w, 0)                                  # no iteration: acc stays 0.0
        again = fast(x, w, 2)                                # compiled again
    assert got[0] == 0.0 and np.shape(got[1][1]) == np.shape(g(x, w, 0)[1][1])
    np.testing.assert_allclose(again[1][1], g(x, w, 2)[1][1], rtol=1e-7)
    assert sum(issubclass(w.category, s2sgrad.JitFallbackWarning) for w in caught) == 1


def test_a_loop_it_cannot_peel_falls_back():
    run(with_break, RNG.normal(size=8), RNG.normal(size=3), 8, fallback=True)
