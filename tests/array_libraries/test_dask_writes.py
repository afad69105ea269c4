"""Writes into arrays (`y[i] = v`) and boolean-mask reads (`x[x > 0]`) on Dask, under a scheduler that
refuses to compute: the gradient is a task graph that, computed, equals NumPy's; an index Dask refuses
stops with an error naming the user's line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import MissingArrayFunctionError, UnsupportedConstructError

from .lazy import chunked, computed, da, nothing_computed
from .write_programs import (MATRIX, VECTOR, dask_mask_write, masked_matrix, masked_rows, masked_sum,
                             matrix_mask_write, pairs_write, rows_and_columns, writes_in_a_loop, writes_of_each_kind)


@pytest.mark.parametrize("f, x, parts", [
    (writes_of_each_kind, VECTOR, 2), (writes_of_each_kind, VECTOR, 3), (writes_in_a_loop, VECTOR, 2),
    (rows_and_columns, MATRIX, 2), (dask_mask_write, MATRIX, 2), (dask_mask_write, VECTOR, 3),
    (masked_sum, VECTOR, 3), (masked_matrix, MATRIX, 2), (masked_matrix, MATRIX, 3),
])
def test_gradient_on_dask_is_lazy_and_equals_numpy(f, x, parts):
    value, grad = s2sgrad.value_and_grad(f)(x)
    with nothing_computed():
        lazy_value, lazy_grad = s2sgrad.value_and_grad(f)(chunked(x, parts))
    assert isinstance(lazy_grad, da.Array)
    got_value, got_grad = computed((lazy_value, lazy_grad))
    np.testing.assert_allclose(got_value, value, rtol=1e-12)
    np.testing.assert_allclose(got_grad, grad, rtol=1e-12, atol=1e-14)


def test_the_saved_copy_is_written_for_any_array_library():
    source = s2sgrad.grad(writes_of_each_kind).source_for(VECTOR)
    assert "copy_of(y[1])" in source and "np.copy" not in source
    # through a mask computed in place, the whole array is saved and put back
    source = s2sgrad.grad(dask_mask_write).source_for(VECTOR)
    assert "copy_of(b)" in source and "b[...] = " in source


@pytest.mark.parametrize("f, line, refused", [
    (pairs_write, "b[PAIR_ROWS, PAIR_COLS] = a[0, :2] ** 2", "NotImplementedError"),
    (matrix_mask_write, "b[MASK_2D] = 0.0", "IndexError"),
])
def test_a_write_dask_refuses_names_the_users_line(f, line, refused):
    s2sgrad.grad(f)(MATRIX)                              # NumPy takes it
    with nothing_computed(), pytest.raises(UnsupportedConstructError) as info:
        s2sgrad.grad(f)(chunked(MATRIX, 2))
    message = str(info.value)
    assert "write into a Dask array" in message and refused in message
    assert line in message and f"in {f.__name__}" in message
    assert "np.where(mask, v, x)" in message


def test_a_row_mask_read_still_says_what_to_write_instead():
    # a 1-D mask of the rows: its adjoint is not written back lazily yet
    with nothing_computed(), pytest.raises(MissingArrayFunctionError, match=r"np\.where\(mask, x, 0\)"):
        s2sgrad.grad(masked_rows)(chunked(MATRIX, 2))
