"""The numba versions of the runtime helpers (jit/helpers.py) compute what the Python helpers compute."""
import numba
import numpy as np
import pytest

from s2sgrad.jit import helpers
from s2sgrad.runtime import arrays, complex_values, containers, elementwise, indexing, linalg, namespace, reductions

RNG = np.random.default_rng(11)
V = RNG.normal(size=5)
M = RNG.normal(size=(3, 5))
N = RNG.normal(size=(5, 4))


def _compiled(name, count):
    """An njit function of `count` arguments that calls the numba version of helpers.<name>."""
    parameters = ", ".join(f"a{i}" for i in range(count))
    namespace_ = {"helper": getattr(helpers, name)}
    exec(f"def call({parameters}):\n    return helper({parameters})", namespace_)
    return numba.njit(namespace_["call"])


def _same(got, expected):
    assert np.shape(got) == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name, python, args", [
    ("element_count", namespace.element_count, (M,)),
    ("element_count", namespace.element_count, (2.5,)),
    ("add_adjoints", containers.add_adjoints, (M, V)),
    ("add_adjoints", containers.add_adjoints, (1.5, V)),
    ("inside_clip", elementwise.inside_clip, (V, -0.5, 0.5)),
    ("inside_clip", elementwise.inside_clip, (V, None, 0.2)),
    ("inside_clip", elementwise.inside_clip, (0.3, -1.0, None)),
    ("extremum_adjoint", reductions.extremum_adjoint, (2.0, np.array([1.0, 3.0, 3.0, -1.0]), 3.0)),
    ("last_writes", indexing.last_writes, (V[:4].copy(), np.array([1, 3, 1, -4]), V)),
    ("last_writes", indexing.last_writes, (V[:2].copy(), np.array([0, 2]), V)),
    ("matmul_adjoint_left", arrays.matmul_adjoint_left, (RNG.normal(size=(3, 4)), M, N)),
    ("matmul_adjoint_right", arrays.matmul_adjoint_right, (RNG.normal(size=(3, 4)), M, N)),
    ("matmul_adjoint_left", arrays.matmul_adjoint_left, (RNG.normal(size=3), M, V)),
    ("matmul_adjoint_right", arrays.matmul_adjoint_right, (RNG.normal(size=3), M, V)),
    ("matmul_adjoint_left", arrays.matmul_adjoint_left, (RNG.normal(size=4), V, N)),
    ("matmul_adjoint_right", arrays.matmul_adjoint_right, (RNG.normal(size=4), V, N)),
    ("matmul_adjoint_left", arrays.matmul_adjoint_left, (1.5, V, V)),
    ("matmul_adjoint_right", arrays.matmul_adjoint_right, (1.5, V, V)),
    ("dot_adjoint_left", linalg.dot_adjoint_left, (RNG.normal(size=(3, 4)), M, N)),
    ("dot_adjoint_right", linalg.dot_adjoint_right, (RNG.normal(size=4), V, N)),
    ("dot_adjoint_left", linalg.dot_adjoint_left, (V, 2.0, V)),
    ("dot_adjoint_right", linalg.dot_adjoint_right, (V, 2.0, V)),
    ("abs_adjoint", complex_values.abs_adjoint, (V, M[0], np.abs(M[0]))),
    ("var_adjoint", reductions.var_adjoint, (1.5, M)),
    ("unbroadcast", arrays.unbroadcast, (RNG.normal(size=(2, 3, 5)), V)),
    ("unbroadcast", arrays.unbroadcast, (2.0, M)),
])
def test_a_numba_helper_equals_the_python_helper(name, python, args):
    if name.startswith(("matmul", "dot")) and sum(np.ndim(a) >= 1 for a in args) == 3:
        pytest.importorskip("scipy", reason="numba's @ between matrices calls SciPy's BLAS")
    _same(_compiled(name, len(args))(*args), python(*args))


@pytest.mark.parametrize("index, g", [
    (2, 1.5),
    (slice(1, 4), np.array([1.0, 2.0, 3.0])),
    (np.array([0, 3, 0, 4]), np.array([1.0, 2.0, 3.0, 4.0])),       # a repeated position adds twice
    (np.array([1, 1]), 0.5),
    (np.array([True, False, True, False, False]), np.array([2.0, -1.0])),
])
def test_add_at_counts_repeated_positions_as_numpy_add_at(index, g):
    expected = indexing.add_at(np.zeros(5), index, g)
    _same(_compiled("add_at", 3)(np.zeros(5), index, g), expected)


def test_a_case_the_numba_helper_does_not_cover_is_a_typing_error():
    # extremum_adjoint over a tuple of axes: no numba version (one axis or all of them compile), so the
    # specialization falls back to Python
    with pytest.raises(numba.core.errors.TypingError):
        numba.njit(lambda g, x, y: helpers.extremum_adjoint(g, x, y, (0, 1)))(np.float64(1.0), M, np.max(M))


@pytest.mark.parametrize("side", [0, 1])
def test_concatenation_part_reduces_to_the_side_the_generated_code_names(side):
    from s2sgrad.runtime import sequences
    g, a, b = RNG.normal(size=(3, 5)), 2.0, V
    compiled = numba.njit(lambda g, a, b: helpers.concatenation_part(g, a, b, 0)) if side == 0 else \
        numba.njit(lambda g, a, b: helpers.concatenation_part(g, a, b, 1))
    _same(compiled(g, a, b), sequences.concatenation_part(g, a, b, side))
