"""s2sgrad.jit gives the Python version's results on the random NumPy programs of tests/property_arrays/.

A fixed handful of generated array programs (elementwise functions,
broadcasting, reductions, matrix products, indexing reads and in-place writes,
loops and branches), each called once at a drawn point: what numba compiles
equals the Python version's value and gradients to rtol 1e-7; what it cannot
compile falls back with a JitFallbackWarning and equals it too. Some must
compile, or the numba versions of the array helpers have regressed.
"""
import random
import warnings

import numpy as np

import s2sgrad
from tests.property_arrays.harness import draw_args, load_module
from tests.property_arrays.programs import Features, ProgramGenerator

# arguments the compiled code takes (arrays and numbers: no containers), and no nested defs or helpers
FEATURES = Features(containers=False, nested_defs=False, helpers=False, joins=False, none_index=False,
                    int_array_reads=False, write_after_views=False)
PROGRAMS = 8


def _flat(result):
    value, grads = result
    return np.concatenate([np.ravel(value)] + [np.ravel(g) for g in grads])


def test_compiled_array_programs_equal_the_python_version(tmp_path):
    seed = "jit/arrays/1"
    generator = ProgramGenerator(random.Random(seed), FEATURES)
    programs = [generator.program(f"ja_{k}") for k in range(PROGRAMS)]
    module = load_module(tmp_path, "jit_array_programs", programs)
    compiled = compared = 0
    failures = []
    for program in programs:
        args = draw_args(program, random.Random(f"{seed}/{program.name}"))
        g = s2sgrad.value_and_grad(getattr(module, program.name), wrt=tuple(range(len(args))))
        try:
            with np.errstate(all="ignore"):
                expected = g(*args)
        except (ArithmeticError, ValueError):
            continue
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            got = s2sgrad.jit(g)(*args)
        compiled += not any(issubclass(w.category, s2sgrad.JitFallbackWarning) for w in caught)
        compared += 1
        if not np.allclose(_flat(got), _flat(expected), rtol=1e-7, atol=1e-12, equal_nan=True):
            failures.append(f"{program.source}\njit {got!r}\nPython {expected!r}")
    assert not failures, "\n\n".join(failures)
    assert compared >= PROGRAMS - 2
    # two compile where numba has SciPy's BLAS for its matrix products, one without
    assert compiled >= 1, f"none of {compared} array programs compiled"
