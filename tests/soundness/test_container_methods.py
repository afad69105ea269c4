"""A method of a dict, list or tuple the function built, taken as a value (`get = d.get`): the reverse
sweep scattered its adjoint into the dict under the key "get" and stopped with a bare KeyError. It is
refused where it is written, in every mode; the method called at once is followed as before."""
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError


def stored_method(x):
    d = {"a": x * 2.0, "b": x ** 2}
    get = d.get
    return get("a") + get("b")


def stored_list_method(x):
    xs = [x, x * 3.0]
    first = xs.index
    return xs[first(x)] * x


def called_at_once(x):
    d = {"a": x * 2.0, "b": x ** 2}
    return d.get("a") + d.get("b")


@pytest.mark.parametrize("f, read", [(stored_method, "d.get"), (stored_list_method, "xs.index")])
def test_a_method_taken_as_a_value_is_refused_at_its_line(f, read):
    for transform in (lambda: s2sgrad.grad(f), lambda: s2sgrad.jvp(f, (1.5,), (1.0,))):
        with pytest.raises(UnsupportedConstructError) as info:
            transform()
        message = str(info.value)
        assert f"`{read}`" in message and "taken as a value" in message
        assert "test_container_methods.py" in message and f"{read}(...)" in message


def test_the_method_called_at_once_is_followed():
    assert s2sgrad.grad(called_at_once)(1.5) == pytest.approx(2.0 + 3.0)
    assert s2sgrad.jvp(called_at_once, (1.5,), (1.0,)) == pytest.approx((3.0 + 2.25, 5.0))
