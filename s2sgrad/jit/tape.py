"""The tape as typed storage: one stack per recorded name instead of one list of mixed tuples.

The reverse-mode tape (reverse/recording.py) is one Python list: each loop
body or branch pushes a tuple of the values its reversal reads
(`tape.append((t1, x, v))`) and the reversal pops it back
(`t1, x, v = tape.pop()`). numba needs a list's elements to share one type,
which a tuple of a bool and two floats next to a lone float does not.

Every pop site pops exactly what its paired push site pushed (the same names,
in the same order), so the values of any one name, taken alone, are still
pushed and popped last-in first-out. Splitting the tape into one stack per
name (`x_tape.append(x)` ... `x = x_tape.pop()`) therefore replays the same
values, and each stack holds one type. Where a recorded loop's trip count is
the loop's own `range`, numba still grows the list by doubling, which is
amortized constant time per push.
"""
from __future__ import annotations

import ast


def split_tapes(function: ast.FunctionDef, zeros_like=lambda name: name == "zeros_like") -> list[str]:
    """Rewrite each tape of `function` in place into per-name stacks; return the stacks' names.
    `zeros_like(name)`: whether the name calls the runtime's zeros_like (generated code may hold two
    under two names, `zeros_like_1`)."""
    _empty_tangent_tapes(function, zeros_like)
    stacks: list[str] = []
    for tape in _tapes(function):
        stacks += _split(function, tape)
    return stacks


def _empty_tangent_tapes(function: ast.FunctionDef, zeros_like) -> None:
    """Forward mode over a gradient carries a tangent tape beside the tape: `tape = []` then
    `tape_dot = zeros_like(tape)`, the tangent of an empty list, itself an empty list; written
    `tape_dot = []`, it splits into typed stacks like the tape it mirrors."""
    body = function.body
    for before, stmt in zip(body, body[1:]):
        if _creates_empty_list(before) and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Name) and zeros_like(stmt.value.func.id) \
                and len(stmt.value.args) == 1 and not stmt.value.keywords \
                and isinstance(stmt.value.args[0], ast.Name) and stmt.value.args[0].id == before.targets[0].id:
            stmt.value = ast.List(elts=[], ctx=ast.Load())


def _creates_empty_list(stmt) -> bool:
    return isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
        and isinstance(stmt.value, ast.List) and not stmt.value.elts


def _tapes(function: ast.FunctionDef) -> list[str]:
    """Lists created empty at the top level and used only as `L.append(names)` and `names = L.pop()`."""
    found = []
    for stmt in function.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.List) and not stmt.value.elts:
            name = stmt.targets[0].id
            if _only_pushed_and_popped(function, name, stmt):
                found.append(name)
    return found


def _only_pushed_and_popped(function, name, creation) -> bool:
    """Whether `name` is used only as a tape, and its pop sites pop what its push sites push: the same
    names (the reverse sweep's own code), or, with one push site and one pop site, the same number of
    values (forward mode over a gradient renames them: `tape.append(c)` ... `c_3 = tape.pop()`)."""
    allowed = set()
    pushed, popped = set(), set()
    for node in ast.walk(function):
        if isinstance(node, ast.Expr) and _is_method_call(node.value, name, "append") \
                and _names_of(node.value.args[0]) is not None:
            allowed.add(id(node.value.func.value))
            pushed.add(tuple(_names_of(node.value.args[0])))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _is_method_call(node.value, name, "pop") \
                and not node.value.args and _names_of(node.targets[0]) is not None:
            allowed.add(id(node.value.func.value))
            popped.add(tuple(_names_of(node.targets[0])))
    allowed.add(id(creation.targets[0]))
    uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name]
    paired = pushed == popped or (len(pushed) == len(popped) == 1
                                  and len(next(iter(pushed))) == len(next(iter(popped))))
    return bool(pushed) and paired and all(id(n) in allowed for n in uses)


def _pop_aliases(function, tape: str) -> dict[str, str]:
    """popped name -> the pushed name whose stack it pops, where one push site and one pop site rename."""
    pushes = [n.value.args[0] for n in ast.walk(function)
              if isinstance(n, ast.Expr) and _is_method_call(n.value, tape, "append")]
    pops = [n.targets[0] for n in ast.walk(function)
            if isinstance(n, ast.Assign) and _is_method_call(n.value, tape, "pop")]
    if len(pushes) != 1 or len(pops) != 1:
        return {}
    return dict(zip(_names_of(pops[0]), _names_of(pushes[0])))


