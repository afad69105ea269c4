"""Stage 4: emit the reverse sweep (the adjoint statements) from the single-assignment form.

Statements are visited last to first. For `y = op(a, b)` the rule of `op`
gives each active operand's contribution, e.g. `da += dy * b`. The first
contribution to an adjoint assigns it (`da = ...`), later ones add to it
(`da = da + ...`), so a variable used on several paths sums their gradients.

Control flow is reversed structurally: an `if` becomes an `if` on the same
decision, a loop becomes a loop over the same iterations backwards. Which
values the reverse sweep reads inside loops is settled afterwards by
`recording.py`, which puts exactly those on the tape.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import gast

from ..analysis.dataflow import appends, assigned_names, assignments, element_stores
from ..analysis.kinds import is_scalar_atom
from ..analysis.shapes import same_shape
from ..analysis.resolve import resolve_global
from ..analysis.recorded_calls import recorded_keywords
from ..analysis.primitives import CALL, COPY, FIELD, PACK, PACK_DICT, POP, SUBSCRIPT, Primitive
from ..codegen.with_blocks import is_marker, mirrored
from ..errors import NoDerivativeRuleError, UnsupportedConstructError
from ..optimize import merge_repeated_terms, simplify
from ..rules import NonDifferentiable, Rule
from ..runtime import HELPERS
from ..ssa import ast_build as build
from ..ssa.info import info_of
from ..ssa.user_terms import terms_of
from .shaped_adjoints import reduced_to_operand, shaped_adjoint, with_known_shapes
from .templates import bind_arguments, instantiate


@dataclass
class AdjointState:
    """Which adjoints hold a value at the current point of the reverse sweep."""

    defined: set[str] = field(default_factory=set)

    def copy(self) -> "AdjointState":
        return AdjointState(set(self.defined))


@dataclass
class IndexContribution:
    """The adjoint `value` of `container[index]`, to be scattered into the container's adjoint."""

    index: gast.expr
    value: gast.expr


@dataclass
class LoopReversal:
    """A forward loop body and its reversed counterpart, for the recording pass."""

    forward: gast.stmt
    reverse: gast.For
    body_reverse: list
    nested: bool = False


@dataclass
class BranchReversal:
    forward_block: list
    reverse_block: list
    merged: set[str]


@dataclass
class OperationPlan:
    """What the reverse sweep does for one operation: statements to run first (a callee's gradient,
    a tuple of adjoints), then each operand's contribution (an expression, or an IndexContribution)."""

    pending: list
    contributions: list             # (operand name, contribution)


@dataclass
class ReversePlan:
    """The reverse sweep and what the tape pass needs to know about it."""

    body: list                      # the reverse statements
    seed: str                       # the name of the output's adjoint, a parameter of the generated function
    loops: list                     # LoopReversal: forward loop beside its reversed loop
    branches: list                  # BranchReversal inside loops: their forward and reverse blocks
    unreversed: list                # (forward loop, its marker in the reverse sweep): loops with no adjoint


