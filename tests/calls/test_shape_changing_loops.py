"""A loop whose carried value changes shape between iterations, read after the loop.

The tape restores each iteration's value and each iteration's adjoint takes that
iteration's shape (an MLP's layer loop with different widths).
"""
import numpy as np

import s2sgrad

RNG = np.random.RandomState(7)
WEIGHTS = [RNG.randn(4, 5), RNG.randn(5, 3), RNG.randn(3, 2)]
BIASES = [RNG.randn(5), RNG.randn(3), RNG.randn(2)]


def mlp(x, weights, biases):
    h = x
    for W, b in zip(weights, biases):
        h = np.tanh(h @ W + b)
    return np.sum(h ** 2)


def layer_sums(x, weights):
    h = x
    total = 0.0
    for W in weights:
        total = total + np.sum(h) * np.mean(h)
        h = np.tanh(h @ W)
    return total + np.sum(h)


def shrinking(x, n):
    h = x
    for i in range(n):
        h = h[1:] * h[:-1]
    return np.sum(h)


def growing(x, factors):
    h = x
    for f in factors:
        h = h * f                 # () -> (3,) -> (2, 3): broadcasting widens the carried value
    return np.sum(h)


def test_mlp_layers_of_different_widths():
    x = RNG.randn(4)
    dx, dweights, dbiases = s2sgrad.grad(mlp, wrt=(0, 1, 2))(x, WEIGHTS, BIASES)
    assert [d.shape for d in dweights] == [w.shape for w in WEIGHTS]
    assert [d.shape for d in dbiases] == [b.shape for b in BIASES]
    s2sgrad.check_grad(mlp, x, WEIGHTS, BIASES, wrt=(0, 1, 2))


def test_carried_value_read_before_it_changes_shape():
    x = RNG.randn(4)
    s2sgrad.check_grad(layer_sums, x, WEIGHTS, wrt=(0, 1))


def test_shrinking_and_growing_carried_values():
    s2sgrad.check_grad(shrinking, RNG.randn(6), 3)
    s2sgrad.check_grad(growing, 0.7, [RNG.randn(3), RNG.randn(2, 3)])
