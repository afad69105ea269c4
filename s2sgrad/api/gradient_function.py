"""The object `grad` returns: an ordinary callable that also shows its generated code."""
from __future__ import annotations

import copy
import functools
import inspect
import numbers
import types

import numpy as np

from ..analysis.free_numbers import NumberGuard
from ..analysis.resolve import ResolutionGuard
from ..codegen.highlighting import highlight_html
from ..codegen.rebinding import DefaultsGuard, rebind, same_defaults
from ..errors import NonScalarOutputError, TransformError, WrtError
from ..runtime.calls import CallRecord
from ..runtime.containers import match_structure
from ..source.variadic import bound_names, bound_signature
from ..runtime.namespace import MissingArrayFunctionError, any_foreign, checked, is_foreign_array
from ..transform import prepare
from .any_callable import as_python_function
from .call_binding import refuse_seed_keyword, unbound_call_error
from .complex_arguments import guard_complex, is_complex
from .error_sites import note_user_line
from .failed_run import MISSING, computed_result, computed_result_under_derivative, unsplit_result
from .fast_call import fast_caller
from .shape_keys import ShapeSpecializations, array_shapes

_SCALAR_TYPES = (int, float, np.floating, np.integer)
_CONTAINER_TYPES = (tuple, list, dict)


class GradientFunction:
    """Calls the generated gradient of `fun`; `.source` and `.ssa_source` show the code.

    The generated code is specialized on which arguments are numbers, 1-D
    sequences of numbers, or containers (where no broadcasting can happen,
    adjoints need no reduction; containers add element by element), and on
    which globals and closure variables it reads hold numbers (`DT = 0.001`;
    analysis/free_numbers.py: a call where one holds anything else forgets
    every specialization made while it held a number):
    `.source` is the general version, `.source_for(*args)` the one a call with
    those arguments runs. A call whose NumPy arrays come back with the same
    shapes and dtypes also gets code for those shapes (api/shape_keys.py),
    shown by `.shaped_source_for(*args)`.

    The transformation may be shared with other functions of the same code
    (transform.py's cache); the generated functions it calls run with this
    target's own globals, closure cells and defaults (codegen/rebinding.py).
    Each call first checks that the names the transformation resolved (a
    global or closure variable naming the callable it calls) still denote the
    same objects, and transforms again if one was rebound.
    """

    # what a call runs is the instance's own `__call__`, a slot: fast_call.py's caller for the argument types seen
    # last, with the general path behind it; Python reads a slot without a frame of ours or a getter's call
    __slots__ = ("__call__", "__dict__", "__weakref__")

    _recordings = None                # (owner, transformation, {argument types: recording function}) for record()
    _s2sgrad_gradient = True          # lets the rest of s2sgrad recognize a gradient function without importing it
    bound = None                      # with a call shape: the parameters *args and **kwargs became (BoundNames)

    def __init__(self, fun, wrt=0, *, with_value: bool = False, has_aux: bool = False,
                 lift_closure: bool = False, debug_nans: bool = False, call_shape=None):
        self.fun = fun
        # a function with *args/**kwargs, read as one call shape runs it (source/variadic.py)
        self._call_shape = call_shape
        self.debug_nans = debug_nans      # check every value the generated code computes (reverse/nan_checks.py)
        self.target = as_python_function(fun)
        self.with_value = with_value
        self.has_aux = has_aux
        self._lift_closure = lift_closure
        self._requested_wrt = wrt
        self._signature = inspect.signature(self.target)
        if call_shape is not None:
            self.bound = bound_names(self.target, call_shape)
            self._signature = bound_signature(self._signature, self.bound)
        self._positional = [
            p.name for p in self._signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self._adopt(prepare(self.target, lift_closure=lift_closure, call_shape=call_shape))
        try:
            functools.update_wrapper(self, fun)
        except AttributeError:          # partials and callable objects have no __name__
            functools.update_wrapper(self, self.target)

    def _adopt(self, prepared) -> None:
        """Use this transformation of the target; forget every specialization made with another."""
        self._prepared = prepared
        self.lifted = prepared.lifted     # closure variables turned parameters
        self.wrt, self._single = _normalize_wrt(self._signature, self._requested_wrt, self.target,
                                                extra=self.lifted)
        prepared.check(self.wrt, self.has_aux)      # what no kind of call could differentiate stops grad(f)
        self._free = prepared.free_names      # names read from outside: which hold numbers is per call
        self._reset_calls()
        guard = ResolutionGuard(prepared.resolutions, self.target, prepared.rules)
        self._guard = guard if guard else None

    @property
    def _general(self):
        """The program for arguments of any kind (`.source`), generated when first asked for: a call
        generates the one for its own kinds, and generating both would double grad()'s cost. What reading,
        lowering and the checks that hold for every kind of argument (transform.Prepared.check) refuse
        still stops grad(f) itself; what only generating the code finds stops the first call, or
        `.source`, with the same message."""
        return self._prepared.program(self.wrt, has_aux=self.has_aux, debug_nans=self.debug_nans)

    def _reset_calls(self) -> None:
        self._entries: dict = {}
        self._by_types: dict = {}
        self._bound: dict = {}             # id(program) -> (program, its function bound to this target)
        self.__call__ = self._call_any     # what a call runs: the caller for the argument types seen last
        self._fast_callers: dict = {}      # argument types -> their fast caller
        # code for the shapes of the array arguments, once a call's shapes repeat (api/shape_keys.py)
        self._shaped = ShapeSpecializations(self._shaped_entry, _CODES)
        self._numbers = None               # NumberGuard: the free names the specializations took for numbers
        self._recordings = None
        # the target's defaults, which the generated functions hold (a reassigned __defaults__ rebinds them)
        defaults = DefaultsGuard(self.target) if isinstance(self.target, types.FunctionType) else None
        self._defaults = defaults if defaults else None

    def _free_numbers(self) -> frozenset:
        """The names read from outside the function that hold numbers: part of every specialization's
        kinds. Taken once; when one of them no longer holds a number, every specialization goes."""
        numbers = self._numbers
        if numbers is not None:
            if not numbers or numbers.holds():
                return numbers.names
            self._reset_calls()
        numbers = self._numbers = NumberGuard(self._free, self.target)
        return numbers.names

    def _numbers_changed(self) -> bool:
        numbers = self._numbers
        return numbers is not None and bool(numbers) and not numbers.holds()

    def rebound(self, target) -> "GradientFunction":
        """This gradient for `target`, a function with the same code whose names resolve alike (it must
        be served by the same transformation); cheaper than building one (call_vjp's nested defs)."""
        other = copy.copy(self)
        other.fun = other.target = target
        other._reset_calls()
        guard = ResolutionGuard(self._prepared.resolutions, target, self._prepared.rules)
        other._guard = guard if guard else None
        return other

    def _function(self, program):
        """The program's generated function, running with this target's globals, cells and defaults."""
        original = self._prepared.function
        if original is self.target and same_defaults(program.function, self.target):
            return program.function
        bound = self._bound.get(id(program))
        if bound is None:
            bound = self._bound[id(program)] = (program, rebind(program.function, original, self.target))
        return bound[1]

    # ---- calling ------------------------------------------------------
    # a call runs the instance's own caller (the `__call__` slot): fast_call.py's, made for the argument types
    # seen last, with the general path behind it

    def _call_any(self, *args, **kwargs):
        return self._called(args, kwargs)

    def _called(self, args, kwargs):
        """The general path of a call."""
        value, grads, structured = self._run(args, kwargs)
        return self._finish(value, grads, structured, args, kwargs)

    def _finish(self, value, grads, structured, args, kwargs):
        """The call's result from the generated function's (value, gradients)."""
        result = value[0] if self.has_aux else value
        if type(result) is not float:
            check_scalar(result, self.target)
        if structured:
            grads = self._structured(grads, args, kwargs)
        else:
            self._check_shapes(grads, args, kwargs)
            grads = self._kinds_kept(grads, args, kwargs)
        grads = grads[0] if self._single else grads
        if self.with_value:
            return value, grads
        return (grads, value[1]) if self.has_aux else grads

    def generated_for(self, *args, **kwargs):
        """The generated function a call with these arguments runs: `(*args, **kwargs) -> (value, gradients)`.

        Higher-order transformations differentiate it in turn (hessian = jacfwd of this, forward over reverse).
        """
        return self._function(self._program_for(args, kwargs))

    def vjp(self, cotangent, *args, **kwargs) -> tuple:
        """The gradients for an adjoint `cotangent` of the result (any shape); one per `wrt` entry."""
        _, grads, structured = self._run(args, kwargs, cotangent)
        if structured:
            return self._structured(grads, args, kwargs)
        self._check_shapes(grads, args, kwargs)
        return self._kinds_kept(grads, args, kwargs)

    @property
    def prepared(self):
        """The transformation this gradient runs (transform.Prepared)."""
        return self._prepared

    def public_gradients(self, grads, args, kwargs=None) -> tuple:
        """Gradients from a record (`record(...)`, whose forms are the reverse sweep's own: a namedtuple's
        adjoint reachable by field, an object's as a dict of fields) shaped as `grad` returns them."""
        grads = self._structured(grads, args, kwargs or {})
        self._check_shapes(grads, args, kwargs or {})
        return self._kinds_kept(grads, args, kwargs or {})

    def record(self, *args, **kwargs):
        """(value, CallRecord): run the forward sweep once and keep what the reverse sweep reads; the
        record's `vjp(cotangent)` then gives the gradients (how generated code calls other functions,
        runtime/calls.py)."""
        if self._guard is not None and not self._guard.holds():
            self._adopt(prepare(self.target, lift_closure=self._lift_closure, call_shape=self._call_shape))
        if self._numbers_changed() or (self._defaults is not None and not self._defaults.holds()):
            self._reset_calls()
        cache = self._recordings
        if cache is None or cache[0] is not self or cache[1] is not self._prepared:
            cache = self._recordings = (self, self._prepared, {})     # a rebound copy or a new transformation
        arg_types = None if kwargs else tuple(map(type, args))
        function = cache[2].get(arg_types)
        structured = False
        if function is None:
            self._refuse_integer_arrays(args, kwargs)
            function = self._function(self._program_for(args, kwargs).recording)
            self._prepared.remember()      # a new process with the code cached need not prepare again
            arguments = self._arguments(args, kwargs)
            structured = any(_code(arguments[name])[:1] in ("c", "o", "q") for name in self.wrt if name in arguments)
            if arg_types is not None and all(t in _CODES for t in arg_types):
                cache[2][arg_types] = function          # numbers alone: their types decide the program
        try:
            paused = function(*args, **kwargs)
        except TypeError as exc:        # arguments the function does not take: its own TypeError
            unbound = unbound_call_error(exc, self._prepared)
            if unbound is not None:
                raise unbound from None
            raise
        value = next(paused)
        if structured:
            finish = functools.partial(self._structured, args=args, kwargs=kwargs, internal=True)
        else:
            finish = _unchanged
        return value, CallRecord(paused, finish, self.target.__qualname__)

    def _run(self, args, kwargs, cotangent=None):
        # the hot path: numbers alone are told apart by their types (one lookup, at C speed);
        # arrays and containers need a closer look (dtype, ndim, contents)
        if self._guard is not None and not self._guard.holds():
            # a name the transformation resolved (`fn = math.cos` at module level) was rebound
            self._adopt(prepare(self.target, lift_closure=self._lift_closure, call_shape=self._call_shape))
        if self._numbers_changed() or (self._defaults is not None and not self._defaults.holds()):
            self._reset_calls()               # a global taken for a number holds an array, or new defaults
        arg_types = None if kwargs else tuple(map(type, args))
        entry = None if arg_types is None else self._by_types.get(arg_types)
        if entry is not None:
            self.__call__ = self._fast_callers.get(arg_types) or self._fast_caller(arg_types, entry)
        elif arg_types is None or (entry := self._shaped.known(args)) is None:     # arrays of shapes seen: one pass
            key = (tuple(_CODES.get(type(a)) or _code(a) for a in args),
                   tuple((k, _CODES.get(type(v)) or _code(v)) for k, v in kwargs.items()))
            entry = self._entries.get(key) or self._entry(key, args, kwargs)
            if not self.debug_nans:
                entry = self._shaped.entry(key, self._positional, args, kwargs, entry)
        elif not entry[2]:             # shapes seen again: a fast caller checks them from the next call on
            layouts = tuple((a.shape, a.dtype) if type(a) is np.ndarray else None for a in args)
            self.__call__ = self._fast_callers.get((arg_types, layouts)) \
                or self._fast_caller(arg_types, entry, layouts)
        function, seed_name, structured, seed = entry
        return self._call_generated(function, seed_name, structured, seed, args, kwargs, cotangent)

    def _call_generated(self, function, seed_name, structured, seed, args, kwargs, cotangent=None):
        if kwargs:
            refuse_seed_keyword(self.target, seed_name, kwargs)     # it would be taken for the seed
        try:
            if cotangent is None and seed is None:
                value, grads = function(*args, **kwargs)
            else:
                value, grads = function(*args, **kwargs, **{seed_name: seed if cotangent is None else cotangent})
        except Exception as exc:
            unbound = unbound_call_error(exc, self._prepared)
            if unbound is not None:      # arguments the function does not take: its own TypeError
                raise unbound from None
            if cotangent is None:        # with a cotangent (vjp, jacrev) a non-scalar result is expected
                self._diagnose(exc)
            else:
                note_user_line(exc, self._prepared)
            raise
        return value, _owned(grads), structured

    def _fast_caller(self, arg_types, entry, layouts=()):
        """The fast path for calls with positional arguments of these types (numbers: their types decide
        the specialization; arrays: with their shapes and dtypes, `layouts`), kept per types so that
        alternating between two kinds builds each once."""
        function, seed_name, structured, seed = entry
        checks = [guard.holds for guard in (self._guard, self._numbers, self._defaults) if guard]
        fast = self._fast_callers[(arg_types, layouts) if layouts else arg_types] = fast_caller(
            arg_types, function, n_grads=len(self.wrt), single=self._single, with_value=self.with_value,
            has_aux=self.has_aux, seed_name=seed_name, seed=seed, checks=checks, general=self._called, layouts=layouts,
            grad_shapes=self._gradient_shapes(layouts),
            finish=lambda value, grads, args: self._finish(value, _owned(grads), structured, args, {}),
            diagnose=self._diagnose)
        return fast

    def _gradient_shapes(self, layouts) -> tuple:
        """Per gradient, the shape of the array argument it is for (None for anything else)."""
        positions = {name: i for i, name in enumerate(self._positional)}
        found = [positions.get(name) for name in self.wrt]
        return tuple(layouts[i][0] if i is not None and i < len(layouts) and layouts[i] is not None else None
                     for i in found)

    def _shaped_entry(self, key, args, kwargs, shapes):
        """The entry of the program specialized on these array shapes (kept by ShapeSpecializations)."""
        if any_foreign((*args, *kwargs.values())):
            return self._entries.get(key) or self._entry(key, args, kwargs)     # Dask, CuPy: shape-generic
        return self._entry(key, args, kwargs, shapes)

    def _entry(self, key, args, kwargs, shapes=()):
        """(generated function, its seed's name, whether gradients need reshaping to their arguments, seed)
        for a new kind of call (`shapes`: for those array shapes, kept by the caller)."""
        self._refuse_integer_arrays(args, kwargs)
        program = self._program_for(args, kwargs, shapes)
        codes = dict(zip(self._positional, key[0]))
        codes.update(key[1])
        structured = any(codes.get(name, "")[:1] in ("c", "o", "q") for name in self.wrt)
        # float32 inputs get a float32 seed, so adjoints that rules build from it keep the dtype
        seed = np.float32(1.0) if any(codes.get(name) == "f32" for name in self.wrt) else None
        function = guard_complex(self._function(program), self._prepared, self.wrt, self._arguments(args, kwargs))
        self._prepared.remember()          # a new process with the code cached need not prepare again
        if any_foreign((*args, *kwargs.values())):
            function = checked(function, self.target)    # a NumPy function Dask or CuPy lacks stops, naming itself
        entry = (function, program.seed, structured, seed)
        if "i" not in codes.values() and not shapes:
            self._entries[key] = entry
            if not kwargs and all(type(a) in _CODES for a in args):
                arg_types = tuple(map(type, args))
                self._by_types[arg_types] = entry
                self.__call__ = self._fast_caller(arg_types, entry)
        return entry

    def _structured(self, grads, args, kwargs, internal=False) -> tuple:
        """Each gradient shaped like its argument: a tuple for a tuple, a dict for a dict, ...
        (`internal`: for a caller's reverse sweep, which keeps objects' adjoints as dicts of fields)"""
        arguments = self._arguments(args, kwargs)
        return tuple(match_structure(g, arguments[name], internal) if name in arguments else g
                     for name, g in zip(self.wrt, grads))

    def _check_shapes(self, grads, args, kwargs) -> None:
        """Each gradient of a NumPy array has that array's shape, and a number's is a number: another shape is
        s2sgrad's bug or a derivative rule's (a user's rule for an elementwise function whose adjoint of a
        number parameter keeps the other operand's shape), stopped here rather than handed on as an answer."""
        arguments = None
        for name, g in zip(self.wrt, grads):
            if arguments is None:
                if not kwargs and not any(type(a) is np.ndarray for a in args) \
                        and not any(type(d) is np.ndarray and d.ndim for d in grads):
                    return
                arguments = self._arguments(args, kwargs)
            value = arguments.get(name)
            if type(value) is np.ndarray:
                expected, what = value.shape, f"an array of shape {value.shape}"
            elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
                expected, what = (), "a number"
            else:
                continue
            if np.shape(g) != expected:
                raise TransformError(
                    f"the gradient of {self.target.__qualname__} came out of shape {np.shape(g)} for `{name}`, "
                    f"{what}: a derivative rule gave an adjoint of the wrong shape. If you wrote one "
                    "(s2sgrad.defvjp), make it give an array shaped like its parameter (the sum of the adjoint "
                    "over the axes the parameter was broadcast along); otherwise this is a bug in s2sgrad, "
                    "please report it with the function's source.")

    def _kinds_kept(self, grads, args, kwargs) -> tuple:
        """The gradients with their arguments' kinds where NumPy's arithmetic changed them: a 0-d array's
        gradient came out a NumPy scalar (ufuncs return scalars for 0-d input), a number's a 0-d array
        (np.where of numbers)."""
        if not any(isinstance(g, np.generic) or type(g) is np.ndarray and g.ndim == 0 for g in grads):
            return grads
        arguments = self._arguments(args, kwargs)
        return tuple(_kind_of(g, arguments.get(name)) for name, g in zip(self.wrt, grads))

    def _arguments(self, args, kwargs) -> dict:
        return {**dict(zip(self._positional, args)), **kwargs}

    def _kinds(self, args, kwargs) -> tuple[frozenset, frozenset, frozenset, frozenset]:
        """(parameters holding numbers, 1-D sequences of numbers, tuples/lists/dicts/objects, arrays)."""
        scalars, sequences, containers, arrays = [], [], [], []
        for name, value in self._arguments(args, kwargs).items():
            if isinstance(value, _SCALAR_TYPES):
                scalars.append(name)
            elif _is_sequence_of_numbers(value):
                sequences.append(name)
            if isinstance(value, _CONTAINER_TYPES) or _is_user_object(value):
                containers.append(name)
            if isinstance(value, np.ndarray):
                arrays.append(name)
        return frozenset(scalars), frozenset(sequences), frozenset(containers), frozenset(arrays)

    def _program_for(self, args, kwargs, shapes=()):
        scalars, sequences, containers, arrays = self._kinds(args, kwargs)
        scalars |= self._free_numbers()
        return self._prepared.program(self.wrt, scalars, sequences, containers, arrays, has_aux=self.has_aux,
                                      debug_nans=self.debug_nans, shapes=shapes)

    def _refuse_integer_arrays(self, args, kwargs) -> None:
        """Gradients exist for real inputs; an integer array would silently get float adjoints of rounding.
        np.matrix is refused whatever `wrt` says: its `*` is a matrix product, which the rules do not follow."""
        for name, value in self._arguments(args, kwargs).items():
            if isinstance(value, np.matrix):
                raise WrtError(
                    f"cannot differentiate {self.target.__qualname__} called with an np.matrix for `{name}`: "
                    f"its `*` is a matrix product. Pass np.asarray({name}) and write `@` for matrix products.")
            if name in self.wrt and (isinstance(value, np.ndarray) or is_foreign_array(value)) \
                    and value.dtype.kind in "biu":
                raise WrtError(
                    f"cannot differentiate {self.target.__qualname__} with respect to `{name}`: it is an "
                    f"integer array (dtype {value.dtype}). Pass floats, e.g. {name}.astype(float)."
                )

    def _diagnose(self, exc) -> None:
        """Turn a failure inside the generated code into the user's own error when it is one: a reverse
        sweep that failed on a result that is not one number. The result is the one the failed run
        computed (api/failed_run.py), never the function run again (its side effects would repeat)."""
        note_user_line(exc, self._prepared)
        if isinstance(exc, MissingArrayFunctionError):
            return                      # a NumPy function Dask or CuPy lacks: it names itself, whatever the result
        if self.has_aux:
            whole = unsplit_result(exc, self._prepared)
            if whole is not MISSING and not (isinstance(whole, (tuple, list)) and len(whole) >= 2):
                length = f" of length {len(whole)}" if isinstance(whole, (tuple, list)) else ""
                raise WrtError(f"has_aux=True: {self.target.__qualname__} must return a pair (value, aux), "
                               f"not a {type(whole).__name__}{length}") from exc
        value = computed_result(exc, self._prepared, self.has_aux)
        if value is not MISSING:        # else: the forward sweep, the function itself, failed: that error stands
            check_scalar(value, self.target, cause=exc)

    def diagnose_derivative(self, exc, args, generated) -> None:
        """The same for a failure of forward mode over `generated`, this gradient's code for `args` (a
        Hessian, jvp(grad(f), ...)): a reverse sweep that failed on a result that is not one number."""
        try:
            program = self._program_for(args, {})
            derivative = prepare(generated)
        except Exception:               # diagnosing is a courtesy: never hide the error itself
            return
        value = computed_result_under_derivative(exc, program, derivative)
        if value is not MISSING:
            check_scalar(value, self.target, cause=exc)

    # ---- inspection ---------------------------------------------------
    @property
    def source(self) -> str:
        """The generated gradient function, valid for arguments of any kind."""
        return self._general.source

    @property
    def ssa_source(self) -> str:
        """The user's function in single-assignment form (one operation per line)."""
        return self._prepared.ssa_source

    def source_for(self, *args, **kwargs) -> str:
        """The generated code a call with these arguments runs (the first time: shape-generic)."""
        return self._program_for(args, kwargs).source

    def shaped_source_for(self, *args, **kwargs) -> str:
        """The code specialized on these arguments' array shapes, which calls with them run once their
        shapes repeat (api/shape_keys.py); the same as source_for when no argument is a NumPy array."""
        return self._program_for(args, kwargs, array_shapes(self._positional, args, kwargs)).source

    @property
    def generated_function(self):
        """The general generated function: `(args..., *, d<out>=1.0) -> (value, gradients)`."""
        return self._function(self._general)

    def __get__(self, obj, objtype=None):
        """`@grad` on a method: read from an instance, the gradient is bound to it, as a function would be
        (`wrt` counts `self` as JAX's argnums do)."""
        return self if obj is None else types.MethodType(self, obj)

    def __repr__(self) -> str:
        kind = "value_and_grad" if self.with_value else "grad"
        wrt = self.wrt[0] if self._single else self.wrt
        return f"<{kind} of {self.target.__qualname__} with respect to {wrt!r}; print(.source) shows the code>"

    def __str__(self) -> str:
        return self.source

    def _repr_html_(self) -> str:
        """Jupyter shows the generated code, syntax-highlighted."""
        return f"<p><code>{_html_escape(repr(self))}</code></p>" + highlight_html(self.source)


def _unchanged(grads):
    return grads


def _kind_of(g, argument):
    """g, 0-d, as a 0-d array for a 0-d array argument and as a NumPy scalar for a number."""
    if type(argument) is np.ndarray and argument.ndim == 0 and isinstance(g, np.generic):
        return np.asarray(g)
    if type(g) is np.ndarray and g.ndim == 0 and isinstance(argument, (int, float, complex, np.number)):
        return g[()]
    return g


def _owned(grads: tuple) -> tuple:
    """The gradients, each an array the user may modify: an adjoint may be a read-only broadcast view
    (unreduce), and what the user gets is theirs."""
    for g in grads:
        if type(g) is np.ndarray and not g.flags.writeable:
            return tuple(g.copy() if type(g) is np.ndarray and not g.flags.writeable else g for g in grads)
    return grads


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# types whose code needs no closer look (a numpy scalar is a scalar whatever its value)
_CODES = {float: "s", int: "s", np.float64: "s", np.float32: "f32", np.int64: "s", np.int32: "s", bool: "s"}


def _code(value) -> str:
    """A short code for what kind of argument `value` is (the key of a specialization)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biu":
            return "i"
        if value.dtype.kind == "c":        # complex: its own specialization, checked (api/complex_arguments.py)
            return "z"
        base = "f32" if value.dtype == np.float32 else "a"
        return "v" if value.ndim == 1 and base == "a" else base
    if isinstance(value, _SCALAR_TYPES):
        return "s"
    if isinstance(value, (complex, np.complexfloating)):
        return "zs"
    # a container holding a complex value: its own specialization too, checked (z marks it)
    if isinstance(value, (list, tuple)):
        return ("q" if _is_sequence_of_numbers(value) else "c") + ("z" if is_complex(value) else "")
    if isinstance(value, dict):
        return "cz" if is_complex(value) else "c"
    if _is_user_object(value):
        return "oz" if is_complex(value) else "o"
    return "x"


def _is_user_object(value) -> bool:
    """An instance of the user's own class (its fields are differentiated like a dict's entries)."""
    return hasattr(value, "__dict__") and not isinstance(value, (np.ndarray, type)) and not isinstance(
        value, _FUNCTION_TYPES)         # a callable object (a model with __call__) is one; a function is not


_FUNCTION_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, functools.partial)


def _is_sequence_of_numbers(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 1 and value.dtype.kind in "fiu"
    # set(map(type, ...)) runs at C speed; a list of a million floats takes milliseconds
    return isinstance(value, (list, tuple)) and bool(value) and set(map(type, value)) <= {float, int}


def check_scalar(value, fun, cause=None) -> None:
    """grad's requirement: `fun` returned one real number; otherwise a NonScalarOutputError pointing to jacrev."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return
    if isinstance(value, np.ndarray) and value.shape == () and np.isrealobj(value):
        return
    if is_foreign_array(value) and value.shape == () and value.dtype.kind in "fiu":
        return                          # a 0-d Dask or CuPy array: decided from its shape and dtype, lazily
    shape = getattr(value, "shape", None)
    described = f"an array of shape {shape}" if shape is not None else f"a {type(value).__name__}"
    raise NonScalarOutputError(
        f"grad needs {fun.__qualname__} to return a real scalar, but it returned {described}. "
        "Reduce it to one number (e.g. a sum or a mean) before returning it, or use s2sgrad.jacrev or "
        "s2sgrad.vjp for the derivatives of a vector-valued function."
    ) from cause


def _normalize_wrt(signature: inspect.Signature, wrt, fun, extra=()) -> tuple[tuple[str, ...], bool]:
    params = list(signature.parameters.values())
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    single = not isinstance(wrt, (tuple, list))
    names = []
    for item in ([wrt] if single else list(wrt)):
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise WrtError(f"wrt must be a parameter index or name (or a tuple of them), not {item!r}")
        if isinstance(item, int):
            if not -len(positional) <= item < len(positional):
                raise WrtError(f"wrt={item}: {fun.__qualname__} has {len(positional)} positional parameters "
                               f"({', '.join(positional)})")
            item = positional[item]
        if item in extra:                       # a lifted closure variable
            names.append(item)
            continue
        param = signature.parameters.get(item)
        if param is None:
            raise WrtError(f"wrt={item!r}: {fun.__qualname__} has no parameter named {item!r} "
                           f"(its parameters: {', '.join(signature.parameters)})")
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise WrtError(f"wrt={item!r}: cannot differentiate with respect to *{item} or **{item}; "
                           "give the values their own parameters")
        names.append(item)
    if len(set(names)) != len(names):
        raise WrtError(f"wrt={wrt!r} names a parameter twice")
    return tuple(names), single
