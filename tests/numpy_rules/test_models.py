"""The seed models in examples/: their gradients match central differences, and training lowers the loss."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import s2sgrad

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def logistic():
    return load("logistic_regression")


@pytest.fixture(scope="module")
def mlp():
    return load("mlp_two_layer")


def test_logistic_regression_gradient_matches_central_differences(logistic):
    X, y = logistic.make_data(n=30, seed=1)
    w = np.array([0.3, -0.7])
    s2sgrad.check_grad(logistic.loss, w, 0.2, X, y, wrt=("w", "b"))


def test_logistic_regression_training_lowers_the_loss(logistic):
    w, b, losses = logistic.train(steps=100)
    assert losses[-1] < 0.5 * losses[0]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(losses, losses[1:]))
    assert w[0] > 0 > w[1]            # the hidden score weighs feature 0 up and feature 1 down


def test_mlp_gradient_matches_central_differences(mlp):
    X, y = mlp.make_data(n=20, seed=1)
    params = mlp.init(hidden=4, seed=1)
    s2sgrad.check_grad(mlp.loss, *params, X, y, wrt=(0, 1, 2, 3))


def test_mlp_gradient_sums_over_the_paths_of_a_fanned_out_weight(mlp):
    # W1[0, j] reaches the loss only through hidden unit j; b1 fans out to every example:
    # its gradient is the sum of the per-example gradients
    X, y = mlp.make_data(n=6, seed=2)
    params = mlp.init(hidden=3, seed=2)
    g = s2sgrad.grad(mlp.loss, wrt=1)
    total = g(*params, X, y)
    per_example = sum(g(*params, X[i:i + 1], y[i:i + 1]) for i in range(len(y))) / len(y)
    np.testing.assert_allclose(total, per_example, rtol=1e-10)


def test_mlp_training_lowers_the_loss(mlp):
    params, losses = mlp.train(steps=600)
    assert losses[-1] < 0.5 * losses[0]
