"""Third (and fourth) derivatives of functions that call helpers, in every composition order.

A second derivative's calls to your helpers (call_forward_jvp, call_backward_jvp, call_forward_vjp,
call_backward_vjp) are differentiated again through their Python forms (api/recorded_call_forms.py).
Each result is checked against central differences of the second derivative.
"""
import numpy as np
import pytest

from s2sgrad import S2SGradError, grad, hessian, jacfwd, jacrev, jvp

from .differences import central


def cube(x):
    return x ** 3


def doubled_cube(x):
    return cube(x) * 2.0


def sines(x):
    t = 0.0
    for v in (1.0, 2.0):
        t = t + np.sin(x * v)
    return t


def helper_with_loop(x):
    return sines(x) * x


def nested_helpers(x):
    return doubled_cube(x) + cube(x) * np.cos(x)


def two_arguments(a, b):
    return np.sin(a) * b ** 2


def calls_with_two(x):
    return two_arguments(x, x * x) + x


def scaled_tanh(v):
    return np.tanh(v) * v


def array_helper(x):
    return np.sum(scaled_tanh(x) ** 2)


def array_helper_in_loop(x):
    s = 0.0
    for i in range(2):
        s = s + np.sum(scaled_tanh(x * (i + 1)))
    return s


THIRD = {
    "grad(grad(grad))": lambda f: grad(grad(grad(f))),
    "jacfwd(hessian)": lambda f: jacfwd(hessian(f)),
    "jacrev(hessian)": lambda f: jacrev(hessian(f)),
    "jacrev(jacrev(grad))": lambda f: jacrev(jacrev(grad(f))),
    "jacfwd(jacrev(grad))": lambda f: jacfwd(jacrev(grad(f))),
}
# every composition on two functions, the outermost-forward and outermost-reverse ones on the others
CASES = [(f, order) for f in (doubled_cube, calls_with_two) for order in THIRD] + \
        [(f, order) for f in (helper_with_loop, nested_helpers) for order in ("grad(grad(grad))", "jacrev(hessian)")]


@pytest.mark.parametrize("f, order", CASES, ids=[f"{order}-{f.__name__}" for f, order in CASES])
def test_scalar_third_derivative(f, order):
    x = 0.7
    expected = central(hessian(f), x, eps=1e-5)
    assert np.allclose(THIRD[order](f)(x), expected, rtol=1e-6, atol=1e-7)


def sine(x):
    return np.sin(x)


def sine_times_x(x):
    return sine(x) * x


def test_fourth_derivative_through_a_helper():
    """x sin(x) through a helper: its fourth derivative is x sin(x) - 4 cos(x), with forward mode or
    reverse mode outermost; x**3 * 2 has none."""
    x = 0.7
    exact = x * np.sin(x) - 4 * np.cos(x)
    assert grad(grad(grad(grad(sine_times_x))))(x) == pytest.approx(exact, rel=1e-10)
    assert jacrev(jacfwd(hessian(sine_times_x)))(x) == pytest.approx(exact, rel=1e-10)
    assert grad(grad(grad(grad(doubled_cube))))(x) == pytest.approx(0.0, abs=1e-9)


def test_fourth_derivative_forward_over_reverse_of_forms_is_refused_by_name():
    with pytest.raises(S2SGradError, match="keyword arguments that carry derivatives"):
        jacfwd(jacrev(hessian(sine_times_x)))(0.7)


@pytest.mark.parametrize("f", [array_helper, array_helper_in_loop], ids=lambda f: f.__name__)
def test_array_third_derivative_tensor(f):
    x = np.array([0.3, -0.5, 0.8])
    expected = central(hessian(f), x, eps=1e-5)
    forward = jacfwd(hessian(f))(x)
    assert forward.shape == (3, 3, 3)
    assert np.allclose(forward, expected, rtol=1e-6, atol=1e-7)
    assert np.allclose(jacrev(hessian(f))(x), forward, rtol=1e-10, atol=1e-12)


def test_hessian_vector_product_differentiated_again():
    """jvp of a Hessian-vector product: the third derivative contracted twice."""
    x, v = np.array([0.3, -0.5, 0.8]), np.array([1.0, 0.5, -0.3])

    def hvp(y):
        return jvp(grad(array_helper), (y,), (v,))[1]

    expected = central(hvp, x, eps=1e-5) @ v
    assert np.allclose(jvp(hvp, (x,), (v,))[1], expected, rtol=1e-6, atol=1e-7)
