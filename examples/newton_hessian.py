"""Newton's method on seed 003's logistic-regression loss, with s2sgrad.hessian and s2sgrad.grad.

The loss is the course notes' cross-entropy of yhat = sigmoid(X @ w), here
with the bias folded into w (a column of ones in X) and a small ridge term so
the minimum is unique. Newton's step solves H(w) s = -g(w): s2sgrad.grad
gives g by reverse mode, s2sgrad.hessian gives H by forward mode over the
gradient's own generated code. Gradient descent needs hundreds of steps on
this loss (examples/logistic_regression.py); Newton's method needs a handful,
and the gradient's norm falls quadratically once it is close.

    python examples/newton_hessian.py
"""
import numpy as np

import s2sgrad


def loss(w, X, y):
    """Mean cross-entropy of yhat = sigmoid(X @ w) against labels y in {0, 1}, plus a small ridge term."""
    z = X @ w
    yhat = 1.0 / (1.0 + np.exp(-z))
    cross_entropy = -np.mean(y * np.log(yhat) + (1.0 - y) * np.log(1.0 - yhat))
    return cross_entropy + 0.01 * np.sum(w ** 2)


def make_data(n=200, seed=0):
    """Two features and a column of ones; the label is 1 where a noisy linear score is positive."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, 2))
    score = features @ np.array([2.0, -1.0]) + 0.5 + 0.8 * rng.normal(size=n)
    X = np.column_stack([np.ones(n), features])
    return X, (score > 0).astype(float)


def newton(w, X, y, steps=8, tolerance=1e-12):
    """Newton iterates from w; prints each one with its loss and gradient norm."""
    gradient = s2sgrad.grad(loss)           # with respect to w, the first argument
    curvature = s2sgrad.hessian(loss)       # shaped w.shape + w.shape = (3, 3)
    for k in range(steps):
        g = gradient(w, X, y)
        print(f"step {k}  w = {np.array2string(w, precision=6, floatmode='fixed')}  "
              f"loss {loss(w, X, y):.10f}  |grad| {np.linalg.norm(g):.2e}")
        if np.linalg.norm(g) < tolerance:
            break
        w = w - np.linalg.solve(curvature(w, X, y), g)
    return w


def main():
    X, y = make_data()
    w = newton(np.zeros(3), X, y)
    H = s2sgrad.hessian(loss)(w, X, y)
    print("\nthe Hessian at the minimum (symmetric, positive definite):")
    print(np.array2string(H, precision=6, floatmode="fixed"))
    assert np.allclose(H, H.T) and np.all(np.linalg.eigvalsh(H) > 0)
    # each column against a central difference of the gradient
    gradient, h = s2sgrad.grad(loss), 1e-6
    columns = [(gradient(w + h * e, X, y) - gradient(w - h * e, X, y)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(H, np.stack(columns, axis=1), atol=1e-8)
    assert np.linalg.norm(s2sgrad.grad(loss)(w, X, y)) < 1e-10


if __name__ == "__main__":
    main()
