"""A module-level object whose class defines __call__ in Python is called like a helper function:
both modes go through its __call__, whose fields are constants here."""
import numpy as np

from s2sgrad import grad, jvp


class Affine:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)


LAYER = Affine(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]]), np.array([0.1, -0.3]))


def loss(x):
    return np.sum(LAYER(x) ** 2)


def _central(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def test_gradient_through_a_callable_object():
    x = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(grad(loss)(x), _central(loss, x), rtol=1e-6, atol=1e-9)


def test_jvp_through_a_callable_object():
    x = np.array([0.3, -0.7, 1.1])
    v = np.array([1.0, 0.5, -2.0])
    value, tangent = jvp(loss, (x,), (v,))
    assert value == loss(x)
    np.testing.assert_allclose(tangent, _central(loss, x) @ v, rtol=1e-6)
