"""The three workloads of issue 13's jit targets, with hand-written NumPy gradients (bench_jit.py)."""
import numpy as np

DT = 0.001


def euler(k, c, n):
    """Damped oscillator, explicit Euler, n steps."""
    x = 1.0
    v = 0.0
    for _ in range(n):
        a = -k * x - c * v
        x = x + DT * v
        v = v + DT * a
    return x * x + v * v


def euler_if(k, c, n):
    """The same with a stiffer spring on the negative side: an `if` in every step."""
    x = 1.0
    v = 0.0
    for _ in range(n):
        if x > 0:
            a = -k * x - c * v
        else:
            a = -2.0 * k * x - c * v
        x = x + DT * v
        v = v + DT * a
    return x * x + v * v


def chain(x):
    """An elementwise chain over an array, summed."""
    y = np.sin(x) * np.exp(-x * x) + np.tanh(x)
    return np.sum(y * y)


def euler_by_hand(k, c, n):
    x, v = 1.0, 0.0
    tape = []
    for _ in range(n):
        tape.append((x, v))
        a = -k * x - c * v
        x, v = x + DT * v, v + DT * a
    loss = x * x + v * v
    dx, dv, dk, dc = 2 * x, 2 * v, 0.0, 0.0
    for _ in range(n):
        x, v = tape.pop()
        da = DT * dv
        dx, dv = dx - k * da, dv + dx * DT - c * da
        dk -= x * da
        dc -= v * da
    return loss, (dk, dc)


def euler_if_by_hand(k, c, n):
    x, v = 1.0, 0.0
    tape = []
    for _ in range(n):
        scale = 1.0 if x > 0 else 2.0
        tape.append((x, v, scale))
        a = -scale * k * x - c * v
        x, v = x + DT * v, v + DT * a
    loss = x * x + v * v
    dx, dv, dk, dc = 2 * x, 2 * v, 0.0, 0.0
    for _ in range(n):
        x, v, scale = tape.pop()
        da = DT * dv
        dx, dv = dx - scale * k * da, dv + dx * DT - c * da
        dk -= scale * x * da
        dc -= v * da
    return loss, (dk, dc)


def chain_by_hand(x):
    s, e, t = np.sin(x), np.exp(-x * x), np.tanh(x)
    y = s * e + t
    dy = 2 * y
    dx = dy * (np.cos(x) * e - 2 * x * s * e + (1 - t * t))
    return np.sum(y * y), dx


def spring(k, c, x, v):
    """The oscillator's acceleration: a helper returning a number, called once per step."""
    return -k * x - c * v


def euler_with_helper(k, c, n):
    """euler with its acceleration computed by a helper function."""
    x = 1.0
    v = 0.0
    for _ in range(n):
        a = spring(k, c, x, v)
        x = x + DT * v
        v = v + DT * a
    return x * x + v * v
