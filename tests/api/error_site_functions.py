"""Functions whose generated code raises (test_error_sites.py); s2sgrad reads their source."""
import math


def divides_by_zero(x, y):
    a = x * y
    return a / (y - 0.7)


def root_at_zero(x):
    s = math.sqrt(x)
    return s * 3.0


def loop_dividing(x, n):
    total = 0.0
    for k in range(n):
        total = total + x / (k - 2)
    return total
