"""Find the derivative rule for one operation of the single-assignment form."""
from __future__ import annotations

import copy
import functools
import dataclasses
import inspect
import itertools
from dataclasses import dataclass

import gast
import numpy as np

from ..errors import NoDerivativeRuleError, UnsupportedConstructError
from ..rules import NonDifferentiable, Rule, describe_key, structural
from ..ssa.user_terms import terms_of
from .plain_init import stored_parameters
from .resolve import dotted_name, is_missing, resolve_global
from .side_effects import call_statements, module_names, refuse_side_effects, refuse_writing_call
from .writing_calls import refuse_output_argument, refuse_writing_statement


@dataclass
class Primitive:
    """An operation, its rule, and its operands in the order the rule's parameters bind them."""

    key: object
    rule: object                 # the table entry: a Rule, NonDifferentiable, or one of rules/structural.py
    args: list                   # positional operand atoms
    keywords: dict               # keyword operand atoms
    callee: object = None        # for CALL: the callee expression (a receiver's method for "self")
    receiver: object = None      # for CALL of a method: the object it is bound to

    _copy_shares = ("key", "rule")      # how ir/copying.py copies it fast: as __deepcopy__ does

    def __deepcopy__(self, memo):
        """Copied with its program: the operand nodes are the copy's, the key and the entry stay shared."""
        copied = copy.deepcopy((self.args, self.keywords, self.callee, self.receiver), memo)
        return Primitive(self.key, self.rule, *copied)


# the language's own operations are entries of the table too (rules/structural.py)
COPY, CONSTANT, SUBSCRIPT, PACK, PACK_DICT, CALL, FIELD, POP = structural.COPY, structural.CONSTANT, \
    structural.SUBSCRIPT, structural.PACK, structural.PACK_DICT, structural.CALL, structural.FIELD, structural.POP


