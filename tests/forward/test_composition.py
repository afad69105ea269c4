"""Derivatives of derivatives to any order, in any composition (api/composition.py).

Each composition is checked against central differences of the lower-order derivative it differentiates,
or against a closed form, never against another path through the same code alone.
"""
import math

import numpy as np
import pytest

import s2sgrad


def wave(x):
    return math.sin(x) * x + x ** 4


def energy(x):
    return np.sum(np.tanh(x) ** 2 * x) + np.prod(x)


def field(x):
    return np.sin(x) * x[0] + np.cos(x[1]) * x ** 2


def helper(v):
    s = np.tanh(v)
    return s * v


def calls_helper(x):
    return helper(x) + x[2]


X = np.array([0.3, -0.5, 0.7])
V = np.array([1.0, -2.0, 0.5])


def central(fun, x, h=1e-5):
    """Central differences of any array-valued fun along each element of x: shaped out.shape + x.shape."""
    columns = []
    for k in range(x.size):
        step = np.zeros_like(x)
        step.flat[k] = h
        columns.append((np.asarray(fun(x + step)) - np.asarray(fun(x - step))) / (2 * h))
    return np.moveaxis(np.array(columns), 0, -1).reshape(np.shape(fun(x)) + x.shape)


def test_third_and_fourth_derivatives_of_a_scalar_function():
    third = s2sgrad.grad(s2sgrad.grad(s2sgrad.grad(wave)))
    fourth = s2sgrad.grad(third)
    x = 0.7
    # d3/dx3 (x sin x) = -3 sin x - x cos x; d4 = -4 cos x + x sin x; x**4 gives 24 x and 24
    assert third(x) == pytest.approx(-3 * math.sin(x) - x * math.cos(x) + 24 * x, rel=1e-12)
    assert fourth(x) == pytest.approx(-4 * math.cos(x) + x * math.sin(x) + 24, rel=1e-12)
    assert "def " in third.source_for(x)


@pytest.mark.parametrize("outer, inner", [("jacfwd", "jacrev"), ("jacfwd", "jacfwd"), ("jacrev", "jacrev"),
                                          ("jacrev", "jacfwd")])
def test_jacobians_of_jacobians_agree_with_differences(outer, inner):
    jacobian = getattr(s2sgrad, inner)(field)
    second = getattr(s2sgrad, outer)(jacobian)(X)
    assert second.shape == (3, 3, 3)
    np.testing.assert_allclose(second, central(jacobian, X), rtol=1e-6, atol=1e-8)


def test_jacfwd_of_jacrev_is_the_hessian():
    np.testing.assert_allclose(s2sgrad.jacfwd(s2sgrad.jacrev(energy))(X), s2sgrad.hessian(energy)(X),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s2sgrad.jacrev(s2sgrad.grad(energy))(X), s2sgrad.hessian(energy)(X),
                               rtol=1e-12, atol=1e-12)


def test_third_derivative_tensor_from_a_hessian():
    third = s2sgrad.jacfwd(s2sgrad.hessian(energy))(X)
    np.testing.assert_allclose(third, central(s2sgrad.hessian(energy), X), rtol=1e-6, atol=1e-7)
    for axes in [(1, 0, 2), (2, 1, 0), (0, 2, 1)]:           # mixed partials commute
        np.testing.assert_allclose(third, np.transpose(third, axes), atol=1e-12)


def test_jacobian_of_jacobian_of_a_gradient_is_the_third_derivative_tensor():
    def smooth(x):
        return np.sum(np.tanh(x) ** 2 * x) + np.sum(x) ** 3
    third = s2sgrad.jacfwd(s2sgrad.jacrev(s2sgrad.grad(smooth)))(X)     # forward over reverse over reverse
    np.testing.assert_allclose(third, s2sgrad.jacfwd(s2sgrad.hessian(smooth))(X), atol=1e-12)
    with pytest.raises(s2sgrad.NonScalarOutputError, match="jacrev"):    # grad of a vector: never summed
        s2sgrad.hessian(s2sgrad.grad(smooth))(X)
    assert third[0, 1, 2] == pytest.approx(6.0)          # only the cube mixes the elements


def test_jvp_of_jvp_and_of_a_jacobian():
    def directional(x):
        return s2sgrad.jvp(energy, (x,), (V,))[1]
    value, second = s2sgrad.jvp(directional, (X,), (V,))
    assert value == pytest.approx(V @ s2sgrad.grad(energy)(X), rel=1e-12)
    assert second == pytest.approx(V @ s2sgrad.hessian(energy)(X) @ V, rel=1e-12)
    jacobian, along = s2sgrad.jvp(s2sgrad.jacfwd(field), (X,), (V,))
    np.testing.assert_allclose(along, central(s2sgrad.jacfwd(field), X) @ V, rtol=1e-6, atol=1e-8)


def test_value_and_grad_of_a_derivative():
    value, slope = s2sgrad.value_and_grad(s2sgrad.jacfwd(wave))(0.4)
    assert value == pytest.approx(s2sgrad.grad(wave)(0.4), rel=1e-12)
    assert slope == pytest.approx(s2sgrad.grad(s2sgrad.grad(wave))(0.4), rel=1e-12)


SLOPE = s2sgrad.grad(wave)
CURVATURE = s2sgrad.hessian(energy)


def test_grad_of_a_function_that_calls_gradient_functions():
    def uses_slope(x):
        return SLOPE(x) * x
    def uses_curvature(x):
        return np.sum(CURVATURE(x) @ x)
    assert s2sgrad.grad(uses_slope)(0.4) == pytest.approx(
        (uses_slope(0.4 + 1e-6) - uses_slope(0.4 - 1e-6)) / 2e-6, rel=1e-7)
    np.testing.assert_allclose(s2sgrad.grad(uses_curvature)(X), central(uses_curvature, X), rtol=1e-6)
    _, tangent = s2sgrad.jvp(uses_slope, (0.4,), (1.0,))
    assert tangent == pytest.approx(s2sgrad.grad(uses_slope)(0.4), rel=1e-12)


def test_forward_over_forward_through_a_helper_call():
    jacobian = s2sgrad.jacfwd(calls_helper)
    np.testing.assert_allclose(s2sgrad.jacfwd(jacobian)(X), central(jacobian, X), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(s2sgrad.jacrev(jacobian)(X), central(jacobian, X), rtol=1e-6, atol=1e-8)


def test_float32_stays_float32_through_compositions():
    x32 = X.astype(np.float32)
    assert s2sgrad.jacfwd(s2sgrad.jacrev(energy))(x32).dtype == np.float32
    assert s2sgrad.hessian(energy)(x32).dtype == np.float32


def test_tuple_wrt_inside_a_composition():
    def two(a, b):
        return np.sum(np.sin(a) * b ** 2)
    outer = s2sgrad.jacfwd(s2sgrad.grad(two, wrt=(0, 1)), wrt=1)(X, V)
    d_da_db, d_db_db = outer
    np.testing.assert_allclose(d_da_db, np.diag(np.cos(X) * 2 * V), atol=1e-12)
    np.testing.assert_allclose(d_db_db, np.diag(2 * np.sin(X)), atol=1e-12)
