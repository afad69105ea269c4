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


def split_tapes(function: ast.FunctionDef) -> list[str]:
    """Rewrite each tape of `function` in place into per-name stacks; return the stacks' names."""
    stacks: list[str] = []
    for tape in _tapes(function):
        stacks += _split(function, tape)
    return stacks


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
    allowed = set()
    pushes = pops = 0
    for node in ast.walk(function):
        if isinstance(node, ast.Expr) and _is_method_call(node.value, name, "append") \
                and _names_of(node.value.args[0]) is not None:
            allowed.add(id(node.value.func.value))
            pushes += 1
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _is_method_call(node.value, name, "pop") \
                and not node.value.args and _names_of(node.targets[0]) is not None:
            allowed.add(id(node.value.func.value))
            pops += 1
    allowed.add(id(creation.targets[0]))
    uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name]
    return pushes > 0 and all(id(n) in allowed for n in uses)


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
                    out.append(_copy_location(_pop(stack(name), name), stmt))
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
