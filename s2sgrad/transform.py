"""The pipeline, stage by stage: source -> SSA -> analyses -> reverse sweep -> tape -> code.

`prepare` runs the stages that depend only on the function (reading, parsing,
normalizing, checking every operation has a rule), so errors surface when
`grad` is applied. `build_gradient` runs the rest for one specialization: which
inputs are differentiated and which arguments are known to be scalars.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import threading
import types
from dataclasses import dataclass, field

import gast
import numpy as np

from .analysis.activity import useful_names, varied_names
from .analysis.array_attributes import refuse_array_attributes
from .analysis.container_methods import refuse_container_methods_as_values
from .analysis.dataflow import assigned_names, assignments
from .analysis.free_numbers import free_reads
from .analysis.defaults import refuse_defaults_carrying_derivatives
from .analysis.kinds import container_names, read_helpers_with, scalar_names
from .analysis.list_operands import convert_number_lists
from .analysis.primitives import PrimitiveResolver
from .analysis.escaping_closures import refuse_escaping_closures
from .analysis.refusals import refuse_derivatives_into
from .analysis.sequence_arithmetic import mark_sequence_arithmetic
from .analysis.resolve import recording_resolutions, resolutions_hold
from .analysis.shapes import in_place_candidates, parameter_facts, value_facts
from .codegen import source_cache, summary_cache
from .codegen.loader import load_function
from .codegen.printer import render_function, unparse
from .forward.emitter import ForwardEmitter, tangent_name, tangent_suffix
from .ir import Function as IRFunction, Operation, lower
from .ir.copying import copy_program
from .optimize import accumulate_in_place, coalesce_carries, propagate_copies_in_loops, release_dead_values
from .optimize.buffers import Layout, reuse_dying_buffers
from .optimize.loop_adjoints import fold_loop_temporaries, hoist_shared_branch_statements
from .reverse.adjoint_names import AdjointNames
from .reverse.emitter import ReverseEmitter
from .reverse.nan_checks import insert_nan_checks
from .reverse.recording import insert_tape
from .reverse.templates import Bindings, bind_arguments, local_names
from .collection_pause import collection_paused
from .deep_expressions import with_room_for_deep_expressions
from .errors import S2SGradError, TransformError, UnsupportedConstructError
from .rules import DEFAULT_RULES, Rule
from .runtime import shaped
from .source import FunctionSource, read_function
from .source.variadic import bind_call_shape
from .ssa import ast_build as build
from .ssa.normalize import SSAFunction, normalize


@dataclass
class Prepared:
    """A function read, normalized and checked: the input of every specialization."""

    source: FunctionSource
    ssa: SSAFunction
    ir: IRFunction                                    # the same function, each operation resolved to its entry
    rules: object
    programs: dict = field(default_factory=dict)      # (wrt, kinds, has_aux) -> GradientProgram
    resolutions: dict = field(default_factory=dict)   # dotted name -> the object it denoted when prepared
    checked: set = field(default_factory=set)         # (wrt, has_aux) that check() found nothing refused for
    real_values: dict = field(default_factory=dict)   # wrt -> whether a value may be complex with real arguments
    active_names: dict = field(default_factory=dict)  # wrt -> the names carrying derivatives, found by check()
    summary_key: str | None = None                    # its summary on disk (codegen/summary_cache.py), if any

    def __getattr__(self, name):
        # a preparation made from a summary reads the function only when something needs its code
        complete = self.__dict__.get("_complete")
        if complete is None or name not in ("source", "ssa", "ir"):
            raise AttributeError(name)
        full = complete()
        self.source, self.ssa, self.ir = full.source, full.ssa, full.ir
        self.__dict__.pop("_complete", None)
        return getattr(self, name)

    @property
    def function(self):
        """The function this transformation was made from (its globals, cells and defaults)."""
        found = self.__dict__.get("_function")
        return found if found is not None else self.source.function

    @functools.cached_property
    def lifted(self) -> tuple:
        return getattr(self.source, "lifted", ())     # closure variables turned parameters

    @functools.cached_property
    def free_names(self) -> tuple:
        return free_reads(self.ssa)     # names read from outside: which hold numbers is per call

    @functools.cached_property
    def user_names(self) -> set:
        return _user_names(self.source)

    @functools.cached_property
    def cache_description(self) -> str | None:
        return source_cache.function_description(self)

    def serves(self, fn) -> bool:
        """Whether this transformation is right for `fn`, which has the same code: the same module globals,
        and every name resolved while preparing still denotes the same object."""
        return fn.__globals__ is self.function.__globals__ \
            and resolutions_hold(self.resolutions, fn, self.rules)

    def remember(self) -> None:
        """Write what a gradient's first call read of this preparation to its summary on disk, so that a
        new process finding its code in the source cache does not prepare the function again."""
        if self.summary_key is None or "_complete" in self.__dict__ or self.cache_description is None:
            return          # none (see _prepare_checked); a summary's own, nothing new; or undescribable
        state = (len(self.checked), len(self.real_values))
        if self.__dict__.get("_remembered") == state:
            return
        self._remembered = state
        resolutions = summary_cache.describe(self.resolutions)
        if resolutions is not None:
            summary_cache.store(self.summary_key, {
                "resolutions": resolutions, "lifted": list(self.lifted), "free": list(self.free_names),
                "user_names": sorted(self.user_names), "description": self.cache_description,
                "checked": [[list(wrt), has_aux] for wrt, has_aux in self.checked],
                "real_values": [[list(wrt), value] for wrt, value in self.real_values.items()]})

    @property
    def ssa_source(self) -> str:
        return unparse(self.ssa.tree) + "\n"

    def check(self, wrt, has_aux=False) -> None:
        """Raise now what differentiating with respect to `wrt` refuses whatever the arguments' kinds
        (a set or a default carrying derivatives, ...): grad(f) fails when applied, while the code itself
        is generated per kind of call, at the first call of each. Checked once per (wrt, has_aux)."""
        key = (tuple(wrt), has_aux)
        if key in self.checked:
            return
        if has_aux:     # splitting the auxiliary output adds statements: to a copy
            ssa, ir = _specialization_copy(self)
        else:           # the analyses only read
            ssa, ir = self.ssa, self.ir
        with _reported_as_bug(self.source):
            _, active = with_room_for_deep_expressions(lambda: _checked_activity(self, ssa, ir, wrt, has_aux),
                                                       lambda: f"the gradient of {self.source.name}")
        if not has_aux:         # the same names in every copy the specializations make
            self.active_names[tuple(wrt)] = frozenset(active)
        self.checked.add(key)

    def program(self, wrt, scalar_params=frozenset(), scalar_sequences=frozenset(), containers=frozenset(),
                arrays=frozenset(), has_aux=False, debug_nans=False, shapes=()) -> "GradientProgram":
        """`shapes`: ((parameter, shape, dtype), ...) of the NumPy arrays a shape-specialized program is
        for (analysis/shapes.py); () for the shape-generic one."""
        key = (wrt, scalar_params, scalar_sequences, containers, arrays, has_aux) + (("debug_nans",) * debug_nans) \
            + ((("shapes",) + tuple(shapes)) if shapes else ())
        program = self.programs.get(key)
        if program is None:
            program = self.programs[key] = build_gradient(
                self, wrt, scalar_params, scalar_sequences, containers, has_aux, release=bool(arrays),
                debug_nans=debug_nans, shapes=tuple(shapes), arrays=arrays)
        return program


@dataclass
class GradientProgram:
    """One generated gradient function and what it was generated for."""

    prepared: Prepared
    wrt: tuple[str, ...]
    scalar_params: frozenset
    name: str
    source: str
    seed: str
    function: object
    make_recording: object = field(default=None, repr=False)     # () -> the recording program, built on demand

    @functools.cached_property
    def recording(self) -> "GradientProgram":
        """The same gradient as a generator, for calls from other generated code (runtime/calls.py):
        it runs the forward sweep, yields the value, receives the result's adjoint (`d<out> = yield out`)
        and returns (value, gradients). Its paused frame is the call's record."""
        return self.make_recording()


