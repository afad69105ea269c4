"""Values read from outside the function, in broadcasting arithmetic: gradients match central differences.

Random programs (outside_programs.py) read attributes, dict entries, list
items, `.T` and rows and columns of module-level and closure objects, combined
with inputs that are numbers, vectors, matrices, rows and columns. Every
gradient must have its input's shape and agree with central differences
(the tests/property_arrays harness: it re-draws points at kinks, then runs
check_grad with its default tolerances).
"""
import random

import pytest

from ..property_arrays.harness import check_programs, load_module, summary
from .outside_programs import OutsideProgramGenerator

BATCHES = 4
PER_BATCH = 50


@pytest.mark.parametrize("batch", range(BATCHES))
def test_gradients_of_programs_reading_outside_values(batch, tmp_path):
    seed = f"outside-values/{batch}"
    generator = OutsideProgramGenerator(random.Random(seed))
    programs = [generator.program(f"o{batch}_{k}") for k in range(PER_BATCH)]
    module = load_module(tmp_path, f"outside_values_{batch}", programs)
    outcome = check_programs(programs, module, seed)
    assert not outcome.failures, (
        f"{len(outcome.failures)} generated programs failed ({summary(outcome, len(programs))}):\n\n"
        + "\n".join(outcome.failures))
    assert outcome.checked >= 0.9 * len(programs), summary(outcome, len(programs))     # not hollowed out
