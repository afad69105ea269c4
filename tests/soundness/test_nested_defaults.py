"""Default values of nested functions are computed where the function is defined, in the enclosing
scope (ssa/closures.py), and one that carries a derivative is refused (analysis/defaults.py).

Both were wrong once: `def g(a, b=y)` after `y = y * 2` read the old y in the single-assignment form
(a wrong value), and a default reading a differentiated value passed no derivative (a silent zero)."""
import pytest

import s2sgrad
from tests.soundness import default_value_functions as functions


def test_a_default_reads_the_value_current_where_the_function_is_defined():
    value, dx = s2sgrad.value_and_grad(functions.default_after_reassignment)(1.3, 0.7)
    assert value == pytest.approx(functions.default_after_reassignment(1.3, 0.7))
    assert dx == pytest.approx(1.4)


@pytest.mark.parametrize("f", [functions.lambda_default, functions.default_after_reassignment,
                               functions.keyword_only_default], ids=lambda f: f.__name__)
def test_a_default_carrying_a_derivative_is_refused_in_both_modes(f):
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="default value") as info:
        s2sgrad.grad(f, argnums=(0, 1))(1.3, 0.7)
    assert "default_value_functions.py" in str(info.value)
    with pytest.raises(s2sgrad.UnsupportedConstructError, match="default value"):
        s2sgrad.jvp(f, (1.3, 0.7), (0.0, 1.0))


def test_defaults_that_carry_no_derivative_are_followed():
    assert s2sgrad.grad(functions.lambda_default)(1.3, 0.7) == pytest.approx(0.7)
    x = 1.3
    assert s2sgrad.grad(functions.loop_index_defaults)(x) == pytest.approx(1 + 2 * x + 3 * x ** 2)


def test_functions_sharing_code_run_with_their_own_defaults_in_forward_mode():
    # the four lambdas share one code object, so one transformation; jvp ran every one of them with the
    # first one's default (k=0) and gave derivative 0 (codegen/rebinding.py now binds each its own)
    x = 1.3
    for k, power in enumerate(functions.POWERS):
        value, tangent = s2sgrad.jvp(power, (x,), (1.0,))
        assert value == pytest.approx(x ** k) and tangent == pytest.approx(k * x ** (k - 1) if k else 0.0)
    _, tangent = s2sgrad.jvp(functions.sum_of_powers, (x, 0.7), (1.0, 0.0))
    assert tangent == pytest.approx(0.7 * (1 + 2 * x + 3 * x ** 2))
