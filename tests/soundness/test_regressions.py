"""Silently wrong gradients found by reading the code, each pinned by its smallest reproducer.

Values read from outside the function (a global's or a closure's attribute, a
container's element, `.T` of a global array) have a shape nobody knows when
the gradient is built: their contribution must be reduced to the input's shape.
Side effects of nested functions and helpers on outside values have no
adjoint: they must be refused, not differentiated as 0.
"""
import importlib.util
import inspect
import math
import types

import numpy as np
import pytest

import s2sgrad
from s2sgrad import UnsupportedConstructError, check_grad, grad

from . import side_effect_functions as effects

cfg = types.SimpleNamespace(W=np.arange(6.0).reshape(2, 3))
B = np.arange(6.0).reshape(3, 2)
TABLE = {"w": np.arange(6.0).reshape(2, 3)}
ROWS = [np.arange(3.0), np.arange(6.0).reshape(2, 3)]


def times_attribute_of_global(x):
    return np.sum(x * cfg.W)


def times_transpose_of_global(x):
    return np.sum(x * B.T)


def times_dict_entry(x):
    return np.sum(x * TABLE["w"])


def times_list_item(x):
    return np.sum(np.multiply(ROWS[1], x))


def attribute_copied_first(x):
    w = cfg.W
    return np.sum(w * x)


def make_closure_reader():
    inner = types.SimpleNamespace(W=np.arange(6.0).reshape(2, 3))

    def times_attribute_of_closure(x):
        return np.sum(x * inner.W - inner.W.T.T)
    return times_attribute_of_closure


times_attribute_of_closure = make_closure_reader()


@pytest.mark.parametrize("x", [np.ones(3), np.array([0.5, -1.0, 2.0]), 2.0, np.ones((1, 3)), np.ones((2, 1))],
                         ids=["vector", "vector2", "scalar", "row", "column"])
def test_attribute_of_global_is_reduced_to_the_input_shape(x):
    assert np.shape(grad(times_attribute_of_global)(x)) == np.shape(x)
    check_grad(times_attribute_of_global, x)


def test_examples_from_the_issue():
    np.testing.assert_allclose(grad(times_attribute_of_global)(np.ones(3)), [3.0, 5.0, 7.0])
    np.testing.assert_allclose(grad(times_transpose_of_global)(np.ones(3)), B.T.sum(0))
    assert grad(times_attribute_of_global)(2.0) == pytest.approx(15.0)


@pytest.mark.parametrize("fn", [times_transpose_of_global, times_dict_entry, times_list_item,
                                attribute_copied_first, times_attribute_of_closure])
@pytest.mark.parametrize("x", [np.array([0.5, -1.0, 2.0]), 1.5], ids=["vector", "scalar"])
def test_outside_values_in_broadcasting_arithmetic(fn, x):
    assert np.shape(check_grad(fn, x)) == np.shape(x)


def scaled_by_pi(x):
    y = x * math.pi
    return y * x + np.e


def test_module_constants_keep_scalar_code_textbook_clean():
    source = grad(scaled_by_pi).source_for(2.0)
    assert "unbroadcast" not in source
    assert "dy * math.pi" in source
    assert grad(scaled_by_pi)(2.0) == pytest.approx(4 * math.pi)


# ---- side effects of nested functions and helpers ------------------------------------------------
# A nested def that accumulates into a captured variable, or a helper that appends to a module-level
# list, changes a value the output reads; that change has no adjoint, so the gradient through it was
# silently 0. Each is now refused at the line of the declaration or mutation.

def marked_line(fn) -> int:
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if "# <--" in line)


def _refusal(fn, marked=None):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(fn)(1.5)
    message = str(info.value)
    marked = marked or fn
    assert f'{inspect.getsourcefile(marked)}", line {marked_line(marked)}' in message
    assert "return" in message.split("What to do:")[1]        # the hint: return the value instead
    return message


def test_examples_from_the_issue_are_refused_not_zero():
    message = _refusal(effects.nonlocal_accumulator)
    assert "`nonlocal total` in the nested function `add`" in message
    message = _refusal(effects.nested_append)
    assert "`out.append(...)`" in message


NESTED = [effects.nested_global, effects.nested_setitem, effects.nested_augmented_setitem,
          effects.nested_setattr, effects.nested_mutates_its_argument, effects.lambda_append,
          effects.lambda_setitem, effects.lambda_setattr, effects.global_in_function_itself]


@pytest.mark.parametrize("fn", NESTED, ids=[fn.__name__ for fn in NESTED])
def test_nested_side_effects_are_refused_where_they_happen(fn):
    _refusal(fn)


OWN_WRITES = [effects.sets_global_attribute, effects.copies_into_global, effects.writes_out_argument,
              effects.updates_global_dict, effects.appends_to_global_list]


@pytest.mark.parametrize("fn", OWN_WRITES, ids=[fn.__name__ for fn in OWN_WRITES])
def test_writes_of_the_function_itself_into_values_are_refused(fn):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(fn)(np.full(3, 1.5))
    message = str(info.value)
    assert f'{inspect.getsourcefile(fn)}", line {marked_line(fn)}' in message
    assert "in place" in message and "What to do:" in message


HELPERS = [(effects.calls_log_helper, effects.log_square, "`LOG.append(...)`"),
           (effects.uses_global_accumulator, effects.add_to_global, "`global accumulated`"),
           (effects.calls_state_helper, effects.add_to_state, "`STATE['total']`"),
           (effects.calls_helper_of_helper, effects.add_to_state, "through the call to `through_another_helper`"),
           (effects.calls_filling_helper, effects.fill_first, "`buffer[0]`"),
           (effects.calls_attribute_helper, effects.set_scale, "`SETTINGS.scale`")]


