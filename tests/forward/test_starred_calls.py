"""Forward mode through calls that spread `*` arguments: JAX's idiom `lambda p: loss(p, *data)`.

The spread's tangents go with it (a tuple's tangent is the tuple of its elements' tangents), or a None
per element where it carries none; Hessians (forward over reverse) take the same path through the
gradient's recorded call. Each is checked against central differences.
"""
import numpy as np

import s2sgrad

RNG = np.random.default_rng(11)
W, B, X, Y = RNG.normal(size=(4, 3)), RNG.normal(size=3), RNG.normal(size=(8, 4)), RNG.normal(size=8)
DATA = (X, Y)
H = 1e-6


def loss(W, b, X, y):
    r = np.tanh(X @ W + b).sum(axis=1) - y
    return np.mean(r * r)


def weighted(x, *more):
    return np.sum(x * more[0]) + more[1] ** 2


def spreads_a_tuple_it_built(x, a, c):
    rest = (a, c)
    return weighted(x, *rest) * 2.0


def _central(f, point, direction):
    return (f(*[p + H * d for p, d in zip(point, direction)]) - f(*[p - H * d for p, d in zip(point, direction)])) / (2 * H)


def test_jvp_through_a_call_spreading_constant_data():
    t = np.array([0.3, -0.2, 0.5])
    _, derivative = s2sgrad.jvp(lambda b: loss(W, b, *DATA), (B,), (t,))
    np.testing.assert_allclose(derivative, _central(lambda b: loss(W, b, X, Y), [B], [t]), rtol=1e-6)
    assert "*(None,) * len(DATA)" in s2sgrad.jvp_source(lambda b: loss(W, b, *DATA), B)


def test_jvp_through_a_spread_that_carries_tangents():
    point = [np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.7]
    direction = [np.array([0.2, 1.0]), np.array([1.0, -0.3]), 1.0]
    _, derivative = s2sgrad.jvp(spreads_a_tuple_it_built, tuple(point), tuple(direction))
    np.testing.assert_allclose(derivative, _central(spreads_a_tuple_it_built, point, direction), rtol=1e-6)


def test_hessian_and_jacfwd_through_a_spread():
    hessian = s2sgrad.hessian(lambda b: loss(W, b, *DATA))(B)
    gradient = s2sgrad.grad(lambda b: loss(W, b, X, Y))
    numeric = np.array([(gradient(B + H * e) - gradient(B - H * e)) / (2 * H) for e in np.eye(3)])
    np.testing.assert_allclose(hessian, numeric, rtol=1e-5, atol=1e-8)
    jacobian = s2sgrad.jacfwd(lambda b: np.tanh(X @ W + b).sum(axis=1) - weighted(b, *(b, 1.0)))(B)
    f = lambda b: np.tanh(X @ W + b).sum(axis=1) - weighted(b, b, 1.0)       # noqa: E731
    numeric = np.stack([(f(B + H * e) - f(B - H * e)) / (2 * H) for e in np.eye(3)], axis=-1)
    np.testing.assert_allclose(jacobian, numeric, rtol=1e-6, atol=1e-8)


def cubes(*xs):
    return sum(x * x * x for x in xs)


def passes_its_args_on(x, *args):
    return weighted(x, *args) * 2.0


def test_forward_mode_over_the_gradient_of_a_function_with_star_args():
    # grad of a *args function is made per call shape; jvp and hessian differentiate the one for the call
    assert s2sgrad.hessian(cubes, argnums=(0, 1))(1.0, 2.0) == ((6.0, 0.0), (0.0, 12.0))
    assert s2sgrad.jvp(s2sgrad.grad(cubes, wrt="xs"), (1.0, 2.0), (1.0, 0.5)) == ((3.0, 12.0), (6.0, 6.0))
    x, a = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    hessian = s2sgrad.hessian(passes_its_args_on, argnums=(0, 1))(x, a, 0.7)
    np.testing.assert_allclose(hessian[0][1], 2.0 * np.eye(2))
    np.testing.assert_allclose(hessian[1][0], 2.0 * np.eye(2))
    np.testing.assert_allclose(hessian[0][0], np.zeros((2, 2)))
