"""Changes to a list or dict the function built, written as new values (before single-assignment form).

A list or dict the function built itself, that no other name, container,
helper or nested function can reach, may be changed in place or rebound to a
changed copy: nothing can tell the two apart. So each change becomes a
rebinding, and the rest of the pipeline sees pure operations with rules:

    xs.extend(ys)            xs = xs + list(ys)
    xs += ys                 xs = xs + list(ys)
    xs.insert(i, v)          xs = xs[:i] + [v] + xs[i:]
    v = xs.pop()             v = xs[-1]; xs = xs[:-1]
    v = xs.pop(i)            v = xs[i]; xs = xs[:i] + xs[i + 1:]      (xs[:-1] for i = -1)
    del xs[i]                the same, without v
    xs.remove(v)             i = list.index(xs, v); xs = xs[:i] + xs[i + 1:]
    xs.reverse()             xs = xs[::-1]
    xs.sort(key=f)           xs = sorted(xs, key=f)
    xs.clear()               xs = []
    d[k] = v                 d = {**d, k: v}
    d[k] += v                d = {**d, k: d[k] + v}
    d.update(e, k=v)         d = {**d, **e, 'k': v}
    v = d.setdefault(k, w)   if k not in d: d = {**d, k: w}
                             v = d[k]
    v = d.pop(k)             v = d[k]; d = {key: value for key, value in d.items() if key != k}
    del d[k]                 the same, without v
    d.clear()                d = {}

(`xs.append(v)` and `v = xs.pop()` stay an append and a pop, which both sweeps
follow in place at no cost per element, unless the list also changes in
another of the ways above: then they are rebindings too, `xs = xs + [v]` and
the slices, since a rebinding and an in-place change of one list must not mix.
A rebinding copies the list: n pops from a list that also extends cost n²/2
element copies in each sweep.)

The rewrite is right only when nothing else observes the old object, so it
is refused, naming the line, where the function cannot show that:
- a parameter (the caller's list or dict: the change would outlive the call);
- a name not bound only to lists (or dicts) built here, by a display, a
  comprehension, list(...), sorted(...), dict(...), `+` or a slice;
- a list or dict that another name, a container, a helper's argument or a
  nested function may hold (`ys = xs`, `[xs]`, `keep(xs)`, `lambda: xs`);
- a list changed while a `for` loop iterates it, a dict resized while one does.
The analysis is per name (ssa/container_facts.py): a name is changed this way
only if every binding of it is a new container, and none may have been shared
before the change (or in a loop around it: a later iteration's change).
"""
from __future__ import annotations

import copy

import gast

from ..codegen.loader import is_generated_file
from ..errors import UnsupportedConstructError
from .container_facts import ContainerFacts, walk_body

_LIST_CHANGES = {"extend", "insert", "pop", "remove", "reverse", "sort", "clear"}
_DICT_CHANGES = {"update", "setdefault", "pop", "clear"}
_RESIZING = {"extend", "insert", "pop", "remove", "clear", "update", "setdefault", "append"}


def rewrite_container_writes(src) -> None:
    """Rewrite, in place, the changes of lists and dicts in `src.tree` (a FunctionSource) into rebindings."""
    if is_generated_file(src.filename):      # a gradient's own code: its tapes are pushed and popped on purpose
        return
    facts = ContainerFacts(src)
    _Rewriter(src, facts).block(src.tree.body)


