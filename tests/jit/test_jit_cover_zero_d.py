"""`np.reshape(dy, np.shape(s))` of a number `s` (an adjoint given the shape of its value) is a 0-d array in
NumPy, which numba's arithmetic and the compiled helpers do not take: compiled, it is the number it stands
for (helpers.reshape_as), where neither array is written in place. Results equal the Python version's."""
import inspect

import numpy as np

from s2sgrad.jit.numba_source import numba_ready

from .compiled_whole import compiled_equals_python

RNG = np.random.default_rng(5)


def first_as_vector(u):
    v1 = np.sin(np.abs(u.mean()))
    acc = np.reshape(u[0], (1,))
    for _ in range(2):
        acc = np.tanh(acc) * np.sqrt(1 + v1 ** 2)
    return np.sum(np.maximum(acc, v1) * np.array([0.788]))


def outer_of_a_sum(s, u, b):
    v = np.sum(u[::2])
    w = np.reshape(np.multiply(np.outer(v, b), u[::-1]), (2,))
    return np.sum(w * s) + np.prod(np.tanh(np.sin(u)))


def test_a_vector_made_from_an_element_and_its_adjoint_back():
    source = compiled_equals_python(first_as_vector, RNG.normal(size=3))
    assert "reshape_as(" in source


def test_an_outer_product_of_a_sum():
    assert "reshape_as(" in compiled_equals_python(outer_of_a_sum, 0.7, RNG.normal(size=2), RNG.normal(size=2))
    compiled_equals_python(outer_of_a_sum, RNG.normal(size=2), RNG.normal(size=2), RNG.normal(size=2))


def written_after(dy, s):          # generated-code shapes, rewritten directly
    d = np.reshape(dy, np.shape(s))
    d += 1.0
    return d


def read_only(dy, s):
    d = np.reshape(dy, np.shape(s))
    return d * 2.0


def test_only_where_nothing_is_written_in_place():
    assert "reshape_as(dy, s)" in numba_ready(inspect.getsource(read_only), read_only).text
    # d is a view of dy in NumPy: written in place, the 0-d array stays (numba's typing then decides)
    assert "reshape_as" not in numba_ready(inspect.getsource(written_after), written_after).text
