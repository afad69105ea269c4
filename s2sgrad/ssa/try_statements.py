"""`try` statements: each statement of the body tried on its own, the handlers chosen by a branch.

The forward sweep must run the body as written, stopping where it raises, and
the reverse sweep must replay the adjoints of exactly the statements that ran.
So every statement of the body becomes an `if` on its own attempt
(runtime/attempts.py), true exactly when that statement ran to the end; the
handlers become a branch on the exception the attempts caught:

    try:                                 ran = attempt()
        y = math.log(x)                  if ran:                  # printed as try: ... except ValueError:
        y = y * 2                            y = math.log(x)
    except ValueError as e:              ran_1 = attempt(ran)     # true only if the statement before ran
        y = 0.0                          if ran_1:
                                             y = y * 2
                                         error = caught_error(ran_1)
                                         if error is not None:
                                             e = error
                                             y = 0.0

Every later pass sees branches: single-assignment form merges what a statement
assigns with its old value (which is what it keeps when the statement raises),
the reverse sweep runs a statement's adjoints under `if ran_1:`, and inside a
loop the attempts go on the tape like any branch's flag, and a statement's own
tape entries are pushed at the end of its branch, once it has completed. The
printer writes each marked `if` as a `try` whose `except` clause catches what
the handlers catch (codegen/try_blocks.py). A bare `raise` in a handler raises
the caught exception again. `else` runs when nothing was raised, `finally` after
all of it (see the end of this note for an exception that leaves).

A `for` loop of the body is tried part by part: the sequence it runs over, then
each statement of each iteration, chained across iterations, the loop leaving at
the first that raised (had the whole loop been one tried statement raising in
its fifth iteration, the four before would have pushed tape entries that no
adjoint pops); a `while` loop likewise, its test tried at the top of each
iteration. So is an `if` holding such a loop, and, inside a loop, an `if`
holding any block: its test, then each statement of the branch that runs.

What cannot be replayed that way is refused, naming the line:
- a `for ... else` or `while ... else` in the body (the clause would run outside
  the tried statements);
- a loop inside a `try` inside the body, and, inside a loop, such a `try` whose
  handlers or statements hold blocks, for the same reason as above;
- a `with` block inside the body, a `return`/`break`/`continue` when there is a
  `finally` (the `finally` must run after them), and handler types read from the
  function's own variables.
With a `finally` clause every exception is caught (a bare `except:`), so the
`finally` statements run before one that no handler takes is raised again
(`raise unhandled`), as Python runs them; an exception that a handler or the
`else` clause raises leaves without them.
"""
from __future__ import annotations

import copy

import gast

from ..analysis.resolve import dotted_name, resolve_global
from ..codegen.try_blocks import mark_tried
from ..codegen.with_blocks import is_marker
from ..errors import UnsupportedConstructError
from ..runtime.attempts import attempt, caught_error, failed
from . import ast_build as build
from .ast_build import located_at
from .names import NameAllocator


def lower_try_statements(src) -> dict:
    """Rewrite, in place, every `try` statement of `src.tree` (a FunctionSource) as attempts and branches, or
    refuse it with its line; returns {name: runtime helper} for the helpers the rewritten code calls."""
    if not _has_try(src.tree.body):
        return {}
    lowering = _Lowering(src)
    lowering.block(src.tree.body, in_loop=False)
    return lowering.runtime