def _is_method_call(node, name, method) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == name


def _names_of(node) -> list[str] | None:
    """`x` -> [x]; `(a, b)` -> [a, b]; anything else -> None."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Tuple) and node.elts and all(isinstance(e, ast.Name) for e in node.elts):
        return [e.id for e in node.elts]
    return None


def _split(function, tape: str) -> list[str]:
    taken = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} | {a.arg for a in ast.walk(function)
                                                                           if isinstance(a, ast.arg)}
    stack_of: dict[str, str] = {}
    aliases = _pop_aliases(function, tape)

    def stack(name: str) -> str:
        if name not in stack_of:
            candidate, k = f"{name}_tape", 1
            while candidate in taken:
                k += 1
                candidate = f"{name}_tape{k}"
            taken.add(candidate)
            stack_of[name] = candidate
        return stack_of[name]

    def rewrite(block: list) -> list:
        out = []
        for stmt in block:
            if isinstance(stmt, ast.Expr) and _is_method_call(stmt.value, tape, "append"):
                for name in _names_of(stmt.value.args[0]):
                    out.append(_copy_location(_push(stack(name), name), stmt))
                continue
            if isinstance(stmt, ast.Assign) and _is_method_call(stmt.value, tape, "pop"):
                for name in _names_of(stmt.targets[0]):
                    out.append(_copy_location(_pop(stack(aliases.get(name, name)), name), stmt))
                continue
            for field in ("body", "orelse"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(stmt, field, rewrite(inner))
            out.append(stmt)
        return out

    body = rewrite(function.body)
    creation = next(i for i, s in enumerate(body) if isinstance(s, ast.Assign)
                    and isinstance(s.targets[0], ast.Name) and s.targets[0].id == tape)
    body[creation:creation + 1] = [ast.Assign(targets=[ast.Name(id=s, ctx=ast.Store())],
                                              value=ast.List(elts=[], ctx=ast.Load()))
                                   for s in stack_of.values()]
    function.body = body
    return list(stack_of.values())


def _push(stack: str, name: str) -> ast.stmt:
    call = ast.Call(func=ast.Attribute(value=ast.Name(id=stack, ctx=ast.Load()), attr="append", ctx=ast.Load()),
                    args=[ast.Name(id=name, ctx=ast.Load())], keywords=[])
    return ast.Expr(value=call)


def _pop(stack: str, name: str) -> ast.stmt:
    call = ast.Call(func=ast.Attribute(value=ast.Name(id=stack, ctx=ast.Load()), attr="pop", ctx=ast.Load()),
                    args=[], keywords=[])
    return ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=call)


def _copy_location(new, old):
    return ast.copy_location(new, old)


# ---- preallocation -----------------------------------------------------------------------------
def preallocate(function: ast.FunctionDef, dtypes: dict[str, str], numpy: str) -> list[str]:
    """Stacks pushed at most once per iteration of a `for` over `range` at the function's top level
    become arrays of the loop's length, with a counter: `x_tape[x_top] = x` / `x = x_tape[x_top]`.

    `dtypes` maps a stack to the NumPy type of its elements (numba's typing of the list version
    says which). A push site in the loop's body, or in a branch of it, runs at most once per
    iteration, so the trip count bounds the pushes (a `break` or a branch not taken only leaves
    room unused). Stacks pushed inside an inner loop, or by loops inside branches or other loops,
    whose total count is not known up front, keep their lists."""
    taken = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} | {a.arg for a in ast.walk(function)
                                                                           if isinstance(a, ast.arg)}
    push_sites = {}
    for node in ast.walk(function):
        for stmt in _blocks_of(node):
            if _push_stack(stmt) is not None:
                push_sites.setdefault(_push_stack(stmt), []).append(stmt)
    arrays: dict[str, str] = {}
    body = []
    for stmt in function.body:
        if isinstance(stmt, ast.For) and _is_range(stmt.iter):
            for inner in _once_per_iteration(stmt.body):
                stack = _push_stack(inner)
                if stack in dtypes and len(push_sites.get(stack, ())) == 1 and stack not in arrays:
                    counter = _fresh(f"{stack[:-5] if stack.endswith('_tape') else stack}_top", taken)
                    arrays[stack] = counter
                    length = ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[stmt.iter], keywords=[])
                    dtype = ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr=dtypes[stack],
                                          ctx=ast.Load())
                    empty = ast.Call(func=ast.Attribute(value=ast.Name(id=numpy, ctx=ast.Load()), attr="empty",
                                                        ctx=ast.Load()), args=[length, dtype], keywords=[])
                    body.append(ast.Assign(targets=[ast.Name(id=stack, ctx=ast.Store())], value=empty))
                    body.append(ast.Assign(targets=[ast.Name(id=counter, ctx=ast.Store())], value=ast.Constant(0)))
        body.append(stmt)
    if not arrays:
        return []
    function.body = [s for s in body if not _creates_list(s, arrays)]
    _Indexed(arrays).visit(function)
    return list(arrays)


def _blocks_of(node):
    for field in ("body", "orelse"):
        block = getattr(node, field, None)
        if isinstance(block, list):
            yield from (s for s in block if isinstance(s, ast.stmt))


def _push_stack(stmt) -> str | None:
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "append" \
            and isinstance(stmt.value.func.value, ast.Name) and len(stmt.value.args) == 1:
        return stmt.value.func.value.id
    return None


def _is_range(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
        and not node.keywords and all(isinstance(a, (ast.Name, ast.Constant)) for a in node.args)


def _once_per_iteration(block):
    """The statements of a loop body that run at most once per iteration: its own, and its branches'."""
    for stmt in block:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _once_per_iteration(stmt.body)
            yield from _once_per_iteration(stmt.orelse)


