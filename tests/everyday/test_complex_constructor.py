"""`complex(re, im)` of real numbers that carry derivatives is `re + 1j * im` (a table entry, not a user's
class): a real input gets a real gradient, in both modes."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .derivatives import both_modes


def modulus_squared(x, y):
    z = complex(x, y)
    return abs(z) ** 2


def mixed(x, y):
    z = complex(x, y)
    w = z * z + complex(y) * 2.0 - 1j
    return abs(w) + w.imag * x + np.real(np.exp(z))


def keywords(x, y):
    z = complex(imag=x * y, real=y)
    return (z * np.conj(z)).real + z.imag


@pytest.mark.parametrize("f", [modulus_squared, mixed, keywords])
def test_complex_of_two_reals_in_both_modes(f):
    dx, dy = both_modes(f, 0.7, -0.4, wrt=(0, 1))
    assert isinstance(dx, float) or np.isrealobj(dx)


def test_modulus_squared_has_the_textbook_gradient():
    dx, dy = s2sgrad.grad(modulus_squared, argnums=(0, 1))(1.0, 2.0)
    assert (dx, dy) == pytest.approx((2.0, 4.0))
