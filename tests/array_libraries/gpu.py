"""CuPy for the GPU tests, or a skip that says why: values moved to the GPU and back.

Importing this skips the importing test module where CuPy or a CUDA device is missing.
"""
from __future__ import annotations

import numpy as np
import pytest

cp = pytest.importorskip("cupy", reason="CuPy is not installed (pip install s2sgrad[cupy])")
try:
    _DEVICES = cp.cuda.runtime.getDeviceCount()
except Exception as exc:            # no driver, no device
    pytest.skip(f"CuPy has no usable CUDA device ({type(exc).__name__}: {exc})", allow_module_level=True)
if not _DEVICES:
    pytest.skip("CuPy finds no CUDA device", allow_module_level=True)


def to_gpu(value):
    """NumPy float and complex arrays (inside tuples, lists and dicts too) as CuPy arrays; the rest as is."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return cp.asarray(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(to_gpu(v) for v in value)
    if isinstance(value, dict):
        return {k: to_gpu(v) for k, v in value.items()}
    return value


def every_array_to_gpu(value):
    """Like to_gpu, for every NumPy array and scalar (cotangents and tangents of any dtype)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return cp.asarray(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(every_array_to_gpu(v) for v in value)
    if isinstance(value, dict):
        return {k: every_array_to_gpu(v) for k, v in value.items()}
    return value


def to_host(value):
    """CuPy arrays (inside containers too) as NumPy arrays."""
    if isinstance(value, cp.ndarray):
        return cp.asnumpy(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: to_host(v) for k, v in value.items()}
    return value


def leaves(tree) -> list:
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in leaves(item)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in leaves(tree[key])]
    return [tree]


def assert_same_on_gpu(got, want, inputs_on_gpu: bool = True, rtol=1e-9, atol=1e-11):
    """A result tree computed on CuPy equals NumPy's: the same structure and shapes, every array of more
    than 0 dimensions a CuPy array (when the inputs were), values to rtol (the GPU's math library and
    its summation order differ from NumPy's in the last bits)."""
    got, want = leaves(got), leaves(want)
    assert len(got) == len(want), f"{len(got)} results on CuPy, {len(want)} in NumPy"
    for g, w in zip(got, want):
        if inputs_on_gpu and isinstance(w, np.ndarray) and w.ndim > 0:
            assert isinstance(g, cp.ndarray), f"a {type(g).__name__} came back where NumPy gives an array"
        assert np.shape(g) == np.shape(w), f"shape {np.shape(g)} on CuPy, {np.shape(w)} in NumPy"
        np.testing.assert_allclose(np.asarray(to_host(g), dtype=complex), np.asarray(w, dtype=complex),
                                   rtol=rtol, atol=atol)
