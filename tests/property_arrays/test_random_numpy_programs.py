"""Random NumPy programs: s2sgrad's gradient matches central differences.

Generator (programs.py): shape-tracked random functions of 1-D/2-D arrays, scalars,
a tuple and a dict of arrays, with elementwise functions, broadcasting arithmetic,
reductions with axis/keepdims, matmul/dot/outer, reshaping and transposes,
concatenate/stack, indexing reads (ints, slices, negative, masks, integer arrays),
where/clip/maximum, in-place writes into arrays the function created (also in
loops), loops over ranges and rows, `if` on reduced values and module-level
helpers, and everyday Python around them (Features.everyday: arrays read by
attribute from module-level records, a decorated helper, comprehensions over rows,
dicts of arrays iterated by items/keys/values, a helper drawing noise from a
module-level RandomState, checked at the value's draws); the result is weighted
by a fixed random array and summed.
harness.py re-draws sample points where central differences are unreliable;
check_grad then runs with its default tolerances. A failure prints each failing
program and the call that reproduces it.
"""
import os
import random

import pytest

from .harness import check_programs, load_module, summary
from .programs import Features, ProgramGenerator

# 640 programs; S2SGRAD_PROPERTY_SCALE=N runs N times as many (new seeds) for a longer bug hunt
BATCHES = 8 * int(os.environ.get("S2SGRAD_PROPERTY_SCALE", "1"))
PER_BATCH = 80
# write_after_views stays off: reading a view after an in-place write into its array is refused
# with a clear error (test_known_bugs.py), since the view sees the new values
FEATURES = Features(nested_defs=True, reuse_row_name=True, write_itself=True, int_index_repeats=True,
                    write_after_views=False, everyday=True, draws=True)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_gradients_of_random_numpy_programs(batch, tmp_path):
    seed = f"numpy-arrays/{batch}"
    generator = ProgramGenerator(random.Random(seed), FEATURES)
    programs = [generator.program(f"a{batch}_{k}") for k in range(PER_BATCH)]
    module = load_module(tmp_path, f"numpy_arrays_{batch}", programs)
    outcome = check_programs(programs, module, seed)
    assert not outcome.failures, (
        f"{len(outcome.failures)} generated programs failed ({summary(outcome, len(programs))}):\n\n"
        + "\n".join(outcome.failures))
    # the filters must not hollow the test out
    assert outcome.checked >= 0.9 * len(programs), summary(outcome, len(programs))
