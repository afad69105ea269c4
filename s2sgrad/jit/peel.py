"""A loop whose carried name is a number before it and an array inside it, with its first iteration peeled.

    acc = 0.0
    for i in range(n):
        acc = acc + x[i] * w          # w an array: acc is an array from the first iteration on

numba types each name once, so `acc` (a float before the loop, an array after
one iteration) cannot be compiled as written. Run the first iteration on its
own before the loop, and inside the loop `acc` is an array from the start:

    nonempty_range(range(n))          # no iteration: NumPy's acc stays a number, so Python answers
    i = 0
    <the body>                        # acc = 0.0 + x[0] * w: an array
    for i in range(0 + 1, n, 1):
        <the body>

The same statements run on the same values in the same order. What the first
iteration records on the tape for the reverse sweep, where it holds one of the
names whose type changes (`acc` and what is computed from it), is kept in a
variable of its own (`acc_first`) instead of the tape's stack of arrays, and
the reverse loop's last iteration, run after it on its own, reads it back.

A loop left by a `break` (generated code sets a flag and ends the body with
`if stop: break`, counting the iterations for the reverse loop,
`reversed(range(n)[:n_iter])`) peels too: the rest of the loop runs
`if not stop:`, and the reverse loop runs `range(1, n)[:n_iter - 1]` before the
first iteration's reversal.

Forward mode over the gradient (a Hessian) carries a tangent beside each name
(`acc_dot`, of acc's kind: the two peel together) and a tangent tape beside
the tape (`tape_dot = zeros_like(tape)`: both keep the first iteration's
records aside); its reversal runs `t8 = t7[::-1]; for i_1 in range(len(t8))`,
which peels to `range(len(t8) - 1)` and the first iteration at `len(t8) - 1`,
and pops under other names (`t9 = tape.pop()` for `tape.append(t4)`), read
back by position from what the push they pair with kept.

Where numba reports which name it could not type (api/jit_gradient.py retries
with it), `peel` rewrites the generated gradient before numba_ready's other
rewrites. A loop it cannot peel (an `else`, a `break` or `continue` not lowered
to a flag, a recorded value inside an inner loop, a reverse loop it cannot find)
is left alone, and the module is refused with the reason and the line, as is a
peeled loop whose first iteration may still leave the name a number (numba
says so again: a branch, after a `continue` or before a `break`, that does not
assign it); the call falls back to Python.
"""
from __future__ import annotations

import ast
import copy


def peel(fn: ast.FunctionDef, names: set[str], helper: str, taken: set[str]) -> tuple[bool, ast.stmt | None, str]:
    """Peel, in place, the first top-level `for` over `range` that carries one of `names` (assigned before
    it and in it); `helper` names helpers.nonempty_range in the module. (whether a loop was peeled; the
    loop's statement that assigns a carried name and, where it was not peeled, why not)."""
    body = fn.body
    parameters = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    for k, loop in enumerate(body):
        if not (isinstance(loop, (ast.For, ast.While)) and loop.body):
            continue
        inside, before = names & _assigned(loop.body), parameters | _assigned(body[:k])
        # numba may name a value computed from the carried name (`acc_1 = acc + t2`) rather than the name
        carried = inside & before or {c for c in _assigned(loop.body) & before
                                      if inside & _dependents(loop.body, {c})}
        if not carried:
            continue
        # forward mode's `<name>_dot` holds the tangent of <name>, of its kind: one changes kind with the other
        partners = {c[:-4] for c in carried if c.endswith("_dot")} | {f"{c}_dot" for c in carried}
        carried |= partners & _assigned(loop.body) & before
        where = _assignment(loop.body, carried)
        why = "it is a `while` loop (only a `for` over a `range` is peeled)" if isinstance(loop, ast.While) \
            else _why_not_simple(loop)
        if why:
            return False, where, why
        changing = _dependents(loop.body, carried)
        tapes = _tapes(body[:k])
        recorded = [p for p in _pushes(loop.body, tapes) if set(_names(p.value.args[0])) & changing]
        if any(not _once_per_iteration(loop.body, p) for p in recorded):
            return False, where, "it records the name in an inner loop"
        reverse = None
        if recorded:
            reverse = next((j for j in range(k + 1, len(body))
                            if _reverses(body[j], loop) or _reverses_sequence(body, j, loop)), None)
            if reverse is None:
                return False, where, "its reverse loop is not one over the same range"
        first = {name: fresh_name(f"{name}_first", taken) for name in sorted(changing)}
        peeled_forward = _peeled_forward(loop, tapes, changing, first, helper)
        if reverse is not None:
            peeled_reverse = _peeled_reverse(body[reverse], loop, tapes, recorded, changing, first,
                                             _reverses_sequence(body, reverse, loop))
            if peeled_reverse is None:
                return False, where, "its reverse loop reads the name other than where it pops it"
            body[reverse:reverse + 1] = peeled_reverse
        body[k:k + 1] = peeled_forward
        return True, where, ""
    return False, None, ""


