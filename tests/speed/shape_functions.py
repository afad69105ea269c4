"""Functions the shape-specialization tests differentiate (read from source, so they live in a file)."""
import numpy as np


def product_sum(x, y):
    return np.sum(x * y)


def scaled_rows(x, b):
    """x (n, k) times a row b (k,) or a column b (n, 1): b is stretched, its adjoint summed."""
    return np.sum(np.tanh(x * b + 1.0))


def square_norm(h):
    return np.sum(h * h)


def rnn(W, U, b, xs):
    h = np.zeros((xs.shape[1], W.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] @ U + b)
    return np.sum(h * h) / xs.shape[1]


def rnn_by_hand(W, U, b, xs):
    hs = [np.zeros((xs.shape[1], W.shape[0]))]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(hs[-1] @ W + xs[t] @ U + b))
    dh = 2.0 * hs[-1] / xs.shape[1]
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    for t in range(xs.shape[0] - 1, -1, -1):
        dpre = dh * (1.0 - hs[t + 1] ** 2)
        dW += hs[t].T @ dpre
        dU += xs[t].T @ dpre
        db += np.sum(dpre, axis=0)
        dh = dpre @ W.T
    return dW, dU, db


def logistic(w, b, X, y):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def shrinking(x, n):
    """v changes shape every iteration: its shape is not decidable, the generic code stays."""
    v = x
    total = 0.0
    for i in range(n):
        v = v[1:] * 2.0 + x[i]
        total = total + np.sum(v * v)
    return total


def branchy(x, y, flag):
    if flag > 0:
        z = x * y
    else:
        z = x + y
    return np.sum(z * z)


def reused_adjoint(x, y):
    """x's adjoint gathers several terms after passing through copies and views."""
    a = x * 3.0
    b = a
    c = x * y + b
    d = np.sin(x) * c
    return np.sum(d) + np.sum(a * x)


def mean_of_columns(x, w):
    m = np.mean(x, axis=0, keepdims=True)
    return np.sum((x - m) * w) + np.max(x) + np.sum(np.max(x, axis=1))


def vector_valued(x, y):
    return x * y + np.sin(x)


def draws(x):
    """A random draw's shape is its `size`, not its operands' broadcast; np.where(c) alone gives indices."""
    e = np.random.normal(0.0, 1.0, 3)
    picked = np.where(x > 0)
    s = x.sum(axis=0)
    return np.sum(x * e) + np.sum(s) + len(picked)


def indexed_value_of_unknown_kind(s, B):
    """s * s of a number that may be an int or a float has no known kind; v has B's shape all the same."""
    v = np.maximum(B * B, s * s)
    w = v[0]
    return np.sum(w)


def carried_sum_of_rows(A):
    """acc starts as a number and becomes a row; y's shape comes through np.newaxis (`[:, None]`)."""
    y = A + 0.1 * np.max(A, axis=-1)[:, None]
    acc = 0.0
    for i in range(2):
        acc = acc * 0.5 + y[i] ** 2
    return np.sum(acc * np.array([1.3, 0.8, -0.05]))


def float32_times_float64(x):
    """A float32 argument meets a float64 constant: part of x's adjoint is float32, part float64."""
    w = np.array([0.5, -1.0, 2.0, 0.25])
    return np.sum(np.sin(x) * w) + np.sum(x * x)