class _Rewriter:
    """Walks the function's statements (not into nested functions) and rewrites each change."""

    def __init__(self, src, facts: ContainerFacts):
        self.src, self.facts = src, facts
        self.count = 0
        self.loops: list = []
        # a list whose changes are rewritten has its appends rewritten too (both forms must not mix)
        self.rewritten = self._rewritten_lists()

    def block(self, stmts: list) -> None:
        out = []
        for stmt in stmts:
            out.extend(self.statement(stmt))
        stmts[:] = out

    def statement(self, stmt) -> list:
        if isinstance(stmt, (gast.If, gast.While)):
            self.refuse_nested_changes(stmt.test)
            self.block(stmt.body)
            self.block(stmt.orelse)
            return [stmt]
        if isinstance(stmt, gast.For):
            self.refuse_nested_changes(stmt.iter)
            self.loops.append(stmt)
            self.block(stmt.body)
            self.loops.pop()
            self.block(stmt.orelse)
            return [stmt]
        if isinstance(stmt, (gast.FunctionDef, gast.ClassDef)):
            return [stmt]
        rewritten = self.rewrite(stmt)
        if rewritten is None:
            self.refuse_nested_changes(stmt)
            return [stmt]
        for new in rewritten:
            _locate(new, stmt)
        return rewritten

    # ---- which statements ---------------------------------------------------------
    def rewrite(self, stmt):
        """The statements that replace `stmt`, or None to keep it."""
        if isinstance(stmt, gast.Expr) and _method_call(stmt.value):
            return self.method_statement(stmt, stmt.value, None)
        if isinstance(stmt, (gast.Assign, gast.AnnAssign, gast.AugAssign, gast.Return, gast.Expr)):
            call = _value_change(stmt) if self.facts.value_changes else None
            if call is not None:
                return self.method_statement(stmt, call, stmt)
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 and _subscript_of_name(stmt.targets[0]):
            return self.store(stmt, stmt.targets[0], stmt.value, None)
        if isinstance(stmt, gast.AugAssign) and _subscript_of_name(stmt.target):
            return self.store(stmt, stmt.target, stmt.value, stmt.op)
        if isinstance(stmt, gast.AugAssign) and isinstance(stmt.target, gast.Name):
            return self.augmented(stmt)
        if isinstance(stmt, gast.Delete) and len(stmt.targets) == 1 and _subscript_of_name(stmt.targets[0]):
            return self.delete(stmt, stmt.targets[0])
        return None

    def method_statement(self, stmt, call, holder):
        """`xs.extend(ys)` and the other changing methods; `holder` is the statement taking the value of a
        `pop` or `setdefault`, if any."""
        name, method = call.func.value.id, call.func.attr
        if method == "append" and name not in self.rewritten:
            return None                             # an append that both sweeps follow in place (ssa/closures.py)
        local = name in self.facts.bindings or name in self.facts.params
        kind = self.facts.kinds.get(name)
        if not local or method not in _LIST_CHANGES | _DICT_CHANGES | {"append"}:
            return None                 # a global's method, or one that changes nothing: as written
        if kind is None:
            self.check(stmt, name, f"`{name}.{method}(...)`", method)      # refused: whose container is it?
        if method not in (_DICT_CHANGES if kind == "dict" else _LIST_CHANGES | {"append"}):
            return None                 # `xs.update(...)` on a list: Python's AttributeError, as written
        self.check(stmt, name, f"`{name}.{method}(...)`", method)
        if holder is not None and method == "setdefault" and any(
                isinstance(n, gast.Attribute) and n.value is call for n in gast.walk(holder)):
            raise self.refusal(
                stmt, f"`{gast.unparse(call).strip()}.{_attribute_of(holder, call)}(...)`, which changes the "
                f"entry of `{name}` in place, through the value setdefault returns",
                f"write the entry anew, e.g. {name}[key] = {name}.get(key, []) + [value]")
        if holder is not None and _mentions(holder, name, skip=call):
            raise self.refusal(stmt, f"`{name}.{method}(...)` in a statement that also reads or assigns `{name}`",
                               f"take the value on a line of its own: value = {name}.{method}(...)")
        build = getattr(self, f"{kind}_{method}")
        statements, value = build(stmt, name, call)
        # a pop's or setdefault's value is read into a temporary before the statement that uses it (nothing
        # else in that statement reads the container, so it cannot tell the difference)
        return statements if holder is None else [*statements, _replaced(holder, call, value)]

    # ---- lists --------------------------------------------------------------------
    def list_append(self, stmt, name, call):
        (value,) = self.arguments(stmt, call, 1, 1)
        return [_rebind(name, _add(_load(name), gast.List(elts=[value], ctx=gast.Load())))], None

    def list_extend(self, stmt, name, call):
        (items,) = self.arguments(stmt, call, 1, 1)
        return [_rebind(name, _add(_load(name), self.as_list(items, stmt)))], None

    def list_insert(self, stmt, name, call):
        index, value = self.arguments(stmt, call, 2, 2)
        first, index = self.once(index, stmt)
        head = _slice(name, None, index)
        tail = _slice(name, copy.deepcopy(index), None)
        return [*first, _rebind(name, _add(_add(head, gast.List(elts=[value], ctx=gast.Load())), tail))], None

    def list_pop(self, stmt, name, call):
        args = self.arguments(stmt, call, 0, 1)
        if not args and name not in self.rewritten:
            # a list that only grows by appends and shrinks by pops: both sweeps follow `xs.pop()` in place
            # (the reverse pushes the value back), which costs nothing per element where the copies below do
            temporary = self.temporary()
            return [_assign(temporary, copy.deepcopy(call))], _load(temporary)
        index = args[0] if args else _const(-1)
        first, index = self.once(index, stmt)
        temporary = self.temporary()
        # an empty list or a bad index raises here, as pop does
        read = _assign(temporary, gast.Subscript(value=_load(name), slice=index, ctx=gast.Load()))
        return [*first, read, _rebind(name, self.without_position(name, copy.deepcopy(index)))], _load(temporary)

    def list_remove(self, stmt, name, call):
        (value,) = self.arguments(stmt, call, 1, 1)
        position = self.temporary()
        index = gast.Call(func=gast.Attribute(value=self.builtin_load("list", stmt), attr="index", ctx=gast.Load()),
                          args=[_load(name), value], keywords=[])
        return [_assign(position, index), _rebind(name, self.without_position(name, _load(position)))], None

    def list_reverse(self, stmt, name, call):
        self.arguments(stmt, call, 0, 0)
        return [_rebind(name, _slice(name, None, None, _const(-1)))], None

    def list_sort(self, stmt, name, call):
        self.arguments(stmt, call, 0, 0)
        if any(k.arg not in ("key", "reverse") for k in call.keywords):
            raise self.refusal(stmt, f"`{name}.sort(...)` with an argument other than key= and reverse=")
        return [_rebind(name, gast.Call(func=self.builtin_load("sorted", stmt), args=[_load(name)],
                                        keywords=call.keywords))], None

    def list_clear(self, stmt, name, call):
        self.arguments(stmt, call, 0, 0)
        return [_rebind(name, gast.List(elts=[], ctx=gast.Load()))], None

    def without_position(self, name, index, middle=None):
        """xs without the element at `index` (an int, negative counting from the end, as pop and del take),
        or with `middle` (a list) in its place. The caller has read xs[index] first: it is in range."""
        last = isinstance(index, gast.Constant) and index.value == -1 or (
            isinstance(index, gast.UnaryOp) and isinstance(index.op, gast.USub)
            and isinstance(index.operand, gast.Constant) and index.operand.value == 1)
        if last and middle is None:
            return _slice(name, None, _const(-1))
        if isinstance(index, gast.Constant) and isinstance(index.value, int) and index.value >= 0:
            after = _const(index.value + 1)
        else:           # any position: counted from the front, so that i + 1 never wraps to 0
            length = gast.Call(func=self.builtin_load("len", None), args=[_load(name)], keywords=[])
            index = gast.BinOp(left=index, op=gast.Mod(), right=length)
            after = gast.BinOp(left=copy.deepcopy(index), op=gast.Add(), right=_const(1))
        head = _slice(name, None, index)
        if middle is not None:
            head = _add(head, middle)
        return _add(head, _slice(name, after, None))

    def list_store(self, stmt, target, value, op):
        """`xs[i] = v` and `xs[i] += v` on a list whose other changes are rebindings: a rebinding too (a
        slice of a list is a new list, which the in-place write of ssa/inplace.py takes for a view)."""
        name = target.value.id
        self.check(stmt, name, f"the assignment `{gast.unparse(target).strip()} = ...`", "setitem")
        if isinstance(target.slice, (gast.Slice, gast.Tuple)):
            raise self.refusal(stmt, f"the assignment to the slice `{gast.unparse(target).strip()}` of a list that "
                               "also changes in other ways", f"build the new list: {name} = {name}[:i] + ys + {name}[j:]")
        statements = []
        if op is not None:              # xs[i] += v: the position first, then the old element and v
            statements, index = self.once(target.slice, stmt)
            value = gast.BinOp(left=gast.Subscript(value=_load(name), slice=copy.deepcopy(index), ctx=gast.Load()),
                               op=op, right=value)
            first, value = self.once(value, stmt)
            statements += first
        else:                           # the value before the position, as Python evaluates them
            statements, value = self.once(value, stmt)
            first, index = self.once(target.slice, stmt)
            statements += first
        # a position out of range raises here, as the write would
        statements.append(_assign(self.temporary(), gast.Subscript(value=_load(name), slice=copy.deepcopy(index),
                                                                   ctx=gast.Load())))
        middle = gast.List(elts=[value], ctx=gast.Load())
        return [*statements, _rebind(name, self.without_position(name, copy.deepcopy(index), middle))]

    # ---- dicts --------------------------------------------------------------------
    def dict_update(self, stmt, name, call):
        if len(call.args) > 1:
            raise self.refusal(stmt, f"`{name}.update(...)` with more than one positional argument")
        keys, values = [None], [_load(name)]
        for arg in call.args:
            keys.append(None)
            values.append(arg if _is_mapping_display(arg) or self.is_dict(arg) else
                          gast.Call(func=self.builtin_load("dict", stmt), args=[arg], keywords=[]))
        for keyword in call.keywords:
            if keyword.arg is None:
                keys.append(None)
            else:
                keys.append(_const(keyword.arg))
            values.append(keyword.value)
        return [_rebind(name, gast.Dict(keys=keys, values=values))], None

    def dict_setdefault(self, stmt, name, call):
        key, default = self.arguments(stmt, call, 1, 2) if len(call.args) == 2 else (
            *self.arguments(stmt, call, 1, 1), _const(None))
        first, key = self.once(key, stmt)
        second, default = self.once(default, stmt)
        absent = gast.Compare(left=copy.deepcopy(key), ops=[gast.NotIn()], comparators=[_load(name)])
        stored = _rebind(name, gast.Dict(keys=[None, copy.deepcopy(key)], values=[_load(name), default]))
        branch = gast.If(test=absent, body=[stored], orelse=[])
        temporary = self.temporary()
        read = _assign(temporary, gast.Subscript(value=_load(name), slice=copy.deepcopy(key), ctx=gast.Load()))
        return [*first, *second, branch, read], _load(temporary)

    def dict_pop(self, stmt, name, call):
        args = self.arguments(stmt, call, 1, 2)
        first, key = self.once(args[0], stmt)
        temporary = self.temporary()
        value = gast.Subscript(value=_load(name), slice=copy.deepcopy(key), ctx=gast.Load())
        if len(args) == 2:        # d.pop(k, default): the default where k is absent (a KeyError otherwise)
            found = gast.Compare(left=copy.deepcopy(key), ops=[gast.In()], comparators=[_load(name)])
            value = gast.IfExp(test=found, body=value, orelse=args[1])
        read = _assign(temporary, value)
        return [*first, read, _rebind(name, self.without_key(name, key))], _load(temporary)

    def dict_clear(self, stmt, name, call):
        self.arguments(stmt, call, 0, 0)
        return [_rebind(name, gast.Dict(keys=[], values=[]))], None

    def without_key(self, name, key):
        """{key: value for key, value in d.items() if key != k}: d without the key k."""
        self.count += 1
        entry_key, entry_value = f"__s2s_key{self.count}", f"__s2s_value{self.count}"
        target = gast.Tuple(elts=[_store(entry_key), _store(entry_value)], ctx=gast.Store())
        items = gast.Call(func=gast.Attribute(value=_load(name), attr="items", ctx=gast.Load()), args=[], keywords=[])
        other = gast.Compare(left=_load(entry_key), ops=[gast.NotEq()], comparators=[copy.deepcopy(key)])
        loop = gast.comprehension(target=target, iter=items, ifs=[other], is_async=0)
        return gast.DictComp(key=_load(entry_key), value=_load(entry_value), generators=[loop])

    # ---- writes, `+=` and `del` ---------------------------------------------------------
    def store(self, stmt, target, value, op):
        """`d[k] = v` and `d[k] += v` on a dict built here; any other element write is kept as it is."""
        name = target.value.id
        if self.facts.kinds.get(name) == "list" and name in self.rewritten:
            return self.list_store(stmt, target, value, op)
        if self.facts.kinds.get(name) != "dict":
            return None
        self.check(stmt, name, f"the assignment `{gast.unparse(target).strip()} = ...`", "setitem")
        statements = []
        if op is not None:              # d[k] += v: the key is read once, the old value before the new one
            first, key = self.once(target.slice, stmt)
            statements += first
            value = gast.BinOp(left=gast.Subscript(value=_load(name), slice=copy.deepcopy(key), ctx=gast.Load()),
                               op=op, right=value)
        else:                           # Python evaluates the value before the key
            first, value = self.once(value, stmt)
            second, key = self.once(target.slice, stmt)
            statements += first + second
        return [*statements, _rebind(name, gast.Dict(keys=[None, key], values=[_load(name), value]))]

    def augmented(self, stmt):
        """`xs += ys` on a list (extends it in place) and `d |= e` on a dict (updates it)."""
        name = stmt.target.id
        kind = self.facts.kinds.get(name)
        if kind == "list" and isinstance(stmt.op, gast.Add):
            self.check(stmt, name, f"`{name} += ...`", "extend")
            return [_rebind(name, _add(_load(name), self.as_list(stmt.value, stmt)))]
        if kind == "dict" and isinstance(stmt.op, gast.BitOr):
            self.check(stmt, name, f"`{name} |= ...`", "update")
            return [_rebind(name, gast.Dict(keys=[None, None], values=[_load(name), stmt.value]))]
        if kind == "list" and isinstance(stmt.op, gast.Mult):
            self.check(stmt, name, f"`{name} *= ...`", "extend")
            return [_rebind(name, gast.BinOp(left=_load(name), op=gast.Mult(), right=stmt.value))]
        return None

    def delete(self, stmt, target):
        name = target.value.id
        kind = self.facts.kinds.get(name)
        if kind is None:
            return None                 # refused by the normalizer, as a change to a value
        self.check(stmt, name, f"`del {gast.unparse(target).strip()}`", "pop")
        index = target.slice
        if kind == "dict":
            first, key = self.once(index, stmt)
            check = _assign(self.temporary(), gast.Subscript(value=_load(name), slice=key, ctx=gast.Load()))
            return [*first, check, _rebind(name, self.without_key(name, copy.deepcopy(key)))]
        if isinstance(index, gast.Slice):
            if index.step is not None:
                raise self.refusal(stmt, f"`del {gast.unparse(target).strip()}` with a step",
                                   f"build the list you keep, e.g. {name} = [v for i, v in enumerate({name}) if ...]")
            return [_rebind(name, _add(_slice(name, None, index.lower), _slice(name, index.upper, None)))]
        first, index = self.once(index, stmt)
        check = _assign(self.temporary(), gast.Subscript(value=_load(name), slice=index, ctx=gast.Load()))
        return [*first, check, _rebind(name, self.without_position(name, copy.deepcopy(index)))]

    # ---- soundness -------------------------------------------------------------------
    def check(self, stmt, name: str, what: str, method: str) -> None:
        """Refuse the change unless rebinding `name` is what changing its container in place would be."""
        facts = self.facts
        noun = facts.kinds.get(name) or ("dict" if method in ("update", "setdefault", "setitem") else
                                          "list or dict" if method in ("pop", "clear") else "list")
        copy_call = f"list({name})" if noun == "list or dict" else f"{noun}({name})"
        also = f" (dict({name}) for a dict)" if noun == "list or dict" else ""
        if name in facts.params:
            raise self.refusal(
                stmt, f"{what}: `{name}` is a parameter, so this changes the caller's {noun}, and the change "
                "would outlive the call (s2sgrad differentiates the values the function returns)",
                f"change a copy made under a new name, e.g. `new_{name} = {copy_call}`{also}, and return it if "
                "the caller needs it")
        if name in facts.declared:
            raise self.refusal(stmt, f"{what}: `{name}` is a global or nonlocal {noun}",
                               "pass it in and return the changed value")
        if name not in facts.kinds:
            array = f"; if `{name}` is an array, `{name} = np.sort({name})`" if method == "sort" else ""
            raise self.refusal(
                stmt, f"{what}: `{name}` is not only bound to a {noun} this function builds (a display, a "
                "comprehension, list(...), dict(...), `+` or a slice), so another value may hold the same "
                f"{noun} and see the change",
                f"build a new {noun} under a new name first: `new_{name} = {copy_call}`{also}{array}")
        shared = facts.shared_before(name, stmt)
        if shared is not None:
            line = getattr(shared, "lineno", 0) + self.src.line_offset
            raise self.refusal(
                stmt, f"{what}: `{name}` is also shared on line {line} (another name, a container, a call or a "
                f"nested function may hold the same {noun}), and would see the change",
                f"share a copy there (`{copy_call}`), or build the new {noun} under a new name: "
                f"`new_{name} = {copy_call}`")
        for loop in self.loops:
            if loop in facts.iterated.get(name, ()) and (noun == "list" or method in _RESIZING):
                line = getattr(loop, "lineno", 0) + self.src.line_offset
                raise self.refusal(
                    stmt, f"{what} inside the `for` loop of line {line}, which iterates `{name}`",
                    f"iterate a copy (`for ... in {copy_call}`), or build the new {noun} in another variable")

    def refuse_nested_changes(self, stmt) -> None:
        """A pop or setdefault inside a larger expression, on a list or dict this pass rewrites (or on the
        caller's): its change would have to happen in the middle of the expression. (A lambda's own are
        refused as its side effects: ssa/closures.py.)"""
        if not self.facts.value_changes:
            return
        for node in walk_body([stmt]):
            if _method_call(node) and node.func.attr in ("pop", "setdefault"):
                name = node.func.value.id
                if name in self.facts.kinds or name in self.facts.params:
                    raise self.refusal(
                        stmt, f"`{gast.unparse(node).strip()}` inside a larger expression",
                        f"take the value on a line of its own: value = {gast.unparse(node).strip()}")

    def refusal(self, stmt, what: str, hint: str = "") -> UnsupportedConstructError:
        return UnsupportedConstructError(what, self.src.location(stmt), hint)

    # ---- small pieces -------------------------------------------------------------------
    def _rewritten_lists(self) -> set:
        """Lists with a change other than an append or a pop from the end, whose appends and pops are then
        rewritten too (a rebinding and an in-place change of one list must not mix)."""
        names = {call.func.value.id for call in self.facts.method_calls if call.func.attr in _LIST_CHANGES
                 and (call.func.attr != "pop" or call.args or call.keywords)}
        for node in self.facts.deletes_and_extensions:
            if isinstance(node, gast.Delete):
                names |= {t.value.id for t in node.targets if _subscript_of_name(t)}
            else:
                names.add(node.target.id)
        return {n for n in names if self.facts.kinds.get(n) == "list"}

    def arguments(self, stmt, call, least: int, most: int) -> list:
        name, method = call.func.value.id, call.func.attr
        if any(isinstance(a, gast.Starred) for a in call.args) or (call.keywords and method != "sort") \
                or not least <= len(call.args) <= most:
            raise self.refusal(stmt, f"`{gast.unparse(call).strip()}` with these arguments",
                               f"pass {name}.{method} its arguments by position")
        return list(call.args)

    def once(self, node, stmt):
        """([an assignment], a name) for an expression that must be evaluated once; ([], node) for a
        name or constant."""
        if isinstance(node, (gast.Name, gast.Constant)) or (
                isinstance(node, gast.UnaryOp) and isinstance(node.operand, gast.Constant)):
            return [], node
        temporary = self.temporary()
        return [_assign(temporary, node)], _load(temporary)

    def temporary(self) -> str:
        self.count += 1
        return f"__s2s_value{self.count}"      # `__` names become the normalizer's own temporaries

    def as_list(self, items, stmt):
        if isinstance(items, (gast.List, gast.ListComp)) or self.is_list(items):
            return items
        return gast.Call(func=self.builtin_load("list", stmt), args=[items], keywords=[])

    def is_list(self, node) -> bool:
        return isinstance(node, gast.Name) and self.facts.kinds.get(node.id) == "list"

    def is_dict(self, node) -> bool:
        return isinstance(node, gast.Name) and self.facts.kinds.get(node.id) == "dict"

    def builtin_load(self, name: str, stmt):
        if self.facts.builtin(_load(name)) is None:
            raise self.refusal(stmt, f"this change of a list or dict while `{name}` names something other than the "
                               "builtin", f"s2sgrad writes it with the builtin `{name}`; rename your `{name}`")
        return _load(name)


