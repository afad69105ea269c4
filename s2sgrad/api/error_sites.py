"""Name the user's line when generated code raises (a ZeroDivisionError, a shape mismatch, a log of a
negative number).

The traceback already shows the generated line; this adds the line of the user's function it
was made from, as a note (Python 3.11+; on 3.10 only s2sgrad's own errors can carry it, in their
message). A generated line is traced back by its names, which the transformation keeps readable:
a forward line assigns a single-assignment name of the user's statement (`t2 = t1 / y`), and a
reverse line reads the adjoint `d<name>` of the operation it differentiates (`dt1 = dt2 / y`).
"""
from __future__ import annotations

import ast
import linecache

from ..analysis.dataflow import assignments
from ..codegen.loader import is_generated_file
from ..errors import S2SGradError


def note_user_line(error: BaseException, prepared) -> None:
    """Add to `error` where in the user's function the generated line that raised it comes from."""
    if getattr(error, "_s2sgrad_user_line", False):
        return                          # noted already, by the innermost transformation it went through
    if any(note.startswith("  Called from") for note in getattr(error, "__notes__", ())) \
            or "\n  Called from" in str(error):
        return                          # raised by a call to a helper: runtime/calls.py named the call's line
    try:
        site = _raising_site(error, prepared)
    except Exception:                   # locating is a courtesy: never hide the error itself
        site = None
    if site is None:
        return
    location, reverse = site
    sweep = "the reverse sweep (derivatives) of" if reverse else "the forward sweep of"
    note = f"  Raised in {sweep} this line of {location.function or 'your function'}:\n{location.describe()}"
    try:
        error._s2sgrad_user_line = True
    except AttributeError:
        return
    if isinstance(error, S2SGradError) and len(error.args) == 1 and isinstance(error.args[0], str):
        error.args = (f"{error.args[0]}\n{note}",)
    elif hasattr(error, "add_note"):                # Python 3.11+
        error.add_note(note)


def _raising_site(error, prepared):
    codes = set()
    for program in list(prepared.programs.values()):
        for candidate in (program, program.__dict__.get("recording")):
            function = getattr(candidate, "function", None)
            if function is not None and hasattr(function, "__code__"):
                codes.add(function.__code__)
    found = innermost = None
    tb = error.__traceback__
    while tb is not None:                           # the innermost frame of this transformation's code
        code = tb.tb_frame.f_code
        if code in codes:
            found = (code, tb.tb_lineno)
        if is_generated_file(code.co_filename):
            innermost = code
        tb = tb.tb_next
    if found is None or innermost is not found[0]:
        return None         # raised inside a helper's gradient: its call sites are noted (runtime/calls.py)
    code, lineno = found
    text = linecache.getline(code.co_filename, lineno).strip()
    return _origin(prepared, text, _in_reverse_sweep(code, lineno))


def generated_line_origin(prepared, code, lineno: int):
    """The user's location (a SourceLocation) of line `lineno` of `code`, one of `prepared`'s programs, or None."""
    site = _origin(prepared, linecache.getline(code.co_filename, lineno).strip(), False)
    return None if site is None else site[0]


def _in_reverse_sweep(code, lineno: int) -> bool:
    """Is line `lineno` below the `# reverse sweep` comment of the generated function?"""
    for number in range(code.co_firstlineno, lineno):
        if linecache.getline(code.co_filename, number).strip().startswith("# reverse sweep"):
            return True
    return False


def _origin(prepared, text: str, reverse: bool):
    """The user's location of generated line `text` and whether it is a line of the reverse sweep."""
    try:
        statement = ast.parse(text.rstrip(":") + (":\n    pass" if text.endswith(":") else "")).body[0]
    except SyntaxError:
        return None
    assigning = {}                                  # single-assignment name -> its statement
    for stmt in assignments(prepared.ssa.body):
        assigning.setdefault(stmt.targets[0].id, stmt)
    targets, reads = _names(statement)
    if reverse:          # a reverse line reads the adjoint of the operation it differentiates
        for name in reads + targets:
            if name.startswith("d") and name[1:] in assigning and name not in assigning:
                return _located(prepared, assigning[name[1:]], reverse)
    for name in targets:                # a forward line assigns one of the operation's names
        if name in assigning:
            return _located(prepared, assigning[name], reverse)
    return None


def _located(prepared, stmt, reverse: bool):
    location = prepared.source.location(stmt)
    return (location, reverse) if location is not None else None


def _names(statement) -> tuple[list, list]:
    if isinstance(statement, ast.Assign):
        stored = [n.id for t in statement.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        value = statement.value
    elif isinstance(statement, ast.AugAssign):
        stored = [n.id for n in ast.walk(statement.target) if isinstance(n, ast.Name)]
        value = statement.value
    else:
        stored, value = [], statement
    read = [n.id for n in ast.walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return stored, read

