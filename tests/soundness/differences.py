"""Central differences with respect to one argument of several, the reference the soundness tests check
against (one argument alone: tests/higher_order/differences.py)."""
import numpy as np


def central_in(f, args, i, h=1e-6):
    """The gradient of the number f(*args) with respect to args[i], shaped like it (a 0-d one as a float)."""
    x = np.asarray(args[i], dtype=float)
    out = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[k] = h
        plus, minus = list(args), list(args)
        plus[i], minus[i] = x + step, x - step
        if not x.shape:
            plus[i], minus[i] = float(plus[i]), float(minus[i])
        out[k] = (f(*plus) - f(*minus)) / (2 * h)
    return out