class _PreparedCache:
    """Transformations by code object, reused only where the names they resolved mean the same.

    A second grad(f) of an unchanged f does not re-transform. A redefined
    function has a new code object, so an edited helper is transformed afresh;
    registering a rule changes the table's version, which is part of the key.
    Functions that share a code object (closures from one factory, defs in a
    loop) may resolve a name to different objects through their closure cells
    or globals: each entry keeps the resolutions it was made with
    (`Prepared.resolutions`), and serves only functions whose names still
    denote those objects; otherwise the function is transformed again and
    becomes one more candidate for its key. A function not kept in memory is
    first looked for among the summaries on disk (`_from_summary`): in a new
    process whose generated code is in the source cache, a gradient is then
    made and called without reading the function.
    """

    CANDIDATES = 8          # transformations kept per key (a factory called with many different callables)

    def __init__(self):
        self._entries: dict = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, fn, rules, lift_closure, call_shape=None) -> Prepared:
        # which closure variables are lifted depends on what the cells hold: part of the key; lifting none
        # is not lifting (a module-level helper: its caller's analysis and its own gradient share one)
        lifted = _lifted_names(fn) if lift_closure else ()
        key = (fn.__code__, lifted, id(rules), rules.version) + ((call_shape,) if call_shape is not None else ())
        with self._lock:
            candidates = list(self._entries.get(key, ()))
        for entry in candidates:        # outside the lock: resolving a name may run the user's code
            if entry.serves(fn):
                with self._lock:
                    self.hits += 1
                return entry
        prepared = _from_summary(fn, rules, lift_closure, call_shape)
        if prepared is None:
            prepared = _prepare_checked(fn, rules, lift_closure, call_shape)
        with self._lock:
            self.misses += 1
            candidates = self._entries.setdefault(key, [])
            candidates.append(prepared)
            del candidates[:-self.CANDIDATES]
        return prepared

    def transformations(self) -> list:
        """Every transformation kept (to find which one generated a given code object)."""
        with self._lock:
            return [entry for candidates in self._entries.values() for entry in candidates]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


