"""np.add.at and np.subtract.at into an array the function made: a stiffness matrix assembled element by
element in a loop, forces summed per particle over a neighbour list, values summed per segment with repeated
indices. They were refused ('writes into F in place: the change carries no derivative'); each is the sum as
a new array (F = added_at(F, index, v)), which a loop carries. Gradients, jvp and Hessians against central
differences, on the first call and the shape-specialized ones; into the caller's array, or with a view of the
array read after the scatter, it is refused at the line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError

from .differences import central_in

ELEMENT = np.array([[1.0, -1.0], [-1.0, 1.0]])


def assembled_compliance(k, load):
    n = len(k)
    K = np.zeros((n + 1, n + 1))
    for e in range(n):
        idx = np.array([e, e + 1])
        np.add.at(K, (idx[:, None], idx[None, :]), k[e] * ELEMENT)
    u = np.linalg.solve(K[1:, 1:], load)
    return load @ u


def pair_forces(pos, rc=1.6):
    i, j = np.triu_indices(len(pos), k=1)
    d = pos[i] - pos[j]
    r = np.sqrt(np.sum(d * d, axis=1))
    near = r < rc
    f = ((1 - r[near] / rc) ** 2 / r[near])[:, None] * d[near]
    F = np.zeros_like(pos)
    np.add.at(F, i[near], f)
    np.subtract.at(F, j[near], f)
    return np.sum(F ** 2)


SEGMENTS = np.array([0, 1, 0, 2, 1, 1])


def segment_sums(x):
    out = np.zeros(3)
    np.add.at(out, SEGMENTS[:len(x)], x ** 2)
    np.add.at(out, 0, 1.0)                  # a number, broadcast to the index
    return np.sum(np.sin(out) * out)


rng = np.random.default_rng(8)
CASES = {
    "assembled_compliance": (assembled_compliance, [(rng.uniform(1, 2, 4), rng.normal(size=4)),
                                                    (rng.uniform(1, 2, 3), rng.normal(size=3))]),
    "pair_forces": (pair_forces, [(rng.uniform(0, 2.5, (6, 2)),), (rng.uniform(0, 2.5, (4, 2)),)]),
    "segment_sums": (segment_sums, [(rng.normal(size=6),), (rng.normal(size=5),)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_scatter_add_is_differentiated(name):
    f, (args, other) = CASES[name]
    grad, hessian = s2sgrad.grad(f), s2sgrad.hessian(f)
    for call_args in (args, args, args, other):     # the first call, the shape-specialized ones, other shapes
        expected = central_in(f, call_args, 0)
        np.testing.assert_allclose(grad(*call_args), expected, rtol=1e-5, atol=1e-7)
        direction = np.ones_like(call_args[0])
        _, tangent = s2sgrad.jvp(f, call_args, (direction,) + tuple(np.zeros_like(a) for a in call_args[1:]))
        assert tangent == pytest.approx(np.sum(expected), rel=1e-5, abs=1e-7)
    x = args[0]
    flat = lambda v: grad(v.reshape(x.shape), *args[1:]).ravel()     # noqa: E731
    expected = np.stack([central_in(lambda v: flat(v)[k], (x.ravel(),), 0) for k in range(x.size)])
    np.testing.assert_allclose(hessian(*args).reshape(x.size, x.size), expected, rtol=1e-4, atol=1e-5)


def into_the_callers_array(F, x):
    np.add.at(F, [0, 0], x)
    return np.sum(F)


def view_read_after(x):
    F = np.zeros(3)
    first_two = F[:2]
    np.add.at(F, [0, 0, 1], x)
    return np.sum(first_two * x[:2])


def test_scatter_add_into_the_callers_array_is_refused():
    with pytest.raises(S2SGradError, match="`F` is the caller's input array"):
        s2sgrad.grad(into_the_callers_array, wrt=1)(np.zeros(3), np.ones(2))


def test_a_view_read_after_the_scatter_is_refused():
    with pytest.raises(S2SGradError, match="reading `first_two`, which may share memory with `F`"):
        s2sgrad.grad(view_read_after)(np.ones(3))
