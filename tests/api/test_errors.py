"""Every unsupported construct fails clearly: which construct, which file and line, what to do instead."""
import inspect
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad import (
    NoDerivativeRuleError, NonScalarOutputError, SourceUnavailableError, UnsupportedConstructError, WrtError, grad,
)

from . import bad_functions as bad


def marked_line(fn) -> int:
    lines, start = inspect.getsourcelines(fn)
    for offset, line in enumerate(lines):
        if "# <--" in line:
            return start + offset
    raise AssertionError(f"{fn.__name__} has no marked line")


CASES = [
    (bad.uses_try, "a `while ... else` loop inside a `try` body"),
    (bad.uses_with, "a `with` statement"),
    (bad.uses_global, "a `global` declaration"),
    (bad.deletes_an_element, "`del y[0]`, which changes a value in place"),
    (bad.uses_class, "a class definition"),
    (bad.uses_import, "an `import` inside the function"),
    (bad.uses_match, "a sequence pattern in a `match` statement"),
    (bad.uses_set_comprehension, "holding values that carry derivatives"),
    (bad.uses_walrus, "an assignment expression `:=` inside a comprehension"),
    (bad.uses_starred_call, "a starred argument"),
    (bad.uses_attribute_store, "assignment to `x.value`"),
    (bad.returns_nothing, "returns nothing"),
    (bad.unknown_numpy_function, "`np.i0`"),
    (bad.calls_unknown_name, "`not_defined_anywhere`"),
    (bad.uses_async, "a nested `async def`"),
]


@pytest.mark.parametrize("fn, construct", CASES, ids=[fn.__name__ for fn, _ in CASES])
def test_unsupported_construct_error(fn, construct):
    with pytest.raises(UnsupportedConstructError) as info:
        grad(fn)                                  # raised when grad is applied, not at call time
    message = str(info.value)
    assert construct in message
    assert f'bad_functions.py", line {marked_line(fn)}' in message
    assert "What to do:" in message
    quoted = inspect.getsourcelines(fn)[0][marked_line(fn) - inspect.getsourcelines(fn)[1]].strip()
    assert quoted in message                      # the offending line is quoted


def test_unknown_function_error_says_how_to_register_a_rule():
    with pytest.raises(NoDerivativeRuleError) as info:
        grad(bad.unknown_numpy_function)
    assert "s2sgrad.defvjp(np.i0" in str(info.value)


@pytest.mark.parametrize("target", [math.remainder, len, print])
def test_callables_without_python_source_or_rule(target):
    with pytest.raises((SourceUnavailableError, NoDerivativeRuleError)) as info:
        grad(target)
    assert "source" in str(info.value) or "rule" in str(info.value)


def test_function_defined_by_exec_has_no_source():
    namespace = {}
    exec("def typed_at_a_prompt(x):\n    return x * 2\n", namespace)
    with pytest.raises(SourceUnavailableError) as info:
        grad(namespace["typed_at_a_prompt"])
    assert "no source text" in str(info.value)
    assert "Define the function in a .py file" in str(info.value)


@pytest.mark.parametrize("fn, shown", [
    (bad.returns_a_vector, "an array of shape (2,)"),
    (bad.returns_a_tuple, "a tuple"),
    (bad.returns_a_complex, "a complex"),
])
def test_result_that_is_not_a_real_scalar_fails_at_call_time(fn, shown):
    g = grad(fn)                                  # fine to transform
    with pytest.raises(NonScalarOutputError) as info:
        g(1.5)
    assert shown in str(info.value)
    assert fn.__name__ in str(info.value)


@pytest.mark.parametrize("wrt, text", [
    (5, "has 2 positional parameters"),
    ("m", "has no parameter named 'm'"),
    (("x", "x"), "names a parameter twice"),
    (1.5, "parameter index or name"),
])
def test_wrt_errors(wrt, text):
    with pytest.raises(WrtError) as info:
        grad(bad.integer_power, wrt=wrt)
    assert text in str(info.value)


def test_errors_are_s2sgrad_errors():
    assert issubclass(UnsupportedConstructError, s2sgrad.S2SGradError)
    assert issubclass(NonScalarOutputError, s2sgrad.S2SGradError)


def test_third_derivatives_are_derivatives_not_refusals():
    third = grad(grad(grad(bad.integer_power)))
    assert third(1.5, 4) == pytest.approx(4 * 3 * 2 * 1.5)        # d3/dx3 x**4 = 24 x
