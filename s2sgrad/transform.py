"""The pipeline, stage by stage: source -> SSA -> analyses -> reverse sweep -> tape -> code.

`prepare` runs the stages that depend only on the function (reading, parsing,
normalizing, checking every operation has a rule), so errors surface when
`grad` is applied. `build_gradient` runs the rest for one specialization: which
inputs are differentiated and which arguments are known to be scalars.
"""
from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass

import gast

from .analysis.activity import varied_names
from .analysis.dataflow import assigned_names, assignments
from .analysis.kinds import scalar_names
from .analysis.primitives import PrimitiveResolver
from .codegen.loader import load_function
from .codegen.printer import render_function, unparse
from .optimize import propagate_copies_in_loops
from .reverse.adjoint_names import AdjointNames
from .reverse.emitter import ReverseEmitter
from .reverse.recording import insert_tape
from .reverse.templates import Bindings
from .errors import S2SGradError, TransformError
from .rules import DEFAULT_RULES
from .source import FunctionSource, read_function
from .ssa import ast_build as build
from .ssa.normalize import SSAFunction, normalize


@dataclass
class Prepared:
    """A function read, normalized and checked: the input of every specialization."""

    source: FunctionSource
    ssa: SSAFunction
    rules: object

    @property
    def ssa_source(self) -> str:
        return unparse(self.ssa.tree) + "\n"


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


def prepare(fn, rules=DEFAULT_RULES) -> Prepared:
    src = read_function(fn)
    with _reported_as_bug(src):
        return _prepare(src, rules)


@contextlib.contextmanager
def _reported_as_bug(src):
    """Unexpected exceptions become a TransformError naming the user's function, not a deep traceback."""
    try:
        yield
    except S2SGradError:
        raise
    except Exception as exc:
        where = f"{src.filename}:{src.line_offset + 1}"
        raise TransformError(
            f"s2sgrad failed to transform {src.function.__qualname__} ({where}): "
            f"{type(exc).__name__}: {exc}. This is a bug in s2sgrad; please report it with the function's "
            "source. Meanwhile, rewriting the line the traceback below points at may avoid it."
        ) from exc


def _prepare(src, rules) -> Prepared:
    ssa = normalize(src)
    resolver = _resolver(src, ssa, rules)
    for stmt in assignments(ssa.body):      # every operation must have a rule: fail now, not at call time
        resolver.resolve(stmt.value, stmt)
    return Prepared(src, ssa, rules)


def build_gradient(prepared: Prepared, wrt: tuple[str, ...], scalar_params=frozenset(),
                   scalar_sequences=frozenset()) -> GradientProgram:
    with _reported_as_bug(prepared.source):
        return _build_gradient(prepared, wrt, scalar_params, scalar_sequences)


def _build_gradient(prepared, wrt, scalar_params, scalar_sequences) -> GradientProgram:
    src = prepared.source
    ssa = copy.deepcopy(prepared.ssa)            # emission inserts tape operations into the forward code
    ssa.source = src
    namer = ssa.namer
    resolver = _resolver(src, ssa, prepared.rules)
    resolve = resolver.resolve
    varied = varied_names(ssa.body, list(wrt), resolve)
    scalars = scalar_names(ssa.body, set(scalar_params), resolve, set(scalar_sequences))
    user_names = {n.id for n in gast.walk(src.tree) if isinstance(n, gast.Name)}
    bindings = Bindings(namer, user_names, src.globals)
    adjoints = AdjointNames(namer)
    for name in wrt:                             # parameters' adjoints get the plain names first
        adjoints(name)
    emitter = ReverseEmitter(ssa, resolve, varied, scalars, adjoints, bindings)
    output = ssa.output
    reverse, seed = emitter.emit(output, list(wrt))
    tape = insert_tape(emitter, reverse, namer)
    forward = ssa.body[:-1]
    output_label = gast.unparse(output).strip()
    if tape:
        forward.insert(0, build.assign(tape, gast.List(elts=[], ctx=gast.Load())))
    if isinstance(output, gast.Name) and output.id in _stores(reverse):
        # the reverse sweep restores recorded values, the output among them: keep the result
        value = namer.claim("value")
        forward.append(build.assign(value, output))
        output = build.load(value)
    name = namer.claim(f"grad_{src.name}")
    grads = [build.load(adjoints(w)) for w in wrt]
    returns = build.tuple_of([output, build.tuple_of(grads)])
    propagate_copies_in_loops(reverse, read_after=[returns])
    text = render_function(
        name, ssa.tree.args, {seed: 1.0},
        [("forward sweep: one operation per line", forward),
         (f"reverse sweep: d<name> holds d{output_label}/d<name>", reverse)],
        returns,
    )
    label = f"{src.function.__module__}.{src.function.__qualname__}.grad"
    fn = load_function(text, name, src.function, bindings.objects, {seed: 1.0}, label)
    return GradientProgram(prepared, tuple(wrt), frozenset(scalar_params), name, text, seed, fn)


def _stores(stmts) -> set[str]:
    return {n.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _resolver(src, ssa, rules) -> PrimitiveResolver:
    local = set(ssa.params) | assigned_names(ssa.body)
    return PrimitiveResolver(src, rules, local)
