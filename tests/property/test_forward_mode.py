"""Random scalar programs (straight-line and control flow): forward mode and second derivatives.

The generators and sample-point filters of test_straight_line.py and
test_control_flow.py (programs.py, harness.py), reused by import, at the same
seeds on a subset of the batches. For every program, at a point harness.py
accepts for central differences:
- jvp along a random tangent t agrees with vjp for a random cotangent c
  (<J t, c> = <t, J^T c>, to rounding), and with the per-input central
  differences harness.py already vetted, contracted with t;
- for the first differentiated parameter, grad(grad(f)) matches central
  differences of grad(f) (kept only where steps h and 2h agree, as harness.py
  does for f);
- on the first THIRD_SAMPLE programs of a batch with a usable point,
  grad(grad(grad(f))) matches central differences of grad(grad(f)), and
  jacfwd(jacrev(f)) equals hessian(f).
Forward mode may refuse a program only with a located UnsupportedConstructError;
refusals are counted and must stay a small minority.

jvp and vjp take positional primals, so each program is loaded a second time
with every parameter made positional and without defaults (same body): the
call harness.py draws is passed to it positionally, omitted defaults included
(with a zero tangent).
"""
from __future__ import annotations

import ast
import dataclasses
import math
import random
import warnings
import zlib

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError, numeric_grad

from ..property_outcome import Outcome, refusal
from .harness import EPS, Call, Tracer, draw_call, load_module, load_programs, rejection
from .programs import MODULE_HEADER, Features, Program, ProgramGenerator
from .test_control_flow import FEATURES as CONTROL_FLOW_FEATURES

# comprehensions, dicts, namedtuples and helpers (programs.py COLLECTIONS) are checked in reverse mode by
# the other property tests and in forward mode by tests/everyday; here their loops' tapes and helpers'
# records would make most second derivatives refusals (xs.pop() of a tape, a helper's record)
FORWARD_CONTROL_FLOW = dataclasses.replace(CONTROL_FLOW_FEATURES, collections=False, everyday=False)

# subsets of the batches test_straight_line.py and test_control_flow.py check (same seeds, same programs)
STRAIGHT_LINE_BATCHES = range(1)
CONTROL_FLOW_BATCHES = range(1)
ATTEMPTS = 8
RTOL, ATOL = 1e-5, 1e-6                 # check_grad's defaults
SECOND_RTOL, SECOND_ATOL = 1e-4, 1e-5   # central differences of a gradient whose own scale is unknown
MAX_REFUSED = 0.05                      # forward mode may refuse at most this fraction of programs


def positional_source(program: Program) -> str:
    """The program with every parameter positional and no defaults: jvp/vjp pass primals by position."""
    tree = ast.parse(program.source)
    args = tree.body[0].args
    args.args += args.kwonlyargs
    args.kwonlyargs, args.kw_defaults, args.defaults = [], [], []
    return ast.unparse(tree) + "\n"


def positional_values(program: Program, call: Call) -> tuple:
    """Every parameter's value in signature order; omitted ones take their default."""
    values = []
    for p in program.params:
        if p.passing == "omitted":
            values.append(float(p.default) if not p.is_int else int(p.default))
        else:
            values.append(call.value(p.name))
    return tuple(values)


def checked_point(program: Program, plain_fn, twin_fn, tracer, seed):
    """(call, its positional values, the positions differentiated, a tangent, a cotangent) at a point the
    harness accepts (not on a kink), drawn as harness.py draws it; None if no attempt gave one."""
    rng = random.Random(f"{seed}/{program.name}")                   # the draws harness.py makes
    for _ in range(ATTEMPTS):
        call = draw_call(program, rng)
        if rejection(program, plain_fn, twin_fn, tracer, call) is None:
            break
    else:
        return None
    values = positional_values(program, call)
    wrt = [i for i, p in enumerate(program.params) if p.name in program.wrt]
    directions = np.random.default_rng(zlib.crc32(f"{seed}/{program.name}".encode()))
    tangent = tuple(float(directions.normal()) if i in wrt else (0 if isinstance(v, int) else 0.0)
                    for i, v in enumerate(values))
    return call, values, wrt, tangent, float(directions.normal())


