"""Tangents of the primitives whose forward rule takes more than one expression.

The forward slot of a rule (rules/registry.py) gives the tangent of a result
from the tangents of the inputs. For reductions whose adjoint helper already
knows the partial derivative of each output element with respect to each
input element, the tangent is that partial times the input's tangent, summed
over the reduced axes: forward and reverse then agree by construction. The
matrix functions use their textbook differentials.
"""
from __future__ import annotations

import numpy as np

from ..errors import NonScalarOutputError, S2SGradError
from .arrays import adjoint_dtype, matrix_transpose, zeros_like
from .calls import CallRecord, call_backward, call_forward, call_jvp, call_vjp, closure_values, unwrap_callee
from .linalg import _phi
from .receivers import carries_state, self_tangent as receiver_tangent
from .namespace import array_of, in_library_of, is_foreign_array, numpy_values_like
from .reductions import _axes, extremum_adjoint, norm_adjoint, product_of_others, var_adjoint


def broadcast_like(t, y):
    """A tangent contribution stretched to the result's shape, as broadcasting stretched its input."""
    shape = np.shape(y)
    if np.shape(t) == shape:
        return t
    return np.broadcast_to(numpy_values_like(y, t) if is_foreign_array(y) else t, shape)     # y's library


def unit_tangent(x, k):
    """The k-th unit direction shaped like x: one column (or row) of the identity, for Jacobians.

    It depends on x's shape and dtype only, so it carries no derivative (rules/runtime_rules.py).
    """
    dtype = adjoint_dtype(x)
    t = np.zeros(np.shape(x), dtype=dtype)
    t.flat[k] = 1
    return in_library_of(t, x) if t.ndim else t[()]


def element(value, index):
    """value[index], as an operation with rules of its own: the derivatives s2sgrad composes
    (api/composition.py) read a generated function's result so, and their transposes stay pure
    (`with_element`), where a subscript's adjoint would write into a container in place."""
    return value[index]


def require_scalar(value, what):
    """Stop unless `value` is one real number: a derivative of `grad(f)` where f is vector-valued would
    otherwise differentiate the sum of f's outputs (the seed 1.0 broadcast over them)."""
    if np.ndim(value) == 0 and not np.iscomplexobj(value):
        return value
    raise NonScalarOutputError(
        f"grad needs {what} to return a real scalar, but it returned {type(value).__name__} values of shape "
        f"{np.shape(value)}; use s2sgrad.jacrev or s2sgrad.jacfwd for the derivatives of a vector-valued function")


def with_element(g, like, index):
    """A zero adjoint shaped like the tuple or list `like`, with `g` at `index`: the transpose of element."""
    out = zeros_like(like)
    out[index] = g
    return out


# ---- forward mode over a gradient's calls to your functions (a Hessian of a function that calls helpers) --
_BACKWARD_TANGENT = None


def set_backward_tangent_factory(factory) -> None:
    """Register `factory(record_tangent, cotangent, cotangent_tangent) -> the adjoints' tangents`
    (s2sgrad/api/composition.py: forward mode over the callee's own generated gradient)."""
    global _BACKWARD_TANGENT
    _BACKWARD_TANGENT = factory


class RecordTangent:
    """The tangent of a call's record: the call itself (the function, its arguments, their tangents).

    A gradient's code runs `call_forward(helper, x)` and later `call_backward(record, dy)`; forward mode
    over that code needs the derivative of the helper's adjoints along x_dot and dy_dot, which is forward
    mode over the helper's generated gradient at x: this holds what that needs.
    """

    __slots__ = ("function", "args", "tangents", "active", "kwargs", "captured", "closure", "captured_tangents",
                 "zero_at")

    def __init__(self, function, args, tangents, active, kwargs, captured=(), closure=None, captured_tangents=None,
                 zero_at=None):
        self.function, self.args, self.tangents, self.active, self.kwargs = function, args, tangents, active, kwargs
        # a nested def's closure variables that carry derivatives: their names, values and tangents
        self.captured, self.closure, self.captured_tangents = tuple(captured), closure or {}, captured_tangents or {}
        # where the record's adjoints hold the zero of a "self" the callee does not have (a function or
        # staticmethod held in a field of an object that moves: call_forward gives it no derivative)
        self.zero_at = zero_at

    def __repr__(self) -> str:
        return f"<RecordTangent of a call to {getattr(self.function, '__qualname__', self.function)}>"


