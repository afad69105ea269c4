"""s2sgrad.jit gives the Python version's results on the random programs of tests/property/.

A fixed handful of programs with branches, loops, `while`, `break`,
`continue` and early returns (numba's compile time is the cost of each),
called at a drawn point: the compiled value and gradients equal the Python
version's to rtol 1e-7. Programs numba cannot take fall back with a
JitFallbackWarning and still agree; most must compile, or the backend has
regressed.
"""
import random
import warnings

import numpy as np
import pytest

import s2sgrad
from tests.property.harness import draw_call, load_programs
from tests.property.programs import Features, ProgramGenerator

FEATURES = Features(control_flow=True, breaks=True, continues=True, early_returns=True)
PROGRAMS = 10


def _flat(result):
    value, grads = result
    return np.array([value, *np.atleast_1d(grads)], dtype=float)


@pytest.mark.parametrize("seed", ["jit/control-flow/0"])
def test_compiled_gradients_equal_the_python_version(seed, tmp_path):
    generator = ProgramGenerator(random.Random(seed), FEATURES, statements=(2, 5), leaf_probability=0.3)
    programs = [generator.program(f"jit_{k}") for k in range(PROGRAMS)]
    plain, _ = load_programs(tmp_path, "jit_programs", programs)
    compiled = compared = 0
    failures = []
    for program in programs:
        g = s2sgrad.value_and_grad(getattr(plain, program.name), wrt=program.wrt)
        fast = s2sgrad.jit(g)
        rng = random.Random(f"{seed}/{program.name}")
        for _ in range(4):
            call = draw_call(program, rng)
            try:
                with np.errstate(all="ignore"):
                    expected = g(*call.args, **call.kwargs)
            except (ArithmeticError, ValueError):
                continue                       # the program itself fails there: draw again
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                got = fast(*call.args, **call.kwargs)
            fell_back = any(issubclass(w.category, s2sgrad.JitFallbackWarning) for w in caught)
            compiled += not fell_back
            compared += 1
            if not np.allclose(_flat(got), _flat(expected), rtol=1e-7, atol=1e-12, equal_nan=True):
                failures.append(f"{program.source}\n{call.describe(program.name, program.wrt)}: "
                                f"jit {got!r}, Python {expected!r}")
            break
    assert not failures, "\n\n".join(failures)
    assert compared >= PROGRAMS - 2
    assert compiled >= 0.75 * compared, f"only {compiled} of {compared} programs compiled"