def check_program(program: Program, plain_fn, twin_fn, positional_fn, tracer, seed, outcome: Outcome) -> None:
    point = checked_point(program, plain_fn, twin_fn, tracer, seed)
    if point is None:
        outcome.skipped += 1
        return
    call, values, wrt, tangent, cotangent = point
    jvp_call = f"s2sgrad.jvp({program.name}, {values!r}, {tangent!r})"
    try:
        value, tangent_out = s2sgrad.jvp(positional_fn, values, tangent)
    except UnsupportedConstructError as exc:
        outcome.refused[program.name] = refusal(exc)
        return
    except Exception as exc:
        outcome.failures.append(_report(program, f"jvp raised {type(exc).__name__}: {exc}", jvp_call))
        return
    outcome.checked += 1
    problems = []
    expected = call(plain_fn)
    if not np.isclose(value, expected, rtol=1e-12, atol=0):
        problems.append(f"jvp's value {value!r} is not f's {expected!r}")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        numeric = np.atleast_1d(numeric_grad(plain_fn, *call.args, wrt=program.wrt, eps=EPS, **call.kwargs))
    numeric_tangent = float(np.dot(numeric, [tangent[i] for i in wrt]))
    # the tolerance of the per-input comparison check_grad makes, carried through the contraction with t
    scale = float(np.dot(np.abs(numeric), np.abs([tangent[i] for i in wrt])))
    if not abs(tangent_out - numeric_tangent) <= RTOL * scale + ATOL * sum(abs(tangent[i]) for i in wrt):
        problems.append(f"jvp's tangent {tangent_out!r}, central differences {numeric_tangent!r}")
    _, vjp_fn = s2sgrad.vjp(positional_fn, *values)
    cotangents = vjp_fn(cotangent)
    reverse = sum(cotangents[i] * tangent[i] for i in wrt)
    forward = tangent_out * cotangent
    if not math.isclose(forward, reverse, rel_tol=1e-9, abs_tol=1e-12 * (1 + scale)):
        problems.append(f"<J t, c> = {forward!r} but <t, J^T c> = {reverse!r} (c = {cotangent!r})")
    if problems:
        outcome.failures.append(_report(program, "; ".join(problems), f"{jvp_call}; s2sgrad.vjp(...) with {cotangent!r}"))
    problem = _second_derivative(program, positional_fn, values, wrt[0], outcome)
    if problem:
        how = f"s2sgrad.grad(s2sgrad.grad({program.name}, wrt={wrt[0]}), wrt={wrt[0]})(*{values!r})"
        outcome.failures.append(_report(program, problem, how))
    elif THIRD_DERIVATIVES.get(seed, 0) < THIRD_SAMPLE:
        problem = _third_derivative(program, positional_fn, values, wrt[0], seed, outcome)
        if problem:
            i = wrt[0]
            how = f"s2sgrad.grad(s2sgrad.grad(s2sgrad.grad({program.name}, wrt={i}), wrt={i}), wrt={i})(*{values!r})"
            outcome.failures.append(_report(program, problem, how))


THIRD_SAMPLE = 15            # programs per batch whose third derivative is checked (each costs three transforms)
THIRD_DERIVATIVES: dict = {}  # seed -> third derivatives checked so far
THIRD_REFUSED: dict = {}      # seed -> the programs whose third derivative was refused, and why


def _third_derivative(program, positional_fn, values, i, seed, outcome) -> str | None:
    """grad(grad(grad(f))) against central differences of grad(grad(f)), and jacfwd(jacrev(f)) against
    hessian(f), along parameter i."""
    second = s2sgrad.grad(s2sgrad.grad(positional_fn, wrt=i), wrt=i)
    try:
        third = s2sgrad.grad(second, wrt=i)(*values)
        composed = s2sgrad.jacfwd(s2sgrad.jacrev(positional_fn, wrt=i), wrt=i)(*values)
    except UnsupportedConstructError as exc:
        # a located refusal (forward mode over a helper call recorded twice over); not a wrong number
        THIRD_REFUSED.setdefault(seed, []).append(f"{program.name}: {refusal(exc)}")
        return None
    except Exception as exc:
        return f"a third derivative raised {type(exc).__name__}: {exc}"
    hessian = s2sgrad.hessian(positional_fn, wrt=i)(*values)
    if not math.isclose(composed, hessian, rel_tol=1e-9, abs_tol=1e-12 * (1 + abs(hessian))):
        return f"jacfwd(jacrev(f)) is {composed!r}, hessian(f) {hessian!r}"

    fine = _settled_difference(second, values, i)
    if fine is None:
        return None
    THIRD_DERIVATIVES[seed] = THIRD_DERIVATIVES.get(seed, 0) + 1
    if not math.isclose(third, fine, rel_tol=SECOND_RTOL, abs_tol=SECOND_ATOL):
        return f"grad(grad(grad(f))) wrt {program.params[i].name} is {third!r}, central differences {fine!r}"
    return None


