"""np.einsum in every call form, and np.gradient, in user functions checked in both modes."""
from __future__ import annotations

import numpy as np
import pytest

from .both_modes import check_both_modes

RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 3))
B = RNG.normal(size=(2, 3, 4))
V = RNG.normal(size=4)

FORMS = {
    "trace 'ii->'": lambda a, b, v: np.einsum("ii->", a) ** 2,
    "transpose 'ij->ji'": lambda a, b, v: np.sum(np.einsum("ij->ji", a) * np.arange(9.0).reshape(3, 3)),
    "inner 'i,i->'": lambda a, b, v: np.einsum("i,i->", v, v * 2.0),
    "diagonal 'ii->i'": lambda a, b, v: np.sum(np.einsum("ii->i", a) ** 3),
    "batched '...ij,...jk->...ik'": lambda a, b, v: np.sum(np.einsum("...ij,...jk->...ik", b[..., :3], a) ** 2),
    "ellipsis against none '...j,j'": lambda a, b, v: np.sum(np.einsum("...j,j", b, v) ** 2),
    "implicit 'ij,jk'": lambda a, b, v: np.sum(np.einsum("ij,jk", a, a) ** 2),
    "sublists": lambda a, b, v: np.sum(np.einsum(a, [0, 1], a, [1, 2]) ** 2),
    "sublists with output": lambda a, b, v: np.sum(np.einsum(b, [0, 1, 2], v, [2], [1, 0]) ** 2),
    "sublists with ellipsis": lambda a, b, v: np.sum(np.einsum(b, [Ellipsis, 2], v, [2], [Ellipsis]) ** 3),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_einsum_forms_in_both_modes(form):
    check_both_modes(FORMS[form], A, B, V, wrt=(0, 1, 2))


def slopes(f, h):
    even = np.gradient(f)
    spaced = np.gradient(f, 0.5, edge_order=2)
    uneven = np.gradient(f, np.array([0.0, 0.3, 1.0, 1.7]) * h)
    return np.sum(even ** 2) + np.sum(spaced * uneven) + np.sum(np.gradient(np.outer(f, f), axis=1) ** 2)


def plane_slopes(m):
    dy, dx = np.gradient(m, 2.0, 0.5)
    return np.sum(dy * dx) + np.sum(np.gradient(m, axis=0) ** 3)


def test_gradient_in_both_modes():
    check_both_modes(slopes, V, 1.0)
    check_both_modes(plane_slopes, B[0])
