"""Stage 2: normalize a function to single-assignment form.

After this pass
- every assignment performs one operation on atoms (names or constants):
  `t1 = b * c`, `t2 = math.sin(t1)`, `x_1 = t2`;
- every name is assigned once on each path through the function, or once per
  iteration inside a loop body; a re-assigned user variable `x` becomes `x`,
  `x_1`, `x_2`, ...;
- an `if` whose branches assign the same variable assigns it under one merged
  name in both branches (the branch-end form of a phi node);
- a loop's carried variables keep one name across iterations: the body computes
  new versions and copies them back at its end;
- the function ends with a single `return` of an atom.

Temporaries are named t1, t2, ... and never collide with the user's names.
"""
from __future__ import annotations

from dataclasses import dataclass

import gast

from ..analysis.resolve import dotted_name, is_missing, resolve_global
from ..errors import UnsupportedConstructError
from ..source import FunctionSource
from . import ast_build as build
from .info import IfInfo, LoopInfo, info_of
from .inplace import InPlaceAssignments
from .names import NameAllocator
from .rename import rename_block
from .structure import structure

_LOOP_HINT = "rewrite it with plain `for`/`while` loops and `if` statements"


@dataclass
class SSAFunction:
    """The normalized function and the facts later passes need about it."""

    source: FunctionSource
    tree: gast.FunctionDef
    params: list[str]
    output: gast.expr              # atom returned by the function
    namer: NameAllocator
    closures: dict = None          # nested def / lambda name -> the function's variables it reads

    @property
    def body(self) -> list:
        return self.tree.body


def normalize(src: FunctionSource) -> SSAFunction:
    structure(src.tree)                # break / continue / early return become flags first
    return _Normalizer(src).run()


