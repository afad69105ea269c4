"""Every NumPy rule against central differences, over shapes, axes and broadcasting patterns.

The cases (tests/numpy_rules/cases.py) are written out as a module of small
functions, since s2sgrad reads the source of what it differentiates.
"""
import importlib.util
import sys

import numpy as np
import pytest

import s2sgrad

from .cases import CASES, forward_value, module_source

IDS = [c.id for c in CASES]
assert len(set(IDS)) == len(IDS), "case ids must be unique"


@pytest.fixture(scope="module")
def functions(tmp_path_factory):
    path = tmp_path_factory.mktemp("numpy_cases") / "numpy_rule_cases.py"
    path.write_text(module_source())
    spec = importlib.util.spec_from_file_location("numpy_rule_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture(scope="module")
def gradients(functions):
    """The gradient of case i, made once for both tests of the case."""
    made = {}

    def gradient(index):
        if index not in made:
            made[index] = s2sgrad.grad(getattr(functions, f"f{index}"), wrt=CASES[index].wrt)
        return made[index]
    return gradient


def arguments(index, dtype=np.float64):
    c = CASES[index]
    inputs = c.inputs(seed=index, dtype=dtype)
    out = forward_value(c, inputs)
    weights = np.random.default_rng(1000 + index).uniform(-1.5, 1.5, np.shape(out)).astype(dtype)
    return [*inputs.values(), weights]


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_gradient_matches_central_differences(gradients, index):
    c = CASES[index]
    grads = s2sgrad.check_grad(gradients(index), *arguments(index), wrt=c.wrt)
    for name, g in zip(c.wrt, grads):
        if isinstance(g, np.ndarray) and g.ndim > 0:
            assert g.flags.writeable, f"the gradient with respect to {name} is a read-only view"


FLOAT32 = [i for i, c in enumerate(CASES) if c.float32]


@pytest.mark.parametrize("index", FLOAT32, ids=[IDS[i] for i in FLOAT32])
def test_float32_inputs_give_float32_gradients(gradients, index):
    c = CASES[index]
    f = gradients(index)
    args32 = arguments(index, np.float32)
    grads32 = f(*args32)
    # where NumPy itself computes in float64 (np.eye, an int64 argmax, np.dot of a Python float), so may the
    # gradient; a float32 computation must give float32 gradients
    computes_float32 = np.result_type(forward_value(c, c.inputs(seed=index, dtype=np.float32))) == np.float32
    args64 = [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype == np.float32 else a for a in args32]
    grads64 = f(*args64)
    names = list(c.args)
    for name, g32, g64 in zip(c.wrt, grads32, grads64):
        if computes_float32 and isinstance(args32[names.index(name)], np.ndarray):
            assert np.result_type(g32) == np.float32, f"d{name} is {np.result_type(g32)}"
        scale = max(1.0, float(np.max(np.abs(g64))))
        np.testing.assert_allclose(np.asarray(g32, dtype=np.float64), g64, rtol=2e-3, atol=2e-3 * scale)


def test_there_are_at_least_300_cases():
    assert len(CASES) >= 300
