"""Forward mode over the gradient of a vector-valued function (a Hessian, jvp or jacfwd of grad) says why, as grad
does: the reverse sweep inside the gradient's code fails on the number 1.0 seeding a vector's adjoint, and the result
is read from the failed run (api/failed_run.py), never by running the function again."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import NonScalarOutputError

from .test_error_paths_no_rerun import runs, vector_of_array


@pytest.mark.parametrize("derivative", [
    lambda x: s2sgrad.hessian(vector_of_array)(x),
    lambda x: s2sgrad.jvp(s2sgrad.grad(vector_of_array), (x,), (x,)),
    lambda x: s2sgrad.jacfwd(s2sgrad.grad(vector_of_array))(x),
], ids=["hessian", "jvp of grad", "jacfwd of grad"])
def test_forward_mode_over_a_vector_function_s_gradient_says_why(capsys, derivative):
    with pytest.raises(NonScalarOutputError, match=r"vector_of_array to return a real scalar.*shape \(2,\)"):
        derivative(np.ones(3))
    assert runs(capsys, "vector_of_array") == 1
