"""The transcendental functions of fused loops (jit/vector_math.py): NumPy's values to a few ulp, special
values included, in loops LLVM vectorizes and in scalar code; and fused loops with sums, which run in
blocks so they can be vectorized, add their terms in the same order for every length."""
import warnings

import numpy as np
import pytest

numba = pytest.importorskip("numba")

import s2sgrad  # noqa: E402
from s2sgrad.jit import vector_math  # noqa: E402

from . import fusion_functions as f  # noqa: E402

# inside each function's domain, with points near its zeros and poles, and values outside it
DOMAINS = {
    "exp": (-745.0, 709.0), "expm1": (-40.0, 709.0), "log": (1e-300, 1e300), "log1p": (-0.999999, 1e10),
    "log2": (1e-300, 1e300), "log10": (1e-300, 1e300), "sin": (-1e4, 1e4), "cos": (-1e4, 1e4),
    "tan": (-1e3, 1e3), "asin": (-1.0, 1.0), "acos": (-1.0, 1.0), "atan": (-1e6, 1e6), "sinh": (-700.0, 700.0),
    "cosh": (-700.0, 700.0), "tanh": (-30.0, 30.0), "asinh": (-1e6, 1e6), "acosh": (1.0, 1e6),
    "atanh": (-0.999999, 0.999999),
}
SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 800.0, -800.0, np.inf, -np.inf, np.nan, 3.0, -3.0])


def _ufunc(name):
    return next(u for u, n in vector_math.VECTOR_NAMES.items() if n == name)


def _loop(name):
    """A loop LLVM vectorizes (no sum, no other call), over an array of any length."""
    function = getattr(vector_math, name)

    @numba.njit
    def loop(x, out):
        for i in range(x.size):
            out[i] = function(x[i])
    return loop


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_each_function_equals_numpy_in_a_vectorized_loop(name):
    low, high = DOMAINS[name]
    rng = np.random.default_rng(3)
    # 1,003 points: not a multiple of the lanes, so the scalar remainder runs too
    x = np.concatenate([np.linspace(low, high, 500), rng.uniform(low, high, 489), SPECIAL])
    out = np.empty_like(x)
    loop = _loop(name)
    loop(x, out)
    with np.errstate(all="ignore"):
        expected = _ufunc(name)(x)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-300)
    if vector_math.describe().startswith("glibc libmvec"):
        # the loop calls the vector version: the reason this module exists
        assert "_ZGV" in loop.inspect_llvm(loop.signatures[0])


def test_numbers_and_integers_outside_loops():
    exp, atanh = vector_math.exp, vector_math.atanh

    @numba.njit
    def scalar(a, n):
        return exp(a) + exp(n) + atanh(a / 4.0)
    assert scalar(1.5, 2) == pytest.approx(np.exp(1.5) + np.exp(2) + np.arctanh(1.5 / 4.0), rel=1e-14)


@pytest.mark.parametrize("n", [255, 256, 257, 1000])
def test_a_fused_loop_with_its_sum_runs_in_blocks_with_every_remainder(n):
    x = np.linspace(-2.0, 2.0, n)
    g = s2sgrad.value_and_grad(f.chain)
    fast = s2sgrad.jit(g)
    source = fast.source_for(x)
    assert "for start in range(0, size, 256):" in source and "vector_exp(" in source
    assert vector_math.describe() in source       # the text (numba's cache key) names the machine code's kind
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        value, grad = fast(x)
    expected_value, expected_grad = g(x)
    # the Python version sums pairwise, the loop in order: equal to rounding
    np.testing.assert_allclose(value, expected_value, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-7, atol=0)
    # in order: the blocked sum is exactly the running sum of the same terms
    terms = (np.sin(x) * np.exp(-x * x) + np.tanh(x)) ** 2
    running = 0.0
    for term in terms:
        running += term
    assert value == pytest.approx(running, rel=1e-14)
