"""Functions the scalar-kind tests differentiate: module-level numbers the tests rebind, helpers."""
import numpy as np

DT = 0.01
SCALE = 2.0


def euler(k, n):
    """A scalar loop reading the module-level step DT."""
    x = 1.0
    v = 0.0
    for _ in range(n):
        a = -k * x
        x = x + DT * v
        v = v + DT * a
    return x * x + v * v


def scaled_sum(x):
    """x * SCALE summed: a scalar while SCALE is a number, a sum over SCALE's entries when it is an array."""
    return np.sum(x * SCALE)


def shifted_sum(x):
    """x + SCALE summed: its derivative counts SCALE's entries (broadcasting stretched x)."""
    return np.sum(x + SCALE)


def calls_scaled_sum(x):
    """A caller: scaled_sum runs as a recorded helper call."""
    return 3.0 * scaled_sum(x) + x


def make_scaled(scale):
    """A closure reading the cell `scale`; set(value) rebinds the cell."""
    def scaled(x):
        return np.sum(x * scale + x)

    def set_scale(value):
        nonlocal scale
        scale = value
    return scaled, set_scale


def spring(x, k=2.0):
    """A helper whose result is a number whenever x is."""
    return -k * x + np.sin(x)


def oscillator(x, v, n):
    """A scalar loop calling a helper each step."""
    for _ in range(n):
        a = spring(x)
        x = x + 0.1 * v
        v = v + 0.1 * a
    return np.sum(x * x + v * v)


def scaled_by_global(x):
    """A helper reading a module-level value: its kind is the helper's business, unknown to a caller."""
    return x * SCALE


def sums_scaled(x):
    return np.sum(scaled_by_global(x) * x)


def inner(x):
    return x * x


def outer(x):
    """A helper calling another helper: the caller does not follow the second call."""
    return inner(x) + x


def calls_outer(x):
    return np.sum(outer(x) * x)


def pair(x):
    return np.array([x, 2.0 * x])


helper = inner


def calls_rebindable_helper(x):
    """`helper` is rebound by a test, from a function returning a number to one returning an array."""
    return np.sum(helper(x) * x)


def power(x, n):
    """Recursive: a helper that calls itself."""
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def calls_power(x):
    return power(x, 3) + x


def shifted_in_a_loop(x, v, n):
    for _ in range(n):
        x = x + v
    return np.sum(x)
