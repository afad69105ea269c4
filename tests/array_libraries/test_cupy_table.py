"""Every table entry with an array sample, on CuPy: the primitive, its adjoints and its tangent give CuPy
arrays equal to NumPy's (the same walk as test_no_conversion.py, on a real GPU library).

An entry whose primitive CuPy does not implement (NumPy's dispatch finds no CuPy function) is skipped
with CuPy's reason: the user's own call would stop there before any gradient. So is one whose derivative
calls a function CuPy lacks (scipy.special's iv, kv, jv, ellipe for the Bessel and elliptic entries): a
user's gradient stops there with MissingArrayFunctionError naming the line (test_cupy.py). An adjoint or
tangent that fails otherwise, converts to NumPy, gives a NumPy array where its primitive ran on CuPy, or
meets a NumPy array a runtime helper made (np.eye, np.arange beside a CuPy array) is a failure.
"""
import numpy as np
import pytest

from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, Rule, load_scipy_rules

from .gpu import assert_same_on_gpu, cp, every_array_to_gpu
from .table_walk import DerivativeFunctionMissing, PrimitiveRefused, entry_params, evaluate

load_scipy_rules()
CASES = [case for key, rule in DEFAULT_RULES.items() if isinstance(rule, Rule) and key in BUILTIN_KEYS
         for case in entry_params(key, rule)]


@pytest.mark.parametrize("key, args, kwargs", CASES)
def test_entry_runs_on_cupy(key, args, kwargs):
    try:
        results = evaluate(key, args, kwargs, cp.asarray, every_array_to_gpu,
                           refusals=(TypeError, NotImplementedError, AttributeError), library="cupy")
    except PrimitiveRefused as exc:
        pytest.skip(f"CuPy lacks it: {exc}"[:300])
    except DerivativeFunctionMissing as exc:
        pytest.skip(f"CuPy lacks the derivative's function: {exc}"[:300])
    for what, got, want in results:
        try:
            assert_same_on_gpu(got, want)
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None
