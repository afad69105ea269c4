"""Find a lambda's own source in its file.

A lambda's code object knows only its first line, and several lambdas may
share a line (`sorted(xs, key=lambda p: p[0]), lambda x: x * x`). Column
positions of instructions exist only from Python 3.11, so the lambda is
found the same way on every version: each lambda on that line is compiled
again and the one that compiles to the function's own code is the one.
Lambdas that compile to the same code compute the same thing, so any of them
serves; when none does, the file changed since the lambda was made.
"""
from __future__ import annotations

import copy
import types

import gast

from ..errors import SourceUnavailableError
from .compiled_match import compiles_to


def find_lambda(fn: types.FunctionType, filename: str, file_lines: list[str]) -> gast.Lambda:
    """The gast `Lambda` node, in the parsed file, whose code `fn` runs."""
    line = fn.__code__.co_firstlineno
    try:
        module = gast.parse("".join(file_lines))
    except SyntaxError as exc:
        raise _stale(filename, line, f"the file no longer parses ({exc.msg}, line {exc.lineno})") from exc
    on_line = [node for node in gast.walk(module) if isinstance(node, gast.Lambda) and node.lineno == line]
    if not on_line:
        raise _stale(filename, line, "there is no lambda on that line any more")
    for node in on_line:
        if compiles_to(gast.gast_to_ast(copy.deepcopy(node)), fn, filename):
            return node
    raise _stale(filename, line, "no lambda on that line compiles to the code Python is running")


def _stale(filename: str, line: int, why: str) -> SourceUnavailableError:
    return SourceUnavailableError(
        f"s2sgrad cannot read the source of the lambda at {filename}:{line}: {why}. The file has "
        "changed since the lambda was defined, so its text is not the code that runs. Re-import "
        "the module (importlib.reload) or restart Python, then apply grad again."
    )
