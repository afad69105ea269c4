"""Loops whose tapes the tests measure."""
import math


def power_loop(x, n):
    p = 1.0
    for _ in range(n):
        p = p * x
    return p


def sum_of_sines(x, n):
    s = 0.0
    for i in range(n):
        s = s + math.sin(x * i)
    return s


def linear_recurrence(x, n):
    s = x
    for _ in range(n):
        s = 0.5 * s + x
    return s
