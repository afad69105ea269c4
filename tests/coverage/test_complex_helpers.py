"""A helper that makes a complex value from real arguments makes the caller's value complex too
(analysis/complex_values.py follows the call into the helper): the caller's operations on it are
checked, and a real input gets a real gradient."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .test_complex_numbers import wirtinger_numeric


def rotate(x):
    return x * np.exp(1j * x)


def through_rotation(x):
    z = rotate(x)
    return np.sum(np.abs(z * z))


def sort_after_rotation(x):
    z = rotate(x)
    return np.real(np.sum(np.sort(z)))


def twice_rotated(x):
    z = rotate(rotate_again(x))
    return np.sum(np.real(z) * np.imag(z))


def rotate_again(x):
    return rotate(x) + 0.5


def real_helper(x):
    return np.sin(x) * 2.0


def sorts_a_real_helper(x):
    return np.sum(np.sort(real_helper(x)) ** 2)


X = np.array([0.3, 1.2, -0.7])


@pytest.mark.parametrize("f", [through_rotation, twice_rotated])
def test_a_real_input_through_a_helper_returning_complex_gets_a_real_gradient(f):
    got = s2sgrad.grad(f)(X)
    assert not np.iscomplexobj(got)
    np.testing.assert_allclose(got, wirtinger_numeric(f, X), atol=1e-7)


def test_the_caller_checks_what_it_does_with_a_helpers_complex_result():
    with pytest.raises(UnsupportedConstructError, match="np.sort` of a complex value") as info:
        s2sgrad.grad(sort_after_rotation)(X)
    assert "return np.real(np.sum(np.sort(z)))" in str(info.value)


def test_a_helper_returning_real_values_keeps_the_caller_real():
    got = s2sgrad.grad(sorts_a_real_helper)(X)
    np.testing.assert_allclose(got, wirtinger_numeric(sorts_a_real_helper, X), atol=1e-7)