def _creates_list(stmt, arrays) -> bool:
    return isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name) \
        and stmt.targets[0].id in arrays and isinstance(stmt.value, ast.List)


def _fresh(name: str, taken: set[str]) -> str:
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name}{k}"
    taken.add(candidate)
    return candidate


class _Indexed(ast.NodeTransformer):
    """`s.append(v)` -> `s[top] = v; top = top + 1`;  `v = s.pop()` -> `top = top - 1; v = s[top]`."""

    def __init__(self, arrays: dict[str, str]):
        self.arrays = arrays

    def _name(self, name, ctx=None):
        return ast.Name(id=name, ctx=ctx or ast.Load())

    def _step(self, counter, op):
        return ast.Assign(targets=[self._name(counter, ast.Store())],
                          value=ast.BinOp(self._name(counter), op, ast.Constant(1)))

    def visit_Expr(self, node):
        stack = _push_stack(node)
        if stack in self.arrays:
            counter = self.arrays[stack]
            store = ast.Subscript(value=self._name(stack), slice=self._name(counter), ctx=ast.Store())
            return [ast.Assign(targets=[store], value=node.value.args[0]), self._step(counter, ast.Add())]
        return node

    def visit_Assign(self, node):
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "pop" \
                and isinstance(value.func.value, ast.Name) and value.func.value.id in self.arrays:
            stack = value.func.value.id
            counter = self.arrays[stack]
            read = ast.Subscript(value=self._name(stack), slice=self._name(counter), ctx=ast.Load())
            return [self._step(counter, ast.Sub()), ast.Assign(targets=node.targets, value=read)]
        return node


def as_plain_variables(function: ast.FunctionDef, stacks: list[str]) -> None:
    """For typing only: `s = []` goes, `s.append(v)` becomes `s = v` and `v = s.pop()` becomes `v = s`,
    so numba's type inference says the type of each stack's elements without typing list methods
    (which costs it compiling them)."""
    names = set(stacks)

    class Plain(ast.NodeTransformer):
        def visit_Assign(self, node):
            if isinstance(node.value, ast.List) and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id in names:
                return None
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "pop" \
                    and isinstance(value.func.value, ast.Name) and value.func.value.id in names:
                node.value = ast.Name(id=value.func.value.id, ctx=ast.Load())
            return node

        def visit_Expr(self, node):
            stack = _push_stack(node)
            if stack in names:
                return ast.Assign(targets=[ast.Name(id=stack, ctx=ast.Store())], value=node.value.args[0])
            return node

    Plain().visit(function)
    for node in ast.walk(function):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and field == "body" and not block and isinstance(node, ast.stmt):
                node.body = [ast.Pass()]
