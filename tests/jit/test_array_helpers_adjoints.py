"""The numba versions of the adjoints of reductions over an axis (`extremum_adjoint`, `var_adjoint`,
`std_adjoint`, `cumsum_adjoint`, `product_of_others`) and of `unbroadcast` / `broadcast_like` along a
stretched axis: the Python helpers' results, ties in max / min shared exactly as they share them, on
every axis (negative ones included), with and without keepdims, and on a length-1 axis.

numba compiles each literal axis apart: each test compiles one function returning every variant.
"""
import functools

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from s2sgrad.jit import helpers  # noqa: E402
from s2sgrad.runtime import arrays, reductions, tangents  # noqa: E402
from s2sgrad.runtime.nan_reductions import std_adjoint as python_std_adjoint  # noqa: E402

# (axis, keepdims) for a 3-D array; None: the whole array (each variant is a numba compile of its own: a few)
VARIANTS = [(None, False), (1, True), (-1, False)]
RNG = np.random.default_rng(21)      # unbroadcast's shapes


@functools.lru_cache(maxsize=None)
def _every(call: str, parameters: str, variants: tuple):
    """One compiled function returning `call` for each (axis, keepdims, ddof) of `variants`, its parameters
    numbered by variant (`g0, y0, g1, y1, ...`): one numba compile per test, not one per variant."""
    scope = {name: getattr(helpers, name) for name in ("extremum_adjoint", "var_adjoint", "std_adjoint",
                                                       "cumsum_adjoint", "product_of_others")}
    names = [p.strip() for p in parameters.split(",")]
    numbered = ", ".join(["x", *(f"{n}{k}" for k in range(len(variants)) for n in names if n != "x")])
    calls = []
    for k, (axis, keepdims, ddof) in enumerate(variants):
        text = call.format(axis=axis, keepdims=keepdims, ddof=ddof)
        for n in names:
            if n != "x":
                text = text.replace(f"{n},", f"{n}{k},").replace(f"{n})", f"{n}{k})")
        calls.append(text)
    exec(f"def every({numbered}):\n    return ({', '.join(calls)},)\n", scope)
    return numba.njit(scope["every"]), names


def _run(call, parameters, variants, x, per_variant):
    """The compiled results of every variant; per_variant[k]: the arguments other than x of variant k."""
    compiled, names = _every(call, parameters, tuple(variants))
    arguments = [x] + [a for values in per_variant for a in values]
    return compiled(*arguments)


def _ties():
    # values on a coarse grid: every max and min along every axis is shared by several elements
    return np.round(np.random.default_rng(3).uniform(-1.0, 1.0, size=(2, 3, 4)) * 2.0) / 2.0


def _outputs(reduce, x, ddof=None, seed=0):
    rng = np.random.default_rng(seed)
    extra = {} if ddof is None else {"ddof": ddof}
    ys = tuple(reduce(x, axis=axis, keepdims=keepdims, **extra) for axis, keepdims in VARIANTS)
    gs = tuple(rng.normal(size=np.shape(y)) if np.ndim(y) else float(rng.normal()) for y in ys)
    return ys, gs


@pytest.mark.parametrize("reduce", [np.max, np.min])
def test_extremum_adjoint_shares_ties_as_the_python_helper_to_the_bit(reduce):
    x = _ties()
    ys, gs = _outputs(reduce, x)
    variants = [(axis, keepdims, 0) for axis, keepdims in VARIANTS]
    got = _run("extremum_adjoint(g, x, y, {axis}, {keepdims})", "g, x, y", variants, x, list(zip(gs, ys)))
    for k, (axis, keepdims) in enumerate(VARIANTS):
        expected = reductions.extremum_adjoint(gs[k], x, ys[k], axis, keepdims)
        assert got[k].shape == expected.shape
        np.testing.assert_array_equal(got[k], expected)