class _Normalizer(InPlaceAssignments):
    def __init__(self, src: FunctionSource):
        self.src = src
        self.namer = NameAllocator.for_tree(src.tree)
        self.env: dict[str, str] = {}
        self.defined: set[str] = set()
        self.out: list = []
        self.loop_depth = 0
        self.nesting = 0
        self.enclosing_loops: list = []
        self.owned: set[str] = set()           # names holding arrays this function allocated
        self.closures: dict[str, list[str]] = {}  # name of a nested def or lambda -> variables it reads
        self.pending_closure: list[str] = []
        self.assignment_counts = _assignment_counts(src.tree)
        self.assigned_in_function = set(self.assignment_counts)
        self.params_ssa: set[str] = set()
        self.output: gast.expr | None = None

    # ---- driver -------------------------------------------------------
    def run(self) -> SSAFunction:
        tree = self.src.tree
        params = _parameter_names(tree.args)
        for p in params:
            self.env[p] = p
            self.defined.add(p)
        self.params_ssa = set(params)
        body = self.block(tree.body)
        if self.output is None:
            raise UnsupportedConstructError(
                f"function {tree.name!r}, which returns nothing", self.src.location(tree),
                "end the function with `return <expression>`; s2sgrad differentiates the returned value",
            )
        body.append(gast.Return(value=self.output))
        new_tree = gast.FunctionDef(
            name=tree.name, args=tree.args, body=body, decorator_list=[], returns=None,
            type_comment=None, type_params=[],
        )
        gast.copy_location(new_tree, tree)
        return SSAFunction(self.src, new_tree, params, self.output, self.namer, self.closures)

    def block(self, stmts) -> list:
        saved, self.out = self.out, []
        for stmt in stmts:
            if self.output is not None:
                raise self.unsupported(stmt, "code after `return`", "delete the unreachable code")
            self.statement(stmt)
        produced, self.out = self.out, saved
        return produced

    def unsupported(self, node, what: str, hint: str = "") -> UnsupportedConstructError:
        return UnsupportedConstructError(what, self.src.location(node), hint)

    # ---- names --------------------------------------------------------
    def define(self, user_name: str) -> str:
        """The SSA name for a new assignment to `user_name`."""
        if user_name.startswith("__"):          # a value the normalizer introduced itself
            return self.temporary()
        if user_name not in self.defined:
            self.defined.add(user_name)
            self.namer.reserve(user_name)
            return user_name
        name = self.namer.version(user_name)
        self.defined.add(name)
        return name

    def temporary(self) -> str:
        name = self.namer.temporary()
        self.defined.add(name)
        return name

    def emit(self, stmt) -> None:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name):
            self.note_definition(stmt.targets[0].id, stmt.value)
            if isinstance(stmt.value, gast.Lambda):
                self.closures[stmt.targets[0].id] = self.pending_closure
        self.out.append(stmt)

    # ---- statements ---------------------------------------------------
    def statement(self, node) -> None:
        handler = getattr(self, f"stmt_{type(node).__name__}", None)
        if handler is None:
            raise self.unsupported(node, _describe_statement(node), _statement_hint(node))
        handler(node)

    def stmt_Pass(self, node) -> None:
        pass

    def stmt_Expr(self, node) -> None:
        value = node.value
        if isinstance(value, gast.Constant):      # docstring or bare literal
            return
        if isinstance(value, (gast.Yield, gast.YieldFrom, gast.Await)):
            self.op(value)                       # raises the construct's own error
        if not isinstance(value, gast.Call):
            return  # a bare expression statement has no effect on the result
        if isinstance(value.func, gast.Attribute) and dotted_name(value.func) and self._is_local_root(value.func):
            self.method_statement(node, value)
            return
        call = self.op(value)
        stmt = gast.Expr(value=call)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def method_statement(self, node, call) -> None:
        """`xs.append(v)` on a list the function built; other mutating method calls are refused."""
        func = call.func
        if func.attr == "append" and isinstance(func.value, gast.Name) and len(call.args) == 1 and not call.keywords:
            items = self.env[func.value.id]
            if items not in self.owned:
                raise self.unsupported(
                    node, f"`{gast.unparse(func)}(...)`: `{func.value.id}` may be the caller's list",
                    f"build a new list in the function: {func.value.id} = list({func.value.id})")
            stmt = gast.Expr(value=build.call(gast.Attribute(value=_resolved(items), attr="append", ctx=gast.Load()),
                                              self.atom(call.args[0])))
            gast.copy_location(stmt, node)
            stmt.s2s_append = items
            self.emit(stmt)
            return
        raise self.unsupported(
            node, f"the call `{gast.unparse(func)}(...)` used as a statement",
            "methods that change a value in place are not supported (besides list.append); "
            "build a new value and assign it",
        )

    def stmt_FunctionDef(self, node) -> None:
        """A nested def runs as written; calls to it are differentiated through call_vjp, with the
        variables it reads from this function passed in as inputs (see runtime/calls.py)."""
        if node.decorator_list:
            raise self.unsupported(node, "a decorated nested `def`", "define it at module level")
        captured = self.captured_by(node)
        name = self.define_env(node.name)
        copy_ = _copy_tree(node)
        copy_.name = name
        self.closures[name] = captured
        self.emit(copy_)

    def captured_by(self, function) -> list[str]:
        """Variables of this function that a nested def or lambda reads; each must be assigned once."""
        inner = set()
        args = function.args
        for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if a is not None:
                inner.add(a.id)
        body = function.body if isinstance(function.body, list) else [function.body]
        for stmt in body:
            inner |= {n.id for n in gast.walk(stmt) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        reads = {n.id for stmt in body for n in gast.walk(stmt) if isinstance(n, gast.Name)
                 and isinstance(n.ctx, gast.Load)}
        captured = sorted((reads - inner) & (set(self.env) | self.assigned_in_function))
        for user in captured:
            if self.assignment_counts.get(user, 0) > 1 or self.env.get(user, user) != user:
                raise self.unsupported(
                    function, f"a nested function reading `{user}`, which this function assigns more than once",
                    f"pass `{user}` to the nested function as an argument",
                )
        return captured

    def stmt_Assert(self, node) -> None:
        test = self.atom(node.test)
        stmt = gast.Assert(test=test, msg=self.atom(node.msg) if node.msg is not None else None)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def stmt_Raise(self, node) -> None:
        if node.exc is None or node.cause is not None:
            raise self.unsupported(node, "a bare `raise` or `raise ... from ...`", "raise a new exception instead")
        stmt = gast.Raise(exc=self.op(node.exc), cause=None)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def stmt_AnnAssign(self, node) -> None:
        if node.value is None:
            return
        self.assign_to(node.target, node.value, node)

    def stmt_Assign(self, node) -> None:
        if len(node.targets) == 1:
            self.assign_to(node.targets[0], node.value, node)
            return
        value = self.atom(node.value)           # a = b = expr: evaluate once, copy to each
        for target in node.targets:
            self.assign_to(target, value, node)

    def stmt_AugAssign(self, node) -> None:
        target = node.target
        if isinstance(target, gast.Subscript):          # x[i] += v  is  x[i] = x[i] + v
            current = gast.Subscript(value=target.value, slice=target.slice, ctx=gast.Load())
            value = build.binop(current, node.op, node.value)
            gast.copy_location(value, node)
            self.setitem(target, value, node)
            return
        if not isinstance(target, gast.Name):
            raise self.unsupported(
                node, f"augmented assignment to `{gast.unparse(target)}`",
                "assign to plain variable names or to elements of arrays the function created",
            )
        current = gast.Name(id=target.id, ctx=gast.Load(), annotation=None, type_comment=None)
        value = build.binop(current, node.op, node.value)
        gast.copy_location(value, node)
        self.assign_to(target, value, node)

    def assign_to(self, target, value, origin) -> None:
        if isinstance(target, gast.Name) and isinstance(value, gast.IfExp):
            # `y = a if c else b` reads best as an if statement assigning y in both branches
            test = self.atom(value.test)
            self.branch(test, [build.assign(target, value.body, origin)],
                        [build.assign(target, value.orelse, origin)], origin)
            return
        if isinstance(target, gast.Name):
            op = self.op(value) if not _is_atom_expr(value) else self.atom(value)
            self.emit(build.assign(self.define_env(target.id), op, origin))
        elif isinstance(target, (gast.Tuple, gast.List)):
            self.unpack(target, value, origin)
        elif isinstance(target, gast.Subscript):
            self.setitem(target, value, origin)
        else:
            raise self.unsupported(
                origin, f"assignment to `{gast.unparse(target)}`",
                "assign to plain variable names or to elements of arrays the function created",
            )

    def define_env(self, user_name: str) -> str:
        name = self.define(user_name)
        self.env[user_name] = name
        return name

    def unpack(self, target, value, origin) -> None:
        if any(isinstance(t, gast.Starred) for t in target.elts):
            raise self.unsupported(origin, "starred unpacking `a, *b = ...`", "unpack a fixed number of elements")
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts):
            atoms = [self.atom(v) for v in value.elts]     # right side first: `a, b = b, a` swaps
            for t, a in zip(target.elts, atoms):
                self.assign_to(t, a, origin)
            return
        whole = self.atom(value)
        for index, t in enumerate(target.elts):
            element = gast.Subscript(value=whole, slice=build.const(index), ctx=gast.Load())
            self.assign_to(t, element, origin)

    def stmt_Return(self, node) -> None:
        if self.nesting > 0 or self.output is not None:
            raise self.unsupported(
                node, "`return` inside a loop or branch",
                "assign the result to a variable and return it once at the end of the function",
            )
        if node.value is None:
            raise self.unsupported(node, "`return` without a value", "return the value to differentiate")
        if _is_atom_expr(node.value):
            self.output = self.atom(node.value)
            return
        user = self.namer.claim(_output_name(self.src.tree.name))
        self.assign_to(build.store(user), node.value, node)
        self.output = build.load(self.env[user])

    # ---- if -----------------------------------------------------------
    def stmt_If(self, node) -> None:
        test = self.atom(node.test)
        self.branch(test, node.body, node.orelse, node)

    def branch(self, test, body_stmts, orelse_stmts, origin, extra_merge=()) -> None:
        before = dict(self.env)
        live = set()
        if hasattr(origin, "end_lineno"):
            assigned = _assigned_user_names(body_stmts) | _assigned_user_names(orelse_stmts)
            live = {u for u in assigned if u not in before
                    and _live_after(self.src.tree, origin, self.enclosing_loops, u)}
        self.nesting += 1
        body = self.block(body_stmts)
        after_body, self.env = self.env, dict(before)
        orelse = self.block(orelse_stmts)
        self.nesting -= 1
        after_orelse = self.env
        for user in sorted(live):
            # assigned on one path only: Python leaves it unbound on the other, SSA gives it None there
            for after, block in ((after_body, body), (after_orelse, orelse)):
                if user not in after:
                    after[user] = self.define(user)
                    block.append(build.assign(after[user], build.const(None), origin))
        merged: dict[str, str] = {}
        for user in after_body.keys() & after_orelse.keys():
            a, b = after_body[user], after_orelse[user]
            if a == b:
                merged[user] = a
                continue
            existing = set(before.values())     # a loop carried in place re-assigns a name from before
            a_local = a not in existing and _assigns(body, a)
            b_local = b not in existing and _assigns(orelse, b)
            if a_local and b_local:
                rename_block(orelse, {b: a})
                merged[user] = a
            elif a_local:
                orelse.append(build.assign(a, build.load(b), origin))
                merged[user] = a
            elif b_local:
                body.append(build.assign(b, build.load(a), origin))
                merged[user] = b
            else:  # both inherited from before the `if` yet different: cannot happen
                raise AssertionError(f"inconsistent branch environments for {user}")
        for user, name in merged.items():       # owned after the `if` only if owned on both paths
            if not {after_body[user], after_orelse[user]} <= self.owned:
                self.owned.discard(name)
        self.env = {**before, **merged}
        node = gast.If(test=test, body=body or [gast.Pass()], orelse=orelse)
        node.s2s = IfInfo({n for u, n in merged.items() if before.get(u) != n} | set(extra_merge))
        gast.copy_location(node, origin)
        self.emit(node)

    # ---- loops --------------------------------------------------------
    def stmt_For(self, node) -> None:
        if node.orelse:
            raise self.unsupported(node, "a `for ... else` loop", "use a flag variable set before `break`")
        header, index_target, elements = self.loop_header(node)
        index = self.define(index_target) if isinstance(index_target, str) else self.temporary_index()
        prologue = [
            (target, gast.Subscript(value=sequence, slice=_resolved(index), ctx=gast.Load()))
            for target, sequence in elements or ()
        ]
        self.loop(node, "for", header, index, prologue, index_target)

    def temporary_index(self) -> str:
        name = self.namer.claim("i")
        self.defined.add(name)
        return name

    def loop_header(self, node):
        """(iterable of indices, the user's index variable or None, [(element target, sequence)])."""
        it = node.iter
        target = node.target
        func = dotted_name(it.func) if isinstance(it, gast.Call) else None
        builtin = func and func not in self.env and resolve_global(func, self.src.globals, self.src.closure)
        if builtin is range and not it.keywords:
            if not isinstance(target, gast.Name):
                raise self.unsupported(node, "unpacking the target of a `for` over range()")
            return build.call("range", *[self.atom(a) for a in it.args]), target.id, None
        if builtin is enumerate and len(it.args) == 1 and not it.keywords:
            if not (isinstance(target, gast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[0], gast.Name)):
                raise self.unsupported(node, "a `for` over enumerate() whose target is not `i, x`")
            sequence = self.atom(it.args[0])
            return _range_len(sequence), target.elts[0].id, [(target.elts[1], sequence)]
        if builtin is zip and it.args and not it.keywords:
            sequences = [self.atom(a) for a in it.args]
            if not (isinstance(target, gast.Tuple) and len(target.elts) == len(sequences)):
                raise self.unsupported(node, "a `for` over zip() whose target does not unpack every sequence")
            shortest = build.call("min", *[build.call("len", s) for s in sequences]) if len(sequences) > 1 \
                else build.call("len", sequences[0])
            return build.call("range", shortest), None, list(zip(target.elts, sequences))
        if isinstance(it, (gast.GeneratorExp, gast.ListComp, gast.SetComp, gast.DictComp)):
            raise self.unsupported(it, "a `for` over a comprehension or generator", "build a list first")
        sequence = self.atom(it)
        return _range_len(sequence), None, [(target, sequence)]

    def stmt_While(self, node) -> None:
        if node.orelse:
            raise self.unsupported(node, "a `while ... else` loop", "use a flag variable set before `break`")
        self.loop(node, "while", None, None, [])

    def loop(self, node, kind, header, index, prologue, index_user=None) -> None:
        assigned = _assigned_user_names(node.body) | ({index_user} if index_user else set()) | {
            t.id for t, _ in prologue for t in gast.walk(t) if isinstance(t, gast.Name)
        }
        carried_users = sorted(u for u in assigned
                               if u in self.env or _live_after(self.src.tree, node, self.enclosing_loops, u))
        if kind == "for" and index_user is not None and index_user not in carried_users:
            # the index is re-assigned by the loop itself; it is carried only when read after the loop
            # (Python keeps its old value when the loop runs zero times)
            assigned.discard(index_user)
        in_place = self.loop_depth == 0
        entry_users = {u for u in carried_users if u in self.env}
        carried: dict[str, str] = {}
        for user in carried_users:
            if user in self.env and in_place:
                carried[user] = self.env[user]
            elif user in self.env:
                copy = self.define(user)
                self.emit(build.assign(copy, build.load(self.env[user]), node))
                carried[user] = copy
            else:       # first assigned inside the loop: None until then, as if unbound
                carried[user] = self.define(user)
                self.emit(build.assign(carried[user], build.const(None), node))
            self.env[user] = carried[user]
        flags = list(getattr(node, "s2s_exit_flags", ()))
        counter = None
        if kind == "while" or flags:
            counter = self.define(self.namer.claim("n_iter"))
            self.emit(build.assign(counter, build.const(0), node))
        test = None
        condition_name = None
        if kind == "while":
            if isinstance(node.test, gast.Constant):
                test = node.test
            else:
                condition_name = self.define(self.namer.claim("running"))
                self.emit(build.assign(condition_name, self.op(node.test), node))
                test = build.load(condition_name)

        env_at_entry = dict(self.env)
        self.loop_depth += 1
        self.nesting += 1
        self.enclosing_loops.append(node)
        saved, self.out = self.out, []
        if index_user is not None:
            self.env[index_user] = index
        if counter:
            self.emit(build.assign(counter, build.binop(build.load(counter), gast.Add(), build.const(1)), node))
        for element, value in prologue:
            self.assign_to(element, value, node)
        for stmt in node.body:
            self.statement(stmt)
        if condition_name:       # re-evaluate the test with this iteration's values
            self.emit(build.assign(condition_name, self.op(node.test), node))
        body, self.out = self.out, saved
        self.loop_depth -= 1
        self.nesting -= 1
        self.enclosing_loops.pop()

        # names the body assigned but nobody reads after the loop go out of scope with it
        self.env = {u: n for u, n in self.env.items() if u in env_at_entry or u in carried}
        if index_user is not None and index_user not in carried:
            self.env[index_user] = index
        copies = []
        for user, name in carried.items():
            latest = self.env.get(user, name)
            if latest != name:
                copies.append(build.assign(name, build.load(latest), node))
            self.env[user] = name
        body.extend(copies)
        for flag in flags:
            exit_test = gast.If(test=build.load(self.env.get(flag, flag)), body=[gast.Break()], orelse=[])
            exit_test.s2s = IfInfo(set())
            body.append(exit_test)
        all_carried = list(carried.values())
        if kind == "for":
            loop = gast.For(target=build.store(index), iter=header, body=body, orelse=[], type_comment=None)
        else:
            loop = gast.While(test=test, body=body, orelse=[])
        fresh = [name for user, name in carried.items() if user not in entry_users]
        loop.s2s = LoopInfo(kind, all_carried, in_place, len(copies), counter,
                            [self.env.get(f, f) for f in flags], fresh)
        gast.copy_location(loop, node)
        self.emit(loop)

    def stmt_Break(self, node) -> None:
        raise self.unsupported(node, "`break`", "s2sgrad rewrites `break` before this pass; this is a bug")

    stmt_Continue = stmt_Break

    # ---- expressions --------------------------------------------------
    def atom(self, node) -> gast.expr:
        """An atom holding the value of `node`, emitting temporaries for its operations."""
        if isinstance(node, gast.Name):
            if getattr(node, "s2s_resolved", False):     # already an SSA name: never look it up again
                return node
            resolved = build.load(self.env.get(node.id, node.id))
            resolved.s2s_resolved = True
            return resolved
        if isinstance(node, gast.Constant) or _is_literal(node):
            return node
        if self._is_global_reference(node):
            return node
        op = self.op(node)
        if _is_atom_expr(op) and not isinstance(op, gast.Attribute):
            return op
        name = self.temporary()
        self.emit(build.assign(name, op, node))
        return _resolved(name)

    def op(self, node) -> gast.expr:
        """`node` as one operation whose operands are atoms."""
        handler = getattr(self, f"expr_{type(node).__name__}", None)
        if handler is None:
            raise self.unsupported(node, _describe_expression(node), _expression_hint(node))
        result = handler(node)
        if hasattr(node, "lineno") and not hasattr(result, "lineno"):
            gast.copy_location(result, node)
        return result

    def expr_Name(self, node):
        return self.atom(node)

    def expr_Constant(self, node):
        return node

    def expr_BinOp(self, node):
        return build.binop(self.atom(node.left), node.op, self.atom(node.right))

    def expr_UnaryOp(self, node):
        if _is_literal(node):
            return node
        return gast.UnaryOp(op=node.op, operand=self.atom(node.operand))

    def expr_Compare(self, node):
        left = self.atom(node.left)
        rights = [self.atom(c) for c in node.comparators]
        if len(node.ops) == 1:
            return gast.Compare(left=left, ops=node.ops, comparators=rights)
        parts, previous = [], left           # a < b < c  ==  (a < b) and (b < c), b evaluated once
        for op, right in zip(node.ops, rights):
            part = self.temporary()
            self.emit(build.assign(part, gast.Compare(left=previous, ops=[op], comparators=[right]), node))
            parts.append(build.load(part))
            previous = right
        return gast.BoolOp(op=gast.And(), values=parts)

    def expr_BoolOp(self, node):
        if all(_is_pure(v) for v in node.values):
            return gast.BoolOp(op=node.op, values=[self.atom(v) for v in node.values])
        # short-circuit: `a and f(x)` must not call f when a is false
        result = self.temporary()
        first = self.atom(node.values[0])
        self.emit(build.assign(result, first, node))
        rest = node.values[1] if len(node.values) == 2 else gast.BoolOp(op=node.op, values=node.values[1:])
        user = f"__boolop_{result}"
        self.env[user] = result
        self.defined.add(result)
        then = [build.assign(build.store(user), rest, node)]
        test = build.load(result)
        if isinstance(node.op, gast.And):
            self.branch(test, then, [], node)
        else:
            self.branch(test, [], then, node)
        merged = self.env.pop(user)
        return _resolved(merged)

    def expr_IfExp(self, node):
        user = f"__ifexp_{id(node)}"
        test = self.atom(node.test)
        body = [build.assign(build.store(user), node.body, node)]
        orelse = [build.assign(build.store(user), node.orelse, node)]
        self.branch(test, body, orelse, node)
        return _resolved(self.env.pop(user))

    def expr_Call(self, node):
        func = node.func
        if isinstance(func, gast.Attribute) and not self._is_global_reference(func):
            func = gast.Attribute(value=self.atom(func.value), attr=func.attr, ctx=gast.Load())
        elif isinstance(func, gast.Name):
            func = build.load(self.env.get(func.id, func.id))
        elif not self._is_global_reference(func):
            func = self.atom(func)
        args = []
        for a in node.args:      # *args forwards a tuple as it is; it may not carry derivatives (checked later)
            args.append(gast.Starred(value=self.atom(a.value), ctx=gast.Load()) if isinstance(a, gast.Starred)
                        else self.atom(a))
        keywords = [gast.keyword(arg=k.arg, value=self.atom(k.value)) for k in node.keywords]
        return gast.Call(func=func, args=args, keywords=keywords)

    def expr_Lambda(self, node):
        self.pending_closure = self.captured_by(node)
        return _copy_tree(node)

    def expr_Dict(self, node):
        if any(k is None for k in node.keys):
            raise self.unsupported(node, "a `**` spread in a dict literal", "list the entries one by one")
        return gast.Dict(keys=[self.atom(k) for k in node.keys], values=[self.atom(v) for v in node.values])

    def expr_Attribute(self, node):
        if self._is_global_reference(node):
            return node
        return gast.Attribute(value=self.atom(node.value), attr=node.attr, ctx=gast.Load())

    def expr_Subscript(self, node):
        return gast.Subscript(value=self.atom(node.value), slice=self.index(node.slice), ctx=gast.Load())

    def index(self, node):
        if isinstance(node, gast.Slice):
            return gast.Slice(*(self.atom(p) if p is not None else None for p in (node.lower, node.upper, node.step)))
        if isinstance(node, gast.Tuple):
            return gast.Tuple(elts=[self.index(e) for e in node.elts], ctx=gast.Load())
        return self.atom(node)

    def expr_Tuple(self, node):
        return gast.Tuple(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    def expr_List(self, node):
        return gast.List(elts=[self.atom(e) for e in node.elts], ctx=gast.Load())

    def expr_JoinedStr(self, node):
        # f-strings only format values; their parts are renamed, never differentiated
        renamed = _rename_loads(node, self.env)
        return renamed

    # ---- helpers ------------------------------------------------------
    def _is_global_reference(self, node) -> bool:
        """A dotted name rooted outside the function (math.pi, np.linalg.inv)."""
        dotted = dotted_name(node)
        if dotted is None:
            return False
        root = dotted.split(".")[0]
        return root not in self.env and isinstance(node, gast.Attribute)

    def _is_local_root(self, node) -> bool:
        dotted = dotted_name(node)
        return dotted is not None and dotted.split(".")[0] in self.env


def _assignment_counts(tree) -> dict[str, int]:
    """How often each name is assigned in the function (a loop body's assignments count twice)."""
    counts: dict[str, int] = {}

    def visit(stmts, weight):
        for stmt in stmts:
            if isinstance(stmt, (gast.FunctionDef, gast.Lambda)):
                counts[stmt.name] = counts.get(stmt.name, 0) + weight
                continue
            if isinstance(stmt, (gast.For, gast.While)):
                if isinstance(stmt, gast.For):
                    for n in gast.walk(stmt.target):
                        if isinstance(n, gast.Name):
                            counts[n.id] = counts.get(n.id, 0) + 2
                visit(stmt.body, 2)
                continue
            if isinstance(stmt, gast.If):
                visit(stmt.body, weight)
                visit(stmt.orelse, weight)
                continue
            for n in gast.walk(stmt):
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                    counts[n.id] = counts.get(n.id, 0) + weight

    for a in _parameter_names(tree.args):
        counts[a] = 1
    visit(tree.body, 1)
    return counts


def _copy_tree(node):
    import copy
    return copy.deepcopy(node)


def _resolved(name: str) -> gast.Name:
    node = build.load(name)
    node.s2s_resolved = True
    return node


def _parameter_names(args: gast.arguments) -> list[str]:
    names = [a.id for a in args.posonlyargs + args.args]
    if args.vararg is not None:
        names.append(args.vararg.id)
    names += [a.id for a in args.kwonlyargs]
    if args.kwarg is not None:
        names.append(args.kwarg.id)
    return names


def _output_name(function_name: str) -> str:
    return "out" if function_name.startswith("lambda") else function_name


def _range_len(sequence: gast.expr) -> gast.Call:
    return build.call("range", build.call("len", sequence))


def _is_literal(node) -> bool:
    return (
        isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd))
        and isinstance(node.operand, gast.Constant) and isinstance(node.operand.value, (int, float, complex))
    )


