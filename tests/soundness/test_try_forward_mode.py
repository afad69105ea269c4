"""Forward mode through a `try` whose tried statement is several operations (`L = np.linalg.cholesky(np.outer(x,
x))`): the printer moves a statement's tangents into the `try`'s `else` clause together with whatever reads
what they change, and it took every line calling a module's function (`t1_dot = np.outer(x_dot, x)`) for a
change of `np`, so the rest of the statement (`L = np.linalg.cholesky(t1)`) ran outside the `try` too: the
handler never caught its LinAlgError, and jvp, jacfwd and the Hessian stopped where grad takes the fallback."""
import numpy as np
import pytest

import s2sgrad


def cholesky_or_square(x):
    try:
        L = np.linalg.cholesky(np.outer(x, x) + np.diag(x))
        out = np.sum(L * L)
    except np.linalg.LinAlgError:
        out = np.sum(np.sin(x) ** 2)
    return out


def cholesky_or_square_vector(x):
    try:
        L = np.linalg.cholesky(np.outer(x, x) + np.diag(x))
        out = np.diag(L) * 2.0
    except np.linalg.LinAlgError:
        out = np.sin(x) ** 2
    return out


def central(f, x, h=1e-6):
    cols = []
    for k in range(x.size):
        step = np.zeros_like(x)
        step[k] = h
        cols.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("x", [np.array([0.3, -1.2, 0.8]),      # not positive definite: the handler
                               np.array([0.3, 1.2, 0.8])])      # positive definite: the body
def test_forward_mode_takes_the_same_branch_as_python(x):
    f = cholesky_or_square
    expected = central(f, x)
    np.testing.assert_allclose(s2sgrad.grad(f)(x), expected, rtol=1e-6, atol=1e-8)
    direction = np.array([1.0, -0.5, 2.0])
    value, tangent = s2sgrad.jvp(f, (x,), (direction,))
    assert value == pytest.approx(f(x))
    assert tangent == pytest.approx(expected @ direction, rel=1e-6)
    hessian = s2sgrad.hessian(f)
    for _ in range(3):
        np.testing.assert_allclose(hessian(x), central(s2sgrad.grad(f), x), rtol=1e-5, atol=1e-6)
    jacobian = central(cholesky_or_square_vector, x)
    np.testing.assert_allclose(s2sgrad.jacfwd(cholesky_or_square_vector)(x), jacobian, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(s2sgrad.jacrev(cholesky_or_square_vector)(x), jacobian, rtol=1e-6, atol=1e-8)