def call_forward_jvp(callee, args, tangents, recorded_active=(), recorded_captured=(), self_tangent=None,
                     callee_keywords=None, captured_tangents=None, **kwargs):
    """((value, record), (value's tangent, record's tangent)) for `call_forward(callee, *args, active=...)`.

    `recorded_active` and `recorded_captured` are call_forward's `active` and `captured`, renamed so that
    a derivative of this call (which runs it through call_forward itself) keeps the two apart;
    `callee_keywords` holds the callee's keyword arguments where one has such a name
    (analysis/recorded_calls.py). `captured_tangents` holds the tangents of the closure variables a nested
    def reads (by name; one that does not move here is left out), as call_jvp takes them."""
    active, captured = recorded_active, recorded_captured
    kwargs = {**(callee_keywords or {}), **kwargs}
    moving = {k: v for k, v in (captured_tangents or {}).items() if v is not None}
    value, record = call_forward(callee, *args, active=active, captured=captured, **kwargs)
    _, value_dot = call_jvp(callee, args, tangents, captured_tangents=moving or None, self_tangent=self_tangent,
                            **kwargs)
    zero_at = None
    if "self" in active and not carries_state(callee):     # net.squash(x), a staticmethod: no self to move
        zero_at = active.index("self")
        active = active[:zero_at] + active[zero_at + 1:]
    function, full_args, full_kwargs, full_active = unwrap_callee(callee, args, kwargs, active)
    bound = (None,) * (len(full_args) - len(args))
    if self_tangent is not None and bound and carries_state(callee):    # a method's object, a layer, moving
        bound = (receiver_tangent(callee, self_tangent),) + bound[1:]
    # what the nested def reads that moves here, recorded or not (a value constant at the first order)
    reading = tuple(captured) + tuple(c for c in moving if c not in captured)
    closure = {k: v for k, v in closure_values(function).items() if k in reading} if reading else None
    return (value, record), (value_dot, RecordTangent(function, full_args, bound + tuple(tangents), full_active,
                                                      full_kwargs, reading, closure, moving, zero_at))


def call_backward_jvp(record, record_tangent, cotangent, cotangent_tangent):
    """(call_backward(record, cotangent), its tangent along the call's arguments' and the cotangent's tangents)."""
    grads = call_backward(record, cotangent)
    if record_tangent is None:
        raise S2SGradError("the record of a call to your function carries no tangent here, but its cotangent does; "
                           "differentiate with respect to the helper's arguments as well")
    call = record_tangent
    if call.active or call.captured:
        grads_dot = tuple(_BACKWARD_TANGENT(call, cotangent, cotangent_tangent))
    else:
        grads_dot = ()
    if call.zero_at is not None:
        grads_dot = grads_dot[:call.zero_at] + (0.0,) + grads_dot[call.zero_at:]
    # a closure variable constant at the first order but moving here has a tangent entry, not a gradient
    return grads, grads_dot[:len(grads)] if isinstance(grads, tuple) else grads_dot


# ---- reverse mode over a gradient's calls to your functions (jacrev(grad(f)) of an f that calls helpers) --
class RecordAdjoint(tuple):
    """The adjoint of a call's record, in two parts:

    - `uses`: the cotangent the gradient's reverse sweep handed the call and the adjoints of the gradients it
      returned (as tangents of the call's arguments), one pair per use. Built by call_backward_vjp and read
      by call_forward_vjp, which turns each into the helper's second-order contribution.
    - its entries (`direct`): the adjoints of the record's arguments, one per position (None: none), where a
      derivative's Python form read the arguments out of the record (call_arguments) and so gave them
      adjoints of their own (api/recorded_call_forms.py).

    Added up like any adjoint (a zero adjoint is a number, a 0-d array, or zeros_like of a record: a list).
    """

    __array_ufunc__ = None          # `np.zeros(()) + adjoint`: NumPy hands the addition to __radd__

    def __new__(cls, direct=(), uses=()):
        made = super().__new__(cls, direct)
        made.uses = list(uses)
        return made

    @property
    def direct(self):
        return tuple(self) if len(self) else None

    def __add__(self, other):
        if isinstance(other, (tuple, list)) and not isinstance(other, RecordAdjoint):
            other = RecordAdjoint(other)                # zeros_like of a record of arguments
        if isinstance(other, RecordAdjoint):
            if self.direct is None or other.direct is None:
                direct = self.direct if other.direct is None else other.direct
            else:
                direct = tuple(_add_adjoint(a, b) for a, b in zip(self.direct, other.direct))
            return RecordAdjoint(direct or (), self.uses + other.uses)
        if _is_zero(other):
            return self
        return NotImplemented

    __radd__ = __add__

    def __repr__(self) -> str:
        direct = "" if self.direct is None else ", with its arguments' adjoints"
        return f"<RecordAdjoint of {len(self.uses)} use(s) of a call's record{direct}>"