def _is_atom_expr(node) -> bool:
    return isinstance(node, (gast.Name, gast.Constant)) or _is_literal(node)


def _is_pure(node) -> bool:
    """No calls, so evaluating it eagerly cannot raise or have effects beyond a normal operator."""
    return not any(isinstance(n, (gast.Call, gast.Subscript, gast.Attribute)) for n in gast.walk(node))


def _assigns(block, name: str) -> bool:
    return any(
        isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Store)
        for stmt in block for n in gast.walk(stmt)
    )


def _assigned_user_names(stmts) -> set[str]:
    names = set()
    for stmt in stmts:
        for n in gast.walk(stmt):
            if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.For)):
                targets = n.targets if isinstance(n, gast.Assign) else [n.target]
                for t in targets:      # x[i] = v mutates x in place: x keeps its name, it is not re-bound
                    names |= {x.id for x in gast.walk(t) if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store)}
    return names


def _live_after(tree, loop, enclosing_loops, name: str) -> bool:
    """May `name`'s value after the statement `loop` be read: later in the function, or by another
    iteration of an enclosing loop? (Positions in the source tell what comes later.)"""
    end = (getattr(loop, "end_lineno", None) or 10**9, getattr(loop, "end_col_offset", None) or 0)
    inside = {id(n) for n in gast.walk(loop)}
    around = {id(n) for outer in enclosing_loops for stmt in outer.body for n in gast.walk(stmt)}
    for n in gast.walk(tree):
        if isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, gast.Load) and id(n) not in inside:
            later = (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)) > end
            if later or id(n) in around:
                return True
    return False


