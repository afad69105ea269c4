"""`s2sgrad.jit(g)` of a grad or value_and_grad function: its generated code compiled by numba.

    fast = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=("k", "c")))
    fast(4.0, 0.3, 1000)          # same arguments, same results as the Python version
    print(fast.source_for(4.0, 0.3, 1000))   # exactly what numba compiles for these arguments

Each kind of call (argument types, array ranks and dtypes) is a
specialization: the Python gradient generated for it is rewritten for numba
(jit/numba_source.py), written to a file under the cache folder and compiled
with numba's on-disk cache (jit/compiler.py). What numba cannot compile --
a construct, a helper, an argument type -- runs as the Python version for
that specialization only, after a JitFallbackWarning naming the construct,
the generated line and the user's line (jit/fallback.py). The machine code
numba compiles is also kept as a native library, which a later process loads
instead, without importing numba (jit/native.py). numba is imported only
here, when something is compiled.
"""
from __future__ import annotations

import ast
import functools
import inspect
import os
import re
import types

import numpy as np

from ..collection_pause import collection_paused
from ..jit import native, ready_cache
from ..jit.fallback import numba_complaint, user_location, warn_fallback
from ..jit.numba_source import numba_ready
from ..jit.peel import carried_name
from ..transform import prepare
from .call_binding import refuse_seed_keyword
from .gradient_function import GradientFunction, check_scalar

__all__ = ["JitFunction", "compile_specialization", "leave_native", "numba_module", "python_after_failure",
           "ready_module"]

_NUMBER_TYPES = (float, int, bool, np.float64, np.int64, np.int32, np.bool_)
_ABSENT = object()


class _Specialization:
    """How calls of one kind run: a compiled dispatcher and the argument order, or the Python version."""

    __slots__ = ("dispatcher", "tail", "python", "guards", "source", "signature", "bind", "warned", "seed",
                 "program", "tangent_of", "native")

    def __init__(self):
        self.dispatcher = None
        self.python = False
        self.guards = ()
        self.source = None
        self.tail = ()
        self.signature = ""
        self.bind = None
        self.warned = False                  # a value-dependent fallback warns once per specialization
        self.seed = None                     # the generated function's seed parameter (a vjp passes it)
        self.program = None                  # jvp: the tangent program compiled (jit_forward.py)
        self.tangent_of = ()                 # jvp: (tangent parameter, position of its primal) pairs
        self.native = None                   # with a native library as dispatcher: how numba would compile


