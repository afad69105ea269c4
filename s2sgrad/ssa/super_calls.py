"""`super().method(...)` in a method: the parent's method, called on `self`.

    class Child(Base):                                   check_super(Child, self, 'forward', Base)
        def forward(self, x):                    ->      t1 = Base.forward(self, x)
            return super().forward(x) + x                ...

A call of a function with `self` among its arguments is what s2sgrad already
follows (the helper's own gradient, `self`'s fields carrying derivatives), so
this source rewrite, before single-assignment form, is all `super()` needs.
Which class's method `super()` finds is settled here, from the method's class
(its `__class__` cell) and its method resolution order; `check_super`
(runtime/super_calls.py) stops at run time where the object's own class
would resolve it otherwise (a subclass with several bases).

What `super()` cannot be made into a call of a named class's method is refused,
with its line: `super()` not followed by a method call (`super().scale`), a
method only `object` defines, and a parent class that no module-level name
holds.
"""
from __future__ import annotations

import gast

from ..analysis.resolve import resolve_global
from ..errors import UnsupportedConstructError
from ..runtime.super_calls import check_super
from . import ast_build as build
from .ast_build import located_at
from .names import NameAllocator


def lower_super_calls(src) -> dict:
    """Rewrite, in place, every `super().method(...)` of `src.tree` (a FunctionSource); returns {name: runtime
    helper} for the check the rewritten code calls."""
    if not _reads_super(getattr(src.function, "__code__", None)):
        return {}                   # the compiled function never loads `super`: no need to walk the tree
    found = [n for n in build.own_nodes(src.tree.body) if _is_super(n)]
    if not found:
        return {}
    rewriter = _Rewriter(src, found[0])
    src.tree.body = [rewriter.visit(stmt) for stmt in src.tree.body]
    leftover = next((n for n in build.own_nodes(src.tree.body) if _is_super(n)), None)
    if leftover is not None:
        raise UnsupportedConstructError(
            "`super()` other than to call one of its methods (`super().method(...)`)", src.location(leftover),
            "call the parent's method, or read the attribute from `self`")
    src.tree.body[:0] = rewriter.checks
    return rewriter.runtime


class _Rewriter(gast.NodeTransformer):
    def __init__(self, src, first):
        self.src = src
        cell = src.closure.get("__class__")
        self.owner = cell.cell_contents if cell is not None else None
        args = src.tree.args.posonlyargs + src.tree.args.args
        if self.owner is None or not args:
            raise UnsupportedConstructError(
                "`super()` outside a method defined in a class body", src.location(first),
                "call the parent's method by its class: `Base.method(self, ...)`")
        self.self_name = args[0].id
        assigned = [n for n in build.own_nodes(src.tree.body)
                    if isinstance(n, gast.Name) and n.id == self.self_name and isinstance(n.ctx, gast.Store)]
        if assigned:
            raise UnsupportedConstructError(
                f"`super()` in a method that assigns its first parameter `{self.self_name}`",
                src.location(assigned[0]), f"keep `{self.self_name}` for the object the method is called on")
        self.namer = NameAllocator.for_tree(src.tree)
        self.checks: list = []
        self.checked: set = set()
        self.runtime: dict = {}

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if not (isinstance(func, gast.Attribute) and _is_super(func.value)):
            return node
        name = func.attr
        mro = self.owner.__mro__
        parent = next((k for k in mro[1:] if name in vars(k)), None)
        if parent is None or parent is object:
            raise UnsupportedConstructError(
                f"`super().{name}(...)`, a method only `object` defines", self.src.location(node),
                "leave the call out, or call the method you mean by its class")
        parent_name, owner_name = self.named(parent, node), self.named(self.owner, node)
        if (name, parent) not in self.checked:
            self.checked.add((name, parent))
            check = gast.Expr(value=build.call(self.helper(), build.load(owner_name), build.load(self.self_name),
                                               build.const(name), build.load(parent_name)))
            self.checks.append(located_at(check, self.src.tree.body[0]))
        method = gast.Attribute(value=build.load(parent_name), attr=name, ctx=gast.Load())
        call = gast.Call(func=method, args=[build.load(self.self_name), *node.args], keywords=node.keywords)
        return gast.copy_location(call, node)

    def named(self, cls, node) -> str:
        """A module-level (or closure) name that holds `cls`, as the generated code can read it."""
        for scope in (self.src.globals, {n: c.cell_contents for n, c in self.src.closure.items()
                                         if n != "__class__" and _filled(c)}):
            for name, value in scope.items():
                if value is cls and resolve_global(name, self.src.globals, self.src.closure) is cls:
                    return name
        raise UnsupportedConstructError(
            f"`super()` reaching {cls.__name__}, which no module-level name holds", self.src.location(node),
            f"call the parent's method by its class: `{cls.__name__}.method(self, ...)` where the name is visible")

    def helper(self) -> str:
        if not self.runtime:
            self.runtime[self.namer.claim("check_super")] = check_super
        return next(iter(self.runtime))

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _reads_super(code) -> bool:
    if code is None:
        return True
    return "super" in code.co_names or any(_reads_super(c) for c in code.co_consts if isinstance(c, type(code)))


def _is_super(node) -> bool:
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == "super" \
        and not node.args and not node.keywords


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


