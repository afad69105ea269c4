"""Loops and branches are drawn as taken at the given arguments; the numbers agree with the derivatives."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import numeric_grad

from ..control_flow.test_control_flow import CASES
from . import examples


def _cases():
    for fn, inputs, wrt in CASES:
        for args in inputs:
            yield pytest.param(fn, args, wrt, id=f"{fn.__name__}{args}")


@pytest.mark.parametrize("fn, args, wrt", list(_cases()))
def test_adjoints_on_the_traced_path_are_the_derivatives(fn, args, wrt):
    g = s2sgrad.graph(fn, *args, wrt=wrt)
    assert g.value == fn(*args)
    numeric = numeric_grad(fn, *args, wrt=wrt)
    numeric = numeric if isinstance(numeric, tuple) else (numeric,)
    for got, expected in zip(g.gradients.values(), numeric):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_a_loop_is_unrolled_one_node_per_iteration_and_the_title_says_so():
    g = s2sgrad.graph(examples.power, 2.0, 3)
    text = g.to_mermaid()
    title = text.splitlines()[1]
    assert "power(x=2, n=3) = 8" in title
    assert "path taken: `for i in range(n)` ran 3 iterations" in title
    for iteration, (s, ds) in enumerate([(2, 4), (4, 2), (8, 1)], start=1):
        assert f'subgraph loop1_iteration{iteration}["for i in range(n): iteration {iteration} of 3 ' \
               f'(i = {iteration - 1})"]' in text
        assert f's = {s}<br/>ds = {ds}' in text
    assert 's(("s = 1<br/>ds = 8"))' in text            # the value the loop started from
    assert "dx = 12" in text                            # 3 * x**2, summed over the three uses of x
    assert text.count("x --> mul") == 3


def test_long_loops_elide_middle_iterations_and_the_title_says_which():
    g = s2sgrad.graph(examples.power, 1.5, 20)
    text = g.to_mermaid(max_iterations=4)
    title = text.splitlines()[1]
    assert "ran 20 iterations" in title and "iterations 4–19 not drawn" in title
    assert "iteration 3 of 20" in text and "iteration 20 of 20" in text and "iteration 4 of 20" not in text
    assert 'loop1_skipped["⋯<br/>iterations 4–19 of 20<br/>16 operations not drawn"]' in text
    assert "s__4 --> loop1_skipped" in text and "loop1_skipped --> mul__4" in text
    assert g.gradients["x"] == pytest.approx(20 * 1.5 ** 19)


def test_the_branch_taken_is_drawn_and_named():
    taken = s2sgrad.graph(examples.clipped_square, 3.0, 2.0, wrt=(0, 1))
    other = s2sgrad.graph(examples.clipped_square, 1.0, 2.0, wrt=(0, 1))
    assert "`x > limit` was True" in taken.to_mermaid() and "`x > limit` was False" in other.to_mermaid()
    assert "`x &gt; limit` was True" in taken.to_dot()          # an HTML-like label in DOT
    assert "y = 6" in taken.to_mermaid() and "dlimit = 3" in taken.to_mermaid()
    assert "y = 1" in other.to_mermaid() and "dlimit = 0" in other.to_mermaid()


def test_a_while_loop_counts_its_iterations():
    g = s2sgrad.graph(examples.halve_until_small, 5.0)
    assert "`while y > 1` ran 3 iterations" in g.to_mermaid()
    assert g.gradients["x"] == pytest.approx(2 * 5.0 / 8)


def test_arrays_show_their_shape_and_a_summary():
    W = np.arange(6.0).reshape(3, 2) / 10
    x = np.array([1.0, -2.0])
    b = np.array([0.1, 0.2, 0.3])
    g = s2sgrad.graph(examples.layer_loss, W, x, b, wrt=(0, 1, 2))
    text = g.to_mermaid()
    assert "W = [3×2] mean 0.25" in text and "dW = [3×2] mean" in text
    assert "x = [1, -2]" in text and "b = [0.1, 0.2, 0.3]" in text
    expected = s2sgrad.grad(examples.layer_loss, wrt=(0, 1, 2))(W, x, b)
    for got, want in zip(g.gradients.values(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_indexing_scatters_into_the_containers_adjoint():
    g = s2sgrad.graph(examples.pick, np.array([2.0, 5.0, 7.0]))
    text = g.to_mermaid()
    assert 'index["[0]"]' in text and 'index__2["[2]"]' in text
    assert "dv = [7, 0, 2]" in text


def test_closure_variables_and_constant_outputs():
    assert s2sgrad.graph(examples.scaled_by(5.0), 2.0).gradients == {"x": 5.0}
    g = s2sgrad.graph(examples.nothing_to_differentiate, 2.0)
    assert g.gradients == {"x": 0.0}
    assert "x = 2<br/>dx = 0" in g.to_mermaid() and "nothing_to_differentiate = 0" in g.to_mermaid()


def test_what_cannot_be_drawn_is_said_plainly(monkeypatch):
    with pytest.raises(s2sgrad.NonScalarOutputError, match="real scalar"):
        s2sgrad.graph(lambda v: v * 2, np.ones(3))
    with pytest.raises(TypeError, match="missing a required argument"):
        s2sgrad.graph(examples.power, 2.0)
    from s2sgrad.graph import trace
    monkeypatch.setattr(trace, "MAX_OPERATIONS", 50)
    with pytest.raises(trace.TraceTooLongError, match="more than 50 operations"):
        s2sgrad.graph(examples.power, 1.0, 100)
