"""The adjoint of a call to another Python function.

A helper runs once per gradient call. The forward sweep calls

    y, helper_record = call_forward(helper, x, w, active=(0, 1))

which runs the helper's *recording* forward (its own generated gradient, run
up to the point where it needs its result's adjoint): the value, and a
`CallRecord` holding everything the helper's reverse sweep reads (its frame:
its forward values and its own tape, records of the helpers it called among
them). The reverse sweep hands the record its result's adjoint:

    dx_helper, dw_helper = call_backward(helper_record, dy)

So a helper that draws random numbers, counts its calls or does I/O runs once,
and its gradient is taken at the very values the forward sweep computed. Inside
a loop the record goes on the caller's tape like any other value.

`call_forward` differentiates whatever callable is there when the code runs (a
module-level function, a nested def, a lambda, a function passed as an
argument, a `functools.partial`, a bound method, a callable object), for the
active arguments `active` names: positions of positional arguments, names of
keyword arguments, "self" for a bound method's object, and `captured` names
for closure variables the callee reads. `call_backward` returns their
adjoints in that order.

The runtime sits below the transformer: it never imports it. The callee's
gradient comes from a factory the API registers when it is imported
(`set_gradient_factory`; s2sgrad/api/callee_gradients.py), which transforms
the callee, memoizes the transformation and checks it still applies. Its
closure variables are lifted into parameters, so one transformation serves
every closure created from the same code, and gradients can flow into
captured values.

`call_vjp(callee, cotangent, *args, active=...)` is the older entry point that
recomputes the callee's forward from its arguments (a checkpoint); the adjoint
of an ODE solve (runtime/odes.py), which calls the right-hand side at states it
makes itself, uses it. The graph drawing runs call_forward in its trace and
call_backward for the adjoint, as the generated code does.
"""
from __future__ import annotations

import functools
import sys
import types

import numpy as np

from ..errors import S2SGradError
from .receivers import carries_state, self_tangent as receiver_tangent

_FACTORY = None
_TANGENT_FACTORY = None
_FORM_FACTORY = None


def set_gradient_factory(factory) -> None:
    """Register `factory(function, active, captured) -> gradient` for call_forward and call_vjp.

    `function` is a plain Python function or another callable without source
    (partials, bound methods and callable objects are unwrapped first);
    `active` and `captured` are as for call_vjp. The gradient has `.wrt` (the
    names it differentiates, one per active entry then per captured name),
    `.lifted` (the closure variables it takes as keyword arguments),
    `.record(*args, **kwargs)`, returning (value, CallRecord), and
    `.vjp(cotangent, *args, **kwargs)`, returning one adjoint per `wrt` name.
    """
    global _FACTORY
    _FACTORY = factory


def call_forward(callee, *args, active=(), captured=(), debug_nans=False, **kwargs):
    """(callee(*args, **kwargs), its CallRecord): the callee runs once, recording what its reverse reads."""
    try:
        stateless = _stateless_self(callee, active)
        if stateless is not None:       # `net.act(x)` with net.act = np.tanh: no self, a zero adjoint
            active = active[:stateless] + active[stateless + 1:]
            if not active and not captured:
                return callee(*args, **kwargs), _ZeroRecord(callee, 1, (callee, args, kwargs, ()))
        if type(callee) is types.FunctionType and not callee.__dict__ and not callee.__closure__:
            function = callee              # the common case, kept cheap: a plain module-level function
        else:
            function, args, kwargs, active = _unwrap(callee, args, kwargs, active)
        integers = _integer_positions(active, args, kwargs)
        if integers:
            active = tuple(a for i, a in enumerate(active) if i not in integers)
        gradient = _gradient(function, active, captured, "call_forward", debug_nans, args, kwargs)
        called = (function, args, kwargs, active)       # what reverse mode over this call reruns (tangents.py)
        if gradient.bound is not None:          # *args/**kwargs spelled out: keywords by their parameters' names
            kwargs = gradient.bound.renamed(kwargs)
        if gradient.lifted:
            kwargs = {**kwargs, **{k: v for k, v in closure_values(function).items() if k in gradient.lifted}}
        value, record = gradient.record(*args, **kwargs)
        record = record.of_call(called, captured)
        for position in integers:
            record = record.with_zero_at(position)
        return value, record if stateless is None else record.with_zero_at(stateless)
    except Exception as error:
        # an error inside the callee names the callee's line; add the line that called it
        _add_call_site(error, sys._getframe(1))
        raise


