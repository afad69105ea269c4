"""Stage 4, forward mode: emit each operation's tangent right after it.

For `t2 = np.sin(t1)` the forward slot of np.sin's entry gives
`t2_dot = t1_dot * np.cos(t1)`: `<name>_dot` holds the tangent of `<name>`,
its derivative along the direction the caller chose for the inputs (a
notation apart from the reverse sweep's `d<name>`). Control flow stays as it
is: a branch computes its tangents inside the branch, a loop inside the loop,
so no tape is needed.

Only names that depend differentiably on the inputs (activity analysis) get
tangents. An operation the forward slot does not cover stops the transform
with an error naming the primitive and the line.
"""
from __future__ import annotations

import copy

import gast

from ..analysis.dataflow import element_stores
from ..analysis.primitives import CALL, CONSTANT, COPY, FIELD, PACK, PACK_DICT, SUBSCRIPT
from ..errors import NoDerivativeRuleError, UnsupportedConstructError
from ..optimize import simplify
from ..reverse.templates import bind_arguments, instantiate
from ..rules import SAME_OPERATION, NonDifferentiable, Rule
from ..runtime import HELPERS
from ..ssa import ast_build as build


def tangent_name(name: str) -> str:
    return f"{name}_dot"


class ForwardEmitter:
    """Interleaves tangent statements with the single-assignment form's statements."""

    def __init__(self, ssa, resolve, varied: set[str], scalars: set[str], bindings):
        self.ssa = ssa
        self.resolve = resolve
        self.varied = varied
        self.scalars = scalars
        self.bindings = bindings
        # containers changed in place after they were built: their tangents must exist from the start
        self.mutated = {s.targets[0].value.id for s in element_stores(ssa.body)}

    def block(self, stmts) -> list:
        out = []
        for stmt in stmts:
            if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Subscript):
                out += [stmt, *self.element_store(stmt)]
            elif isinstance(stmt, gast.Assign):
                out += [stmt, *self.assignment(stmt)]
            elif isinstance(stmt, gast.If):
                out.append(gast.If(test=stmt.test, body=self.block(stmt.body) or [gast.Pass()],
                                   orelse=self.block(stmt.orelse)))
            elif isinstance(stmt, gast.For):
                out.append(gast.For(target=stmt.target, iter=stmt.iter, body=self.block(stmt.body),
                                    orelse=[], type_comment=None))
            elif isinstance(stmt, gast.While):
                out.append(gast.While(test=stmt.test, body=self.block(stmt.body), orelse=[]))
            elif isinstance(stmt, gast.Expr) and getattr(stmt, "s2s_append", None):
                out += [stmt, *self.append(stmt)]
            elif isinstance(stmt, (gast.Expr, gast.Assert, gast.Raise, gast.Pass, gast.Break, gast.FunctionDef)):
                out.append(stmt)
            else:
                raise UnsupportedConstructError(
                    f"a `{type(stmt).__name__}` statement in forward mode", self.ssa.source.location(stmt))
        return out

    # ---- statements ---------------------------------------------------------------------
    def assignment(self, stmt: gast.Assign) -> list:
        target = stmt.targets[0].id
        if target not in self.varied:
            return []
        prim = self.resolve(stmt.value, stmt)
        expr = self.tangent_of(prim, stmt, target)
        if expr is None:
            expr = self.zero(target)
        elif target in self.mutated and prim.rule in (COPY, PACK):
            expr = build.call("list", expr) if prim.rule == PACK else expr   # its own, to write into
        return [build.assign(tangent_name(target), expr, stmt)]

    def element_store(self, stmt) -> list:
        """`x[i] = v`: `x_dot[i] = v_dot` (0 where v carries no derivative)."""
        target = stmt.targets[0]
        if target.value.id not in self.varied:
            return []
        value = self.tangent(stmt.value) if self.is_active(stmt.value) else build.const(0.0)
        store = gast.Subscript(value=build.load(tangent_name(target.value.id)), slice=target.slice,
                               ctx=gast.Store())
        return [gast.Assign(targets=[store], value=value, type_comment=None)]

    def append(self, stmt) -> list:
        items = stmt.s2s_append
        if items not in self.varied:
            return []
        value = stmt.value.args[0]
        tangent = self.tangent(value) if self.is_active(value) else self.zero_like_atom(value)
        return [gast.Expr(value=build.method_call(tangent_name(items), "append", tangent))]

    # ---- one operation -------------------------------------------------------------------
    def tangent_of(self, prim, stmt, target: str):
        rule = prim.rule
        location = self.ssa.source.location(stmt)
        if rule == COPY:
            return self.tangent(prim.args[0]) if self.is_active(prim.args[0]) else None
        if rule == CONSTANT or isinstance(rule, NonDifferentiable):
            return None
        if rule in (PACK,):
            if not any(self.is_active(a) for a in prim.args):
                return None
            elts = [self.tangent(a) if self.is_active(a) else self.zero_like_atom(a) for a in prim.args]
            node = stmt.value
            return gast.List(elts=elts, ctx=gast.Load()) if isinstance(node, gast.List) else build.tuple_of(elts)
        if rule == PACK_DICT:
            if not any(self.is_active(a) for a in prim.args):
                return None
            return gast.Dict(keys=[prim.keywords[i] for i in range(len(prim.args))],
                             values=[self.tangent(a) if self.is_active(a) else self.zero_like_atom(a)
                                     for a in prim.args])
        if rule == SUBSCRIPT:
            if not self.is_active(prim.args[0]):
                return None
            return gast.Subscript(value=self.tangent(prim.args[0]), slice=stmt.value.slice, ctx=gast.Load())
        if rule in (CALL, FIELD):
            what = "a call to another Python function" if rule == CALL else "a field of your own object"
            raise UnsupportedConstructError(
                f"{what} (`{gast.unparse(stmt.value).strip()}`) in forward mode (jvp)", location,
                "use grad/vjp (reverse mode) for this function, or inline the helper")
        if not isinstance(rule, Rule):
            raise UnsupportedConstructError(f"the operation `{gast.unparse(stmt.value).strip()}` in forward mode",
                                            location)
        operands = bind_arguments(rule, prim.args, prim.keywords, location)
        all_scalar = all(self.is_scalar(a) for a in operands.values() if _is_operand(a))
        terms = []
        for param, atom in operands.items():
            if not self.operand_active(atom) or param not in rule.adjoints:
                continue
            template = rule.tangent_for(param, all_scalar)
            if template is None:
                raise NoDerivativeRuleError(
                    f"`{rule.name}` in forward mode: its entry has no forward rule for `{param}`", location,
                    f"add one with s2sgrad.defjvp({rule.name}, \"{rule.params_text}\", {param}=\"...\")")
            if template == SAME_OPERATION:
                terms += self.same_operation(rule, stmt.value, operands, param)
                if rule.facts.linear:
                    break                       # one call takes every operand's tangent
                continue
            replacements = {**operands, Rule.tangent_name(param): self.tangent_atom(atom)}
            expr = instantiate(template, rule, replacements, build.load(target), "_", self.bindings)
            if rule.broadcasts and not all(
                    self.is_scalar(other) for p, other in operands.items() if p != param and _is_operand(other)):
                # this operand may be smaller than the result: stretch its contribution as broadcasting did
                expr = build.call(self.helper("broadcast_like"), expr, build.load(target))
            terms.append(expr)
        if not terms:
            return None
        total = terms[0]
        for term in terms[1:]:
            total = build.binop(total, gast.Add(), term)
        return simplify(total)

    def same_operation(self, rule, op, operands, param) -> list:
        """The operation itself on tangents: every differentiable operand (linear), or `param` alone
        (multilinear: a_dot @ b, then a @ b_dot)."""
        if rule.facts.linear:
            swaps = {id(a): (self.tangent_atom(a) if self.operand_active(a) else self.zero_like_atom(a))
                     for p, a in operands.items() if p in rule.adjoints for a in _atoms(a)}
            return [_replace_atoms(op, swaps)]
        atom = operands[param]
        return [_replace_atoms(op, {id(a): self.tangent_atom(a)}) for a in _atoms(atom) if self.is_active(a)]

    # ---- small pieces --------------------------------------------------------------------
    def is_active(self, atom) -> bool:
        return isinstance(atom, gast.Name) and atom.id in self.varied

    def operand_active(self, atom) -> bool:
        return any(self.is_active(a) for a in _atoms(atom))

    def tangent(self, atom) -> gast.Name:
        return build.load(tangent_name(atom.id))

    def tangent_atom(self, atom):
        if isinstance(atom, gast.Tuple):           # *operands: a tuple of tangents
            return build.tuple_of([self.tangent(a) if self.is_active(a) else self.zero_like_atom(a)
                                   for a in atom.elts])
        return self.tangent(atom)

    def is_scalar(self, atom) -> bool:
        if isinstance(atom, gast.Name):
            return atom.id in self.scalars
        if isinstance(atom, gast.Constant):
            return isinstance(atom.value, (int, float, complex)) or atom.value is None
        return isinstance(atom, gast.UnaryOp) and isinstance(atom.operand, gast.Constant)

    def zero(self, name: str) -> gast.expr:
        return build.const(0.0) if name in self.scalars else build.call(self.helper("zeros_like"), build.load(name))

    def zero_like_atom(self, atom) -> gast.expr:
        if isinstance(atom, gast.Name):
            return self.zero(atom.id)
        return build.const(0.0)

    def helper(self, name: str) -> str:
        return self.bindings.name_for(name, HELPERS[name])


def _is_operand(atom) -> bool:
    return isinstance(atom, (gast.Name, gast.Constant, gast.UnaryOp))


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
