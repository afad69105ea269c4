"""Write generated programs to a module, pick good sample points, and check gradients.

A sample point is used only if central differences are meaningful there:
- a traced twin of each program (same source, with every non-smooth operation
  -- comparisons, abs, max/min, int/round/floor/ceil/trunc, //, % -- routed
  through a recorder) takes the same discrete decisions at the point and at
  every point the numeric gradient evaluates (x +- h, x +- 2h per input), so
  the stencil never straddles a kink, a branch switch or a change of trip
  count;
- every intermediate value there is finite and below 1e12 (no overflow, no
  domain error; see Tracer.val);
- central differences with steps h and 2h agree to a small fraction of
  check_grad's tolerance (their truncation and round-off errors are small).
Otherwise the inputs are re-drawn. These filters only choose *where* to test;
at the chosen point `check_grad` runs with its default tolerances.

Programs that draw random numbers (module_state.py) start every evaluation from
one generator state, so the gradient is compared with central differences at
the value's own draws; a gradient call must draw and count exactly as one plain
call does (once_per_call). A located refusal is accepted only for a program
holding a construct s2sgrad refuses today (Program.refusable).
"""
from __future__ import annotations

import ast
import functools
import importlib.util
import math
import random
import warnings
from dataclasses import dataclass, field

import numpy as np

import s2sgrad
from s2sgrad import GradientCheckError, UnsupportedConstructError, check_grad, numeric_grad

from ..property_outcome import refusal
from . import module_state
from .programs import MODULE_HEADER, Program

EPS = 1e-5                   # check_grad's default step
ATTEMPTS = 8                 # input draws per program before giving up on it
MAX_MAGNITUDE = 1e6          # larger outputs make central differences mostly round-off
MAX_INTERMEDIATE = 1e12      # larger intermediate values may overflow in derivative expressions


