"""Random programs of everyday Python, in reverse and forward mode (issue 11).

The generator of test_control_flow.py (programs.py, harness.py) with every everyday construct on:
- helpers behind `functools.wraps` decorators that scale, count their calls or log (module_state.py):
  the gradient is the decorated function's;
- helpers drawing from a module-level `RandomState` or `default_rng`: the gradient must be taken at
  the draws of the value. Every evaluation starts from one fixed generator state (module_state.reseed),
  so the expected gradient is central differences at the same draws;
- attributes of module-level records (a SimpleNamespace, a frozen dataclass, a namedtuple), a
  module-level dict iterated by key, dict literals iterated by `for key in d`, `.items()`, `.keys()`
  and `.values()`, builtin max/min/sorted/len/abs/sum over lists and generators, nested comprehensions;
- nested defs that count their calls (module_state.TICKS): one gradient call, like one jvp call, must
  draw and count exactly as one plain call does (harness.once_per_call);
- nested defs that append to a list or bump a `nonlocal` counter of the enclosing function whose
  effect feeds the result, and a helper caching in a module-level dict: s2sgrad refuses these today.
  Such a program (Program.refusable) may be refused, only with an UnsupportedConstructError naming
  its line; any other program must be differentiated, and a refusable one that is not refused must
  be right.
Each program runs through grad (harness.check_programs: check_grad at the value's draws, the general
generated function, once per call) and through jvp: its value, its tangent against the vetted central
differences contracted with a random tangent, <J t, c> = <t, J^T c> against vjp, and once per call.
"""
from __future__ import annotations

import dataclasses
import math
import os
import random
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError, numeric_grad

from ..property_outcome import Outcome, refusal
from .harness import (EPS, Call, Tracer, check_programs, effects_of, load_module, load_programs, once_per_call,
                      reseeded, summary)
from .programs import MODULE_HEADER, Program, ProgramGenerator
from .test_control_flow import FEATURES as CONTROL_FLOW_FEATURES
from .test_forward_mode import ATOL, RTOL, checked_point, positional_source

FEATURES = dataclasses.replace(CONTROL_FLOW_FEATURES, collections=True, everyday=True, everyday_weight=20,
                               side_effects=True)
# every kind of construct must be reached by programs that were checked, not refused
CONSTRUCTS = {
    "a decorated helper": ("twice(", "counted_square(", "logged_mix("),
    "a helper drawing random numbers": ("noisy(", "jitter("),
    "an attribute of a module-level record": ("NS.", "SETTINGS.", "LIMITS."),
    "a module-level dict iterated by key": ("WEIGHTS",),
    "a builtin reduction over a list or generator": ("max([", "sorted(", "min(_e", "min([", "sum(abs("),
    "a dict iterated by items, values or key": (".items()", ".values()", "for key in"),
    "a nested def counting its calls": ("next(TICKS)",),
}
# 100 programs; S2SGRAD_PROPERTY_SCALE=N runs N times as many (new seeds) for a longer bug hunt
BATCHES = 1 * int(os.environ.get("S2SGRAD_PROPERTY_SCALE", "1"))
PER_BATCH = 100


def _programs(batch: int) -> tuple[str, list[Program]]:
    seed = f"everyday/{batch}"
    generator = ProgramGenerator(random.Random(seed), FEATURES, statements=(2, 5), leaf_probability=0.3)
    return seed, [generator.program(f"e{batch}_{k}") for k in range(PER_BATCH)]


@pytest.mark.parametrize("batch", range(BATCHES))
def test_everyday_programs_in_reverse_mode(batch, tmp_path):
    seed, programs = _programs(batch)
    plain, twin = load_programs(tmp_path, f"everyday_{batch}", programs)
    outcome = check_programs(programs, plain, twin, seed)
    assert not outcome.failures, (
        f"{len(outcome.failures)} generated programs failed ({summary(outcome, programs)}):\n\n"
        + "\n".join(outcome.failures))
    _assert_coverage(programs, outcome.checked, outcome.refused)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_everyday_programs_in_forward_mode(batch, tmp_path):
    seed, programs = _programs(batch)
    plain, twin = load_programs(tmp_path, f"everyday_forward_{batch}", programs)
    positional = load_module(tmp_path / f"everyday_forward_{batch}_positional.py",
                             f"s2s_property_everyday_forward_{batch}_positional",
                             "\n\n".join(positional_source(p) for p in programs))
    tracer = Tracer()
    twin._T = tracer
    outcome = Outcome()
    for program in programs:
        _check_forward(program, getattr(plain, program.name), getattr(twin, program.name),
                       getattr(positional, program.name), tracer, seed, outcome)
    print(f"\n{outcome.checked} of {len(programs)} programs checked in forward mode, "
          f"{len(outcome.refused)} refused, {outcome.skipped} without a usable point")
    assert not outcome.failures, f"{len(outcome.failures)} programs failed:\n\n" + "\n".join(outcome.failures)
    _assert_coverage(programs, outcome.checked, outcome.refused)


