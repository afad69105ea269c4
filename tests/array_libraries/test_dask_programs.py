"""The NumPy random-program generator's programs (tests/property_arrays) on chunked Dask arrays.

A fixed sample of programs; each runs on NumPy values and on the same values cut into Dask chunks.
The gradient call must compute nothing (lazy.nothing_computed) and give Dask arrays that, computed,
equal NumPy's gradients to rtol 1e-10.

A Python `if` on an array's value (branches) cannot stay lazy in the user's own code and is off.
Writes into arrays and boolean-mask reads are on in the second sample (the first keeps them off, so
it checks as many programs without them as before): Dask refuses many of those writes in the
user's own code (a mask write of values of unknown length), so fewer of its programs are checked.
A program whose forward alone is not lazy on Dask (NumPy's in-place `acc += row` into a NumPy
array, say) is skipped; the test fails if that leaves fewer than half the sample (a third with writes).
"""
import random
import warnings

import numpy as np
import pytest

import s2sgrad

from ..property_arrays.harness import draw_args, load_module, rejection
from ..property_arrays.programs import Features, ProgramGenerator
from .lazy import ComputedError, assert_close, chunked, computed, da, nothing_computed

WITHOUT_WRITES = Features(branches=False, inplace=False, bool_mask_reads=False, write_after_views=False)
WITH_WRITES = Features(branches=False, inplace=True, bool_mask_reads=True, write_after_views=False)
# (features, the fewest programs of the batch that must be checked)
BATCHES = [(WITHOUT_WRITES, 10), (WITHOUT_WRITES, 10), (WITH_WRITES, 7), (WITH_WRITES, 7)]
PER_BATCH = 20


def _forward_is_lazy(fn, args) -> bool:
    try:
        with nothing_computed(), warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)       # Dask falling back to NumPy
            fn(*args)
    except Exception:           # ComputedError, or Dask refusing a NumPy array as `out`
        return False
    return True


def _has_dask(tree) -> bool:
    return any(isinstance(leaf, da.Array) for leaf in _leaves(tree))


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [x for item in tree for x in _leaves(item)]
    if isinstance(tree, dict):
        return [x for key in sorted(tree) for x in _leaves(tree[key])]
    return [tree]


@pytest.mark.parametrize("batch", range(len(BATCHES)))
def test_random_programs_on_dask(batch, tmp_path):
    features, fewest = BATCHES[batch]
    generator = ProgramGenerator(random.Random(f"dask-arrays/{batch}"), features)
    programs = [generator.program(f"d{batch}_{k}") for k in range(PER_BATCH)]
    module = load_module(tmp_path, f"dask_arrays_{batch}", programs)
    checked, failures = 0, []
    for program in programs:
        fn = getattr(module, program.name)
        args = draw_args(program, random.Random(f"dask-arrays/{batch}/{program.name}"))
        if rejection(program, fn, args) is not None:
            continue
        lazy_args = [chunked(a) for a in args]
        if not _forward_is_lazy(fn, lazy_args):
            continue
        gradient = s2sgrad.grad(fn, wrt=program.wrt)
        want = gradient(*args)
        try:
            with nothing_computed(), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                got = gradient(*lazy_args)
            assert _has_dask(got) or not _has_dask(lazy_args), "no gradient is a Dask array"
            assert_close(computed(got), want)
        except (ComputedError, AssertionError, s2sgrad.S2SGradError, TypeError, ValueError) as exc:
            failures.append(f"--- {program.name}: {type(exc).__name__}: {str(exc)[:300]}\n{program.source}")
        checked += 1
    assert not failures, f"{len(failures)} of {checked} programs failed on Dask:\n" + "\n".join(failures)
    assert checked >= fewest, f"only {checked} of {PER_BATCH} programs were checked"
