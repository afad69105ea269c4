"""Read a callable's source and parse it with gast.

The result, a `FunctionSource`, keeps what later stages need: the gast
`FunctionDef` (decorators stripped, lambdas turned into a `def`), the namespace
the function reads at call time (its globals and closure cells), and the map
from positions in the parsed snippet back to the user's file, so every error
can point at the user's own line.
"""
from __future__ import annotations

import inspect
import linecache
import textwrap
import types
from dataclasses import dataclass, field

import gast

from ..errors import SourceLocation, SourceUnavailableError


@dataclass
class FunctionSource:
    """A parsed function and where it came from."""

    function: types.FunctionType
    tree: gast.FunctionDef
    filename: str
    line_offset: int          # file line of snippet line 1, minus 1
    col_offset: int           # columns removed by dedenting
    file_lines: list[str] = field(repr=False, default_factory=list)

    @property
    def name(self) -> str:
        return self.tree.name

    @property
    def globals(self) -> dict:
        return self.function.__globals__

    @property
    def closure(self) -> dict[str, types.CellType]:
        """Free variable name -> the live cell the original function reads."""
        names = self.function.__code__.co_freevars
        cells = self.function.__closure__ or ()
        return dict(zip(names, cells))

    def location(self, node) -> SourceLocation | None:
        """The user's file position of a node of `tree` (or of a node copied from it)."""
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            return None
        file_line = lineno + self.line_offset
        col = (getattr(node, "col_offset", 0) or 0) + self.col_offset
        text = self.file_lines[file_line - 1] if 0 < file_line <= len(self.file_lines) else ""
        return SourceLocation(self.filename, file_line, col, text, self.name)


def read_function(fn) -> FunctionSource:
    """Parse `fn` into a `FunctionSource`, or explain clearly why it cannot be read."""
    if not isinstance(fn, types.FunctionType):
        kind = type(fn).__name__
        raise SourceUnavailableError(
            f"s2sgrad cannot read the Python source of {fn!r} (a {kind}): it is not a "
            "function written in Python. If it is a NumPy or math function, call it from a "
            "Python function you differentiate; if it is your own compiled code, register "
            "its derivative with s2sgrad.defvjp."
        )
    filename = fn.__code__.co_filename
    file_lines = linecache.getlines(filename, fn.__globals__)
    if not file_lines:
        raise SourceUnavailableError(
            f"s2sgrad cannot read the source of {fn.__qualname__!r}: Python keeps no source "
            f"text for {filename!r} (functions typed at an interactive prompt or built with "
            "exec() have none). Define the function in a .py file, or in a notebook cell."
        )
    if fn.__name__ == "<lambda>":
        return _read_lambda(fn, filename, file_lines)
    try:
        lines, first_line = inspect.getsourcelines(fn)
    except (OSError, TypeError) as exc:
        raise SourceUnavailableError(
            f"s2sgrad cannot read the source of {fn.__qualname__!r} in {filename!r}: {exc}. "
            "Define the function in a .py file."
        ) from exc
    text = "".join(lines)
    dedented = textwrap.dedent(text)
    col_offset = _indent(lines[0]) - _indent(dedented.splitlines()[0])      # columns dedenting removed
    module = gast.parse(dedented)
    tree = module.body[0]
    if not isinstance(tree, gast.FunctionDef):
        raise SourceUnavailableError(
            f"s2sgrad expected a `def` at {filename}:{first_line} for {fn.__qualname__!r}, "
            f"found {type(tree).__name__}."
        )
    tree.decorator_list = []
    return FunctionSource(fn, tree, filename, max(first_line, 1) - 1, col_offset, file_lines)


def _read_lambda(fn, filename: str, file_lines: list[str]) -> FunctionSource:
    """Find `fn`'s lambda in its file (several may share a line) and make it a def."""
    module = gast.parse("".join(file_lines))
    line = fn.__code__.co_firstlineno
    body_col = _first_body_column(fn.__code__)
    candidates = [
        node for node in gast.walk(module)
        if isinstance(node, gast.Lambda) and node.lineno == line
    ]
    params = fn.__code__.co_varnames[: fn.__code__.co_argcount]
    candidates = [c for c in candidates if [a.id for a in c.args.args] == list(params)] or candidates
    if len(candidates) > 1 and body_col is not None:
        candidates = [
            c for c in candidates
            if (c.body.lineno, c.body.col_offset) <= (line, body_col)
            and (getattr(c.body, "end_lineno", line), getattr(c.body, "end_col_offset", 10**9)) >= (line, body_col)
        ] or candidates
        candidates.sort(key=lambda c: c.body.col_offset, reverse=True)
    if not candidates:
        raise SourceUnavailableError(
            f"s2sgrad cannot find the source of the lambda at {filename}:{line}."
        )
    lam = candidates[0]
    ret = gast.Return(value=lam.body)
    gast.copy_location(ret, lam.body)
    tree = gast.FunctionDef(
        name="lambda_", args=lam.args, body=[ret], decorator_list=[], returns=None,
        type_comment=None, type_params=[],
    )
    gast.copy_location(tree, lam)
    return FunctionSource(fn, tree, filename, 0, 0, file_lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _first_body_column(code: types.CodeType) -> int | None:
    """Column of the first instruction that belongs to the lambda's body expression."""
    for position in list(code.co_positions())[1:]:
        if position[2] is not None:
            return position[2]
    return None
