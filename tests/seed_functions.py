"""The seeds' scalar examples, as users would write them (see ../shared/README.md)."""
import math


def seed000_J(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J


def seed001_f(x, y, z):
    return (x + y) * max(y, z)


def seed003_f(x, y):
    u = x + y
    f = u * y
    return f


def seed003_linear_loss(w, b, x, y):
    yhat = w * x + b
    L = (yhat - y) ** 2
    return L


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def seed003_logistic_loss(w1, w2, b, x1, x2, y):
    z = w1 * x1 + w2 * x2 + b
    yhat = 1 / (1 + math.exp(-z))
    return -(y * math.log(yhat) + (1 - y) * math.log(1 - yhat))


def seed004_f(x, y):
    z = x * y
    f = math.sin(z)
    return f