def call_backward(record, cotangent) -> tuple:
    """The adjoints of the recorded call's active inputs (in `active` then `captured` order),
    given the adjoint of its result."""
    return record.vjp(cotangent)


class CallRecord:
    """One recorded call: the callee's generated gradient paused between its forward and reverse sweeps.

    `paused` is the generator (transform.py's recording program) that has yielded the callee's value
    and waits for its adjoint; `finish(grads)` shapes the gradients it returns (containers like their
    arguments). A record is used once: the reverse sweep resumes the callee's frame where it stopped.
    """

    __slots__ = ("_paused", "_finish", "_callee", "call", "captured")

    def __init__(self, paused, finish, callee, call=None, captured=()):
        self._paused, self._finish, self._callee = paused, finish, callee
        self.call = call        # (function, args, kwargs, active): what reverse mode over the call reruns
        self.captured = captured    # the closure variables whose adjoints follow the active arguments'

    def of_call(self, call, captured=()) -> "CallRecord":
        """This record, knowing the call that made it (call_forward: runtime/tangents.py's call_forward_vjp
        reruns it) and the closure variables it differentiates."""
        return CallRecord(self._paused, self._finish, self._callee, call, tuple(captured))

    def with_zero_at(self, position: int) -> "CallRecord":
        """This record, giving a zero adjoint at `position` among those it returns (the `self` of a callee
        that has none: runtime/receivers.py)."""
        finish = self._finish

        def finish_with_zero(grads):
            adjoints = list(finish(grads))
            adjoints.insert(position, 0.0)
            return tuple(adjoints)
        return CallRecord(self._paused, finish_with_zero, self._callee, self.call, self.captured)

    def vjp(self, cotangent) -> tuple:
        paused, self._paused = self._paused, None
        if paused is None:
            raise S2SGradError(
                f"the record of a call to {self._callee} was used by a second reverse sweep; a record serves "
                "the one reverse sweep of the gradient call that made it")
        try:
            paused.send(cotangent)
        except StopIteration as finished:
            _, grads = finished.value
            return self._finish(grads)
        raise S2SGradError(f"the recorded gradient of {self._callee} did not finish")   # pragma: no cover

    def __repr__(self) -> str:
        state = "used" if self._paused is None else "waiting for its result's adjoint"
        return f"<CallRecord of {self._callee}, {state}>"


def call_vjp(callee, cotangent, *args, active=(), captured=(), **kwargs):
    """Adjoints of `callee(*args, **kwargs)`'s active inputs, given the adjoint of its result
    (recomputes the callee's forward; generated gradients use call_forward and call_backward)."""
    stateless = _stateless_self(callee, active)
    if stateless is not None:           # a callee with no self: its `self` adjoint is zero
        rest = active[:stateless] + active[stateless + 1:]
        grads = list(call_vjp(callee, cotangent, *args, active=rest, captured=captured, **kwargs)
                     if rest or captured else ())
        grads.insert(stateless, 0.0)
        return tuple(grads)
    function, args, kwargs, active = _unwrap(callee, args, kwargs, active)
    gradient = _gradient(function, active, captured, "call_vjp", False, args, kwargs)
    if gradient.bound is not None:
        kwargs = gradient.bound.renamed(kwargs)
    closure = {k: v for k, v in closure_values(function).items() if k in gradient.lifted}
    grads = gradient.vjp(cotangent, *args, **kwargs, **closure)
    return grads if len(gradient.wrt) != 1 else (grads[0],)


