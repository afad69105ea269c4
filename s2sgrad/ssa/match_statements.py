"""`match` statements become `if`/`elif` chains, before jumps are structured and names versioned.

    match method:                         if method == "euler":
        case "euler":                         y = y + h * f(y)
            y = y + h * f(y)       ->     elif method == "midpoint" or method == "rk2":
        case "midpoint" | "rk2":              ...
            ...                           else:
        case other:                           other = method
            raise ValueError(other)           raise ValueError(other)

The patterns numeric code uses to pick an option are lowered: literals and dotted
names (compared with `==`), `None`/`True`/`False` (compared with `is`), `|` of
those, a capture name, `_`, `<pattern> as name`, and guards. A capture is the
subject itself, so a guard reading it reads the subject. Sequence, mapping and
class patterns destructure and test types; they are refused with their line.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedConstructError
from . import ast_build as build
from .names import NameAllocator


def lower_match_statements(src) -> None:
    """Rewrite every `match` in `src.tree` (a FunctionSource's tree) in place."""
    if not any(isinstance(node, gast.Match) for node in gast.walk(src.tree)):
        return
    namer = NameAllocator.for_tree(src.tree)
    for node in gast.walk(src.tree):        # capture names are strings, not Name nodes: keep them taken too
        if isinstance(node, (gast.MatchAs, gast.MatchStar)) and node.name:
            namer.claim(node.name)
    _Lowering(src, namer).visit(src.tree)


class _Lowering(gast.NodeTransformer):
    def __init__(self, src, namer: NameAllocator):
        self.src = src
        self.namer = namer

    def visit_Match(self, node):
        self.generic_visit(node)            # a match inside a case body first
        statements = []
        subject = node.subject
        if not isinstance(subject, gast.Name):      # evaluated once, as Python does
            name = self.namer.claim("subject")
            statements.append(build.assign(name, subject, node))
            subject = build.load(name)
        chain = None
        for case in reversed(node.cases):
            test, captured = self._pattern(case.pattern, subject)
            body = [build.assign(name, build.load(subject.id), case.pattern) for name in captured] + case.body
            if case.guard is not None:
                guard = _substituted(case.guard, captured, subject.id)
                test = guard if test is None else gast.BoolOp(op=gast.And(), values=[test, guard])
            if test is None:                # `case _:` or `case name:`, always the last case
                chain = body
                continue
            branch = gast.If(test=test, body=body, orelse=chain or [])
            _locate(branch, case.pattern, node)
            chain = [branch]
        statements.extend(chain or [gast.Pass()])
        for statement in statements:
            if not hasattr(statement, "lineno"):
                _locate(statement, node, node)
        return statements

    def _pattern(self, pattern, subject):
        """(the test that `pattern` matches `subject`, or None if it always does; the names it captures)."""
        if isinstance(pattern, gast.MatchValue):
            return gast.Compare(left=build.load(subject.id), ops=[gast.Eq()], comparators=[pattern.value]), []
        if isinstance(pattern, gast.MatchSingleton):
            constant = gast.Constant(value=pattern.value, kind=None)
            return gast.Compare(left=build.load(subject.id), ops=[gast.Is()], comparators=[constant]), []
        if isinstance(pattern, gast.MatchAs):
            test, captured = (None, []) if pattern.pattern is None else self._pattern(pattern.pattern, subject)
            return test, captured + ([pattern.name] if pattern.name else [])
        if isinstance(pattern, gast.MatchOr):
            tests = []
            for alternative in pattern.patterns:
                test, captured = self._pattern(alternative, subject)
                if captured:
                    raise self._refuse(alternative, "a capture name inside a `|` pattern",
                                       "capture the whole alternative with `as`: case (\"a\" | \"b\") as name:")
                if test is None:
                    return None, []
                tests.append(test)
            return gast.BoolOp(op=gast.Or(), values=tests), []
        kind = {"MatchSequence": "a sequence pattern", "MatchMapping": "a mapping pattern",
                "MatchClass": "a class pattern", "MatchStar": "a starred pattern"}.get(type(pattern).__name__,
                                                                                      "this pattern")
        raise self._refuse(pattern, f"{kind} in a `match` statement",
                           "match on a literal, a dotted constant, None/True/False, `|` of those, or a name; "
                           "test the structure with `if` (isinstance, len, indexing) instead")

    def _refuse(self, node, what: str, hint: str) -> UnsupportedConstructError:
        return UnsupportedConstructError(what, self.src.location(node), hint)


def _substituted(guard, captured: list[str], subject: str):
    """`guard` reading the subject where it reads a captured name (a capture is the subject)."""
    if not captured:
        return guard

    class Rename(gast.NodeTransformer):
        def visit_Name(self, node):
            if node.id in captured and isinstance(node.ctx, gast.Load):
                return gast.copy_location(build.load(subject), node)
            return node
    return Rename().visit(guard)


def _locate(statement, start, whole) -> None:
    """Give a made statement `start`'s position and the whole `match`'s end: what the statement
    assigns may be read after the match (the normalizer asks where the statement ends)."""
    gast.copy_location(statement, start)
    statement.end_lineno = getattr(whole, "end_lineno", None)
    statement.end_col_offset = getattr(whole, "end_col_offset", None)
