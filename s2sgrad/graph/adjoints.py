"""Give every variable of a trace its adjoint, with the rules the generated code uses.

The trace is walked from the output back to the inputs. For each operation,
`ReverseEmitter.contributions` gives each operand's contribution as the very
expression the generated gradient would contain (`db = du * c`); here it is
evaluated with the values that operation instance read, and added to the
operand's variable. So the numbers on the drawing are the generated code's,
iteration by iteration, not a second implementation of the derivatives.
"""
from __future__ import annotations

import ast
import copy

import gast
import numpy as np

from ..analysis.list_operands import converted_operands
from ..analysis.primitives import CALL
from ..reverse.emitter import IndexContribution
from ..runtime import add_at, zeros_like
from ..runtime.containers import add_adjoints
from ..transform import reverse_emitter
from ..runtime.calls import closure_values


def adjoint_plans(prepared, wrt, kinds, function) -> "_Plans":
    """The reverse plans of the specialization the generated code for these arguments uses (`kinds`),
    reading the globals and closure cells of `function`, the one drawn.

    Made before the trace: a call to another function runs in the trace as the generated code runs it,
    `call_forward`, once, and the record it leaves is what its adjoint is taken from (`call_backward`).
    """
    emitter, _ = reverse_emitter(prepared, tuple(wrt), *kinds[:3])
    return _Plans(emitter, prepared.ir.resolve, function)     # the trace walks the prepared statements


def backpropagate(trace, plans: "_Plans", wrt):
    """Set `adjoint`/`has_adjoint` on the trace's variables; returns the adjoint names used (AdjointNames)."""
    emitter = plans.emitter
    varied, names = emitter.varied, emitter.adjoint
    output = trace.output
    if output.name in varied and output.kind != "constant":
        _accumulate(output, 1.0)
    for op in reversed(trace.operations):
        result = op.result
        if not result.has_adjoint or result.name not in varied:
            continue
        pending, contributions = plans.get(op.stmt, result.name)
        scope = {name: var.value for name, var in op.inputs.items()}
        for name in plans.arrays.get(id(op.stmt), ()):      # as the generated code does: np.asarray([x, y])
            scope[name] = np.asarray(scope[name])
        scope[result.name] = result.value
        scope[names(result.name)] = result.adjoint
        if op.record is not None:     # the record this call's run left in the trace
            scope[plans.record_name(op.stmt)] = op.record
        for targets, unpack, code in pending:     # `d_t = ...`, or `dx_f, dw_f = call_backward(f_record, dy)`
            value = plans.run(code, scope)
            scope.update(zip(targets, value) if unpack else [(targets[0], value)])
        for name, code, scattered in contributions:
            var = op.inputs[name]
            if scattered is not None:     # `v[key]`, `v.w`, `v.layer(x)` send their adjoint to that part of v's
                _scatter(var, op.key if scattered is _TRACED_KEY else scattered, plans.run(code, scope))
            else:
                _accumulate(var, plans.run(code, scope))
    for name in wrt:                  # a parameter nothing flowed into has adjoint 0, as the code says
        var = trace.params[name]
        if not var.has_adjoint:
            _accumulate(var, plans.run(plans.compile(emitter.zero(name)), {name: var.value}))
    return names


_TRACED_KEY = object()          # a scattered contribution whose key is the index the trace evaluated


def _target_names(target) -> list[str]:
    return [target.id] if isinstance(target, gast.Name) else [e.id for e in target.elts]


def _accumulate(var, value) -> None:
    var.adjoint = value if not var.has_adjoint else add_adjoints(var.adjoint, value)   # containers entry by entry
    var.has_adjoint = True


def _scatter(var, key, value) -> None:
    # a fresh array: the adjoint drawn on another node may be this very object
    base = copy.copy(var.adjoint) if var.has_adjoint else zeros_like(var.value)
    var.adjoint = add_at(base, key, value)
    var.has_adjoint = True


class _Plans:
    """The contributions of each statement of the single-assignment form, compiled once.

    Every dynamic instance of a statement (each loop iteration) evaluates the
    same expressions, with that instance's values.
    """

    def __init__(self, emitter, resolve, function):
        self.emitter = emitter
        self.resolve = resolve
        self.plans: dict[int, tuple] = {}
        self.arrays: dict[int, set] = {}       # id(stmt) -> its list operands the generated code makes arrays
        self.calls: dict[int, tuple] = {}      # id(stmt) -> (stmt, its `call_forward(...)`, its record's name)
        # what the function reads besides its locals, and the helpers, are globals here,
        # so a generator expression in a rule template finds them too
        self.globals = {**function.__globals__, **closure_values(function)}

    def get(self, stmt, target: str):
        plan = self.plans.get(id(stmt))
        if plan is None:
            prim = self.resolve(stmt.value, stmt)
            self.arrays[id(stmt)] = converted_operands(prim, self.emitter.number_lists)
            # the emitter turns a call's statement into `y, f_record = call_forward(...)`: on a copy, the
            # prepared statement is shared by every specialization
            emitted = copy.deepcopy(stmt) if prim.rule == CALL else stmt
            plan = self.emitter.operation_plan(prim, emitted, target)
            if emitted is not stmt and isinstance(emitted.targets[0], gast.Tuple):
                record = emitted.targets[0].elts[1].id
                self.calls[id(stmt)] = (stmt, self.compile(emitted.value), record)
            compiled = []
            for name, c in plan.contributions:
                if isinstance(c, IndexContribution):
                    # a field's or a called attribute's name is its key; a subscript's, the index the trace read
                    key = c.index.value if isinstance(c.index, gast.Constant) else _TRACED_KEY
                    compiled.append((name, self.compile(c.value), key))
                else:
                    compiled.append((name, self.compile(c), None))
            pending = [(_target_names(s.targets[0]), isinstance(s.targets[0], gast.Tuple), self.compile(s.value))
                       for s in plan.pending]
            plan = self.plans[id(stmt)] = (pending, compiled)
        return plan

    def recorded_call(self, stmt):
        """For the trace: `run(values) -> (value, record)` if the generated code runs `stmt` as a recorded
        call (its result carries a derivative from an argument or a captured value), else None."""
        if not isinstance(stmt.value, gast.Call) or len(stmt.targets) != 1 \
                or not isinstance(stmt.targets[0], gast.Name) or stmt.targets[0].id not in self.emitter.varied:
            return None
        if id(stmt) not in self.plans:
            if self.resolve(stmt.value, stmt).rule != CALL:
                return None
            self.get(stmt, stmt.targets[0].id)
        if id(stmt) not in self.calls:          # no argument of the call carries a derivative
            return None
        code = self.calls[id(stmt)][1]
        return lambda values: self.run(code, values)

    def record_name(self, stmt) -> str:
        return self.calls[id(stmt)][2]

    def compile(self, expr: gast.expr):
        self.globals.update(self.emitter.bindings.objects)     # helpers the expression was just given
        tree = ast.fix_missing_locations(gast.gast_to_ast(gast.Expression(body=copy.deepcopy(expr))))
        return compile(tree, "<s2sgrad adjoint>", "eval")

    def run(self, code, scope: dict):
        return eval(code, {**self.globals, **scope})