def test_var_and_std_adjoints_over_every_axis_equal_the_python_helpers():
    x = np.random.default_rng(5).normal(size=(2, 3, 4))
    var_ys, gs = _outputs(np.var, x, 1, seed=1)
    std_ys, _ = _outputs(np.std, x, 0)
    var = _run("var_adjoint(g, x, {axis}, {ddof}, {keepdims})", "g, x", [(a, k, 1) for a, k in VARIANTS], x,
               [(g,) for g in gs])
    std = _run("std_adjoint(g, x, y, {axis}, {ddof}, {keepdims})", "g, x, y", [(a, k, 0) for a, k in VARIANTS], x,
               list(zip(gs, std_ys)))
    for k, (axis, keepdims) in enumerate(VARIANTS):
        np.testing.assert_allclose(var[k], reductions.var_adjoint(gs[k], x, axis, 1, keepdims), rtol=1e-12)
        expected = python_std_adjoint(gs[k], x, std_ys[k], axis, 0, keepdims)
        assert np.shape(std[k]) == np.shape(expected)
        np.testing.assert_allclose(std[k], expected, rtol=1e-12)


def test_a_length_one_axis_and_numbers():
    column = np.random.default_rng(6).normal(size=(3, 1))
    g = np.random.default_rng(7).normal(size=3)
    y_std, y_max = np.std(column, axis=-1), np.max(column, axis=1, keepdims=True)
    std = _run("std_adjoint(g, x, y, {axis}, {ddof}, {keepdims})", "g, x, y", [(-1, False, 0)], column,
               [(g, y_std)])[0]
    # a group of one element, ddof 0: its deviation is 0 whatever it is, so is its adjoint (not 0 / 0)
    np.testing.assert_array_equal(std, python_std_adjoint(g, column, y_std, -1, 0, False))
    top = _run("extremum_adjoint(g, x, y, {axis}, {keepdims})", "g, x, y", [(1, True, 0)], column,
               [(g[:, None], y_max)])[0]
    np.testing.assert_array_equal(top, reductions.extremum_adjoint(g[:, None], column, y_max, 1, True))
    number = _run("extremum_adjoint(g, x, y, {axis}, {keepdims})", "g, x, y", [(None, False, 0)], 0.75,
                  [(2.5, 0.75)])[0]
    assert number == reductions.extremum_adjoint(2.5, 0.75, 0.75) == 2.5
    var = _run("var_adjoint(g, x, {axis}, {ddof}, {keepdims})", "g, x", [(None, False, 0)], 1.5, [(2.0,)])[0]
    assert var == reductions.var_adjoint(2.0, 1.5) == 0.0


def test_cumsum_adjoint_and_product_of_others_along_an_axis():
    shape = (2, 3, 4)
    x = np.random.default_rng(8).normal(size=shape)
    x.flat[1] = 0.0                                   # a zero: product_of_others divides by nothing
    axes = [None, 0, -1]
    gs = [np.random.default_rng(k).normal(size=x.size if axis is None else shape) for k, axis in enumerate(axes)]
    variants = [(axis, False, 0) for axis in axes]
    cumsums = _run("cumsum_adjoint(g, x, {axis})", "g, x", variants, x, [(g,) for g in gs])
    others = _run("product_of_others(x, {axis})", "x", variants, x, [() for _ in axes])
    for k, axis in enumerate(axes):
        np.testing.assert_array_equal(cumsums[k], reductions.cumsum_adjoint(gs[k], x, axis))
        np.testing.assert_array_equal(others[k], reductions.product_of_others(x, axis))


@numba.njit
def _unbroadcast(g, x):
    return helpers.unbroadcast(g, x)


@numba.njit
def _broadcast_like(t, y):
    return helpers.broadcast_like(t, y)


@pytest.mark.parametrize("g_shape, x_shape", [((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 4), (1, 1)),
                                              ((2, 3, 4), (3, 1)), ((3, 4), (3, 4))])
def test_unbroadcast_sums_a_stretched_axis_as_the_python_helper(g_shape, x_shape):
    g, x = RNG.normal(size=g_shape), RNG.normal(size=x_shape)
    got, expected = _unbroadcast(g, x), arrays.unbroadcast(g, x)
    assert got.shape == expected.shape == x_shape
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    t = RNG.normal(size=x_shape)
    y = np.zeros(np.broadcast_shapes(g_shape, x_shape)[-len(x_shape):])
    np.testing.assert_array_equal(_broadcast_like(t, y), tangents.broadcast_like(t, y))


def test_unbroadcast_of_shapes_broadcasting_cannot_give_asks_for_python():
    with pytest.raises(helpers.NeedsPython):
        _unbroadcast(np.ones((3, 4)), np.ones((2, 4)))