class JitFunction:
    """Calls `gradient` through numba-compiled code; `.source_for(*args)` shows what numba compiles."""

    def __init__(self, gradient: GradientFunction):
        self.gradient = gradient
        self._prepared = gradient._prepared
        self._specializations: dict = {}
        self._by_types: dict = {}             # argument types -> specialization, for calls with numbers only
        self._dispatchers: dict = {}          # module text -> numba dispatcher (one per distinct text)
        functools.update_wrapper(self, gradient.target, updated=())

    # ---- calling ------------------------------------------------------
    def __call__(self, *args, **kwargs):
        g = self._current()
        # the hot path: numbers alone are told apart by their types, one dict lookup
        spec = None if kwargs else self._by_types.get(tuple(map(type, args)))
        if spec is None or (spec.guards and not _holds(spec.guards)):
            spec = self._specialization(args, kwargs)
        if spec.python:
            return g(*args, **kwargs)
        ordered = args + spec.tail if not kwargs else spec.bind(args, kwargs)
        try:
            value, grads = spec.dispatcher(*ordered)
        except Exception as exc:
            if spec.native is not None:          # numba's compile answers this call, as without the library
                leave_native(spec, ordered)
                return self(*args, **kwargs)
            return python_after_failure(spec, exc, g.target.__qualname__, lambda: g(*args, **kwargs))
        result = value[0] if g.has_aux else value
        if type(result) is not float:
            check_scalar(result, g.target)
        elif not (result - result == 0.0 and _finite(grads)):
            # nan or inf: where Python's version raises (an overflow, a domain error in a NumPy scalar),
            # let it; otherwise it returns the same non-finite values
            return g(*args, **kwargs)
        grads = grads[0] if g._single else grads
        if g.with_value:
            return value, grads
        return (grads, value[1]) if g.has_aux else grads

    def _current(self) -> GradientFunction:
        """The gradient, prepared again if a name it resolved was rebound (then every specialization is new)."""
        g = self.gradient
        if g._guard is not None and not g._guard.holds():
            g._adopt(prepare(g.target, lift_closure=g._lift_closure))
        if g._prepared is not self._prepared:
            self._prepared = g._prepared
            self._specializations.clear()
            self._by_types.clear()
        return g

    def _specialization(self, args, kwargs) -> _Specialization:
        """The specialization for these arguments, made (or remade, when a baked-in constant changed)."""
        key = _key(args, kwargs)
        spec = self._specializations.get(key)
        if spec is None or (spec.guards and not _holds(spec.guards)):
            spec = self._specializations[key] = self._specialize(args, kwargs)
        if not kwargs and all(type(a) in _NUMBER_TYPES for a in args):
            self._by_types[tuple(map(type, args))] = spec
        return spec

    def _specialize(self, args, kwargs, seed=()) -> _Specialization:
        """`seed`: (the cotangent,) for a vjp, passed as the generated function's seed."""
        g = self.gradient
        spec = _Specialization()
        spec.signature = ", ".join([_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items()]
                                   + [f"cotangent={_describe(s)}" for s in seed])
        refused = _refused_argument(g, (*args, *seed), kwargs)
        if refused:
            spec.python = True
            warn_fallback(g.target.__qualname__, spec.signature, refused, "", "")
            return spec
        g._refuse_integer_arrays(args, kwargs)
        program = g._program_for(args, kwargs)
        if kwargs:                        # `dh=5.0` for f's gradient would be taken for the seed
            refuse_seed_keyword(g.target, program.seed, kwargs)
        g._prepared.remember()            # as a Python call does: a new process need not prepare f again
        python_function = g._function(program)
        signature = inspect.signature(python_function)
        spec.bind = _binder(signature, _parameters(program, python_function))
        spec.seed = program.seed
        if seed:
            kwargs = {**kwargs, program.seed: seed[0]}
        source = ready_module(program, python_function, spec.bind(args, kwargs))
        spec.source, spec.guards = source.text, source.guards
        if source.refusal is not None:
            construct, line = source.refusal
            spec.python = True
            warn_fallback(g.target.__qualname__, spec.signature, construct, line, user_location(program, line))
            return spec
        spec.tail = tuple(spec.bind(args, {})[len(args):]) if not kwargs else ()
        compile_specialization(spec, g.target.__qualname__, f"{g.target.__module__}.{g.target.__qualname__}",
                               program, python_function, spec.bind(args, kwargs), source, self._dispatchers)
        return spec

    def vjp(self, cotangent, *args):
        """The gradients for an adjoint `cotangent` of the result, compiled (jacrev calls it row by row)."""
        g = self.gradient
        key = ("vjp", _value_key(cotangent), _key(args, {}))
        spec = self._specializations.get(key)
        if spec is None or (spec.guards and not _holds(spec.guards)):
            spec = self._specializations[key] = self._specialize(args, {}, seed=(cotangent,))
        if spec.python:
            return g.vjp(cotangent, *args)
        ordered = spec.bind(args, {spec.seed: cotangent})
        try:
            _, grads = spec.dispatcher(*ordered)
        except Exception as exc:
            if spec.native is not None:
                leave_native(spec, ordered)
                return self.vjp(cotangent, *args)
            return python_after_failure(spec, exc, g.target.__qualname__, lambda: g.vjp(cotangent, *args))
        if not _finite(grads):
            return g.vjp(cotangent, *args)       # Python's version says whether it raises
        return grads

    # ---- inspection ---------------------------------------------------
    def source_for(self, *args, **kwargs) -> str:
        """The module numba compiles for a call with these arguments: the specialization's, made (and
        compiled) if no call made it yet, since numba's typing decides what a retry changes (a peeled loop,
        a run left unfused). Where these arguments run as Python, the text numba refused, or ""."""
        self._current()
        return self._specialization(args, kwargs).source or ""

    @property
    def source(self) -> str:
        """The module numba compiles for the general specialization (`.source_for` shows a given call's)."""
        g = self.gradient
        return numba_ready(g._general.source, g.generated_function).text

    def __repr__(self) -> str:
        return f"<s2sgrad.jit of {self.gradient!r}>"


