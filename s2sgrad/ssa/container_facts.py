"""What a function does with each of its lists and dicts, for ssa/container_writes.py.

Per name (the function's own statements, nested functions' bodies left out):
its kind, "list" or "dict" when every binding of it builds a new one
here (a display, a comprehension, list(...), sorted(...), dict(...), `+`, a
slice, `.copy()`); where its container may become shared (another name, a
display or comprehension holding it, an argument of a call that is not a
builtin, NumPy or math function reading it, a nested function or lambda reading
it or holding it as a default); which `for` loops iterate it.
"""
from __future__ import annotations

import builtins
import types

import gast

from ..analysis.resolve import is_missing, peek_global, resolve_global
from .scopes import parameter_names

# builtins that read a container, or copy its elements, without keeping the container itself
_READING_BUILTINS = {"len", "list", "tuple", "sorted", "sum", "dict", "set", "frozenset", "any", "all", "print",
                     "str", "repr", "isinstance", "enumerate", "zip", "reversed", "range", "bool", "float", "int"}
# methods of another list or dict that copy the elements of their argument, not the argument itself
_COPYING_METHODS = {"extend", "update", "index", "count", "get", "__contains__"}


# the statements and expressions that bind names
_BINDING_NODES = {gast.Assign, gast.AnnAssign, gast.AugAssign, gast.For, gast.comprehension, gast.NamedExpr,
                  gast.withitem, gast.ExceptHandler, gast.FunctionDef, gast.ClassDef, gast.Import, gast.ImportFrom}


