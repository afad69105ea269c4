"""The fast path of a gradient call (api/fast_call.py) gives exactly what the general path gives."""
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import NonScalarOutputError

from . import fast_functions as f


def general(g, *args):
    """The same call through the general path (a keyword argument turns the fast path off)."""
    names = list(g._signature.parameters)
    return g(*args[:-1], **{names[len(args) - 1]: args[-1]})


@pytest.mark.parametrize("args", [(1.5, 2.0, 3.0), (1, 2, 3), (np.float64(1.5), 2.0, 3), (1.5, 2.0, 3.0)])
def test_alternating_argument_types_give_the_general_results(args):
    g = s2sgrad.grad(f.seed000, wrt=(0, 1, 2))
    for call_args in [(1.5, 2.0, 3.0), args, (1, 2, 3), args]:   # each switch of types goes through the fast path
        assert g(*call_args) == general(g, *call_args) == (3.0, 3.0 * call_args[2], 3.0 * call_args[1])


def test_float32_arguments_keep_their_seed_on_the_fast_path():
    g = s2sgrad.grad(f.square_sum, wrt=(0, 1))
    a, b = np.float32(1.5), np.float32(2.0)
    first, second = g(a, b), g(a, b)
    assert first == second == general(g, a, b)
    assert all(type(d) is np.float32 for d in second)


@pytest.mark.parametrize("make", [
    lambda fn: s2sgrad.grad(fn),
    lambda fn: s2sgrad.grad(fn, wrt=(0, 1)),
    lambda fn: s2sgrad.value_and_grad(fn),
    lambda fn: s2sgrad.value_and_grad(fn, wrt=(0, 1)),
])
def test_every_kind_of_result_matches_the_general_path(make):
    g = make(f.square_sum)
    g(0.5, 0.25)
    assert g(1.5, 2.5) == general(g, 1.5, 2.5)


def test_has_aux_on_the_fast_path():
    g = s2sgrad.grad(f.with_aux, has_aux=True)
    g(0.5, 1.0)
    assert g(2.0, 1.0) == general(g, 2.0, 1.0)
    assert g(2.0, 1.0) == (pytest.approx(4.0 + math.cos(2.0)), "aux")
    h = s2sgrad.value_and_grad(f.with_aux, has_aux=True)
    h(0.5, 1.0)
    assert h(2.0, 1.0) == general(h, 2.0, 1.0)


def test_a_numpy_scalar_result_goes_through_the_general_checks():
    g = s2sgrad.grad(f.numpy_result)
    assert g(2.0) == g(2.0) == pytest.approx(3.0 * math.exp(2.0) + 1.0)


def test_an_array_result_is_refused_on_every_call():
    g = s2sgrad.grad(f.array_result)
    for _ in range(3):
        with pytest.raises(NonScalarOutputError):
            g(2.0)


def test_a_failure_inside_the_generated_code_is_the_users_error():
    g = s2sgrad.grad(f.log_of)
    assert g(2.0) == 0.5
    with pytest.raises(ValueError, match="math domain error"):
        g(-1.0)                   # math.log fails in the forward sweep: the user's own error stands


def test_a_rebound_global_is_noticed_on_the_fast_path():
    g = s2sgrad.grad(f.calls_activation)
    f.activation = math.sin
    try:
        assert g(0.5) == g(0.5) == pytest.approx(math.cos(0.5))
        f.activation = math.cos
        assert g(0.5) == pytest.approx(-math.sin(0.5))
        assert g(0.5) == pytest.approx(-math.sin(0.5))
    finally:
        f.activation = math.sin


def test_arrays_and_scalars_alternate():
    g = s2sgrad.grad(f.square_sum, wrt=(0, 1))
    x = np.array([1.0, 2.0])
    for _ in range(2):
        assert g(1.5, 2.0) == (3.0, 4.0)
        dx, dy = g(x, 2.0)
        np.testing.assert_array_equal(dx, 2 * x)
        assert dy == 4.0


def test_the_caller_is_each_instances_own():
    # __call__ is a slot of each gradient function: a copy (what call_vjp's nested defs get) switches its own
    # caller, and the object still carries what functools.wraps gives it and takes weak references
    import copy
    import weakref

    g = s2sgrad.grad(f.seed000, wrt=(0, 1, 2))
    assert g(1.5, 2.0, 3.0) == (3.0, 9.0, 6.0)
    other = copy.copy(g)
    other._reset_calls()
    assert other(1, 2, 3) == (3.0, 9.0, 6.0)          # other types: a caller of its own
    assert g.__call__ is not other.__call__
    assert g(1.5, 2.0, 4.0) == (3.0, 12.0, 6.0)
    assert g.__name__ == "seed000" and g.__wrapped__ is f.seed000
    assert weakref.ref(g)() is g


def test_a_keyword_only_seed_default_is_passed_on_the_fast_path():
    # the fast caller passes the seed's default by name; a vjp with another cotangent still gets its own
    g = s2sgrad.grad(f.square_sum, wrt=(0, 1))
    assert g(1.5, 2.0) == g(1.5, 2.0) == (3.0, 4.0)
    assert g.vjp(2.0, 1.5, 2.0) == (6.0, 8.0)
    assert g(1.5, 2.0) == (3.0, 4.0)
