"""jvp's primals and tangents are tuples (or lists), one entry per argument: anything else is refused by name
instead of failing inside s2sgrad ("'float' object is not iterable") or taking an array apart into arguments."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import WrtError

from .test_bad_calls import passes_a_constant_too, passes_an_unknown_keyword


def total(*xs):
    return sum(xs)


def square(x):
    return x * x


@pytest.mark.parametrize("primals, tangents, which", [
    (1.0, 1.0, "primals"),
    (np.ones(3), np.ones(3), "primals"),          # taken apart, it gave total's jvp over three numbers
    ((np.ones(3),), np.ones(3), "tangents"),
], ids=["numbers", "arrays", "bare tangent"])
def test_jvp_refuses_primals_and_tangents_that_are_not_tuples(primals, tangents, which):
    with pytest.raises(WrtError, match=rf"jvp takes the {which} as a tuple with one entry per argument"):
        s2sgrad.jvp(total, primals, tangents)


def test_jvp_takes_lists_as_tuples():
    assert s2sgrad.jvp(square, [3.0], [1.0]) == (9.0, 6.0)


@pytest.mark.parametrize("fn, message", [
    (passes_a_constant_too, "one_parameter() takes 1 positional argument but 2 positional arguments were given"),
    (passes_an_unknown_keyword, "one_parameter() got an unexpected keyword argument 'b'"),
], ids=["extra positional", "unknown keyword"])
def test_forward_mode_names_the_helper_called_with_arguments_it_does_not_take(fn, message):
    with pytest.raises(TypeError) as info:          # it named the generated `one_parameter.<jvp_one_parameter>`
        s2sgrad.jvp(fn, (1.0,), (1.0,))
    assert str(info.value).splitlines()[0] == message


@pytest.mark.parametrize("call, message", [
    (lambda: s2sgrad.jvp(square, (1.0, 2.0), (1.0, 1.0)),
     "square() takes 1 positional argument but 2 positional arguments were given"),
    (lambda: s2sgrad.jacfwd(square)(1.0, 2.0), "square() takes 1 positional argument but 2 positional arguments were given"),
    (lambda: s2sgrad.hessian(square)(1.0, 2.0), "square() takes 1 positional argument but 2 positional arguments were given"),
], ids=["jvp", "jacfwd", "hessian"])
def test_forward_mode_called_with_too_many_arguments_names_the_function(call, message):
    with pytest.raises(TypeError) as info:          # it named square.<grad_square>.<jvp_grad_square>
        call()
    assert str(info.value) == message
