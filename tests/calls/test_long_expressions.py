"""Expressions far deeper than Python's recursion limit (`x0*w0 + x1*w1 + ...`, generated as source).

The transformer's walks recurse once or more per level of the expression;
a transformation that runs out of recursion runs again with room for it
(s2sgrad/deep_expressions.py). 5,000 terms work too (about 18 s of CPU, near-linear
in the number of terms: `benchmarks/bench_transform.py --terms`); the test keeps to sizes that run in
seconds.
"""
import importlib.util
import sys

import numpy as np
import pytest

import s2sgrad

TERMS = 300             # already past what Python's default recursion limit lets the walks follow


def _load(tmp_path, name, source):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20 * TERMS))     # Python 3.10 and 3.11 need it to compile the file at all
    try:
        spec.loader.exec_module(module)
    finally:
        sys.setrecursionlimit(limit)
    return module


def test_a_sum_of_hundreds_of_products(tmp_path):
    terms = " + ".join(f"x[{i}] * w[{i}]" for i in range(TERMS))
    module = _load(tmp_path, "long_sum", f"def dot(x, w):\n    return {terms}\n")
    limit = sys.getrecursionlimit()
    x = np.linspace(-1.0, 1.0, TERMS)
    value, (dx, dw) = s2sgrad.value_and_grad(module.dot, wrt=(0, 1))(x, np.full(TERMS, 2.0))
    assert value == pytest.approx(2.0 * x.sum())
    np.testing.assert_allclose(dx, 2.0)
    np.testing.assert_allclose(dw, x)
    assert sys.getrecursionlimit() == limit             # the room was made for the transformation only


def test_a_deeply_nested_scalar_expression(tmp_path):
    depth = 180                 # Python's parser allows 200 nested parentheses
    body = "x"
    for i in range(depth):
        body = f"({body} * 0.999 + {i % 3} * y)"
    module = _load(tmp_path, "nested", f"def nested(x, y):\n    return {body}\n")
    gx, gy = s2sgrad.grad(module.nested, wrt=(0, 1))(0.5, 0.25)
    assert gx == pytest.approx(0.999 ** depth)
    assert gy == pytest.approx(sum((i % 3) * 0.999 ** (depth - 1 - i) for i in range(depth)))
