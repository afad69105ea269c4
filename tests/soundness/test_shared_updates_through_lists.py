"""`acc += v` on an array the function made, with a list holding it and another array built later: the list
connects neither array with the other, so the update reads as written (it was refused as if `x` shared
`acc`'s memory); an alias that does reach the updated array is still caught."""
import numpy as np
import pytest

import s2sgrad


def accumulate_then_stack(x, A):
    acc = np.zeros((3,))
    for i in range(4):
        acc += np.sin(A[i] + acc)
    return np.sum(np.stack([x, acc], axis=0) ** 2)


def test_a_list_holding_two_arrays_does_not_join_them():
    rng = np.random.default_rng(3)
    x, A = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, (4, 3))
    dx, dA = s2sgrad.grad(accumulate_then_stack, argnums=(0, 1))(x, A)
    np.testing.assert_allclose(dx, 2 * x)
    h = 1e-6
    bumped = A.copy()
    bumped[1, 2] += h
    lowered = A.copy()
    lowered[1, 2] -= h
    numeric = (accumulate_then_stack(x, bumped) - accumulate_then_stack(x, lowered)) / (2 * h)
    assert dA[1, 2] == pytest.approx(numeric, rel=1e-6)


def alias_through_a_list(x):
    acc = np.zeros((3,))
    rows = [acc]
    first = rows[0]             # the same array as acc
    acc += x
    return np.sum(first * x)


def row_of_a_matrix(x):
    X = np.zeros((2, 3))
    row = X[0]                  # a view: X += x changes it in Python
    X += x
    return np.sum(row * x)


def number_of_a_vector(x):
    y = x * 2.0
    first = y[0]                # a number: y += x leaves it as it was
    y += x
    return first * np.sum(y)


def test_an_element_read_by_an_index_is_told_apart_when_the_code_runs():
    """`rows[0]` of a list and `X[0]` of a matrix are the updated array (or a view of it): the value and
    gradient were silently those of the function without the update (0 where Python gives 3); a number of
    a vector shares nothing and the update reads as written."""
    for f, update in ((alias_through_a_list, "acc += x"), (row_of_a_matrix, "X += x")):
        with pytest.raises(s2sgrad.UnsupportedConstructError, match="read afterwards, may hold the same") as error:
            s2sgrad.grad(f)(np.ones(3))
        assert __file__ in str(error.value) and update in str(error.value)      # the user's file and line
    x = np.array([1.0, 2.0, 3.0])
    value, gradient = s2sgrad.value_and_grad(number_of_a_vector)(x)
    assert value == pytest.approx(number_of_a_vector(x.copy()))
    np.testing.assert_allclose(gradient, [2 * 18.0 + 2 * 3, 6.0, 6.0])
