"""Methods of arrays and random generators held in globals or closures: `X.dot(w)`, `Y.T.dot(a)`,
`X.sum(axis=0)`, `rs.randn(...)` on a module-level RandomState, `rng.normal(...)` on a Generator.

The value is data (no derivative flows into it); the method takes its table entry, so the gradient
flows through the other operands, and a draw is made once, in the forward sweep, and reused by the
reverse sweep."""
import numpy as np
import pytest

from s2sgrad import grad, jvp, value_and_grad

from .derivatives import both_modes

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
Y = np.array([[1.0, 2.0], [-0.5, 0.75], [0.2, 0.1]])
rs = np.random.RandomState(0)
rng = np.random.default_rng(0)


class Data:
    features = X


def global_dot(w):
    return np.sum(np.tanh(X.dot(w)))


def transposed_dot(a):
    return np.sum(Y.T.dot(a) ** 2)


def global_reduction(w):
    return np.sum(X.sum(axis=0) * w) + X.max() * np.sum(w ** 2)


def attribute_of_a_global(w):
    return np.sum(Data.features.dot(w) ** 2)


def closure_over_data():
    data = X.T.copy()

    def least_squares(w):
        return np.sum((data.dot(w[:2]) - 1.0) ** 2)
    return least_squares


W = np.array([0.3, -0.2, 0.4])


@pytest.mark.parametrize("f, args", [
    (global_dot, (W,)),
    (transposed_dot, (np.array([0.5, -1.0, 0.25]),)),
    (global_reduction, (W,)),
    (attribute_of_a_global, (W,)),
    (closure_over_data(), (W,)),
])
def test_reverse_and_forward_mode(f, args):
    both_modes(f, *args)


def reparameterized(mu, log_sigma):
    eps = rs.randn(4)
    z = mu + np.exp(log_sigma) * eps
    return np.sum(z ** 2)


def generator_draws(mu):
    noise = rng.normal(size=3)
    u = rng.uniform(0.0, 1.0, size=3)
    return np.sum((mu + noise) ** 2 * u)


def test_a_draw_from_a_module_level_random_state_is_made_once():
    rs.seed(1)
    value, (g_mu, g_log_sigma) = value_and_grad(reparameterized, wrt=(0, 1))(0.3, -0.2)
    # four numbers were drawn, not eight: the next one is the fifth of the seed
    assert rs.randn() == pytest.approx(np.random.RandomState(1).randn(5)[-1])
    rs.seed(1)
    eps = rs.randn(4)
    z = 0.3 + np.exp(-0.2) * eps
    assert value == pytest.approx(np.sum(z ** 2))             # the value of the very same draw
    assert g_mu == pytest.approx(np.sum(2 * z))               # the gradient at that draw
    assert g_log_sigma == pytest.approx(np.sum(2 * z * np.exp(-0.2) * eps))


def test_draws_from_a_generator_are_made_once_in_both_modes():
    state = rng.bit_generator.state
    value, g = value_and_grad(generator_draws)(0.7)
    rng.bit_generator.state = state
    noise, u = rng.normal(size=3), rng.uniform(0.0, 1.0, size=3)
    assert value == pytest.approx(np.sum((0.7 + noise) ** 2 * u))
    assert g == pytest.approx(np.sum(2 * (0.7 + noise) * u))
    rng.bit_generator.state = state
    _, tangent = jvp(generator_draws, (0.7,), (1.0,))
    assert tangent == pytest.approx(g)


def test_the_gradient_follows_the_global_when_it_changes():
    global X
    saved = X
    g = grad(global_dot)
    before = g(W)
    try:
        X = 2 * saved
        np.testing.assert_allclose(g(W), (2 * saved).T @ (1 - np.tanh((2 * saved) @ W) ** 2))
    finally:
        X = saved
    np.testing.assert_allclose(g(W), before)