PREPARED = _PreparedCache()


def prepare(fn, rules=DEFAULT_RULES, lift_closure: bool = False, call_shape=None) -> Prepared:
    """Read, normalize and check `fn` (cached). With lift_closure, its closure variables become
    keyword-only parameters, so gradients can flow into them and one transformation serves every
    closure made from the same code. With a `call_shape` (source/variadic.py), `*args` and `**kwargs`
    become one parameter per value the call passes there, so derivatives can flow through them."""
    return PREPARED.get(fn, rules, lift_closure, call_shape)


read_helpers_with(prepare)       # kinds: a helper's result is a number when its own analysis says so


def _prepare_checked(fn, rules, lift_closure, call_shape) -> Prepared:
    with collection_paused():
        prepared = with_room_for_deep_expressions(lambda: _prepare_uncached(fn, rules, lift_closure, call_shape),
                                                  lambda: f"s2sgrad cannot transform {fn.__qualname__}")
    if source_cache.enabled() and prepared.function is fn:     # not a function read through its decorator
        prepared.summary_key = summary_cache.summary_key(fn, rules, prepared.lifted, call_shape)
    return prepared


def _prepare_uncached(fn, rules, lift_closure, call_shape=None) -> Prepared:
    with recording_resolutions() as resolutions:      # what the transformation's result depends on
        src = read_function(fn)
        if call_shape is not None:
            bind_call_shape(src, call_shape)
        if lift_closure:
            _lift_closure(src)
        else:
            src.lifted = ()
        with _reported_as_bug(src):
            prepared = _prepare(src, rules)
    prepared.resolutions = resolutions
    prepared._function = src.function      # fn, or the function its decorator wraps (source/decorated.py)
    return prepared


def _from_summary(fn, rules, lift_closure, call_shape) -> Prepared | None:
    """The preparation of `fn` from its summary on disk (codegen/summary_cache.py), which reads the function
    only when something needs its code; None unless the summary exists and every name it resolved still
    denotes the object it did (a rebound name, an edited file or callee, another rule table: a miss)."""
    if not source_cache.enabled():
        return None
    lifted = _lifted_names(fn) if lift_closure else ()
    key = summary_cache.summary_key(fn, rules, lifted, call_shape)
    data = summary_cache.load(key) if key is not None else None
    if data is None or tuple(data["lifted"]) != lifted or not resolutions_hold(data["resolutions"], fn, rules):
        return None
    prepared = Prepared.__new__(Prepared)       # source, ssa and ir: read on demand (Prepared.__getattr__)
    for known in dataclasses.fields(Prepared):
        if known.default_factory is not dataclasses.MISSING:
            prepared.__dict__[known.name] = known.default_factory()
        elif known.default is not dataclasses.MISSING:
            prepared.__dict__[known.name] = known.default
    prepared.__dict__.update(
        rules=rules, resolutions=data["resolutions"], summary_key=key, _function=fn,
        checked={(tuple(wrt), has_aux) for wrt, has_aux in data["checked"]},
        real_values={tuple(wrt): value for wrt, value in data["real_values"]},
        lifted=lifted, free_names=tuple(data["free"]), user_names=set(data["user_names"]),
        cache_description=data["description"],
        _complete=lambda: _prepare_checked(fn, rules, lift_closure, call_shape))
    return prepared


