"""A call of the user's function that no derivative goes through (its value is not differentiated, so
generated code calls it as it is) compiles: it calls the forward sweep of the function's compiled gradient
and takes its value, the statements the function runs. Results equal the Python version's."""
import numpy as np

from .compiled_whole import compiled_equals_python

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


def test_a_value_computed_and_never_read():
    source = compiled_equals_python(unused_value, RNG.normal(size=(2, 4)), RNG.normal(size=4), wrt=(0, 1))
    assert "gram_or_difference(" not in source.split("def grad_unused_value")[1]


def test_a_helper_of_a_value_not_differentiated():
    source = compiled_equals_python(constant_scale, RNG.normal(size=5), RNG.normal(size=3), wrt=0)
    assert "grad_scale_of_forward(w)[0]" in source
