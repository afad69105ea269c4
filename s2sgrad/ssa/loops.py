"""Loops in single-assignment form.

Every `for` becomes a loop over `range(...)` (over `range(len(seq))` with
`x = seq[i]` for a sequence, `enumerate` or `zip`), so the reverse sweep can
replay the iterations backwards. A dict is iterated through a list of its keys,
`keys = list(d)`, reading each value as `d[k]` (dicts.py), since `d[i]` would
look up the key i. A variable assigned in the body and read
after the loop or by the next iteration is carried: it keeps one name, the
body computes new versions and copies them back at its end. A `while` loop
counts its iterations; so does a `for` loop that may stop early.
"""
from __future__ import annotations

import gast

from ..analysis.resolve import dotted_name, resolve_global
from . import ast_build as build
from .atoms import range_len, resolved
from .info import IfInfo, LoopInfo
from .loop_reads import exposed_reads
from .scopes import assigned_user_names, live_after_names


class LoopNormalization:
    """Mixed into the normalizer (ssa/normalize.py)."""

    def stmt_For(self, node) -> None:
        if node.orelse:
            raise self.unsupported(node, "a `for ... else` loop", "use a flag variable set before `break`")
        header, index_target, elements = self.loop_header(node)
        index = self.define(index_target) if isinstance(index_target, str) else self.temporary_index()
        prologue = [
            (target, gast.Subscript(value=sequence, slice=resolved(index), ctx=gast.Load())
             if isinstance(sequence, gast.AST) else sequence(index))
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
            sequence = self.atom(self.listed(it.args[0], node))
            return range_len(sequence), target.elts[0].id, [(target.elts[1], sequence)]
        if builtin is zip and it.args and not it.keywords and not any(isinstance(a, gast.Starred) for a in it.args):
            sequences = [self.atom(a) for a in it.args]
            if not (isinstance(target, gast.Tuple) and len(target.elts) == len(sequences)):
                raise self.unsupported(node, "a `for` over zip() whose target does not unpack every sequence")
            shortest = build.call("min", *[build.call("len", s) for s in sequences]) if len(sequences) > 1 \
                else build.call("len", sequences[0])
            return build.call("range", shortest), None, list(zip(target.elts, sequences))
        keyed = None if builtin is reversed else self.keyed_iteration(node)   # over a dict: its keys (dicts.py)
        if keyed is not None:
            return keyed
        sequence = self.atom(self.listed(it, node))
        return range_len(sequence), None, [(target, sequence)]

    def listed(self, it, loop):
        """What a `for` iterates, as something indexable by position: reversed(seq) is seq[::-1] (for a
        range, list, tuple or array, as generated gradients run them), a generator or an iterator consumed
        by the loop (map, filter, zip, enumerate) is the list it yields."""
        func = dotted_name(it.func) if isinstance(it, gast.Call) else None
        builtin = func and func not in self.env and resolve_global(func, self.src.globals, self.src.closure)
        if builtin is reversed and len(it.args) == 1 and not it.keywords:
            return gast.Subscript(value=self.listed(it.args[0], loop),
                                  slice=gast.Slice(lower=None, upper=None, step=build.const(-1)), ctx=gast.Load())
        if isinstance(it, gast.GeneratorExp):
            return self.generator_as_list(it, loop)     # comprehensions.py
        if self.iterator_as_list(it) is not None:       # map, filter, zip(*rows): the list they yield
            return self.generator_as_list(self.iterator_as_list(it), loop)
        return it

    def stmt_While(self, node) -> None:
        if node.orelse:
            raise self.unsupported(node, "a `while ... else` loop", "use a flag variable set before `break`")
        self.loop(node, "while", None, None, [])

    def loop(self, node, kind, header, index, prologue, index_user=None) -> None:
        tested = [gast.Expr(value=node.test)] if kind == "while" else []     # `while (y := f(y)) > 0:`
        assigned = assigned_user_names(node.body + tested) | ({index_user} if index_user else set()) | {
            t.id for t, _ in prologue for t in build.walk(t) if isinstance(t, gast.Name)
        }
        live = live_after_names(self.src.tree, node, self.enclosing_loops, {u for u in assigned if u not in self.env})
        # read by the next iteration before this one assigns it (`prev`, or a while test's `:=`, which the
        # loop below evaluates again at the end of its body): carried too (loop_reads.py)
        if kind == "for":
            first = ({index_user} if index_user else set()) | {
                t.id for t, _ in prologue for t in build.walk(t) if isinstance(t, gast.Name)}
            exposed = exposed_reads(node.body, assigned - live - set(self.env), first)
        else:
            exposed = exposed_reads(node.body + tested, assigned - live - set(self.env))
        live |= exposed
        carried_users = sorted(u for u in assigned if u in self.env or u in live)
        if kind == "for" and index_user is not None and index_user not in carried_users:
            # the index is re-assigned by the loop itself; it is carried only when read after the loop
            # (Python keeps its old value when the loop runs zero times)
            assigned.discard(index_user)
        in_place = self.loop_depth == 0
        test = None
        condition_name = None
        if kind == "while":         # tested before the carried names are set up: `(y := ...)` in it assigns y
            if isinstance(node.test, gast.Constant):
                test = node.test
            else:
                condition_name = self.define(self.namer.claim("running"))
                self.emit(build.assign(condition_name, self.op(node.test), node))
                test = build.load(condition_name)
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

        # names the body assigned (the index too) but nobody reads after the loop go out of scope with it
        self.env = {u: n for u, n in self.env.items() if (u in env_at_entry or u in carried) and u != index_user
                    or u in carried}
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
        if not body:                            # `for i in range(n): pass`
            body.append(gast.Pass())
        if kind == "for":
            loop = gast.For(target=build.store(index), iter=header, body=body, orelse=[], type_comment=None)
        else:
            loop = gast.While(test=test, body=body, orelse=[])
        # a fresh name each iteration assigns before reading needs no tape; an exposed one does
        fresh = [name for user, name in carried.items() if user not in entry_users and user not in exposed]
        loop.s2s = LoopInfo(kind, all_carried, in_place, len(copies), counter,
                            [self.env.get(f, f) for f in flags], fresh)
        gast.copy_location(loop, node)
        self.emit(loop)

    def stmt_Break(self, node) -> None:
        raise self.unsupported(node, "`break`", "s2sgrad rewrites `break` before this pass; this is a bug")

    stmt_Continue = stmt_Break
