"""What the graph cannot draw stops with an error naming the user's line, not a traceback from the tracer."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError


def overwrites(x):
    y = x * 2.0
    y[1] = x[0] ** 2
    return np.sum(y * y)


def test_an_in_place_write_is_refused_at_its_line():
    x = np.linspace(0.1, 1.0, 4)
    s2sgrad.grad(overwrites)(x)                    # the gradient itself takes it
    with pytest.raises(UnsupportedConstructError, match=r"in-place assignment") as info:
        s2sgrad.graph(overwrites, x)
    assert "y[1] = x[0] ** 2" in str(info.value) and "test_refusals.py" in str(info.value)