def _lift_closure(src: FunctionSource) -> None:
    """Closure variables holding data become keyword-only parameters; modules, functions and classes
    stay closure references (`np.sum(B)` must still resolve np to NumPy)."""
    free = _lifted_names(src.function)
    args = src.tree.args
    for name in free:
        args.kwonlyargs.append(gast.Name(id=name, ctx=gast.Param(), annotation=None, type_comment=None))
        args.kw_defaults.append(None)
    src.lifted = tuple(free)


def _lifted_names(fn) -> tuple[str, ...]:
    cells = zip(fn.__code__.co_freevars, fn.__closure__ or ())
    return tuple(name for name, cell in cells if _holds_data(cell))


@contextlib.contextmanager
def _reported_as_bug(src):
    """Unexpected exceptions become a TransformError naming the user's function, not a deep traceback.
    `src`: its FunctionSource, or a function giving it (a preparation from a summary reads it only then)."""
    try:
        yield
    except S2SGradError:
        raise
    except Exception as exc:
        src = src() if callable(src) else src
        where = f"{src.filename}:{src.line_offset + 1}"
        raise TransformError(
            f"s2sgrad failed to transform {src.function.__qualname__} ({where}): "
            f"{type(exc).__name__}: {exc}. This is a bug in s2sgrad; please report it with the function's "
            "source. Meanwhile, rewriting the line the traceback below points at may avoid it."
        ) from exc


def _holds_data(cell) -> bool:
    try:
        value = cell.cell_contents
    except ValueError:                      # not bound yet: it will hold data, if anything
        return True
    return not (isinstance(value, (types.ModuleType, type)) or callable(value))


def _prepare(src, rules) -> Prepared:
    ssa = normalize(src)
    resolver = _resolver(src, ssa, rules)
    ir = lower(ssa, resolver)               # every operation must have a rule: fail now, not at call time
    resolver.refuse_side_effects_of_call_statements(ssa.body)
    return Prepared(src, ssa, ir, rules)


def _specialization_copy(prepared: Prepared) -> tuple[SSAFunction, IRFunction]:
    """The single-assignment form and its IR, copied together (emission adds statements to the copy;
    the IR's nodes stay the copy's statements, and its table entries stay shared)."""
    ssa, ir = copy_program((prepared.ssa, prepared.ir), shared=[prepared.source])
    return ssa, ir


def build_gradient(prepared: Prepared, wrt: tuple[str, ...], scalar_params=frozenset(),
                   scalar_sequences=frozenset(), containers=frozenset(), has_aux=False,
                   release=False, debug_nans=False, shapes=(), arrays=frozenset()) -> GradientProgram:
    """The gradient program of one specialization; `release` frees arrays after their last use
    (for calls with array arguments: scalar code stays exactly the textbook derivation); `debug_nans`
    checks every value it computes (reverse/nan_checks.py); `arrays`: the parameters passed NumPy arrays."""
    def build():
        with _reported_as_bug(lambda: prepared.source), collection_paused():
            return _build_gradient(prepared, wrt, scalar_params, scalar_sequences, containers, has_aux, release,
                                   debug_nans=debug_nans, shapes=shapes, arrays=arrays)
    return with_room_for_deep_expressions(build, lambda: f"the gradient of {prepared.source.name}")


def reverse_emitter(prepared: Prepared, wrt, scalar_params=frozenset(), scalar_sequences=frozenset(),
                    containers=frozenset(), has_aux=False, shapes=()) -> tuple[ReverseEmitter, gast.expr | None]:
    """The analyses of one specialization and the emitter that applies the rules with them.

    Works on a copy of the single-assignment form (emission inserts tape operations into it), which is
    `emitter.ssa`. Returns the emitter and, with has_aux, the auxiliary output's atom.
    """
    src = prepared.source
    if prepared.ssa.reverse_refusals:       # a gradient's code writing in place, differentiated again (ssa/inplace.py)
        raise UnsupportedConstructError(*prepared.ssa.reverse_refusals[0])
    ssa, ir = _specialization_copy(prepared)
    resolve = ir.resolve
    known = None if has_aux else prepared.active_names.get(tuple(wrt))
    if known is None:
        aux, varied = _checked_activity(prepared, ssa, ir, wrt, has_aux)
    else:                   # check() found them when grad(f) was applied
        aux, varied = None, set(known)
    scalars = scalar_names(ssa.body, set(scalar_params), resolve, set(scalar_sequences), src, ssa.params)
    container_set = container_names(ssa.body, set(containers), resolve) - scalars     # a number is none
    mark_sequence_arithmetic(ir, container_names(ssa.body, set(containers), resolve, src)
                             - scalars, prepared.rules)
    user_names = {n.id for n in build.walk(src.tree) if isinstance(n, gast.Name)}
    bindings = Bindings(ssa.namer, user_names, src.globals, ssa.runtime, local_names(src.tree))
    number_lists = convert_number_lists(ir, ssa, scalars, container_set, varied, prepared.rules, bindings.name_for)
    adjoints = AdjointNames(ssa.namer)
    for name in wrt:                             # parameters' adjoints get the plain names first
        adjoints(name)
    facts = value_facts(ssa.body, parameter_facts(shapes), scalars, resolve, src) if shapes else None
    emitter = ReverseEmitter(ssa, resolve, varied, scalars, adjoints, bindings, container_set, shapes=facts)
    emitter.number_lists = number_lists          # np.f([x, y]) reads np.asarray([x, y]) (analysis/list_operands.py)
    return emitter, aux


