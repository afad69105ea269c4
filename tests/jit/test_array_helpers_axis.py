"""The numba versions of `unreduce` over one axis (the adjoint of np.sum(x, axis=k)), of
`product_of_others` (np.prod's adjoint) and of NumPy's reductions over one axis (`reduce_axis`: numba's
np.mean, np.min, np.var, ... take no axis): the Python results, and the gradients that reach them compile
whole."""
import numpy as np
import pytest

numba = pytest.importorskip("numba")

import s2sgrad  # noqa: E402
from s2sgrad.jit.helpers import product_of_others, reduce_axis, unreduce  # noqa: E402
from s2sgrad.runtime.arrays import unreduce as python_unreduce  # noqa: E402
from s2sgrad.runtime.reductions import product_of_others as python_product_of_others  # noqa: E402

from . import call_functions as c  # noqa: E402
from .compiled_whole import compiled_equals_python  # noqa: E402


@numba.njit
def _compiled(g, x, axis):
    return unreduce(g, x, axis)


@numba.njit
def _compiled_kept(g, x, axis):
    return unreduce(g, x, axis, True)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
def test_every_axis_with_and_without_keepdims_equals_the_python_helper(shape):
    x = np.random.default_rng(5).normal(size=shape)
    for axis in range(-len(shape), len(shape)):
        g = np.sum(x, axis=axis)
        np.testing.assert_array_equal(_compiled(g, x, axis), python_unreduce(g, x, axis))
        kept = np.sum(x, axis=axis, keepdims=True)
        np.testing.assert_array_equal(_compiled_kept(kept, x, axis), python_unreduce(kept, x, axis, True))


@pytest.mark.parametrize("function, args", [
    (c.row_sums, (np.linspace(-1.0, 1.0, 12).reshape(3, 4), np.linspace(0.5, 2.0, 12).reshape(3, 4))),
    (c.last_axis_sums, (np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4),)),
    (c.product, (np.linspace(-1.0, 1.0, 7),)),                   # a zero among the elements
    (c.product, (np.linspace(0.5, 1.5, 12).reshape(3, 4),)),
    (c.row_means, (np.random.default_rng(8).normal(size=(4, 5)),)),      # reductions over one axis
])
def test_gradients_through_sums_over_an_axis_compile_whole(function, args):
    assert "unreduce(" in s2sgrad.value_and_grad(function, wrt=tuple(range(len(args)))).source_for(*args)
    compiled_equals_python(function, *args)


@numba.njit
def _others(x):
    return product_of_others(x, None)


@pytest.mark.parametrize("x", [np.array([1.5, 0.0, 2.0, 0.0]), np.array([2.0, 0.0, 3.0]), np.empty(0),
                               np.linspace(-2.0, 2.0, 12).reshape(3, 4),
                               np.linspace(1.0, 2.0, 20).reshape(4, 5)[:, ::2]])      # a strided view
def test_product_of_others_is_the_python_helpers_to_the_bit(x):
    np.testing.assert_array_equal(_others(x), python_product_of_others(x, None))


_AXES = [(0, False), (1, True), (-1, False), (-3, True)]


def _reductions(op):
    ddof = 1 if op in ("var", "std") else 0
    scope = {"reduce_axis": reduce_axis}
    calls = ", ".join(f"reduce_axis('{op}', x, {axis}, {keepdims}, {ddof})" for axis, keepdims in _AXES)
    exec(f"def every_axis(x):\n    return ({calls})\n", scope)
    return numba.njit(scope["every_axis"]), ddof


@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "prod", "var", "std"])
def test_reductions_over_one_axis_equal_numpys(op):
    x = np.random.default_rng(4).normal(size=(2, 3, 4))
    every_axis, ddof = _reductions(op)
    extra = {"ddof": ddof} if op in ("var", "std") else {}
    for got, (axis, keepdims) in zip(every_axis(x), _AXES):
        expected = getattr(np, op)(x, axis=axis, keepdims=keepdims, **extra)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_the_rewrite_names_the_reduction_its_axis_and_keepdims():
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    source = s2sgrad.jit(s2sgrad.value_and_grad(c.row_means)).source_for(x)
    assert "reduce_axis('mean', x, 1, True, 0)" in source and "reduce_axis('sum', x, -1, True, 0)" in source
    assert "reduce_axis('mean', x, 0, False, 0)" in source
