"""Every scalar seed example gives the seed's numbers (../shared/README.md)."""
import math
import re

import pytest

from s2sgrad import check_grad, grad, value_and_grad

from . import seed_functions as seeds


def test_seed000_gradients_match_the_seed():
    J = value_and_grad(seeds.seed000_J, wrt=("a", "b", "c"))
    value, (da, db, dc) = J(5, 3, 2)
    assert value == 33
    assert (da, db, dc) == (3, 6, 9)


def test_seed000_generated_code_reads_like_the_derivation():
    g = grad(seeds.seed000_J, wrt=("a", "b", "c"))
    source = g.source_for(5.0, 3.0, 2.0)
    lines = [line.strip() for line in source.splitlines()]
    forward = ["u = b * c", "v = a + u", "J = 3 * v"]
    reverse = ["dv = 3 * dJ", "da = dv", "du = dv", "db = du * c", "dc = du * b"]
    positions = [lines.index(line) for line in forward + reverse]
    assert positions == sorted(positions), source


def test_seed000_intermediate_adjoints_are_the_seeds():
    # dv = 3 and du = 3: read them off the generated function by running it with a debugger-like trace
    g = grad(seeds.seed000_J, wrt=("a", "b", "c"))
    source = g.source_for(5.0, 3.0, 2.0)
    namespace = {}
    body = source.replace("return (J, (da, db, dc))", "return locals()")
    exec(compile(body, "<seed000>", "exec"), namespace)
    local = namespace["grad_seed000_J"](5.0, 3.0, 2.0)
    assert (local["u"], local["v"], local["J"]) == (6, 11, 33)
    assert (local["dv"], local["du"]) == (3, 3)


def test_seed001_max_routes_the_gradient_to_the_larger_argument():
    value, grads = value_and_grad(seeds.seed001_f, wrt=(0, 1, 2))(1.0, 2.0, 0.0)
    assert value == 6
    assert grads == (2, 5, 0)


def test_seed003_product_with_shared_input():
    dx, dy = grad(seeds.seed003_f, wrt=("x", "y"))(3.0, 2.0)
    assert (dx, dy) == (2, 7)


def test_seed003_linear_model_one_gradient_step():
    loss_and_grad = value_and_grad(seeds.seed003_linear_loss, wrt=("w", "b"))
    L, (dw, db) = loss_and_grad(1.0, 0.0, 2.0, 5.0)
    assert L == 9
    assert (dw, db) == (-12, -6)
    w, b = 1.0 - 0.1 * dw, 0.0 - 0.1 * db
    assert w == pytest.approx(2.2) and b == pytest.approx(0.6)


def test_seed003_logistic_regression_matches_numeric_and_training_lowers_loss():
    data = [(0.5, 1.5, 1.0), (-1.0, 0.3, 0.0), (2.0, -0.5, 1.0), (-0.7, -1.2, 0.0)]
    params = [0.1, -0.2, 0.05]
    check_grad(seeds.seed003_logistic_loss, *params, *data[0], wrt=(0, 1, 2))
    step = value_and_grad(seeds.seed003_logistic_loss, wrt=(0, 1, 2))

    def total_loss(p):
        return sum(seeds.seed003_logistic_loss(*p, *d) for d in data)

    before = total_loss(params)
    for _ in range(50):
        grads = [0.0, 0.0, 0.0]
        for d in data:
            _, g = step(*params, *d)
            grads = [a + b for a, b in zip(grads, g)]
        params = [p - 0.5 * g for p, g in zip(params, grads)]
    assert total_loss(params) < 0.5 * before


def test_seed004_sin_of_product():
    x, y = 0.7, -1.3
    dx, dy = grad(seeds.seed004_f, wrt=("x", "y"))(x, y)
    assert dx == pytest.approx(math.cos(x * y) * y, rel=1e-15)
    assert dy == pytest.approx(math.cos(x * y) * x, rel=1e-15)
