"""The seeds' worked examples, drawn: every node with the seed's value and gradient."""
import math
import re

import pytest

import s2sgrad
from s2sgrad import grad

from .. import seed_functions as seeds


def _labels(text):
    """Every 'name = value' a Mermaid or DOT label shows."""
    return set(re.findall(r"\b(d?\w+ = -?[\d.e+]+)", text))


@pytest.fixture(scope="module")
def seed000():
    return s2sgrad.graph(seeds.seed000_J, 5, 3, 2, wrt=("a", "b", "c"))


def test_seed000_values_and_gradients_on_every_node_in_mermaid_and_dot(seed000):
    expected = {"a = 5", "b = 3", "c = 2", "u = 6", "v = 11", "J = 33",
                "da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "dJ = 1"}
    for text in (seed000.to_mermaid(), seed000.to_dot()):
        assert expected <= _labels(text), text


def test_seed000_mermaid_has_seed_004s_shapes_and_edges(seed000):
    text = seed000.to_mermaid()
    assert "flowchart LR" in text
    assert 'u(("u = 6<br/>du = 3"))' in text                  # a variable: a circle
    assert 'mul["*"]' in text                                  # an operation: a box
    assert 'J((("J = 33<br/>dJ = 1")))' in text                # the output: a double circle
    for edge in ("b --> mul", "c --> mul", "mul --> u", "a --> add", "u --> add", "add --> v", "v --> mul__2",
                 "mul__2 --> J"):
        assert f"  {edge}\n" in text
    assert 'mul__2["3 *"]' in text                             # J = 3 * v: the constant shown in the box


def test_seed000_dot_draws_forward_values_and_adjoints_apart(seed000):
    text = seed000.to_dot()
    assert text.startswith('digraph "seed000_J" {')
    assert '"u" [label=<u = 6<BR/><FONT COLOR="#1f5fbf">du = 3</FONT>>' in text
    assert '"b" -> "mul";' in text and '"mul__2" -> "J";' in text
    assert "peripheries=2" in text.split('"J" [')[1].split("\n")[0]


def test_graph_gradients_are_the_generated_codes(seed000):
    assert seed000.value == 33
    assert seed000.gradients == {"a": 3, "b": 6, "c": 9}
    assert "db = du * c" in seed000.source


def test_seed001_max_sends_nothing_to_the_smaller_argument():
    g = s2sgrad.graph(seeds.seed001_f, 1.0, 2.0, 0.0, wrt=(0, 1, 2))
    text = g.to_mermaid()
    assert {"t1 = 3", "t2 = 2", "seed001_f = 6", "dx = 2", "dy = 5", "dz = 0", "dt1 = 2", "dt2 = 3"} \
        <= _labels(text)
    assert 'max["max"]' in text and "y --> max" in text and "z --> max" in text


def test_seed003_shared_input_sums_its_paths():
    g = s2sgrad.graph(seeds.seed003_f, 3.0, 2.0, wrt=("x", "y"))
    assert {"u = 5", "f = 10", "du = 2", "dx = 2", "dy = 7"} <= _labels(g.to_dot())


def test_seed003_linear_model_gradient_step_numbers():
    g = s2sgrad.graph(seeds.seed003_linear_loss, 1.0, 0.0, 2.0, 5.0, wrt=("w", "b"))
    labels = _labels(g.to_mermaid())
    assert {"yhat = 2", "L = 9", "dyhat = -6", "dw = -12", "db = -6"} <= labels
    assert not any(label.startswith(("dx ", "dy ")) for label in labels)       # not differentiated: no adjoint


def test_seed004_sin_of_product():
    x, y = 0.5, 2.0
    g = s2sgrad.graph(seeds.seed004_f, x, y, wrt=("x", "y"))
    text = g.to_mermaid()
    assert 'sin["math.sin"]' in text and "z --> sin" in text and "sin --> f" in text
    assert g.gradients["x"] == pytest.approx(math.cos(x * y) * y)
    assert f"dx = {math.cos(1.0) * 2:.4g}" in text


def test_logistic_regression_gradients_match_grad():
    args = (0.1, -0.2, 0.05, 0.5, 1.5, 1.0)
    g = s2sgrad.graph(seeds.seed003_logistic_loss, *args, wrt=(0, 1, 2))
    expected = grad(seeds.seed003_logistic_loss, wrt=(0, 1, 2))(*args)
    assert tuple(g.gradients.values()) == pytest.approx(expected, rel=1e-12)
