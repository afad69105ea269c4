"""When generated code raises, the error is diagnosed from the run that failed, never by running the function again.

A function that returns a vector under `grad` has its reverse sweep seeded with the number 1.0, which fails at
its first matrix product: the user must see "grad needs a real scalar", and the function (its prints, its random
draws) must have run exactly once, as a plain call of the gradient runs it.
"""
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NonScalarOutputError

A = np.arange(6.0).reshape(2, 3)
V = np.arange(3.0)


def vector_of_array(x):
    print("ran vector_of_array")
    y = A @ x
    return y


def vector_of_number(s):
    print("ran vector_of_number")
    w = s * V
    y = A @ w
    return y


def vector_and_aux(x):
    print("ran vector_and_aux")
    y = A @ x
    return y, {"norm": 1.0}


def helper_printing(x):
    print("ran helper_printing")
    return A @ x


def calls_a_helper(x):
    y = helper_printing(x)
    z = y * 2.0
    return z


def fails_forward(x):
    print("ran fails_forward")
    y = A @ x                   # a (2, 2) array meets a (2, 3) matrix: the function's own error
    return y.sum()


def reverse_fails_on_scalar(x):
    print("ran reverse_fails_on_scalar")
    return math.sqrt(x)          # fine at 0.0; its derivative divides by zero


RNG = np.random.default_rng(7)


def draws(x):
    noise = RNG.normal()
    y = A @ x
    return y * noise


def runs(capsys, name) -> int:
    return capsys.readouterr().out.count(f"ran {name}")


@pytest.mark.parametrize("make", [
    lambda f: s2sgrad.grad(f),
    lambda f: s2sgrad.value_and_grad(f),
], ids=["grad", "value_and_grad"])
def test_non_scalar_result_is_diagnosed_from_the_one_run(capsys, make):
    g = make(vector_of_array)
    for call in range(3):       # the first call, then the shape-specialized code of repeated shapes
        with pytest.raises(NonScalarOutputError, match=r"vector_of_array to return a real scalar.*shape \(2,\)"):
            g(np.ones(3))
        assert runs(capsys, "vector_of_array") == 1, f"call {call}"


def test_the_fast_path_for_numbers_diagnoses_without_running_again(capsys):
    g = s2sgrad.grad(vector_of_number)
    for call in range(3):       # from the second call on, the fast caller made for (float,) runs it
        with pytest.raises(NonScalarOutputError, match=r"shape \(2,\)"):
            g(1.5)
        assert runs(capsys, "vector_of_number") == 1, f"call {call}"
    assert g.__call__ != g._call_any, "the calls did not go through the fast path"


@pytest.mark.parametrize("make", [
    lambda f: s2sgrad.grad(f, has_aux=True),
    lambda f: s2sgrad.value_and_grad(f, has_aux=True),
], ids=["grad", "value_and_grad"])
def test_has_aux_result_is_diagnosed_from_the_one_run(capsys, make):
    g = make(vector_and_aux)
    for call in range(2):
        with pytest.raises(NonScalarOutputError, match=r"shape \(2,\)"):
            g(np.ones(3))
        assert runs(capsys, "vector_and_aux") == 1, f"call {call}"


def test_a_helper_runs_once_when_the_caller_is_diagnosed(capsys):
    g = s2sgrad.grad(calls_a_helper)
    for call in range(2):
        with pytest.raises(NonScalarOutputError, match=r"calls_a_helper to return a real scalar"):
            g(np.ones(3))
        assert runs(capsys, "helper_printing") == 1, f"call {call}"


def test_random_draws_are_drawn_once():
    state = RNG.bit_generator.state
    with pytest.raises(NonScalarOutputError):
        s2sgrad.grad(draws)(np.ones(3))
    expected = np.random.default_rng(7)
    expected.bit_generator.state = state
    expected.normal()
    assert RNG.bit_generator.state == expected.bit_generator.state


def test_a_failing_forward_sweep_keeps_the_function_s_own_error(capsys):
    with pytest.raises(ValueError, match="matmul"):
        s2sgrad.grad(fails_forward)(np.ones((2, 2)))
    assert runs(capsys, "fails_forward") == 1


def test_a_scalar_result_keeps_the_reverse_sweep_s_own_error(capsys):
    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.grad(reverse_fails_on_scalar)(0.0)
    assert not isinstance(info.value, NonScalarOutputError)
    assert runs(capsys, "reverse_fails_on_scalar") == 1
