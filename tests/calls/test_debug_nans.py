"""grad(f, debug_nans=True): stop at the first NaN or infinity, naming the user's line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad.runtime.nan_checks import NaNError


def sqrt_model(x):
    y = np.sqrt(x)
    z = y * 2.0
    return np.sum(z)


def log_model(x):
    shifted = x - 1.0
    logs = np.log(shifted)
    return np.sum(logs * logs)


def summed_sines(v):
    return sum(np.sin(v * i) for i in range(3))


def test_a_nan_in_the_forward_sweep_names_the_user_s_line():
    g = s2sgrad.grad(log_model, debug_nans=True)
    with pytest.raises(NaNError) as info, np.errstate(all="ignore"):
        g(np.array([2.0, 0.5]))
    text = str(info.value)
    assert "`logs`, a value in the forward sweep, is NaN" in text
    assert "logs = np.log(shifted)" in text and "test_debug_nans.py" in text


def test_an_infinite_adjoint_names_the_line_whose_derivative_it_is():
    g = s2sgrad.value_and_grad(sqrt_model, debug_nans=True)
    with pytest.raises(NaNError) as info, np.errstate(all="ignore"):
        g(np.array([1.0, 0.0, 4.0]))        # sqrt is finite at 0, its derivative is not
    text = str(info.value)
    assert "an adjoint in the reverse sweep, is infinite" in text
    assert "y = np.sqrt(x)" in text


def test_finite_values_pass_and_gradients_are_unchanged():
    x = np.array([1.0, 4.0])
    checked = s2sgrad.grad(sqrt_model, debug_nans=True)(x)
    np.testing.assert_allclose(checked, 1.0 / np.sqrt(x))
    loop = s2sgrad.grad(summed_sines, debug_nans=True)
    assert loop(0.3) == pytest.approx(sum(i * np.cos(0.3 * i) for i in range(3)))


def test_without_the_option_the_generated_code_has_no_checks():
    plain = s2sgrad.grad(sqrt_model).source
    assert "stop_at_nan" not in plain
    checked = s2sgrad.grad(sqrt_model, debug_nans=True).source
    assert "stop_at_nan(y, 'y', " in checked
    assert checked.replace("\n", "").count("stop_at_nan") == 6
    # the unchecked program is the one made before: asking for checks did not change it
    assert s2sgrad.grad(sqrt_model).source == plain


def log_helper(v):
    shifted = v - 1.0
    return np.log(shifted)


def calls_log_helper(x):
    return log_helper(x) * 2.0


def test_a_nan_inside_a_helper_names_the_helper_s_line_and_the_call():
    with pytest.raises(NaNError) as info, np.errstate(all="ignore"):
        s2sgrad.grad(calls_log_helper, debug_nans=True)(0.5)
    text = str(info.value)
    assert "return np.log(shifted)" in text                      # inside the helper, where it appears
    assert "Called from calls_log_helper" in text and "return log_helper(x) * 2.0" in text
    assert "debug_nans=True" in s2sgrad.grad(calls_log_helper, debug_nans=True).source
    assert "debug_nans" not in s2sgrad.grad(calls_log_helper).source