def _integer_positions(active, args, kwargs) -> tuple:
    """The places in `active` of integer arrays (LU's pivots, argsort's order, an index array): generated code
    passes one as active when it came out of a container that carries derivatives (`lu, piv = lu_and_piv`),
    but an integer has no derivative to pass on. The callee differentiates without them and their adjoints are
    zeros (called by the user, `grad` refuses an integer array instead: runtime/calls.py is not that call)."""
    found = []
    for i, a in enumerate(active):
        value = args[a] if isinstance(a, int) and a < len(args) else kwargs.get(a) if isinstance(a, str) else None
        if isinstance(value, np.ndarray) and value.dtype.kind in ("b", "i", "u"):
            found.append(i)
    return tuple(found)


def _stateless_self(callee, active) -> int | None:
    """The position of "self" in `active` where the callee has no self to differentiate, else None."""
    if "self" not in active or carries_state(callee):
        return None
    return active.index("self")


class _ZeroRecord:
    """The record of a call none of whose inputs carries a derivative after all (`net.act(x)`, net.act a
    function, x a constant): its adjoints are zeros."""

    __slots__ = ("_callee", "_count", "call")

    def __init__(self, callee, count, call):
        self._callee, self._count, self.call = callee, count, call

    def vjp(self, cotangent) -> tuple:
        return (0.0,) * self._count

    def __repr__(self) -> str:
        return f"<CallRecord of {self._callee}, with no derivatives>"


_SITE_LOCATOR = None


def set_call_site_locator(locator) -> None:
    """Register `locator(code, lineno) -> SourceLocation | None`: the user's line that a line of generated
    code (a `call_forward`) was made from (api/callee_gradients.py)."""
    global _SITE_LOCATOR
    _SITE_LOCATOR = locator


def locate_generated_line(code, lineno):
    """The user's line that line `lineno` of generated code `code` was made from, or None."""
    try:
        return _SITE_LOCATOR(code, lineno) if _SITE_LOCATOR is not None else None
    except Exception:               # locating is a courtesy: never hide the error itself
        return None


def _add_call_site(error, frame) -> None:
    """Append "called from" and the user's calling line to an error raised inside a called function, one
    line per level of calls (the innermost first)."""
    try:
        site = _SITE_LOCATOR(frame.f_code, frame.f_lineno) if _SITE_LOCATOR is not None else None
    except Exception:               # locating is a courtesy: never hide the error itself
        site = None
    if site is None:
        return
    note = f"  Called from {site.function or 'here'}:\n{site.describe()}"
    if isinstance(error, S2SGradError) and len(error.args) == 1 and isinstance(error.args[0], str):
        error.args = (f"{error.args[0]}\n{note}",)
    elif hasattr(error, "add_note"):                # Python 3.11+
        error.add_note(note)


_VARIADIC = 0x04 | 0x08          # CO_VARARGS | CO_VARKEYWORDS


def _gradient(function, active, captured, entry: str, debug_nans=False, args=(), kwargs=None):
    if _FACTORY is None:
        raise S2SGradError(
            f"{entry} has no gradient factory: generated gradient code was run without importing s2sgrad's "
            "API (import s2sgrad before running it), so the call to "
            f"{getattr(function, '__qualname__', repr(function))} cannot be differentiated")
    options = {}
    if debug_nans:          # the caller checks its values for NaNs: the callee checks its own too
        options["debug_nans"] = True
    if active and type(function) is types.FunctionType and function.__code__.co_flags & _VARIADIC:
        # derivatives may go into *args/**kwargs: the factory binds them to this call's shape
        options["call"] = (len(args), tuple(kwargs or ()))
    return _FACTORY(function, active, tuple(captured), **options)


def set_form_factory(factory) -> None:
    """Register `factory(derivative, args, kwargs) -> Python function`: a derivative s2sgrad made
    (a gradient function, a Jacobian) called inside differentiated code is differentiated through the
    plain Python function that computes it for these arguments (s2sgrad/api/composition.py)."""
    global _FORM_FACTORY
    _FORM_FACTORY = factory


def set_tangent_factory(factory) -> None:
    """Register `factory(function, args, tangents, kwargs) -> (value, tangent)` for call_jvp.

    `tangents` holds one entry per positional argument, None where it carries no derivative.
    """
    global _TANGENT_FACTORY
    _TANGENT_FACTORY = factory


