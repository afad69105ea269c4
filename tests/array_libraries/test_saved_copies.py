"""The copy an in-place write saves is the runtime's copy_of in the single-assignment form itself, with
its entry in the table: both modes run it, on NumPy and on Dask, and a module without NumPy needs none."""
import numpy as np
import pytest

import s2sgrad

from . import without_numpy
from .lazy import chunked, computed, da, nothing_computed
from .write_programs import MATRIX, VECTOR, dask_mask_write, rows_and_columns, writes_in_a_loop, \
    writes_of_each_kind

X = np.array([0.4, -1.1, 0.8, 1.7])


@pytest.mark.parametrize("f, x, parts", [
    (writes_of_each_kind, VECTOR, 2), (writes_in_a_loop, VECTOR, 3), (rows_and_columns, MATRIX, 2),
    (dask_mask_write, MATRIX, 2), (without_numpy.written_array, X, 2),
    (without_numpy.written_list_of_arrays, X, 2),
])
def test_forward_mode_with_writes_on_dask_is_lazy_and_equals_numpy(f, x, parts):
    tangent = np.cos(np.arange(x.size)).reshape(x.shape)
    value, derivative = s2sgrad.jvp(f, (x,), (tangent,))
    with nothing_computed():
        lazy_value, lazy_derivative = s2sgrad.jvp(f, (chunked(x, parts),), (chunked(tangent, parts),))
    assert isinstance(lazy_derivative, da.Array)
    got_value, got_derivative = computed((lazy_value, lazy_derivative))
    np.testing.assert_allclose(got_value, value, rtol=1e-12)
    np.testing.assert_allclose(got_derivative, derivative, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("f", [without_numpy.written_array, without_numpy.written_list_of_arrays],
                         ids=lambda f: f.__name__)
def test_writes_in_a_module_without_numpy(f):
    g = s2sgrad.grad(f)
    assert "copy_of(" in g.ssa_source and "np." not in g.ssa_source
    h = 1e-6
    numeric = [(f(X + h * e) - f(X - h * e)) / (2 * h) for e in np.eye(X.size)]
    np.testing.assert_allclose(g(X), numeric, rtol=1e-6, atol=1e-8)
    tangent = np.array([0.3, -0.5, 1.0, 0.2])
    _, derivative = s2sgrad.jvp(f, (X,), (tangent,))
    np.testing.assert_allclose(derivative, np.dot(numeric, tangent), rtol=1e-6, atol=1e-8)
    with nothing_computed():
        lazy = s2sgrad.grad(f)(chunked(X, 2))
    np.testing.assert_allclose(computed(lazy), numeric, rtol=1e-6, atol=1e-8)


def test_the_copy_node_is_the_reverse_sweeps_alone():
    # the forward sweep shows the single-assignment form's own line; the tangent code, which runs no
    # reverse sweep to put overwritten values back, leaves it out
    line = "copy_of(y[1])"
    assert line in s2sgrad.grad(writes_of_each_kind).ssa_source
    assert line in s2sgrad.grad(writes_of_each_kind).source_for(VECTOR)
    assert "copy_of(" not in s2sgrad.jvp_source(writes_of_each_kind, VECTOR)
