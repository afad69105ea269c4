"""Introspection builtins in a differentiated function decide which code runs; they carry no derivative."""
import numpy as np

from tests.coverage.both_modes import check_both_modes


def spread(x):
    if hasattr(x, "shape") and callable(np.ptp):
        return np.ptp(x) * np.sum(x ** 2)
    return np.sum(x)


def test_hasattr_and_callable_choose_a_branch():
    check_both_modes(spread, np.array([0.3, -0.5, 0.8, 1.2]))