def compile_specialization(spec, name: str, label: str, program, python_function, ordered: tuple, source,
                           dispatchers: dict, native_ok: bool = True) -> None:
    """Compile `source` (made by numba_module for `ordered`) into spec.dispatcher; what numba refuses makes
    the specialization Python, with a warning naming the construct, the generated and the user's line.
    A fused module numba refuses is compiled again unfused first: fusion is never worse than none.
    A native library kept for the same text and argument types (jit/native.py) is loaded instead, without
    numba; numba's compile, when it happens, keeps one for the next process."""
    native_key = _native_key(source, ordered) if native_ok else None
    keyed_text = source.text
    if native_key is not None:
        loaded = native.load(native_key)
        if loaded is not None:
            spec.dispatcher = loaded
            spec.native = functools.partial(_compile_anew, spec, name, label, program, python_function, dispatchers)
            return
    from ..jit.compiler import compiled, load_callees, load_module_file    # imports numba
    import numba
    load_callees()
    while True:
        function, filename = load_module_file(source, label)
        dispatcher = dispatchers.get(source.text)
        if dispatcher is None:
            dispatcher = dispatchers[source.text] = compiled(function, source)
        signature = tuple(numba.typeof(v) for v in ordered)
        try:
            _without_collection(dispatcher.compile, signature)
        except Exception as exc:
            carried = carried_name(exc)
            if carried is not None and carried not in source.peeled:
                # a number before a loop and an array in it: the loop's first iteration on its own (jit/peel.py)
                retry = numba_module(program, python_function, ordered, fuse=source.fused,
                                     peel=source.peeled | {carried})
                if retry.refusal is not None:          # a loop it cannot peel: why, and its line
                    spec.source = retry.text
                    _fall_back(spec, name, program, *retry.refusal)
                    return
                if retry.text != source.text:
                    source = retry
                    spec.source = source.text
                    continue
            if source.fused:
                source = numba_module(program, python_function, ordered, fuse=False, peel=source.peeled)
                spec.source = source.text
                continue
            reason, number = numba_complaint(exc, filename)
            line = source.text.splitlines()[number - 1] if number else ""
            if carried is not None and source.peeled:
                reason, line = _still_a_number(carried, source.text, line)
            _fall_back(spec, name, program, reason, line)
            return
        spec.dispatcher = dispatcher
        spec.native = None
        if native_key is not None:
            if source.text != keyed_text:
                # a retry (peeled, unfused): the library is kept under the text numba compiled, and the
                # numba-ready entry a second process reads names that text, so it loads the library too
                native_key = _native_key(source, ordered)
                _keep_ready(program, python_function, ordered, source)
            native.save(native_key, dispatcher, signature)
        return


def _fall_back(spec, name: str, program, construct: str, line: str) -> None:
    spec.python = True
    warn_fallback(name, spec.signature, construct, line, user_location(program, line) if line else "")


def _still_a_number(carried: str, text: str, line: str) -> tuple[str, str]:
    """What to say where numba still finds `carried` a number on one path and an array on another after the
    loop's first iteration was peeled, and the generated line to show: where the name is first assigned."""
    reason = (f"a loop whose `{carried}` is a number before it and an array in it (numba types a name once), "
              "and whose first iteration, run on its own, may still leave it a number: a path that does not "
              "assign it (an `if`, a `continue`, the code before a `break`, an inner loop that may run no "
              "iteration); start it as an array, or assign it on every path")
    return reason, next((t for t in text.splitlines() if t.strip().startswith(f"{carried} = ")), line)


def _without_collection(compile, signature):
    """numba's compile with Python's cyclic garbage collector paused: the compile makes hundreds of
    thousands of objects, and the collections they set off walk numba's whole heap again and again (a
    fifth of the elementwise chain's cold first call). The garbage is collected after, as usual."""
    with collection_paused():
        return compile(signature)


def _compile_anew(spec, name, label, program, python_function, dispatchers, ordered) -> None:
    """numba's compile of a specialization that ran from a native library. Its module is derived again: one
    read from the disk (ready_module) has not loaded the called helpers' modules it imports."""
    source = numba_module(program, python_function, ordered)
    spec.source = source.text
    compile_specialization(spec, name, label, program, python_function, ordered, source, dispatchers,
                           native_ok=False)


def leave_native(spec, ordered: tuple) -> None:
    """The native library's call raised: from now on numba compiles this specialization (its dispatcher
    decides, as it would have without the library, whether the call runs compiled or as Python)."""
    recompile, spec.native = spec.native, None
    spec.dispatcher = None
    recompile(ordered)


def _native_key(source, ordered: tuple) -> str | None:
    """The native library's key for this module and these arguments (jit/native.py), or None where
    there is none to keep or look for."""
    if not native.enabled():
        return None
    described = native.machine_types(ordered)
    return native.key(source.text, described) if described is not None else None


