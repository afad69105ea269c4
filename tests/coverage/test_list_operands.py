"""NumPy functions given Python lists and tuples of differentiated numbers (analysis/list_operands.py).

A table of NumPy functions runs on operands written as lists in several ways (a display, a tuple, one
joined from two, one built by a comprehension, nested lists read as a matrix, a list argument), each in
reverse mode (check_grad) and forward mode (jvp) against central differences; forward over reverse
(hessian) and code specialized on shapes run on part of it. The function under test is the module global
`OP`, so the source the transformer reads calls it as a user would (`OP([a, b * c, c])`)."""
from __future__ import annotations

import sys

import numpy as np
import pytest

import s2sgrad

from .both_modes import check_both_modes

OP = None                   # the NumPy function under test (resolved when the transformation is made)
POINT = (0.6, -0.35, 1.1)


def _score(y):
    """A nonlinear reading of every element in its place: a wrong order or a lost element changes it."""
    return np.sum(np.cumsum(np.ravel(y) * np.arange(1.0, np.size(y) + 1.0)) ** 2)


def on_display(a, b, c):
    return _score(OP([a, b * c, c]))


def on_tuple(a, b, c):
    return _score(OP((a, b, c)))


def on_joined(a, b, c):
    return _score(OP([a, b] + [c * c]))


def on_comprehension(a, b, c):
    return _score(OP([v * a for v in (a, b, c)]))


def on_matrix(a, b, c):
    return _score(OP([[a + 1.5, b], [c, a * b - 0.4]]))


def with_number(a, b, c):
    return _score(OP([a, b * c, c], 0.25))


def number_first(a, b, c):
    return _score(OP(0.25, (a, b * c, c)))


def two_lists(a, b, c):
    return _score(OP([a, b, c], [c, a * a, 0.5]))


def matrix_and_vector(a, b, c):
    return _score(OP([[a + 1.5, b], [c, 2.0]], [b, a]))


# functions of one array, on every way of writing the list
ONE_ARRAY = [
    np.sin, np.exp, np.tanh, np.abs, np.square, np.negative, np.cbrt, np.cumsum, np.cumprod, np.sort, np.flip,
    np.diff, np.ravel, np.atleast_2d, np.transpose, np.sum, np.prod, np.max, np.min, np.mean, np.std, np.var,
    np.median, np.ptp, np.linalg.norm, np.stack, np.column_stack, np.hstack, np.vstack,
]
WAYS = [on_display, on_tuple, on_joined, on_comprehension, on_matrix]
# of a list and a number, of a number and a list, of two lists
WITH_NUMBER = [np.maximum, np.minimum, np.multiply, np.add, np.subtract, np.divide, np.hypot, np.arctan2,
               np.fmax, np.logaddexp]
NUMBER_FIRST = [np.maximum, np.minimum, np.subtract, np.divide, np.arctan2, np.fmin]
TWO_LISTS = [np.multiply, np.maximum, np.hypot, np.dot, np.outer, np.inner, np.cross, np.convolve, np.kron,
             np.add, np.vdot]
# of a matrix written as nested lists, and of a matrix and a vector
MATRIX = [np.linalg.det, np.linalg.inv, np.trace, np.triu, np.diagonal, np.linalg.pinv, np.linalg.norm]
MATRIX_AND_VECTOR = [np.linalg.solve, np.matmul, np.dot]


def _name(fn):
    return getattr(fn, "__name__", repr(fn))


@pytest.fixture
def using(monkeypatch):
    return lambda fn: monkeypatch.setattr(sys.modules[__name__], "OP", fn)


@pytest.mark.parametrize("way", WAYS, ids=lambda w: w.__name__)
@pytest.mark.parametrize("fn", ONE_ARRAY, ids=_name)
def test_a_function_of_one_list(using, fn, way):
    using(fn)
    check_both_modes(way, *POINT, wrt=(0, 1, 2))


@pytest.mark.parametrize("f, table", [(with_number, WITH_NUMBER), (number_first, NUMBER_FIRST),
                                      (two_lists, TWO_LISTS), (on_matrix, MATRIX),
                                      (matrix_and_vector, MATRIX_AND_VECTOR)],
                         ids=lambda v: v.__name__ if callable(v) else "")
def test_functions_of_lists_with_other_operands(using, f, table):
    for fn in table:
        using(fn)
        check_both_modes(f, *POINT, wrt=(0, 1, 2))


