"""The random array programs of tests/property_arrays, differentiated with and without their shapes:
the code a second call builds for the arguments' shapes gives the shape-generic code's gradients."""
import random
import warnings

import numpy as np
import pytest

import s2sgrad

from ..property_arrays.harness import draw_args, load_module
from ..property_arrays.programs import Features, ProgramGenerator

PROGRAMS = 60


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [x for item in tree for x in _leaves(item)]
    if isinstance(tree, dict):
        return [x for key in sorted(tree) for x in _leaves(tree[key])]
    return [tree]


@pytest.mark.parametrize("seed, count, dtype", [
    ("shape-programs", PROGRAMS, np.float64),
    # more programs, and float32 arguments: a loop-carried number becoming an array (np.newaxis facts), an
    # adjoint added into in place across dtypes were found this way, each in a few hundred programs
    ("shape-programs-more", 150, np.float64),
    ("shape-programs-float32", 100, np.float32),
])
def test_shaped_code_gives_the_generic_gradients(tmp_path, seed, count, dtype):
    generator = ProgramGenerator(random.Random(seed), Features())
    programs = [generator.program(f"s{k}") for k in range(count)]
    module = load_module(tmp_path, seed.replace("-", "_"), programs)
    compared, fewer_reductions, failures = 0, 0, []
    for program in programs:
        fn = getattr(module, program.name)
        args = draw_args(program, random.Random(f"{seed}/{program.name}"))
        args = [a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a for a in args]
        g = s2sgrad.grad(fn, wrt=program.wrt)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                generic = g(*args)
            except Exception:           # noqa: BLE001 - a program this draw cannot run: not the subject here
                continue
            shaped = [g(*args), g(*args)]       # built on the second call, reused on the third
        if not len(g._shaped):
            continue
        compared += 1
        generic_code, shaped_code = g.source_for(*args), g.shaped_source_for(*args)
        fewer_reductions += shaped_code.count("unbroadcast(") < generic_code.count("unbroadcast(")
        for got in shaped:
            for a, b in zip(_leaves(got), _leaves(generic)):
                if np.shape(a) != np.shape(b) or np.asarray(a).dtype != np.asarray(b).dtype \
                        or not np.allclose(a, b, rtol=1e-12, atol=1e-14, equal_nan=True):
                    failures.append(f"{program.name}: {np.shape(a)} vs {np.shape(b)}\n{program.source}\n{shaped_code}")
                    break
    assert not failures, "\n\n".join(failures[:3])
    assert compared >= count // 2, f"only {compared} programs had shape-specialized code"
    assert fewer_reductions >= compared // 4, f"only {fewer_reductions} of {compared} lost an unbroadcast"
