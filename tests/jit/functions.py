"""Functions the jit tests differentiate (in a file: s2sgrad reads their source)."""
import math

import numpy as np

STEP = 0.001


def euler(k, c, n):
    x = 1.0
    v = 0.0
    for _ in range(n):
        a = -k * x - c * v
        x = x + STEP * v
        v = v + STEP * a
    return x * x + v * v


def euler_with_if(k, c, n):
    x = 1.0
    v = 0.0
    for i in range(n):
        if x > 0:
            a = -k * x - c * v
        else:
            a = -2.0 * k * x - c * v
        x = x + STEP * v
        v = v + STEP * a
    return x * x + v * v


def chain(x):
    y = np.sin(x) * np.exp(-x * x) + np.tanh(x)
    return np.sum(y * y)


def halving(x, n):
    s = 0.0
    i = 0
    while i < n:
        s = s + x * 2 ** -i          # an integer to a negative power: a float in Python
        i = i + 1
    return s


def accumulate(x, n):
    s = 0.0
    i = 0
    while i < n:
        s = s + x * i
        i = i + 1
    return s


def square(x):
    return x * x


def with_helper(x):
    y = square(x) + 1.0
    return y * x


def with_str(x):
    return x * len(str(x))


def scaled(x, w):
    return np.sum(x * w)


def square_root(x):
    return math.sqrt(x) * x


def sines(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sin(x) * i
    return s


def polynomial(a, b):
    c = a * b
    for _ in range(3):
        c = c * a + b
    return c


def weighted_sines(x, w):
    return np.sum(np.sin(x) * w + x * x)


def vector_field(x):
    return np.sin(x) * x + 2.0 * x


def noisy(x):
    return x * np.random.normal()


def with_noisy_helper(x):
    return noisy(x) * x + square(x)


def doubled(x):
    return 2.0 * x


def with_array_helper(x):
    return np.sum(doubled(x) * x)


def two_helpers(x, y):
    s = 0.0
    for i in range(4):
        s = s + square(x * i - y) + with_helper(y)     # with_helper calls square in turn
    return s


def with_nested_def(x):
    def inner(t):
        return t * t
    return inner(x) + x
