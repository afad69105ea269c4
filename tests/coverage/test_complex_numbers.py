"""Complex numbers end to end, in the convention of autograd and JAX: for a real-valued f of z = x + iy,
grad(f)(z) = df/dx - i df/dy; a real input that passes through complex values gets a real gradient; an
operation whose rule holds for real inputs only stops, naming its line, instead of a wrong gradient."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

RNG = np.random.default_rng(3)
V = RNG.normal(size=5)
Z = RNG.normal(size=5) + 1j * RNG.normal(size=5)
M = RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3)) + 3 * np.eye(3)


def wirtinger_numeric(f, z, h=1e-6):
    """df/dx - i df/dy by central differences (df/dx alone for a real z)."""
    z = np.asarray(z)
    out = np.zeros(z.shape, dtype=z.dtype)
    for i in np.ndindex(z.shape):
        e = np.zeros(z.shape)
        e[i] = h
        out[i] = (f(z + e) - f(z - e)) / (2 * h)
        if np.iscomplexobj(z):
            out[i] -= 1j * (f(z + 1j * e) - f(z - 1j * e)) / (2 * h)
    return out


def modulus_and_phase(z):
    w = np.exp(z) * np.conj(z) + z ** 3 / (z + 2.0)
    return np.sum(np.abs(w)) + np.sum(np.angle(w) * np.imag(z)) + np.real(np.sum(np.log(w * w)))


def through_complex(v):
    # a real input through complex intermediates: the gradient must be real
    z = np.exp(1j * v) * (1.0 + 0.5j)
    return np.sum(np.real(z) ** 2) + np.abs(np.sum(z)) ** 2 + np.sum(np.imag(z * z))


def matrices(m):
    solved = np.linalg.solve(m, np.array([1.0, 2.0, 1j]))
    return np.abs(np.linalg.det(m)) + np.sum(np.abs(np.linalg.inv(m) @ solved) ** 2) + np.real(np.trace(m @ m.T))


def python_complex(z):
    return abs(z * z + 1j) + (z * 3).real * z.imag


CASES = [(modulus_and_phase, Z), (through_complex, V), (matrices, M)]


@pytest.mark.parametrize("f, z", CASES, ids=[f.__name__ for f, _ in CASES])
def test_gradient_is_df_dx_minus_i_df_dy(f, z):
    g = s2sgrad.grad(f)(z)
    assert np.iscomplexobj(g) == np.iscomplexobj(z)
    np.testing.assert_allclose(g, wirtinger_numeric(f, z), rtol=1e-5, atol=1e-6)


def test_python_complex_numbers():
    z = 0.7 - 0.4j
    g = s2sgrad.grad(python_complex)(z)
    want = wirtinger_numeric(lambda a: python_complex(complex(a)), np.array(z))
    np.testing.assert_allclose(g, want, rtol=1e-5)


@pytest.mark.parametrize("f, z", CASES, ids=[f.__name__ for f, _ in CASES])
def test_forward_mode_on_complex_values(f, z):
    t = RNG.normal(size=np.shape(z)) + (1j * RNG.normal(size=np.shape(z)) if np.iscomplexobj(z) else 0)
    value, tangent = s2sgrad.jvp(f, (z,), (t,))
    h = 1e-6
    np.testing.assert_allclose(tangent, (f(z + h * t) - f(z - h * t)) / (2 * h), rtol=1e-5, atol=1e-6)


def test_jax_example_abs_squared():
    # JAX's documentation: grad(lambda z: abs(z) ** 2)(3 + 4j) == 6 - 8j
    assert np.isclose(s2sgrad.grad(lambda z: np.abs(z) ** 2)(np.complex128(3 + 4j)), 6 - 8j)


def clipped(z):
    return np.sum(np.abs(np.maximum(z, 0.5)))


def real_parts_clipped(z):
    return np.sum(np.maximum(np.real(z), 0.5))          # a real value: np.maximum's rule holds


def norm_of_complex(v):
    return np.linalg.norm(np.fft.fft(v))


def test_a_rule_for_real_inputs_only_refuses_complex_operands_naming_the_line():
    with pytest.raises(UnsupportedConstructError, match=r"np.maximum.*complex(.|\n)*test_complex_numbers.py"):
        s2sgrad.grad(clipped)(Z)
    with pytest.raises(UnsupportedConstructError, match="np.linalg.norm"):
        s2sgrad.grad(norm_of_complex)(V)              # real input, complex intermediate
    with pytest.raises(UnsupportedConstructError, match="np.maximum"):
        s2sgrad.jvp(clipped, (Z,), (Z,))
    g = s2sgrad.grad(real_parts_clipped)(Z)
    np.testing.assert_allclose(g, wirtinger_numeric(real_parts_clipped, Z), atol=1e-6)


def test_real_calls_after_complex_ones_are_not_mixed_up():
    f = s2sgrad.grad(lambda z: np.sum(np.abs(z) ** 2))
    np.testing.assert_allclose(f(Z), 2 * np.conj(Z))
    np.testing.assert_allclose(f(V), 2 * V)
    assert not np.iscomplexobj(f(V))


def rotated_square(x):
    z = -1j * x                      # -1j: a negative imaginary literal, which the clean-up folded with `<`
    return np.real(z * np.conj(z)) + np.real(-1j * x * (2j + x))


def test_second_derivatives_of_a_real_function_through_complex_values_are_real():
    """A real input's gradient is the real part of what the sweep builds, and so is its tangent: forward
    mode over the gradient returned the complex sweep value (2 - 1.4j for a gradient of 2 + 2x)."""
    assert s2sgrad.grad(rotated_square)(0.7) == pytest.approx(2 * 0.7 + 2.0)
    value, tangent = s2sgrad.jvp(s2sgrad.grad(rotated_square), (0.7,), (1.0,))
    assert not np.iscomplexobj(value) and value == pytest.approx(3.4)
    assert not np.iscomplexobj(tangent) and tangent == pytest.approx(2.0)
    assert s2sgrad.hessian(rotated_square)(0.7) == pytest.approx(2.0)