class PrimitiveResolver:
    """Maps SSA operations to rules, resolving callees against the function's namespace."""

    def __init__(self, source, rules, local_names: set[str], runtime=None):
        self.source = source
        self.rules = rules
        self.local_names = local_names
        self.runtime = runtime or {}     # name -> runtime helper the single-assignment form calls (copy_of)

    def resolve(self, op, origin) -> Primitive:
        if isinstance(op, gast.Name):
            if op.id in self.local_names:
                return Primitive(COPY, COPY, [op], {})
            return Primitive(CONSTANT, CONSTANT, [], {})
        if isinstance(op, gast.Constant) or (isinstance(op, gast.UnaryOp) and isinstance(op.operand, gast.Constant)):
            return Primitive(CONSTANT, CONSTANT, [], {})
        if isinstance(op, gast.BinOp):
            return self._rule(type(op.op), [op.left, op.right], {}, origin)
        if isinstance(op, gast.UnaryOp):
            return self._rule(type(op.op), [op.operand], {}, origin)
        if isinstance(op, gast.Compare):
            return Primitive(type(op.ops[0]), NonDifferentiable("comparison"), [op.left, *op.comparators], {})
        if isinstance(op, gast.BoolOp):
            return Primitive(type(op.op), NonDifferentiable("and/or"), list(op.values), {})
        if isinstance(op, (gast.Tuple, gast.List)):
            return Primitive(PACK, PACK, list(op.elts), {})
        if isinstance(op, gast.Dict):
            return Primitive(PACK_DICT, PACK_DICT, list(op.values), dict(zip(range(len(op.keys)), op.keys)))
        if isinstance(op, gast.Lambda):
            return Primitive(CONSTANT, CONSTANT, [], {})       # a function value; calls to it are CALLs
        if isinstance(op, gast.Subscript):
            concatenator = self._indexed_entry(op.value)
            if concatenator is not None:         # np.r_[a, b]: a call of the table's entry on the items
                return self._rule(concatenator, _index_items(op.slice), {}, origin, shown=dotted_name(op.value))
            return Primitive(SUBSCRIPT, SUBSCRIPT, [op.value], {})
        if isinstance(op, gast.Attribute):
            if self._is_local(op.value):
                if self.rules.lookup(("attr", op.attr)) is not None:      # x.T, x.shape, ...
                    return self._rule(("attr", op.attr), [op.value], {}, origin)
                return Primitive(FIELD, FIELD, [op.value], {})            # model.w: a field of the user's object
            return Primitive(CONSTANT, CONSTANT, [], {})
        if isinstance(op, gast.Call):
            return self._call(op, origin)
        if isinstance(op, gast.JoinedStr):
            return Primitive(CONSTANT, CONSTANT, [], {})
        raise UnsupportedConstructError(f"the operation `{terms_of(self.source).expression(op)}`",
                                        self.source.location(origin))

    def refuse_side_effects_of_call_statements(self, body) -> None:
        """A call whose value is dropped (`log(x)`) matters only by its side effects, which carry no
        derivative: it must not write into a value, nor call a Python function that changes values
        outside itself."""
        for stmt, local, nested in call_statements(body, self.local_names):
            if not nested:
                refuse_writing_call(stmt, self.source.location(stmt), module_names(self.source),
                                    terms_of(self.source))
            dotted = dotted_name(stmt.value.func)
            if dotted is None or dotted.split(".")[0] in local:
                if not nested:          # a method of a value built in the call's receiver (rng(0).shuffle(y))
                    func = stmt.value.func
                    shown = f".{func.attr}" if isinstance(func, gast.Attribute) else gast.unparse(func).strip()
                    refuse_writing_statement(stmt.value, None, None, [], self.source.location(stmt), shown,
                                             terms_of(self.source))
                continue
            target = resolve_global(dotted, self.source.globals, self.source.closure)
            if not nested and not is_missing(target):
                self._refuse_writing_statement(stmt, target, dotted)
            if not is_missing(target) and _is_python_callable(target) and self.rules.lookup(target) is None:
                refuse_side_effects(target, dotted, self.source.location(stmt), self._has_rule)

    def _has_rule(self, function) -> bool:
        return self.rules.lookup(function) is not None

    def _refuse_writing_statement(self, stmt, target, dotted) -> None:
        """A call statement whose value is dropped is not differentiated: refuse it where it writes into an
        argument (np.add.at, out=, NumPy's positional out), since that write would carry no derivative."""
        call, args = stmt.value, list(stmt.value.args)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, _VALUES_WITH_METHODS) and not isinstance(owner, np.ufunc):
            key, args = ("method", getattr(target, "__name__", "")), [call.func.value, *args]   # X.cumsum(...)
        else:
            key = target
        rule = self.rules.lookup(key)
        refuse_writing_statement(call, target, rule if isinstance(rule, Rule) else None, args,
                                 self.source.location(stmt), dotted, terms_of(self.source))

    def _indexed_entry(self, node):
        """The global object a subscript indexes when the table has an entry for it (np.r_, np.c_), else None."""
        dotted = None if self._is_local(node) else dotted_name(node)
        if dotted is None or dotted.split(".")[0] in self.local_names:
            return None
        target = resolve_global(dotted, self.source.globals, self.source.closure)
        if is_missing(target) or isinstance(target, tuple) or callable(target):
            return None
        return target if isinstance(self.rules.lookup(target), Rule) else None

    def _is_local(self, node) -> bool:
        return isinstance(node, gast.Name) and node.id in self.local_names

    def _call(self, op: gast.Call, origin) -> Primitive:
        keywords = {k.arg: k.value for k in op.keywords}
        func = op.func
        if isinstance(func, gast.Attribute) and self._is_local(func.value):
            rule = self.rules.lookup(("method", func.attr))
            if rule is not None:
                return self._rule(("method", func.attr), [func.value, *op.args], keywords, origin)
            if func.attr == "pop" and not op.args and not keywords:     # the tape of a generated gradient
                return Primitive(POP, POP, [func.value], {})
            # a method of the user's own object: differentiated like any other Python function
            return Primitive(CALL, CALL, list(op.args), keywords, callee=func, receiver=func.value)
        if self._is_local(func):          # a nested def, a lambda, a function or a callable object passed in
            # a callable object's fields carry derivatives into its __call__ as a bound method's self does
            return Primitive(CALL, CALL, list(op.args), keywords, callee=func, receiver=func)
        if isinstance(func, gast.Name) and func.id in self.runtime:     # the normalizer's own call: its entry
            return self._rule(self.runtime[func.id], list(op.args), keywords, origin, shown=func.id)
        dotted = dotted_name(func)
        method = self._method_of_outside_value(func, keywords, op, origin)
        if method is not None:
            return method
        target = resolve_global(dotted, self.source.globals, self.source.closure) if dotted else None
        if dotted is None or is_missing(target):
            raise UnsupportedConstructError(
                f"a call to `{terms_of(self.source).expression(func)}`, which s2sgrad cannot resolve when it "
                "transforms the function",
                self.source.location(origin), "make sure the name is defined at module level before calling grad",
            )
        if self.rules.lookup(target) is None and _is_python_callable(target):
            refuse_side_effects(target, dotted, self.source.location(origin), self._has_rule)
            return Primitive(CALL, CALL, list(op.args), keywords, callee=func)
        if isinstance(target, type) and self.rules.lookup(target) is None:
            record = _record_fields(target)
            if record is not None:
                return self._construct(target, record, op, keywords, origin, dotted)
            hint = _ITERATOR_HINTS.get(target) or (
                "write the loop the iterator stands for, with `for` and a list" if target.__module__ == "itertools"
                else None)
            if hint is None:            # the user's class: built like a dataclass if its __init__ only stores
                stored, why_not = stored_parameters(target)
                if stored is not None:
                    record = {name: _NO_DEFAULT if default is inspect.Parameter.empty else default
                              for name, default in stored.items()}
                    return self._construct(target, record, op, keywords, origin, dotted)
                hint = (f"`{dotted}` is built inside only when its __init__ just stores each parameter under its "
                        f"own name (self.w = w), but {why_not}")
            raise UnsupportedConstructError(
                f"constructing a `{dotted}` object inside the differentiated function", self.source.location(origin),
                hint)
        return self._rule(target, list(op.args), keywords, origin, shown=dotted)

    def _construct(self, cls, fields, op, keywords, origin, shown) -> Primitive:
        """`Params(mu, sigma)` of a namedtuple or a plain dataclass packs its fields, as a tuple literal
        packs its elements: each field's adjoint goes back to the argument that gave it (dp[0] or dp['mu'])."""
        location = self.source.location(origin)
        if any(isinstance(a, gast.Starred) for a in op.args) or None in keywords:
            raise UnsupportedConstructError(
                f"constructing `{shown}` with `*` or `**` arguments", location, "pass each field by position or name")
        try:
            bound = inspect.signature(cls).bind(*op.args, **keywords)
        except TypeError as error:
            raise UnsupportedConstructError(f"`{terms_of(self.source).expression(op)}`: {error}", location) from None
        values = []
        for name, default in fields.items():
            if name in bound.arguments:
                values.append(bound.arguments[name])
            elif isinstance(default, (int, float, complex, str, bool, type(None))):
                values.append(gast.Constant(value=default, kind=None))       # a field left at its default
            else:
                raise UnsupportedConstructError(
                    f"`{terms_of(self.source).expression(op)}`, which leaves `{name}` at a default that is "
                    "not a number",
                    location, f"pass `{name}` explicitly")
        if issubclass(cls, tuple):
            return Primitive(PACK, PACK, values, {})
        return Primitive(PACK_DICT, PACK_DICT, values,
                         {i: gast.Constant(value=name, kind=None) for i, name in enumerate(fields)})

    def _method_of_outside_value(self, func, keywords, op, origin):
        """`X.dot(w)`, `Y.T.dot(a)`, `rs.randn(3)`: a method of an array or a random generator held in a
        global or a closure cell takes the method's entry, with that value as its (constant) `self`.

        Only the receiver is resolved (and recorded for the resolution guard): the bound method is a
        new object at every access, while the value it is bound to is what the generated code reads.
        """
        if not isinstance(func, gast.Attribute) or self.rules.lookup(("method", func.attr)) is None:
            return None
        receiver = dotted_name(func.value)
        if receiver is None or receiver.split(".")[0] in self.local_names:
            return None
        value = resolve_global(receiver, self.source.globals, self.source.closure)
        if not (isinstance(value, _VALUES_WITH_METHODS) or hasattr(value, "__array_function__")):
            return None
        return self._rule(("method", func.attr), [func.value, *op.args], keywords, origin)

    def _rule(self, key, args, keywords, origin, shown=None) -> Primitive:
        rule = self.rules.lookup(key)
        if rule is None:
            name = shown or describe_key(key)
            hint = (f"register its derivative, e.g. s2sgrad.defvjp({name}, \"x\", dx=\"dy * ...\") "
                    "(see docs/functions.md), or, only if its result carries no derivative (a count, an index, "
                    "a label), mark it with s2sgrad.nondifferentiable")
            if key in _LOOP_HINTS:          # a function that calls a function: its derivative is the loop's
                hint = _LOOP_HINTS[key]
            if callable(key) and hasattr(key, "__code__"):
                hint = ("calls to your own Python functions are not supported yet; inline the helper, or "
                        + hint)
            wrapped = getattr(key, "__wrapped__", None)
            if isinstance(key, functools._lru_cache_wrapper) and _is_python_callable(wrapped):
                # functools.lru_cache / functools.cache: the wrapper is C code, the function it caches is
                # differentiable; marking it nondifferentiable would silently zero its gradient
                hint = (f"`{name}` is a cache (functools.lru_cache) around a Python function; s2sgrad does not "
                        f"follow the cache, but it can differentiate the function itself: call "
                        f"`{name}.__wrapped__(...)` in the differentiated function (same values, computed "
                        f"afresh), or register a derivative with s2sgrad.defvjp({name}, ...)")
            raise NoDerivativeRuleError(f"`{name}`: it has no derivative rule", self.source.location(origin), hint)
        if isinstance(rule, Rule):
            refuse_output_argument(rule, args, keywords, self.source.location(origin), shown or describe_key(key),
                                   terms_of(self.source))
        return Primitive(key, rule, args, keywords)


