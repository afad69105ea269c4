"""Fields holding containers: a dict in a field is iterated by its keys, as a dict argument is."""
import numpy as np
import pytest

from s2sgrad import grad, jvp


class Scales:
    def __init__(self):
        self.by_name = {"a": 2.0, "b": np.array([3.0, -1.0])}


def product_over_a_dict_field(s, x):
    for name in s.by_name:
        x = x * s.by_name[name]
    return np.sum(x)


def test_a_loop_over_a_field_holding_a_dict_reads_it_by_key():
    s, x = Scales(), np.array([0.5, 1.5])
    g = grad(product_over_a_dict_field)(s, x)
    assert g.by_name["a"] == pytest.approx(np.sum(x * s.by_name["b"]))
    np.testing.assert_allclose(g.by_name["b"], x * 2.0)
    tangent = Scales()
    tangent.by_name = {"a": 1.0, "b": np.array([0.0, 2.0])}
    _, slope = jvp(product_over_a_dict_field, (s, x), (tangent, np.zeros(2)))
    assert slope == pytest.approx(g.by_name["a"] * 1.0 + float(g.by_name["b"] @ np.array([0.0, 2.0])))
