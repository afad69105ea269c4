"""A class called through a value, not by its global name: `cls(w, b)` in a classmethod, `type(self)(...)`,
`self.__class__(...)`, a class passed as an argument. Lowering builds `Params(w, b)` written by name (a
dataclass, a namedtuple or a class whose __init__ only stores packs its fields); called through a value it
reached the runtime as a callee without source and stopped with 'cannot read the Python source of <class
...> (a type): it is not a function written in Python', although the same construction by name is
differentiated. Now it is differentiated the same way, and a class that cannot be built inside is refused
with the reason lowering gives (its __init__ computes), naming the class."""
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError

from .differences import central_in


@dataclass
class Linear:
    w: np.ndarray
    b: float = 0.0

    def predict(self, X):
        return X @ self.w + self.b

    @classmethod
    def make(cls, w, b):
        return cls(w=w, b=b)

    def scaled(self, s):
        return type(self)(self.w * s, self.b * s)

    def halved(self):
        return self.__class__(self.w / 2)


class Point(NamedTuple):
    x: float
    y: float = 1.0

    def shifted(self, d):
        return type(self)(self.x + d, self.y * d)


class Stored:
    def __init__(self, a, b=2.0):
        self.a = a
        self.b = b

    def twice(self):
        return self.__class__(2 * self.a, self.b)


class Computing:
    def __init__(self, a):
        self.a = a * 2

    @classmethod
    def of(cls, a):
        return cls(a)


X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8], [1.0, 1.0]])


def by_classmethod(w, b):
    return np.sum(Linear.make(w, b).predict(X) ** 2)


def by_type_of_self(w, b):
    return np.sum(Linear(w, b).scaled(2.0).predict(X) ** 2)


def by_class_attribute(w, b):
    return np.sum(Linear(w, b).halved().predict(X) ** 2) + b


def by_parameter(w, b, kind=Linear):
    return np.sum(kind(w, b).predict(X) ** 2)


def namedtuple_by_type(w, b):
    p = Point(np.sum(w)).shifted(b)
    return p.x ** 2 * p.y


def stored_by_class_attribute(w, b):
    q = Stored(np.sum(w * w), b).twice()
    return q.a * q.b + q.a ** 3


FUNCTIONS = [by_classmethod, by_type_of_self, by_class_attribute, by_parameter, namedtuple_by_type,
             stored_by_class_attribute]


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_gradient_of_a_class_called_through_a_value(f):
    w, b = np.array([0.3, -0.7]), 0.4
    grad = s2sgrad.grad(f, wrt=(0, 1))
    for _ in range(3):          # the first call and the shape-specialized ones
        gw, gb = grad(w, b)
        np.testing.assert_allclose(gw, central_in(f, (w, b), 0), rtol=1e-6, atol=1e-8)
        assert gb == pytest.approx(central_in(f, (w, b), 1), rel=1e-6, abs=1e-8)
    tangent = np.array([1.0, -2.0])
    _, forward = s2sgrad.jvp(f, (w, b), (tangent, 0.5))
    expected = central_in(f, (w, b), 0) @ tangent + 0.5 * central_in(f, (w, b), 1)
    assert forward == pytest.approx(expected, rel=1e-6)
    _, pull = s2sgrad.vjp(f, w, b)
    np.testing.assert_allclose(pull(2.0)[0], 2.0 * central_in(f, (w, b), 0), rtol=1e-6, atol=1e-8)


def test_a_class_that_cannot_be_built_inside_is_refused_naming_it():
    def uses_computing(a):
        return Computing.of(a).a ** 2

    with pytest.raises(S2SGradError, match=r"constructing a `Computing` object") as caught:
        s2sgrad.grad(uses_computing)(0.7)
    assert "__init__ also runs" in str(caught.value)
    assert "cannot read the Python source" not in str(caught.value)
