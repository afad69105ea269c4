"""jit of jvp, vjp, jacfwd, jacrev and hessian: the Python transformation's results, compiled where numba can."""
import warnings

import numpy as np
import pytest

import s2sgrad

from . import call_functions, functions

X = np.linspace(-1.0, 1.2, 5)
W = np.linspace(0.5, 2.0, 5)


def _compiled(call):
    """call()'s result, and whether it ran compiled (no JitFallbackWarning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, not any(issubclass(w.category, s2sgrad.JitFallbackWarning) for w in caught)


def _close(got, expected):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _close(g, e)
        return
    assert np.shape(got) == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=0)


def test_jvp_of_a_loop_and_of_arrays_compiles_and_matches():
    fast = s2sgrad.jit(s2sgrad.jvp)
    for fun, primals, tangents in ((functions.polynomial, (1.5, 0.7), (1.0, -2.0)),
                                   (functions.weighted_sines, (X, W), (W, X))):
        got, compiled = _compiled(lambda: fast(fun, primals, tangents))
        assert compiled, fun.__name__
        _close(got, s2sgrad.jvp(fun, primals, tangents))
    assert "def jvp_polynomial(a, b, a_dot, b_dot):" in fast.source_for(functions.polynomial, (1.5, 0.7), (1.0, 0.0))


def test_jvp_checks_tangent_shapes_as_python_does():
    fast = s2sgrad.jit(s2sgrad.jvp)
    fast(functions.weighted_sines, (X, W), (W, X))
    with pytest.raises(s2sgrad.WrtError, match="shaped"):
        fast(functions.weighted_sines, (X, W), (W[:2], X))


def test_vjp_runs_the_compiled_gradient_seeded_with_the_cotangent():
    value, vjp_fn = s2sgrad.jit(s2sgrad.vjp)(functions.vector_field, X)
    expected_value, expected_fn = s2sgrad.vjp(functions.vector_field, X)
    _close(value, expected_value)
    got, compiled = _compiled(lambda: vjp_fn(W))
    assert compiled
    _close(got, expected_fn(W))


@pytest.mark.parametrize("transform", [s2sgrad.jacfwd, s2sgrad.jacrev])
def test_jacobians_of_a_vector_function(transform):
    got, compiled = _compiled(lambda: s2sgrad.jit(transform(functions.vector_field))(X))
    assert compiled
    _close(got, transform(functions.vector_field)(X))


def test_hessian_of_a_scalar_function_compiles_forward_over_reverse():
    fast = s2sgrad.jit(s2sgrad.hessian(functions.polynomial, wrt=(0, 1)))
    got, compiled = _compiled(lambda: fast(1.5, 0.7))
    assert compiled, fast.source_for(1.5, 0.7)
    _close(got, s2sgrad.hessian(functions.polynomial, wrt=(0, 1))(1.5, 0.7))


def test_what_numba_cannot_compile_warns_and_stays_right():
    fast = s2sgrad.jit(s2sgrad.jvp)
    x32 = X.astype(np.float32)
    with pytest.warns(s2sgrad.JitFallbackWarning, match="float32 array"):
        got = fast(functions.weighted_sines, (x32, W), (W.astype(np.float32), X))
    _close(got, s2sgrad.jvp(functions.weighted_sines, (x32, W), (W.astype(np.float32), X)))
    # a helper call leaving a parameter to a default that is not a number: call_jvp runs it as Python
    x, x_dot = np.linspace(-1.0, 1.0, 4), np.linspace(0.5, 2.0, 4)
    with pytest.warns(s2sgrad.JitFallbackWarning, match="call_jvp"):
        got = fast(call_functions.default_none_call, (x,), (x_dot,))
    _close(got, s2sgrad.jvp(call_functions.default_none_call, (x,), (x_dot,)))


def test_a_helper_call_in_tangent_code_compiles():
    fast = s2sgrad.jit(s2sgrad.jvp)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        got = fast(functions.with_helper, (1.5,), (1.0,))
    _close(got, s2sgrad.jvp(functions.with_helper, (1.5,), (1.0,)))


def test_jit_refuses_what_is_not_a_transformation():
    with pytest.raises(TypeError, match="jvp / s2sgrad.vjp"):
        s2sgrad.jit(functions.polynomial)
