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


def loads(stmts) -> set[str]:
    """Every name the statements (or expressions) read."""
    return {n.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def stores(stmts) -> set[str]:
    """Every name the statements assign."""
    return {n.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def store_count(stmts, name: str) -> int:
    """How many times the statements assign `name`."""
    return sum(1 for s in stmts for n in gast.walk(s)
               if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store) and n.id == name)


def rename_loads(node, old: str, new: str) -> None:
    """Make every read of `old` in `node` read `new` (in place)."""
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id == old:
            n.id = new