class _Lowering:
    def __init__(self, src):
        self.src = src
        self.namer = NameAllocator.for_tree(src.tree)
        self.local = {n.id for n in gast.walk(src.tree)
                      if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Param))}
        self.runtime: dict = {}
        self.attempts = {stmt.targets[0].id for stmt in gast.walk(src.tree)
                         if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name)
                         and isinstance(stmt.value, gast.Call) and self.resolves_to(stmt.value.func, attempt)}

    def resolves_to(self, func, function) -> bool:
        dotted = dotted_name(func)
        return dotted is not None and dotted.split(".")[0] not in self.local \
            and resolve_global(dotted, self.src.globals, self.src.closure) is function

    def block(self, stmts: list, in_loop: bool) -> None:
        out = []
        for stmt in stmts:
            if isinstance(stmt, build.NESTED_SCOPES):
                out.append(stmt)
                continue
            inner_loop = in_loop or isinstance(stmt, (gast.For, gast.While))
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list):
                    self.block(inner, inner_loop if field == "body" else in_loop)
            for handler in getattr(stmt, "handlers", None) or ():
                self.block(handler.body, in_loop)
            if isinstance(stmt, gast.Try):
                out.extend(self.try_statement(stmt, in_loop))
            else:
                out.append(stmt)
        stmts[:] = out

    # ---- one `try` ----------------------------------------------------------------------------
    def try_statement(self, stmt: gast.Try, in_loop: bool) -> list:
        self.refuse(stmt, in_loop)
        # with a `finally`, every exception is caught, so the `finally` runs before one no handler takes is
        # raised again
        catches = self.caught_types(stmt) if not stmt.finalbody else None
        out, previous = self.tried(stmt.body, None, catches, split=in_loop)
        error = self.namer.claim("error")
        where = stmt.handlers[0] if stmt.handlers else stmt.finalbody[0]
        out.append(located_at(build.assign(error, build.call(self.helper("caught_error", caught_error),
                                                             build.load(previous))), where))
        unhandled = self.namer.claim("unhandled") if stmt.finalbody else None
        if unhandled is not None:
            out.append(located_at(build.assign(unhandled, build.const(None)), where))
        out.append(self.dispatch(stmt, error, unhandled, where))
        out.extend(stmt.finalbody)
        if unhandled is not None:       # `raise unhandled` once the `finally` ran
            test = gast.Compare(left=build.load(unhandled), ops=[gast.IsNot()], comparators=[build.const(None)])
            again = gast.If(test=test, body=[gast.Raise(exc=build.load(unhandled), cause=None)], orelse=[])
            out.append(_lowered(located_at(again, stmt.finalbody[-1])))
        return out

    def tried(self, stmts, previous, catches, split: bool) -> tuple[list, str | None]:
        """Each statement as an `if` on its own attempt, chained to `previous` (statements, the last attempt).
        With `split` (inside a loop), an `if` of the user's holding blocks of its own is tried part by part."""
        out = []
        for stmt in stmts:
            if isinstance(stmt, gast.For) and not getattr(stmt, _LOWERED, False):
                more, previous = self.tried_loop(stmt, previous, catches)
                out += more
                continue
            if isinstance(stmt, gast.While) and not getattr(stmt, _LOWERED, False):
                more, previous = self.tried_while(stmt, previous, catches)
                out += more
                continue
            inner = [s for s in _statements(_blocks_of(stmt)) if isinstance(s, _COMPOUND)]
            if isinstance(stmt, gast.If) and not getattr(stmt, _LOWERED, False) \
                    and (split and inner or any(isinstance(s, (gast.For, gast.While)) for s in inner)):
                more, previous = self.tried_branch(stmt, previous, catches)
                out += more
                continue
            ran = self.namer.claim("ran")
            make = build.call(self.helper("attempt", attempt), *([build.load(previous)] if previous else []))
            out.append(located_at(mark_tried(build.assign(ran, make), catches, first=previous is None), stmt))
            out.append(_lowered(located_at(gast.If(test=build.load(ran), body=[stmt], orelse=[]), stmt)))
            previous = ran
        return out, previous

    def tried_branch(self, node: gast.If, previous, catches) -> tuple[list, str]:
        """An `if` inside a loop's `try` body, tried part by part: its test, then each statement of the branch
        that runs, so a block inside it never stands in a tried statement that may raise after the block
        pushed its tape entries. The branches end on one name for their last attempt."""
        condition = self.namer.claim("condition")
        out = [located_at(build.assign(condition, build.const(False)), node)]     # False where the test raised
        tested, previous = self.tried([located_at(build.assign(condition, node.test), node)], previous, catches, False)
        body, after_body = self.tried(node.body, previous, catches, True)
        orelse, after_orelse = self.tried(node.orelse, previous, catches, True)
        last = self.namer.claim("ran")
        body.append(located_at(build.assign(last, build.load(after_body)), node))
        orelse.append(located_at(build.assign(last, build.load(after_orelse)), node))
        return out + tested + [_lowered(located_at(gast.If(test=build.load(condition), body=body, orelse=orelse),
                                                   node))], last

    def tried_loop(self, node: gast.For, previous, catches) -> tuple[list, str]:
        """A `for` loop of a `try` body, tried part by part: the sequence it runs over, then each statement of
        each iteration, chained across iterations, the loop leaving at the first that raised; so its
        iterations' tape entries are pushed once each completed. (What the loop header itself raises as it
        goes, unpacking `i, v` or a generator's next value, is not caught: the function fails with it.)"""
        items = self.namer.claim("items")
        out = [located_at(build.assign(items, build.const(None)), node)]
        tested, previous = self.tried([located_at(build.assign(items, node.iter), node)], previous, catches, False)
        # whether the sequence was made: a plain flag (an `if` on the attempt itself would print as a `try`)
        listed = self.namer.claim(f"{items}_made")
        last = self.namer.claim("ran")
        out += tested + [located_at(build.assign(listed, build.call("bool", build.load(previous))), node),
                         located_at(build.assign(last, build.load(previous)), node)]
        body, after = self.tried(node.body, last, catches, True)
        stop = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=build.load(last)), body=[gast.Break()], orelse=[])
        body += [located_at(build.assign(last, build.load(after)), node), _lowered(located_at(stop, node))]
        loop = _lowered(located_at(gast.For(target=node.target, iter=build.load(items), body=body, orelse=[],
                                            type_comment=None), node))
        return out + [_lowered(located_at(gast.If(test=build.load(listed), body=[loop], orelse=[]), node))], last

    def tried_while(self, node: gast.While, previous, catches) -> tuple[list, str]:
        """A `while` loop of a `try` body, tried part by part: at the top of each iteration its test, then each
        statement of the body, chained across iterations; the loop leaves when the test is false or when
        something raised (written `while True:`, so a `continue` still comes back to the test)."""
        running, last = self.namer.claim("running"), self.namer.claim("ran")
        out = [located_at(build.assign(running, build.const(False)), node)]
        if previous is None:            # the chain starts before the loop
            previous = self.namer.claim("ran")
            out.append(located_at(build.assign(previous, build.call(self.helper("attempt", attempt))), node))
        out.append(located_at(build.assign(last, build.load(previous)), node))
        tested, after_test = self.tried([located_at(build.assign(running, node.test), node)], last, catches, False)
        leave = [gast.If(test=gast.UnaryOp(op=gast.Not(), operand=build.load(last)), body=[gast.Break()], orelse=[]),
                 gast.If(test=gast.UnaryOp(op=gast.Not(), operand=build.load(running)), body=[gast.Break()],
                         orelse=[])]
        body, after = self.tried(node.body, last, catches, True)
        statements = tested + [build.assign(last, build.load(after_test)), *leave] + body \
            + [build.assign(last, build.load(after))]
        loop = gast.While(test=build.const(True), body=[_lowered(located_at(s, node)) for s in statements], orelse=[])
        return out + [_lowered(located_at(loop, node))], last

    def dispatch(self, stmt: gast.Try, error: str, unhandled: str | None, where) -> gast.If:
        """`if error is None: <else clause>` then one branch per handler, in order (the first whose type
        matches, as Python chooses). Without a `finally` the last needs no test (the `except` clause caught
        nothing else); with one, an exception no handler takes is kept in `unhandled`."""
        chain: list = [build.assign(unhandled, build.load(error))] if unhandled is not None else []
        for handler in reversed(stmt.handlers):
            body = self.handler_body(handler, error)
            if not chain or handler.type is None:
                chain = body
                continue
            test = build.call("isinstance", build.load(error), copy.deepcopy(handler.type))
            chain = [located_at(gast.If(test=test, body=body, orelse=chain), handler)]
        if stmt.orelse:
            test = gast.Compare(left=build.load(error), ops=[gast.Is()], comparators=[build.const(None)])
            node = gast.If(test=test, body=list(stmt.orelse), orelse=chain)
        else:
            test = gast.Compare(left=build.load(error), ops=[gast.IsNot()], comparators=[build.const(None)])
            node = gast.If(test=test, body=chain, orelse=[])
        _lowered(located_at(node, where))
        last = (stmt.orelse or (stmt.handlers[-1].body if stmt.handlers else [where]))[-1]
        node.end_lineno, node.end_col_offset = last.end_lineno, last.end_col_offset
        return node

    def handler_body(self, handler: gast.ExceptHandler, error: str) -> list:
        body = [self.recorded_failure(_BareRaise(error).visit(s), error) for s in handler.body]
        if handler.name is not None:        # `except E as e`: e is the caught exception
            name = handler.name.id if isinstance(handler.name, gast.Name) else handler.name
            body.insert(0, located_at(build.assign(name, build.load(error)), handler))
        return body or [gast.Pass()]

    def recorded_failure(self, stmt, error: str):
        """In a gradient's generated code differentiated again, its own `ran.failed()` (codegen/try_blocks.py)
        is the runtime's `failed(ran, error)`: a flag set, with no derivative."""
        call = stmt.value if isinstance(stmt, gast.Expr) else None
        if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and call.func.attr == "failed" \
                and isinstance(call.func.value, gast.Name) and call.func.value.id in self.attempts and not call.args:
            return gast.copy_location(gast.Expr(value=build.call(self.helper("failed", failed), call.func.value,
                                                       build.load(error))), stmt)
        return stmt

    def caught_types(self, stmt: gast.Try):
        """The `except` clause the printed code tries each statement with: the handlers' types together."""
        types = []
        for handler in stmt.handlers:
            if handler.type is None:
                return None                 # a bare `except:` catches everything
            types += handler.type.elts if isinstance(handler.type, gast.Tuple) else [handler.type]
        if len(types) == 1:
            return copy.deepcopy(types[0])
        return gast.Tuple(elts=[copy.deepcopy(t) for t in types], ctx=gast.Load())

    def helper(self, canonical: str, function) -> str:
        if canonical not in self.local and resolve_global(canonical, self.src.globals, self.src.closure) is function:
            return canonical            # a gradient's generated code differentiated again has it already
        for name, bound in self.runtime.items():
            if bound is function:
                return name
        name = self.namer.claim(canonical)
        self.runtime[name] = function
        return name

    # ---- refusals -----------------------------------------------------------------------------
    def refuse(self, stmt: gast.Try, in_loop: bool) -> None:
        for handler in stmt.handlers:
            read = sorted({n.id for n in gast.walk(handler.type) if isinstance(n, gast.Name) and n.id in self.local}) \
                if handler.type is not None else []
            if read:
                raise UnsupportedConstructError(
                    f"an `except` clause whose exception type is read from `{read[0]}`, a variable of the "
                    "function", self.src.location(handler),
                    "name the exception class itself (a module-level name, such as `ValueError`)")
        for node in _statements(stmt.body):
            if is_marker(node):
                raise UnsupportedConstructError(
                    "a `with` block inside a `try` body", self.src.location(node),
                    "put the `try` statement inside the `with` block")
            if isinstance(node, (gast.For, gast.While)) and node.orelse:
                kind = "while" if isinstance(node, gast.While) else "for"
                raise UnsupportedConstructError(
                    f"a `{kind} ... else` loop inside a `try` body: its `else` clause would run outside the "
                    "statements s2sgrad tries one by one", self.src.location(node),
                    "set a flag before `break` and test it after the loop, or move the loop into a helper "
                    "function and call that inside the `try`")
        for top in stmt.body:       # a `try` inside this one is one tried statement: no loop may stand in it
            loop = next((n for n in _statements(_blocks_of(top)) if isinstance(n, (gast.For, gast.While))), None) \
                if getattr(top, _LOWERED, False) else None
            if loop is not None:
                raise UnsupportedConstructError(
                    "a loop inside a `try` inside a `try` body: had it raised partway, the tape entries of the "
                    "iterations before would be left over", self.src.location(loop),
                    "move the inner `try` into a helper function and call that inside the outer `try`")
        if in_loop:         # what stays one tried statement: the `if`s a `try` inside this one became
            for top in stmt.body:
                if not getattr(top, _LOWERED, False):
                    continue
                nested = next((n for n in _statements(_blocks_of(top)) if isinstance(n, _COMPOUND)), None)
                if nested is not None:
                    raise UnsupportedConstructError(
                        "inside a loop, a `try` inside a `try` body whose handlers or statements hold blocks: "
                        "had it raised after an inner block completed, that block's tape entries would be left "
                        "over", self.src.location(nested),
                        "move the inner `try` into a helper function and call that inside the outer `try`")
        if stmt.finalbody:
            for part in [stmt.body, stmt.orelse, *[h.body for h in stmt.handlers]]:
                jump = next((n for n in _jumps(part)), None)
                if jump is not None:
                    raise UnsupportedConstructError(
                        f"`{type(jump).__name__.lower()}` inside a `try` statement that has a `finally` clause",
                        self.src.location(jump),
                        "assign the result to a variable and leave the `try` statement at its end")
        jump = next((n for n in _jumps(stmt.finalbody)), None)
        if jump is not None:
            raise UnsupportedConstructError(
                f"`{type(jump).__name__.lower()}` inside a `finally` clause", self.src.location(jump),
                "assign the result to a variable and leave the `finally` clause at its end")