@pytest.mark.parametrize("fn, helper, what", HELPERS, ids=[fn.__name__ for fn, _, _ in HELPERS])
def test_module_level_helpers_that_change_outside_values_are_refused(fn, helper, what):
    message = _refusal(fn, marked=helper)
    assert what in message
    assert "called as" in message or "reached through" in message        # and where the call is


# every mutating method on a captured value, in a nested def and in a lambda
METHODS = [("[0.0]", "append", "v"), ("[0.0]", "extend", "[v]"), ("[0.0]", "insert", "0, v"),
           ("[0.0]", "pop", ""), ("[0.0]", "remove", "0.0"), ("[0.0]", "clear", ""), ("[0.0]", "sort", ""),
           ("[0.0]", "reverse", ""), ("{'a': 0.0}", "update", "a=v"), ("{'a': 0.0}", "setdefault", "'b', v"),
           ("{'a': 0.0}", "pop", "'a'"), ("np.zeros(2)", "fill", "v"), ("[0.0]", "__setitem__", "0, v")]


def _method_module(tmp_path, initial, method, args):
    source = (
        "import numpy as np\n\n\n"
        "def nested(x):\n"
        f"    box = {initial}\n"
        "    def touch(v):\n"
        f"        box.{method}({args})  # <--\n"
        "        return v\n"
        "    touch(x)\n"
        "    return x * 2.0\n\n\n"
        "def in_lambda(x):\n"
        f"    box = {initial}\n"
        f"    touch = lambda v: box.{method}({args})  # <--\n"
        "    touch(x)\n"
        "    return x * 2.0\n")
    path = tmp_path / f"mutates_with_{method.strip('_')}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("initial, method, args", METHODS, ids=[f"{m}-{i[:2]}" for i, m, _ in METHODS])
def test_every_mutating_method_on_a_captured_value_is_refused(tmp_path, initial, method, args):
    module = _method_module(tmp_path, initial, method, args)
    for fn in (module.nested, module.in_lambda):
        message = _refusal(fn)
        assert f"`box.{method}(...)`" in message


def test_functions_changing_only_their_own_values_are_still_differentiated():
    assert grad(effects.nested_with_own_list)(1.5) == pytest.approx(6.0)
    assert grad(effects.calls_pure_helper)(1.5) == pytest.approx(9.0)          # d(3 x^2)/dx


_CACHE = {}


def cached_square(v):
    _CACHE[v] = v * v          # a side effect the registered rule vouches for
    return v * v


s2sgrad.defvjp(cached_square, "v", dv="dy * 2 * v")


def calls_ruled_helper(x):
    cached_square(x)
    return cached_square(x) * 2.0


def triples_and_caches(v):
    cached_square(v)               # followed from the call below: its rule vouches for it
    return v * 3.0


def calls_helper_calling_ruled_helper(x):
    triples_and_caches(x)
    return triples_and_caches(x) * x


def test_a_helper_with_its_own_rule_is_not_read():
    assert grad(calls_ruled_helper)(1.5) == pytest.approx(6.0)
    assert grad(calls_helper_calling_ruled_helper)(1.5) == pytest.approx(9.0)


@pytest.mark.parametrize("x, tangent", [(np.ones(3), np.ones(3)), (2.0, 1.0)], ids=["vector", "scalar"])
def test_forward_mode_stretches_the_tangent_of_an_input_an_outside_value_broadcast(x, tangent):
    def plus_attribute(x):
        return np.sum(x + cfg.W)
    _, derivative = s2sgrad.jvp(plus_attribute, (x,), (tangent,))
    assert derivative == pytest.approx(np.sum(np.broadcast_to(tangent, cfg.W.shape)))       # 6.0


def test_in_place_assignment_in_a_module_without_numpy():
    # the saved copy of the overwritten values is the runtime's copy_of, which the module need not import;
    # a module without NumPy once got "cannot resolve np.copy", a call the user never wrote, then a refusal
    from tests.soundness import no_numpy_module
    assert s2sgrad.grad(no_numpy_module.overwrite_an_element)(1.5) == pytest.approx(1 + 6 * 1.5)
    assert s2sgrad.jvp(no_numpy_module.overwrite_an_element, (1.5,), (1.0,))[1] == pytest.approx(1 + 6 * 1.5)


def _adds_one_in_place(x):
    y = x.copy()
    np.add(y, 1.0, out=y)
    return np.sum(y ** 2)


def test_a_ufunc_writing_through_out_names_the_array_it_writes():
    # `add` is also a set method: the message once said the call changes `np` in place
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="`out=y`, which changes it in place") as info:
        s2sgrad.grad(_adds_one_in_place)(np.ones(3))
    assert "changes `np`" not in str(info.value)


def _sorted_plus_one(a):
    return np.add(np.sort(a), 1.0)


def _uses_module_functions_named_like_methods(x):
    return np.sum(_sorted_plus_one(x) ** 2)


def test_module_functions_named_like_mutating_methods_are_not_side_effects():
    # np.add and np.sort share names with set.add and list.sort: a helper calling them was refused as
    # changing `np` in place
    x = np.array([0.3, -0.7, 0.9])
    np.testing.assert_allclose(s2sgrad.grad(_uses_module_functions_named_like_methods)(x), 2 * (x + 1.0))
