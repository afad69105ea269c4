"""Silently wrong gradients found by reading the code, each pinned by its smallest reproducer.

Values read from outside the function (a global's or a closure's attribute, a
container's element, `.T` of a global array) have a shape nobody knows when
the gradient is built: their contribution must be reduced to the input's shape.
"""
import math
import types

import numpy as np
import pytest

from s2sgrad import check_grad, grad

cfg = types.SimpleNamespace(W=np.arange(6.0).reshape(2, 3))
B = np.arange(6.0).reshape(3, 2)
TABLE = {"w": np.arange(6.0).reshape(2, 3)}
ROWS = [np.arange(3.0), np.arange(6.0).reshape(2, 3)]


def times_attribute_of_global(x):
    return np.sum(x * cfg.W)


def times_transpose_of_global(x):
    return np.sum(x * B.T)


def times_dict_entry(x):
    return np.sum(x * TABLE["w"])


def times_list_item(x):
    return np.sum(np.multiply(ROWS[1], x))


def attribute_copied_first(x):
    w = cfg.W
    return np.sum(w * x)


def make_closure_reader():
    inner = types.SimpleNamespace(W=np.arange(6.0).reshape(2, 3))

    def times_attribute_of_closure(x):
        return np.sum(x * inner.W - inner.W.T.T)
    return times_attribute_of_closure


times_attribute_of_closure = make_closure_reader()


@pytest.mark.parametrize("x", [np.ones(3), np.array([0.5, -1.0, 2.0]), 2.0, np.ones((1, 3)), np.ones((2, 1))],
                         ids=["vector", "vector2", "scalar", "row", "column"])
def test_attribute_of_global_is_reduced_to_the_input_shape(x):
    assert np.shape(grad(times_attribute_of_global)(x)) == np.shape(x)
    check_grad(times_attribute_of_global, x)


def test_examples_from_the_issue():
    np.testing.assert_allclose(grad(times_attribute_of_global)(np.ones(3)), [3.0, 5.0, 7.0])
    np.testing.assert_allclose(grad(times_transpose_of_global)(np.ones(3)), B.T.sum(0))
    assert grad(times_attribute_of_global)(2.0) == pytest.approx(15.0)


@pytest.mark.parametrize("fn", [times_transpose_of_global, times_dict_entry, times_list_item,
                                attribute_copied_first, times_attribute_of_closure])
@pytest.mark.parametrize("x", [np.array([0.5, -1.0, 2.0]), 1.5], ids=["vector", "scalar"])
def test_outside_values_in_broadcasting_arithmetic(fn, x):
    assert np.shape(check_grad(fn, x)) == np.shape(x)


def scaled_by_pi(x):
    y = x * math.pi
    return y * x + np.e


def test_module_constants_keep_scalar_code_textbook_clean():
    source = grad(scaled_by_pi).source_for(2.0)
    assert "unbroadcast" not in source
    assert "dy * math.pi" in source
    assert grad(scaled_by_pi)(2.0) == pytest.approx(4 * math.pi)