def _checked_activity(prepared: Prepared, ssa: SSAFunction, ir: IRFunction, wrt, has_aux):
    """(the auxiliary output's atom or None, the active names) of differentiating `ssa` with respect to
    `wrt`, after the refusals that depend only on which values carry derivatives: the same for every
    kind of argument, so `Prepared.check` runs them once when grad(f) is applied. With has_aux, `ssa`
    and `ir` are split (in place) into the value and the auxiliary output."""
    resolve = ir.resolve
    aux = _split_aux(ssa, ir, _resolver(prepared.source, ssa, prepared.rules)) if has_aux else None
    reached = varied_names(ssa.body, list(wrt), resolve, ssa.closures)
    refuse_defaults_carrying_derivatives(ssa, reached)
    refuse_escaping_closures(ssa, resolve, reached)     # a nested function reading them, passed around
    varied = reached & (useful_names(ssa.body, ssa.output, ssa.closures) | set(wrt))
    _refuse_partials_of_active_values(ssa, resolve, varied)
    refuse_derivatives_into(ssa, resolve, varied)      # a set of values carrying derivatives
    refuse_container_methods_as_values(ssa, varied)    # `get = d.get`: called, it is followed
    _refuse_unbound_rule_calls(ssa, resolve, varied)
    return aux, varied


def _refuse_unbound_rule_calls(ssa, resolve, varied) -> None:
    """A call whose result carries derivatives must bind its arguments to its rule's parameters (no `*`
    spread, no missing argument): both emitters bind them so, whatever the arguments' kinds."""
    for stmt in assignments(ssa.body):
        if isinstance(stmt.targets[0], gast.Name) and stmt.targets[0].id in varied:
            prim = resolve(stmt.value, stmt)
            if isinstance(prim.rule, Rule):
                bind_arguments(prim.rule, prim.args, prim.keywords, ssa.source.location(stmt))


