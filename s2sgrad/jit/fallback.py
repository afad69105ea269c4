"""Say why a specialization runs as Python: the construct numba refused, its generated line, the user's line."""
from __future__ import annotations

import os
import re
import warnings

import gast


class JitFallbackWarning(UserWarning):
    """s2sgrad.jit runs the Python version of a gradient for some argument types (the message says why)."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# numba names a line as `File "<path>", line 8` or `at <path> (8)`, the path sometimes made relative
_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)|at (\S+\.py) \((\d+)\)')


def numba_complaint(exc: BaseException, filename: str) -> tuple[str, int | None]:
    """(numba's one-line reason, the line of `filename` it points at, if any)."""
    text = _ANSI.sub("", str(exc))
    line = None
    for path, number, other_path, other_number in _FILE_LINE.findall(text):
        if os.path.basename(path or other_path) == os.path.basename(filename):
            line = int(number or other_number)
    lines = [s.strip() for s in text.splitlines()]
    reasons = [s for s in lines if s and not s.startswith(("Failed in", "During:", "File ", "<source", "^"))
               and "Resolution failure" not in s]
    reason = reasons[0] if reasons else type(exc).__name__
    call = next((s[3:].strip() for s in lines if s.startswith(">>>")), None)
    # a numba version of one of s2sgrad's helpers that refuses these types says why (jit/helpers.py)
    said = next((s[len("TypingError:"):].strip() for s in lines if s.startswith("TypingError:")), None)
    if reason.endswith("found for signature:") and call:
        reason = f"the call {call} (numba has no version for these argument types)"
        if said:
            reason = f"{said}: {reason}"
    return (reason[:300] + "...") if len(reason) > 300 else reason, line


def user_location(program, generated_line: str) -> str:
    """The user's line a generated line comes from: the one defining a name the line assigns or reads
    (an adjoint `dx` stands for `x`)."""
    try:
        tree = gast.parse(generated_line.strip())
    except SyntaxError:
        return ""
    names = [n.id for n in gast.walk(tree) if isinstance(n, gast.Name)]
    definitions = _definitions(program)
    candidates = names + [n[1:] for n in names if n.startswith("d")]
    for name in candidates:
        stmt = definitions.get(name)
        if stmt is not None:
            location = program.prepared.source.location(stmt)
            if location is not None:
                return location.describe()
    return ""


def _definitions(program) -> dict:
    found = {}
    for node in gast.walk(program.prepared.ssa.tree):
        if isinstance(node, gast.Assign):
            for target in node.targets:
                for n in gast.walk(target):
                    if isinstance(n, gast.Name) and getattr(node, "lineno", None) is not None:
                        found.setdefault(n.id, node)
    return found


def warn_fallback(function_name: str, signature: str, construct: str, generated: str, where: str) -> None:
    message = (f"s2sgrad.jit runs the Python version of the gradient of {function_name} for arguments "
               f"({signature}): numba cannot compile {construct}")
    if generated:
        message += f"\n  in the generated line: {generated.strip()}"
    if where:
        message += f"\n  which comes from:\n{where}"
    warnings.warn(message, JitFallbackWarning, stacklevel=4)