# ---- syntax -----------------------------------------------------------------------------

def _attribute_of(stmt, call) -> str:
    return next(n.attr for n in gast.walk(stmt) if isinstance(n, gast.Attribute) and n.value is call)


def _method_call(node) -> bool:
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) \
        and isinstance(node.func.value, gast.Name)


def _subscript_of_name(node) -> bool:
    return isinstance(node, gast.Subscript) and isinstance(node.value, gast.Name)


def _is_mapping_display(node) -> bool:
    return isinstance(node, (gast.Dict, gast.DictComp))


def _mentions(stmt, name: str, skip) -> bool:
    skipped = {id(n) for n in gast.walk(skip)}
    return any(isinstance(n, gast.Name) and n.id == name and id(n) not in skipped for n in gast.walk(stmt))


def _value_change(stmt):
    """The one `xs.pop(...)` or `d.setdefault(...)` that `stmt` evaluates whenever it runs (not under an
    `if`-expression, `and`/`or`, a comprehension or a lambda), or None if it has none."""
    found, todo = [], [stmt.value]
    while todo:
        node = todo.pop()
        if node is None or isinstance(node, (gast.IfExp, gast.BoolOp, gast.Lambda, gast.ListComp, gast.SetComp,
                                             gast.DictComp, gast.GeneratorExp)):
            continue
        if _method_call(node) and node.func.attr in ("pop", "setdefault"):
            found.append(node)
        todo.extend(gast.iter_child_nodes(node))
    return found[0] if len(found) == 1 else None


