"""Which Python object does a name or dotted name in the function refer to?

Derivative rules are chosen by the object a call refers to (`math.sin`,
`np.cos`, the builtin `max`), so the transformer resolves such references
against the function's globals, closure and builtins when it transforms. The
generated code still looks them up by name when it runs, so values are never
frozen; only the choice of rule is made here.

That choice depends on what each name denotes when the function is
transformed, and one code object can see different objects through its
closure cells, defaults or globals (`make(math.sin)`, `make(math.cos)`). So
every resolution made while a function is prepared is recorded
(`recording_resolutions`), a cached transformation is reused only for a
function whose names still denote the same (or equivalent) objects
(`resolutions_hold`), and a gradient function re-checks them on each call
(`ResolutionGuard`).
"""
from __future__ import annotations

import builtins
import contextlib
import contextvars
import types

import gast

_MISSING = object()
_RECORD: contextvars.ContextVar = contextvars.ContextVar("s2sgrad_resolutions", default=None)


def dotted_name(node) -> str | None:
    """'np.linalg.inv' for the expression np.linalg.inv, None if it is not a dotted name."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))



def resolve_global(dotted: str, namespace: dict, closure: dict):
    """The object `dotted` denotes in the function's namespace, or _MISSING (recorded while recording)."""
    obj = _lookup(dotted, namespace, closure)
    record = _RECORD.get()
    if record is not None and obj is not _MISSING:
        record.setdefault(dotted, obj)
    return obj


def peek_global(dotted: str, namespace: dict, closure: dict):
    """What `dotted` denotes now, without recording it as something the transformation depends on (for a
    question whose answer matters only for some objects: the caller records those with resolve_global)."""
    return _lookup(dotted, namespace, closure)


@contextlib.contextmanager
def recording_resolutions():
    """Collect {dotted name: object} for every name resolved inside the block (this thread only)."""
    record: dict = {}
    token = _RECORD.set(record)
    try:
        yield record
    finally:
        _RECORD.reset(token)


def closure_cells(function) -> dict:
    return dict(zip(function.__code__.co_freevars, function.__closure__ or ()))


def resolutions_hold(resolutions: dict, function, rules) -> bool:
    """Whether every recorded name still denotes an equivalent object for `function` (its globals, cells)."""
    namespace, cells = function.__globals__, closure_cells(function)
    return all(_equivalent(_lookup(dotted, namespace, cells), obj, rules) for dotted, obj in resolutions.items())


class ResolutionGuard:
    """The per-call check that a gradient function's resolved names were not rebound since it was built.

    Cheap on purpose (it runs on every call): one dict lookup or cell read per
    name that does not denote a module, and attribute chains followed only
    below such names (`cfg.activation`). Names of modules (`np`) and their
    attributes (`np.sin`) are assumed stable between calls, so a function
    calling only library functions has nothing to check; they are checked
    when a cached transformation is reused (a new `grad(f)`). A rebound name
    triggers the full check, which accepts an equivalent object (another
    Python function of the same code: see `_equivalent`).
    """

    def __init__(self, resolutions: dict, function, rules):
        self._resolutions, self._function, self._rules = resolutions, function, rules
        self._namespace = function.__globals__
        self._cells = closure_cells(function)
        self._snapshot()

    def _snapshot(self) -> None:
        namespace, cells = self._namespace, self._cells
        heads, chains = {}, []
        for dotted, obj in self._resolutions.items():
            head, _, rest = dotted.partition(".")
            value = _lookup(head, namespace, cells)
            if head not in heads and not isinstance(value, types.ModuleType):
                # a builtin is checked for staying absent from the globals (a global would shadow it)
                heads[head] = (cells.get(head), value if head in cells or head in namespace else _ABSENT)
            if rest and not isinstance(value, types.ModuleType):
                chains.append((dotted, obj))
        self._global_heads = tuple((name, value) for name, (cell, value) in heads.items() if cell is None)
        self._cell_heads = [(cell, value) for cell, value in heads.values() if cell is not None]
        self._chains = chains

    def __bool__(self) -> bool:
        return bool(self._global_heads or self._cell_heads or self._chains)

    def holds(self) -> bool:
        get = self._namespace.get
        for name, value in self._global_heads:
            if get(name, _ABSENT) is not value:
                return self._recheck()
        for cell, value in self._cell_heads:
            try:
                if cell.cell_contents is not value:
                    return self._recheck()
            except ValueError:              # the variable was deleted
                return self._recheck()
        if self._chains:
            namespace, cells, rules = self._namespace, self._cells, self._rules
            return all(_equivalent(_lookup(dotted, namespace, cells), obj, rules) for dotted, obj in self._chains)
        return True

    def _recheck(self) -> bool:
        if not resolutions_hold(self._resolutions, self._function, self._rules):
            return False
        self._snapshot()            # rebound to an equivalent object: the new one is what the next call sees
        return True


_ABSENT = object()


def _equivalent(found, recorded, rules) -> bool:
    """Whether the transformation made for `recorded` is right for `found`.

    The same object is. So is another Python function (or bound method) of the
    same code when neither has a rule: a call to it stays a call in the
    generated code, differentiated at run time (call_vjp), and what the
    transformer reads of it (its syntax) is its code's. So a nested helper
    made afresh at each call, or a method of a new object, is no reason to
    transform again; a different function, or one with a rule, is.
    """
    if found is recorded:
        return True
    if type(recorded) is types.MethodType and found == recorded:
        return True               # a bound method is a new object at each access; equal ones are the same
    code = _python_code(recorded)
    return code is not None and _python_code(found) == code \
        and rules.lookup(found) is None and rules.lookup(recorded) is None


def _python_code(obj):
    while type(obj) is types.MethodType:
        obj = obj.__func__
    return obj.__code__ if type(obj) is types.FunctionType else None


def _lookup(dotted: str, namespace: dict, closure: dict):
    head, *rest = dotted.split(".")
    if head in closure:
        try:
            obj = closure[head].cell_contents
        except ValueError:      # an empty cell: the variable is not bound yet
            return _MISSING
    elif head in namespace:
        obj = namespace[head]
    elif hasattr(builtins, head):
        obj = getattr(builtins, head)
    else:
        return _MISSING
    for attr in rest:
        obj = getattr(obj, attr, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


def is_missing(obj) -> bool:
    return obj is _MISSING
