"""Results written into the arrays of operands that die with them (optimize/buffers.py).

Unit tests run the pass on statement lists as release leaves them (`del` after
a last read); the end-to-end tests check that shape-specialized gradients,
which use it, give exactly what the shape-generic code gives, leave the
arguments alone and write in place where they should.
"""
import math

import gast
import numpy as np
import pytest

import s2sgrad
from s2sgrad.optimize.buffers import Layout, reuse_dying_buffers

F8, F4 = np.dtype("<f8"), np.dtype("<f4")


def _rewritten(text: str, **layouts) -> str:
    stmts = gast.parse(text).body
    names = {"np": np, "spread": object()}

    def resolve(node):
        if isinstance(node, gast.Name):
            return names.get(node.id)
        if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id == "np":
            return getattr(np, node.attr, None)
        return None

    given = {name: value if isinstance(value, Layout) else Layout(*value) for name, value in layouts.items()}
    reuse_dying_buffers(stmts, given, resolve, "np", {"spread": 1})
    return "\n".join(gast.unparse(s).strip() for s in stmts)


ARRAY = ((1000,), F8)


def test_a_result_goes_into_the_array_of_an_operand_that_dies_with_it():
    out = _rewritten("a = x * 2.0\nb = np.exp(a)\ndel a\nc = b + x\ndel b", x=ARRAY)
    assert out.splitlines() == ["a = x * 2.0", "b = np.exp(a, out=a)", "del a", "c = np.add(b, x, out=b)", "del b"]


def test_the_term_of_an_accumulation_goes_into_a_dying_operand():
    out = _rewritten("d = x * 2.0\nt = x * 3.0\nd += t * x\ndel t", x=ARRAY)
    assert out.splitlines()[2] == "d += np.multiply(t, x, out=t)"


@pytest.mark.parametrize("text", [
    "a = x * 2.0\nb = a\nc = a * x\ndel a",              # b still holds a's array
    "a = x * 2.0\nkeep(a)\nc = a * x\ndel a",            # a call may have kept it
    "a = x * 2.0\nv = a[1:]\nc = a * x\ndel a",          # a view of it is alive
    "a = x * 2.0\nc = a * x",                            # a is read later (no del)
    "c = x * 2.0\ndel x",                                # an argument's array is the caller's
    "a = spread(g, x)\nc = a * x\ndel a",                # a broadcast view is nobody's to write
    "a = x * 2.0\nc = a ** 2\ndel a",                    # NumPy computes `** 2` by another route than np.power
    "a = x * 2.0\nc = a @ m\ndel a",                     # matmul's out must not overlap its operands
    "a = x * 2.0\nc = np.matmul(a, x)\ndel a\nd = c * x\ndel c",   # a gufunc: not elementwise (c is a number)
    "a = x * 2.0\nfor i in range(3):\n    a = a * x\nc = a * x\ndel a",   # a loop handled it
])
def test_an_array_that_someone_else_may_see_is_never_written(text):
    out = _rewritten(text, x=ARRAY, m=((1000, 3), F8))
    assert "out=" not in out


def test_a_copy_hands_the_array_on_once_the_other_name_is_gone():
    out = _rewritten("a = x * 2.0\nb = a\ndel a\nc = b * x\ndel b", x=ARRAY)
    assert out.splitlines()[3] == "c = np.multiply(b, x, out=b)"


@pytest.mark.parametrize("layouts, written", [
    ({"x": ((1000,), F4), "y": ((1000,), F8)}, False),     # the f4 array cannot hold the f8 result
    ({"x": ((1000,), F8), "y": ((1000,), F4)}, True),
    ({"x": ((1,), F8), "y": ((1000,), F8)}, False),        # broadcasting: the result is larger than a
    ({"x": ((1000,), F8), "y": Layout.of_number("float")}, True),        # a Python float is weak
    ({"x": ((1000,), F4), "y": Layout.of_number("float")}, True),
    ({"x": ((1000,), F4), "y": Layout.of_number("<f8")}, False),         # a NumPy float64 is not
    ({"x": ((1000,), F8), "y": Layout.of_number(np.dtype(np.longdouble).str)}, np.longdouble == np.float64),
    ({"x": ((1000,), F8), "y": Layout.of_number("complex")}, False),
    ({"x": ((1000,), F8)}, False),                          # y's layout is not known
])
def test_only_a_result_of_the_operand_s_exact_shape_and_dtype_goes_into_it(layouts, written):
    out = _rewritten("a = x * 1.0\nc = a * y\ndel a", **layouts)
    assert ("out=a" in out) is written