class _BareRaise(gast.NodeTransformer):
    """A bare `raise` in a handler raises the caught exception again: `raise error` (not inside nested
    functions, nor the handlers of a `try` inside, which were rewritten with their own exception first)."""

    def __init__(self, error: str):
        self.error = error

    def visit_Raise(self, node):
        if node.exc is None:
            return gast.copy_location(gast.Raise(exc=build.load(self.error), cause=None), node)
        return node

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _statements(stmts):
    """Every statement in `stmts` and the blocks inside them, outside nested functions and classes."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, build.NESTED_SCOPES):
            continue
        yield from _statements(_blocks_of(stmt))


def _blocks_of(stmt) -> list:
    if isinstance(stmt, build.NESTED_SCOPES):
        return []
    inner = []
    for field in ("body", "orelse", "finalbody"):
        block = getattr(stmt, field, None)
        if isinstance(block, list):
            inner += block
    for part in getattr(stmt, "handlers", None) or getattr(stmt, "cases", None) or ():
        inner += part.body
    return inner


def _jumps(stmts, loops: int = 0):
    """`return` anywhere, and `break`/`continue` not inside a loop of their own, in `stmts`."""
    for stmt in stmts:
        if isinstance(stmt, gast.Return) or (isinstance(stmt, (gast.Break, gast.Continue)) and loops == 0):
            yield stmt
        if isinstance(stmt, build.NESTED_SCOPES):
            continue
        inner = loops + isinstance(stmt, (gast.For, gast.While))
        yield from _jumps(_blocks_of(stmt), inner)


_LOWERED = "s2s_from_try"          # an `if` this lowering made (a tried statement's, the handlers')
_COMPOUND = (gast.If, gast.For, gast.While, gast.Try, gast.With)


def _lowered(node):
    setattr(node, _LOWERED, True)
    return node


def _has_try(stmts) -> bool:
    return any(isinstance(s, gast.Try) for s in _statements(stmts))


