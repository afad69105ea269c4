"""What Dask cannot do lazily stops with an error that names the function, the array type and the line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.runtime.namespace import MissingArrayFunctionError

from .lazy import chunked, nothing_computed
from .refusing import Refusing

scipy_special = pytest.importorskip("scipy.special")


def log_det(a):
    return np.linalg.det(a @ a.T + np.eye(3))


def masked_sum(x):
    return np.sum(np.sin(x[x > 0.0]))


def masked_sum_with_where(x):
    return np.sum(np.where(x > 0.0, np.sin(x), 0.0))


def test_a_numpy_function_dask_lacks_names_itself_the_type_and_the_line():
    a = chunked(np.random.default_rng(0).normal(size=(3, 3)))
    with nothing_computed(), pytest.raises(MissingArrayFunctionError) as info:
        s2sgrad.grad(log_det)(a)
    message = str(info.value)
    assert "numpy.linalg.det" in message
    assert "dask.array.core.Array" in message
    assert "return np.linalg.det(a @ a.T + np.eye(3))" in message      # the line of log_det that calls it


def test_a_boolean_mask_read_and_its_where_form_agree_lazily():
    # x[x > 0] has a length Dask knows only once computed; its adjoint is written back block by block
    # (runtime/lazy_masks.py); a mask of rows still stops with an error (test_dask_writes.py)
    x = np.linspace(-1.0, 1.0, 8)
    with nothing_computed():
        lazy = s2sgrad.grad(masked_sum)(chunked(x, 4))
        lazy_where = s2sgrad.grad(masked_sum_with_where)(chunked(x, 4))
    np.testing.assert_allclose(lazy.compute(scheduler="sync"), s2sgrad.grad(masked_sum)(x), rtol=1e-12)
    np.testing.assert_allclose(lazy_where.compute(scheduler="sync"), s2sgrad.grad(masked_sum)(x), rtol=1e-12)


def test_an_integer_dask_array_is_refused_like_an_integer_numpy_array():
    with pytest.raises(s2sgrad.WrtError, match="integer array"):
        s2sgrad.grad(masked_sum_with_where)(chunked(np.arange(4)))


def bessel_sum(x):
    return np.sum(scipy_special.i1(x) * 2.0)


def test_a_ufunc_the_derivative_needs_and_the_library_lacks_names_the_users_line(monkeypatch):
    # like CuPy, which has i1 but not iv: i1's derivative calls iv, every operand declines it, and the
    # error names the ufunc, the array type and the line of bessel_sum the derivative belongs to
    ufunc_call = Refusing.__array_ufunc__

    def without_iv(self, ufunc, method, *inputs, **kwargs):
        if ufunc.__name__ == "iv":
            return NotImplemented
        return ufunc_call(self, ufunc, method, *inputs, **kwargs)

    monkeypatch.setattr(Refusing, "__array_ufunc__", without_iv)
    x = Refusing(np.linspace(0.5, 2.0, 4))
    with pytest.raises(MissingArrayFunctionError) as info:
        s2sgrad.grad(bessel_sum)(x)
    message = str(info.value)
    assert "ufunc iv" in message and "Refusing" in message, message
    assert "return np.sum(scipy_special.i1(x) * 2.0)" in message, message