def test_a_ufunc_call_with_keywords_is_left_alone():
    out = _rewritten("a = x * 1.0\nc = np.exp(a, dtype=np.float32)\ndel a", x=ARRAY)
    assert "out=" not in out


# ---- end to end: shape-specialized gradients ----------------------------------------------------------------
def chain(x):
    return np.sum(np.tanh(np.sin(x) * x + np.exp(-x * x)))


def scaled(x, c):
    u = x * c
    v = np.exp(u) + u
    w = v * v - c
    return np.sum(w / (1.0 + x * x))


def mixed(x, y):
    a = x * 2.0
    b = a + y
    c = np.cos(b) * a
    return np.mean(c * c)


def aliasing(x):
    a = x * 3.0
    b = a
    c = np.sin(b) + a
    d = c * b
    return np.sum(d) + np.sum(a)


def _twice_then_shaped(g, *args):
    first = g(*args)                  # the shape-generic code
    g(*args)
    shaped = g(*args)                 # from the second call with these shapes on: the shaped code
    return first, shaped


@pytest.mark.parametrize("fun, args", [
    (chain, (np.linspace(-2.0, 2.0, 4096),)),
    (chain, (np.linspace(-2.0, 2.0, 4096).astype(np.float32),)),
    (scaled, (np.linspace(-1.0, 1.0, 512), 0.7)),
    (scaled, (np.linspace(-1.0, 1.0, 512), np.float64(0.7))),
    (scaled, (np.linspace(-1.0, 1.0, 512).astype(np.float32), 0.7)),
    (scaled, (np.linspace(-1.0, 1.0, 512).astype(np.float32), np.float64(0.7))),
    (scaled, (np.linspace(-1.0, 1.0, 512), np.longdouble(0.7))),
    (mixed, (np.linspace(-1.0, 1.0, 300).reshape(30, 10), np.linspace(0.0, 1.0, 10))),
    (mixed, (np.linspace(-1.0, 1.0, 300).reshape(30, 10).astype(np.float32), np.linspace(0.0, 1.0, 10))),
    (aliasing, (np.linspace(-1.0, 1.0, 1000),)),
])
def test_shaped_gradients_equal_the_generic_ones_and_leave_the_arguments_alone(fun, args):
    kept = [np.copy(a) for a in args]
    g = s2sgrad.value_and_grad(fun, wrt=tuple(i for i, a in enumerate(args) if isinstance(a, np.ndarray)))
    (value, grads), (shaped_value, shaped_grads) = _twice_then_shaped(g, *args)
    assert shaped_value == value
    for generic, shaped in zip(grads, shaped_grads):
        assert shaped.dtype == generic.dtype and shaped.shape == generic.shape
        np.testing.assert_array_equal(shaped, generic)
    for before, after in zip(kept, args):
        np.testing.assert_array_equal(before, after)
        assert np.asarray(before).dtype == np.asarray(after).dtype


def test_the_chain_s_shaped_gradient_writes_in_place_and_is_right():
    x = np.linspace(-2.0, 2.0, 2001)
    g = s2sgrad.grad(chain)
    source = g.shaped_source_for(x)
    assert "t5 = np.exp(t4, out=t4)" in source
    assert "dx += np.multiply(dt2, t1, out=t1)" in source
    _, shaped = _twice_then_shaped(g, x)
    t = np.tanh(np.sin(x) * x + np.exp(-x * x))
    expected = (1 - t * t) * (np.cos(x) * x + np.sin(x) - 2 * x * np.exp(-x * x))
    np.testing.assert_allclose(shaped, expected, rtol=1e-12, atol=1e-14)


def test_number_arguments_of_other_types_get_code_of_their_own():
    x = np.linspace(-1.0, 1.0, 64)
    g = s2sgrad.grad(scaled)
    for c in (0.5, np.float64(0.5), np.float32(0.5), 2, np.longdouble(0.5)):
        _, shaped = _twice_then_shaped(g, x, c)
        expected = s2sgrad.grad(scaled)(x, c)            # a fresh gradient's first, shape-generic call
        assert shaped.dtype == expected.dtype
        np.testing.assert_array_equal(shaped, expected)
    assert math.isfinite(float(np.sum(shaped)))
