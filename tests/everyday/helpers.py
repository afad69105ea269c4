"""The check every everyday test makes: the gradient agrees with central differences, and the value
the gradient function returns is the plain function's own."""
from __future__ import annotations

import numpy as np

from s2sgrad import check_grad, value_and_grad


def checked(f, *args, wrt=0):
    """f's gradient, checked against central differences, after checking value_and_grad's value."""
    value, _ = value_and_grad(f, wrt=wrt)(*args)
    np.testing.assert_allclose(value, f(*args), rtol=1e-12)
    return check_grad(f, *args, wrt=wrt)