# the values whose methods the table's ("method", name) entries describe (and any array that
# takes part in NumPy's dispatch: Dask, CuPy)
_VALUES_WITH_METHODS = (np.ndarray, np.generic, np.random.RandomState, np.random.Generator)


def _index_items(index) -> list:
    """The items of `obj[a, 0:3, 'r']` as operands; a slice becomes the call `slice(0, 3, None)`."""
    items = index.elts if isinstance(index, gast.Tuple) else [index]
    none = gast.Constant(value=None, kind=None)
    return [gast.Call(func=gast.Name(id="slice", ctx=gast.Load(), annotation=None, type_comment=None),
                      args=[item.lower or none, item.upper or none, item.step or none], keywords=[])
            if isinstance(item, gast.Slice) else item for item in items]


def _record_fields(cls) -> dict | None:
    """{field: its default, or _NO_DEFAULT} of a namedtuple class, or of a dataclass whose __init__ only
    stores its fields (the values a construction packs); None for any other class."""
    owner = next((c for c in cls.__mro__ if "__new__" in vars(c)), None)
    if issubclass(cls, tuple) and owner is not None and "_make" in vars(owner) and "__init__" not in vars(cls):
        return {name: cls._field_defaults.get(name, _NO_DEFAULT) for name in cls._fields}
    # the __init__ dataclasses writes is compiled from a string; one the user wrote comes from a file
    generated_init = getattr(getattr(cls.__init__, "__code__", None), "co_filename", "").startswith("<")
    if dataclasses.is_dataclass(cls) and not hasattr(cls, "__post_init__") and generated_init:
        fields = dataclasses.fields(cls)
        if all(f.init for f in fields):
            return {f.name: _NO_DEFAULT if f.default is dataclasses.MISSING else f.default for f in fields}
    return None


