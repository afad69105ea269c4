"""A helper that writes into the array it returns (`v = u.copy(); v[1:-1] = ...; return v`).

The helper's reverse sweep writes into its result's adjoint in place (zeroes the part the write
overwrote, scatters into it), and that adjoint is its seed: the caller's array, which call_backward
hands it and the caller may still hold. The gradient works on a copy of its seed, so:
- the caller's adjoint is left as it was (a sum of two such calls shares one adjoint: it was a silent
  wrong gradient for the second call);
- vjp leaves the user's cotangent alone;
- forward mode over the helper's gradient (a Hessian through it) follows the writes into an array the
  gradient owns, where it used to stop at a write into the caller's array.
Every derivative is checked against central differences of the one below it.
"""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .differences import central


def heat_step(u):
    v = u.copy()
    v[1:-1] = v[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return v


def overwrite_step(u):
    v = u.copy()
    v[1:-1] = 0.5 * u[2:] * u[1:-1]     # the old middle gets no adjoint: the seed's middle is zeroed
    return v


def read_then_returned(u):
    v = u * 2.0
    w = np.sin(v[0])                    # a read of the result: its adjoint is scattered into the seed
    v[1] = w * u[2]
    return v


def heat(u):
    for _ in range(3):
        u = heat_step(u)
    return np.sum(u ** 2)


def two_calls(u, w):
    z = overwrite_step(u) + overwrite_step(w)   # one adjoint array reaches both calls
    return np.sum(z * np.arange(6.0))


def reads_result(u):
    return np.sum(np.cos(read_then_returned(u)) * u)


_U = np.linspace(0.1, 1.0, 6) ** 2
_W = np.cos(np.arange(6.0))


def test_a_shared_adjoint_reaches_both_calls_unchanged():
    du, dw = s2sgrad.grad(two_calls, wrt=(0, 1))(_U, _W)
    np.testing.assert_allclose(du, central(lambda u: two_calls(u, _W), _U), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dw, central(lambda w: two_calls(_U, w), _W), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("helper", [heat_step, overwrite_step, read_then_returned])
def test_vjp_leaves_the_cotangent_alone(helper):
    cotangent = np.arange(1.0, 7.0)
    kept = cotangent.copy()
    _, pullback = s2sgrad.vjp(helper, _U)
    (du,) = pullback(cotangent)
    np.testing.assert_array_equal(cotangent, kept)
    np.testing.assert_allclose(du, central(lambda u: helper(u) @ kept, _U), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("function", [heat, reads_result])
def test_hessian_through_the_helper(function):
    expected = central(s2sgrad.grad(function), _U)
    np.testing.assert_allclose(s2sgrad.hessian(function)(_U), expected, rtol=1e-5, atol=1e-7)


def test_hessian_vector_product_and_reverse_over_reverse_through_the_helper():
    gradient = s2sgrad.grad(heat)
    expected = central(gradient, _U) @ _W
    _, product = s2sgrad.jvp(gradient, (_U,), (_W,))
    np.testing.assert_allclose(product, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(s2sgrad.grad(lambda u: gradient(u) @ _W)(_U), expected, rtol=1e-5, atol=1e-7)


def test_third_order_through_the_helper():
    def cubic(u):
        return np.sum(heat_step(u) ** 3)
    third = s2sgrad.jacfwd(s2sgrad.hessian(cubic))(_U)
    expected = central(s2sgrad.hessian(cubic), _U)
    np.testing.assert_allclose(third, expected, rtol=1e-5, atol=1e-6)


def test_the_gradient_copies_its_seed_only_where_it_writes_into_it():
    def doubled(u):
        v = u * 2.0
        return v
    assert "dv = copy_of(dv)" in s2sgrad.grad(overwrite_step).source_for(_U)
    assert "dv = copy_of(dv)" in s2sgrad.grad(read_then_returned).source_for(_U)
    assert "copy_of" not in s2sgrad.grad(doubled).source_for(_U)
