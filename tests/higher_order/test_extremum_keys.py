"""max and min with a key that is a bound method of a builtin (d.get, a list's index): the key's values
are only compared, so forward mode over the gradient (a Hessian) and jvp do not try to differentiate the
method (it has no Python source); checked against central differences."""
import numpy as np
import pytest

import s2sgrad

from .differences import central


def largest_entry(x):
    d = {"a": x[0] ** 2, "b": x[1] * x[2], "c": np.sin(x[2])}
    return d[max(d, key=d.get)] ** 2


def by_list_index(x):
    values = [x[0] * x[1], x[1] - 1.0, x[2] ** 3]
    order = [2, 0, 1]
    i = min([0, 1, 2], key=order.index)
    return values[i] * x[1] + max(values, key=abs)


X = np.array([0.5, 1.5, 2.0])


def test_hessian_through_max_with_a_dict_get_key():
    h = s2sgrad.hessian(largest_entry)(X)
    np.testing.assert_allclose(h, central(s2sgrad.grad(largest_entry), X, eps=1e-5), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(h, [[0, 0, 0], [0, 2 * X[2] ** 2, 4 * X[1] * X[2]],
                                   [0, 4 * X[1] * X[2], 2 * X[1] ** 2]], rtol=1e-12)


def test_jvp_and_hessian_through_min_with_a_list_index_key():
    value, tangent = s2sgrad.jvp(by_list_index, (X,), (np.array([1.0, -1.0, 0.5]),))
    assert value == by_list_index(X)
    assert tangent == pytest.approx(np.dot(central(by_list_index, X, eps=1e-5), [1.0, -1.0, 0.5]), rel=1e-6)
    h = s2sgrad.hessian(by_list_index)(X)
    np.testing.assert_allclose(h, central(s2sgrad.grad(by_list_index), X, eps=1e-5), rtol=1e-6, atol=1e-8)
