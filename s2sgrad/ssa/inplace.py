"""In-place element assignment: `x[i] = v`, `x[i:j] += v`, `x[mask] = 0`.

The forward sweep mutates the array as the user's code does, after saving
the elements it overwrites:

    t3 = copy_of(x[i])          # the values about to be lost
    x[i] = v

and the reverse sweep undoes it at the mirror point (see reverse/emitter.py):
the stored elements' adjoint goes to `v`, is zeroed, and `x[i] = t3` puts
the old values back, so every earlier adjoint reads the array as it was.

Only arrays the function made itself may be mutated: mutating a parameter
(the caller's array) or a name that may share its memory (a plain copy of
another name, a slice, a transpose) is an error, since the caller's data or
another variable would change under the reverse sweep.

A gradient's own generated code, differentiated again (a Hessian: forward mode
over it), was checked when it was made from the user's code, and it writes by
design where those rules would refuse: the reverse sweep restores the forward sweep's arrays in
place (popped from the tape, so under names that own nothing), and it reads
views taken before a write only once that write is undone. Forward mode
follows those writes as written, tangents included (forward/emitter.py), so
there the checks are left out (`refuse_unless_checked`); reverse mode over such
code still raises them. The user's nested defs and lambdas that the generated
file defines are not s2sgrad's code and keep the checks.
"""
from __future__ import annotations

import gast
import numpy as np

from ..analysis.resolve import dotted_name, is_missing, resolve_global
from ..codegen.loader import is_generated_function
from ..rules import DEFAULT_RULES
from ..runtime.arrays import zeros_like
from ..runtime.namespace import copy_of
from . import ast_build as build

# which results are fresh arrays and which may be views is a fact of each table entry (Facts.memory,
# declared in rules/numpy_rules.py)


