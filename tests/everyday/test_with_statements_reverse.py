"""The reverse sweep runs a `with` block's adjoints inside the same context as its forward statements (the
reverse emitter turns the block's leaving marker into an entering one: codegen/with_blocks.py)."""
from __future__ import annotations

import warnings

import numpy as np

import s2sgrad

from .test_with_statements import X, log_in_errstate, warnings_silenced_in_a_loop


def test_the_generated_code_enters_the_context_in_both_sweeps():
    source = s2sgrad.grad(log_in_errstate).source_for(X)
    assert source.count("with np.errstate(divide='ignore', invalid='ignore'):") == 2
    forward, reverse = source.split("# reverse sweep")
    assert "np.log(x)" in forward.split("with np.errstate")[1]
    assert "/ x" in reverse.split("with np.errstate")[1]      # the log's adjoint divides inside the context


def test_the_reverse_sweep_sets_the_warnings_filter_up_again():
    source = s2sgrad.grad(warnings_silenced_in_a_loop).source_for(X)
    reverse = source.split("# reverse sweep")[1]
    assert "with warnings.catch_warnings():\n            warnings.simplefilter('ignore')" in reverse


def test_errstate_silences_the_adjoints_division():
    x = np.array([0.0, 1.0])

    def log_at_zero(v):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.log(v)
        return np.sum(y[1:])

    with warnings.catch_warnings():
        warnings.simplefilter("error")             # any RuntimeWarning would fail the test
        gradient = s2sgrad.grad(log_at_zero)(x)
    assert gradient[1] == 1.0