class ReverseEmitter:
    def __init__(self, ssa, resolve, varied: set[str], scalars: set[str], adjoint_names, bindings,
                 containers: set[str] = frozenset(), shapes: dict | None = None):
        self.containers = containers     # names that may hold tuples, lists or dicts
        # lists of numbers this specialization hands NumPy functions as arrays (analysis/list_operands.py),
        # which the graph drawing converts alike: it evaluates these plans on the prepared statements
        self.number_lists: set[str] = set()
        self.shapes = shapes or {}       # name -> analysis.shapes.Fact, for a gradient specialized on shapes
        self.ssa = ssa
        self.resolve = resolve
        self.varied = varied
        self.scalars = scalars
        self.adjoint = adjoint_names
        self.bindings = bindings
        # adjoints updated in place (scattered into, or zeroed where an element was overwritten) must be
        # arrays of the reverse sweep's own
        self.index_targets = {
            stmt.value.value.id for stmt in assignments(ssa.body)
            if isinstance(stmt.value, (gast.Subscript, gast.Attribute)) and isinstance(stmt.value.value, gast.Name)
        } | {stmt.targets[0].value.id for stmt in element_stores(ssa.body)} \
            | {stmt.s2s_append for stmt in appends(ssa.body)} | _method_receivers(ssa.body, resolve)
        self.loops: list[LoopReversal] = []
        self.unreversed: list = []          # (forward loop, its place in the reverse sweep): loops with no adjoint
        self.branches: list[BranchReversal] = []
        self.loop_depth = 0
        # calls to other functions: the forward sweep records each (call_forward) and the reverse sweep
        # uses the record (call_backward); the graph drawing runs the same two
        self.records: list[str] = []        # the records' names, in the order they were claimed

    # ---- entry --------------------------------------------------------
    def emit(self, output: gast.expr, wrt: list[str]) -> ReversePlan:
        """The reverse sweep of the whole function, with what the tape pass reads about its loops and branches."""
        state = AdjointState()
        seed = self.adjoint(output.id) if isinstance(output, gast.Name) else self.adjoint("out")
        if isinstance(output, gast.Name) and output.id in self.varied:
            state.defined.add(output.id)
        reverse = self.block(self.ssa.body[:-1], state)
        if isinstance(output, gast.Name) and output.id in self.varied and output.id in self.index_targets:
            # the sweep writes into the result's adjoint in place (zeroes what a write overwrote, scatters
            # into it), and that adjoint is the seed: the caller's array (call_backward's cotangent, which the
            # caller may hand on elsewhere; vjp's). The sweep works on a copy of its own, which also leaves
            # forward mode over this code an array it owns to follow the writes into
            reverse.insert(0, build.assign(seed, build.call(self.helper("copy_of"), build.load(seed))))
        self.number_records_in_call_order(reverse)
        for name in wrt:
            if name not in state.defined:
                reverse.append(build.assign(self.adjoint(name), self.zero(name)))
        return ReversePlan(reverse, seed, list(self.loops), list(self.branches), list(self.unreversed))

    # ---- blocks -------------------------------------------------------
    def block(self, stmts, state: AdjointState) -> list:
        out: list = []
        for stmt in reversed(stmts):
            if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Subscript):
                out.extend(self.element_store(stmt, state))
            elif isinstance(stmt, gast.Assign):
                out.extend(self.assignment(stmt, state))
            elif isinstance(stmt, gast.If):
                out.extend(self.branch(stmt, state))
            elif isinstance(stmt, (gast.For, gast.While)):
                out.extend(self.loop(stmt, state))
            elif isinstance(stmt, gast.Expr) and getattr(stmt, "s2s_append", None):
                out.extend(self.append_statement(stmt, state))
            elif is_marker(stmt):
                out.extend(mirrored(stmt))      # the adjoints of a `with` block run inside its context too
            elif isinstance(stmt, gast.FunctionDef):
                continue          # a nested def: calls to it carry the derivatives
            elif isinstance(stmt, (gast.Expr, gast.Assert, gast.Raise, gast.Pass, gast.Break)):
                continue          # no value flows out of these
            else:
                raise UnsupportedConstructError(
                    f"a `{type(stmt).__name__}` statement in the single-assignment form",
                    self.ssa.source.location(stmt))
        return out

    # ---- assignments --------------------------------------------------
    def assignment(self, stmt: gast.Assign, state: AdjointState) -> list:
        target = stmt.targets[0].id
        if _pops(stmt.value) and self.resolve(stmt.value, stmt).rule == POP:
            return self.pop_statement(stmt, state)
        if target not in state.defined:
            return []
        state.defined.discard(target)          # this definition consumes its adjoint
        if target not in self.varied:
            return []
        plan = self.operation_plan(self.resolve(stmt.value, stmt), stmt, target)
        out: list = list(plan.pending)      # statements the contributions read (e.g. a tuple of adjoints)
        # `h * h` sends h the same term twice: once, doubled (optimize/terms.py)
        contributions = merge_repeated_terms(plan.contributions, self.containers)
        # additions into adjoints that already hold a value first, first assignments after: they write
        # different adjoints, and in a loop the last read of dy then comes before dy is reassigned,
        # so copy propagation can remove a copy like `dt1 = dy`
        contributions.sort(key=lambda item: item[0] not in state.defined)
        for operand, contribution in contributions:
            self.accumulate(operand, contribution, state, out)
        for adjoint_stmt in out:        # the user's line each adjoint statement reverses (debug_nans)
            adjoint_stmt.s2s_origin = stmt
        return out

    def element_store(self, stmt: gast.Assign, state: AdjointState) -> list:
        """Reverse of `x[i] = v`: v's adjoint is what x[i]'s was; x[i]'s becomes 0; x[i] gets its old value."""
        target = stmt.targets[0]
        array, index = target.value.id, target.slice
        out: list = []
        if array in state.defined:
            adjoint = self.adjoint(array)
            zero = gast.Assign(targets=[gast.Subscript(value=build.load(adjoint), slice=index, ctx=gast.Store())],
                               value=build.const(0.0), type_comment=None)
            if self.is_active(stmt.value):
                # a copy: the slice of the adjoint is zeroed right after
                piece = build.call(self.helper("copy_of"),
                                   gast.Subscript(value=build.load(adjoint), slice=index, ctx=gast.Load()))
                if not self.is_basic_index(index):   # an integer array may repeat a position: the last write wins
                    piece = build.call(self.helper("last_writes"), piece, _index_expression(index),
                                       build.load(adjoint))
                if stmt.value.id == array:          # y[i:j] = y: take the piece before zeroing, add it after
                    held = self.ssa.namer.claim(f"{adjoint}_stored")
                    out += [build.assign(held, piece), zero]
                    piece, zero = build.load(held), None
                contribution = build.call(self.helper("unbroadcast"), piece, build.load(stmt.value.id))
                self.accumulate(stmt.value.id, contribution, state, out)
            if zero is not None:
                out.append(zero)
        saved = getattr(stmt, "s2s_saved", None)
        if saved:           # a write through a mask saved the whole array (ssa/inplace.py): all of it goes back
            put_back = build.const(Ellipsis) if getattr(stmt, "s2s_saved_whole", False) else index
            out.append(gast.Assign(targets=[gast.Subscript(value=build.load(array), slice=put_back, ctx=gast.Store())],
                                   value=build.load(saved), type_comment=None))
        return out

    def operation_plan(self, prim: Primitive, stmt, target: str) -> OperationPlan:
        """The plan of one operation (the graph drawing evaluates the same plans)."""
        pending: list = []
        return OperationPlan(pending, self.contributions(prim, stmt, target, pending))

    def contributions(self, prim: Primitive, stmt, target: str, pending: list):
        seed = self.adjoint(target)
        dy = build.load(seed)
        rule = prim.rule
        if rule == COPY:
            return [(prim.args[0].id, dy)] if self.is_active(prim.args[0]) else []
        if rule == PACK:
            return [
                (elt.id, gast.Subscript(value=dy, slice=build.const(i), ctx=gast.Load()))
                for i, elt in enumerate(prim.args) if self.is_active(elt)
            ]
        if rule == PACK_DICT:
            return [
                (value.id, gast.Subscript(value=dy, slice=prim.keywords[i], ctx=gast.Load()))
                for i, value in enumerate(prim.args) if self.is_active(value)
            ]
        if rule == CALL:
            return self.call_contributions(prim, stmt, seed, pending)
        if rule == POP:         # reversed by pop_statement, before any contribution is asked for
            raise UnsupportedConstructError(
                "`xs.pop()` inside a larger expression, in reverse mode", self.ssa.source.location(stmt),
                "assign the popped value to a name of its own first")
        if rule == SUBSCRIPT:
            return self.subscript_contribution(stmt, seed)
        if rule == FIELD:          # model.w: scattered into the adjoint of model, keyed by the attribute
            holder = prim.args[0]
            if not self.is_active(holder):
                return []
            return [(holder.id, IndexContribution(build.const(stmt.value.attr), build.load(seed)))]
        if isinstance(rule, NonDifferentiable) or not isinstance(rule, Rule):
            return []
        location = self.ssa.source.location(stmt)
        operands = bind_arguments(rule, prim.args, prim.keywords, location)
        all_scalar = all(self.is_scalar(a) for a in operands.values())
        result = []
        for param, atom in operands.items():
            template = rule.template_for(param, all_scalar)
            if template is None:
                if param not in rule.facts.constant and any(self.is_active(a) for a in _operand_atoms(atom)):
                    raise NoDerivativeRuleError(
                        f"`{rule.name}` with respect to its parameter `{param}`, which carries a derivative "
                        "here: its rule gives no adjoint for it", location,
                        "register one with s2sgrad.defvjp (docs/functions.md), or keep the value that reaches "
                        f"`{param}` constant with s2sgrad.stop_gradient if its derivative is truly zero")
                continue
            if isinstance(atom, gast.Tuple):        # *operands: the rule returns one adjoint per operand
                result += self.variadic_contributions(template, rule, operands, atom, target, seed, pending)
                continue
            if not self.is_active(atom):
                continue
            expr = shaped_adjoint(prim.key, param, operands, seed, self.shapes) \
                or instantiate(template, rule, operands, build.load(target), seed, self.bindings)
            expr = with_known_shapes(expr, self.shapes, self.bindings.objects, self.bindings.name_for)
            # an operand not known to be a number may have stretched this one (`x * cfg.W`, `x * B.T`),
            # unless its shape is known to be the result's
            if rule.broadcasts and not all(self.is_scalar(other) for p, other in operands.items() if p != param) \
                    and not same_shape(self.shapes, atom.id, target):
                expr = reduced_to_operand(expr, atom.id, target, self.shapes, self.bindings.name_for) \
                    or build.call(self.helper("unbroadcast"), expr, build.load(atom.id))
            result.append((atom.id, expr))
        return result

    def call_contributions(self, prim: Primitive, stmt, seed: str, pending: list):
        """`dx_f, dw_f = call_backward(f_record, dy)`: the callee's own reverse sweep, resumed from the record
        its forward left (the forward statement becomes `y, f_record = call_forward(f, x, w, active=(0, 1))`;
        see runtime/calls.py)."""
        location = self.ssa.source.location(stmt)
        callee = gast.unparse(prim.callee).strip()
        runtime = resolve_global(callee, self.ssa.source.globals, self.ssa.source.closure)
        if getattr(runtime, "__module__", None) in ("s2sgrad.runtime.calls", "s2sgrad.runtime.tangents"):
            if callee in ("call_forward", "call_backward"):
                return self.recorded_call_contributions(callee, prim, stmt, seed, pending)
            # call_forward_vjp and its siblings (a second derivative's calls) are recorded like any call and
            # differentiated through their Python forms (api/recorded_call_forms.py)
        active: list = []            # (what call_vjp calls it, the operand's name)
        star_seen = False
        for i, arg in enumerate(prim.args):
            if isinstance(arg, gast.Starred):
                if self.is_active(arg.value):
                    raise UnsupportedConstructError(
                        "spreading `*` a value that carries derivatives into a call", location,
                        "pass the values as separate arguments")
                star_seen = True
            elif self.is_active(arg):
                if star_seen:
                    raise UnsupportedConstructError(
                        "a differentiated argument after a `*` spread in a call", location,
                        "pass it by keyword, or before the spread")
                active.append((i, arg.id))
        for key, value in prim.keywords.items():
            if self.is_active(value):
                if key is None:
                    raise UnsupportedConstructError(
                        "spreading `**` a dict that carries derivatives into a call", location,
                        "pass the values as keyword arguments")
                active.append((key, value.id))
        if prim.receiver is not None and self.is_active(prim.receiver):
            active.append(("self", prim.receiver.id))
        captured = []
        if isinstance(prim.callee, gast.Name):
            captured = [c for c in (self.ssa.closures or {}).get(prim.callee.id, ()) if c in self.varied]
        if not active and not captured:
            return []
        callee_name = gast.unparse(prim.callee).strip().split(".")[-1]
        holders = [self.ssa.namer.claim(f"d{name}_{callee_name}") for _, name in active]
        holders += [self.ssa.namer.claim(f"d{name}_{callee_name}") for name in captured]
        keywords = [gast.keyword(arg=k, value=v) for k, v in prim.keywords.items()]
        keywords.append(gast.keyword(arg="active", value=build.tuple_of([build.const(a) for a, _ in active])))
        if captured:
            keywords.append(gast.keyword(arg="captured", value=build.tuple_of([build.const(c) for c in captured])))
        call = self.recorded_call(prim, stmt, seed, keywords, callee_name)
        targets = build.tuple_of([build.store(h) for h in holders], store_ctx=True)
        pending.append(gast.Assign(targets=[targets], value=call, type_comment=None))
        names = [name for _, name in active] + captured
        contributions = [(name, build.load(holder)) for name, holder in zip(names, holders)]
        if isinstance(prim.callee, gast.Attribute) and any(a == "self" for a, _ in active):
            # `net.l1(x)`: the adjoint of the called value `net.l1` (a layer's fields, or net's own for a
            # method bound to net) is scattered into net's under the attribute (runtime add_field decides)
            name, holder = contributions[len(active) - 1]
            contributions[len(active) - 1] = (name, IndexContribution(build.const(prim.callee.attr), holder))
        return contributions

    def recorded_call_contributions(self, which: str, prim: Primitive, stmt, seed: str, pending: list):
        """Reverse over a gradient's recorded call to your function (runtime/tangents.py):
        `dx_helper_1, = call_forward_vjp(dt1, helper, x, active=(0,), wrt=(0,))` for the call, given the
        adjoint of (its value, its record), and `ddt1, dhelper_record = call_backward_vjp(helper_record, dt1,
        dt5)` for the reverse sweep it resumes, given the adjoint of the gradients it returned."""
        location = self.ssa.source.location(stmt)
        if which == "call_forward":
            args = list(prim.args[1:])
            if any(isinstance(a, gast.Starred) for a in args) or any(
                    self.is_active(v) for k, v in prim.keywords.items() if k not in ("active", "captured")):
                raise UnsupportedConstructError(
                    f"`{terms_of(self.ssa.source).expression(stmt.value)}`: a gradient's call to your function with "
                    "`*` arguments or keyword arguments that carry derivatives, in reverse mode", location,
                    "pass the values carrying derivatives to the helper one by one, by position")
            wrt = [(i, a.id) for i, a in enumerate(args) if self.is_active(a)]
            callee = prim.args[0]
            # a nested def of the gradient's code reading values that carry derivatives: their adjoints too
            reading = [c for c in (self.ssa.closures or {}).get(callee.id, ()) if c in self.varied] \
                if isinstance(callee, gast.Name) else []
            if not wrt and not reading:
                return []
            helper_name = gast.unparse(prim.args[0]).strip().split(".")[-1]
            holders = [self.ssa.namer.claim(f"d{name}_{helper_name}") for name in [n for _, n in wrt] + reading]
            keywords = recorded_keywords(prim.keywords)       # analysis/recorded_calls.py
            keywords.append(gast.keyword(arg="wrt", value=build.tuple_of([build.const(i) for i, _ in wrt])))
            if reading:
                keywords.append(gast.keyword(arg="wrt_captured", value=build.tuple_of(
                    [build.const(c) for c in reading])))
            call = build.call(self.helper("call_forward_vjp"), build.load(seed), *prim.args, keywords=keywords)
            names = [name for _, name in wrt] + reading
        else:
            record, cotangent = prim.args
            names = [a.id for a in (cotangent, record) if self.is_active(a)]
            if not names:
                return []
            holders = [self.ssa.namer.claim(f"d{a.id}") for a in (cotangent, record)]
            call = build.call(self.helper("call_backward_vjp"), record, cotangent, build.load(seed))
        targets = build.tuple_of([build.store(h) for h in holders], store_ctx=True)
        pending.append(gast.Assign(targets=[targets], value=call, type_comment=None))
        if which == "call_forward":
            return [(name, build.load(holder)) for name, holder in zip(names, holders)]
        return [(a.id, build.load(h)) for a, h in zip((cotangent, record), holders) if self.is_active(a)]

    def recorded_call(self, prim: Primitive, stmt, seed: str, keywords: list, callee_name: str) -> gast.expr:
        """Turn the forward call `y = f(x)` into `y, f_record = call_forward(f, x, active=...)` (this
        emitter's statements are its own copy) and return the reverse sweep's `call_backward(f_record, dy)`."""
        record = self.ssa.namer.claim(f"{callee_name}_record")
        self.records.append(record)
        target = stmt.targets[0]
        stmt.value = build.call(self.helper("call_forward"), prim.callee, *prim.args, keywords=keywords)
        stmt.s2s_recorded_call = True       # debug_nans asks the callee to check its own values too
        stmt.targets = [build.tuple_of([build.store(target.id), build.store(record)], store_ctx=True)]
        return build.call(self.helper("call_backward"), build.load(record), build.load(seed))

    def number_records_in_call_order(self, reverse: list) -> None:
        """Records were named as the reverse sweep met the calls (last first): rename them so the first
        call's record is `f_record`, the next `f_record_1`, as a reader of the forward sweep expects."""
        if len(self.records) < 2:
            return
        claimed = set(self.records)
        in_call_order = [s.targets[0].elts[1].id for s in _statements_in_order(self.ssa.body)
                         if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Tuple)
                         and s.targets[0].elts[1].id in claimed]
        # same callee: the i-th call gets the i-th name claimed for that callee
        groups: dict = {}
        for name in self.records:
            groups.setdefault(_record_base(name), []).append(name)
        renamed = {}
        for base, names in groups.items():
            calls = [n for n in in_call_order if _record_base(n) == base]
            renamed.update(zip(calls, names))
        for node in [n for block in (self.ssa.body, reverse) for stmt in block for n in gast.walk(stmt)]:
            if isinstance(node, gast.Name) and node.id in renamed:
                node.id = renamed[node.id]

    def append_statement(self, stmt, state: AdjointState) -> list:
        """Reverse of `xs.append(v)`: v's adjoint is the last element's; then the list drops it again.

        The adjoint list drops its last entry too, so the two keep the same length: a read such as
        `xs[-1]` made before this append then finds its adjoint at the same position."""
        items = stmt.s2s_append
        value = stmt.value.args[0]
        out: list = []
        if items in state.defined:
            adjoint = self.adjoint(items)
            if self.is_active(value) and value.id not in state.defined:
                last = self.adjoint(value.id)           # the appended value's first contribution
                state.defined.add(value.id)
            else:
                last = self.ssa.namer.claim(f"{adjoint}_last")
            split = build.call(self.helper("split_last"), build.load(adjoint))
            out.append(gast.Assign(targets=[build.tuple_of([build.store(adjoint), build.store(last)], store_ctx=True)], value=split,
                                   type_comment=None))
            if self.is_active(value) and last != self.adjoint(value.id):
                self.accumulate(value.id, build.load(last), state, out)
        out.append(gast.Expr(value=build.method_call(items, "pop")))
        return out

    def pop_statement(self, stmt: gast.Assign, state: AdjointState) -> list:
        """Reverse of `y = xs.pop()` (a tape's pop, in a gradient's code differentiated again): the transpose
        of a pop is a push. y's adjoint goes back on the end of the list's adjoint, which grows with its
        list, and the list gets y back, so the reverse of the `xs.append(v)` that pushed it finds both
        where they were (append_statement)."""
        target = stmt.targets[0].id
        items = stmt.value.func.value.id
        out: list = []
        if items in self.varied:
            if items not in state.defined:
                out.append(build.assign(self.adjoint(items), self.zero(items)))
                state.defined.add(items)
            if target in state.defined and target in self.varied:
                popped = build.load(self.adjoint(target))
            else:           # nothing read the popped value: a zero keeps the two lists the same length
                popped = self.zero(target)
            out.append(gast.Expr(value=build.method_call(self.adjoint(items), "append", popped)))
        state.defined.discard(target)
        out.append(gast.Expr(value=build.method_call(items, "append", build.load(target))))
        for adjoint_stmt in out:
            adjoint_stmt.s2s_origin = stmt
        return out

    def variadic_contributions(self, template, rule, operands, pack, target, seed, pending):
        active = [(i, elt) for i, elt in enumerate(pack.elts) if self.is_active(elt)]
        if not active:
            return []
        expr = instantiate(template, rule, operands, build.load(target), seed, self.bindings)
        holder = self.ssa.namer.temporary(f"d{target}_")
        pending.append(build.assign(holder, expr))
        return [(elt.id, gast.Subscript(value=build.load(holder), slice=build.const(i), ctx=gast.Load()))
                for i, elt in active]

    def subscript_contribution(self, stmt, seed: str):
        op = stmt.value
        container = op.value
        if not self.is_active(container):
            return []
        return [(container.id, IndexContribution(op.slice, build.load(seed)))]

    def accumulate(self, name: str, contribution, state: AdjointState, out: list) -> None:
        adjoint = self.adjoint(name)
        if name in self.index_targets and name not in state.defined:
            # scattered into in place below, so it must be an array of the reverse sweep's own
            out.append(build.assign(adjoint, self.zero(name)))
            state.defined.add(name)
        if isinstance(contribution, IndexContribution):
            out.append(self.scatter(adjoint, contribution, name in self.containers))
            return
        if name in state.defined and name in self.containers:     # `+` would concatenate lists
            contribution = build.call(self.helper("add_adjoints"), build.load(adjoint), contribution)
        elif name in state.defined:
            contribution = simplify(build.binop(build.load(adjoint), gast.Add(), contribution))
        else:
            state.defined.add(name)
        out.append(build.assign(adjoint, contribution))

    def scatter(self, adjoint: str, contribution: "IndexContribution", container: bool = False) -> gast.stmt:
        """`dx[i] += g` for basic indices of arrays; otherwise add_at, which sums positions an index
        repeats and adds a container's elements element by element (they may be containers too)."""
        if self.is_basic_index(contribution.index) and not container:
            target = gast.Subscript(value=build.load(adjoint), slice=contribution.index, ctx=gast.Store())
            return gast.AugAssign(target=target, op=gast.Add(), value=contribution.value)
        call = build.call(self.helper("add_at"), build.load(adjoint), _index_expression(contribution.index),
                          contribution.value)
        return gast.Expr(value=call)

    def is_basic_index(self, index) -> bool:
        if isinstance(index, gast.Tuple):
            return all(self.is_basic_index(e) for e in index.elts)
        if isinstance(index, gast.Slice):
            return all(p is None or self.is_basic_index(p) for p in (index.lower, index.upper, index.step))
        if isinstance(index, gast.Constant):
            return index.value is None or index.value is Ellipsis or isinstance(index.value, int)
        if isinstance(index, gast.UnaryOp):
            return isinstance(index.operand, gast.Constant) and isinstance(index.operand.value, int)
        return isinstance(index, gast.Name) and index.id in self.scalars

    # ---- branches -----------------------------------------------------
    def branch(self, stmt: gast.If, state: AdjointState) -> list:
        body_state, else_state = state.copy(), state.copy()
        body = self.block(stmt.body, body_state)
        orelse = self.block(stmt.orelse, else_state)
        for name in sorted(body_state.defined - else_state.defined):
            orelse.append(build.assign(self.adjoint(name), self.zero(name)))
        for name in sorted(else_state.defined - body_state.defined):
            body.append(build.assign(self.adjoint(name), self.zero(name)))
        state.defined = body_state.defined | else_state.defined
        if self.loop_depth:
            info = info_of(stmt)
            self.branches.append(BranchReversal(stmt.body, body, info.merged if info else set()))
            self.branches.append(BranchReversal(stmt.orelse, orelse, info.merged if info else set()))
        if not body and not orelse:
            return []
        node = gast.If(test=stmt.test, body=body or [gast.Pass()], orelse=orelse)
        return [node]

    # ---- loops --------------------------------------------------------
    def loop(self, stmt, state: AdjointState) -> list:
        info = info_of(stmt)
        local = assigned_names(stmt.body) - set(info.carried)
        if isinstance(stmt, gast.For):
            local.add(stmt.target.id)
        inflow = self.contributed(stmt.body) - local
        prologue = []
        carried_active = [c for c in info.carried if c in self.varied]
        for name in sorted(set(carried_active) | inflow):
            if name not in state.defined:
                prologue.append(build.assign(self.adjoint(name), self.zero(name)))
                state.defined.add(name)
        inner = AdjointState(state.defined - local)
        self.loop_depth += 1
        body = self.block(stmt.body, inner)
        self.loop_depth -= 1
        last_versions = _carry_sources(stmt, info)
        for name in carried_active:
            if name not in inner.defined:
                # shaped like this iteration's value: a name first assigned in the loop has no entry value
                like = last_versions.get(name, name)
                body.append(build.assign(self.adjoint(name), self.zero(name, like)))
                inner.defined.add(name)
        state.defined = inner.defined - local
        if not body:
            if info.in_place and info.carried:
                # no reverse loop will restore what this loop overwrote in place; recording.py decides
                # whether earlier adjoints read it and, if so, restores it here
                marker = gast.Pass()
                self.unreversed.append((stmt, marker))
                return prologue + [marker]
            return prologue
        reverse = gast.For(target=self.reverse_target(stmt), iter=self.reverse_iterations(stmt, info),
                           body=body, orelse=[], type_comment=None)
        self.loops.append(LoopReversal(stmt, reverse, body, nested=self.loop_depth > 0))
        return prologue + [reverse]

    def reverse_target(self, stmt) -> gast.Name:
        if isinstance(stmt, gast.For):
            return build.store(stmt.target.id)
        return build.store(self.ssa.namer.claim("_"))

    def reverse_iterations(self, stmt, info) -> gast.expr:
        if isinstance(stmt, gast.While):
            return build.call("range", build.load(info.trip_counter))
        iterations = stmt.iter
        if info.trip_counter:               # the loop may have stopped early: replay only what ran
            iterations = gast.Subscript(value=iterations, slice=gast.Slice(
                lower=None, upper=build.load(info.trip_counter), step=None), ctx=gast.Load())
        return build.call("reversed", iterations)

    def contributed(self, stmts) -> set[str]:
        """Names that may receive an adjoint contribution inside `stmts`."""
        names = set()
        closures = self.ssa.closures or {}
        for stmt in stmts:
            for node in gast.walk(stmt):
                if isinstance(node, gast.Assign) and _target_name(node) in self.varied:
                    reads = {n.id for n in gast.walk(node.value) if isinstance(n, gast.Name)}
                    # a call to a nested function or lambda also sends adjoints to the values it captured
                    reads |= {c for n in reads for c in closures.get(n, ())}
                    names |= reads & self.varied
        return names

    # ---- small pieces -------------------------------------------------
    def is_active(self, atom) -> bool:
        return isinstance(atom, gast.Name) and atom.id in self.varied

    def is_scalar(self, operand) -> bool:
        """Known to hold a number; whatever is not known (a global's attribute `cfg.W`, `B.T`) may be an array."""
        if isinstance(operand, (gast.Tuple, gast.List)):        # a rule's *operands
            return all(self.is_scalar(e) for e in operand.elts)
        if isinstance(operand, gast.Dict):                      # a rule's **operands
            return all(self.is_scalar(v) for v in operand.values)
        return is_scalar_atom(operand, self.scalars, self.ssa.source)

    def zero(self, name: str, like: str | None = None) -> gast.expr:
        """A zero adjoint for `name`, shaped like the value `like` (default: name's own)."""
        like = like or name
        if name in self.scalars and like in self.scalars:
            return build.const(0.0)
        return build.call(self.helper("zeros_like"), build.load(like))

    def helper(self, name: str) -> str:
        return self.bindings.name_for(name, HELPERS[name])