def _assert_coverage(programs: list[Program], checked: int, refused: dict) -> None:
    """The filters and refusals must not hollow the test out: every construct is reached and checked."""
    assert checked + len(refused) >= 0.9 * len(programs), (checked, refused)
    assert checked >= 0.75 * len(programs), (checked, refused)
    names = {p.name for p in programs if p.name not in refused}
    text = "\n".join(p.source for p in programs if p.name in names)
    for construct, markers in CONSTRUCTS.items():
        assert any(marker in text for marker in markers), f"no program with {construct} was checked"
    assert any(p.refusable for p in programs), "the generator wrote no side-effecting nested def"


def _check_forward(program: Program, plain_fn, twin_fn, positional_fn, tracer, seed, outcome: Outcome) -> None:
    point = checked_point(program, plain_fn, twin_fn, tracer, seed)
    if point is None:
        outcome.skipped += 1
        return
    call, values, wrt, tangent, cotangent = point
    how = f"s2sgrad.jvp({program.name}, {values!r}, {tangent!r}) after module_state.reseed()"

    def jvp():
        return s2sgrad.jvp(positional_fn, values, tangent)

    def vjp():
        _, vjp_fn = s2sgrad.vjp(positional_fn, *values)
        return vjp_fn(cotangent)

    try:
        value, tangent_out = call(lambda *args, **kwargs: jvp())            # call() reseeds first
        cotangents = call(lambda *args, **kwargs: vjp())
    except UnsupportedConstructError as exc:
        if not program.refusable:
            outcome.failures.append(_report(program, f"refused: {exc}", how))
            return
        try:
            outcome.refused[program.name] = refusal(exc)
        except AssertionError as unlocated:
            outcome.failures.append(_report(program, str(unlocated), how))
        return
    except Exception as exc:
        outcome.failures.append(_report(program, f"jvp or vjp raised {type(exc).__name__}: {exc}", how))
        return
    outcome.checked += 1
    problems = []
    expected = call(plain_fn)
    if not np.isclose(value, expected, rtol=1e-12, atol=0):
        problems.append(f"jvp's value {value!r} is not f's {expected!r} (at the same draws)")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        numeric = np.atleast_1d(numeric_grad(reseeded(plain_fn), *call.args, wrt=program.wrt, eps=EPS,
                                             **call.kwargs))
    t = [tangent[i] for i in wrt]
    numeric_tangent = float(np.dot(numeric, t))
    scale = float(np.dot(np.abs(numeric), np.abs(t)))    # check_grad's tolerance, through the contraction
    if not abs(tangent_out - numeric_tangent) <= RTOL * scale + ATOL * sum(abs(v) for v in t):
        problems.append(f"jvp's tangent {tangent_out!r}, central differences at the same draws {numeric_tangent!r}")
    reverse = sum(cotangents[i] * tangent[i] for i in wrt)
    if not math.isclose(tangent_out * cotangent, reverse, rel_tol=1e-9, abs_tol=1e-12 * (1 + scale)):
        problems.append(f"<J t, c> = {tangent_out * cotangent!r} but <t, J^T c> = {reverse!r} (c = {cotangent!r})")
    for what, run in (("a jvp call", jvp), ("a vjp call and its pullback", vjp)):
        problem = once_per_call(program, plain_fn, lambda *args, run=run, **kwargs: run(), call, what)
        if problem:
            problems.append(problem)
    if problems:
        outcome.failures.append(_report(program, "; ".join(problems), how))


def _report(program: Program, what: str, how: str) -> str:
    return f"--- {what}\n{MODULE_HEADER}{positional_source(program)}\n# then: {how}\n"


def test_a_gradient_call_draws_and_counts_like_one_call(tmp_path):
    """The once-per-call check itself catches a helper run twice (a control for harness.once_per_call)."""
    program = Program("twice_drawn", "def twice_drawn(x):\n    return noisy(x) * noisy_counted(x)\n", [])
    module = load_module(tmp_path / "control.py", "s2s_property_everyday_control", program.source)
    call = Call([0.7], {}, {"x": 0})
    fn = module.twice_drawn
    assert once_per_call(program, fn, fn, call, "a plain call") is None
    problem = once_per_call(program, fn, lambda x: (fn(x), fn(x))[1], call, "a call run twice")
    assert problem is not None and "random generators" in problem
    assert effects_of(fn, call)[2] == 1
