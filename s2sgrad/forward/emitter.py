"""Stage 4, forward mode: emit each operation's tangent right after it.

For `t2 = np.sin(t1)` the forward slot of np.sin's entry gives
`t2_dot = t1_dot * np.cos(t1)`: `<name>_dot` holds the tangent of `<name>`,
its derivative along the direction the caller chose for the inputs (a
notation apart from the reverse sweep's `d<name>`). Control flow stays as it
is: a branch computes its tangents inside the branch, a loop inside the loop,
so no tape is needed.

It reads the IR (s2sgrad/ir), whose operations are resolved to their table
entries already. Only names that depend differentiably on the inputs
(activity analysis) get tangents. An operation the forward slot does not cover stops the transform
with an error naming the primitive and the line.
"""
from __future__ import annotations

import copy

import gast

from ..analysis.kinds import is_scalar_atom
from ..analysis.resolve import dotted_name, resolve_global
from ..analysis.recorded_calls import recorded_keywords
from ..analysis.primitives import CALL, CONSTANT, COPY, FIELD, PACK, PACK_DICT, POP, SUBSCRIPT
from ..errors import NoDerivativeRuleError, UnsupportedConstructError
from ..ir import Append, Branch, ElementStore, Loop, Operation
from ..optimize import simplify
from ..reverse.templates import bind_arguments, instantiate
from ..rules import SAME_OPERATION, NonDifferentiable, Rule
from ..runtime import HELPERS
from ..ssa import ast_build as build
from ..ssa.user_terms import terms_of


def tangent_name(name: str, suffix: str = "_dot") -> str:
    return f"{name}{suffix}"


def tangent_suffix(names) -> str:
    """`_dot`, or `_dot2`, `_dot3`, ... when code already has names ending so (forward mode over code that
    forward mode wrote: `x_dot` is a parameter there, so the tangent of `x` is `x_dot2`)."""
    suffix, level = "_dot", 1
    while any(n.endswith(suffix) for n in names):
        level += 1
        suffix = f"_dot{level}"
    return suffix


