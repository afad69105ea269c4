"""Seed 002: a fully connected network (linear + sigmoid layers, a loss) trained by gradient descent.

Every hidden unit feeds the output layer, so the gradient of a first-layer
weight sums over those paths; in the generated code that sum is the matrix
product in `dh = matmul_adjoint_left(dt6, h, W2)` (dt6 @ W2.T). The script prints the gradient code,
then learns XOR-like data (not linearly separable) and prints the falling loss.

    python examples/mlp_two_layer.py
"""
import numpy as np

from s2sgrad import value_and_grad


def loss(W1, b1, W2, b2, X, y):
    """Mean squared error of a 2-layer sigmoid network's output against targets y in {0, 1}."""
    h = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    out = 1.0 / (1.0 + np.exp(-(h @ W2 + b2)))
    return np.mean((out[:, 0] - y) ** 2)


def make_data(n=200, seed=0):
    """Points in the plane, labelled 1 where the two coordinates have the same sign (XOR of the signs)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)


def init(hidden=8, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=1.0, size=(2, hidden)), np.zeros(hidden),
            rng.normal(scale=1.0, size=(hidden, 1)), np.zeros(1)]


def train(steps=2000, learning_rate=2.0, seed=0, report_every=0):
    """Full-batch gradient descent; returns the parameters and the loss before each step."""
    X, y = make_data(seed=seed)
    params = init(seed=seed)
    step = value_and_grad(loss, wrt=(0, 1, 2, 3))
    losses = []
    for i in range(steps):
        value, grads = step(*params, X, y)
        losses.append(float(value))
        if report_every and i % report_every == 0:
            print(f"step {i:5d}  loss {value:.4f}")
        params = [p - learning_rate * g for p, g in zip(params, grads)]
    return params, losses


if __name__ == "__main__":
    print(value_and_grad(loss, wrt=(0, 1, 2, 3)).source)
    params, losses = train(report_every=250)
    X, y = make_data(seed=0)
    W1, b1, W2, b2 = params
    h = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    accuracy = np.mean(((h @ W2 + b2)[:, 0] > 0) == (y > 0.5))
    print(f"final loss {losses[-1]:.4f} (from {losses[0]:.4f}); training accuracy {accuracy:.2f}")
