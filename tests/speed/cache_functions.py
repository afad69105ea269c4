"""Functions the source-cache tests differentiate; cache_helpers.py is rewritten by one test."""
import math

import numpy as np


def polynomial(x, y):
    u = x * y
    v = math.sin(u) + y * y
    return u * v


def on_arrays(w, X):
    return np.sum(np.tanh(X @ w))


def uses_clash(x):
    return x * 2.0
