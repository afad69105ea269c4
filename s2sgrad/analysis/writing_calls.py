"""Calls that write into an array through one of their arguments: no derivative follows such a write.

A NumPy function writes its result into `out=` (or into an argument past its inputs: `np.sin(x, y)`,
`np.cumsum(x, 0, None, y)`); `np.add.at(y, i, v)` and the other ufuncs' `.at` change their first
argument, as do `np.put_along_axis` and a random generator's `shuffle`. A rule's adjoint is about the
value the call returns, so the array written into would hold the new values with no derivative, and
every later read of it would be silently wrong (a zero gradient where the call is a statement). Such
calls are refused where they are made, saying what to write instead.
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import UnsupportedConstructError
from ..ssa.user_terms import UNNORMALIZED

# the file name of the one-line wrappers api/any_callable.py writes around a callable without source
# (grad(np.prod)): they pass each parameter on, `out` too, and return the call's value at once, so nothing
# reads the array written into after the call
WRAPPER_FILENAME = "<s2sgrad wrapper"

_WRITE_HINT = ("use the value the call returns (z = np.sin(x)) instead of passing an array to write it "
               "into; a new name for it is fine")

# functions that write into their first argument, with what to write instead: found by what the name
# denotes, so `from numpy import place; place(out, mask, v)` (SciPy's distributions) is one too
_BUILD_INSTEAD = "build the array with the values in place instead (np.where over a mask, np.concatenate)"
_WRITES_FIRST_ARGUMENT = {
    np.put_along_axis: "build the array with the values in place instead, e.g. np.where over a mask, or "
                       "np.take_along_axis for the reverse gather",
    np.copyto: "assign the new value to a name (y = np.broadcast_to(x, y.shape), or np.where(mask, x, y))",
    np.place: _BUILD_INSTEAD, np.putmask: _BUILD_INSTEAD, np.put: _BUILD_INSTEAD,
    np.random.shuffle: "draw positions and index with them: idx = rng.permutation(len(x)); x = x[idx]",
}


def refuse_output_argument(rule, args, keywords, location, shown: str, terms=UNNORMALIZED) -> None:
    """Refuse a call whose arguments give the rule's `out` parameter an array (by name or by position).
    `terms`: the user's names for the single-assignment form's (ssa/user_terms.py), for the message."""
    if "out" not in rule.signature.parameters or any(isinstance(a, gast.Starred) for a in args) \
            or None in keywords or (location is not None and location.filename.startswith(WRAPPER_FILENAME)):
        return
    try:
        bound = rule.signature.bind(*args, **keywords)
    except TypeError:               # the arguments do not match: bind_arguments says so where it binds
        return
    out = bound.arguments.get("out")
    if out is None or (isinstance(out, gast.Constant) and out.value is None):
        return
    written = terms.expression(out)
    raise UnsupportedConstructError(
        f"the call to `{shown}` that writes its result into `{written}` (its `out` argument): the write "
        "carries no derivative", location, _WRITE_HINT)


def refuse_writing_statement(call: gast.Call, target, rule, args, location, shown: str,
                             terms=UNNORMALIZED) -> None:
    """Refuse a call statement that writes into an argument. `target`: what its callee resolved to (None
    when it is not a global); `rule`: the table's Rule for it, or None, whose parameters bind `args` (the
    receiver first for a method) and the call's keywords."""
    if rule is not None:
        keywords = {k.arg: k.value for k in call.keywords}
        if not any(isinstance(a, gast.Starred) for a in args) and None not in keywords:
            try:
                rule.signature.bind(*args, **keywords)
            except TypeError as error:
                raise UnsupportedConstructError(
                    f"the call to `{shown}` used as a statement: its arguments do not match "
                    f"the parameters of `{shown}` ({rule.params_text or rule.signature}) ({error}); a NumPy "
                    "function's arguments past its inputs name the array it writes its result into",
                    location, _WRITE_HINT) from None
        refuse_output_argument(rule, args, keywords, location, shown, terms)
    # what it writes into, as the user wrote it; the hints' code names it when it is a variable
    written = terms.expression(call.args[0]) if call.args else "its first argument"
    first = terms.name(call.args[0].id) if call.args and isinstance(call.args[0], gast.Name) \
        and not terms.is_temporary(call.args[0].id) else "a"
    if _is_ufunc_at(target):
        raise UnsupportedConstructError(
            f"`{shown}(...)`, which writes into `{written}` in place: the change carries no derivative", location,
            f"compute the sum as a new array: for a 1-D `{first}`, {first} = {first} + np.bincount(index, "
            f"weights=values, minlength=len({first})); or a one-hot matrix times the values")
    hint = _writes_first_argument(target)
    if hint is None and isinstance(call.func, gast.Attribute) and call.func.attr == "shuffle" \
            and (target is None or _is_generator_method(target)):
        hint = f"draw positions and index with them: idx = rng.permutation(len({first})); {first} = {first}[idx]"
    if hint is not None:
        raise UnsupportedConstructError(
            f"`{shown}(...)`, which changes `{written}` in place: the change carries no derivative", location, hint)


def _is_ufunc_at(target) -> bool:
    return isinstance(getattr(target, "__self__", None), np.ufunc) and getattr(target, "__name__", "") == "at"


def _is_generator_method(target) -> bool:
    return isinstance(getattr(target, "__self__", None), (np.random.Generator, np.random.RandomState))


def _writes_first_argument(target):
    try:
        return _WRITES_FIRST_ARGUMENT.get(target)
    except TypeError:               # an unhashable callee
        return None
