"""What compiled code bakes in follows the values Python reads at the call: a called helper's number
defaults (written into the call as literals), the user's module-level numbers (also those a helper reads)
and closure cells. Change one between calls and the next call compiles for the new value; it never
answers with the old one."""
import warnings

import numpy as np

import s2sgrad

SCALE = 2.0


def scaled(x, a=2.0):
    return x * a + SCALE


def calls_scaled(x):
    return scaled(x) * x


def calls_scaled_with(x, a):          # the reference: the same computation, the default passed in the call
    return scaled(x, a) * x


def reads_scale(x, y):
    return np.sum(np.sin(x) * SCALE + x * y)


def compiled(transformation):
    """The jit of `transformation`, which must not fall back."""
    fast = s2sgrad.jit(transformation)

    def call(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
            return fast(*args)
    return call


def close(got, expected):
    for a, b in zip(np.atleast_1d(np.asarray(got, dtype=object)).ravel(),
                    np.atleast_1d(np.asarray(expected, dtype=object)).ravel()):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-7, atol=1e-12)


def test_a_helpers_changed_default_is_followed_in_reverse_mode():
    fast = compiled(s2sgrad.value_and_grad(calls_scaled))
    close(fast(3.0), s2sgrad.value_and_grad(calls_scaled_with, wrt=0)(3.0, 2.0))
    saved = scaled.__defaults__
    try:
        scaled.__defaults__ = (5.0,)
        value, grad = fast(3.0)
        assert value == calls_scaled(3.0) == 51.0          # (3 * 5 + 2) * 3, as Python computes it
        close((value, grad), s2sgrad.value_and_grad(calls_scaled_with, wrt=0)(3.0, 5.0))
        scaled.__defaults__ = (np.array(1.5),)             # not a number: the call falls back, with a warning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = s2sgrad.jit(s2sgrad.value_and_grad(calls_scaled))(3.0)
        assert got[0] == calls_scaled(3.0)
        assert any(issubclass(w.category, s2sgrad.JitFallbackWarning) and "default" in str(w.message)
                   for w in caught)
    finally:
        scaled.__defaults__ = saved


def test_a_helpers_changed_default_is_followed_in_forward_mode():
    fast = compiled(s2sgrad.jvp)
    saved = scaled.__defaults__
    try:
        scaled.__defaults__ = (-1.5,)
        value, tangent = fast(calls_scaled, (0.7,), (1.0,))
        expected = s2sgrad.jvp(calls_scaled_with, (0.7, -1.5), (1.0, 0.0))
        close((value, tangent), expected)
        scaled.__defaults__ = (4.0,)
        close(fast(calls_scaled, (0.7,), (1.0,)), s2sgrad.jvp(calls_scaled_with, (0.7, 4.0), (1.0, 0.0)))
    finally:
        scaled.__defaults__ = saved


def test_a_changed_module_number_is_followed_by_the_function_and_its_helper():
    global SCALE
    x, y = np.linspace(-1.0, 1.0, 5), np.linspace(0.5, 2.0, 5)
    direct = s2sgrad.value_and_grad(reads_scale, wrt=(0, 1))
    helper_fast = compiled(s2sgrad.value_and_grad(calls_scaled_with, wrt=(0, 1)))
    fast_direct = compiled(direct)
    hessian = s2sgrad.hessian(calls_scaled_with, wrt=(0, 1))
    fast_hessian = compiled(hessian)
    saved = SCALE
    try:
        for scale in (2.0, -0.25, 3):                     # a float, another float, an int
            SCALE = scale
            close(fast_direct(1.2, 0.4), direct(1.2, 0.4))
            close(fast_direct(x, y), direct(x, y))
            close(helper_fast(1.2, 0.4), s2sgrad.value_and_grad(calls_scaled_with, wrt=(0, 1))(1.2, 0.4))
            assert helper_fast(1.2, 0.4)[0] == calls_scaled_with(1.2, 0.4)
            close(fast_hessian(1.2, 0.4), hessian(1.2, 0.4))
    finally:
        SCALE = saved


def _closure(c):
    def inner(x):
        return np.tanh(x) * c + c * c
    return inner


def test_a_changed_closure_cell_is_followed():
    inner = _closure(0.5)
    g = s2sgrad.value_and_grad(inner)
    fast = compiled(g)
    jvp = compiled(s2sgrad.jvp)
    close(fast(0.3), g(0.3))
    inner.__closure__[0].cell_contents = -2.0
    assert fast(0.3)[0] == inner(0.3)
    close(fast(0.3), g(0.3))
    close(jvp(inner, (0.3,), (1.0,)), s2sgrad.jvp(inner, (0.3,), (1.0,)))
    inner.__closure__[0].cell_contents = 7.5
    close(jvp(inner, (0.3,), (1.0,)), s2sgrad.jvp(inner, (0.3,), (1.0,)))
    close(fast(0.3), g(0.3))


def _square_step(x, y):
    return x * x * y


def _cross_step(x, y):
    return x * y * y


step = _square_step


def calls_step(x, y):
    return step(x, y) + np.sin(x)


def test_a_rebound_helper_name_is_followed_in_every_mode():
    global step
    hessian = s2sgrad.hessian(calls_step, wrt=(0, 1))
    fast_hessian = compiled(hessian)
    gradient = s2sgrad.value_and_grad(calls_step, wrt=(0, 1))
    fast_gradient = compiled(gradient)
    fast_jvp = compiled(s2sgrad.jvp)
    try:
        for helper in (_square_step, _cross_step, _square_step):
            step = helper
            close(fast_hessian(1.5, 0.5), hessian(1.5, 0.5))
            close(fast_gradient(1.5, 0.5), gradient(1.5, 0.5))
            close(fast_jvp(calls_step, (1.5, 0.5), (1.0, 2.0)), s2sgrad.jvp(calls_step, (1.5, 0.5), (1.0, 2.0)))
    finally:
        step = _square_step
