"""Which code a call runs (api/shape_keys.py): shape-specialized code only for the shapes it was made for,
after they repeat, and no more than LIMIT versions however many shapes a gradient sees."""
import numpy as np

import s2sgrad
from s2sgrad.api import shape_keys

from . import shape_functions as f


def reference(x, b):
    """d/dx and d/db of sum(tanh(x * b + 1)), b broadcast along x's rows."""
    inner = 1 - np.tanh(x * b + 1.0) ** 2
    return inner * b, np.sum(inner * x, axis=tuple(range(x.ndim - b.ndim)))


def test_specialized_after_a_shape_repeats_and_only_for_that_shape():
    rng = np.random.default_rng(0)
    g = s2sgrad.grad(f.scaled_rows, wrt=(0, 1))
    x, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    g(x, b)
    assert len(g._shaped) == 0                  # seen once: the generic code ran
    g(x, b)
    assert len(g._shaped) == 1
    for shape in [(5, 4), (3, 4), (2, 7), (7,)]:            # other shapes: right values and shapes
        x2, b2 = rng.normal(size=shape), rng.normal(size=shape[-1:])
        dx, db = g(x2, b2)
        assert dx.shape == x2.shape and db.shape == b2.shape
        for ours, expected in zip((dx, db), reference(x2, b2)):
            np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_another_dtype_is_another_specialization():
    rng = np.random.default_rng(1)
    g = s2sgrad.grad(f.product_sum, wrt=(0, 1))
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    for _ in range(2):
        g(x, y)
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    for _ in range(3):
        dx, dy = g(x32, y32)
        assert dx.dtype == np.float32 and dy.dtype == np.float32
        np.testing.assert_allclose(dx, y32, rtol=1e-6)
    assert len(g._shaped) == 2


def test_many_shapes_stop_specializing_at_the_limit():
    rng = np.random.default_rng(2)
    g = s2sgrad.grad(f.scaled_rows, wrt=(0, 1))
    built = len(g._prepared.programs)
    for n in range(1, 3 * shape_keys.LIMIT):
        x, b = rng.normal(size=(n, 3)), rng.normal(size=3)
        for _ in range(2):
            dx, db = g(x, b)
        for ours, expected in zip((dx, db), reference(x, b)):
            np.testing.assert_allclose(ours, expected, rtol=1e-12)
    assert len(g._shaped) == shape_keys.LIMIT
    assert len(g._prepared.programs) - built <= shape_keys.LIMIT + 1      # + the generic program of this kind


def test_shapes_seen_once_are_remembered_within_bounds():
    seen = shape_keys.ShapeSpecializations(lambda *a: ("specialized",))
    positional = ["x"]
    for n in range(1, 3 * shape_keys.REMEMBERED):
        assert seen.entry("key", positional, (np.zeros(n),), {}, "generic") == "generic"
        assert len(seen._seen["key"]) <= shape_keys.REMEMBERED
    assert seen.entry("key", positional, (1.0,), {}, "generic") == "generic"      # no array: nothing to key


def test_debug_nans_keeps_the_generic_checked_code():
    g = s2sgrad.grad(f.product_sum, wrt=(0, 1), debug_nans=True)
    x = np.ones((2, 2))
    for _ in range(3):
        g(x, x)
    assert len(g._shaped) == 0
