"""Objects the function builds and changes: their fields become the function's own variables.

    class Accumulator:                            def f(x):
        def __init__(self):                           acc_total = 0.0             # acc = Accumulator()
            self.total = 0.0                          acc_total = acc_total + x   # acc.add(x)
        def add(self, v):                 ->          v_1 = x * x                 # acc.add(x * x)
            self.total += v                           acc_total = acc_total + v_1
                                                      return acc_total
    def f(x):
        acc = Accumulator()
        acc.add(x)
        acc.add(x * x)
        return acc.total

An object built inside the differentiated function that nothing else sees is
its fields, nothing more: a method that changes it changes some of them. So
when the function changes such an object (assigns a field, `acc.total += x`,
or calls a method that does), or builds one whose `__init__` does more than
store its arguments, the object is written out: its construction and every
method call on it become the bodies of `__init__` and the method, with `self.f`
the variable `acc_f`, the method's parameters and locals variables of their
own, and its `return` value the value of the call. `super().method(...)` is the
method its exact class resolves to. Every later pass then sees plain variables,
which both sweeps already follow.

That holds only while the object stays the function's own: every use of its
name must be a field read or write or a method call. Passing it on, storing it
in a container, returning it, or reading it in a nested function or lambda is
refused, naming the line, as is anything a method does that cannot be written
out (a `return` before its end, a nested def, a name its module does not share
with the function's, a frozen dataclass's field written). Every line written
out stands at the line of the construction or call it came from, so an error
names the user's call. An object the function did not build (a parameter, a
global) changing itself stays refused where the call is met (ssa/closures.py).
"""
from __future__ import annotations

import copy
import dataclasses
import inspect
import types

import gast

from ..analysis.class_fields import (
    fields_set_on_every_path, instance_fields, is_class_value, is_frozen, is_plain_class, is_super_call, method_of,
    writes_self,
)
from ..analysis.plain_init import stored_parameters
from ..analysis.resolve import dotted_name, peek_global, resolve_global
from ..errors import S2SGradError, UnsupportedConstructError
from ..source import read_function
from . import ast_build as build
from .ast_build import located_at
from .names import NameAllocator

_COMPOUND = (gast.If, gast.For, gast.While, gast.With, gast.Try)
_MAX_DEPTH = 8          # methods calling methods, written out inside each other


def lower_local_objects(src) -> None:
    """Write out, in place, the objects `src` (a FunctionSource) builds and changes, or refuse with a line."""
    lowering = _Lowering(src)
    if lowering.objects:
        lowering.run()


@dataclasses.dataclass
class _Object:
    name: str                   # the user's variable
    cls: type
    shown: str                  # the class as the construction names it (`Accumulator`, `mod.Acc`)
    fields: dict = dataclasses.field(default_factory=dict)     # field -> the variable holding it