# ---- the traced twin ------------------------------------------------------------
class Tracer:
    """Records the discrete decisions a run takes; identical traces mean the same smooth piece."""

    def __init__(self):
        self.trace: list = []

    @staticmethod
    def val(value):
        """Every intermediate result passes here: inf, nan or a huge value rejects the sample point.

        A dead inf still turns a zero adjoint into nan, and the derivative of a huge value
        (3 * a ** 2 for a ** 3) can overflow where the function itself does not.
        """
        if isinstance(value, (float, np.floating)) and not abs(value) <= MAX_INTERMEDIATE:
            raise OverflowError("non-finite or huge intermediate value")
        return value

    def rec(self, value):
        self.trace.append(bool(value))
        if len(self.trace) > 100_000:      # every loop test passes through here
            raise RuntimeError("a generated program loops without bound: a bug in programs.py")
        return value

    def abs(self, x):
        self.trace.append((x > 0, x < 0))
        return abs(x)

    def fabs(self, x):
        self.trace.append((x > 0, x < 0))
        return math.fabs(x)

    def _order(self, args) -> list:
        """The values max/min/sorted compare (several arguments, or one iterable), recording how every
        pair of them compares: the stencil must not cross a change of the winner or of the order."""
        values = list(args[0]) if len(args) == 1 else list(args)
        self.trace.append(tuple((a > b, a < b) for i, a in enumerate(values) for b in values[i + 1:]))
        return values

    def max(self, *args):
        return max(self._order(args))

    def min(self, *args):
        return min(self._order(args))

    def sorted(self, *args):
        return sorted(self._order(args))

    def _result(self, fn, *args):
        result = fn(*args)
        self.trace.append(result)
        return result

    def int(self, x):
        return self._result(int, x)

    def round(self, *args):
        return self._result(round, *args)

    def floor(self, x):
        return self._result(math.floor, x)

    def ceil(self, x):
        return self._result(math.ceil, x)

    def trunc(self, x):
        return self._result(math.trunc, x)

    def floordiv(self, a, b):
        return self._result(lambda a, b: a // b, a, b)

    def mod(self, a, b):
        self.trace.append(a // b)
        return a % b


_TRACED_BUILTINS = {"abs", "max", "min", "int", "round", "sorted"}
_TRACED_MATH = {"floor", "ceil", "trunc", "fabs"}


class _Twin(ast.NodeTransformer):
    """Route every non-smooth operation of a program through the module-level `_T` (a Tracer),
    and every arithmetic result through `_T.val` (which rejects inf and nan)."""

    @staticmethod
    def _method(name):
        return ast.Attribute(value=ast.Name(id="_T", ctx=ast.Load()), attr=name, ctx=ast.Load())

    def _rec(self, node):
        return ast.Call(func=self._method("rec"), args=[node], keywords=[])

    def visit_arguments(self, node):
        return node                      # defaults are evaluated at def time, before _T exists

    def _val(self, node):
        return ast.Call(func=self._method("val"), args=[node], keywords=[])

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id in _TRACED_BUILTINS:
            node.func = self._method(func.id)
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "math"
              and func.attr in _TRACED_MATH):
            node.func = self._method(func.attr)
        return self._val(node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            name = "floordiv" if isinstance(node.op, ast.FloorDiv) else "mod"
            return self._val(ast.Call(func=self._method(name), args=[node.left, node.right], keywords=[]))
        return self._val(node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return self._val(node)

    def visit_AugAssign(self, node):
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            load = ast.Name(id=node.target.id, ctx=ast.Load())
            return self.visit(ast.Assign(targets=[node.target], value=ast.BinOp(load, node.op, node.value)))
        self.generic_visit(node)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        return self._rec(node)

    def _test(self, node):
        self.generic_visit(node)
        node.test = self._rec(node.test)
        return node

    visit_If = visit_While = visit_IfExp = _test


def twin_source(source: str) -> str:
    tree = _Twin().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


# ---- modules ----------------------------------------------------------------------
def load_module(path, name: str, body: str):
    path.write_text(MODULE_HEADER + body)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_programs(tmp_path, label: str, programs: list[Program]):
    """(plain module, traced twin module) holding every program of a batch."""
    body = "\n\n".join(p.source for p in programs)
    plain = load_module(tmp_path / f"{label}.py", f"s2s_property_{label}", body)
    twin = load_module(tmp_path / f"{label}_traced.py", f"s2s_property_{label}_traced", twin_source(body))
    return plain, twin


# ---- calls ------------------------------------------------------------------------
@dataclass
class Call:
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)     # positional parameter name -> index in args

    def value(self, name):
        return self.kwargs[name] if name in self.kwargs else self.args[self.positions[name]]

    def with_value(self, name, value) -> "Call":
        args, kwargs = list(self.args), dict(self.kwargs)
        if name in kwargs:
            kwargs[name] = value
        else:
            args[self.positions[name]] = value
        return Call(args, kwargs, self.positions)

    def __call__(self, fn):
        module_state.reseed()               # every evaluation sees the same random draws
        return fn(*self.args, **self.kwargs)

    def describe(self, name: str, wrt) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"check_grad({name}, {', '.join(parts)}, wrt={tuple(wrt)!r})"


def draw_call(program: Program, rng: random.Random) -> Call:
    call = Call()
    for p in program.params:
        if p.passing == "omitted":
            continue
        if p.is_int:
            value = rng.randint(0, 4)
        else:
            value = rng.choice([-1, 1]) * rng.uniform(0.3, 2.0)
        if p.passing == "positional":
            call.positions[p.name] = len(call.args)
            call.args.append(value)
        else:
            call.kwargs[p.name] = value
    return call


def reseeded(fn):
    """fn, starting every call from module_state's fixed generator state (for numeric_grad's calls)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        module_state.reseed()
        return fn(*args, **kwargs)
    return run


# ---- choosing the sample point ---------------------------------------------------------
def _run_traced(twin_fn, tracer: Tracer, call: Call):
    tracer.trace = []
    try:
        value = float(call(twin_fn))
    except (ArithmeticError, ValueError):          # overflow, math domain error, division by zero
        return None
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return None
    return value, tracer.trace


def rejection(program: Program, plain_fn, twin_fn, tracer: Tracer, call: Call) -> str | None:
    """Why this sample point is no good for central differences, or None if it is."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        base = _run_traced(twin_fn, tracer, call)
        if base is None:
            return "overflow"
        for name in program.wrt:
            x = call.value(name)
            for step in (EPS, 2 * EPS):
                h = step * max(1.0, abs(x))
                for shifted in (x + h, x - h):
                    other = _run_traced(twin_fn, tracer, call.with_value(name, shifted))
                    if other is None:
                        return "overflow"
                    if other[1] != base[1]:
                        return "kink"
        try:
            fine = numeric_grad(reseeded(plain_fn), *call.args, wrt=program.wrt, eps=EPS, **call.kwargs)
            coarse = numeric_grad(reseeded(plain_fn), *call.args, wrt=program.wrt, eps=2 * EPS, **call.kwargs)
        except (ArithmeticError, ValueError):
            return "overflow"
    fine, coarse = np.asarray(fine, dtype=float), np.asarray(coarse, dtype=float)
    if not (np.all(np.isfinite(fine)) and np.all(np.abs(fine) < MAX_MAGNITUDE)):
        return "overflow"
    # truncation error of the h-step estimate is about a third of this difference
    if not np.allclose(fine, coarse, rtol=0.3e-5, atol=0.3e-6):
        return "conditioning"
    return None


# ---- checking --------------------------------------------------------------------------
@dataclass
class Outcome:
    checked: int = 0
    skipped: dict = field(default_factory=dict)        # program name -> reasons of its rejected draws
    failures: list = field(default_factory=list)
    refused: dict = field(default_factory=dict)        # program name -> the located refusal's first line


def _refused(program: Program, exc: BaseException, outcome: Outcome) -> bool:
    """Record a refusal of a construct the program was generated to try (Program.refusable); it must
    name the user's line. Any other exception is the caller's to report."""
    if not (program.refusable and isinstance(exc, UnsupportedConstructError)):
        return False
    try:
        outcome.refused[program.name] = refusal(exc)
    except AssertionError as unlocated:
        outcome.failures.append(_report(program, None, unlocated, "a refusal without a location"))
    return True


def check_programs(programs: list[Program], plain, twin, seed) -> Outcome:
    tracer = Tracer()
    twin._T = tracer
    outcome = Outcome()
    for program in programs:
        rng = random.Random(f"{seed}/{program.name}")       # inputs do not depend on other programs
        plain_fn, twin_fn = getattr(plain, program.name), getattr(twin, program.name)
        try:
            g = s2sgrad.grad(plain_fn, wrt=program.wrt)
        except Exception as exc:                              # the transformer refused a supported program
            if not _refused(program, exc, outcome):
                outcome.failures.append(_report(program, None, exc, "grad() raised"))
            continue
        reasons = []
        for _ in range(ATTEMPTS):
            call = draw_call(program, rng)
            reason = rejection(program, plain_fn, twin_fn, tracer, call)
            if reason is not None:
                reasons.append(reason)
                continue
            try:
                failure = _check_one(program, g, plain_fn, call)
            except UnsupportedConstructError as exc:         # refused when called (a helper's record)
                if not _refused(program, exc, outcome):
                    outcome.failures.append(_report(program, call, exc, "the gradient call raised"))
                break
            if failure is not None:
                outcome.failures.append(failure)
            outcome.checked += 1
            break
        else:
            outcome.skipped[program.name] = reasons
    return outcome


def _gradient_check(program: Program, g, plain_fn, call: Call):
    """check_grad, or for a program that draws random numbers its comparison (same tolerances) between
    the gradient and central differences that start every evaluation from the gradient's generator state
    (check_grad would let each evaluation draw afresh)."""
    if not program.draws:
        return check_grad(g, *call.args, wrt=program.wrt, **call.kwargs)
    analytic = call(g)
    numeric = numeric_grad(reseeded(plain_fn), *call.args, wrt=program.wrt, eps=EPS, **call.kwargs)
    for name, a, n in zip(program.wrt, analytic, numeric):
        if not np.isclose(float(a), float(n), rtol=1e-5, atol=1e-6):         # check_grad's defaults
            raise GradientCheckError(f"the gradient with respect to `{name}` at the value's draws is {a!r}, "
                                     f"central differences at the same draws {n!r}")
    return analytic


def effects_of(fn, call: Call) -> tuple:
    """What one call of fn does outside itself: the generators' states after it, and how far it moved
    the call counter."""
    before = module_state.ticks()
    call(fn)
    *generators, after = module_state.effects()
    return (*generators, after - before)


def once_per_call(program: Program, plain_fn, gradient_fn, call: Call, what: str) -> str | None:
    """A gradient call draws and counts exactly as one call of the function does (helpers run once)."""
    if not (program.draws or program.counts):
        return None
    expected, seen = effects_of(plain_fn, call), effects_of(gradient_fn, call)
    if seen[:2] != expected[:2]:
        return f"{what} left the random generators elsewhere than one call of the function does"
    if seen[2] != expected[2]:
        return f"{what} ran counted helpers {seen[2]} times, one call of the function {expected[2]} times"
    return None


def _check_one(program: Program, g, plain_fn, call: Call):
    try:
        analytic = _gradient_check(program, g, plain_fn, call)
    except UnsupportedConstructError:
        raise
    except Exception as exc:
        return _report(program, call, exc, "check_grad failed")
    problem = once_per_call(program, plain_fn, g, call, "the gradient call")
    if problem:
        return _report(program, call, AssertionError(problem), "helpers did not run once")
    # the general (any-argument-kind) generated function must agree too: same value, same gradients
    try:
        value, grads = call(g.generated_function)
    except Exception as exc:
        return _report(program, call, exc, "the general generated function (g.generated_function) raised")
    expected = call(plain_fn)
    if not np.isclose(float(value), float(expected), rtol=1e-12, atol=0):
        return _report(program, call, AssertionError(
            f"g.generated_function returned the value {value!r}, the function itself {expected!r}"),
            "wrong forward value")
    if not np.allclose(np.asarray(grads, dtype=float), np.asarray(analytic, dtype=float), rtol=1e-9, atol=1e-12):
        return _report(program, call, AssertionError(
            f"g.generated_function's gradients {grads!r} differ from the scalar-specialized {analytic!r}"),
            "general and specialized gradients differ")
    return None


def _report(program: Program, call: Call | None, exc: BaseException, what: str) -> str:
    """A failing program as a self-contained reproducer: module text, then the call that fails."""
    how = call.describe(program.name, program.wrt) if call is not None else \
        f"grad({program.name}, wrt={program.wrt!r})"
    return (f"--- {what}: {type(exc).__name__}: {exc}\n"
            f"{MODULE_HEADER}{program.source}\n"
            f"# save the lines above as repro.py, then run:\n"
            f"#   from s2sgrad import check_grad, grad; from repro import {program.name}\n"
            f"#   {how}\n")


def summary(outcome: Outcome, programs: list[Program]) -> str:
    skipped = "; ".join(f"{name}: {reasons}" for name, reasons in outcome.skipped.items())
    refused = f"; {len(outcome.refused)} refused with a located error" if outcome.refused else ""
    return f"{outcome.checked} of {len(programs)} programs checked{refused}; skipped: {skipped or 'none'}"
