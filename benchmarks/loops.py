"""Scalar loops: s2sgrad's gradient against the forward function and a hand-written reverse mode.

Run by hand:  python benchmarks/bench_loops.py
"""


def euler_oscillator(k, c, n):
    """Damped oscillator x'' = -k x - c x', explicit Euler, energy-like loss at the end."""
    x = 1.0
    v = 0.0
    dt = 0.001
    for _ in range(n):
        a = -k * x - c * v
        x = x + dt * v
        v = v + dt * a
    return x * x + v * v


def euler_oscillator_by_hand(k, c, n):
    """What a careful person writes: record (x, v) per step, replay backwards."""
    x, v, dt = 1.0, 0.0, 0.001
    tape = []
    for _ in range(n):
        tape.append((x, v))
        a = -k * x - c * v
        x, v = x + dt * v, v + dt * a
    loss = x * x + v * v
    dx, dv, dk, dc = 2 * x, 2 * v, 0.0, 0.0
    for _ in range(n):
        x, v = tape.pop()
        da = dt * dv
        dx, dv = dx - k * da, dv + dx * dt - c * da
        dk -= x * da
        dc -= v * da
    return loss, (dk, dc)


def horner(x, coefficients):
    y = 0.0
    for c in coefficients:
        y = y * x + c
    return y


def horner_by_hand(x, coefficients):
    y = 0.0
    ys = []
    for c in coefficients:
        ys.append(y)
        y = y * x + c
    value = y
    dy, dx = 1.0, 0.0
    for _ in range(len(coefficients)):
        y = ys.pop()
        dx += dy * y
        dy *= x
    return value, dx


def euler_one_sided(k, c, n):
    """The oscillator with a one-sided extra spring: an `if` on the state in every step."""
    x = 1.0
    v = 0.0
    dt = 0.001
    for _ in range(n):
        a = -k * x - c * v
        if x > 0.0:
            a = a - 0.5 * x
        x = x + dt * v
        v = v + dt * a
    return x * x + v * v


def euler_one_sided_by_hand(k, c, n):
    x, v, dt = 1.0, 0.0, 0.001
    tape = []
    for _ in range(n):
        tape.append((x, v))
        a = -k * x - c * v
        if x > 0.0:
            a = a - 0.5 * x
        x, v = x + dt * v, v + dt * a
    loss = x * x + v * v
    dx, dv, dk, dc = 2 * x, 2 * v, 0.0, 0.0
    for _ in range(n):
        x, v = tape.pop()
        da = dt * dv
        dx, dv = dx - k * da - (0.5 * da if x > 0.0 else 0.0), dv + dx * dt - c * da
        dk -= x * da
        dc -= v * da
    return loss, (dk, dc)


def seed000(a, b, c):
    u = b * c
    v = a + u
    return 3 * v


def seed000_by_hand(a, b, c):
    u = b * c
    return 3 * (a + u), (3.0, 3.0 * c, 3.0 * b)
