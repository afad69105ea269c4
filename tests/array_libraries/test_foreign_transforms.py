"""Every transformation on arrays of another library, without a GPU: Refusing arrays (no `__dict__`, like
CuPy's, and no conversion to NumPy) and Dask arrays (which have a `__dict__`, so they must not be taken
for the user's objects). Each equals NumPy's result and stays in its library; a tangent that such an
argument carries is followed, never dropped to zero."""
import numpy as np
import pytest

import s2sgrad

from .lazy import chunked, computed
from .refusing import Refusing, unwrap


def layer(W, b):
    return np.sum(np.tanh(W * b) ** 2)


def rows_sorted(v):
    return sorted(v)[0] * 2.0 + np.sum(v)


W0, B0 = np.linspace(0.1, 1.0, 3), np.linspace(-1.0, 1.0, 3)
LIBRARIES = {"refusing": (Refusing, unwrap), "dask": (lambda a: chunked(a, 2), computed)}
TRANSFORMS = {
    "jvp": lambda W, b: s2sgrad.jvp(layer, (W, b), (W * 0.0 + 1.0, 0.5 * b)),
    "jacfwd": lambda W, b: s2sgrad.jacfwd(lambda b: np.tanh(W * b))(b),
    "jacrev": lambda W, b: s2sgrad.jacrev(lambda b: np.tanh(W * b))(b),
    "hessian": lambda W, b: s2sgrad.hessian(layer, argnums=1)(W, b),
    "grad of no use": lambda W, b: s2sgrad.grad(lambda W, b: np.sum(b * 2.0), wrt=(0, 1))(W, b),
}


@pytest.mark.parametrize("library", sorted(LIBRARIES))
@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformations_follow_arrays_of_another_library(library, name):
    to_library, back = LIBRARIES[library]
    want = TRANSFORMS[name](W0, B0)
    got = TRANSFORMS[name](to_library(W0), to_library(B0))
    want, got = (want, got) if isinstance(want, tuple) else ((want,), (got,))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if np.ndim(w) > 0:
            assert not isinstance(g, np.ndarray), f"{name} gave a NumPy array for {library} arguments"
        np.testing.assert_allclose(np.asarray(back(g)), w, rtol=1e-12, atol=1e-14)


def test_the_tangent_of_sorted_rows_is_per_row_on_refusing_arrays():
    v = np.array([0.3, -1.2, 0.7])
    _, want = s2sgrad.jvp(rows_sorted, (v,), (np.array([1.0, 2.0, 3.0]),))
    _, got = s2sgrad.jvp(rows_sorted, (Refusing(v),), (Refusing(np.array([1.0, 2.0, 3.0])),))
    np.testing.assert_allclose(np.asarray(unwrap(got)), want, rtol=1e-12)
