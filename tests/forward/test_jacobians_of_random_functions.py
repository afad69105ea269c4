"""jacrev and jacfwd run the function once per row or column: a function drawing random numbers gives
another value each run, so its rows would be taken at different draws. That once gave a silently wrong
Jacobian; now each run's value is compared with the first and a change stops with an error."""
import numpy as np
import pytest

import s2sgrad

NOISE = np.random.RandomState(0)


def noisy_square(x):
    return (x + 0.25 * NOISE.randn(*np.shape(x))) ** 2


def deterministic(x):
    return np.sin(x) * x[0]


@pytest.mark.parametrize("transform", [s2sgrad.jacrev, s2sgrad.jacfwd], ids=["jacrev", "jacfwd"])
def test_a_function_drawing_new_numbers_each_run_is_refused(transform):
    with pytest.raises(s2sgrad.S2SGradError, match="another value when run again"):
        transform(noisy_square)(np.array([0.5, 0.2]))


def test_jacobians_of_a_deterministic_function_agree():
    x = np.array([0.5, 0.2, -0.3])
    np.testing.assert_allclose(s2sgrad.jacrev(deterministic)(x), s2sgrad.jacfwd(deterministic)(x), rtol=1e-12)
