"""Load a batch of generated NumPy programs as one module and check each against central differences.

A sample point is used only if central differences are meaningful there: the
function is finite, and the numeric gradients with steps h and 2h agree to
a small fraction of check_grad's tolerance (a kink, a branch switch or a tie
inside the stencil makes them disagree). Otherwise the inputs are re-drawn.
These filters only choose *where* to test; at the chosen point `check_grad`
runs with its default tolerances.
"""
from __future__ import annotations

import importlib.util
import random
import warnings
from dataclasses import dataclass, field

import numpy as np

import s2sgrad
from s2sgrad import GradientCheckError, check_grad, numeric_grad

from ..property import module_state
from ..property.harness import reseeded
from .programs import MODULE_HEADER, Program

EPS = 1e-5                 # check_grad's default step
ATTEMPTS = 4               # input draws per program before skipping it
MAX_MAGNITUDE = 1e5


def load_module(tmp_path, label: str, programs: list[Program]):
    path = tmp_path / f"{label}.py"
    path.write_text(MODULE_HEADER + "\n\n".join(p.source for p in programs))
    spec = importlib.util.spec_from_file_location(f"s2s_property_arrays_{label}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _array(rng: random.Random, shape):
    values = [rng.choice([-1, 1]) * rng.uniform(0.2, 1.5) for _ in range(int(np.prod(shape, dtype=int)))]
    return np.array(values, dtype=np.float64).reshape(shape)


def draw_args(program: Program, rng: random.Random) -> list:
    args = []
    for p in program.params:
        if p.kind == "scalar":
            args.append(rng.choice([-1, 1]) * rng.uniform(0.2, 1.5))
        elif p.kind == "array":
            args.append(_array(rng, p.shapes))
        elif p.kind == "tuple":
            args.append(tuple(_array(rng, s) for s in p.shapes))
        else:
            args.append({"w": _array(rng, p.shapes[0]), "b": rng.uniform(-1.5, 1.5)})
    return args


def _flat(tree) -> np.ndarray:
    if isinstance(tree, (tuple, list)):
        return np.concatenate([_flat(t) for t in tree]) if tree else np.zeros(0)
    if isinstance(tree, dict):
        return np.concatenate([_flat(tree[k]) for k in sorted(tree)])
    return np.ravel(np.asarray(tree, dtype=np.float64))


def rejection(program: Program, fn, args) -> str | None:
    """Why central differences are no good at args, or None if they are."""
    fn = reseeded(fn)                           # a program that draws sees the same draws every time
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            value = float(fn(*args))
        except Exception:                       # IndexError on an empty mask's max, ... : the program's fault
            return "forward raised"
        if not np.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            return "non-finite"
        try:
            estimates = [_flat(numeric_grad(fn, *args, wrt=program.wrt, eps=e)) for e in (EPS, 2 * EPS)]
        except Exception:
            return "forward raised"
    if not all(np.all(np.isfinite(e)) and np.all(np.abs(e) < MAX_MAGNITUDE) for e in estimates):
        return "non-finite"
    # truncation error of the h-step estimate is about a third of this difference
    if not np.allclose(estimates[0], estimates[1], rtol=0.3e-5, atol=0.3e-6):
        return "kink"
    return None


@dataclass
class Outcome:
    checked: int = 0
    skipped: dict = field(default_factory=dict)      # program name -> reasons of its rejected draws
    failures: list = field(default_factory=list)

    def merge(self, other: "Outcome") -> None:
        self.checked += other.checked
        self.skipped.update(other.skipped)
        self.failures += other.failures


def check_programs(programs: list[Program], module, seed) -> Outcome:
    outcome = Outcome()
    for program in programs:
        rng = random.Random(f"{seed}/{program.name}")
        fn = getattr(module, program.name)
        try:
            g = s2sgrad.grad(fn, wrt=program.wrt)
        except Exception as exc:
            outcome.failures.append(_report(program, None, exc, "grad() raised"))
            continue
        reasons = []
        for _ in range(ATTEMPTS):
            args = draw_args(program, rng)
            reason = rejection(program, fn, args)
            if reason is not None:
                reasons.append(reason)
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _gradient_check(program, g, fn, args)
            except Exception as exc:
                outcome.failures.append(_report(program, args, exc, "check_grad failed"))
            outcome.checked += 1
            break
        else:
            outcome.skipped[program.name] = reasons
    return outcome


def _gradient_check(program: Program, g, fn, args) -> None:
    """check_grad, or for a program that draws noise its comparison (same tolerances) with central
    differences that start every evaluation from the gradient's generator state; a gradient call must
    draw exactly as one call of the function does."""
    if not program.draws:
        check_grad(g, *args, wrt=program.wrt)
        return
    module_state.reseed()
    analytic = g(*args)
    after_gradient = module_state.effects()
    module_state.reseed()
    fn(*args)
    if module_state.effects()[:2] != after_gradient[:2]:
        raise AssertionError("the gradient call drew random numbers other than one call of the function does")
    numeric = numeric_grad(reseeded(fn), *args, wrt=program.wrt, eps=EPS)
    for name, a, n in zip(program.wrt, analytic, numeric):
        a, n = _flat(a), _flat(n)
        if a.shape != n.shape or not np.allclose(a, n, rtol=1e-5, atol=1e-6):     # check_grad's defaults
            raise GradientCheckError(f"the gradient with respect to `{name}` at the value's draws is {a!r}, "
                                     f"central differences at the same draws {n!r}")


def _report(program: Program, args, exc: BaseException, what: str) -> str:
    np.set_printoptions(precision=17)
    how = (f"check_grad({program.name}, {', '.join(repr(a) for a in args)}, wrt={program.wrt!r})"
           if args is not None else f"grad({program.name}, wrt={program.wrt!r})")
    message = str(exc).splitlines()
    return (f"--- {what}: {type(exc).__name__}: {' / '.join(message[:6])}\n"
            f"{MODULE_HEADER}{program.source}\n# then: {how}\n")


def summary(outcome: Outcome, total: int) -> str:
    reasons: dict = {}
    for rs in outcome.skipped.values():
        reasons[rs[-1]] = reasons.get(rs[-1], 0) + 1
    return f"{outcome.checked} of {total} programs checked; skipped (last reason): {reasons or 'none'}"
