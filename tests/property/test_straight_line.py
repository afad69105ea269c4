"""Random straight-line scalar programs: s2sgrad's gradient matches central differences.

Generator (see programs.py, harness.py): a seeded random.Random writes each
program as source text from expression templates whose operations stay in
their domains by construction (log(1 + x*x), asin(0.9 * tanh(x)), ...):
arithmetic, math/NumPy/builtin functions, non-differentiable operations,
re-assignment, augmented assignment, tuple unpacking and swaps, defaults and
keyword-only parameters, and everyday Python around them (comprehensions,
dicts, map/filter, zip(*pairs), a namedtuple, lambdas, a module-level helper:
programs.py COLLECTIONS; decorated helpers, helpers drawing random numbers,
module-level records, builtin reductions, dict iteration, nested defs counting
their calls: programs.py EVERYDAY, test_everyday.py). A batch of programs becomes one module under
tmp_path. Sample points near kinks or with ill-conditioned differences are
re-drawn (harness.py); at the chosen point check_grad runs with its defaults.
A failure shows each failing program's source and the check_grad call that
reproduces it.
"""
import os
import random

import pytest

from .harness import check_programs, load_programs, summary
from .programs import Features, ProgramGenerator

# 1,000 programs; S2SGRAD_PROPERTY_SCALE=N runs N times as many (new seeds) for a longer bug hunt
BATCHES = 10 * int(os.environ.get("S2SGRAD_PROPERTY_SCALE", "1"))
PER_BATCH = 100
FEATURES = Features(control_flow=False, collections=True, everyday=True)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_gradients_of_random_straight_line_programs(batch, tmp_path):
    seed = f"straight-line/{batch}"
    generator = ProgramGenerator(random.Random(seed), FEATURES, statements=(2, 4), leaf_probability=0.3)
    programs = [generator.program(f"f{batch}_{k}") for k in range(PER_BATCH)]
    plain, twin = load_programs(tmp_path, f"straight_{batch}", programs)
    outcome = check_programs(programs, plain, twin, seed)
    assert not outcome.failures, (
        f"{len(outcome.failures)} generated programs failed ({summary(outcome, programs)}):\n\n"
        + "\n".join(outcome.failures))
    # the filters must not hollow the test out
    assert outcome.checked >= 0.9 * len(programs), summary(outcome, programs)
