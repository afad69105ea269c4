"""Code specialized on the arguments' shapes (analysis/shapes.py): what it drops, what it keeps, and that
it computes the shape-generic code's gradients."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.analysis.shapes import matmul_shape, reduced_shape

from . import shape_functions as f


def shaped(fn, *args, wrt=0):
    """(the shape-specialized source, its gradients, the shape-generic gradients) for these arguments."""
    g = s2sgrad.grad(fn, wrt=wrt)
    source = g.shaped_source_for(*args)
    generic = g.generated_for(*args)(*args)[1]
    for _ in range(3):              # the second call with these shapes switches to the specialized code
        grads = g(*args)
    assert len(g._shaped) == 1
    return source, grads if isinstance(wrt, tuple) else (grads,), generic


def assert_same(grads, generic):
    assert len(grads) == len(generic)
    for a, b in zip(grads, generic):
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def summed_to(full, shape):
    """`full` summed over the axes broadcasting stretched an operand of `shape` along (the reference)."""
    full = full.sum(axis=tuple(range(full.ndim - len(shape))))
    for axis, n in enumerate(shape):
        if n == 1:
            full = full.sum(axis=axis, keepdims=True)
    return full


def test_equal_shapes_need_no_unbroadcast():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    source, grads, generic = shaped(f.product_sum, x, y, wrt=(0, 1))
    assert "unbroadcast" not in source and "reduce_to" not in source
    assert "unbroadcast" in s2sgrad.grad(f.product_sum, wrt=(0, 1)).source_for(x, y)
    assert_same(grads, generic)
    np.testing.assert_allclose(grads[0], y)


@pytest.mark.parametrize("b_shape, kept", [((4,), False), ((3, 1), True), ((1, 4), True), ((), False)])
def test_a_stretched_operand_is_still_summed_back(b_shape, kept):
    rng = np.random.default_rng(1)
    x, b = rng.normal(size=(3, 4)), rng.normal(size=b_shape)
    source, grads, generic = shaped(f.scaled_rows, x, b, wrt=(0, 1))
    assert "reduce_to(" in source
    assert_same(grads, generic)
    assert grads[1].shape == b_shape
    expected = summed_to((1 - np.tanh(x * b + 1.0) ** 2) * x, b_shape)
    np.testing.assert_allclose(grads[1], expected, rtol=1e-12)


def test_a_python_number_operand_gets_a_number_back():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(5, 2))
    source, grads, generic = shaped(f.scaled_rows, x, 0.5, wrt=(0, 1))
    assert type(grads[1]) is type(generic[1]) is float
    assert_same(grads, generic)


def test_a_square_sends_one_doubled_term():
    h = np.linspace(-1.0, 1.0, 7)
    source, grads, generic = shaped(f.square_norm, h)
    assert "2 * (" in source
    assert source.count("dh = ") == 1 and "dh = dh +" not in source
    np.testing.assert_allclose(grads[0], 2 * h)


def test_rnn_tape_keeps_no_entries_for_their_shapes_alone():
    rng = np.random.default_rng(3)
    W, U, b, xs = 0.3 * rng.normal(size=(6, 6)), rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=(5, 2, 4))
    g = s2sgrad.grad(f.rnn, wrt=(0, 1, 2))
    generic_source, source = g.source_for(W, U, b, xs), g.shaped_source_for(W, U, b, xs)
    appended = [line.strip() for line in source.splitlines() if "tape.append" in line]
    assert appended == ["tape.append((h, t9, h_1))"], appended      # the products and sums are not kept
    assert [line for line in generic_source.splitlines() if "tape.append" in line][0].count(",") > 3
    assert "matmul_adjoint" not in source and "W.T" in source
    assert "dW += " in source and "dU += " in source           # accumulated in place: arrays of the gradient's own
    source, grads, generic = shaped(f.rnn, W, U, b, xs, wrt=(0, 1, 2))
    assert_same(grads, generic)
    for ours, hand in zip(grads, f.rnn_by_hand(W, U, b, xs)):
        np.testing.assert_allclose(ours, hand, rtol=1e-10)


def test_logistic_regression_reads_like_the_hand_written_gradient():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 3))
    w, y = rng.normal(size=3), (rng.normal(size=20) > 0).astype(float)
    source, grads, generic = shaped(f.logistic, w, 0.1, X, y, wrt=(0, 1))
    assert "X.T @ " in source and "/ 20" in source          # element_count(t4) is known: 20
    assert "unbroadcast" not in source
    assert_same(grads, generic)


def test_undecidable_shapes_keep_the_generic_code():
    x = np.arange(6.0)
    source, grads, generic = shaped(f.shrinking, x, 3)
    assert "unbroadcast" in source                        # v's shape changes from one iteration to the next
    assert_same(grads, generic)


@pytest.mark.parametrize("flag", [1.0, -1.0])
def test_branches_and_copies(flag):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    source, grads, generic = shaped(f.branchy, x, y, flag, wrt=(0, 1))
    assert_same(grads, generic)
    x, y = rng.normal(size=(4,)), rng.normal(size=(4,))
    source, grads, generic = shaped(f.reused_adjoint, x, y, wrt=(0, 1))
    assert_same(grads, generic)
    assert "+= " in source or "-= " in source


def test_reductions_along_axes():
    rng = np.random.default_rng(6)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    source, grads, generic = shaped(f.mean_of_columns, x, w, wrt=(0, 1))
    assert_same(grads, generic)


def test_in_place_accumulation_never_writes_the_callers_arrays():
    """vjp's cotangent is the user's array: an adjoint that is (a copy of) it is never added into."""
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=5), rng.normal(size=5)
    cotangent = rng.normal(size=5)
    kept = cotangent.copy(), x.copy(), y.copy()
    g = s2sgrad.grad(f.vector_valued, wrt=(0, 1))
    results = [g.vjp(cotangent, x, y) for _ in range(3)]
    for got in results[1:]:
        for a, b in zip(got, results[0]):
            np.testing.assert_allclose(a, b, rtol=1e-14)
    np.testing.assert_allclose(results[0][0], cotangent * (y + np.cos(x)), rtol=1e-12)
    for before, after in zip(kept, (cotangent, x, y)):
        np.testing.assert_array_equal(before, after)


def test_shape_rules():
    assert matmul_shape((3, 4), (4, 5)) == (3, 5)
    assert matmul_shape((4,), (4, 5)) == (5,)
    assert matmul_shape((3, 4), (4,)) == (3,)
    assert matmul_shape((2, 3, 4), (4, 5)) == (2, 3, 5)
    assert matmul_shape((3, 4), (5, 6)) is None
    assert reduced_shape((3, 4, 5), 1, False) == (3, 5)
    assert reduced_shape((3, 4, 5), (0, -1), True) == (1, 4, 1)
    assert reduced_shape((3, 4), None, False) == ()
    assert reduced_shape((3, 4), 2, False) is None


def test_facts_stay_unknown_where_the_table_cannot_tell():
    from s2sgrad.transform import reverse_emitter
    g = s2sgrad.grad(f.draws)
    assert "    e = np.random.normal(0.0, 1.0, 3)" in g.ssa_source       # the names below are the user's
    emitter, _ = reverse_emitter(g._prepared, g.wrt, shapes=(("x", (2, 3), "<f8"),))
    assert "e" not in emitter.shapes and "picked" not in emitter.shapes
    assert emitter.shapes["s"].shape == (3,)          # x.sum(axis=0): a method's receiver is its array


def test_a_value_of_known_shape_and_unknown_kind_can_be_indexed():
    # the subscript's dummy array needs a kind: an unknown one leaves the fact unknown (it stopped the
    # transformation with KeyError '' on the second call, when the specialized code was built)
    B = np.array([[0.3, -0.2, 0.5, 0.1]])
    _, grads, generic = shaped(f.indexed_value_of_unknown_kind, 0.4, B, wrt=1)
    assert_same(grads, generic)
    np.testing.assert_array_equal(grads[0], [[0.0, 0.0, 1.0, 0.0]])


def test_a_loop_carried_number_that_becomes_an_array_keeps_the_array_s_adjoint():
    # `t[:, None]` was taken for a pending fact forever (np.newaxis is None, the fixpoint's "not computed
    # yet"), so `acc = acc * 0.5 + y[i] ** 2` never had a fact and `acc = 0.0` alone made acc a number: the
    # specialized reverse sweep summed acc's adjoint to one number, a silently wrong gradient from the
    # second call on (found by running random programs through the shaped code)
    A = np.array([[2.0, 0.3, 0.1], [0.2, 1.5, 0.4], [0.1, 0.3, 1.0]])
    source, grads, generic = shaped(f.carried_sum_of_rows, A)
    assert_same(grads, generic)
    assert "reduce_to(" not in source.split("reverse sweep")[1].split("for ")[0]


def test_newaxis_indexes_have_shape_facts():
    from s2sgrad.transform import reverse_emitter
    g = s2sgrad.grad(f.carried_sum_of_rows)
    emitter, _ = reverse_emitter(g._prepared, g.wrt, shapes=(("A", (3, 4), "<f8"),))
    assert [emitter.shapes[n].shape for n in ("y",)] == [(3, 4)]
    assert "acc" not in emitter.shapes            # a number before the loop, a row in it: no one shape


def test_an_adjoint_reduced_to_another_shape_than_its_value_s_stops_the_call():
    # the shape-specialized code's reductions are written for the shapes it was generated for: should those
    # facts ever be wrong, the call stops instead of returning a wrongly summed gradient
    from s2sgrad.errors import TransformError
    from s2sgrad.runtime.shaped import reduce_to
    np.testing.assert_array_equal(reduce_to(np.ones((4, 3)), np.ones(3), (0,)), np.full(3, 4.0))
    assert reduce_to(np.ones(3), 2.0, (0,)) == 3.0
    with pytest.raises(TransformError, match=r"shape \(\) for a value of shape \(3,\)"):
        reduce_to(np.ones(3), np.ones(3), (0,))


def test_every_call_gives_a_float32_argument_s_gradient_the_same_dtype():
    # adding a float64 term into a float32 adjoint in place (`dx += term`) casts it down, where the
    # shape-generic code's `dx + term` gives float64: the first call and the later ones disagreed
    x = np.linspace(-1.0, 1.0, 4).astype(np.float32)
    g = s2sgrad.grad(f.float32_times_float64)
    grads = [g(x) for _ in range(3)]
    assert [d.dtype for d in grads] == [grads[0].dtype] * 3
    for d in grads[1:]:
        np.testing.assert_array_equal(d, grads[0])
