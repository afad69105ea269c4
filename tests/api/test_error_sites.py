"""An exception raised while generated code runs names the user's line it came from (api/error_sites.py),
as a note after the generated line the traceback shows (Python 3.11+ add notes to any exception)."""
import sys

import pytest

import s2sgrad
from tests.api import error_site_functions as functions

NOTES = sys.version_info >= (3, 11)


def _note(error) -> str:
    return "".join(getattr(error, "__notes__", []))


def _check(error, sweep: str, line_text: str) -> None:
    if not NOTES:
        return
    note = _note(error)
    assert f"Raised in the {sweep}" in note, note
    assert "error_site_functions.py" in note and line_text in note, note


def test_forward_sweep_error_names_the_users_line():
    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.grad(functions.divides_by_zero)(1.3, 0.7)
    _check(info.value, "forward sweep", "return a / (y - 0.7)")


def test_reverse_sweep_error_names_the_line_being_differentiated():
    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.grad(functions.root_at_zero)(0.0)
    _check(info.value, "reverse sweep", "s = math.sqrt(x)")


def test_the_fast_path_notes_too():
    gradient = s2sgrad.grad(functions.divides_by_zero)
    gradient(1.3, 0.5)
    with pytest.raises(ZeroDivisionError) as info:
        gradient(1.3, 0.7)
    _check(info.value, "forward sweep", "return a / (y - 0.7)")
    assert _note(info.value).count("Raised in") == (1 if NOTES else 0)


def test_loops_vjp_and_jvp_note_the_line():
    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.grad(functions.loop_dividing)(1.3, 4)
    _check(info.value, "forward sweep", "total = total + x / (k - 2)")
    with pytest.raises(ZeroDivisionError) as info:
        s2sgrad.vjp(functions.root_at_zero, 0.0)[1](1.0)
    _check(info.value, "reverse sweep", "s = math.sqrt(x)")
    for _ in range(2):                      # the first call, then jvp's fast path
        with pytest.raises(ZeroDivisionError) as info:
            s2sgrad.jvp(functions.divides_by_zero, (1.3, 0.7), (1.0, 0.0))
        _check(info.value, "forward sweep", "return a / (y - 0.7)")
