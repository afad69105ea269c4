"""Constructs a gradient's code adds, differentiated again: scatters into a list's adjoint (add_at, read as
its pure form added_at) and the split of a list's adjoint (split_last, read as split_off_last), in-place
writes into a tangent (own_tangent), and running extrema (np.maximum.accumulate), each in several
composition orders against central differences."""
import numpy as np
import pytest

from s2sgrad import grad, hessian, jacfwd, jacrev

from .differences import central


def indexed_list(x):
    xs = []
    for i in range(3):
        xs.append(x * i + np.sin(x))
    return xs[0] + xs[1] * xs[2]


def written_array(x):
    y = np.zeros(3)
    for i in range(3):
        y[i] = x[i] * x[(i + 1) % 3]
    return np.sum(y * y)


def running_max(x):
    return np.sum(np.maximum.accumulate(x) * x) + np.sum(np.minimum.accumulate(x ** 2))


X = np.array([0.3, -0.5, 0.8])


ORDERS = {
    "grad(grad)": (lambda f: grad(grad(f)), 2),
    "jacrev(grad)": (lambda f: jacrev(grad(f)), 2),
    "grad(grad(grad))": (lambda f: grad(grad(grad(f))), 3),
    "jacfwd(hessian)": (lambda f: jacfwd(hessian(f)), 3),
    "jacrev(hessian)": (lambda f: jacrev(hessian(f)), 3),
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_list_read_by_index(order):
    """The reverse of an append splits the list's adjoint (split_last); differentiated again it is its pure
    form split_off_last, whose transpose joins the last entry back."""
    x = 0.7
    derivative, level = ORDERS[order]
    lower = grad(indexed_list) if level == 2 else hessian(indexed_list)
    expected = central(lower, x, eps=1e-6 if level == 2 else 1e-5)
    assert np.allclose(derivative(indexed_list)(x), expected, rtol=1e-6, atol=1e-7)


def test_third_order_through_writes_into_a_tangent():
    expected = central(hessian(written_array), X, eps=1e-5)
    assert np.allclose(jacfwd(hessian(written_array))(X), expected, rtol=1e-6, atol=1e-7)
    assert np.allclose(jacrev(hessian(written_array))(X), expected, rtol=1e-6, atol=1e-7)


def test_running_extrema_every_order():
    expected = central(grad(running_max), X)
    assert np.allclose(grad(running_max)(X), central(running_max, X), rtol=1e-6, atol=1e-8)
    assert np.allclose(hessian(running_max)(X), expected, rtol=1e-6, atol=1e-7)
    assert np.allclose(jacrev(grad(running_max))(X), expected, rtol=1e-6, atol=1e-7)
    assert np.allclose(jacrev(hessian(running_max))(X), central(hessian(running_max), X, eps=1e-5),
                       rtol=1e-6, atol=1e-7)


def test_running_maximum_gives_each_output_to_where_it_was_attained():
    x = np.array([1.0, 3.0, 2.0, 4.0, 0.5])       # running max 1, 3, 3, 4, 4
    g = grad(lambda v: np.sum(np.maximum.accumulate(v) * np.array([1.0, 10.0, 100.0, 1000.0, 10000.0])))(x)
    assert np.allclose(g, [1.0, 110.0, 0.0, 11000.0, 0.0])