def call_backward_vjp(record, cotangent, grads_adjoint):
    """The adjoints of `call_backward(record, cotangent)`'s inputs, given its result's (one per gradient
    it returned): (the cotangent's, the record's).

    call_backward gives J(x)^T c, for the helper's Jacobian J at its arguments x and the cotangent c; its
    adjoint along v is J(x) v for c (forward mode over the helper: it runs again, a checkpoint) and, for
    the record, the pair (c, v) that call_forward_vjp turns into the arguments' part."""
    if getattr(record, "call", None) is None:
        raise S2SGradError("reverse mode over a recorded call needs the record call_forward made; this one has "
                           f"none ({record!r})")
    function, args, kwargs, active = record.call
    captured = getattr(record, "captured", ())
    _positions_only(function, active)
    tangents = [None] * len(args)
    count = len(active) + len(captured)
    adjoints = grads_adjoint if isinstance(grads_adjoint, (list, tuple)) else [grads_adjoint] * count
    for position, adjoint in zip(active, adjoints):
        tangents[position] = _tangent_like(adjoint, args[position])
    moving = {}             # a nested def's closure variables: their gradients' adjoints are tangents too
    if captured:
        closure = closure_values(function)
        moving = {name: _tangent_like(adjoint, closure[name])
                  for name, adjoint in zip(captured, adjoints[len(active):]) if not _is_zero(adjoint)}
    _, cotangent_adjoint = call_jvp(function, args, tangents, captured_tangents=moving or None, **kwargs)
    return cotangent_adjoint, RecordAdjoint(uses=[(cotangent, tangents, moving)])


def call_forward_vjp(adjoint, callee, *args, recorded_active=(), wrt=(), recorded_captured=(), wrt_captured=(),
                     callee_keywords=None, **kwargs):
    """The adjoints of the arguments at positions `wrt` of `call_forward(callee, *args, active=...)`, then of
    the closure variables `wrt_captured` a nested def reads, given the adjoint of its result, (the value's,
    the record's).

    The value's part is the helper's own gradient (call_vjp: the helper runs again); the record's, for each
    use (c, v), the derivative of the helper's gradient J(x)^T c along v: forward mode over the helper's
    generated gradient (the second-order term, as hessian(f) takes it), plus the adjoints a derivative's
    Python form gave the record's arguments directly (RecordAdjoint.direct). A closure variable the record
    differentiates (`recorded_captured`) is one more input of the helper's gradient there."""
    kwargs = {**(callee_keywords or {}), **{k: v for k, v in kwargs.items() if k != "debug_nans"}}
    captured, wrt_captured = tuple(recorded_captured), tuple(wrt_captured)
    value_adjoint, record_adjoint = adjoint if isinstance(adjoint, (list, tuple)) else (adjoint, None)
    function, full_args, full_kwargs, full_wrt = unwrap_callee(callee, args, kwargs, wrt)
    _positions_only(function, full_wrt)
    total = [0.0] * (len(full_wrt) + len(wrt_captured))
    if not _is_zero(value_adjoint):
        total = list(call_vjp(callee, value_adjoint, *args, active=wrt, captured=wrt_captured, **kwargs))
    if isinstance(record_adjoint, (tuple, list)) and not isinstance(record_adjoint, RecordAdjoint):
        record_adjoint = RecordAdjoint(record_adjoint)          # zeros_like of the arguments, added to
    if isinstance(record_adjoint, RecordAdjoint) and record_adjoint.direct is not None:
        total[:len(full_wrt)] = [_add_adjoint(t, _entry(record_adjoint.direct, p))
                                 for t, p in zip(total, full_wrt)]
    if isinstance(record_adjoint, RecordAdjoint):
        if _BACKWARD_TANGENT is None:
            raise S2SGradError("call_forward_vjp has no backward-tangent factory: import s2sgrad's API first")
        # what the nested def reads that moves here, recorded or not (a value constant at the first order)
        reading = captured + tuple(c for c in wrt_captured if c not in captured)
        closure = {k: v for k, v in closure_values(function).items() if k in reading} if reading else None
        for use in record_adjoint.uses:
            cotangent, tangents, moving = use[0], use[1], (use[2] if len(use) > 2 else {})
            call = RecordTangent(function, full_args, tangents, full_wrt, full_kwargs, reading, closure, moving)
            second = list(_BACKWARD_TANGENT(call, cotangent, None))
            # the helper's gradient gives one entry per position in full_wrt, then one per closure variable
            second = second[:len(full_wrt)] + [second[len(full_wrt) + reading.index(c)] for c in wrt_captured]
            total = [t + s for t, s in zip(total, second)]
    return tuple(total)


