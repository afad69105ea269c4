"""What the generated code of a `try` statement keeps about each statement it tried (ssa/try_statements.py).

Each statement of a `try` body runs in a `try` of its own, under an `Attempt`:

    ran = attempt()                       # true while nothing has been raised
    try:
        y = math.log(x)
    except ValueError:
        ran.failed()                      # keeps the exception for the handlers
    ran_1 = attempt(ran)                  # the next statement runs only if this one completed
    if ran_1:
        try:
            ...

An attempt is true exactly when its statement ran to the end: the forward sweep
reads it to run what is left of the body, and the reverse sweep to replay the
adjoints of exactly the statements that ran (it is a value like an `if`'s flag,
kept on the tape inside loops). `caught_error(ran_1)` gives the exception one of
the attempts caught, or None, for the handlers to choose by.
"""
from __future__ import annotations

import sys

__all__ = ["Attempt", "attempt", "caught_error", "failed"]


class Attempt:
    """One statement of a `try` body: whether it ran to the end, and the exception if it did not."""

    __slots__ = ("previous", "error")

    def __init__(self, previous: "Attempt | None" = None):
        self.previous = previous
        self.error = None

    def failed(self, error: BaseException | None = None) -> None:
        """Called in the `except` clause around the statement: keep the exception being handled."""
        self.error = error if error is not None else sys.exc_info()[1]

    def __bool__(self) -> bool:
        return self.error is None and (self.previous is None or bool(self.previous))

    def __repr__(self) -> str:
        return f"<attempt: {'ran' if self else 'raised ' + repr(caught_error(self))}>"


def attempt(previous: Attempt | None = None) -> Attempt:
    """A new attempt, which counts as failed from the start if `previous` (the statement before it) failed."""
    return Attempt(previous)


def failed(tried: Attempt, error: BaseException) -> None:
    """`tried.failed()` as a function, given the exception: what the printed `except` clause says, read back
    when a gradient's generated code is differentiated again (ssa/try_statements.py), where it runs after
    the `except` clause of its own tried statements."""
    tried.failed(error)


def caught_error(last: Attempt):
    """The exception an attempt of the chain ending at `last` caught, or None if every statement ran."""
    while last is not None:
        if last.error is not None:
            return last.error
        last = last.previous
    return None