def _method_receivers(body, resolve) -> set[str]:
    """The objects whose method or callable field is called (`net.l1(x)`): their adjoints are scattered into."""
    return {stmt.value.func.value.id for stmt in assignments(body)
            if isinstance(stmt.value, gast.Call) and isinstance(stmt.value.func, gast.Attribute)
            and isinstance(stmt.value.func.value, gast.Name) and resolve(stmt.value, stmt).receiver is not None}


def _operand_atoms(atom) -> list:
    """The atoms one bound parameter holds: itself, or the elements of a *args tuple or **kwargs dict."""
    if isinstance(atom, gast.Tuple):
        return list(atom.elts)
    if isinstance(atom, gast.Dict):
        return list(atom.values)
    return [atom]


def _target_name(stmt: gast.Assign) -> str:
    target = stmt.targets[0]
    if isinstance(target, gast.Tuple):          # `y, f_record = call_forward(...)`: the value is the first
        target = target.elts[0]
    return target.id if isinstance(target, gast.Name) else target.value.id


def _statements_in_order(stmts):
    """Every statement, nested blocks included, in the order the source shows them."""
    for stmt in stmts:
        yield stmt
        for block in (getattr(stmt, "body", None), getattr(stmt, "orelse", None)):
            if isinstance(block, list) and not isinstance(stmt, gast.FunctionDef):
                yield from _statements_in_order(block)