def _tapes(statements) -> set[str]:
    """The tapes made before the loop: lists created empty, and forward mode's tangent tapes beside them
    (`tape_dot = zeros_like(tape)`, an empty list too)."""
    found = set()
    for s in statements:
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
            value = s.value
            if isinstance(value, ast.List) and not value.elts:
                found.add(s.targets[0].id)
            elif isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords \
                    and isinstance(value.args[0], ast.Name) and value.args[0].id in found:
                found.add(s.targets[0].id)
    return found


def _assignment(block, names):
    """The first statement of `block` (or of the blocks inside it) that assigns one of `names`."""
    for stmt in block:
        for node in ast.walk(stmt):
            if isinstance(node, ast.stmt) and not isinstance(node, (ast.If, ast.For, ast.While)) \
                    and any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in names
                            for n in ast.walk(node)):
                return node
    return None


def _why_not_simple(stmt) -> str:
    """Why `stmt` is not a loop this peels ("" where it is): `for i in range(a, b, s)` with names or literals
    for bounds, no `else`, and no `break` or `continue` but the lowered one: generated code leaves a loop
    by a flag, its body ending in `if stop: break` (_lowered_break)."""
    if not _is_range(stmt.iter) or not isinstance(stmt.target, ast.Name):
        return "it is not a `for` over a `range` of names or literals"
    if stmt.orelse:
        return "it has an `else`"
    body = stmt.body[:-1] if _lowered_break(stmt) else stmt.body
    for s in body:
        for n in ast.walk(s):
            if isinstance(n, (ast.Break, ast.Continue)):
                return f"a `{'break' if isinstance(n, ast.Break) else 'continue'}` other than at the end of its body"
            if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.Return, ast.Yield)):
                return f"a `{type(n).__name__.lower()}` in its body"
    return ""


def _lowered_break(loop):
    """The flag of `if stop: break`, the last statement of `loop`'s body (how generated code leaves a loop),
    or None."""
    last = loop.body[-1] if loop.body else None
    if isinstance(last, ast.If) and isinstance(last.test, ast.Name) and not last.orelse and len(last.body) == 1 \
            and isinstance(last.body[0], ast.Break):
        return last.test.id
    return None


def _is_range(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
        and not node.keywords and 1 <= len(node.args) <= 3 \
        and all(isinstance(a, (ast.Name, ast.Constant)) or _negative_literal(a) for a in node.args)


def _negative_literal(node) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)


