"""A call of the user's function that no derivative goes through (its value is not differentiated, so
generated code calls it as it is) compiles: it calls the forward sweep of the function's compiled gradient
and takes its value, the statements the function runs. Results equal the Python version's."""
import warnings

import numpy as np

import s2sgrad

RNG = np.random.default_rng(23)


def gram_or_difference(a, b):
    if np.sum(b) > 0:
        return a * b
    return a - b


def unused_value(B, u):
    v = gram_or_difference(B.T @ B, B.T @ B)          # computed, never read: no derivative goes through it
    return np.sum(np.tanh(B) * u)


def scale_of(w):
    return np.sqrt(np.sum(w * w)) + 1.0


def constant_scale(x, w):
    return np.sum(np.sin(x)) * scale_of(w)


def check(function, *args, wrt):
    g = s2sgrad.value_and_grad(function, wrt=wrt)
    fast = s2sgrad.jit(g)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        value, grads = fast(*args)
    expected_value, expected_grads = g(*args)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    for got, expected in zip(grads, expected_grads):
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-12)
    return fast.source_for(*args)


def test_a_value_computed_and_never_read():
    source = check(unused_value, RNG.normal(size=(2, 4)), RNG.normal(size=4), wrt=(0, 1))
    assert "gram_or_difference(" not in source.split("def grad_unused_value")[1]


def test_a_helper_of_a_value_not_differentiated():
    source = check(constant_scale, RNG.normal(size=5), RNG.normal(size=3), wrt=0)
    assert "grad_scale_of_forward(w)[0]" in source