def _replaced(stmt, call, value):
    """A copy of `stmt` reading `value` where it called `call`."""
    if stmt.value is call:
        new = copy.copy(stmt)
        new.value = value
        return new
    new = copy.copy(stmt)
    new.value = _swap(stmt.value, call, value)
    return new


def _swap(node, old, new):
    if node is old:
        return new
    if isinstance(node, list):
        return [_swap(n, old, new) for n in node]
    if not isinstance(node, gast.AST):
        return node
    fields = {f: _swap(getattr(node, f), old, new) for f in node._fields}
    swapped = type(node)(**fields)
    return gast.copy_location(swapped, node)


def _load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _store(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)


def _const(value) -> gast.Constant:
    return gast.Constant(value=value, kind=None)


def _assign(name: str, value) -> gast.Assign:
    return gast.Assign(targets=[_store(name)], value=value, type_comment=None)


def _rebind(name: str, value) -> gast.Assign:
    return _assign(name, value)


def _add(left, right) -> gast.BinOp:
    return gast.BinOp(left=left, op=gast.Add(), right=right)


def _slice(name: str, lower, upper, step=None) -> gast.Subscript:
    return gast.Subscript(value=_load(name), slice=gast.Slice(lower=lower, upper=upper, step=step), ctx=gast.Load())


def _locate(new, original) -> None:
    """Give every node of a new statement the original statement's position (errors name the user's line)."""
    for node in gast.walk(new):
        for attr in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            if attr in node._attributes and getattr(node, attr, None) is None:
                setattr(node, attr, getattr(original, attr, None))
