"""Refusals found in the single-assignment form speak of the user's variables: `w`, not its version `w_1`, and
the expression the user wrote, not the temporary `t1` that holds it (ssa/user_terms.py)."""
from dataclasses import dataclass

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NoDerivativeRuleError, UnsupportedConstructError


def default_reads_w(x):
    w = x * 2.0
    w = w * 3.0

    def inner(v, a=w):
        return a * v
    return inner(1.0)


def flat_of_w(x):
    w = x * 2.0
    w = w * 3.0
    return w.flat[0]


def flat_of_expression(x):
    w = x * 2.0
    w = w * 3.0
    return (w * 2.0).flat[0]


def out_is_w(x):
    w = x * 2.0
    w = w * 3.0
    np.multiply(w, 2.0, out=w)
    return w.sum()


def out_is_a_slice(x):
    w = x * 2.0
    w = w * 3.0
    np.multiply(w, 2.0, out=w[0:2])
    return w.sum()


def put_into_w(x):
    w = x * 2.0
    w = w * 3.0
    np.put(w, [0], 1.0)
    return w.sum()


def put_into_own_versioned_name(x):
    w_1 = x * 2.0                 # the user's own `w_1`: its version is `w_1_1`, and the message says `w_1`
    w_1 = w_1 * 3.0
    np.put(w_1, [0], 1.0)
    return w_1.sum()


RNG = np.random.default_rng(0)


def shuffles_w(x):
    w = x * 2.0
    w = w * 3.0
    RNG.shuffle(w)
    return w.sum()


@dataclass
class Pair:
    a: float
    b: tuple = (1.0, 2.0)


def builds_pair(x):
    w = x.sum()
    w = w * 3.0
    p = Pair(w)
    return p.a


CASES = [
    (default_reads_w, UnsupportedConstructError, "carries a derivative (`w`)"),
    (flat_of_w, NoDerivativeRuleError, "(`w` is a NumPy value here)"),
    (flat_of_expression, NoDerivativeRuleError, "(`w * 2.0` is a NumPy value here)"),
    (out_is_w, UnsupportedConstructError, "`out=w`, which changes it in place"),
    (out_is_a_slice, UnsupportedConstructError, "`out=w[0:2]`, which changes it in place"),
    (put_into_w, UnsupportedConstructError, "`np.put(...)`, which changes `w` in place"),
    (put_into_own_versioned_name, UnsupportedConstructError, "`np.put(...)`, which changes `w_1` in place"),
    (shuffles_w, UnsupportedConstructError, "`RNG.shuffle(...)`, which changes `w` in place"),
    (builds_pair, UnsupportedConstructError, "`Pair(w)`, which leaves `b` at a default"),
]


@pytest.mark.parametrize("fn, error, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_reverse_mode_messages_name_the_user_s_variable(fn, error, expected):
    with pytest.raises(error) as info:
        s2sgrad.grad(fn)(np.ones(3))
    message = str(info.value)
    assert expected in message
    versions = ["w_1_1"] if fn is put_into_own_versioned_name else ["w_1", "t1", "t2"]
    for version in versions:
        assert f"`{version}" not in message and f"{version}`" not in message, message


def test_hints_write_the_user_s_variable():
    with pytest.raises(UnsupportedConstructError) as info:
        s2sgrad.grad(shuffles_w)(np.ones(3))
    assert "idx = rng.permutation(len(w)); w = w[idx]" in str(info.value)


@pytest.mark.parametrize("fn, expected", [
    (out_is_w, "`out=w`"), (put_into_w, "changes `w` in place"), (default_reads_w, "(`w`)"),
], ids=["out", "np.put", "default"])
def test_forward_mode_messages_name_the_user_s_variable(fn, expected):
    with pytest.raises(UnsupportedConstructError) as info:
        s2sgrad.jvp(fn, (np.ones(3),), (np.ones(3),))
    assert expected in str(info.value) and "w_1" not in str(info.value)


def test_the_generated_code_keeps_its_own_names():
    def reassigns(x):
        w = x * 2.0
        w = w * 3.0
        return w.sum()
    assert "w_1 = w * 3.0" in s2sgrad.grad(reassigns).ssa_source
