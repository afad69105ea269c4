"""Unsupported loop forms fail when grad is applied, naming the construct, file and line."""
import inspect

import pytest

from s2sgrad import UnsupportedConstructError, grad

from . import unsupported_loops as u


def line_of(fn, text):
    lines, start = inspect.getsourcelines(fn)
    for offset, line in enumerate(lines):
        if text in line:
            return start + offset
    raise AssertionError(text)


@pytest.mark.parametrize("fn, construct, marker", [
    (u.loop_in_try, "`for ... else` loop inside a `try` body", "for i in range(3)"),
    (u.loop_over_generator, "generator expression that may stop early", "for v in"),
    (u.generator_function, "`yield`", "yield"),
])
def test_error_names_construct_file_and_line(fn, construct, marker):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(fn)
    message = str(info.value)
    assert construct in message
    assert "unsupported_loops.py" in message
    assert f"line {line_of(fn, marker)}" in message
    assert marker.split()[0] in message           # the offending line is quoted
    assert "What to do:" in message
