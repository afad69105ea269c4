"""Small constructors for the gast nodes the passes emit (gast nodes need every field), and the
name queries every pass asks of statements."""
from __future__ import annotations

import gast


def load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def store(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)


def const(value) -> gast.Constant:
    return gast.Constant(value=value, kind=None)


def assign(target: str | gast.expr, value: gast.expr, origin=None) -> gast.Assign:
    target_node = store(target) if isinstance(target, str) else target
    node = gast.Assign(targets=[target_node], value=value, type_comment=None)
    if origin is not None and hasattr(origin, "lineno"):
        gast.copy_location(node, origin)
    return node


def call(func: str | gast.expr, *args: gast.expr, keywords=()) -> gast.Call:
    func_node = load(func) if isinstance(func, str) else func
    return gast.Call(func=func_node, args=list(args), keywords=list(keywords))


def method_call(obj: str, method: str, *args: gast.expr) -> gast.Call:
    return call(gast.Attribute(value=load(obj), attr=method, ctx=gast.Load()), *args)


def tuple_of(elts, store_ctx: bool = False) -> gast.Tuple:
    ctx = gast.Store() if store_ctx else gast.Load()
    return gast.Tuple(elts=list(elts), ctx=ctx)


def binop(left: gast.expr, op: gast.operator, right: gast.expr) -> gast.BinOp:
    return gast.BinOp(left=left, op=op, right=right)


def walk(node):
    """Every node under `node` (itself included), as gast.walk gives them but in another order, about
    twice as fast: the passes ask this of every statement, and gast.walk's generators dominated."""
    todo = [node]
    pop, push, extend = todo.pop, todo.append, todo.extend
    while todo:
        node = pop()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                extend([item for item in value if isinstance(item, _AST)])
            elif isinstance(value, _AST):
                push(value)


NESTED_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)


def own_nodes(stmts):
    """The nodes of these statements, not looking inside nested defs, classes and lambdas (their
    returns, jumps and `super()` calls are theirs)."""
    stack = list(stmts)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, NESTED_SCOPES):
            stack.extend(gast.iter_child_nodes(node))


_POSITIONS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def located_at(new, origin, every: bool = False):
    """`new` with `origin`'s source position on each of its nodes that has none (on every node with
    `every`), so an error in code s2sgrad wrote names the user's line."""
    for node in gast.walk(new):
        for attr in _POSITIONS:
            if attr in node._attributes and (every or getattr(node, attr, None) is None):
                setattr(node, attr, getattr(origin, attr, None))
    return new


def _names(stmts, context, skip=None) -> set[str]:
    """The ids of the Name nodes in `stmts` whose context is `context` (one walk, no generator), not
    looking inside the nodes whose ids are in `skip`."""
    found = set()
    todo = list(stmts)
    pop, push, extend = todo.pop, todo.append, todo.extend
    while todo:
        node = pop()
        if skip is not None and id(node) in skip:
            continue
        if type(node) is _Name:
            if type(node.ctx) is context:
                found.add(node.id)
            if node.annotation is None and node.type_comment is None:
                continue
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                extend([item for item in value if isinstance(item, _AST)])
            elif isinstance(value, _AST):
                push(value)
    return found


_AST, _Name = gast.AST, gast.Name


def loads(stmts) -> set[str]:
    """Every name the statements (or expressions) read."""
    return _names(stmts, gast.Load)


def stores(stmts) -> set[str]:
    """Every name the statements assign."""
    return _names(stmts, gast.Store)


def loads_outside(stmts, block) -> set[str]:
    """Names read by statements of `stmts` that are not inside `block` (a block nested in them, at any
    depth): the walk stops at the block's statements instead of collecting every node under them."""
    return _names(stmts, gast.Load, {id(s) for s in block})


def store_count(stmts, name: str) -> int:
    """How many times the statements assign `name`."""
    count = 0
    for s in stmts:
        for n in walk(s):
            if type(n) is _Name and n.id == name and type(n.ctx) is gast.Store:
                count += 1
    return count


def store_counts(stmts) -> dict[str, int]:
    """How many times the statements assign each name (store_count for every name, in one walk)."""
    counts: dict[str, int] = {}
    for s in stmts:
        for n in walk(s):
            if type(n) is _Name and type(n.ctx) is gast.Store:
                counts[n.id] = counts.get(n.id, 0) + 1
    return counts


def rename_loads(node, old: str, new: str) -> None:
    """Make every read of `old` in `node` read `new` (in place)."""
    for n in walk(node):
        if type(n) is _Name and type(n.ctx) is gast.Load and n.id == old:
            n.id = new