@pytest.mark.parametrize("fn", [np.linalg.norm, np.sin, np.sort, np.prod, np.std], ids=_name)
def test_a_list_argument(using, fn):
    using(fn)

    def on_argument(xs):
        return _score(OP(xs))
    xs = [0.6, -0.35, 1.1]
    grads = s2sgrad.grad(on_argument)(xs)
    h = 1e-6
    numeric = [(on_argument(xs[:i] + [x + h] + xs[i + 1:]) - on_argument(xs[:i] + [x - h] + xs[i + 1:])) / (2 * h)
               for i, x in enumerate(xs)]
    np.testing.assert_allclose(grads, numeric, rtol=1e-5, atol=1e-6)
    tangent = [0.3, -1.0, 0.5]
    _, derivative = s2sgrad.jvp(on_argument, (xs,), (tangent,))
    shifted = [(on_argument([x + s * h * t for x, t in zip(xs, tangent)])) for s in (1, -1)]
    np.testing.assert_allclose(derivative, (shifted[0] - shifted[1]) / (2 * h), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f, fn", [(on_display, np.linalg.norm), (on_matrix, np.linalg.det),
                                   (with_number, np.maximum), (on_tuple, np.sin), (two_lists, np.outer),
                                   (on_joined, np.prod)], ids=lambda v: v.__name__)
def test_hessian_through_a_list_operand(using, f, fn):
    using(fn)
    hessian = s2sgrad.hessian(f, wrt=(0, 1, 2))(*POINT)
    gradient = s2sgrad.grad(f, wrt=(0, 1, 2))
    h = 1e-5
    for i in range(3):
        up, down = list(POINT), list(POINT)
        up[i] += h
        down[i] -= h
        column = (np.array(gradient(*up)) - np.array(gradient(*down))) / (2 * h)
        np.testing.assert_allclose(np.array(hessian)[:, i], column, rtol=1e-4, atol=1e-5)


def weighted(a, b, w):
    return np.sum(np.maximum([a, b * w[0]], 0.1) * w[1:]) + np.linalg.norm([[a, b], [w[2], a]]) * np.sum(w ** 2)


def test_code_specialized_on_shapes():
    w = np.array([0.5, -1.0, 2.0])
    g = s2sgrad.grad(weighted, wrt=(0, 1, 2))
    assert "np.asarray(" in g.shaped_source_for(0.3, -0.7, w)
    for _ in range(3):          # the second call with these shapes switches to the specialized code
        da, db, dw = g(0.3, -0.7, w)
    h = 1e-6
    numeric = [(weighted(0.3 + h, -0.7, w) - weighted(0.3 - h, -0.7, w)) / (2 * h),
               (weighted(0.3, -0.7 + h, w) - weighted(0.3, -0.7 - h, w)) / (2 * h)]
    numeric += [(weighted(0.3, -0.7, w + h * e) - weighted(0.3, -0.7, w - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(np.concatenate([[da, db], dw]), numeric, rtol=1e-6, atol=1e-8)
    check_both_modes(weighted, 0.3, -0.7, w, wrt=(0, 1, 2))


def norm_of_two(x, y):
    return np.linalg.norm([x, y])


def clipped_sum(x, y):
    return np.sum(np.maximum([x, y], 1.0))


def test_the_conversion_reads_as_one_line_and_the_adjoint_splits_it():
    g = s2sgrad.grad(norm_of_two, wrt=(0, 1))
    assert g(3.0, 4.0) == pytest.approx((0.6, 0.8))
    source = g.source_for(3.0, 4.0)
    assert "t1_array = np.asarray(t1)" in source and "np.linalg.norm(t1_array)" in source
    assert "dx = dt1[0]" in source and "dy = dt1[1]" in source
    assert s2sgrad.grad(clipped_sum, wrt=(0, 1))(0.5, 2.0) == pytest.approx((0.0, 1.0))
    assert s2sgrad.jvp(clipped_sum, (0.5, 2.0), (1.0, 1.0))[1] == pytest.approx(1.0)


def concatenated(x, y, z):
    return np.sum(np.concatenate([[x, y], z]) ** 2)


def ragged_rows(x, y, z):
    return np.sum(np.concatenate([[x, y], [z]]) ** 3)


def test_lists_that_are_not_one_array_stay_lists():
    # np.concatenate joins ragged rows np.asarray would refuse, and a list holding an array is not converted
    check_both_modes(concatenated, 0.5, -1.5, np.array([0.2, 0.7]), wrt=(0, 1, 2))
    check_both_modes(ragged_rows, 0.5, -1.5, 0.3, wrt=(0, 1, 2))
    assert "np.asarray" not in s2sgrad.grad(ragged_rows).source_for(0.5, -1.5, 0.3)


def norm_and_clip(x, y):
    return np.linalg.norm([x, y]) + np.sum(np.maximum([x, y], 1.0))


def test_the_graph_draws_the_adjoints_the_code_computes():
    drawn = s2sgrad.graph(norm_and_clip, 3.0, 4.0, wrt=(0, 1))
    adjoints = [drawn.trace.params[name].adjoint for name in ("x", "y")]
    assert adjoints == pytest.approx(s2sgrad.grad(norm_and_clip, wrt=(0, 1))(3.0, 4.0))
    assert adjoints == pytest.approx((0.6 + 1.0, 0.8 + 1.0))