def _build_gradient(prepared, wrt, scalar_params, scalar_sequences, containers, has_aux, release,
                    use_cache=True, debug_nans=False, shapes=(), record_key=None, arrays=frozenset()) -> GradientProgram:
    """`record_key`: where the recording form goes in the source cache when the program itself is not
    looked up there (its text came from the cache, its recording's not)."""
    cache_key = None
    if use_cache and not debug_nans and source_cache.enabled():
        # a new process reuses the code an earlier one generated (codegen/source_cache.py)
        specialization = (tuple(wrt), sorted(scalar_params), sorted(scalar_sequences), sorted(containers),
                          has_aux, release) + ((tuple(shapes),) if shapes else ())
        cache_key = source_cache.key_for(prepared, specialization)
        if cache_key is not None:
            cached = source_cache.load(cache_key, prepared.user_names, prepared.function.__globals__)
            if cached is not None:
                return _cached_gradient(prepared, cached, cache_key, wrt, scalar_params, (
                    wrt, scalar_params, scalar_sequences, containers, has_aux, release), shapes)
    src = prepared.source
    if arrays and not has_aux:          # `x.flat` of an array: refused here, not in the reverse sweep
        refuse_array_attributes(prepared.ir, src, prepared.ir.resolve, arrays,
                                prepared.active_names.get(tuple(wrt), ()))
    emitter, aux = reverse_emitter(prepared, wrt, scalar_params, scalar_sequences, containers, has_aux, shapes)
    ssa, namer, bindings, adjoints = emitter.ssa, emitter.ssa.namer, emitter.bindings, emitter.adjoint
    output = ssa.output
    plan = emitter.emit(output, list(wrt))
    reverse, seed = plan.body, plan.seed
    tape = insert_tape(plan, ssa.body, emitter.resolve, namer)
    forward = ssa.body[:-1]
    output_label = gast.unparse(output).strip()
    if tape:
        forward.insert(0, build.assign(tape, gast.List(elts=[], ctx=gast.Load())))
    if isinstance(output, gast.Name) and output.id in build.stores(reverse):
        # the reverse sweep restores recorded values, the output among them: keep the result
        value = namer.claim("value")
        forward.append(build.assign(value, output))
        output = build.load(value)
    name = namer.claim(f"grad_{src.name}")
    grads = [build.load(adjoints(w)) for w in wrt]
    value = output if aux is None else build.tuple_of([output, aux])
    returns = build.tuple_of([value, build.tuple_of(grads)])
    hoist_shared_branch_statements(reverse)
    propagate_copies_in_loops(reverse, read_after=[returns])
    fold_loop_temporaries(reverse, read_after=[returns])
    coalesce_carries(forward, reverse)
    if emitter.shapes and _no_narrower_floats(shapes):    # shapes known: add into the sweep's arrays in place
        candidates = in_place_candidates(emitter.shapes, emitter.varied, emitter.containers, emitter.adjoint)
        reverse = accumulate_in_place(reverse, candidates, {emitter.helper("zeros_like")})
    if debug_nans:
        forward, reverse = insert_nan_checks(forward, reverse, src.location, emitter.helper("stop_at_nan"))
    if release:
        forward, reverse = _release(forward, reverse, returns, emitter, wrt)
        if shapes:                      # shapes and dtypes known: write results into arrays that die with them
            forward, reverse = _reuse_buffers(forward, reverse, shapes, emitter, src.function)
    text = render_function(
        name, ssa.tree.args, {seed: 1.0},
        [("forward sweep: one operation per line", forward),
         (f"reverse sweep: d<name> holds d{output_label}/d<name>", reverse)],
        returns,
    )
    label = f"{src.function.__module__}.{src.function.__qualname__}.grad"
    fn = load_function(text, name, src.function, bindings.objects, {seed: 1.0}, label)
    if cache_key is not None:
        source_cache.store(cache_key, text, name, seed, bindings.objects)

    def recording() -> GradientProgram:
        # the same statements; the seed arrives through `yield` instead of a parameter
        record_name = namer.claim(f"record_{src.name}")
        receive = gast.Assign(targets=[build.store(seed)], value=gast.Yield(value=output), type_comment=None)
        record_text = render_function(
            record_name, ssa.tree.args, {},
            [("forward sweep: one operation per line", forward),
             ("the caller sends the adjoint of the result", [receive]),
             (f"reverse sweep: d<name> holds d{output_label}/d<name>", reverse)],
            returns,
        )
        record_fn = load_function(record_text, record_name, src.function, bindings.objects, {}, label + ".record")
        if record_key is not None or cache_key is not None:
            source_cache.store(record_key or _recording_key(cache_key), record_text, record_name, seed,
                               bindings.objects)
        return GradientProgram(prepared, tuple(wrt), frozenset(scalar_params), record_name, record_text, seed,
                               record_fn)

    return GradientProgram(prepared, tuple(wrt), frozenset(scalar_params), name, text, seed, fn, recording)


def _cached_gradient(prepared, cached, cache_key, wrt, scalar_params, arguments, shapes=()) -> GradientProgram:
    """A gradient program from the on-disk cache; its recording form (a helper's, runtime/calls.py) too
    where an earlier process generated it, else afresh."""
    function = prepared.function
    label = f"{function.__module__}.{function.__qualname__}.grad"
    fn = load_function(cached.text, cached.name, function, cached.objects, {cached.seed: 1.0}, label)

    def recording() -> GradientProgram:
        record = source_cache.load(_recording_key(cache_key), prepared.user_names, function.__globals__)
        if record is None:
            return _build_gradient(prepared, *arguments, use_cache=False, shapes=shapes,
                                   record_key=_recording_key(cache_key)).recording
        record_fn = load_function(record.text, record.name, function, record.objects, {}, label + ".record")
        return GradientProgram(prepared, tuple(wrt), frozenset(scalar_params), record.name, record.text,
                               record.seed, record_fn)

    return GradientProgram(prepared, tuple(wrt), frozenset(scalar_params), cached.name, cached.text, cached.seed,
                           fn, recording)