def _rename_loads(node, env):
    import copy
    node = copy.deepcopy(node)
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and n.id in env:
            n.id = env[n.id]
    return node


_STATEMENT_NAMES = {
    "Try": "a `try` statement", "TryStar": "a `try ... except*` statement", "With": "a `with` statement",
    "AsyncWith": "an `async with` statement", "AsyncFor": "an `async for` loop",
    "FunctionDef": "a nested `def`", "AsyncFunctionDef": "a nested `async def`",
    "ClassDef": "a class definition", "Global": "a `global` declaration", "Nonlocal": "a `nonlocal` declaration",
    "Delete": "a `del` statement", "Import": "an `import` inside the function",
    "ImportFrom": "an `import` inside the function", "Match": "a `match` statement",
}

_STATEMENT_HINTS = {
    "Try": "move the try/except outside the differentiated function",
    "With": "move the `with` block outside the differentiated function",
    "Global": "pass the value as a parameter and return the new value",
    "Nonlocal": "pass the value as a parameter and return the new value",
    "Import": "import at module level",
    "ImportFrom": "import at module level",
    "Match": "use `if`/`elif` chains",
    "Delete": "just stop using the variable",
    "ClassDef": "define the class at module level",
    "AsyncFunctionDef": "define a plain function at module level",
    "AsyncWith": "move the `async with` block outside the differentiated function",
    "AsyncFor": "use a plain `for` loop",
    "TryStar": "move the try/except outside the differentiated function",
}