# ---- records as their calls' arguments: what the Python forms of the four helpers above read and make
# (api/recorded_call_forms.py), so a third derivative differentiates them like any other Python ---------------
class RecordArguments(tuple):
    """A recorded call's arguments, standing for its record in a derivative's Python form.

    Differentiating call_forward_jvp and its three siblings again means differentiating what they compute,
    a function of the call's arguments; the forms keep those arguments (and their tangents, which are a
    RecordArguments too) where the runtime keeps a paused frame. `call` is (function, keyword arguments,
    active positions): which call they are the arguments of.
    """

    def __new__(cls, items, call=None):
        made = super().__new__(cls, items)
        made.call = call
        return made

    def __repr__(self) -> str:
        function = self.call[0] if self.call else None
        return f"<RecordArguments of a call to {getattr(function, '__qualname__', function)}>"


def recorded_arguments(arguments, call):
    """The record a Python form makes: the call's arguments, marked with the call (linear in them)."""
    return RecordArguments(arguments, call)


def record_call(record):
    """(function, all positional arguments, keyword arguments, active positions) of any record."""
    if isinstance(record, RecordArguments):
        function, kwargs, active = record.call
        return function, tuple(record), kwargs, active
    if isinstance(record, CallRecord) and record.call is not None:
        return record.call
    raise S2SGradError(f"a derivative of a recorded call needs the record call_forward made; this is {record!r}")


def call_arguments(record):
    """The arguments a record (or a record's tangent) holds, one per position: what a Python form reads.

    A record's tangent (RecordTangent) holds the arguments' tangents, None where one carries none."""
    if isinstance(record, RecordTangent):
        return tuple(record.tangents)
    if isinstance(record, (RecordArguments, CallRecord)):
        return tuple(record_call(record)[1])
    if isinstance(record, (tuple, list)):
        return tuple(record)
    raise S2SGradError(f"call_arguments expects a call's record or its tangent, not {record!r}")


def record_adjoint(direct):
    """The adjoint of a record, given its arguments' adjoints (the transpose of call_arguments)."""
    return RecordAdjoint(direct)


def adjoint_arguments(adjoint, like):
    """The arguments' adjoints a record's adjoint holds, one per entry of `like` (the transpose of
    record_adjoint; a zero stands for zeros)."""
    if isinstance(adjoint, RecordAdjoint):
        if adjoint.uses:
            raise S2SGradError(
                "a derivative's Python form met the adjoint of a call's record that holds uses of the record's "
                "reverse sweep; differentiate this call with forward mode outermost (jacfwd, jvp)")
        direct = adjoint.direct if adjoint.direct is not None else (None,) * len(like)
    elif isinstance(adjoint, (tuple, list)):
        direct = tuple(adjoint)
    elif _is_zero(adjoint):
        direct = (None,) * len(like)
    else:
        raise S2SGradError(f"adjoint_arguments expects the adjoint of a call's record, not {adjoint!r}")
    return tuple(zeros_like(v) if a is None or _is_zero(a) and not _is_zero(v) else a
                 for a, v in zip(direct, like))


def _entry(values, position):
    return values[position] if position < len(values) else None


