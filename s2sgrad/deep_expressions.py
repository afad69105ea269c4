"""Room on the stack for very long expressions (`x0*w0 + x1*w1 + ...` with 5,000 terms).

Python parses `a + b + c + ...` into a chain of binary operations as deep as
the expression is long, and the transformer's walks over it (gast's
conversion, normalization, copies) recurse once or more per level: a 5,000-term
sum needs far more frames than Python's default recursion limit of 1,000.
Rather than rewrite every walk as a loop, a transformation that hits the limit
runs again in a thread of its own with a large stack and a raised limit. The
first attempt runs as always, so ordinary functions pay nothing; the raised
limit is restored when the last deep transformation ends. After normalization
the expression is one operation per line, so the generated code is flat.
"""
from __future__ import annotations

import sys
import threading

from .errors import S2SGradError, UnsupportedConstructError

RECURSION_LIMIT = 200_000
STACK_BYTES = 1024 * 1024 * 1024     # reserved address space: pages are only used as the recursion needs them

_lock = threading.Lock()
_active = 0
_restore_to = None


def with_room_for_deep_expressions(run, describe):
    """`run()`; if it exhausts the recursion limit, once more with room for deep nesting.

    `describe()` names the function being transformed, for the error if even that is not enough.
    """
    try:
        return run()
    except (RecursionError, S2SGradError) as error:
        if not _from_recursion(error):
            raise
    outcome: dict = {}

    def deep():
        try:
            with _raised_limit():
                outcome["value"] = run()
        except BaseException as error:          # handed to the calling thread
            outcome["error"] = error

    _run_in_thread_with_large_stack(deep)
    error = outcome.get("error")
    if error is None:
        return outcome["value"]
    if _from_recursion(error):
        raise UnsupportedConstructError(
            f"{describe()}: an expression nested more deeply than s2sgrad can follow "
            f"({RECURSION_LIMIT} levels of recursion)", None,
            "split the expression into partial sums assigned to variables") from error
    raise error


def _from_recursion(error) -> bool:
    while error is not None:
        if isinstance(error, RecursionError):
            return True
        error = error.__cause__ or error.__context__
    return False


class _raised_limit:
    def __enter__(self):
        global _active, _restore_to
        with _lock:
            if _active == 0:
                _restore_to = sys.getrecursionlimit()
                sys.setrecursionlimit(max(_restore_to, RECURSION_LIMIT))
            _active += 1

    def __exit__(self, *exc):
        global _active
        with _lock:
            _active -= 1
            if _active == 0:
                sys.setrecursionlimit(_restore_to)


def _run_in_thread_with_large_stack(target) -> None:
    with _lock:
        previous = threading.stack_size()
        try:
            threading.stack_size(STACK_BYTES)
            thread = threading.Thread(target=target, name="s2sgrad-deep-expression")
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
