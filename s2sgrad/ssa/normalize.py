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

from ..analysis.resolve import dotted_name
from ..codegen.try_blocks import carry_mark
from ..codegen.with_blocks import is_marker
from ..errors import UnsupportedConstructError
from ..source import FunctionSource
from . import ast_build as build
from .atoms import is_atom_expr
from .array_fills import ArrayFills, is_fill_diagonal
from .builtin_shadows import refuse_shadowing_parameters, shadows_builtin
from .closures import NestedFunctions
from .comprehensions import ComprehensionLowering
from .container_writes import rewrite_container_writes
from .dicts import DictIteration
from .expressions import ExpressionFlattening
from .info import IfInfo, info_of
from .inplace import InPlaceAssignments
from .local_objects import lower_local_objects
from .loops import LoopNormalization
from .match_statements import lower_match_statements
from .pure_forms import SCATTER_ADD, pure_form_of, rebind_scatters
from .names import NameAllocator
from .reductions import ExtremumLowering
from .rename import rename_block
from .shared_updates import AugmentedUpdates
from .scopes import assigned_user_names, assignment_counts, assigns, live_after, parameter_names
from .structure import structure
from .super_calls import lower_super_calls
from .try_statements import lower_try_statements
from .unsupported import describe_statement, statement_hint
from .user_terms import UserTerms
from .with_statements import lower_with_statements


@dataclass
class SSAFunction:
    """The normalized function and the facts later passes need about it."""

    source: FunctionSource
    tree: gast.FunctionDef
    params: list[str]
    output: gast.expr              # atom returned by the function
    namer: NameAllocator
    closures: dict = None          # nested def / lambda name -> the function's variables it reads
    runtime: dict = None           # name -> the runtime helper the form calls by it (copy_of: ssa/inplace.py)
    reverse_refusals: list = None  # (construct, location, hint) of in-place checks a gradient's code skips,
                                   # raised by reverse mode (inplace.py)

    @property
    def body(self) -> list:
        return self.tree.body


def normalize(src: FunctionSource) -> SSAFunction:
    lower_local_objects(src)           # objects built and changed here: their fields as variables (local_objects.py)
    lower_with_statements(src)         # `with np.errstate(...)`: its body as plain statements between markers
    lower_match_statements(src)        # `match` becomes `if`/`elif` first, so its jumps are structured too
    helpers = lower_super_calls(src)     # super().m(x) is Base.m(self, x) (super_calls.py)
    helpers.update(lower_try_statements(src))    # each tried statement an `if` on its attempt (try_statements.py)
    rebind_scatters(src)               # add_at(d, ...) in a gradient differentiated again: d = add_at.pure(d, ...),
    #                                    and the user's np.add.at(F, ...): F = np.add.at(F, ...), marked
    structure(src.tree)                # break / continue / early return become flags first
    rewrite_container_writes(src)      # xs.extend(ys), d[k] = v, ... become rebindings (container_writes.py)
    normalizer = _Normalizer(src)
    normalizer.runtime.update(helpers)
    return normalizer.run()


