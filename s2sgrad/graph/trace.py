"""Run the single-assignment form at given arguments and record the path it takes.

The result is a straight-line trace: every operation executed becomes one
`Operation`, every value it produced one `Variable`. Inside loops each
iteration produces new variables (the `s` of iteration 3 is not the `s` of
iteration 2), so the trace is the computation graph actually evaluated at
these arguments, branches resolved and loops unrolled.

Copies (`s = s_1`, which the normalizer adds to carry loop variables and merge
branches) make no new variable: the name just refers to the copied value from
then on, so the graph shows the computation and not the bookkeeping.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

import gast

from ..codegen.try_blocks import attempts_made
from ..errors import S2SGradError, UnsupportedConstructError
from ..runtime.calls import closure_values

# a trace this long would not be readable anyway, and holding it costs memory
MAX_OPERATIONS = 200_000


@dataclass(eq=False)
class LoopRun:
    """One execution of a loop statement (an inner loop runs once per outer iteration)."""

    index: int
    stmt: gast.stmt
    header: str                    # the loop's line in the user's source, e.g. "for i in range(n)"
    context: tuple                 # the iterations of enclosing loops it ran in
    iterations: int = 0
    broke: bool = False            # left early through `break` (a rewritten break or return)


@dataclass(eq=False)
class Variable:
    index: int
    name: str                      # the single-assignment name
    value: object
    context: tuple                 # ((LoopRun, iteration number from 1), ...) outermost first
    kind: str                      # "param", "value" (an operation's result), "constant", "index"
    producer: "Operation | None" = None
    adjoint: object = None         # set by adjoints.backpropagate; None: no adjoint flows here
    has_adjoint: bool = False


@dataclass(eq=False)
class Operation:
    index: int
    stmt: gast.Assign
    inputs: dict                   # every local name the operation reads -> the Variable it read
    operands: list                 # the Variables drawn as edges into it, in order
    result: Variable
    context: tuple
    key: object = None             # for `v[...]`: the index it read, as __getitem__ received it
    record: object = None          # for a call run as the gradient runs it: its CallRecord (runtime/calls.py)


@dataclass(eq=False)
class Decision:
    """An `if` evaluated once: which branch ran."""

    stmt: gast.If
    condition: str | None          # the user's condition ("x > y"); None for a test s2sgrad added itself
    taken: bool
    context: tuple


@dataclass
class Trace:
    function_name: str
    arguments: dict                # parameter name -> value
    variables: list = field(default_factory=list)
    operations: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    params: dict = field(default_factory=dict)       # parameter name -> Variable
    output: Variable | None = None


class _Break(Exception):
    pass


class _KeyOf:
    """`_KeyOf()[i, 1:3]` is the key `v[i, 1:3]` passes to __getitem__, whatever the index syntax."""

    def __getitem__(self, key):
        return key


_KEY_OF_NAME = "__s2sgrad_key_of"
_KEY_OF = gast.Name(id=_KEY_OF_NAME, ctx=gast.Load(), annotation=None, type_comment=None)


class TraceTooLongError(S2SGradError):
    """The function runs too many operations at these arguments to draw."""


def trace(ssa, arguments: dict, function, calls=None) -> Trace:
    """Evaluate `ssa` (an SSAFunction) with `arguments` (every parameter bound), reading the globals and
    closure cells of `function`: one transformation may serve several closures of the same code.

    `calls(stmt)` gives, for a call the gradient code records, `run(values) -> (value, record)`: the call
    runs that way, once, and its operation keeps the record for its adjoint (None: evaluated plainly).
    """
    return _Tracer(ssa, arguments, function, calls).run()


class _Tracer:
    def __init__(self, ssa, arguments: dict, function, calls=None):
        self.ssa = ssa
        self.calls = calls
        self.src = ssa.source
        self.globals = function.__globals__
        self.result = Trace(self.src.name, dict(arguments))
        self.values: dict[str, object] = closure_values(function)
        self.values.update(ssa.runtime or {})        # the helpers the form calls by name (copy_of)
        self.values[_KEY_OF_NAME] = _KeyOf()
        self.current: dict[str, Variable] = {}   # local name -> the Variable it holds now
        self.context: tuple = ()
        self.compiled: dict[int, tuple] = {}
        self.key_probes: dict[int, gast.Subscript] = {}
        # attempts of a `try` body's statements: the `if`s on them run as the generated code's `try`s
        self.attempts = attempts_made(ssa.body)
        for name in ssa.params:
            var = self.new_variable(name, arguments[name], "param")
            self.result.params[name] = var

    def run(self) -> Trace:
        body = self.ssa.body
        self.block(body[:-1])
        output = body[-1].value
        if isinstance(output, gast.Name) and output.id in self.current:
            self.result.output = self.current[output.id]
        else:                         # `return 0.0`: a constant output, named as the function
            self.result.output = self.new_variable(self.src.name, self.evaluate(output), "constant")
        return self.result

    # ---- values -------------------------------------------------------
    def new_variable(self, name: str, value, kind: str) -> Variable:
        var = Variable(len(self.result.variables), name, value, self.context, kind)
        self.result.variables.append(var)
        self.bind(name, var)
        return var

    def bind(self, name: str, var: Variable) -> None:
        self.current[name] = var
        self.values[name] = var.value

    def evaluate(self, expr: gast.expr):
        compiled = self.compiled.get(id(expr))
        if compiled is None:
            tree = ast.fix_missing_locations(gast.gast_to_ast(gast.Expression(body=expr)))
            # keeping `expr` alive keeps its id from being reused by another node
            compiled = self.compiled[id(expr)] = (expr, compile(tree, self.src.filename, "eval"))
        return eval(compiled[1], self.globals, self.values)

    def key_of(self, subscript: gast.Subscript) -> gast.Subscript:
        """`__s2sgrad_key_of[<the same index>]`: one per subscript, so it is compiled once."""
        probe = self.key_probes.get(id(subscript))
        if probe is None:
            probe = self.key_probes[id(subscript)] = gast.Subscript(value=_KEY_OF, slice=subscript.slice,
                                                                   ctx=gast.Load())
        return probe

    # ---- statements ---------------------------------------------------
    def block(self, stmts) -> None:
        for stmt in stmts:
            handler = getattr(self, f"stmt_{type(stmt).__name__}", None)
            if handler is None:
                raise S2SGradError(f"graph: unexpected `{type(stmt).__name__}` in the single-assignment form")
            handler(stmt)

    def stmt_Assign(self, stmt) -> None:
        if isinstance(stmt.targets[0], gast.Subscript):
            # a node holds one value; a write into an array would change the value drawn on earlier nodes
            raise UnsupportedConstructError(
                "an in-place assignment (`x[i] = v`) in a graph drawing", self.src.location(stmt),
                "the graph draws each value once, so it cannot show an array changed in place; build the new "
                "array instead (np.where(mask, v, y), np.concatenate of the pieces) to draw it, or print the "
                "gradient's code with s2sgrad.show")
        target = stmt.targets[0].id
        value = stmt.value
        if isinstance(value, gast.Name) and value.id in self.current:
            self.bind(target, self.current[value.id])          # a copy: same value, same node
            return
        run = self.calls(stmt) if self.calls is not None and isinstance(value, gast.Call) else None
        record = None
        if run is not None:
            result, record = run(self.values)
        else:
            result = self.evaluate(value)
        inputs = {n.id: self.current[n.id] for n in gast.walk(value)
                  if isinstance(n, gast.Name) and n.id in self.current}
        if not inputs and _is_atom(value):
            self.new_variable(target, result, "constant")
            return
        if len(self.result.operations) >= MAX_OPERATIONS:
            raise TraceTooLongError(
                f"graph: {self.src.name} runs more than {MAX_OPERATIONS} operations at these arguments, "
                "too many to draw; call it with arguments that take fewer loop iterations")
        var = Variable(len(self.result.variables), target, result, self.context, "value")
        op = Operation(len(self.result.operations), stmt, inputs, _drawn_operands(value, self.current), var,
                       self.context, record=record)
        if isinstance(value, gast.Subscript):
            op.key = self.evaluate(self.key_of(value))
        var.producer = op
        self.result.variables.append(var)
        self.result.operations.append(op)
        self.bind(target, var)

    def stmt_Expr(self, stmt) -> None:
        self.evaluate(stmt.value)

    def stmt_Assert(self, stmt) -> None:
        if not self.evaluate(stmt.test):
            raise AssertionError(self.evaluate(stmt.msg) if stmt.msg is not None else None)

    def stmt_Raise(self, stmt) -> None:
        raise self.evaluate(stmt.exc)

    def stmt_Pass(self, stmt) -> None:
        pass

    def stmt_Break(self, stmt) -> None:
        raise _Break

    def stmt_If(self, stmt) -> None:
        taken = bool(self.evaluate(stmt.test))
        self.result.decisions.append(Decision(stmt, self.condition(stmt), taken, self.context))
        mark = self.attempts.get(stmt.test.id) if taken and isinstance(stmt.test, gast.Name) else None
        if mark is None:
            self.block(stmt.body if taken else stmt.orelse)
            return
        # a statement of a `try` body (ssa/try_statements.py): what it completed stays drawn, as in the gradient
        caught = self.evaluate(mark.catches) if mark.catches is not None else BaseException
        try:
            self.block(stmt.body)
        except caught:
            self.values[stmt.test.id].failed()
            self.block(stmt.orelse)

    def stmt_For(self, stmt) -> None:
        run = self.start_run(stmt)
        index = stmt.target.id
        try:
            for value in self.evaluate(stmt.iter):
                with self.iteration(run):
                    self.new_variable(index, value, "index")
                    self.block(stmt.body)
        except _Break:
            run.broke = True

    def stmt_While(self, stmt) -> None:
        run = self.start_run(stmt)
        try:
            while self.evaluate(stmt.test):
                with self.iteration(run):
                    self.block(stmt.body)
        except _Break:
            run.broke = True

    # ---- loops --------------------------------------------------------
    def start_run(self, stmt) -> LoopRun:
        run = LoopRun(len(self.result.runs), stmt, self.source_line(stmt), self.context)
        self.result.runs.append(run)
        return run

    def iteration(self, run: LoopRun):
        return _Iteration(self, run)

    def condition(self, stmt) -> str | None:
        """The condition as the user wrote it: of an `if`/`elif` line or of a conditional expression.

        Other `if`s of the single-assignment form were made by s2sgrad (the flags that
        replace `break` and `return`, short-circuit `and`/`or`) and are not the user's decisions.
        """
        location = self.src.location(stmt)
        if location is None:
            return None
        line = location.line_text.strip()
        starts_line = location.col == len(location.line_text) - len(location.line_text.lstrip())
        if starts_line and line.startswith(("if ", "elif ")) and line.endswith(":"):
            return line.split(" ", 1)[1][:-1].strip()
        if getattr(stmt, "end_lineno", None) != stmt.lineno:
            return None
        text = location.line_text[location.col:location.col + stmt.end_col_offset - stmt.col_offset]
        try:
            tree = ast.parse(text.strip())
        except SyntaxError:
            return None
        # `y = a if c else b` or a nested conditional expression: walking finds the outermost first
        conditional = next((n for n in ast.walk(tree) if isinstance(n, ast.IfExp)), None)
        return ast.unparse(conditional.test) if conditional is not None else None

    def source_line(self, stmt) -> str:
        location = self.src.location(stmt)
        text = location.line_text.strip() if location is not None else ""
        return text.rstrip(":").strip() or gast.unparse(stmt).splitlines()[0].rstrip(":")


class _Iteration:
    """Inside one iteration, new variables carry (run, iteration number) in their context."""

    def __init__(self, tracer: _Tracer, run: LoopRun):
        self.tracer = tracer
        self.run = run

    def __enter__(self):
        self.run.iterations += 1
        self.saved = self.tracer.context
        self.tracer.context = self.saved + ((self.run, self.run.iterations),)

    def __exit__(self, *exc):
        self.tracer.context = self.saved
        return False


def _is_atom(expr) -> bool:
    """A constant or a global reference: `1.0`, `-2`, `math.pi`, `W`."""
    if isinstance(expr, (gast.Constant, gast.Name)):
        return True
    if isinstance(expr, gast.UnaryOp):
        return isinstance(expr.operand, gast.Constant)
    if isinstance(expr, gast.Attribute):
        return _is_atom(expr.value)
    return False


def _drawn_operands(op, current: dict) -> list:
    """The local values the operation consumes as data; an index (`v[i]`) is shown in the label instead."""
    source = op.value if isinstance(op, gast.Subscript) else op
    return [current[n.id] for n in gast.walk(source) if isinstance(n, gast.Name) and n.id in current]


__all__ = ["Decision", "LoopRun", "Operation", "Trace", "TraceTooLongError", "Variable", "closure_values", "trace"]
