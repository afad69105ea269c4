"""A small model as a class: gradients with respect to its array attributes, trained by gradient descent.

The loss reads `self.W`, `self.b`, ... inside methods; `grad(..., wrt="model")`
returns a copy of the model whose attributes hold the gradients.
"""
import numpy as np

import s2sgrad


class TwoLayerNet:
    def __init__(self, rng, n_in, n_hidden):
        self.W1 = rng.normal(scale=0.5, size=(n_in, n_hidden))
        self.b1 = np.zeros(n_hidden)
        self.w2 = rng.normal(scale=0.5, size=n_hidden)
        self.b2 = 0.0

    def predict(self, X):
        hidden = np.tanh(X @ self.W1 + self.b1)
        return hidden @ self.w2 + self.b2

    def loss(self, X, y):
        return np.mean((self.predict(X) - y) ** 2)


def loss(model, X, y):
    return model.loss(X, y)


def main():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 1))
    y = np.sin(X[:, 0])
    model = TwoLayerNet(rng, 1, 16)
    step = s2sgrad.value_and_grad(loss, wrt="model")
    print("generated gradient of loss (it calls the methods' own gradients):")
    print(step.source_for(model, X, y))
    s2sgrad.check_grad(loss, model, X[:5], y[:5], wrt="model")
    history = []
    for epoch in range(300):
        value, g = step(model, X, y)
        for name in ("W1", "b1", "w2", "b2"):
            setattr(model, name, getattr(model, name) - 0.1 * getattr(g, name))
        history.append(value)
    for epoch in (0, 100, 200, 299):
        print(f"epoch {epoch:3d}  loss {history[epoch]:.4f}")
    assert history[-1] < 0.2 * history[0], "training should lower the loss"


if __name__ == "__main__":
    main()