def call_jvp(callee, args, tangents, keyword_tangents=None, captured_tangents=None, self_tangent=None,
             callee_keywords=None, **kwargs):
    """(callee(*args, **kwargs), its tangent) given the positional arguments' tangents (None: no derivative),
    those of the keyword arguments that carry derivatives (`keyword_tangents`, by keyword), those of the
    caller's variables a nested def or lambda reads (`captured_tangents`, by name) and the tangent of the
    called value itself (`self_tangent`: `net_dot.l1` for `net.l1(x)`; a bound method's object or a callable
    object moves along it, runtime/receivers.py).

    Forward mode's counterpart of call_vjp: the callee runs once, its tangents beside its own operations.
    `callee_keywords` holds the callee's keyword arguments where their names are call_jvp's own (forward
    mode over a call of call_jvp itself).
    """
    if callee_keywords:
        kwargs = {**callee_keywords, **kwargs}
    function, full_args, kwargs, _ = _unwrap(callee, args, kwargs, ())
    bound = [None] * (len(full_args) - len(args))       # a partial's arguments or a method's self
    if self_tangent is not None and carries_state(callee):
        state = callee.__self__ if isinstance(callee, types.MethodType) else callee
        if not bound or full_args[0] is not state:
            raise S2SGradError(                                                         # pragma: no cover
                f"forward mode cannot tell which argument of {callee!r} is its self")
        bound[0] = receiver_tangent(callee, self_tangent)
    bound = tuple(bound)
    if _TANGENT_FACTORY is None:
        raise S2SGradError(
            "call_jvp has no tangent factory: generated forward-mode code was run without importing s2sgrad's "
            f"API, so the call to {getattr(function, '__qualname__', repr(function))} cannot be differentiated")
    moving = {}
    if keyword_tangents:
        moving["keyword_tangents"] = keyword_tangents
    if captured_tangents:
        moving["captured_tangents"] = captured_tangents
    return _TANGENT_FACTORY(function, full_args, bound + tuple(tangents), kwargs, **moving)


def unwrap_callee(callee, args, kwargs, active):
    """(plain Python function, args, kwargs, active) for any callable call_forward takes (runtime/tangents.py)."""
    return _unwrap(callee, args, kwargs, active)


# call_jvp in code being differentiated (forward mode's code differentiated again) goes by its Python form
call_jvp._s2sgrad_form = True


def _unwrap(callee, args, kwargs, active):
    """(plain Python function, args, kwargs, active) for partials and bound methods."""
    if isinstance(callee, functools.partial):
        shift = len(callee.args)
        active = tuple(a + shift if isinstance(a, int) else a for a in active)
        return _unwrap(callee.func, callee.args + tuple(args), {**callee.keywords, **kwargs}, active)
    if isinstance(callee, types.MethodType):
        active = tuple(0 if a == "self" else a + 1 if isinstance(a, int) else a for a in active)
        return _unwrap(callee.__func__, (callee.__self__, *args), kwargs, active)
    if _FORM_FACTORY is not None and (getattr(callee, "_s2sgrad_gradient", False) or
                                      getattr(callee, "_s2sgrad_form", False)):
        return _unwrap(_FORM_FACTORY(callee, args, kwargs), args, kwargs, active)     # grad(h) called in f
    if not isinstance(callee, types.FunctionType) and callable(getattr(callee, "__call__", None)) \
            and isinstance(getattr(callee, "__call__"), types.MethodType):
        return _unwrap(callee.__call__, args, kwargs, active)      # an object with __call__
    return callee, tuple(args), dict(kwargs), tuple(active)


def closure_values(function) -> dict:
    """The values in `function`'s closure cells, by name (a cell not yet bound is left out: reading it fails)."""
    if not isinstance(function, types.FunctionType) or not function.__closure__:
        return {}
    values = {}
    for name, cell in zip(function.__code__.co_freevars, function.__closure__):
        try:
            values[name] = cell.cell_contents
        except ValueError:
            pass
    return values
