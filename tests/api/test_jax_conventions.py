"""JAX's argument conventions: argnums= on every transformation, has_aux= on jvp and vjp."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import WrtError

X = np.array([0.3, 0.4, -1.1])


def scaled_sines(x, y):
    return np.sin(x) * y


def loss_with_stats(x, y):
    z = np.sin(x) * y
    return np.sum(z), {"mean": np.mean(z), "label": "sines", "count": 3}


def test_argnums_is_wrt_for_jacobians_and_hessians():
    np.testing.assert_allclose(s2sgrad.jacrev(scaled_sines, argnums=1)(X, 2.0), np.sin(X))
    d_x, d_y = s2sgrad.jacfwd(scaled_sines, argnums=(0, 1))(X, 2.0)
    np.testing.assert_allclose(d_x, np.diag(2.0 * np.cos(X)))
    np.testing.assert_allclose(d_y, np.sin(X))
    hess = s2sgrad.hessian(lambda x, y: np.sum(np.sin(x) * y), argnums=0)(X, 2.0)
    np.testing.assert_allclose(hess, np.diag(-2.0 * np.sin(X)))


def test_jvp_with_aux_returns_the_output_its_tangent_and_aux():
    v = np.array([1.0, -0.5, 2.0])
    out, out_dot, aux = s2sgrad.jvp(loss_with_stats, (X, 2.0), (v, 0.25), has_aux=True)
    assert out == pytest.approx(np.sum(np.sin(X) * 2.0))
    assert out_dot == pytest.approx(np.sum(2.0 * np.cos(X) * v) + 0.25 * np.sum(np.sin(X)))
    assert aux["label"] == "sines" and aux["count"] == 3
    assert aux["mean"] == pytest.approx(np.mean(np.sin(X) * 2.0))


def test_vjp_with_aux_pulls_back_the_output_alone():
    out, pullback, aux = s2sgrad.vjp(loss_with_stats, X, 2.0, has_aux=True)
    d_x, d_y = pullback(3.0)
    np.testing.assert_allclose(d_x, 3.0 * 2.0 * np.cos(X))
    assert d_y == pytest.approx(3.0 * np.sum(np.sin(X)))
    assert aux["label"] == "sines"


def test_has_aux_needs_a_pair():
    with pytest.raises(WrtError, match="must return a pair"):
        s2sgrad.jvp(scaled_sines, (X, 2.0), (X, 0.0), has_aux=True)
    with pytest.raises(WrtError, match="must return a pair"):
        s2sgrad.vjp(scaled_sines, X, 2.0, has_aux=True)