class _Lowering:
    def __init__(self, src):
        self.src = src
        self.objects: dict[str, _Object] = {}
        # `name = Something(...)` where Something is a class: most functions build none, so this is all they cost
        built = [(stmt, dotted) for stmt in _statements(src.tree.body)
                 if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name)
                 and isinstance(stmt.value, gast.Call) and (dotted := dotted_name(stmt.value.func)) is not None
                 and isinstance(peek_global(dotted, src.globals, src.closure), type)]
        if not built:
            return
        counts = build.store_counts(src.tree.body)
        for stmt, dotted in built:
            target = stmt.targets[0]
            if dotted.split(".")[0] in counts:
                continue                    # a class held in a variable of the function: not known here
            cls = resolve_global(dotted, src.globals, src.closure)
            if is_frozen(cls) and self.changed(target.id, cls):
                raise UnsupportedConstructError(
                    f"changing `{target.id}`, a frozen dataclass {cls.__name__} (Python raises FrozenInstanceError)",
                    src.location(stmt), "build a new one instead: dataclasses.replace(obj, field=value)")
            if is_plain_class(cls) and counts.get(target.id) == 1 and self.changed(target.id, cls):
                self.objects[target.id] = _Object(target.id, cls, dotted)
        if self.objects:
            self.namer = NameAllocator.for_tree(src.tree)

    # ---- which objects ------------------------------------------------------------------------
    def changed(self, name: str, cls) -> bool:
        """Does the function change the object `name` holds (a field written, a method that writes one), or
        build it with an `__init__` that is not a record's (analysis/plain_init.py)?"""
        if stored_parameters(cls)[0] is None and not dataclasses.is_dataclass(cls):
            return True
        for node in build.own_nodes(self.src.tree.body):
            if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id == name \
                    and isinstance(node.ctx, gast.Store):
                return True
            if isinstance(node, gast.AugAssign) and _on(node.target, name):
                return True
            if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and _on(node.func, name):
                method = method_of(cls, node.func.attr)
                if method is not None and writes_self(method, cls, set()):
                    return True
        return False

    def run(self) -> None:
        self.check_uses()
        self.src.tree.body = self.block(self.src.tree.body, None)

    def check_uses(self) -> None:
        """Every use of an object's name is a field read or write, or a method call on it."""
        parents = {}
        for node in gast.walk(self.src.tree):
            for child in gast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in gast.walk(self.src.tree):
            if not (isinstance(node, gast.Name) and node.id in self.objects and isinstance(node.ctx, gast.Load)):
                continue
            obj, parent = self.objects[node.id], parents.get(id(node))
            scope = self.enclosing_scope(node, parents)
            holder = parents.get(id(parent))
            called = isinstance(parent, gast.Attribute) and isinstance(holder, gast.Call) and holder.func is parent
            field_read = isinstance(parent, gast.Attribute) and parent.value is node and not called
            if isinstance(scope, build.NESTED_SCOPES) or (scope is not None and not field_read):
                raise self.escape(obj, parent, "read inside a nested function or a lambda, or its method called "
                                               "inside a comprehension")
            if isinstance(parent, gast.Attribute) and parent.value is node:
                if method_of(obj.cls, parent.attr) is not None and not called:
                    raise self.escape(obj, parent, f"its method `{parent.attr}` taken as a value")
                if isinstance(inspect.getattr_static(obj.cls, parent.attr, None), (property, classmethod,
                                                                                    staticmethod)):
                    raise self.escape(obj, parent, f"`{parent.attr}`, a property or class-level method")
                continue
            if isinstance(parent, gast.Call) and parent.args and parent.args[0] is node \
                    and self.explicitmethod_of(parent, obj) is not None:
                continue
            raise self.escape(obj, parent if isinstance(parent, gast.AST) and hasattr(parent, "lineno") else node,
                              "passed on, stored or returned")

    def enclosing_scope(self, node, parents):
        while node is not None:
            node = parents.get(id(node))
            if isinstance(node, build.NESTED_SCOPES) and node is not self.src.tree:
                return node
            if isinstance(node, (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)):
                return node
        return None

    def escape(self, obj: _Object, where, how: str) -> UnsupportedConstructError:
        return UnsupportedConstructError(
            f"`{obj.name}`, an object of class {obj.cls.__name__} that the function builds and changes, {how}: "
            "s2sgrad follows such an object through its fields, as variables of the function, only while nothing "
            "else sees it",
            self.src.location(where),
            f"read the fields you need (`{obj.name}.<field>`) and pass those on, or build the object outside the "
            "differentiated function and pass it in unchanged")

    def explicitmethod_of(self, call, obj: _Object):
        """`Base.method(obj, ...)`: the function, when `Base` is a class of obj's (its MRO)."""
        func = call.func
        if not isinstance(func, gast.Attribute):
            return None
        dotted = dotted_name(func.value)
        owner = resolve_global(dotted, self.src.globals, self.src.closure) if dotted else None
        if not (isinstance(owner, type) and owner in obj.cls.__mro__):
            return None
        method = vars(owner).get(func.attr) if func.attr in vars(owner) else method_of(owner, func.attr)
        return (owner, method) if isinstance(method, types.FunctionType) else None

    # ---- writing out ----------------------------------------------------------------------------
    def block(self, stmts, context) -> list:
        out: list = []
        for stmt in stmts:
            if isinstance(stmt, build.NESTED_SCOPES):
                out.append(stmt)
                continue
            if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], gast.Name) \
                    and context is None and stmt.targets[0].id in self.objects:
                out += self.construction(self.objects[stmt.targets[0].id], stmt)
                continue
            hoisted: list = []
            new = _Rewrite(self, context, hoisted, stmt, statement=True).visit(stmt)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(new, field, None)
                if isinstance(inner, list) and isinstance(new, _COMPOUND):
                    setattr(new, field, self.block(inner, context) or ([gast.Pass()] if field == "body" else []))
            for handler in getattr(new, "handlers", None) or ():
                handler.body = self.block(handler.body, context) or [gast.Pass()]
            out += hoisted
            if not (isinstance(new, gast.Expr) and getattr(new, "value", None) is None):
                out.append(new)
        return out

    def construction(self, obj: _Object, stmt) -> list:
        """`acc = Accumulator(args)`: its fields' variables, then `__init__`'s body on them."""
        cls, call = obj.cls, stmt.value
        fields = instance_fields(cls)
        out = []
        for name in sorted(fields):
            obj.fields[name] = self.namer.claim(f"{obj.name}_{name}")
            if is_class_value(cls, name):                 # a class attribute the instance may shadow
                out.append(build.assign(obj.fields[name], gast.Attribute(value=_expression(obj.shown), attr=name,
                                                                         ctx=gast.Load())))
            elif name not in fields_set_on_every_path(cls):    # so the variable exists whatever path sets it
                out.append(build.assign(obj.fields[name], build.const(None)))
        hoisted: list = []
        args = [_Rewrite(self, None, hoisted, stmt).visit(a) for a in call.args]
        keywords = [gast.keyword(arg=k.arg, value=_Rewrite(self, None, hoisted, stmt).visit(k.value))
                    for k in call.keywords]
        out = hoisted + out
        if dataclasses.is_dataclass(cls):
            out += self.dataclass_init(obj, cls, args, keywords, stmt)
        elif cls.__init__ is not object.__init__:
            owner = next(c for c in cls.__mro__ if "__init__" in vars(c))
            out += self.method_body(obj, owner, cls.__init__, args, keywords, stmt, result=None, depth=0)
        elif args or keywords:
            raise UnsupportedConstructError(f"`{gast.unparse(call).strip()}`: {cls.__name__}() takes no arguments",
                                            self.src.location(stmt))
        return [located_at(s, stmt, every=True) for s in out]

    def dataclass_init(self, obj, cls, args, keywords, stmt) -> list:
        fields = [f for f in dataclasses.fields(cls) if f.init]
        if any(f.default_factory is not dataclasses.MISSING for f in fields):
            raise UnsupportedConstructError(
                f"building the dataclass {cls.__name__}, whose fields have a default_factory, and changing it",
                self.src.location(stmt), "pass every field explicitly, or build a new object instead of changing it")
        try:
            bound = inspect.Signature([inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                                       for f in fields]).bind(*args, **{k.arg: k.value for k in keywords})
        except TypeError:
            bound = None
        out = []
        for f in fields:
            if bound is not None and f.name in bound.arguments:
                out.append(build.assign(obj.fields[f.name], bound.arguments[f.name]))
            elif f.default is not dataclasses.MISSING and isinstance(f.default, (int, float, complex, bool, str,
                                                                                 type(None))):
                out.append(build.assign(obj.fields[f.name], build.const(f.default)))
            else:
                raise UnsupportedConstructError(f"`{gast.unparse(stmt.value).strip()}`, which does not give the "
                                                f"field `{f.name}` a number", self.src.location(stmt),
                                                f"pass `{f.name}` explicitly")
        return out

    def method_body(self, obj: _Object, owner, function, args, keywords, site, result, depth) -> list:
        """The statements of `function` (a method of obj's class, defined in `owner`) called with `args`, on
        obj: parameters and locals renamed, `self.f` obj's field variables, its return value in `result`."""
        if depth > _MAX_DEPTH:
            raise UnsupportedConstructError(
                f"methods of {obj.cls.__name__} calling each other more than {_MAX_DEPTH} deep (recursion?)",
                self.src.location(site), "write the computation as a loop")
        where = self.src.location(site)
        self.depend_on(obj, owner, function)
        try:
            method_src = read_function(function)
        except S2SGradError as error:
            raise UnsupportedConstructError(
                f"`{function.__qualname__}`, which changes a {obj.cls.__name__} the function builds, and whose "
                f"source s2sgrad cannot read ({error})", where) from None
        tree = copy.deepcopy(method_src.tree)
        params = [a.id for a in tree.args.posonlyargs + tree.args.args]
        if tree.args.vararg or tree.args.kwarg or not params:
            raise UnsupportedConstructError(
                f"`{function.__qualname__}`, which takes *args or **kwargs, on a {obj.cls.__name__} the function "
                "builds and changes", where, "give the method named parameters")
        self_name = params[0]
        local = build.stores(tree.body) | set(params[1:]) | {a.id for a in tree.args.kwonlyargs}
        self.refuse_inmethod_of(tree, function, obj, where, self_name)
        renamed = {name: self.namer.claim(name) for name in sorted(local)}
        context = _Context(obj, owner, self_name, renamed, method_src, depth, site)
        out = []
        bound = self.bind(function, args, keywords, site, renamed)
        out += bound
        inner_compound = {n.id for s in tree.body if isinstance(s, _COMPOUND) for n in gast.walk(s)
                          if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)} & local
        for name in sorted(inner_compound - set(params)):      # so each exists whatever path sets it
            out.append(build.assign(renamed[name], build.const(None)))
        body = tree.body
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]                   # the docstring
        if body and isinstance(body[-1], gast.Return):
            value = body[-1].value
            body = body[:-1] + ([gast.Assign(targets=[build.store(result)], value=value, type_comment=None)]
                                if result is not None and value is not None else
                                [gast.Expr(value=value)] if value is not None else [])
        out += self.block(body, context)
        if result is not None and not (tree.body and isinstance(tree.body[-1], gast.Return)
                                       and tree.body[-1].value is not None):
            out.append(build.assign(result, build.const(None)))
        return [located_at(s, site, every=True) for s in out]

    def depend_on(self, obj: _Object, owner, function) -> None:
        """Resolve the method being written out by a name the function's namespace holds it under
        (`Accumulator.add`, `Base.forward`), so a cached transformation is reused only while that name still
        gives code of the same fingerprint (analysis/resolve.py): the method's code is now part of it."""
        name = function.__name__
        candidates = [f"{obj.shown}.{name}"] + [f"{n}.{name}" for n, v in self.src.globals.items() if v is owner]
        for dotted in candidates:
            if resolve_global(dotted, self.src.globals, self.src.closure) is function:
                return

    def bind(self, function, args, keywords, site, renamed) -> list:
        """Assignments of a call's arguments (and the defaults it leaves) to the renamed parameters."""
        signature = inspect.signature(function)
        try:
            bound = signature.bind(None, *args, **{k.arg: k.value for k in keywords})
        except TypeError as error:
            raise UnsupportedConstructError(f"the call at this line: {error}", self.src.location(site)) from None
        out = []
        for name, parameter in list(signature.parameters.items())[1:]:
            if name in bound.arguments:
                out.append(build.assign(renamed[name], bound.arguments[name]))
            elif isinstance(parameter.default, (int, float, complex, bool, str, type(None))):
                out.append(build.assign(renamed[name], build.const(parameter.default)))
            else:
                raise UnsupportedConstructError(
                    f"the call at this line, which leaves `{name}` of {function.__qualname__} at a default that is not "
                    "a number", self.src.location(site), f"pass `{name}` explicitly")
        return out

    def refuse_inmethod_of(self, tree, function, obj, where, self_name) -> None:
        for node in build.own_nodes(tree.body):
            if isinstance(node, build.NESTED_SCOPES + (gast.Global, gast.Nonlocal, gast.Yield, gast.YieldFrom)):
                raise UnsupportedConstructError(
                    f"`{function.__qualname__}`, which holds a {type(node).__name__.lower()}, on a "
                    f"{obj.cls.__name__} the function builds and changes", where,
                    "move that code out of the method, or build the object outside the differentiated function")
            if isinstance(node, gast.Return) and node is not tree.body[-1]:
                raise UnsupportedConstructError(
                    f"`{function.__qualname__}`, which returns before its end, on a {obj.cls.__name__} the function "
                    "builds and changes", where, "assign the result to a variable and return it once at the end")
            if isinstance(node, gast.Name) and node.id == self_name and isinstance(node.ctx, gast.Store):
                raise UnsupportedConstructError(
                    f"`{function.__qualname__}`, which assigns `{self_name}`", where,
                    f"keep `{self_name}` for the object the method is called on")

    def inline_call(self, obj: _Object, owner, function, call, hoisted, site, depth, dropped=False):
        """The method's statements (onto `hoisted`) and the expression of its value (None if `dropped`)."""
        result = None if dropped else self.namer.claim(f"{function.__name__}_value")
        hoisted += self.method_body(obj, owner, function, call.args, call.keywords, site, result, depth + 1)
        return None if dropped else build.load(result)