def _record_base(name: str) -> str:
    """`f_record_2` -> `f_record`."""
    head, _, tail = name.rpartition("_")
    return head if tail.isdigit() and head.endswith("_record") else name


def _carry_sources(loop, info) -> dict[str, str]:
    """Carried name -> the body's last version of it (the copies that end the body)."""
    body = loop.body[: len(loop.body) - len(info.exit_flags)]
    copies = body[len(body) - info.n_carry_copies:] if info.n_carry_copies else []
    return {c.targets[0].id: c.value.id for c in copies
            if isinstance(c, gast.Assign) and isinstance(c.value, gast.Name)}


def _index_expression(index):
    if isinstance(index, gast.Slice):
        return build.call("slice", *(p if p is not None else build.const(None)
                                     for p in (index.lower, index.upper, index.step)))
    if isinstance(index, gast.Tuple):
        return gast.Tuple(elts=[_index_expression(e) for e in index.elts], ctx=gast.Load())
    return index



__all__ = ["AdjointState", "OperationPlan", "ReverseEmitter", "ReversePlan"]


def _pops(value) -> bool:
    """`xs.pop()`: a call of a name's `pop` method without arguments (the tape's pop in a gradient's code)."""
    return isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and value.func.attr == "pop" \
        and isinstance(value.func.value, gast.Name) and not value.args and not value.keywords
