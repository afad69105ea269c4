"""np.r_[...] and np.c_[...]: index expressions that build arrays are operations with a rule, never a constant."""
from __future__ import annotations

import numpy as np

import s2sgrad

from .both_modes import check_both_modes

V = np.array([0.3, -1.2, 0.8, 1.5])


def rows(v, s):
    joined = np.r_[v, v * s, 0:3, s, 2.0]          # arrays, a range, a differentiable scalar, a constant
    return np.sum(joined ** 2 * np.arange(1.0, 14.0))


def columns(v, s):
    table = np.c_[v, v ** 2, np.ones(4) * s]
    return np.sum(table @ np.array([1.0, -2.0, 0.5]) ** 3)


def directive(v):
    stacked = np.r_["0,2", v, np.sin(v)]           # a leading string: stack as rows of a 2-D array
    return np.sum(stacked * np.arange(8.0).reshape(2, 4))


def test_r_with_ranges_and_scalars_in_both_modes():
    check_both_modes(rows, V, 0.7, wrt=(0, 1))


def test_c_in_both_modes():
    check_both_modes(columns, V, 0.7, wrt=(0, 1))


def test_r_with_a_directive_string_in_both_modes():
    check_both_modes(directive, V)


def test_the_generated_code_names_the_concatenator():
    code = s2sgrad.grad(rows).source_for(V, 0.7)
    assert "axis_concatenator_adjoint(" in code and "np.r_" in code
