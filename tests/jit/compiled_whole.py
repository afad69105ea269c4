"""The check the jit tests share: s2sgrad.jit of value_and_grad compiles whole (no fallback warning) and
gives the Python version's value and gradients, shapes included, to rtol 1e-7."""
import warnings

import numpy as np

import s2sgrad


def compiled_equals_python(function, *args, wrt=None, atol=1e-12) -> str:
    """Checks one call; returns the source numba compiled."""
    g = s2sgrad.value_and_grad(function, wrt=tuple(range(len(args))) if wrt is None else wrt)
    fast = s2sgrad.jit(g)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        value, grads = fast(*args)
    expected_value, expected_grads = g(*args)
    if not isinstance(expected_grads, tuple):         # one wrt, not a tuple of them
        grads, expected_grads = (grads,), (expected_grads,)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    for got, expected in zip(grads, expected_grads):
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=atol)
    return fast.source_for(*args)


def transformation_compiled_equals_python(transformation, *args):
    """s2sgrad.jit of any transformation (hessian, jvp, jacfwd, ...) compiles whole and gives what the
    transformation gives, leaf by leaf, to rtol 1e-7; returns the jitted transformation."""
    fast = s2sgrad.jit(transformation)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        got = fast(*args)
    expected = transformation(*args)
    for g, e in zip(np.asarray(got, dtype=object).ravel(), np.asarray(expected, dtype=object).ravel()):
        np.testing.assert_allclose(np.asarray(g, dtype=float), np.asarray(e, dtype=float), rtol=1e-7, atol=1e-12)
    return fast
