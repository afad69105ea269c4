"""Read a callable's source and parse it with gast.

The result, a `FunctionSource`, keeps what later stages need: the gast
`FunctionDef` (decorators stripped, lambdas turned into a `def`), the namespace
the function reads at call time (its globals and closure cells), and the map
from positions in the parsed snippet back to the user's file, so every error
can point at the user's own line.

The text is checked against the code Python runs (compiled_match.py): a file
edited since the function was defined is refused, not differentiated. A
decorated function is read as the wrapper that runs (decorated.py).
"""
from __future__ import annotations

import ast
import inspect
import linecache
import os
import tokenize
import types
from dataclasses import dataclass, field

import gast

from ..errors import SourceLocation, SourceUnavailableError
from .compiled_match import compiles_to
from .decorated import forward_to_wrapped
from .lambdas import find_lambda


@dataclass
class FunctionSource:
    """A parsed function and where it came from."""

    function: types.FunctionType
    tree: gast.FunctionDef
    filename: str
    line_offset: int          # file line of snippet line 1, minus 1
    col_offset: int           # added to node columns (0: sources are parsed at their own columns)
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
    linecache.checkcache(filename)          # the file as it is now; compiled_match says if it still fits
    file_lines = linecache.getlines(filename, fn.__globals__)
    if not file_lines:
        raise SourceUnavailableError(_no_source_text(fn, filename))
    if fn.__code__.co_name == "<lambda>":
        return _read_lambda(fn, filename, file_lines)
    source = _read_def(fn, filename, file_lines)
    forward_to_wrapped(source)
    return source


def _no_source_text(fn, filename: str) -> str:
    """Why Python has no text for `filename`, and what to do."""
    said = f"s2sgrad cannot read the source of {fn.__qualname__!r}: Python keeps no source text for {filename!r}"
    if not (filename.startswith("<") and filename.endswith(">")) and not os.path.exists(filename):
        return (f"{said} (the file is not there: a module installed as compiled .pyc files only, or a file "
                "moved or deleted since it was imported). Install the module with its .py files, or define "
                "the function in a .py file.")
    return (f"{said} (functions typed at an interactive prompt or built with exec() have none). Define the "
            "function in a .py file, or in a notebook cell.")


def _read_def(fn, filename: str, file_lines: list[str]) -> FunctionSource:
    for lines, first_line in _def_blocks(fn, filename, file_lines):
        try:
            parsed = _parse_ast(lines, 1)           # at snippet line 1 and the file's columns
        except (SyntaxError, IndexError):
            continue
        if getattr(parsed, "name", None) != fn.__code__.co_name:
            continue
        tree = gast.ast_to_gast(parsed)             # new nodes: `parsed` itself stays as it was
        # the text Python compiled? Byte-identical code at line 1 is; else check the text at its own lines
        # (3.13 keeps a class's first line as a constant), where only the instructions must match
        if compiles_to(parsed, fn, filename, identical_only=True) \
                or compiles_to(_at_line(lines, first_line), fn, filename):
            break
    else:
        raise _changed_on_disk(fn, filename, fn.__code__.co_firstlineno)
    if not isinstance(tree, gast.FunctionDef):
        raise SourceUnavailableError(
            f"s2sgrad expected a `def` at {filename}:{first_line} for {fn.__qualname__!r}, "
            f"found {type(tree).__name__}: s2sgrad differentiates plain functions, not `async def`."
        )
    tree.decorator_list = []
    return FunctionSource(fn, tree, filename, max(first_line, 1) - 1, 0, file_lines)


def _def_blocks(fn, filename: str, file_lines: list[str]):
    """The def's lines and its first line's number in the file: first as far as its code reaches
    (`_code_end`), then, when that text is not the def, as `inspect.getsource` would find them."""
    code = fn.__code__
    start = code.co_firstlineno - 1          # the def's line, or its first decorator's
    end = _code_end(code)
    if end is not None and 0 <= start < end <= len(file_lines):
        yield file_lines[start:end], start + 1
    try:
        # the code object, not fn: inspect would follow a decorator's __wrapped__ to another function
        lines, first_line = _def_lines(code, file_lines)
    except (OSError, TypeError, IndexError, SyntaxError, tokenize.TokenError) as exc:   # a file that changed
        raise SourceUnavailableError(
            f"s2sgrad cannot read the source of {fn.__qualname__!r} in {filename!r}: {exc}. "
            "Define the function in a .py file."
        ) from exc
    if end is None or len(lines) != end - start:
        yield lines, first_line


def _code_end(code: types.CodeType) -> int | None:
    """The last file line the code's instructions (its nested functions' included) come from, from 3.11's
    positions; None before. Finding the def's end so is a fraction of tokenizing it (inspect.getblock),
    and what the text is, the compiled-code check decides: a def cut short does not compile to the code,
    and one that ends in statements without code (`pass`, a string) is the same function without them."""
    positions = getattr(code, "co_positions", None)
    if positions is None:
        return None
    end = max((line for _, line, _, _ in positions() if line is not None), default=None)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            inner = _code_end(const)
            if inner is not None and (end is None or inner > end):
                end = inner
    return end


def _def_lines(code: types.CodeType, file_lines: list[str]) -> tuple[list[str], int]:
    """What inspect.getsourcelines(code) gives, from the file's lines already read: inspect would first
    look for the code's module (inspect.getmodule), which scans every loaded module once per process,
    a fifth of a second with SciPy and numba loaded."""
    start = code.co_firstlineno - 1          # the def's line, or its first decorator's
    if not 0 <= start < len(file_lines):
        raise OSError("lineno is out of bounds")
    return inspect.getblock(file_lines[start:]), start + 1


def _parse_ast(lines: list[str], first_line: int) -> ast.stmt:
    """The def's lines parsed by `ast`, its first line numbered `first_line`.

    An indented def (a method, a nested function) is parsed inside an `if 1:` block rather than
    dedented: dedenting would also change the text of its multi-line strings.
    """
    if not _indent(lines[0]):
        return ast.increment_lineno(ast.parse("".join(lines)).body[0], first_line - 1)
    return ast.increment_lineno(ast.parse("if 1:\n" + "".join(lines)).body[0].body[0], first_line - 2)


def _at_line(lines: list[str], first_line: int) -> ast.stmt:
    """The snippet parsed anew at its lines in the file (3.13 keeps a class's first line), for the
    compiled-code check when the code compiled at line 1 is not byte-identical: parsing the text again
    is several times faster than copying the gast tree and converting the copy."""
    return _parse_ast(lines, max(first_line, 1))


def _changed_on_disk(fn, filename: str, line: int) -> SourceUnavailableError:
    return SourceUnavailableError(
        f"s2sgrad cannot differentiate {fn.__qualname__!r}: its source in {filename} (line {line}) "
        "has changed since the function was defined, so the text s2sgrad would read is not the code "
        "Python runs. Re-import the module (importlib.reload) or restart Python, then apply grad again."
    )


def _read_lambda(fn, filename: str, file_lines: list[str]) -> FunctionSource:
    """Turn `fn`'s lambda, found in its file, into a def."""
    lam = find_lambda(fn, filename, file_lines)
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