class InPlaceAssignments:
    """Mixed into the normalizer: tracks which names hold arrays the function owns."""

    def note_definition(self, name: str, op) -> None:
        if self._allocates(op):
            self.owned.add(name)
        else:
            self.owned.discard(name)
        self.stale_views.pop(name, None)                 # a new value under this name
        if _builds_holder(op, self.holders):
            self.holders.add(name)
        # may share memory with base (and what base views); a list, tuple or dict holding base, or what a
        # function returns from it (`ident(y)`, `max(y, w)`), reaches base's memory too
        held = self._held_by(op)
        for base in _viewed(op) | held:
            self.note_view(base, name)
        for base in held | ({op.id} if isinstance(op, gast.Name) else set()):
            self.note_holding(base, name)

    def note_view(self, base: str, name: str) -> None:
        """`name` may reach the memory of `base`: an in-place write into base makes reading name stale."""
        for root in {base} | {r for r, views in self.views.items() if base in views}:
            self.views.setdefault(root, set()).add(name)

    def note_holding(self, base: str, name: str) -> None:
        """`name` is `base`'s object or holds it (alias = rows, [rows]): growing the list base changes what
        name reads. (An element read from base, `rows[-1]`, is not: views track what writes reach.)"""
        for root in {base} | {r for r, names in self.holding.items() if base in names}:
            self.holding.setdefault(root, set()).add(name)

    def _held_by(self, op) -> set[str]:
        """The names whose values `op`'s result may hold without copying them."""
        if isinstance(op, (gast.List, gast.Tuple, gast.Set)):
            return _names_of(op.elts)
        if isinstance(op, gast.Dict):
            return _names_of(op.values)
        if isinstance(op, gast.BinOp) and isinstance(op.op, (gast.Add, gast.Mult)):
            return _names_of([op.left, op.right]) & self.holders          # `[y] * 2`, `rows + [y]`
        if isinstance(op, gast.Call):
            target = self.callee_object(op.func)
            referencing = _is_referencing_builtin(target)
            if not referencing and (isinstance(target, np.ufunc) or (
                    target is not None and DEFAULT_RULES.lookup(target) is not None)):
                return set()             # a table entry: what it may share is its Facts.memory (_viewed)
            if not referencing and isinstance(target, type(len)):
                return set()             # abs, float, len, ...: numbers or new arrays
            held = _names_of(list(op.args) + [k.value for k in op.keywords])
            if isinstance(op.func, gast.Attribute):
                if op.func.attr in _NEW_VALUE_METHODS:
                    return set()
                if op.func.attr == "pop":       # an element taken out, as rows[-1] reads one: not the list
                    return set()
                held |= _names_of([op.func.value]) & self.holders        # rows.copy() holds what rows holds
            return held
        return set()

    def setitem(self, target: gast.Subscript, value, origin) -> None:
        if not isinstance(target.value, gast.Name):
            raise self.unsupported(origin, f"assignment to `{gast.unparse(target)}`",
                                   "assign to an element of a plain variable: y = ...; y[i] = v")
        user = target.value.id
        if user not in self.env:
            raise self.unsupported(origin, f"assignment into `{user}`, which is not a local variable",
                                   f"make a local copy first: {user}_copy = {user}.copy()")
        array = self.env[user]
        if array in self.dicts and array not in self.owned:
            # a key stored anew has no old value for the reverse sweep to put back
            raise self.unsupported(
                origin, f"the assignment `{gast.unparse(target).strip()} = ...` into the dict `{user}`",
                "build the dict in one expression, which s2sgrad follows: a dict comprehension "
                "{k: v for k, v in zip(keys, values)} or dict(pairs); to add up values per key, "
                "{k: sum(v for j, v in pairs if j == k) for k in keys}")
        if array not in self.owned:
            whose = ("the caller's input array" if array in self.params_ssa
                     else "an array that may share memory with another one (a view, or another name for it)")
            error = self.unsupported(
                origin, f"the in-place assignment to `{gast.unparse(target)}`: `{user}` is {whose}",
                f"copy it first, e.g. {user} = {user}.copy(), then assign into the copy",
            )
            if array in self.params_ssa:        # a gradient's seed too: the caller's array, which it may pass again
                raise error
            self.refuse_unless_checked(error)
        index = self.index(target.slice)
        stored = self.op(value) if not _is_atom(value) else self.atom(value)
        if not _is_atom(stored):
            name = self.temporary()
            self.emit(build.assign(name, stored, origin))
            stored = build.load(name)
        # views of the array taken before now see the new values: reading them later would give
        # gradients for the old ones, so such reads are refused (expressions.py)
        line = getattr(origin, "lineno", 0) + self.src.line_offset
        for view in self.views.get(array, ()):
            self.stale_views[view] = (user, line)
        saved = self.temporary()
        # a write through a mask the function computed (`y[y > c] = 0`) saves the whole array: the part it
        # overwrites has a length Dask knows only once computed, and cannot be put back by the mask
        whole = _is_mask(target.slice)
        view = build.load(array) if whole else gast.Subscript(value=build.load(array), slice=index, ctx=gast.Load())
        # the runtime's copy_of copies in the array's own library (np.copy would pull a Dask array into
        # memory) and needs no NumPy in the user's module; its entry in the table serves both modes
        self.emit(build.assign(saved, build.call(self.runtime_name("copy_of", copy_of), view), origin))
        store = gast.Assign(targets=[gast.Subscript(value=build.load(array), slice=index, ctx=gast.Store())],
                            value=stored, type_comment=None)
        gast.copy_location(store, origin)
        store.s2s_saved = saved
        store.s2s_saved_whole = whole
        self.emit(store)

    def refuse_unless_checked(self, error) -> None:
        """Raise `error`, a refused write or stale read; in a gradient's generated code, whose writes were checked
        when it was made (module docstring), keep it for reverse mode instead, which raises it (transform.py):
        forward mode over that code follows each write as written, tangents included."""
        if not is_generated_function(self.src.function):
            raise error
        self.reverse_refusals.append((error.construct, error.location, _REVERSE_OVER_WRITES))

    def runtime_name(self, canonical: str, helper) -> str:
        """The name the single-assignment form calls a runtime helper by (`copy_of`, or `copy_of_1` where the
        function uses that name): kept in `self.runtime` for the resolver and the generated code's bindings."""
        for name, bound in self.runtime.items():
            if bound is helper:
                return name
        name = self.namer.claim(canonical)
        self.runtime[name] = helper
        return name

    def _allocates(self, op) -> bool:
        if isinstance(op, (gast.BinOp, gast.UnaryOp)):
            return not isinstance(op, gast.UnaryOp) or not isinstance(op.op, gast.UAdd)
        if isinstance(op, (gast.List, gast.Tuple)):
            return isinstance(op, gast.List)
        if not isinstance(op, gast.Call):
            return False
        func = op.func
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) and func.value.id in self.defined:
            return DEFAULT_RULES.memory_of(("method", func.attr)) == "new"
        if isinstance(func, gast.Name) and func.id in self.runtime:      # added_at of np.add.at (array_fills.py)
            return DEFAULT_RULES.memory_of(self.runtime[func.id]) == "new"
        dotted = dotted_name(func)
        target = resolve_global(dotted, self.src.globals, self.src.closure) if dotted else None
        if target is None or is_missing(target):
            return False
        if isinstance(target, np.ufunc):
            return True
        if target is list or target is sorted:     # a new list (of the same elements): its own to grow
            return True
        if target is zeros_like:          # the runtime's zero adjoint, in generated gradients differentiated again
            return True
        return DEFAULT_RULES.memory_of(target) == "new"