class ContainerFacts:
    """What the function does with each of its names: its kind (a list or dict built here), where it may
    be shared (shared_before tells whether that can precede a change), which loops iterate it."""

    def __init__(self, src):
        self.src = src
        tree = src.tree
        self.params = set(parameter_names(tree.args))
        self.declared = set()                       # global and nonlocal names
        self.bindings: dict[str, list] = {}        # name -> the value of each binding (None: not an assignment)
        self.escapes: dict[str, list] = {}          # name -> [(where its container may become shared, by what)]
        self.iterated: dict[str, list] = {}         # name -> the `for` loops iterating it
        self.method_calls: list = []                # every `name.method(...)` call
        self.deletes_and_extensions: list = []      # every `del ...` and `name op= ...`
        self.parents: dict[int, gast.AST] = {}
        nodes = self._nodes(tree.body)
        for node in nodes:
            self._binding(node)
        for node in nodes:                          # the uses ask which names are bound (builtins)
            self._use(node)
        self.kinds = self._kinds()
        # pops and setdefaults may sit inside larger expressions; without any, no statement needs a look
        self.value_changes = any(call.func.attr in ("pop", "setdefault") for call in self.method_calls)

    def _nodes(self, stmts) -> list:
        """Every node of the function's own statements (nested functions' bodies left out), recording each
        one's parent, the method calls and the global declarations on the way: one walk, the pass's main
        cost (gast.iter_child_nodes, used naively, made it a third of normalizing a long function)."""
        parents, nodes, ast = self.parents, [], gast.AST
        todo = list(stmts)
        pop, push = todo.pop, todo.append
        while todo:
            node = pop()
            nodes.append(node)
            kind = type(node)
            if kind is gast.Call and type(node.func) is gast.Attribute and type(node.func.value) is gast.Name:
                self.method_calls.append(node)
            elif kind is gast.Global or kind is gast.Nonlocal:
                self.declared.update(node.names)
            elif kind is gast.Delete or kind is gast.AugAssign and type(node.target) is gast.Name:
                self.deletes_and_extensions.append(node)
            fields = ("args",) if kind is gast.Lambda else ("args", "decorator_list", "returns") \
                if kind is gast.FunctionDef else node._fields
            for field in fields:
                value = getattr(node, field, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, ast):
                            parents[id(item)] = node
                            push(item)
                elif isinstance(value, ast):
                    parents[id(value)] = node
                    push(value)
        return nodes

    # ---- bindings and kinds ------------------------------------------------------
    def _binding(self, node) -> None:
        if type(node) not in _BINDING_NODES:
            return
        if isinstance(node, gast.Assign):
            single = len(node.targets) == 1 and isinstance(node.targets[0], gast.Name)
            for target in node.targets:
                for name in _stored_names(target):
                    self.bindings.setdefault(name, []).append(node.value if single else None)
        elif isinstance(node, gast.AnnAssign) and isinstance(node.target, gast.Name):
            self.bindings.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, gast.AugAssign) and isinstance(node.target, gast.Name):
            return                  # `xs += ys` changes the list in place (rewritten below); `n += 1` rebinds a number
        elif isinstance(node, (gast.For, gast.comprehension, gast.NamedExpr, gast.withitem, gast.ExceptHandler)):
            targets = [getattr(node, "target", None), getattr(node, "optional_vars", None)]
            for target in targets:
                for name in _stored_names(target):
                    self.bindings.setdefault(name, []).append(None)
            if isinstance(node, gast.ExceptHandler) and isinstance(node.name, gast.Name):
                self.bindings.setdefault(node.name.id, []).append(None)
        elif isinstance(node, (gast.FunctionDef, gast.ClassDef)):
            self.bindings.setdefault(node.name, []).append(None)
        elif isinstance(node, (gast.Import, gast.ImportFrom)):
            for alias in node.names:
                self.bindings.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)

    def _kinds(self) -> dict:
        """name -> "list" or "dict" where every binding builds one here; found by iterating to a fixed point
        from "either" (`xs = xs + [v]` is a list if xs is)."""
        kinds = {name: "either" for name in self.bindings if name not in self.params and name not in self.declared}
        changed = True
        while changed:
            changed = False
            for name, kind in kinds.items():
                if kind is None:
                    continue
                found = {self._kind_of(value, kinds) for value in self.bindings[name]} - {"either"}
                new = kind if not found else found.pop() if len(found) == 1 and kind in ("either", *found) else None
                if new != kind:
                    kinds[name], changed = new, True
        return {name: kind for name, kind in kinds.items() if kind in ("list", "dict")}

    def _kind_of(self, value, kinds):
        if value is None:
            return None
        if isinstance(value, (gast.List, gast.ListComp)):
            return "list"
        if isinstance(value, (gast.Dict, gast.DictComp)):
            return "dict"
        if isinstance(value, gast.Name):           # another name for the same object
            return None
        if isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Mult)):
            sides = [self._kind_of_operand(s, kinds) for s in (value.left, value.right)]
            if "list" in sides and (isinstance(value.op, gast.Mult) or all(s in ("list", "either") for s in sides)):
                return "list"
            return "either" if "either" in sides and isinstance(value.op, gast.Add) and None not in sides else None
        if isinstance(value, gast.BinOp) and isinstance(value.op, gast.BitOr):
            sides = [self._kind_of_operand(s, kinds) for s in (value.left, value.right)]
            return "dict" if "dict" in sides and all(s in ("dict", "either") for s in sides) else None
        if isinstance(value, gast.Subscript) and isinstance(value.slice, gast.Slice):
            return "list" if self._kind_of_operand(value.value, kinds) in ("list", "either") else None
        if isinstance(value, gast.Call):
            target = self.builtin(value.func)
            if target in (list, sorted):
                return "list"
            if target is dict:
                return "dict"
            func = value.func
            if isinstance(func, gast.Attribute) and func.attr == "copy" and not value.args:
                kind = self._kind_of_operand(func.value, kinds)
                return kind if kind in ("list", "dict") else None
        if isinstance(value, gast.IfExp):
            sides = {self._kind_of(value.body, kinds), self._kind_of(value.orelse, kinds)}
            return sides.pop() if len(sides) == 1 else None
        return None

    def _kind_of_operand(self, node, kinds):
        if isinstance(node, gast.Name):
            return kinds.get(node.id)
        return self._kind_of(node, kinds)

    def builtin(self, func):
        """The builtin a call's `func` names (`list`, `sorted`, ...), or None."""
        if not isinstance(func, gast.Name) or func.id in self.bindings or func.id in self.params:
            return None
        target = resolve_global(func.id, self.src.globals, self.src.closure)
        return target if not is_missing(target) and getattr(builtins, func.id, None) is target else None

    # ---- uses that may share a container -------------------------------------------
    def _use(self, node) -> None:
        kind = type(node)
        if kind is gast.Name:
            if type(node.ctx) is gast.Load:
                parent = self.parents.get(id(node))
                if self._shares(node, parent):
                    self.escapes.setdefault(node.id, []).append((node, parent))
            return
        if kind is gast.FunctionDef or kind is gast.Lambda:
            defaults = [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
            for name in _free_reads(node) | {n.id for d in defaults for n in gast.walk(d) if isinstance(n, gast.Name)}:
                # a nested function reads it, or holds it as a default: whenever it runs, it may see a change
                self.escapes.setdefault(name, []).append((node, None))
            return
        if kind is gast.For:
            for name in _iterated_names(node.iter):
                self.iterated.setdefault(name, []).append(node)

    def _shares(self, node, parent) -> bool:
        """May `parent` keep a reference to the container `node` names (rather than read or copy it)?"""
        if isinstance(parent, (gast.Assign, gast.AnnAssign)):
            return parent.value is node                 # ys = xs
        if isinstance(parent, (gast.List, gast.Tuple, gast.Set, gast.Dict)):
            return not self._returned(parent)           # [xs], {"a": xs}; `return (xs, ys)` ends the function
        if isinstance(parent, (gast.ListComp, gast.SetComp, gast.GeneratorExp)):
            return parent.elt is node                   # [xs for _ in range(3)]
        if isinstance(parent, gast.DictComp):
            return node in (parent.key, parent.value)
        if isinstance(parent, (gast.IfExp, gast.BoolOp, gast.NamedExpr, gast.Yield, gast.YieldFrom)):
            return getattr(parent, "test", None) is not node
        if isinstance(parent, gast.keyword):
            parent = self.parents.get(id(parent))
        if isinstance(parent, gast.Call) and parent.func is not node:
            builtin = self.builtin(parent.func)
            if builtin is not None and builtin.__name__ in _READING_BUILTINS:
                return False
            if builtin in (max, min):
                return len(parent.args) != 1 or bool(parent.keywords)    # max(a, b) may return a
            func = parent.func
            if isinstance(func, gast.Attribute) and func.attr in _COPYING_METHODS:
                return False
            return not self._library_function(func)
        return False

    def shared_before(self, name: str, stmt):
        """Where `name`'s container may have become shared before `stmt` changes it, or may become shared and
        then see a later iteration's change (a common enclosing loop); None if nowhere. Sharing after the
        last change is harmless: `d = {}; d["w"] = w; return loss(d)`."""
        loops = set(self.loops_around(stmt))
        for node, parent in self.escapes.get(name, ()):
            if parent is None or position(node) < position(stmt) or loops & set(self.loops_around(node)):
                return parent or node
        return None

    def loops_around(self, node) -> list:
        found = []
        node = self.parents.get(id(node))
        while node is not None:
            if isinstance(node, (gast.For, gast.While)):
                found.append(node)
            node = self.parents.get(id(node))
        return found

    def _returned(self, display) -> bool:
        node = display
        while isinstance(node, (gast.List, gast.Tuple, gast.Set, gast.Dict)):
            node = self.parents.get(id(node))
        return isinstance(node, gast.Return)

    def _library_function(self, func) -> bool:
        """Is `func` a function of NumPy or math, which reads its arguments (np.array(xs) copies them)?"""
        if not isinstance(func, gast.Attribute):
            return False
        root = func
        while isinstance(root, gast.Attribute):
            root = root.value
        if not isinstance(root, gast.Name) or root.id in self.bindings or root.id in self.params:
            return False
        # only a module's answer is recorded: rebinding a global object (`SCALER.act(x)`) must not count as a
        # change of the transformation's resolutions
        if not isinstance(peek_global(root.id, self.src.globals, self.src.closure), types.ModuleType):
            return False
        module = resolve_global(root.id, self.src.globals, self.src.closure)
        return getattr(module, "__name__", "").split(".")[0] in ("numpy", "math")


def walk_body(stmts):
    """Every node of these statements, nested functions' and lambdas' bodies left out (their headers in)."""
    todo = list(stmts)
    while todo:
        node = todo.pop()
        yield node
        kind = type(node)
        fields = ("args",) if kind is gast.Lambda else ("args", "decorator_list", "returns") \
            if kind is gast.FunctionDef else node._fields
        for field in fields:
            value = getattr(node, field, None)
            if type(value) is list:
                todo.extend(item for item in value if isinstance(item, gast.AST))
            elif isinstance(value, gast.AST):
                todo.append(value)


def _free_reads(function) -> set:
    body = function.body if isinstance(function.body, list) else [function.body]
    inner = {n.id for stmt in body for n in gast.walk(stmt) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    args = function.args
    inner |= {a.id for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg] if a is not None}
    return {n.id for stmt in body for n in gast.walk(stmt) if isinstance(n, gast.Name)} - inner


def _iterated_names(it) -> set:
    """The names a `for` iterates: xs, enumerate(xs), zip(xs, ys), reversed(xs), d.items(), ..."""
    if isinstance(it, gast.Name):
        return {it.id}
    if isinstance(it, gast.Call):
        if isinstance(it.func, gast.Attribute) and it.func.attr in ("items", "keys", "values"):
            return _iterated_names(it.func.value)
        return {n for a in it.args for n in _iterated_names(a)}
    return set()


def position(node) -> tuple:
    return getattr(node, "lineno", 0) or 0, getattr(node, "col_offset", 0) or 0


def _stored_names(target) -> list:
    if target is None:
        return []
    if type(target) is gast.Name:
        return [target.id] if type(target.ctx) is gast.Store else []
    return [n.id for n in gast.walk(target) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)]