def python_after_failure(spec, exc: Exception, name: str, python_call):
    """The compiled code raised: the Python version answers (its own error, located, or the result).
    A helper's NeedsPython depends on the values (a round() near a half): that call only; anything else
    the Python version answers without error stays Python for these argument types."""
    result = python_call()
    value_dependent = type(exc).__name__ == "NeedsPython"
    if not spec.warned or not value_dependent:
        spec.warned = True
        complaint, _ = numba_complaint(exc, "")
        scope = "this call and others like it" if value_dependent else "these argument types from now on"
        warn_fallback(name, spec.signature, f"{scope}: the compiled code raised {type(exc).__name__}: {complaint}",
                      "", "")
    spec.python = not value_dependent
    return result


def _keep_ready(program, python_function, ordered: tuple, source) -> None:
    """Keep `source`, the module numba compiled after a retry, as the numba-ready entry for this program and
    these arguments (in place of the first text ready_module kept)."""
    ready_key = ready_cache.key(program, ordered) if ready_cache.enabled() else None
    if ready_key is not None:
        ready_cache.store(ready_key, source, python_function)


def ready_module(program, python_function, ordered: tuple):
    """numba_module's answer, read from the disk (jit/ready_cache.py) where a process kept it and the native
    library kept for it loads: a process that runs that library then derives no text at all. Otherwise
    derived, and kept for the next process."""
    ready_key = ready_cache.key(program, ordered) if ready_cache.enabled() else None
    if ready_key is not None:
        kept = ready_cache.load(ready_key, python_function)
        if kept is not None:
            native_key = _native_key(kept, ordered)
            if kept.refusal is None and native_key is not None and native.load(native_key) is not None:
                return kept
    source = numba_module(program, python_function, ordered)
    if ready_key is not None and source.refusal is None:
        ready_cache.store(ready_key, source, python_function)
    return source


def numba_module(program, python_function, ordered: tuple, fuse: bool = True, peel: frozenset = frozenset()):
    """The numba-ready module for these arguments: the stacks that numba types as numbers (in a variant
    with stacks as plain variables) preallocated as arrays, the others typed lists; runs of elementwise
    array statements fused into loops; calls to other Python functions call their compiled gradients
    (compiled_callee); the loops carrying the names in `peel` peeled (jit/peel.py)."""
    source, dtypes = numba_ready(program.source, python_function, callees=compiled_callee, peel=peel), None
    if source.refusal is None and source.stacks:
        from ..jit.compiler import stack_dtypes
        dtypes = stack_dtypes(source, lambda: numba_ready(program.source, python_function, for_typing=True,
                                                          callees=compiled_callee, peel=peel), ordered)
        if dtypes:
            source = numba_ready(program.source, python_function, dtypes, callees=compiled_callee, peel=peel)
    if fuse and source.refusal is None and _has_arrays(ordered):
        # which names are arrays comes from the arguments, by a walk over the module (jit/ranks.py): typing
        # it with numba compiled the array versions of np.sum and the ufuncs, which the fused loop does not call
        from ..jit.ranks import module_kinds
        kinds = module_kinds(source.text, source.name, source.parameters, ordered)
        if any(kind[0] == "array" for kind in kinds.values()):
            fused = numba_ready(program.source, python_function, dtypes or None, kinds=kinds,
                                describe=_user_lines(program), callees=compiled_callee, peel=peel)
            if fused.refusal is None:
                source = fused
    return source


_CALLEES: dict = {}      # (helper, argument count, active, helpers calling it) -> compiled_callee's answer


def compiled_callee(callee, count: int, active: tuple, _calling=()):
    """(module, name, guards) of the compiled gradient of `callee`, called from compiled code with `count`
    positional arguments, differentiated at the positions `active`; or a string saying why it cannot be.
    The gradient is the general one (valid for arguments of any kind: numba specializes it on the types
    that reach it), rewritten by numba_ready like any other, its own helper calls included."""
    key = (callee, count, active, _calling)
    found = _CALLEES.get(key)
    if found is not None and (isinstance(found, str) or _holds(found[2])):
        return found
    found = _CALLEES[key] = _compile_callee(callee, count, active, _calling)
    return found


def callee_refusal(callee, count, calling, as_python: str) -> str | None:
    """Why a helper called with `count` positional arguments cannot be compiled ahead of its call (None when
    it can): `as_python` says what runs instead ("the runtime helper `call_forward` runs its gradient")."""
    name = getattr(callee, "__qualname__", repr(callee))
    inline = "; write the called code inline to compile it"
    if type(callee) is not types.FunctionType or callee.__closure__ or callee.__dict__:
        return f"a call to {name}, which is not a plain module-level function ({as_python} as Python){inline}"
    if callee in calling:
        return f"a recursive call to {name} (compiled helpers are compiled ahead of their calls){inline}"
    parameters = list(inspect.signature(callee).parameters.values())
    if len(parameters) != count or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                                       for p in parameters):
        return (f"a call to {name} that leaves parameters to their defaults, or a helper taking keyword-only "
                f"or variable arguments ({as_python} as Python){inline}")
    return None


