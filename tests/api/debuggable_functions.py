"""Functions whose generated gradients are stepped through in tests."""
import math


def log_of(x):
    y = x * 2.0
    return math.log(y)
