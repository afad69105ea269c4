"""The models bench_numpy.py times: each loss, and its gradient written by hand.

Written against `np`, so bench_numpy.py can also load this file with
`np = autograd.numpy` to time autograd on the very same code.
"""
import numpy as np


def logistic_loss(w, b, X, y):
    """Logistic regression: mean cross-entropy of sigmoid(X @ w + b), in the stable log(1 + e^z) - y z form."""
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def logistic_by_hand(w, b, X, y):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (1.0 / (1.0 + np.exp(-z)) - y) / len(y)
    return loss, (X.T @ dz, np.sum(dz))


def mlp_loss(W1, b1, W2, b2, X, Y):
    """A 784-256-10 network: tanh hidden layer, softmax cross-entropy against one-hot labels Y."""
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    top = np.max(logits, axis=1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(logits - top), axis=1, keepdims=True))
    return -np.sum(Y * (logits - log_norm)) / X.shape[0]


def mlp_by_hand(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    top = np.max(logits, axis=1, keepdims=True)
    shifted = np.exp(logits - top)
    total = np.sum(shifted, axis=1, keepdims=True)
    loss = -np.sum(Y * (logits - top - np.log(total))) / X.shape[0]
    dlogits = (shifted / total - Y) / X.shape[0]
    dh = dlogits @ W2.T
    dpre = dh * (1.0 - h * h)
    return loss, (X.T @ dpre, np.sum(dpre, axis=0), h.T @ dlogits, np.sum(dlogits, axis=0))


def chain(x):
    """An elementwise chain: sum(tanh(sin(x) * x + exp(-x^2)))."""
    return np.sum(np.tanh(np.sin(x) * x + np.exp(-x * x)))


def chain_by_hand(x):
    s = np.sin(x)
    e = np.exp(-x * x)
    t = np.tanh(s * x + e)
    return np.sum(t), ((1.0 - t * t) * (np.cos(x) * x + s - 2.0 * x * e),)


def rnn_loss(W, U, b, xs):
    """A tanh RNN over the steps of xs (steps x batch x inputs); loss: mean squared last state."""
    h = np.zeros((xs.shape[1], W.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] @ U + b)
    return np.sum(h * h) / xs.shape[1]


def rnn_by_hand(W, U, b, xs):
    steps, batch = xs.shape[0], xs.shape[1]
    hs = [np.zeros((batch, W.shape[0]))]
    for t in range(steps):
        hs.append(np.tanh(hs[-1] @ W + xs[t] @ U + b))
    h = hs[-1]
    loss = np.sum(h * h) / batch
    dh = 2.0 * h / batch
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    for t in range(steps - 1, -1, -1):
        dpre = dh * (1.0 - hs[t + 1] * hs[t + 1])
        dW += hs[t].T @ dpre
        dU += xs[t].T @ dpre
        db += np.sum(dpre, axis=0)
        dh = dpre @ W.T
    return loss, (dW, dU, db)