def _compile_callee(callee, count, active, calling):
    refusal = callee_refusal(callee, count, calling, "the runtime helper `call_forward` runs its gradient")
    if refusal is not None:
        return refusal
    name = getattr(callee, "__qualname__", repr(callee))
    try:
        gradient = GradientFunction(callee, wrt=active)
    except Exception as exc:                   # the caller's own transform reports it where it matters
        return f"a call to {name}, whose gradient cannot be made ahead of the call ({type(exc).__name__}: {exc})"
    source = numba_ready(gradient.source, gradient.generated_function, split=True,
                         callees=functools.partial(compiled_callee, _calling=(*calling, callee)))
    if source.refusal is not None:
        construct, line = source.refusal
        return f"{construct}, in the gradient of the called {name} (its generated line: {line.strip()})"
    from ..jit.compiler import load_callee
    module = load_callee(source, f"{callee.__module__}.{name}")
    ready_cache.CALLEES[module] = (callee, source.text)      # so a caller's kept text can name what it calls
    return module, source.name, source.guards


def _has_arrays(values) -> bool:
    return any(isinstance(v, np.ndarray) for v in values)


def _user_lines(program):
    """statements -> "lines a-b of file.py", the user's lines they come from (for a fused loop's comment)."""
    def describe(statements) -> str:
        numbers, file = [], ""
        for stmt in statements:
            found = re.search(r'File "([^"]*)", line (\d+)', user_location(program, ast.unparse(stmt)))
            if found:
                file = os.path.basename(found.group(1))
                numbers.append(int(found.group(2)))
        if not numbers:
            return ""
        low, high = min(numbers), max(numbers)
        return f"line {low} of {file}" if low == high else f"lines {low}-{high} of {file}"
    return describe


def _key(args, kwargs):
    types = tuple(map(type, args))
    if all(t in _NUMBER_TYPES for t in types) and not kwargs:
        return types
    parts = tuple(_value_key(a) for a in args)
    if kwargs:
        parts += tuple((k, _value_key(v)) for k, v in sorted(kwargs.items()))
    return parts


def _value_key(value):
    if isinstance(value, np.ndarray):
        flags = value.flags         # numba types read-only and unaligned arrays apart, so must a native library
        return (np.ndarray, value.dtype.str, value.ndim, flags.c_contiguous, flags.f_contiguous, flags.writeable,
                flags.aligned)
    return type(value)


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array of rank {value.ndim}"
    return type(value).__name__


def _refused_argument(g, args, kwargs) -> str:
    """Arguments the compiled code does not take (their Python results would differ or not compile)."""
    for value in (*args, *kwargs.values()):
        if type(value) in (bool, np.bool_) or isinstance(value, np.ndarray) and value.dtype == np.bool_:
            # NumPy computes np.sin(True) in float16, numba in float32: the results differ
            return "a bool argument: NumPy and numba pick different float types for bool arithmetic"
        if isinstance(value, np.ndarray):
            if value.dtype not in (np.float64, np.int64, np.int32):
                return (f"a {value.dtype} array argument: numba promotes {value.dtype} arithmetic differently "
                        "from NumPy; pass float64 for compiled code")
        elif type(value) not in _NUMBER_TYPES:
            return (f"a {type(value).__name__} argument: compiled code takes numbers and float64 arrays; "
                    "pass arrays instead of lists, tuples, dicts or objects")
    return ""


def _parameters(program, python_function) -> tuple[str, ...]:
    """The generated function's parameters in order, keyword-only ones (the seed) included: the order
    numba_ready makes them all positional in."""
    return tuple(inspect.signature(python_function).parameters)


def _binder(signature: inspect.Signature, order: tuple[str, ...]):
    def bind(args, kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = bound.arguments
        return tuple(arguments[name] for name in order)
    return bind


def _finite(grads) -> bool:
    """Whether the float gradients among `grads` are finite (arrays are NumPy's business, nan and all)."""
    for v in grads:
        if type(v) is float and not v - v == 0.0:
            return False
    return True


def _holds(guards) -> bool:
    for holder, name, value in guards:
        current = holder.cell_contents if name is None else holder.get(name, _ABSENT)
        if current is not value:
            return False
    return True