@dataclasses.dataclass
class _Context:
    """A method being written out: its object, the class defining it, what `self` and its locals are called."""

    obj: _Object
    owner: type
    self_name: str
    renamed: dict
    source: object
    depth: int
    site: object


class _Rewrite(gast.NodeTransformer):
    """One statement, with its object field accesses as variables and its method calls written out before it
    (`hoisted`); inside a method (`context`), its parameters and locals renamed and `self` the object."""

    def __init__(self, lowering: _Lowering, context: _Context | None, hoisted: list, site, statement=False):
        self.lowering, self.context, self.hoisted = lowering, context, hoisted
        self.site = site if context is None else context.site
        # a call that is the whole statement: its value is dropped, so the method needs no result variable
        self.dropped = site.value if statement and isinstance(site, gast.Expr) else None

    # compound statements: only their headers here; their blocks are written out by _Lowering.block
    def visit_If(self, node):
        node.test = self.visit(node.test)
        return node

    def visit_For(self, node):
        node.iter = self.visit(node.iter)
        node.target = self.visit(node.target)
        return node

    def visit_While(self, node):
        if self.calls_amethod_of(node.test):
            raise UnsupportedConstructError(
                "a method call on an object the function builds and changes, in a `while` test",
                self.lowering.src.location(self.site), "call it before the loop and at the end of its body")
        node.test = self.visit(node.test)
        return node

    def visit_With(self, node):
        for item in node.items:
            item.context_expr = self.visit(item.context_expr)
        return node

    def visit_Try(self, node):
        return node

    def visit_IfExp(self, node):
        return self.conditional(node)

    def visit_BoolOp(self, node):
        return self.conditional(node)

    def conditional(self, node):
        """`a if c else obj.m()` or `c and obj.m()`: the call may not run, so it cannot be written out before."""
        if self.calls_amethod_of(node):
            raise UnsupportedConstructError(
                "a method call on an object the function builds and changes, inside `... if ... else ...`, "
                "`and` or `or`", self.lowering.src.location(self.site), "call it on a line of its own, in an `if`")
        return self.generic_visit(node)

    def calls_amethod_of(self, node) -> bool:
        for call in gast.walk(node):
            if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and \
                    (self.object_of(call.func.value) is not None or is_super_call(call.func.value)):
                return True
            if isinstance(call, gast.Call) and call.args and self.object_of(call.args[0]) is not None:
                return True
        return False

    def object_of(self, node) -> _Object | None:
        if not isinstance(node, gast.Name):
            return None
        if self.context is not None:
            return self.context.obj if node.id == self.context.self_name else None
        return self.lowering.objects.get(node.id)

    def visit_Name(self, node):
        if self.context is not None:
            if node.id == self.context.self_name:
                raise self.lowering.escape(self.context.obj, self.site,
                                           f"passed on, stored or returned by its own method (as `{node.id}`)")
            if node.id in self.context.renamed:
                return gast.copy_location(gast.Name(id=self.context.renamed[node.id], ctx=node.ctx, annotation=None,
                                                    type_comment=None), node)
            self.check_shared(node.id)
        return node

    def check_shared(self, name: str) -> None:
        """A name a method reads from its module must mean the same in the function's."""
        source, src = self.context.source, self.lowering.src
        mine = resolve_global(name, source.globals, source.closure)
        theirs = resolve_global(name, src.globals, src.closure)
        if mine is not theirs:
            raise UnsupportedConstructError(
                f"`{self.context.source.function.__qualname__}` reads `{name}`, which the differentiated function's "
                f"module does not hold as the same value", src.location(self.site),
                f"import `{name}` into the function's module, or build the object outside the differentiated "
                "function")

    def visit_Attribute(self, node):
        obj = self.object_of(node.value)
        if obj is None:
            return self.generic_visit(node)
        if node.attr in obj.fields:
            return gast.copy_location(gast.Name(id=obj.fields[node.attr], ctx=node.ctx, annotation=None,
                                                type_comment=None), node)
        if isinstance(node.ctx, gast.Load) and is_class_value(obj.cls, node.attr):
            return gast.copy_location(gast.Attribute(value=_expression(obj.shown), attr=node.attr, ctx=node.ctx),
                                      node)
        raise UnsupportedConstructError(
            f"`{obj.name}.{node.attr}`, which {obj.cls.__name__} neither stores nor defines",
            self.lowering.src.location(self.site), "set the field in __init__")

    def visit_Call(self, node):
        func = node.func
        depth = self.context.depth if self.context is not None else 0
        if isinstance(func, gast.Attribute):
            obj = self.object_of(func.value)
            if obj is not None and method_of(obj.cls, func.attr) is not None:
                call = gast.Call(func=func, args=[self.visit(a) for a in node.args],
                                 keywords=[gast.keyword(arg=k.arg, value=self.visit(k.value)) for k in node.keywords])
                owner = next(c for c in obj.cls.__mro__ if func.attr in vars(c))
                return self.lowering.inline_call(obj, owner, method_of(obj.cls, func.attr), call, self.hoisted, self.site,
                                                 depth, node is self.dropped)
            if self.context is not None and is_super_call(func.value):       # super().method(...): exact class known
                obj, mro = self.context.obj, self.context.obj.cls.__mro__
                owner = next((c for c in mro[mro.index(self.context.owner) + 1:] if func.attr in vars(c)), None)
                if owner is None or owner is object:
                    raise UnsupportedConstructError(f"`super().{func.attr}(...)`, a method only `object` defines",
                                                    self.lowering.src.location(self.site))
                call = gast.Call(func=func, args=[self.visit(a) for a in node.args],
                                 keywords=[gast.keyword(arg=k.arg, value=self.visit(k.value)) for k in node.keywords])
                return self.lowering.inline_call(obj, owner, vars(owner)[func.attr], call, self.hoisted, self.site,
                                                 depth, node is self.dropped)
        if node.args and self.object_of(node.args[0]) is not None:
            obj = self.object_of(node.args[0])
            explicit = self.lowering.explicitmethod_of(node, obj) if self.context is None else self.explicit_inmethod_of(node)
            if explicit is not None:
                owner, function = explicit
                call = gast.Call(func=func, args=[self.visit(a) for a in node.args[1:]],
                                 keywords=[gast.keyword(arg=k.arg, value=self.visit(k.value)) for k in node.keywords])
                return self.lowering.inline_call(obj, owner, function, call, self.hoisted, self.site, depth,
                                                 node is self.dropped)
        return self.generic_visit(node)

    def explicit_inmethod_of(self, call):
        func = call.func
        if not isinstance(func, gast.Attribute):
            return None
        dotted = dotted_name(func.value)
        source = self.context.source
        owner = resolve_global(dotted, source.globals, source.closure) if dotted else None
        if isinstance(owner, type) and owner in self.context.obj.cls.__mro__ and \
                isinstance(vars(owner).get(func.attr), types.FunctionType):
            return owner, vars(owner)[func.attr]
        return None

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _on(node, name: str) -> bool:
    return isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id == name


def _expression(dotted: str):
    parts = dotted.split(".")
    node = build.load(parts[0])
    for part in parts[1:]:
        node = gast.Attribute(value=node, attr=part, ctx=gast.Load())
    return node


def _statements(stmts):
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, build.NESTED_SCOPES):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)
        for part in getattr(stmt, "handlers", None) or getattr(stmt, "cases", None) or ():
            yield from _statements(part.body)