def _add_adjoint(a, b):
    """a + b for adjoints where None or a zero number stands for zero."""
    if b is None or (isinstance(b, (int, float)) and b == 0):
        return a
    if a is None or (isinstance(a, (int, float)) and a == 0):
        return b
    return a + b


# differentiated again (a third derivative of a function that calls helpers), each of the four goes by its
# Python form (api/recorded_call_forms.py), as call_jvp does: runtime/calls.py's _unwrap asks for it
for _helper in (call_forward_jvp, call_backward_jvp, call_forward_vjp, call_backward_vjp):
    _helper._s2sgrad_form = True
del _helper


def _is_zero(adjoint) -> bool:
    """A zero adjoint standing for the whole value: the number 0 or a 0-d zero array (zeros_like of a record)."""
    if isinstance(adjoint, (int, float, np.number)):
        return adjoint == 0
    return isinstance(adjoint, np.ndarray) and adjoint.ndim == 0 and not adjoint


def _positions_only(function, active) -> None:
    if not all(isinstance(a, int) for a in active):
        raise S2SGradError(
            f"reverse mode over a gradient whose call to {getattr(function, '__qualname__', function)} "
            "differentiates keyword arguments or a method's object is not supported; pass the values carrying "
            "derivatives to the helper by position")


def _tangent_like(adjoint, value):
    """An adjoint as a tangent of `value`: a zero number stands for zeros of value's shape."""
    if _is_zero(adjoint) and not _is_zero(value):
        return zeros_like(value)
    return adjoint


def own_tangent(t):
    """A tangent the code may write into: a fresh, writeable copy (a list for a list or tuple).

    Forward mode gives a value changed in place (`y[i] = v`) a tangent of its own, so the write does
    not reach the tangent it was computed from (`y = x * 1.0` has x's tangent) or a read-only broadcast.
    """
    if isinstance(t, (list, tuple)):
        return list(t)
    if isinstance(t, dict):
        return dict(t)
    if is_foreign_array(t):
        return t.astype(adjoint_dtype(t), copy=True)     # a copy in t's own library
    return np.array(t, dtype=adjoint_dtype(t), copy=True)


def _sum_reduced(partials, x_dot, axis, keepdims):
    return np.sum(partials * x_dot, axis=axis, keepdims=keepdims)


def prod_tangent(x_dot, x, axis=None, keepdims=False):
    """Tangent of np.prod(x, axis): each element's tangent times the product of the others (zeros are fine)."""
    if not np.shape(x):
        return x_dot
    return _sum_reduced(product_of_others(x, axis), x_dot, axis, keepdims)


def extremum_tangent(x_dot, x, y, axis=None, keepdims=False):
    """Tangent of max/min: the mean of the tangents of the elements equal to the extremum."""
    return _sum_reduced(extremum_adjoint(np.ones_like(y), x, y, axis, keepdims), x_dot, axis, keepdims)


def var_tangent(x_dot, x, axis=None, ddof=0, keepdims=False):
    """Tangent of np.var(x, axis, ddof): sum 2 (x - mean) x_dot / (N - ddof) over the reduced axes."""
    return _sum_reduced(var_adjoint(1.0, x, axis, ddof, keepdims=True), x_dot, axis, keepdims)


def norm_tangent(x_dot, x, y, ord=None, axis=None, keepdims=False):
    """Tangent of np.linalg.norm: the norm's slope at x times x_dot, summed over the axes it reduces."""
    slope = norm_adjoint(np.ones_like(y), x, y, ord, axis, keepdims)
    axes = None if axis is None else _axes(axis, np.ndim(x))
    return _sum_reduced(slope, x_dot, axes, keepdims)


def cumprod_tangent(x_dot, x, y, axis=None):
    """Tangent of y = np.cumprod(x, axis) by its recursion y_k = y_(k-1) x_k (no division: zeros are fine)."""
    if axis is None:
        return np.reshape(cumprod_tangent(np.ravel(x_dot), np.ravel(x), np.ravel(y), 0), np.shape(y))
    # one statement per value, no generator: a Hessian's code calls this, and a third derivative reads it
    x_dot = np.moveaxis(array_of(x_dot), axis, 0)
    x = np.moveaxis(array_of(x), axis, 0)
    y = np.moveaxis(array_of(y), axis, 0)
    last = x_dot[0]
    rows = [last]
    for k in range(1, np.shape(x)[0]):
        last = last * x[k] + y[k - 1] * x_dot[k]
        rows.append(last)
    return np.moveaxis(np.stack(rows), 0, axis)


