"""User functions, closures, any callable, containers, custom rules, stop_gradient, caching (issue 5)."""
import functools
import importlib
import math
import sys
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NoDerivativeRuleError, UnsupportedConstructError, check_grad, grad, value_and_grad
from s2sgrad.transform import PREPARED

from . import custom_rule_functions as cr
from . import functions as f

RNG = np.random.default_rng(0)
VEC = np.array([0.3, -0.5, 0.8])


@pytest.mark.parametrize("fn, args, wrt", [
    (f.calls_helper_twice, (1.5, 0.5), (0, 1)),
    (f.level1, (0.5, 0.7), (0, 1)),                              # a 3-level helper chain
    (f.uses_keywords_and_defaults, (0.6, 0.9), (0, 1)),
    (f.nested_def, (0.5, 0.7), (0, 1)),                           # gradients flow into what it captures
    (f.lambda_inside, (0.5, 0.7), (0, 1)),
    (f.reads_globals, (VEC,), 0),
    (f.tuple_returning_helper, (0.7,), 0),
    (f.factorial_like, (1.3, 4), 0),                              # direct recursion
    (f.with_partial, (0.5, 0.8), (0, 1)),
    (f.imported_helper, (RNG.normal(size=(2, 3)), VEC, np.array([0.1, 0.2])), (0, 1, 2)),
    (f.module_attribute_helper, (VEC,), 0),
    (f.forwards_args, (0.7, 3), 0),
    (f.forwards_kwargs, (0.7,), 0),
    (f.builds_list, (0.7, 4), 0),
    (f.builds_dict, (0.5, 1.5), (0, 1)),
    (f.nested_def_reading_a_local_array, (VEC,), 0),          # its closure outlives the local's last use
])
def test_calls_match_central_differences(fn, args, wrt):
    check_grad(fn, *args, wrt=wrt)


@pytest.mark.parametrize("callee", [np.tanh, f.square, functools.partial(f.scaled_power, power=3), math.sin])
def test_function_passed_as_argument(callee):
    check_grad(f.function_as_argument, 0.4, callee)


def test_closure_over_an_array_is_live_not_frozen():
    weights = np.array([1.0, 2.0, 3.0])
    loss = f.closure_over_array(weights)
    g = grad(loss)
    assert np.allclose(g(VEC), 2 * VEC * weights ** 2)
    weights[:] = [0.5, 0.5, 0.5]                                  # the closure sees the new values
    assert np.allclose(g(VEC), 2 * VEC * 0.25)


def test_globals_are_read_at_call_time(monkeypatch):
    g = grad(f.reads_globals)
    assert np.allclose(g(VEC), 3.0 * f.OFFSETS)
    monkeypatch.setattr(f, "SCALE", 10.0)
    assert np.allclose(g(VEC), 10.0 * f.OFFSETS)


def test_generated_code_shows_the_call_and_its_adjoint():
    source = grad(f.calls_helper_twice, wrt=(0, 1)).source_for(1.5, 0.5)
    # the helper runs once: its forward records, its reverse resumes from the record
    assert "t1, square_record = call_forward(square, x, active=(0,))" in source
    assert "call_backward(square_record, dt1)" in source


@pytest.mark.parametrize("target, args, expected", [
    (lambda x: x ** 3, (2.0,), 12.0),
    (np.tanh, (0.5,), 1 - np.tanh(0.5) ** 2),
    (functools.partial(f.scaled_power, power=3), (2.0,), 18.0),
])
def test_any_callable_as_the_target_of_grad(target, args, expected):
    assert grad(target)(*args) == pytest.approx(expected)


def test_several_lambdas_on_one_line():
    first, second = (lambda x: x * x), (lambda x: x * x * x)
    assert (grad(first)(2.0), grad(second)(2.0)) == (4.0, 12.0)


def test_numpy_function_with_array_argument_and_nested_function():
    assert np.allclose(grad(np.sum)(VEC), np.ones(3))

    def local(x):
        return np.sum(np.sin(x))
    assert np.allclose(grad(local)(VEC), np.cos(VEC))