def _assigned(statements) -> set[str]:
    return {n.id for s in statements for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _dependents(statements, names: set[str]) -> set[str]:
    """`names` and every name the loop body computes from them (what may be a number in the first
    iteration and an array after), to a fixed point (the body runs again with what it computed)."""
    found = set(names)
    assignments = [n for s in statements for n in ast.walk(s) if isinstance(n, (ast.Assign, ast.AugAssign))]
    changed = True
    while changed:
        changed = False
        for node in assignments:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            read = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            if read & found:
                for target in targets:
                    for n in ast.walk(target):
                        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id not in found:
                            found.add(n.id)
                            changed = True
    return found


def _pushes(statements, tapes):
    return [n for s in statements for n in ast.walk(s) if isinstance(n, ast.Expr) and _method(n.value, tapes, "append")
            and len(n.value.args) == 1 and _names(n.value.args[0]) is not None]


def _pops(statements, tapes):
    return [n for s in statements for n in ast.walk(s) if isinstance(n, ast.Assign) and len(n.targets) == 1
            and _method(n.value, tapes, "pop") and not n.value.args and _names(n.targets[0]) is not None]


def _method(node, tapes, method) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method \
        and isinstance(node.func.value, ast.Name) and node.func.value.id in tapes


def _names(node):
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Name) for e in node.elts):
        return [e.id for e in node.elts]
    return None


def _once_per_iteration(block, target) -> bool:
    """Whether `target` is a statement of `block` or of its branches (not inside an inner loop)."""
    for stmt in block:
        if stmt is target:
            return True
        if isinstance(stmt, ast.If) and (_once_per_iteration(stmt.body, target)
                                         or _once_per_iteration(stmt.orelse, target)):
            return True
    return False


def _reverses(stmt, loop) -> bool:
    """Whether `stmt` is `for i in reversed(range(<loop's bounds>))`, the reverse sweep of `loop`, or
    `reversed(range(<loop's bounds>)[:count])` after a loop left by a `break` (count: the iterations run)."""
    it = stmt.iter if isinstance(stmt, ast.For) else None
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "reversed"
            and len(it.args) == 1 and not it.keywords and not stmt.orelse):
        return False
    inner, count = _counted(it.args[0])
    return ast.dump(inner) == ast.dump(loop.iter) and (count is None) == (_lowered_break(loop) is None)


def _reverses_sequence(body, j, loop) -> str | None:
    """The sequence's name where body[j] is forward mode's reversal of `loop` over a gradient
    (`t7 = range(n)`, `t8 = t7[::-1]`, `for i_1 in range(len(t8)): i_2 = t8[i_1] ...`), else None."""
    stmt = body[j]
    if not (isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name) and not stmt.orelse
            and _call_of(stmt.iter, "range") and _call_of(stmt.iter.args[0], "len")
            and isinstance(stmt.iter.args[0].args[0], ast.Name)):
        return None
    sequence = stmt.iter.args[0].args[0].id
    reversed_range = _reversed_name(_last_assignment(body[:j], sequence))
    if reversed_range is None:
        return None
    bounds = _last_assignment(body[:j], reversed_range)
    return sequence if bounds is not None and ast.dump(bounds) == ast.dump(loop.iter) else None


def _reversed_name(node) -> str | None:
    """R of `R[::-1]` (or of `reverse_sequence(R)`, numba_source's form of it), else None."""
    if _call_of(node, "reverse_sequence") and isinstance(node.args[0], ast.Name):
        return node.args[0].id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Slice) \
            and node.slice.lower is None and node.slice.upper is None and _literal_minus_one(node.slice.step):
        return node.value.id
    return None


def _literal_minus_one(node) -> bool:
    return _negative_literal(node) and node.operand.value == 1 or isinstance(node, ast.Constant) and node.value == -1


def _call_of(node, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name \
        and len(node.args) == 1 and not node.keywords


def _last_assignment(statements, name: str):
    for s in reversed(statements):
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) \
                and s.targets[0].id == name:
            return s.value
    return None