class ForwardEmitter:
    """Interleaves tangent statements with the primal statements of the IR (s2sgrad/ir)."""

    def __init__(self, ir, source, varied: set[str], scalars: set[str], bindings, suffix: str = "_dot"):
        self.ir = ir
        self.suffix = suffix
        self.source = source
        self.varied = varied
        self.scalars = scalars
        self.bindings = bindings
        # containers changed in place after they were built: their tangents must be their own
        self.mutated = {node.container for node in ir.walk() if isinstance(node, ElementStore)}
        # what each write overwrites is saved for a reverse sweep to put back (ssa/inplace.py); forward mode
        # runs no reverse sweep, so it leaves those copies out
        self.saves = {node.saved for node in ir.walk() if isinstance(node, ElementStore) and node.saved}

    def block(self, nodes) -> list:
        out = []
        for node in nodes:
            if isinstance(node, Operation):
                out += self.operation(node)
            elif isinstance(node, ElementStore):
                out += [node.node, *self.element_store(node)]
            elif isinstance(node, Append):
                out += [node.node, *self.append(node)]
            elif isinstance(node, Branch):
                out.append(gast.If(test=node.test, body=self.block(node.body) or [gast.Pass()],
                                   orelse=self.block(node.orelse)))
            elif isinstance(node, Loop) and node.kind == "for":
                out.append(gast.For(target=build.store(node.index), iter=node.iterations, body=self.block(node.body),
                                    orelse=[], type_comment=None))
            elif isinstance(node, Loop):
                out.append(gast.While(test=node.iterations, body=self.block(node.body), orelse=[]))
            else:
                out.append(node.node)
        return out

    # ---- statements ---------------------------------------------------------------------
    def operation(self, op: Operation) -> list:
        """The primal statement and its tangent (a call to another function computes both at once)."""
        if op.target in self.saves:
            return []
        if op.target not in self.varied:
            container = op.primitive.args[0] if op.primitive.rule == POP else None
            if container is not None and container.id in self.varied:
                # a value with no derivative (a branch's flag on a gradient's tape) leaves a list whose tangent
                # list holds one entry per element, appended with it: they pop in step
                return [op.node, gast.Expr(value=build.method_call(self.tangent_name(container.id), "pop"))]
            return [op.node]
        recorded = self.recorded_call(op.primitive.callee) if op.entry == CALL else None
        if recorded is not None:
            return self.call_with_record(op, recorded)
        if op.entry == CALL and not self.opaque_helper(op.primitive.callee):
            # your function, or a runtime helper with no rule of its own (`product_of_others`): Python
            # written with NumPy, followed like any callee (`call_jvp` itself goes by its Python form)
            return self.call(op)
        return [op.node, *self.tangent_statement(op)]

    def call(self, op: Operation) -> list:
        """`y, y_dot = call_jvp(f, (a, b), (a_dot, None))`: the callee runs once, with its own tangent code."""
        prim, location = op.primitive, self.source.location(op.node)
        captured = self.ir.closures.get(prim.callee.id, ()) if isinstance(prim.callee, gast.Name) else ()
        if None in prim.keywords and self.operand_active(prim.keywords[None]):
            raise UnsupportedConstructError(
                f"`{terms_of(self.source).expression(op.node.value)}`: a call spreading `**` a dict that carries "
                "derivatives, in forward mode (jvp)", location,
                "pass the values carrying derivatives one by one, by keyword")
        tangents = self.argument_tangents(prim.args)
        keywords = [gast.keyword(arg=k, value=v) for k, v in prim.keywords.items()]
        given = list(keywords)          # the callee's own keyword arguments, before call_jvp's are added
        moving = [k for k, v in prim.keywords.items() if k is not None and self.operand_active(v)]
        if moving:          # keyword arguments carrying derivatives: their tangents by keyword
            keywords.append(gast.keyword(arg="keyword_tangents", value=gast.Dict(
                keys=[build.const(k) for k in moving], values=[self.tangent(prim.keywords[k]) for k in moving])))
        reading = [c for c in captured if c in self.varied]
        if reading:         # a nested def or lambda reading values that move: their tangents by name
            keywords.append(gast.keyword(arg="captured_tangents", value=gast.Dict(
                keys=[build.const(c) for c in reading], values=[self.tangent(build.load(c)) for c in reading])))
        if prim.receiver is not None and self.is_active(prim.receiver):
            # `net.l1(x)`: the called value moves along `net_dot.l1` (a layer's tangent, or a method of net's
            # tangent object, whose self is that tangent: runtime/receivers.py)
            moved = self.tangent(prim.receiver)
            if isinstance(prim.callee, gast.Attribute):
                moved = gast.Attribute(value=moved, attr=prim.callee.attr, ctx=gast.Load())
            keywords.append(gast.keyword(arg="self_tangent", value=moved))
        if any(k.arg in _CALL_JVP_KEYWORDS for k in given):
            # the callee takes call_jvp's own keywords (it is call_jvp, in forward mode over forward mode):
            # its keyword arguments go in one dict instead
            keywords = [gast.keyword(arg="callee_keywords", value=gast.Dict(
                keys=[build.const(k.arg) for k in given], values=[k.value for k in given])),
                *keywords[len(given):]]
        call = build.call(self.helper("call_jvp"), prim.callee, build.tuple_of(list(prim.args)),
                          build.tuple_of(tangents), keywords=keywords)
        targets = build.tuple_of([build.store(op.target), build.store(self.tangent_name(op.target))], store_ctx=True)
        return [gast.copy_location(gast.Assign(targets=[targets], value=call, type_comment=None), op.node)]

    def argument_tangents(self, args) -> list:
        """A call's argument tangents, None where one carries no derivative. `*rest` spreads rest's tangent
        (a tuple's tangent is the tuple of its elements' tangents, an array's its rows'), or one None per
        element of rest when it carries none."""
        tangents = []
        for a in args:
            if isinstance(a, gast.Starred):
                spread = self.tangent(a.value) if self.is_active(a.value) else gast.BinOp(
                    left=build.tuple_of([build.const(None)]), op=gast.Mult(),
                    right=build.call(build.load("len"), a.value))
                tangents.append(gast.Starred(value=spread, ctx=gast.Load()))
            else:
                tangents.append(self.tangent(a) if self.is_active(a) else build.const(None))
        return tangents

    def call_with_record(self, op: Operation, which: str) -> list:
        """A gradient's call to your function, differentiated again (forward over reverse):
        `t1, t1_dot = call_forward_jvp(helper, (x,), (x_dot,), active=...)` runs the helper once with its
        record, and `t5, t5_dot = call_backward_jvp(record, record_dot, dy, dy_dot)` resumes the record
        and differentiates the helper's own gradient along the tangents (runtime/tangents.py)."""
        prim, location = op.primitive, self.source.location(op.node)
        keywords = recorded_keywords(prim.keywords)       # analysis/recorded_calls.py
        if which == "call_forward":
            if any(self.operand_active(v) for k, v in prim.keywords.items() if k not in ("active", "captured")):
                raise UnsupportedConstructError(
                    f"`{terms_of(self.source).expression(op.node.value)}`: a gradient's call to your function with "
                    "keyword arguments that carry derivatives, in forward mode", location,
                    "pass the values carrying derivatives to the helper one by one, by position")
            args = list(prim.args[1:])
            tangents = self.argument_tangents(args)
            if self.is_active(prim.args[0]):       # the called value itself moves: a method, a layer
                keywords.append(gast.keyword(arg="self_tangent", value=self.tangent(prim.args[0])))
            callee = prim.args[0]
            reading = [c for c in (self.ir.closures.get(callee.id, ()) if isinstance(callee, gast.Name) else ())
                       if c in self.varied]
            if reading:     # a nested def of the gradient's code reading values that move: their tangents
                keywords.append(gast.keyword(arg="captured_tangents", value=gast.Dict(
                    keys=[build.const(c) for c in reading], values=[self.tangent(build.load(c)) for c in reading])))
            call = build.call(self.helper("call_forward_jvp"), prim.args[0], build.tuple_of(args),
                              build.tuple_of(tangents), keywords=keywords)
        else:
            record, cotangent = prim.args
            call = build.call(self.helper("call_backward_jvp"), record,
                              self.tangent(record) if self.is_active(record) else build.const(None), cotangent,
                              self.tangent(cotangent) if self.is_active(cotangent) else build.const(None))
        targets = build.tuple_of([build.store(op.target), build.store(self.tangent_name(op.target))], store_ctx=True)
        return [gast.copy_location(gast.Assign(targets=[targets], value=call, type_comment=None), op.node)]

    def tangent_statement(self, op: Operation) -> list:
        expr = self.tangent_of(op.primitive, op.node, op.target)
        if expr is None:
            expr = self.zero(op.target)
        elif op.target in self.mutated and op.entry not in (POP, SUBSCRIPT):
            # written into below: a tangent of its own, never another value's (or a read-only broadcast).
            # Not a record popped from a gradient's tape, or an entry of one (only generated code writes into
            # those: ssa/inplace.py): the reverse sweep restores that very array in place, so its tangent must
            # be the very tangent the forward sweep wrote into, which views recorded with it share
            expr = build.call(self.helper("own_tangent"), expr)
        return [build.assign(self.tangent_name(op.target), expr, op.node)]

    def element_store(self, store: ElementStore) -> list:
        """`x[i] = v`: `x_dot[i] = v_dot` (0 where v carries no derivative)."""
        if store.container not in self.varied:
            return []
        value = self.tangent(store.value) if self.is_active(store.value) else build.const(0.0)
        target = gast.Subscript(value=build.load(self.tangent_name(store.container)), slice=store.index, ctx=gast.Store())
        return [gast.Assign(targets=[target], value=value, type_comment=None)]

    def append(self, append: Append) -> list:
        if append.container not in self.varied:
            return []
        value = append.value
        tangent = self.tangent(value) if self.is_active(value) else self.zero_like_atom(value)
        return [gast.Expr(value=build.method_call(self.tangent_name(append.container), "append", tangent))]

    # ---- one operation -------------------------------------------------------------------
    def tangent_of(self, prim, stmt, target: str):
        rule = prim.rule
        location = self.source.location(stmt)
        if rule == COPY:
            return self.tangent(prim.args[0]) if self.is_active(prim.args[0]) else None
        if rule == CONSTANT or isinstance(rule, NonDifferentiable):
            return None
        if rule in (PACK,):
            if not any(self.is_active(a) for a in prim.args):
                return None
            elts = [self.tangent(a) if self.is_active(a) else self.zero_like_atom(a) for a in prim.args]
            node = stmt.value
            if isinstance(node, gast.Call):     # a namedtuple built from its fields: its tangent is one too
                return gast.Call(func=node.func, args=elts, keywords=[])
            return gast.List(elts=elts, ctx=gast.Load()) if isinstance(node, gast.List) else build.tuple_of(elts)
        if rule == PACK_DICT:
            if not any(self.is_active(a) for a in prim.args):
                return None
            if isinstance(stmt.value, gast.Call):     # a dataclass built from its fields: its tangent is one too
                self.refuse_properties(stmt)
                return gast.Call(func=stmt.value.func, args=[], keywords=[
                    gast.keyword(arg=prim.keywords[i].value, value=self.tangent(a) if self.is_active(a)
                                 else self.zero_like_atom(a)) for i, a in enumerate(prim.args)])
            return gast.Dict(keys=[prim.keywords[i] for i in range(len(prim.args))],
                             values=[self.tangent(a) if self.is_active(a) else self.zero_like_atom(a)
                                     for a in prim.args])
        if rule == POP:             # the list's tangent holds one tangent per element: pop them together
            return build.method_call(self.tangent_name(prim.args[0].id), "pop") if self.is_active(prim.args[0]) else None
        if rule == SUBSCRIPT:
            if not self.is_active(prim.args[0]):
                return None
            return gast.Subscript(value=self.tangent(prim.args[0]), slice=stmt.value.slice, ctx=gast.Load())
        if rule == CALL and self.opaque_helper(prim.callee):
            raise NoDerivativeRuleError(
                f"`{terms_of(self.source).expression(stmt.value)}` in forward mode: the runtime helper "
                f"`{gast.unparse(prim.callee).strip()}`, through which a derivative's code differentiates a "
                "call to one of your functions, has no forward rule", location,
                "forward mode follows a gradient's recorded calls once (hessian, jacfwd(grad(f))); for third "
                "derivatives of a function that calls helpers, inline the helpers")
        if rule == FIELD and self.is_active(prim.args[0]):
            # p.mu: the tangent of a namedtuple, dataclass or object is one of the same kind (jvp's tangents
            # are shaped like the primals; one built inside is built by the same constructor)
            return gast.Attribute(value=self.tangent(prim.args[0]), attr=stmt.value.attr, ctx=gast.Load())
        if rule in (CALL, FIELD):
            what = "a call" if rule == CALL else "a field of your own object"
            raise UnsupportedConstructError(
                f"{what} (`{terms_of(self.source).expression(stmt.value)}`) in forward mode (jvp)", location,
                "use grad/vjp (reverse mode) for this function, or inline the helper")
        if not isinstance(rule, Rule):
            raise UnsupportedConstructError(
                f"the operation `{terms_of(self.source).expression(stmt.value)}` in forward mode", location)
        operands = bind_arguments(rule, prim.args, prim.keywords, location)
        all_scalar = all(self.is_scalar(a) for a in operands.values())
        terms = []
        for param, atom in operands.items():
            if not self.operand_active(atom) or param in rule.facts.constant:
                continue
            template = rule.tangent_for(param, all_scalar)
            if template is None:
                raise NoDerivativeRuleError(
                    f"`{rule.name}` in forward mode with respect to its parameter `{param}`, which carries a "
                    "derivative here: its rule gives no tangent for it", location,
                    f"add one with s2sgrad.defjvp({rule.name}, \"{rule.params_text}\", {param}=\"...\")")
            if template == SAME_OPERATION:
                terms += self.same_operation(rule, stmt.value, operands, param)
                if rule.facts.linear:
                    break                       # one call takes every operand's tangent
                continue
            replacements = {**operands, Rule.tangent_name(param): self.tangent_atom(atom)}
            expr = instantiate(template, rule, replacements, build.load(target), "_", self.bindings)
            if rule.broadcasts and not all(
                    self.is_scalar(other) for p, other in operands.items() if p != param):
                # this operand may be smaller than the result: stretch its contribution as broadcasting did
                expr = build.call(self.helper("broadcast_like"), expr, build.load(target))
            terms.append(expr)
        if not terms:
            return None
        total = terms[0]
        for term in terms[1:]:
            if rule.facts.container:        # tuples of tangents (lstsq in a and b) add element by element, not `+`
                total = build.call(self.helper("add_adjoints"), total, term)
            else:
                total = build.binop(total, gast.Add(), term)
        return simplify(total)

    def same_operation(self, rule, op, operands, param) -> list:
        """The operation itself on tangents: every differentiable operand (linear), or `param` alone
        (multilinear: a_dot @ b, then a @ b_dot)."""
        if rule.facts.linear:
            swaps = {id(a): (self.tangent_atom(a) if self.operand_active(a) else self.zero_like_atom(a))
                     for p, a in operands.items() if p in rule.tangents for a in _atoms(a)}
            return [_replace_atoms(op, swaps)]
        atom = operands[param]
        return [_replace_atoms(op, {id(a): self.tangent_atom(a)}) for a in _atoms(atom) if self.is_active(a)]

    # ---- small pieces --------------------------------------------------------------------
    def tangent_name(self, name: str) -> str:
        return tangent_name(name, self.suffix)

    def recorded_call(self, callee) -> str | None:
        """"call_forward" or "call_backward" where `callee` is that runtime entry point, else None."""
        dotted = dotted_name(callee)
        target = resolve_global(dotted, self.source.globals, self.source.closure) if dotted else None
        if (getattr(target, "__module__", None) or "") == "s2sgrad.runtime.calls" and \
                getattr(target, "__name__", "") in ("call_forward", "call_backward"):
            return target.__name__
        return None

    def opaque_helper(self, callee) -> bool:
        """Is `callee` a runtime helper whose Python source forward mode cannot follow: one that runs the
        reverse sweep of a call to your function from a record (a gradient's code differentiated again)?
        (call_forward_jvp and its siblings are followed by their Python forms, api/recorded_call_forms.py.)"""
        dotted = dotted_name(callee)
        target = resolve_global(dotted, self.source.globals, self.source.closure) if dotted else None
        return (getattr(target, "__module__", None) or "") == "s2sgrad.runtime.calls" \
            and not getattr(target, "_s2sgrad_form", False)

    def refuse_properties(self, stmt) -> None:
        """A tangent object built by its class's constructor would compute a property from the tangents of
        the fields (runtime/receivers.py guards the tangent objects jvp is given instead)."""
        dotted = dotted_name(stmt.value.func)
        cls = resolve_global(dotted, self.source.globals, self.source.closure) if dotted else None
        if isinstance(cls, type) and any(isinstance(v, property) for c in cls.__mro__ for v in vars(c).values()):
            raise UnsupportedConstructError(
                f"constructing a `{dotted}`, whose class defines properties, in forward mode (jvp)",
                self.source.location(stmt), "build the object outside and pass it in with its tangent, or make "
                "the properties methods")

    def is_active(self, atom) -> bool:
        return isinstance(atom, gast.Name) and atom.id in self.varied

    def operand_active(self, atom) -> bool:
        return any(self.is_active(a) for a in _atoms(atom))

    def tangent(self, atom) -> gast.Name:
        return build.load(self.tangent_name(atom.id))

    def tangent_atom(self, atom):
        if isinstance(atom, gast.Tuple):           # *operands: a tuple of tangents
            return build.tuple_of([self.tangent(a) if self.is_active(a) else self.zero_like_atom(a)
                                   for a in atom.elts])
        return self.tangent(atom)

    def is_scalar(self, operand) -> bool:
        """Known to hold a number; whatever is not known (a global's attribute `cfg.W`, `B.T`) may be an array."""
        if isinstance(operand, (gast.Tuple, gast.List)):        # a rule's *operands
            return all(self.is_scalar(e) for e in operand.elts)
        if isinstance(operand, gast.Dict):                      # a rule's **operands
            return all(self.is_scalar(v) for v in operand.values)
        return is_scalar_atom(operand, self.scalars, self.source)

    def zero(self, name: str) -> gast.expr:
        return build.const(0.0) if name in self.scalars else build.call(self.helper("zeros_like"), build.load(name))

    def zero_like_atom(self, atom) -> gast.expr:
        if isinstance(atom, gast.Name):
            return self.zero(atom.id)
        return build.const(0.0)

    def helper(self, name: str) -> str:
        return self.bindings.name_for(name, HELPERS[name])


def _atoms(atom) -> list:
    if isinstance(atom, (gast.Tuple, gast.List)):
        return list(atom.elts)
    return [atom]


def _replace_atoms(node, swaps: dict):
    """A copy of the operation with the operand nodes in `swaps` (keyed by identity) replaced."""
    if id(node) in swaps:
        return copy.deepcopy(swaps[id(node)])
    if isinstance(node, list):
        return [_replace_atoms(v, swaps) for v in node]
    if isinstance(node, gast.AST):
        return type(node)(**{name: _replace_atoms(value, swaps) for name, value in gast.iter_fields(node)})
    return node


# call_jvp's own keywords (runtime/calls.py)
_CALL_JVP_KEYWORDS = {"keyword_tangents", "captured_tangents", "self_tangent", "callee_keywords"}
