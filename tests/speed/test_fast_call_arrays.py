"""The fast path of calls with arrays of shapes seen before (api/fast_call.py with layouts): it gives
exactly what the general path gives, and any other shape, dtype or kind of argument takes the general path."""
import numpy as np
import pytest

import s2sgrad


def loss(w, b, X, y):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def spread_out(x):
    return np.sum(x) * 2.0          # its adjoint is a read-only broadcast: the user must get a writable copy


def zero_d(x, s):
    return np.sum(np.sin(x) * s)


def with_aux(x):
    return np.sum(x * x), {"norm": float(np.linalg.norm(x))}


def _data(n=40, m=5, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=m).astype(dtype), 0.1, rng.normal(size=(n, m)).astype(dtype),
            (rng.random(n) > 0.5).astype(dtype))


def _general(g, *args):
    """The same call through the general path (a keyword argument turns the fast path off)."""
    names = list(g._signature.parameters)
    return g(*args[:-1], **{names[len(args) - 1]: args[-1]})


def _same(a, b):
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
        return
    assert type(a) is type(b)
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make", [
    lambda: s2sgrad.grad(loss, wrt=(0, 1)),
    lambda: s2sgrad.value_and_grad(loss, wrt=(0, 1)),
    lambda: s2sgrad.grad(loss),
    lambda: s2sgrad.value_and_grad(loss),
])
def test_repeated_shapes_give_the_general_results(make):
    g = make()
    args = _data()
    results = [g(*args) for _ in range(5)]          # generic, shaped (built), then the fast path
    assert g.__call__.__code__.co_filename == "<s2sgrad fast call>"      # the fast path is what calls run
    for result in results[1:]:
        _same(result, results[0])
    _same(results[-1], _general(g, *args))


def test_other_shapes_dtypes_and_kinds_leave_the_fast_path():
    g = s2sgrad.value_and_grad(loss, wrt=(0, 1))
    for _ in range(4):
        g(*_data())
    for args in [_data(n=41), _data(dtype=np.float32), _data(m=6), _data()[:1] + (np.float64(0.1),) + _data()[2:],
                 _data()[:1] + (1,) + _data()[2:], _data()]:
        for _ in range(3):
            _same(g(*args), _general(g, *args))
    w, b, X, y = _data()
    for other in (np.asfortranarray(X), X.astype(">f8")):                 # same shape, other strides, byte order
        _same(g(w, b, other, y), _general(g, w, b, other, y))


def test_read_only_and_zero_d_gradients_are_finished_as_on_the_general_path():
    g = s2sgrad.grad(spread_out)
    x = np.linspace(0.0, 1.0, 7)
    for _ in range(4):
        d = g(x)
        assert d.flags.writeable
        d[0] = 5.0                  # the user's to change; the next call is unaffected
    np.testing.assert_array_equal(g(x), np.full(7, 2.0))
    h = s2sgrad.grad(zero_d, wrt=(0, 1))
    x0, s = np.asarray(0.3), np.asarray(2.0)
    for _ in range(4):
        dx, ds = h(x0, s)
        assert type(dx) is np.ndarray and dx.shape == () and type(ds) is np.ndarray and ds.shape == ()
        assert dx == pytest.approx(2.0 * np.cos(0.3)) and ds == pytest.approx(np.sin(0.3))


def test_float32_arrays_keep_their_dtype_and_has_aux_its_structure():
    g = s2sgrad.grad(loss)
    args = _data(dtype=np.float32)
    for _ in range(4):
        d = g(*args)
        assert d.dtype == np.float32
    h = s2sgrad.grad(with_aux, has_aux=True)
    x = np.linspace(-1.0, 1.0, 5)
    for _ in range(4):
        d, aux = h(x)
        np.testing.assert_array_equal(d, 2.0 * x)
        assert aux == {"norm": pytest.approx(np.linalg.norm(x))}


def test_a_gradient_of_another_shape_than_its_array_stops_the_call():
    from s2sgrad.errors import TransformError

    from . import wrong_shape_rule
    g = s2sgrad.grad(wrong_shape_rule.loss)
    x = np.linspace(0.0, 1.0, 4)
    for _ in range(4):              # the general path, then the shape-specialized code's fast path
        with pytest.raises(TransformError, match=r"shape \(\) for `x`, an array of shape \(4,\)"):
            g(x)