def _describe_statement(node) -> str:
    return _STATEMENT_NAMES.get(type(node).__name__, f"a `{type(node).__name__}` statement")


def _statement_hint(node) -> str:
    return _STATEMENT_HINTS.get(type(node).__name__, "rewrite it with assignments, `if`, `for` and `while`")


_EXPRESSION_NAMES = {
    "ListComp": "a list comprehension",
    "SetComp": "a set comprehension", "DictComp": "a dict comprehension",
    "GeneratorExp": "a generator expression", "Yield": "`yield` (generators)",
    "YieldFrom": "`yield from` (generators)", "Await": "`await`", "NamedExpr": "an assignment expression `:=`",
    "Set": "a set literal", "Starred": "a starred expression",
}

_EXPRESSION_HINTS = {
    "ListComp": "write a `for` loop that builds the values",
    "GeneratorExp": "write a `for` loop",
    "Yield": "return the values instead of yielding them",
    "YieldFrom": "return the values instead of yielding them",
    "NamedExpr": "assign the value on its own line",
    "Lambda": "define the function with `def` at module level",
    "Set": "use a tuple or a list",
    "SetComp": "write a `for` loop that builds a list",
    "DictComp": "write a `for` loop",
    "Starred": "pass the values one by one",
    "Await": "differentiate a plain (not async) function",
}


def _describe_expression(node) -> str:
    return _EXPRESSION_NAMES.get(type(node).__name__, f"the expression `{type(node).__name__}`")


def _expression_hint(node) -> str:
    return _EXPRESSION_HINTS.get(type(node).__name__, "compute the value in plain steps on separate lines")


__all__ = ["SSAFunction", "normalize", "info_of"]
