"""`with` blocks over context managers that change no value: the body is differentiated as written, and
the generated code enters the same context in the forward sweep and around the block's adjoints; any
other context manager (one that may swallow an exception) stays refused, named, at its line."""
from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .all_modes import all_modes

X = np.array([0.4, 1.3, 2.2])


def log_in_errstate(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(x) * x
    return np.sum(y * y)


def warnings_silenced_in_a_loop(x):
    s = 0.0
    for i in range(3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = s + np.sqrt(x[i]) * (i + 1.0)
    return s


def nested_managers(x):
    with np.errstate(all="ignore"), np.printoptions(precision=3):
        y = np.sin(x) * x
        with contextlib.nullcontext(2.0) as c:
            z = y * c
    if np.sum(z) > 0.0:
        with np.errstate(over="ignore"):
            z = np.exp(z)
    return np.sum(z)


def suppressed(x):
    with contextlib.suppress(ValueError):
        y = x * 2.0
    return y


class Tracker:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def users_manager(x):
    with Tracker():
        y = x * 2.0
    return y


def returns_inside(x):
    with np.errstate(divide="ignore"):
        return np.sum(np.log(x))


def reads_a_local(x):
    mode = "ignore"
    with np.errstate(divide=mode):
        y = np.log(x)
    return np.sum(y)


def keeps_the_manager(x):
    with warnings.catch_warnings(record=True) as caught:
        y = x * 2.0
    return y + len(caught)


@pytest.mark.parametrize("f", [log_in_errstate, warnings_silenced_in_a_loop, nested_managers])
def test_neutral_context_managers_in_every_mode(f):
    all_modes(f, X)


def test_the_forward_sweep_enters_the_context():
    forward = s2sgrad.grad(log_in_errstate).source_for(X).split("# reverse sweep")[0]
    assert "with np.errstate(divide='ignore', invalid='ignore'):\n        t1 = np.log(x)" in forward
    assert "with np.errstate(divide='ignore', invalid='ignore'):" in s2sgrad.jvp_source(log_in_errstate, X)


@pytest.mark.parametrize("f, shown", [(suppressed, "contextlib.suppress(ValueError)"), (users_manager, "Tracker()")])
def test_managers_that_may_swallow_an_exception_are_refused(f, shown):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(1.0)
    message = str(error.value)
    assert f"a `with` statement over `{shown}`" in message and "cannot suppress an exception" in message
    assert error.value.location.lineno == f.__code__.co_firstlineno + 1


@pytest.mark.parametrize("f, what", [
    (returns_inside, "`return` inside a `with` block"),
    (reads_a_local, "whose arguments read `mode`"),
    (keeps_the_manager, "as caught"),
])
def test_what_the_lowering_cannot_follow_is_refused_at_its_line(f, what):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(X)
    assert what in str(error.value)
    assert error.value.location.filename == __file__
