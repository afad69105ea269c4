"""Exceptions raised by s2sgrad.

Every error that concerns the user's code names the construct, the file, the
line and column, quotes the line, and says what to do instead.
"""
from __future__ import annotations

from dataclasses import dataclass


class S2SGradError(Exception):
    """Base class of every error s2sgrad raises on purpose."""


@dataclass(frozen=True)
class SourceLocation:
    """Where a construct sits in the user's file (1-based line, 0-based column)."""

    filename: str
    lineno: int
    col: int
    line_text: str = ""
    function: str = ""

    def describe(self) -> str:
        where = f'  File "{self.filename}", line {self.lineno}, column {self.col + 1}'
        if self.function:
            where += f", in {self.function}"
        if not self.line_text:
            return where
        stripped = self.line_text.rstrip()
        indent = len(stripped) - len(stripped.lstrip())
        caret = " " * max(self.col - indent, 0) + "^"
        return f"{where}\n    {stripped.lstrip()}\n    {caret}"


class UnsupportedConstructError(S2SGradError):
    """The function uses a Python construct s2sgrad cannot differentiate."""

    def __init__(self, construct: str, location: SourceLocation | None, hint: str = ""):
        self.construct = construct
        self.location = location
        self.hint = hint
        text = f"s2sgrad cannot differentiate {construct}"
        if location is not None:
            text += f"\n{location.describe()}"
        if hint:
            text += f"\n  What to do: {hint}"
        super().__init__(text)


class NoDerivativeRuleError(UnsupportedConstructError):
    """A call to a callable that has neither Python source nor a derivative rule."""


class SourceUnavailableError(S2SGradError):
    """The source of the function to differentiate cannot be read."""


class NonScalarOutputError(S2SGradError):
    """grad / value_and_grad was applied to a function whose result is not a real scalar."""


class WrtError(S2SGradError):
    """The `wrt` argument names a parameter that does not exist or cannot be differentiated."""


class GradientCheckError(S2SGradError, AssertionError):
    """check_grad found an analytic gradient that disagrees with the numeric one."""


class TransformError(S2SGradError):
    """s2sgrad failed on a construct it should handle: a bug in s2sgrad, reported with the user's location."""


class MissingArrayFunctionError(S2SGradError):
    """An operation needs a function that the array library of its operands (Dask, CuPy) does not provide."""

    def __init__(self, message: str, function: str = ""):
        super().__init__(message)
        self.function = function         # 'numpy.linalg.det'


class NaNError(S2SGradError, FloatingPointError):
    """debug_nans found a NaN or an infinity in a value the generated gradient computed."""