def _counted(node):
    """(the range, the count) of `range(...)[:count]`; (node, None) for anything else."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and node.slice.lower is None \
            and node.slice.step is None and node.slice.upper is not None:
        return node.value, node.slice.upper
    return node, None


def _bounds(range_call):
    """(start, stop, step) nodes of `range(...)`."""
    args = range_call.args
    if len(args) == 1:
        return ast.Constant(0), args[0], ast.Constant(1)
    if len(args) == 2:
        return args[0], args[1], ast.Constant(1)
    return args[0], args[1], args[2]


def _rest(range_call):
    """`range(start + step, stop, step)`: the iterations after the first."""
    start, stop, step = _bounds(range_call)
    if isinstance(start, ast.Constant) and isinstance(step, ast.Constant):
        after = ast.Constant(start.value + step.value)
    else:
        after = ast.BinOp(copy.deepcopy(start), ast.Add(), copy.deepcopy(step))
    one = isinstance(step, ast.Constant) and step.value == 1
    return ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                    args=[after, copy.deepcopy(stop)] + ([] if one else [copy.deepcopy(step)]), keywords=[])


def _peeled_forward(loop, tapes, changing, first, helper):
    start, _, _ = _bounds(loop.iter)
    check = ast.Expr(value=ast.Call(func=ast.Name(id=helper, ctx=ast.Load()), args=[copy.deepcopy(loop.iter)],
                                    keywords=[]))
    index = ast.Assign(targets=[ast.Name(id=loop.target.id, ctx=ast.Store())], value=copy.deepcopy(start))
    stop = _lowered_break(loop)
    once = copy.deepcopy(loop.body[:-1] if stop else loop.body)
    _Keep(tapes, changing, first, push=True).visit_block(once)
    rest = copy.copy(loop)
    rest.iter = _rest(loop.iter)
    if stop:
        # the first iteration's `break` leaves the loop: the rest runs only where it did not
        rest = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=ast.Name(id=stop, ctx=ast.Load())), body=[rest],
                      orelse=[])
    made = [check, index, *once, rest]
    for stmt in made:
        ast.copy_location(stmt, loop)
        ast.fix_missing_locations(stmt)
    return made


def _peeled_reverse(reverse, loop, tapes, recorded, changing, first, sequence=None):
    """The reverse loop over all iterations but the first, then the first's reversal on its own, its pops of
    what the first iteration kept aside read from the variables holding them. None where its pops do not
    pop what the recorded pushes push. `sequence`: the reversed range forward mode's reversal indexes
    (_reverses_sequence), whose last element is the first iteration."""
    aliases = _aliases(loop, reverse, tapes)
    if aliases is None:
        return None
    pushed = {tuple(_names(p.value.args[0])) for p in recorded}
    popped = {tuple(aliases.get(n, n) for n in _names(p.targets[0])) for p in _pops(reverse.body, tapes)}
    if not pushed <= popped:
        return None
    for pop in _pops(reverse.body, tapes):
        if {aliases.get(n, n) for n in _names(pop.targets[0])} & changing \
                and not _once_per_iteration(reverse.body, pop):
            return None
    if not isinstance(reverse.target, ast.Name):
        return None
    rest = copy.copy(reverse)
    if sequence is not None:          # range(len(t8) - 1), then the first iteration at len(t8) - 1
        length = ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[ast.Name(id=sequence, ctx=ast.Load())],
                          keywords=[])
        last = ast.BinOp(length, ast.Sub(), ast.Constant(1))
        rest.iter = ast.Call(func=ast.Name(id="range", ctx=ast.Load()), args=[last], keywords=[])
        index = ast.Assign(targets=[ast.Name(id=reverse.target.id, ctx=ast.Store())], value=copy.deepcopy(last))
    else:
        start, _, _ = _bounds(loop.iter)
        _, count = _counted(reverse.iter.args[0])
        after = _rest(loop.iter)
        if count is not None:         # the iterations run after the first: never negative, the first ran
            after = ast.Subscript(value=after, slice=ast.Slice(upper=ast.BinOp(copy.deepcopy(count), ast.Sub(),
                                                                               ast.Constant(1))), ctx=ast.Load())
        rest.iter = ast.Call(func=ast.Name(id="reversed", ctx=ast.Load()), args=[after], keywords=[])
        index = ast.Assign(targets=[ast.Name(id=reverse.target.id, ctx=ast.Store())], value=copy.deepcopy(start))
    once = copy.deepcopy(reverse.body)
    _Keep(tapes, changing, first, push=False, aliases=aliases).visit_block(once)
    made = [rest, index, *once]
    for stmt in made:
        ast.copy_location(stmt, reverse)
        ast.fix_missing_locations(stmt)
    return made


def _aliases(loop, reverse, tapes) -> dict | None:
    """popped name -> the pushed name it pops, for each tape whose pops rename what its pushes push (forward
    mode over a gradient: `tape.append(t4)` ... `t9 = tape.pop()`, one push site and one pop site); {} where
    they pop the same names; None where neither."""
    aliases = {}
    for tape in tapes:
        pushes = [_names(p.value.args[0]) for p in _pushes(loop.body, {tape})]
        pops = [_names(p.targets[0]) for p in _pops(reverse.body, {tape})]
        if {tuple(p) for p in pushes} == {tuple(p) for p in pops}:
            continue
        if len(pushes) != 1 or len(pops) != 1 or len(pushes[0]) != len(pops[0]):
            return None
        aliases.update(zip(pops[0], pushes[0]))
    return aliases


class _Keep:
    """In the peeled iteration: a push's changing names go to their `<name>_first` variables instead of the
    tape (`acc_first = acc`), and the peeled reversal's pop reads them back (`acc = acc_first`)."""

    def __init__(self, tapes, changing, first, push: bool, aliases=None):
        self.tapes, self.changing, self.first, self.push = tapes, changing, first, push
        self.aliases = aliases or {}            # popped name -> pushed name, where the pops rename

    def visit_block(self, block: list) -> None:
        out = []
        for stmt in block:
            out.extend(self._statement(stmt))
        block[:] = out

    def _statement(self, stmt):
        if self.push and isinstance(stmt, ast.Expr) and _method(stmt.value, self.tapes, "append") \
                and _names(stmt.value.args[0]) is not None:
            names = _names(stmt.value.args[0])
            kept = [n for n in names if n in self.changing]
            if not kept:
                return [stmt]
            aside = [ast.Assign(targets=[ast.Name(id=self.first[n], ctx=ast.Store())],
                                value=ast.Name(id=n, ctx=ast.Load())) for n in kept]
            rest = [n for n in names if n not in self.changing]
            if rest:
                stmt.value.args[0] = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Load()) for n in rest], ctx=ast.Load())
                return [*aside, stmt]
            return aside
        if not self.push and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and _method(stmt.value, self.tapes, "pop") and _names(stmt.targets[0]) is not None:
            names = _names(stmt.targets[0])
            pushed = {n: self.aliases.get(n, n) for n in names}
            kept = [n for n in names if pushed[n] in self.changing]
            if not kept:
                return [stmt]
            back = [ast.Assign(targets=[ast.Name(id=n, ctx=ast.Store())],
                               value=ast.Name(id=self.first[pushed[n]], ctx=ast.Load())) for n in kept]
            rest = [n for n in names if pushed[n] not in self.changing]
            if rest:
                stmt.targets[0] = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Store()) for n in rest], ctx=ast.Store())
                return [stmt, *back]
            return back
        for field in ("body", "orelse"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt) and isinstance(stmt, ast.If):
                self.visit_block(inner)
        return [stmt]


def fresh_name(name: str, taken: set[str]) -> str:
    """`name`, or `name_1`, `name_2`, ... : the first not in `taken`, which it joins."""
    candidate, k = name, 1
    while candidate in taken:
        candidate, k = f"{name}_{k}", k + 1
    taken.add(candidate)
    return candidate


_NUMBER = ("float64", "float32", "int64", "int32", "bool", "complex128", "Literal[int]", "Literal[float]")


def carried_name(exc: Exception) -> str | None:
    """The name numba could not type because it is a number on one path and an array on another
    ("Cannot unify float64 and array(float64, 1d, C) for 'acc.3'"), or None for any other complaint."""
    import re
    found = re.search(r"Cannot unify (.+?) and (.+?) for '([A-Za-z_]\w*?)(?:\.\d+)?'", str(exc))
    if found is None:
        return None
    kinds = sorted((found.group(1), found.group(2)), key=lambda k: k.startswith("array("))
    if not (kinds[1].startswith("array(") and kinds[0].startswith(_NUMBER)):
        return None
    return found.group(3)
