"""Dask arrays for the tests: chunked copies of NumPy values, and a scheduler that refuses to compute.

Inside `nothing_computed()` any computation (compute, persist, float(), bool(), np.asarray on a Dask
array) raises: a gradient call there proves that it only built a task graph.
"""
from __future__ import annotations

import contextlib

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install s2sgrad[dask])")
import dask  # noqa: E402  (after the skip)


class ComputedError(AssertionError):
    """A gradient call asked Dask to compute."""


def _refuse(*args, **kwargs):
    raise ComputedError("the gradient call computed a Dask array; it should only build the task graph")


@contextlib.contextmanager
def nothing_computed():
    with dask.config.set(scheduler=_refuse):
        yield


def chunked(value, parts: int = 2):
    """`value` (an array, or a tuple / dict of them) as Dask arrays cut into `parts` chunks along each axis;
    numbers stay numbers."""
    if isinstance(value, np.ndarray):
        return da.from_array(value, chunks=tuple(max(1, -(-n // parts)) for n in value.shape))
    if isinstance(value, tuple):
        return tuple(chunked(v, parts) for v in value)
    if isinstance(value, dict):
        return {k: chunked(v, parts) for k, v in value.items()}
    return value


def computed(value):
    """The NumPy values of a result tree (Dask arrays computed, synchronously, in one pass)."""
    return dask.compute(value, scheduler="sync")[0]


def leaves(tree) -> list:
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in leaves(item)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in leaves(tree[key])]
    return [tree]


def assert_close(got, want, rtol=1e-10):
    got, want = leaves(got), leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(np.asarray(g, dtype=float), np.asarray(w, dtype=float), rtol=rtol, atol=1e-13)