_NO_DEFAULT = object()


def _is_python_callable(target) -> bool:
    """Code s2sgrad can read and transform: a Python function, a partial of one, a bound method."""
    import functools
    import types
    if isinstance(target, functools.partial):
        return _is_python_callable(target.func)
    if isinstance(target, types.MethodType):
        return _is_python_callable(target.__func__)
    if not isinstance(target, (type, types.FunctionType)) and isinstance(getattr(target, "__call__", None), types.MethodType):
        return _is_python_callable(target.__call__)     # an object whose class defines __call__ in Python
    # a gradient function is a Python callable too; call_vjp explains that it cannot differentiate it yet
    return isinstance(target, types.FunctionType) or getattr(target, "_s2sgrad_gradient", False)


# functions that apply a function along a sequence: the loop they stand for is what to write
_LOOP_HINTS = {
    functools.reduce: "write the loop it stands for: acc = values[0], then for v in values[1:]: acc = f(acc, v) "
                      "(a product: acc = acc * v); or use np.prod / sum",
}

# iterators are not objects to build and pass in: what to write instead
_ITERATOR_HINTS = {
    reversed: "write seq[::-1], or loop over reversed(seq) directly: for v in reversed(seq)",
    itertools.accumulate: "use np.cumsum(np.array(values)), or a loop that appends the running total to a list",
}