def _recording_key(cache_key: str) -> str:
    """The source cache's key of the recording form of the program stored under `cache_key`."""
    return hashlib.sha256(f"{cache_key}:recording".encode()).hexdigest()


def _user_names(src) -> set:
    return {n.id for n in build.walk(src.tree) if isinstance(n, gast.Name)}


def _release(forward, reverse, returns, emitter, wrt):
    """Free non-scalar values after their last use (optimize/release.py); the sections stay apart."""
    scalar = set(emitter.scalars) | {emitter.adjoint(n) for n in emitter.scalars if n in emitter.varied}
    keep = set(wrt) | set(emitter.ssa.params)
    released = release_dead_values(forward + reverse, [returns], keep, scalar)
    split = len(forward)
    count = 0
    for position, stmt in enumerate(released):     # dels that follow a forward statement stay in the forward
        if count == split:
            split = position
            break
        if not isinstance(stmt, gast.Delete):
            count += 1
    else:
        split = len(released)
    return released[:split], released[split:]


def _no_narrower_floats(shapes) -> bool:
    """Whether no argument's dtype is a float narrower or wider than float64, or complex: then a term added
    in place into an adjoint has the adjoint's dtype. Otherwise `dx += term` would cast a float64 term into
    a float32 adjoint where the shape-generic code's `dx + term` gives float64, so the second call's
    gradient would have another dtype than the first's."""
    for _, _, tag in shapes:
        dtype = {"bool": np.dtype(bool), "int": np.dtype(int), "float": np.dtype(float)}.get(tag) \
            if tag in ("bool", "int", "float", "complex") else np.dtype(tag)
        if dtype is None or dtype.kind == "c" or (dtype.kind == "f" and dtype != np.float64):
            return False
    return True


def _reuse_buffers(forward, reverse, shapes, emitter, function):
    """Results written into the arrays of operands that die with them (optimize/buffers.py); the sections
    stay apart (the pass rewrites statements, it neither adds nor removes any)."""
    stmts = forward + reverse
    local = build.stores(stmts) | set(emitter.ssa.params)
    objects, namespace = emitter.bindings.objects, function.__globals__

    def resolve(node):
        if isinstance(node, gast.Name):
            if node.id in local:
                return None
            return objects.get(node.id, namespace.get(node.id))
        if isinstance(node, gast.Attribute):
            held = resolve(node.value)
            return getattr(held, node.attr, None) if isinstance(held, types.ModuleType) else None
        return None

    layouts = {name: Layout(tuple(shape), np.dtype(dtype)) if shape is not None else Layout.of_number(dtype)
               for name, shape, dtype in shapes}
    like_argument = {name: 1 for name, held in objects.items() if held is shaped.spread}
    reuse_dying_buffers(stmts, layouts, resolve, emitter.bindings.name_for("np", np), like_argument)
    return stmts[:len(forward)], stmts[len(forward):]


def _refuse_partials_of_active_values(ssa, resolve, varied) -> None:
    """functools.partial(f, w) with w carrying derivatives would hide w from the reverse sweep."""
    for stmt in assignments(ssa.body):
        prim = resolve(stmt.value, stmt)
        if prim.key is functools.partial:
            bound = [a for a in [*prim.args[1:], *prim.keywords.values()] if isinstance(a, gast.Name)]
            if any(a.id in varied for a in bound):
                raise UnsupportedConstructError(
                    "functools.partial binding a value that carries derivatives", ssa.source.location(stmt),
                    "call the function with that value as an argument, or use a nested def reading it")


def _split_aux(ssa, ir, resolver) -> gast.expr:
    """For has_aux: the function returns (value, aux); differentiate the value, pass aux through."""
    output = ssa.output
    for stmt in ssa.body:
        if isinstance(stmt, gast.Assign) and isinstance(stmt.targets[0], gast.Name) \
                and isinstance(output, gast.Name) and stmt.targets[0].id == output.id \
                and isinstance(stmt.value, gast.Tuple) and len(stmt.value.elts) >= 2:
            elts = stmt.value.elts
            ssa.output = elts[0]
            return elts[1] if len(elts) == 2 else build.tuple_of(elts[1:])
    value, aux = ssa.namer.claim("value"), ssa.namer.claim("aux")
    position = len(ssa.body) - 1
    for name, index in ((value, 0), (aux, 1)):
        element = gast.Subscript(value=output, slice=build.const(index), ctx=gast.Load())
        stmt = build.assign(name, element)
        ssa.body.insert(position, stmt)
        ir.append(Operation(name, resolver.resolve(element, stmt), stmt))
        position += 1
    ssa.output = build.load(value)
    return build.load(aux)