def _second_derivative(program, positional_fn, values, i, outcome) -> str | None:
    """grad(grad(f)) against central differences of grad(f), along parameter i."""
    first = s2sgrad.grad(positional_fn, wrt=i)
    try:
        second = s2sgrad.grad(first, wrt=i)(*values)
    except UnsupportedConstructError as exc:
        outcome.refused[program.name + " (grad of grad)"] = refusal(exc)
        return None
    except Exception as exc:
        return f"grad(grad(f)) raised {type(exc).__name__}: {exc}"

    fine = _settled_difference(first, values, i)
    if fine is None:
        return None
    outcome.second_checked += 1
    if not math.isclose(second, fine, rel_tol=SECOND_RTOL, abs_tol=SECOND_ATOL):
        return f"grad(grad(f)) wrt {program.params[i].name} is {second!r}, central differences of grad(f) {fine!r}"
    return None


def _report(program: Program, what: str, how: str) -> str:
    """A failing program as a reproducer: the positional module text, then the failing call."""
    return f"--- {what}\n{MODULE_HEADER}{positional_source(program)}\n# then: {how}\n"


def run_batch(label: str, programs: list[Program], tmp_path, seed) -> Outcome:
    plain, twin = load_programs(tmp_path, label, programs)
    positional = load_module(tmp_path / f"{label}_positional.py", f"s2s_property_{label}_positional",
                             "\n\n".join(positional_source(p) for p in programs))
    tracer = Tracer()
    twin._T = tracer
    outcome = Outcome()
    for program in programs:
        check_program(program, getattr(plain, program.name), getattr(twin, program.name),
                      getattr(positional, program.name), tracer, seed, outcome)
    return outcome


def _assert_sound(outcome: Outcome, total: int) -> None:
    print(f"\n{outcome.checked} of {total} programs checked in forward mode, {outcome.second_checked} second "
          f"derivatives checked, {len(outcome.refused)} refusals, {outcome.skipped} without a usable point")
    assert not outcome.failures, f"{len(outcome.failures)} programs failed:\n\n" + "\n".join(outcome.failures)
    assert len(outcome.refused) <= MAX_REFUSED * total, outcome.refused
    assert outcome.checked >= 0.85 * total
    assert outcome.second_checked >= 0.7 * total


@pytest.mark.parametrize("batch", STRAIGHT_LINE_BATCHES)
def test_forward_mode_on_random_straight_line_programs(batch, tmp_path):
    seed = f"straight-line/{batch}"
    generator = ProgramGenerator(random.Random(seed), Features(control_flow=False, collections=False), statements=(2, 4),
                                 leaf_probability=0.3)
    programs = [generator.program(f"f{batch}_{k}") for k in range(100)]
    _assert_sound(run_batch(f"forward_straight_{batch}", programs, tmp_path, seed), len(programs))
    assert THIRD_DERIVATIVES.get(seed, 0) >= THIRD_SAMPLE // 2


@pytest.mark.parametrize("batch", CONTROL_FLOW_BATCHES)
def test_forward_mode_on_random_programs_with_control_flow(batch, tmp_path):
    seed = f"control-flow/{batch}"
    generator = ProgramGenerator(random.Random(seed), FORWARD_CONTROL_FLOW, statements=(2, 5), leaf_probability=0.3)
    programs = [generator.program(f"g{batch}_{k}") for k in range(100)]
    _assert_sound(run_batch(f"forward_control_flow_{batch}", programs, tmp_path, seed), len(programs))
    assert THIRD_DERIVATIVES.get(seed, 0) >= THIRD_SAMPLE // 2


def _settled_difference(fn, values, i):
    """The central difference of fn along parameter i, or None where steps h and 2h disagree (as
    harness.py does for f: there differences say nothing)."""
    def difference(step):
        h = step * max(1.0, abs(values[i]))
        up = values[:i] + (values[i] + h,) + values[i + 1:]
        down = values[:i] + (values[i] - h,) + values[i + 1:]
        return (fn(*up) - fn(*down)) / (2 * h)

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            fine, coarse = difference(EPS), difference(2 * EPS)
        except (ArithmeticError, ValueError):
            return None
    if not (math.isfinite(fine) and math.isclose(fine, coarse, rel_tol=0.3 * SECOND_RTOL,
                                                  abs_tol=0.3 * SECOND_ATOL)):
        return None
    return fine
