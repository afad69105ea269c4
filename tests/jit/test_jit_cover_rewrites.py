"""numba_ready's small rewrites for generated code: a conditional expression whose test is made of
literals keeps only the branch taken (a rule's choice made when the code was generated, such as
np.prod's adjoint without a mask), so a helper in the other branch without a numba version does not make
the call fall back."""
import inspect

import numpy as np

from s2sgrad.jit.numba_source import numba_ready


def no_numba_version(g, x):        # stands for a runtime helper numba has no version of
    return g * x


def decided(g, x):
    return g * np.cos(x) if True and not False else no_numba_version(g, x)


def undecided(g, x, flag):
    return g * np.cos(x) if flag else no_numba_version(g, x)


def test_a_literal_test_keeps_the_branch_taken():
    made = numba_ready(inspect.getsource(decided), decided)
    assert made.refusal is None
    assert "no_numba_version" not in made.text and "g * np.cos(x)" in made.text


def test_a_test_read_from_a_name_keeps_both():
    made = numba_ready(inspect.getsource(undecided), undecided)
    assert made.refusal is not None and "no_numba_version" in made.refusal[0]
