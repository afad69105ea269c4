"""Seed 003: logistic regression yhat = sigmoid(w . x + b), trained by gradient descent.

s2sgrad writes the gradient of the cross-entropy loss as ordinary NumPy code;
the script prints it, then trains on synthetic two-feature data and prints
the falling loss.

    python examples/logistic_regression.py
"""
import numpy as np

from s2sgrad import value_and_grad


def loss(w, b, X, y):
    """Mean cross-entropy of yhat = sigmoid(X @ w + b) against labels y in {0, 1}."""
    z = X @ w + b
    yhat = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(yhat) + (1.0 - y) * np.log(1.0 - yhat))


def make_data(n=200, seed=0):
    """Two features; the label is 1 where a hidden linear score (plus noise) is positive."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    score = X @ np.array([2.0, -1.0]) + 0.5 + 0.3 * rng.normal(size=n)
    return X, (score > 0).astype(float)


def train(steps=200, learning_rate=0.5, seed=0, report_every=0):
    """Gradient descent from w = 0, b = 0; returns the final (w, b) and the loss before each step."""
    X, y = make_data(seed=seed)
    step = value_and_grad(loss, wrt=("w", "b"))
    w, b = np.zeros(2), 0.0
    losses = []
    for i in range(steps):
        value, (dw, db) = step(w, b, X, y)
        losses.append(float(value))
        if report_every and i % report_every == 0:
            print(f"step {i:4d}  loss {value:.4f}")
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b, losses


if __name__ == "__main__":
    print(value_and_grad(loss, wrt=("w", "b")).source)
    w, b, losses = train(report_every=20)
    print(f"final loss {losses[-1]:.4f} (from {losses[0]:.4f}); w = {np.round(w, 3)}, b = {b:.3f}")
