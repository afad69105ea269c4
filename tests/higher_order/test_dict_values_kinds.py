"""The kinds analysis follows the values of dicts the function builds (analysis/kinds.py): after a write
`d[k] = v` (single-assignment form: `d_1 = merged(d, {k: v})`), an entry of a dict of numbers is a number, so
the generated code shows the plain number adjoints (`dt3 = dt5 * t4`) rather than the general ones that
allow for lists and broadcasting (`concatenation_part`, `repetition_adjoint_left`). The gradients stay right,
and a dict holding an array keeps the general adjoints."""
import numpy as np
import pytest

from s2sgrad import grad, hessian

from .differences import central

GENERAL = ("concatenation_part", "repetition_adjoint_left", "repetition_adjoint_right", "unbroadcast")


def written_once(x, y):
    d = {"a": x, "b": y}
    d["c"] = x * y
    return d["a"] * d["c"] + d["b"]


def written_in_a_loop(x, y):
    d = {"a": x, "b": y}
    for _ in range(3):
        d["a"] = d["a"] * d["b"] + 1.0
    d["c"] = d["a"] - y
    return d["a"] * d["c"]


def holding_an_array(x):
    d = {"w": x}
    d["v"] = np.ones(3) * x
    return np.sum(d["v"] * d["w"])


@pytest.mark.parametrize("f", [written_once, written_in_a_loop], ids=lambda f: f.__name__)
def test_a_dict_of_numbers_reads_as_numbers(f):
    g = grad(f, wrt=(0, 1))
    source = g.source_for(0.5, 1.5)
    assert "merged(" in source                  # the write is there, as a rebinding
    for general in GENERAL:
        assert general not in source, source
    assert " * " in source.split("# reverse sweep")[1]      # plain products of the adjoints
    dx, dy = g(0.5, 1.5)
    assert dx == pytest.approx(central(lambda x: f(x, 1.5), 0.5), rel=1e-7)
    assert dy == pytest.approx(central(lambda y: f(0.5, y), 1.5), rel=1e-7)


def test_second_derivative_of_a_dict_of_numbers():
    slope = grad(written_once)
    assert grad(slope)(0.5, 1.5) == pytest.approx(central(lambda x: slope(x, 1.5), 0.5), rel=1e-6)
    x = np.array(0.5)
    np.testing.assert_allclose(hessian(lambda v: written_in_a_loop(v, 1.5))(x),
                               central(grad(lambda v: written_in_a_loop(v, 1.5)), 0.5), rtol=1e-6)


def test_a_dict_holding_an_array_keeps_the_general_adjoints():
    g = grad(holding_an_array)
    assert "repetition_adjoint_left" in g.source_for(0.5)
    assert g(0.5) == pytest.approx(3.0)
