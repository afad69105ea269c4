"""jvp's hot path (api/forward_mode.py): a second call with arguments of the same kinds skips the
transformation's bookkeeping, and still sees a rebound global and still checks the tangents' shapes."""
import numpy as np
import pytest

import s2sgrad

SCALE = np.sin


def scaled(x):
    return np.sum(SCALE(x) * x)


def test_repeated_jvp_sees_a_rebound_function_and_checks_shapes():
    global SCALE
    x, v = np.array([0.2, -0.4]), np.array([1.0, 0.5])
    first = s2sgrad.jvp(scaled, (x,), (v,))
    assert s2sgrad.jvp(scaled, (x,), (v,)) == pytest.approx(first)          # the hot path, same answer
    assert first[1] == pytest.approx(np.sum((np.cos(x) * x + np.sin(x)) * v))
    SCALE = np.tanh
    try:
        value, tangent = s2sgrad.jvp(scaled, (x,), (v,))
    finally:
        SCALE = np.sin
    assert value == pytest.approx(np.sum(np.tanh(x) * x))
    assert tangent == pytest.approx(np.sum(((1 - np.tanh(x) ** 2) * x + np.tanh(x)) * v))
    with pytest.raises(s2sgrad.WrtError, match="shaped"):
        s2sgrad.jvp(scaled, (x,), (np.ones(3),))
    assert s2sgrad.jvp(scaled, (x.astype(np.float32),), (v.astype(np.float32),))[1].dtype == np.float32
