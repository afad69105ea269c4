"""Jacobians and Hessians with respect to an array with no elements (an empty batch, a model with no
parameters of one kind): they have no columns, and stacking none stopped with a bare 'need at least one
array to stack' from inside s2sgrad (jacfwd gave shape (0,) where the Jacobian is (out, 0)). They are
zeros of the shape out.shape + in.shape, as JAX gives, in every transformation and on repeated calls."""
import numpy as np
import pytest

import s2sgrad

EMPTY, Y = np.zeros(0), np.array([1.0, 2.0])


def scalar(x, y):
    return np.sum(x ** 2) + np.sum(y ** 3)


def vector(x, y):
    return np.sin(y) * 2.0 + np.sum(x)


def pair(x, y):
    return {"sum": np.sum(x * 2.0) + y[0], "rows": y * 3.0}


CASES = {
    "hessian in x": (lambda: s2sgrad.hessian(scalar), (0, 0)),
    "jacfwd in x": (lambda: s2sgrad.jacfwd(vector), (2, 0)),
    "jacrev in x": (lambda: s2sgrad.jacrev(vector), (2, 0)),
    "jacfwd of grad in x": (lambda: s2sgrad.jacfwd(s2sgrad.grad(scalar)), (0, 0)),
    "jacrev of grad in x": (lambda: s2sgrad.jacrev(s2sgrad.grad(scalar)), (0, 0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_jacobian_with_respect_to_an_empty_array(name):
    make, shape = CASES[name]
    transformation = make()
    for _ in range(3):
        jacobian = transformation(EMPTY, Y)
        assert isinstance(jacobian, np.ndarray) and jacobian.shape == shape and jacobian.dtype == np.float64


@pytest.mark.parametrize("transform", [s2sgrad.jacfwd, s2sgrad.jacrev])
def test_an_empty_block_beside_full_ones(transform):
    dx, dy = transform(vector, wrt=(0, 1))(EMPTY, Y)
    assert dx.shape == (2, 0)
    np.testing.assert_allclose(dy, np.diag(2.0 * np.cos(Y)))
    by_key = transform(pair)(EMPTY, Y)
    assert by_key["sum"].shape == (0,) and by_key["rows"].shape == (2, 0)


def test_hessian_blocks_with_an_empty_argument():
    blocks = s2sgrad.hessian(scalar, wrt=(0, 1))(EMPTY, Y)
    assert blocks[0][0].shape == (0, 0) and blocks[0][1].shape == (0, 2) and blocks[1][0].shape == (2, 0)
    np.testing.assert_allclose(blocks[1][1], np.diag(6.0 * Y))


def test_jacobian_of_an_empty_result():
    def nothing(x, y):
        return y[:0] * x[0]

    for transform in (s2sgrad.jacfwd, s2sgrad.jacrev):
        assert transform(nothing, wrt=1)(Y, Y).shape == (0, 2)