def test_bound_method_and_object_attributes():
    model = f.Model(RNG.normal(size=3), 0.5)
    X, y = RNG.normal(size=(6, 3)), RNG.normal(size=6)
    g = grad(f.model_loss, wrt="model")(model, X, y)
    assert isinstance(g, f.Model)
    residual = X @ model.w + model.b - y
    assert np.allclose(g.w, 2 * X.T @ residual / 6)
    assert g.b == pytest.approx(2 * residual.mean())
    assert np.allclose(grad(model.loss)(X, y), 2 * np.outer(residual, model.w) / 6)


def test_containers_keep_their_structure():
    params = (0.5, -0.3)
    g = grad(f.params_tuple)(params, VEC)
    assert isinstance(g, tuple) and len(g) == 2
    check_grad(f.params_tuple, params, VEC)
    mlp = {"W1": RNG.normal(size=(4, 3)), "b1": RNG.normal(size=4), "W2": RNG.normal(size=(1, 4)),
           "b2": RNG.normal(size=1)}
    g = grad(f.params_dict)(mlp, VEC)
    assert set(g) == set(mlp) and all(g[k].shape == mlp[k].shape for k in mlp)
    check_grad(f.params_dict, mlp, VEC)
    nested = {"layers": [np.array([1.0, 2.0, 3.0]), {"scale": 0.5}]}
    g = grad(f.nested_params)(nested, VEC)
    assert isinstance(g["layers"], list) and isinstance(g["layers"][1], dict)
    check_grad(f.nested_params, nested, VEC)


def test_has_aux():
    x = np.array([3.0, 4.0])
    grads, aux = grad(f.has_aux, has_aux=True)(x)
    assert np.allclose(grads, 2 * x) and aux["norm"] == 5.0
    (value, aux), grads = value_and_grad(f.has_aux, has_aux=True)(x)
    assert value == 25.0 and aux["norm"] == 5.0


def test_custom_rule_is_used_and_visible_in_the_generated_code():
    source = grad(cr.uses_softplus).source
    assert "sigmoid(" in source and "call_vjp" not in source
    check_grad(cr.uses_softplus, VEC)
    big = np.array([800.0, -800.0, 0.0])                          # the naive form would overflow
    assert np.allclose(grad(cr.uses_softplus)(big), 3.0 * cr.sigmoid(3.0 * big))


def test_stop_gradient_and_nondifferentiable():
    assert grad(cr.uses_stop_gradient)(1.5) == pytest.approx(1.5 ** 2)
    assert grad(cr.uses_nondifferentiable)(1.23) == pytest.approx(1.2)


def test_callee_without_source_or_rule_is_named_with_its_line():
    module = _module("no_rule_callee", """
        import math
        def f(x):
            return math.remainder(x, 1.0) * 2
    """)
    with pytest.raises(NoDerivativeRuleError) as info:
        grad(module.f)
    text = str(info.value)
    assert "`math.remainder`" in text and "line 4" in text and "s2sgrad.defvjp(math.remainder" in text


def test_partial_binding_a_differentiated_value_is_refused():
    module = _module("partial_of_active", """
        import functools
        def scale(a, x):
            return a * x
        def f(a, x):
            g = functools.partial(scale, a)
            return g(x)
    """)
    with pytest.raises(UnsupportedConstructError) as info:
        grad(module.f)(1.0, 2.0)
    assert "functools.partial" in str(info.value)


def test_transformation_is_cached_and_notices_a_changed_helper():
    module = _module("cached_module", """
        def helper(x):
            return x * x
        def f(x):
            return helper(x) + x
    """)
    assert grad(module.f)(3.0) == 7.0
    misses = PREPARED.misses
    assert grad(module.f)(3.0) == 7.0                 # unchanged: no transformation at all
    assert PREPARED.misses == misses
    module = _module("cached_module", """
        def helper(x):
            return x * x * x
        def f(x):
            return helper(x) + x
    """)
    assert grad(module.f)(3.0) == 28.0                # the edited helper is transformed afresh


def _module(name, text):
    import linecache
    import types
    source = textwrap.dedent(text)
    filename = f"<test module {name} {hash(source)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(compile(source, filename, "exec"), module.__dict__)
    return module
