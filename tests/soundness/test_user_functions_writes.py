"""Calls that write into an array through an argument, written as users write them.

`np.add.at(y, i, v)`, `np.sin(x, y)` (NumPy's positional out), `np.cumsum(x, 0, None, y)`,
`np.sum(x, out=y)` and a generator's `shuffle(y)` change `y`, and no rule's adjoint follows that change:
every gradient of these functions was silently wrong (all zeros where the call was a statement). Each
must now stop at the user's line, and the same computation written with returned values must be right.
"""
import numpy as np
import pytest
from numpy import copyto, place

import s2sgrad
from s2sgrad import UnsupportedConstructError

try:
    import scipy.stats as scipy_stats
except ImportError:             # SciPy is optional
    scipy_stats = None

RNG = np.random.default_rng(0)
X = np.arange(3.0)


def add_at_histogram(x):
    y = np.zeros(3)
    np.add.at(y, np.array([0, 1, 0, 2]), x)
    return np.sum(y ** 2)


def subtract_at(x):
    y = np.ones(3)
    np.subtract.at(y, [0, 1, 1], x)
    return np.sum(y ** 2)


def maximum_at(x):
    y = np.zeros(3)
    np.maximum.at(y, [0, 1, 1], x)
    return np.sum(y ** 2)


def sin_into(x):
    y = np.zeros(3)
    np.sin(x, y)
    return np.sum(y)


def matmul_into(x):
    y = np.zeros(2)
    np.matmul(np.ones((2, 3)), x, y)
    return np.sum(y ** 2)


def clip_into(x):
    y = np.zeros(3)
    np.clip(x, 0, 1, y)
    return np.sum(y ** 2)


def cumsum_positional_out(x):
    y = np.zeros(3)
    np.cumsum(x, 0, None, y)
    return np.sum(y ** 2)


def cumsum_out_used(x):
    y = np.zeros(3)
    z = np.cumsum(x, 0, None, y)
    return np.sum(y ** 2) + np.sum(z)


def sum_out_keyword_used(x):
    y = np.zeros(())
    z = np.sum(x ** 2, out=y)
    return float(y) + z


def mean_out_positional(x):
    y = np.zeros(())
    z = np.mean(x, None, None, y)
    return y * 3.0 + z


def method_out_used(x):
    y = np.zeros(3)
    z = x.cumsum(0, None, y)
    return np.sum(y ** 2) + np.sum(z)


def global_method_out(x):
    y = np.zeros(3)
    X.cumsum(0, None, y)
    return np.sum(y * x)


def put_along_axis(x):
    y = np.zeros((2, 2))
    np.put_along_axis(y, np.array([[1], [0]]), x[:, None], axis=1)
    return np.sum(y * np.arange(4.0).reshape(2, 2))


def shuffle_new_generator(x):
    y = x * 1.0
    np.random.default_rng(0).shuffle(y)
    return np.sum(y * np.arange(3.0))


def shuffle_global_generator(x):
    y = x * 1.0
    RNG.shuffle(y)
    return np.sum(y * np.arange(3.0))


def imported_place(x):
    y = np.zeros(3)
    place(y, np.array([True, False, True]), x[:2])
    return np.sum(y ** 2)


def imported_copyto(x):
    y = np.zeros(3)
    copyto(y, x)
    return np.sum(y ** 2)


def helper_scatter(v):
    out = np.zeros(2)
    np.add.at(out, [0, 1, 0], v)
    return out


def calls_scattering_helper(x):
    return np.sum(helper_scatter(x) ** 2)


# np.add.at and np.subtract.at into the function's own array are followed since (test_scatter_add.py):
# add_at_histogram, subtract_at and calls_scattering_helper are checked below with the values returned
WRITES = [maximum_at, sin_into, matmul_into, clip_into, cumsum_positional_out,
          cumsum_out_used, sum_out_keyword_used, mean_out_positional, method_out_used, global_method_out,
          put_along_axis, shuffle_new_generator, shuffle_global_generator, imported_place,
          imported_copyto]


def _argument(f):
    return np.array([0.5, 1.5]) if f is put_along_axis else np.array([0.3, -1.2, 0.7])


@pytest.mark.parametrize("f", WRITES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_a_write_through_an_argument_stops_at_the_users_line(f, mode):
    x = _argument(f)
    with pytest.raises(UnsupportedConstructError) as error:
        if mode == "grad":
            s2sgrad.grad(f)(x)
        else:
            s2sgrad.jvp(f, (x,), (np.ones_like(x),))
    text = str(error.value)
    assert "test_user_functions_writes.py" in text and "What to do" in text


def rayleigh_quantiles(p):
    return np.sum(scipy_stats.rayleigh.ppf(p) ** 2)


def test_a_library_function_writing_with_an_imported_name_stops():
    """scipy.stats' ppf is Python that fills its result with `place(output, cond, ...)` (numpy.place
    imported by name): its gradient was silently zero. (The location-scale families' ppf have entries of
    their own since, test_library_solvers.py; rayleigh's goes through SciPy's code.)"""
    if scipy_stats is None:
        pytest.skip("SciPy is not installed")
    with pytest.raises(UnsupportedConstructError, match="place"):
        s2sgrad.grad(rayleigh_quantiles)(np.array([0.2, 0.6, 0.9]))


def bincount_histogram(x):
    y = np.zeros(3)
    y = y + np.bincount(np.array([0, 1, 0, 2]), weights=x, minlength=3)
    return np.sum(y ** 2)


def returned_values(x):
    y = np.sin(x)
    z = np.cumsum(x, 0)
    w = np.sum(x ** 2, axis=None, out=None)
    np.sin(x)                       # a statement that writes nowhere: dropped, as before
    return np.sum(y) + np.sum(z ** 2) + w


@pytest.mark.parametrize("f", [bincount_histogram, returned_values, add_at_histogram, subtract_at,
                               calls_scattering_helper], ids=lambda f: f.__name__)
def test_the_same_values_returned_are_differentiated(f):
    x = np.array([0.3, -1.2, 0.7, 0.4])[: 4 if f in (bincount_histogram, add_at_histogram) else 3]
    s2sgrad.check_grad(f, x)
    h = 1e-6
    e = np.eye(len(x))
    numeric = np.array([(f(x + h * e[i]) - f(x - h * e[i])) / (2 * h) for i in range(len(x))])
    np.testing.assert_allclose(s2sgrad.grad(f)(x), numeric, rtol=1e-6, atol=1e-8)


def put_values(x):
    y = np.zeros(4)
    np.put(y, [0, 2], x[:2])
    return np.sum(y ** 2)


def add_into_positional(x):
    y = np.zeros(3)
    np.add(x, x, y, where=True)
    return np.sum(y ** 2)


def add_dropped(x):
    np.add(x, 1.0)                  # a NumPy function's value dropped: no write, nothing to refuse
    return np.sum(x ** 2)


@pytest.mark.parametrize("f, said", [(put_values, "changes `y`"), (add_into_positional, "np.add")],
                         ids=["np.put", "np.add"])
def test_the_message_names_the_array_written_into_not_the_module(f, said):
    """np.put and np.add are functions of the module np, not methods of a value named np (list.put, set.add)."""
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(np.array([0.3, -1.2, 0.7]))
    assert said in str(error.value) and "changes `np`" not in str(error.value)


def test_a_dropped_numpy_value_is_no_write():
    np.testing.assert_allclose(s2sgrad.grad(add_dropped)(np.array([0.3, -1.2, 0.7])), [0.6, -2.4, 1.4])