_REVERSE_OVER_WRITES = ("reverse mode over a gradient that writes into arrays in place is not supported; "
                        "forward mode over it is: s2sgrad.hessian(f), jacfwd(grad(f)), jvp(grad(f), ...)")

_MASK_FUNCTIONS = {"logical_and", "logical_or", "logical_xor", "logical_not", "isnan", "isfinite", "isinf"}


def _is_mask(index) -> bool:
    """Whether the index as written is a boolean mask computed in place: a comparison (`y > c`), `~`, `&`,
    `|`, `^` of masks, or np.logical_* / np.isnan / np.isfinite / np.isinf of values."""
    if isinstance(index, gast.Compare):
        return True
    if isinstance(index, gast.UnaryOp) and isinstance(index.op, (gast.Invert, gast.Not)):
        return _is_mask(index.operand)
    if isinstance(index, gast.BinOp) and isinstance(index.op, (gast.BitAnd, gast.BitOr, gast.BitXor)):
        return _is_mask(index.left) and _is_mask(index.right)
    if isinstance(index, gast.Call) and isinstance(index.func, gast.Attribute):
        return index.func.attr in _MASK_FUNCTIONS
    return False


# NumPy functions that can return a view but have no table entry (a derivative reaching them is refused,
# but a write into what they view must still be followed)
_VIEWS_WITHOUT_ENTRIES = {"view", "asfortranarray", "require", "permute_dims", "matrix_transpose", "unstack",
                          "trim_zeros"}


def _view_names() -> tuple[set[str], set[str]]:
    """(methods, functions) whose result may share memory with the receiver or the first argument, by name,
    whatever module a function is read from (a write must not miss one)."""
    version = DEFAULT_RULES.version
    if _VIEW_NAMES[0] != version:
        methods, functions = {"view"}, set(_VIEWS_WITHOUT_ENTRIES)
        for key, _ in DEFAULT_RULES.items():
            if DEFAULT_RULES.memory_of(key) != "view":
                continue
            if isinstance(key, tuple):
                if key[0] == "method":
                    methods.add(key[1])
            elif getattr(key, "__name__", None):
                functions.add(key.__name__)
        _VIEW_NAMES[:] = [version, (methods, functions)]
    return _VIEW_NAMES[1]


_VIEW_NAMES: list = [None, (set(), set())]


# builtins whose result may be (or hold) one of their arguments itself
_REFERENCING_BUILTINS = {max, min, list, tuple, dict, set, frozenset, sorted, reversed, zip, map, filter, iter,
                         next, enumerate}
# array methods whose result never holds an argument
_NEW_VALUE_METHODS = {"astype", "sum", "mean", "dot", "item"}


def _is_referencing_builtin(target) -> bool:
    try:
        return target in _REFERENCING_BUILTINS
    except TypeError:                   # an unhashable callable
        return False


def _names_of(nodes) -> set[str]:
    return {n.id for n in nodes if isinstance(n, gast.Name)} | {
        n.value.id for n in nodes if isinstance(n, gast.Starred) and isinstance(n.value, gast.Name)}


def _builds_holder(op, holders: set[str]) -> bool:
    """Is `op`'s result a list, tuple, set or dict built here (which may hold arrays by reference)?"""
    if isinstance(op, (gast.List, gast.Tuple, gast.Set, gast.Dict)):
        return True
    if isinstance(op, gast.BinOp) and isinstance(op.op, (gast.Add, gast.Mult)):
        return bool(_names_of([op.left, op.right]) & holders)
    return False


def _viewed(op) -> set[str]:
    """The names whose memory `op`'s result may share (x[...], x.T, x.reshape(...), np.ravel(x), y = x).

    `a.f(b)` is read both ways when f is a view-making method and function alike (x.reshape(n) views x,
    np.reshape(x, n) views x): every candidate counts."""
    if isinstance(op, gast.Name):
        return {op.id}
    if isinstance(op, gast.Subscript) and isinstance(op.value, gast.Name):
        return {op.value.id}
    if isinstance(op, gast.Attribute) and isinstance(op.value, gast.Name) and op.attr in ("T", "real", "imag", "flat"):
        return {op.value.id}
    found = set()
    if isinstance(op, gast.Call) and isinstance(op.func, gast.Attribute):
        func = op.func
        methods, functions = _view_names()
        if isinstance(func.value, gast.Name) and func.attr in methods:
            found.add(func.value.id)
        if func.attr in functions and op.args and isinstance(op.args[0], gast.Name):
            found.add(op.args[0].id)
    return found


def _is_atom(node) -> bool:
    return isinstance(node, (gast.Name, gast.Constant))