def _all_parameters(args: gast.arguments) -> list[str]:
    return [a.id for a in [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg] if a is not None]


def _resolver(src, ssa, rules) -> PrimitiveResolver:
    local = set(ssa.params) | assigned_names(ssa.body)
    return PrimitiveResolver(src, rules, local, ssa.runtime)


@dataclass
class TangentProgram:
    """One generated forward-mode function: `jvp_f(*args, *, x_dot=...) -> (value, tangent of the value)`."""

    prepared: Prepared
    wrt: tuple[str, ...]
    name: str
    source: str
    tangents: tuple[str, ...]          # the keyword parameters that take the inputs' tangents, in wrt order
    function: object


def build_tangent_program(prepared: Prepared, wrt: tuple[str, ...], scalar_params=frozenset(),
                          scalar_sequences=frozenset(), containers=frozenset(), arrays=frozenset()) -> TangentProgram:
    """Forward mode for one specialization: the primal statements with their tangents interleaved (`arrays`:
    the parameters passed NumPy values)."""
    with _reported_as_bug(prepared.source), collection_paused():
        src = prepared.source
        ssa, ir = _specialization_copy(prepared)
        resolve = ir.resolve
        reached = varied_names(ssa.body, list(wrt), resolve, ssa.closures)
        refuse_defaults_carrying_derivatives(ssa, reached)
        refuse_escaping_closures(ssa, resolve, reached)
        # a gradient's code writing where the in-place checks would refuse (ssa/inplace.py): views may see it
        aliased = bool(ssa.reverse_refusals)
        varied = reached & (useful_names(ssa.body, ssa.output, ssa.closures, aliased) | set(wrt))
        refuse_derivatives_into(ssa, resolve, varied)      # a set of values carrying derivatives
        refuse_container_methods_as_values(ssa, varied)
        if arrays:      # `x.compress(m)` of an array: a method without a rule (a field's tangent is its field's)
            refuse_array_attributes(ir, src, resolve, arrays, varied, fields=False)
        scalars = scalar_names(ssa.body, set(scalar_params), resolve, set(scalar_sequences), params=ssa.params)
        maybe_sequences = container_names(ssa.body, set(containers), resolve, src) - scalars
        mark_sequence_arithmetic(ir, maybe_sequences, prepared.rules)
        user_names = {n.id for n in build.walk(src.tree) if isinstance(n, gast.Name)}
        bindings = Bindings(ssa.namer, user_names, src.globals, ssa.runtime, local_names(src.tree))
        convert_number_lists(ir, ssa, scalars, maybe_sequences, varied, prepared.rules, bindings.name_for)  # np.f([x])
        # code forward mode wrote has `x_dot` names already: its own tangents are then `x_dot2`
        suffix = tangent_suffix({n.id for n in build.walk(ssa.tree) if isinstance(n, gast.Name)})
        tangent_params = tuple(tangent_name(w, suffix) for w in wrt)
        for name in tangent_params:
            ssa.namer.reserve(name)
        emitter = ForwardEmitter(ir, src, varied, scalars, bindings, suffix)
        # a parameter outside wrt that a loop carries (a gradient's seed, say) enters with tangent zero
        entering = [build.assign(tangent_name(p, suffix), emitter.zero(p)) for p in _all_parameters(ssa.tree.args)
                    if p in varied and p not in wrt]
        body = entering + emitter.block(ir.body)
        output = ssa.output
        if isinstance(output, gast.Name) and output.id in varied:
            out_tangent = build.load(tangent_name(output.id, suffix))
        else:
            out_tangent = build.call(emitter.helper("zeros_like"), output)
        name = ssa.namer.claim(f"jvp_{src.name}")
        text = render_function(
            name, ssa.tree.args, {t: 0.0 for t in tangent_params},
            [(f"forward mode: <name>{suffix} holds the tangent of <name> along the inputs' tangents", body)],
            build.tuple_of([output, out_tangent]),
        )
        label = f"{src.function.__module__}.{src.function.__qualname__}.jvp"
        fn = load_function(text, name, src.function, bindings.objects, {t: 0.0 for t in tangent_params}, label)
        return TangentProgram(prepared, tuple(wrt), name, text, tangent_params, fn)