class _Normalizer(ExpressionFlattening, ComprehensionLowering, ExtremumLowering, LoopNormalization,
                  DictIteration, NestedFunctions, InPlaceAssignments, ArrayFills, AugmentedUpdates):
    """Statements, branches and the driver; expressions, comprehensions, max/min over iterables, loops,
    loops over dicts, nested functions and in-place assignment live in the mixins of the same names
    (one file each)."""

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
        self.dicts: set[str] = set()           # names holding dicts or sets this function built (loops: dicts.py)
        self.views: dict[str, set[str]] = {}   # array name -> names that may share its memory
        self.stale_views: dict[str, tuple] = {}  # a view whose array was assigned into since -> (array, line)
        self.holders: set[str] = set()           # lists, tuples, sets and dicts built here (ssa/inplace.py)
        self.holding: dict[str, set] = {}         # a name -> the names that are its object or hold it
        self.closures: dict[str, list[str]] = {}  # name of a nested def or lambda -> variables it reads
        self.runtime: dict[str, object] = {}      # name -> runtime helper called by it (ssa/inplace.py)
        self.reverse_refusals: list = []          # checks of in-place writes left to reverse mode (inplace.py)
        self.pending_closure: list[str] = []
        self.augmented: list = []                 # (statement, old version, user name) of each `x += v`
        self.user_of: dict[str, str] = {}         # single-assignment name -> the user's variable it versions
        self.assignment_counts = assignment_counts(src.tree)
        self.assigned_in_function = set(self.assignment_counts)
        self.params_ssa: set[str] = set()
        self.output: gast.expr | None = None

    # ---- driver -------------------------------------------------------
    def run(self) -> SSAFunction:
        tree = self.src.tree
        params = parameter_names(tree.args)
        for p in params:
            self.env[p] = p
            self.defined.add(p)
        self.params_ssa = set(params)
        body = self.block(tree.body)
        refuse_shadowing_parameters(self.src, params, body)   # `def f(x, min)` (builtin_shadows.py)
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
        self.guard_shared_updates(body, self.output)      # `y = x; x += v; ... y` (shared_updates.py)
        self.src.user_terms = UserTerms(self.namer, new_tree)   # messages name `w`, not `w_1` (user_terms.py)
        return SSAFunction(self.src, new_tree, params, self.output, self.namer, self.closures, self.runtime,
                           self.reverse_refusals)

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
        if user_name not in self.defined and not shadows_builtin(user_name):
            self.defined.add(user_name)
            self.namer.reserve(user_name)
            self.user_of[user_name] = user_name
            return user_name
        name = self.namer.version(user_name)
        self.defined.add(name)
        self.user_of[name] = user_name
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
            raise self.unsupported(node, describe_statement(node), statement_hint(node))
        handler(node)

    def stmt_Pass(self, node) -> None:
        pass

    def stmt_Delete(self, node) -> None:
        """`del x` only frees memory (generated gradients release arrays so): in single-assignment form
        no later statement reads that version of x, so nothing is emitted. Deleting an element or a
        field changes a value, which is refused."""
        for target in node.targets:
            if not isinstance(target, gast.Name):
                raise self.unsupported(node, f"`del {gast.unparse(target).strip()}`, which changes a value in place",
                                       "build a new value without that element instead")

    def stmt_Expr(self, node) -> None:
        value = node.value
        if is_marker(node):                      # where a `with` block is entered or left (with_statements.py)
            self.emit(node)
            return
        if isinstance(value, gast.Constant):      # docstring or bare literal
            return
        if isinstance(value, (gast.Yield, gast.YieldFrom, gast.Await)):
            self.op(value)                       # raises the construct's own error
        if not isinstance(value, gast.Call):
            return  # a bare expression statement has no effect on the result
        if isinstance(value.func, gast.Attribute) and dotted_name(value.func) and self._is_local_root(value.func):
            self.method_statement(node, value)
            return
        if is_fill_diagonal(self.callee_object(value.func)):     # an element write (array_fills.py)
            self.fill_diagonal_statement(node, value)
            return
        call = self.op(value)
        stmt = gast.Expr(value=call)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def pure_form(self, value):
        """`split_last(d)` (a runtime helper that changes its argument, in a gradient's code differentiated
        again) as `split_last.pure(d)`, which leaves it as it was: the transpose reads its length."""
        if isinstance(value, gast.Call) and pure_form_of(self.callee_object(value.func)) is not None:
            return gast.Call(func=gast.Attribute(value=value.func, attr="pure", ctx=gast.Load()), args=value.args,
                             keywords=value.keywords)
        return value

    def stmt_Assert(self, node) -> None:
        test = self.atom(node.test)
        stmt = gast.Assert(test=test, msg=self.atom(node.msg) if node.msg is not None else None)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def stmt_Raise(self, node) -> None:
        if node.exc is None:            # (inside an `except` clause it was rewritten: try_statements.py)
            raise self.unsupported(node, "a bare `raise` outside an `except` clause", "raise a new exception instead")
        cause = self.atom(node.cause) if node.cause is not None else None
        stmt = gast.Raise(exc=self.op(node.exc), cause=cause)
        gast.copy_location(stmt, node)
        self.emit(stmt)

    def stmt_AnnAssign(self, node) -> None:
        if node.value is None:
            return
        self.assign_to(node.target, node.value, node)

    def stmt_Assign(self, node) -> None:
        scatter = getattr(node, SCATTER_ADD, None)
        if scatter is not None:                 # np.add.at(F, i, v), rebound by pure_forms.py: array_fills.py
            self.add_at_statement(node, node.value, negated=scatter == "subtract")
            return
        if len(node.targets) == 1:
            self.assign_to(node.targets[0], self.pure_form(node.value), node)
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
        old = self.env.get(target.id)
        self.assign_to(target, value, node)
        if old is not None:         # an array's `+=` is in place in Python: who else sees it? (shared_updates.py)
            self.note_augmented(old, target.id, node)

    def assign_to(self, target, value, origin) -> None:
        if isinstance(target, gast.Name) and isinstance(value, gast.IfExp):
            # `y = a if c else b` reads best as an if statement assigning y in both branches
            test = self.atom(value.test)
            self.branch(test, [build.assign(target, value.body, origin)],
                        [build.assign(target, value.orelse, origin)], origin)
            return
        if isinstance(target, gast.Name):
            op = self.op(value) if not is_atom_expr(value) else self.atom(value)
            name = self.define_env(target.id)
            if self._builds_dict(op):
                self.dicts.add(name)
            stmt = build.assign(name, op, origin)
            carry_mark(origin, stmt)            # the attempt of a tried statement (try_statements.py)
            self.emit(stmt)
        elif isinstance(target, (gast.Tuple, gast.List)):
            self.unpack(target, value, origin)
        elif isinstance(target, gast.Subscript):
            self.setitem(target, value, origin)
        else:
            raise self.unsupported(
                origin, f"assignment to `{gast.unparse(target)}`",
                "assign to plain variable names or to elements of arrays the function created",
            )

    def _builds_dict(self, op) -> bool:
        """Whether `op` is a dict, or a set: either is iterated through the list of its keys (dicts.py)."""
        if isinstance(op, gast.Name):
            return op.id in self.dicts
        if isinstance(op, gast.BinOp) and isinstance(op.op, (gast.BitOr, gast.BitAnd, gast.Sub, gast.BitXor)):
            return any(isinstance(a, gast.Name) and a.id in self.dicts for a in (op.left, op.right))   # a | b
        return isinstance(op, gast.Dict) or (isinstance(op, gast.Call) and self.callee_object(op.func) in _KEYED)

    def define_env(self, user_name: str) -> str:
        name = self.define(user_name)
        self.env[user_name] = name
        return name

    def unpack(self, target, value, origin) -> None:
        value = self.iterator_as_list(value) or value      # `a, b = zip(*pairs)` (comprehensions.py)
        if any(isinstance(t, gast.Starred) for t in target.elts):
            self.unpack_starred(target, self.atom(value), origin)
            return
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts):
            pairs = _paired(target, value)              # `(p, r), q = ([a], [b]), c` pairs up to the leaves
            atoms = [self.atom(v) for _, v in pairs]    # right side first: `a, b = b, a` swaps
            # `p, q = [a, b], 3`: p's list is built here, in a temporary nothing else reads, so p owns it
            fresh = {a.id for a, (_, v) in zip(atoms, pairs)
                     if isinstance(a, gast.Name) and not is_atom_expr(v) and a.id in self.owned}
            for (t, _), a in zip(pairs, atoms):
                self.assign_to(t, a, origin)
                if isinstance(t, gast.Name) and isinstance(a, gast.Name) and a.id in fresh:
                    self.owned.add(self.env[t.id])
            return
        whole = self.atom(value)
        for index, t in enumerate(target.elts):
            element = gast.Subscript(value=whole, slice=build.const(index), ctx=gast.Load())
            self.assign_to(t, element, origin)

    def unpack_starred(self, target, whole, origin) -> None:
        """`a, *b, c = xs`: a = xs[0], b = list(xs[1:-1]), c = xs[-1] (Python makes b a list)."""
        star = next(i for i, t in enumerate(target.elts) if isinstance(t, gast.Starred))
        after = len(target.elts) - star - 1
        length = build.call(self.builtin_name("len", origin), whole)
        enough = gast.Compare(left=length, ops=[gast.GtE()], comparators=[build.const(len(target.elts) - 1)])
        # as Python does, too few values is an error, not a shorter unpacking
        self.statement(gast.copy_location(gast.Assert(test=enough, msg=build.const(
            f"not enough values to unpack (expected at least {len(target.elts) - 1})")), origin))
        for index, t in enumerate(target.elts):
            if index < star:
                element = gast.Subscript(value=whole, slice=build.const(index), ctx=gast.Load())
            elif index > star:
                element = gast.Subscript(value=whole, slice=build.const(index - len(target.elts)), ctx=gast.Load())
            else:
                upper = build.const(-after) if after else None
                rest = gast.Subscript(value=whole, slice=gast.Slice(lower=build.const(star), upper=upper, step=None),
                                      ctx=gast.Load())
                t, element = t.value, build.call(self.builtin_name("list", origin), rest)
            self.assign_to(t, element, origin)

    def stmt_Return(self, node) -> None:
        if self.nesting > 0 or self.output is not None:
            raise self.unsupported(
                node, "`return` inside a loop or branch",
                "assign the result to a variable and return it once at the end of the function",
            )
        if node.value is None:
            raise self.unsupported(node, "`return` without a value", "return the value to differentiate")
        if is_atom_expr(node.value):
            self.output = self.atom(node.value)
            return
        user = self.namer.claim(_output_name(self.src.tree.name))
        self.assign_to(build.store(user), node.value, node)
        self.output = build.load(self.env[user])

    # ---- if -----------------------------------------------------------
    def stmt_If(self, node) -> None:
        test = self.atom(node.test)
        self.branch(test, node.body, node.orelse, node)

    def branch(self, test, body_stmts, orelse_stmts, origin) -> None:
        before = dict(self.env)
        live = set()
        if hasattr(origin, "end_lineno"):
            assigned = assigned_user_names(body_stmts) | assigned_user_names(orelse_stmts)
            live = {u for u in assigned if u not in before
                    and live_after(self.src.tree, origin, self.enclosing_loops, u)}
        self.nesting += 1
        body = self.block(body_stmts)
        after_body, self.env = self.env, dict(before)
        orelse = self.block(orelse_stmts)
        self.nesting -= 1
        after_orelse = self.env
        unbound = set()                   # the None a path that leaves a name unbound gives it
        for user in sorted(live):
            # assigned on one path only: Python leaves it unbound on the other, SSA gives it None there
            for after, block in ((after_body, body), (after_orelse, orelse)):
                if user not in after:
                    after[user] = self.define(user)
                    unbound.add(after[user])
                    block.append(build.assign(after[user], build.const(None), origin))
        merged: dict[str, str] = {}
        for user in after_body.keys() & after_orelse.keys():
            a, b = after_body[user], after_orelse[user]
            if a == b:
                merged[user] = a
                continue
            existing = set(before.values())     # a loop carried in place re-assigns a name from before
            a_local = a not in existing and assigns(body, a)
            b_local = b not in existing and assigns(orelse, b)
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
        # owned after the `if` only if owned on both paths, or on one where the other leaves the name unbound
        # (a list built under a condition, changed under the same one: on the other path Python would fail)
        for user, name in merged.items():
            if not {after_body[user], after_orelse[user]} - unbound <= self.owned:
                self.owned.discard(name)
        self.env = {**before, **merged}
        node = gast.If(test=test, body=body or [gast.Pass()], orelse=orelse)
        node.s2s = IfInfo({n for u, n in merged.items() if before.get(u) != n})
        gast.copy_location(node, origin)
        self.emit(node)



def _paired(target, value) -> list:
    """(target, value) pairs of an unpacking whose right side is a display of the same length, nested
    displays paired element by element too."""
    pairs = []
    for t, v in zip(target.elts, value.elts):
        if isinstance(t, (gast.Tuple, gast.List)) and isinstance(v, (gast.Tuple, gast.List)) \
                and len(t.elts) == len(v.elts) and not any(isinstance(e, gast.Starred) for e in t.elts + v.elts):
            pairs += _paired(t, v)
        else:
            pairs.append((t, v))
    return pairs


def _output_name(function_name: str) -> str:
    return "out" if function_name.startswith("lambda") else function_name


_KEYED = (dict, set, frozenset)      # iterated through list(x), never by position

__all__ = ["SSAFunction", "normalize", "info_of"]