def sort_tangent(x_dot, x, axis=-1):
    """Tangent of np.sort(x, axis): the tangents travel with their elements."""
    if axis is None:
        return np.ravel(x_dot)[np.argsort(x, axis=None)]
    return np.take_along_axis(np.broadcast_to(x_dot, np.shape(x)), np.argsort(x, axis=axis), axis=axis)


def slogdet_tangent(a_dot, a, y):
    """Tangent of (sign, log|det a|): the sign is piecewise constant; d log|det| = trace(a^-1 a_dot)."""
    sign, _ = y
    return (np.zeros_like(sign, dtype=adjoint_dtype(a)),
            np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1))


def solve_tangent_a(a_dot, a, b, y):
    """Tangent through `a` of y = np.linalg.solve(a, b): -solve(a, a_dot y)."""
    if np.ndim(b) == 1:
        return -np.linalg.solve(a, (a_dot @ np.expand_dims(y, -1)))[..., 0]
    return -np.linalg.solve(a, a_dot @ y)


def solve_tangent_b(b_dot, a, b):
    """Tangent through `b` of y = np.linalg.solve(a, b): solve(a, b_dot)."""
    if np.ndim(b) == 1:
        return np.linalg.solve(a, np.expand_dims(b_dot, -1))[..., 0]
    return np.linalg.solve(a, b_dot)


def _symmetric_from_triangle(t, upper):
    """The symmetric matrix whose `upper` (or lower) triangle is t's: what eigh and cholesky read."""
    if upper:
        return np.triu(t) + matrix_transpose(np.triu(t, 1))
    return np.tril(t) + matrix_transpose(np.tril(t, -1))


def cholesky_tangent(a_dot, y, upper=False):
    """Tangent of the Cholesky factor: L Phi(L^-1 S L^-T), S the symmetric tangent cholesky reads."""
    lower = matrix_transpose(y) if upper else y
    s = _symmetric_from_triangle(a_dot, upper)
    inverse = np.linalg.inv(lower)
    l_dot = lower @ _phi(inverse @ s @ matrix_transpose(inverse))
    return matrix_transpose(l_dot) if upper else l_dot


def eigh_tangent(a_dot, y, UPLO="L"):
    """Tangent of (w, v) = np.linalg.eigh(a): w_dot = diag(v^T S v), v_dot = v (F * (v^T S v))."""
    w, v = y
    s = _symmetric_from_triangle(a_dot, UPLO in ("U", "u"))
    inner = matrix_transpose(v) @ s @ v
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)          # gaps[i, j] = w[j] - w[i]
    safe = np.where(gaps == 0, 1, gaps)
    return np.diagonal(inner, axis1=-2, axis2=-1), v @ np.where(gaps == 0, 0, inner / safe)


def eigvalsh_tangent(a_dot, a, UPLO="L"):
    """Tangent of w = np.linalg.eigvalsh(a)."""
    return eigh_tangent(a_dot, np.linalg.eigh(a, UPLO=UPLO), UPLO)[0]


def pinv_tangent(a_dot, a, y):
    """Tangent of y = pinv(a) for `a` of constant rank (Golub and Pereyra)."""
    at_dot, yt = matrix_transpose(a_dot), matrix_transpose(y)
    first = -y @ a_dot @ y
    second = y @ yt @ at_dot - y @ yt @ at_dot @ a @ y           # y y^T a_dot^T (I - a y)
    third = at_dot @ yt @ y - y @ a @ at_dot @ yt @ y            # (I - y a) a_dot^T y^T y
    return first + second + third


__all__ = [
    "adjoint_arguments", "call_arguments", "record_adjoint", "recorded_arguments",
    "broadcast_like", "call_backward_jvp", "call_backward_vjp", "call_forward_jvp", "call_forward_vjp", "element", "own_tangent", "require_scalar",
    "with_element", "cholesky_tangent", "cumprod_tangent", "eigh_tangent", "eigvalsh_tangent",
    "extremum_tangent", "norm_tangent", "pinv_tangent", "prod_tangent", "slogdet_tangent", "solve_tangent_a",
    "solve_tangent_b", "sort_tangent", "unit_tangent", "var_tangent",
]
