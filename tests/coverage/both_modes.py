"""One check for a user function in both modes: the reverse gradient (check_grad) and the forward tangent
(jvp) against central differences of the function itself."""
from __future__ import annotations

import numpy as np

import s2sgrad


def check_both_modes(f, *args, wrt=(0,), rtol=1e-5, atol=1e-6):
    s2sgrad.check_grad(f, *args, wrt=wrt if len(wrt) > 1 else wrt[0], rtol=rtol, atol=atol)
    rng = np.random.default_rng(0)
    tangents = tuple(_direction(a, rng) if i in wrt else _zero(a) for i, a in enumerate(args))
    value, tangent = s2sgrad.jvp(f, args, tangents)
    np.testing.assert_allclose(value, f(*args), rtol=1e-12, atol=1e-12)
    h = 1e-6
    shifted = [tuple(_shift(a, t, step) for a, t in zip(args, tangents)) for step in (h, -h)]
    numeric = (np.asarray(f(*shifted[0])) - np.asarray(f(*shifted[1]))) / (2 * h)
    np.testing.assert_allclose(tangent, numeric, rtol=max(rtol, 1e-5), atol=max(atol, 1e-6),
                               err_msg=f"jvp of {getattr(f, '__name__', f)}")


def _direction(a, rng):
    return float(rng.normal()) if isinstance(a, float) else rng.normal(size=np.shape(a))


def _zero(a):
    if isinstance(a, (bool, int, np.integer)) or (isinstance(a, np.ndarray) and a.dtype.kind not in "fc"):
        return a
    return 0.0 if isinstance(a, float) else np.zeros(np.shape(a))


def _shift(a, t, step):
    if isinstance(a, (bool, int, np.integer)) or (isinstance(a, np.ndarray) and a.dtype.kind not in "fc"):
        return a
    return a + step * t
