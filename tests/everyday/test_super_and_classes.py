"""`super()` in the user's methods and constructors, and classes built inside the differentiated function
without an `__init__` of their own (a dataclass, class attributes only, an inherited one): every mode, the
gradient with respect to an object passed in, and the refusals, each naming its line."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from s2sgrad.transform import prepare

from .all_modes import all_modes


class Layer:
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        return self.w * x * x


class Scaled(Layer):
    def __init__(self, w, b):
        super().__init__(w)
        self.b = b

    def forward(self, x):
        return super().forward(x) + math.sin(x) * self.b


class Explicit(Layer):
    def __init__(self, w, b):
        Layer.__init__(self, w=w)
        self.b = b

    def forward(self, x):
        return Layer.forward(self, x) * self.b


class Deeper(Scaled):
    def forward(self, x):
        return super().forward(x) * 2.0 + self.w


class Constants:
    scale = 3.0
    offset = 0.5

    def apply(self, x):
        return self.scale * x * x + self.offset


@dataclasses.dataclass
class Point:
    x: float
    y: float

    def norm2(self):
        return self.x * self.x + self.y * self.y


class Mixin(Layer):
    def forward(self, x):
        return x


class Diamond(Scaled, Mixin):
    pass


class Renames(Layer):
    def __init__(self, v):
        super().__init__(v)


class ReadsSuperAttribute(Layer):
    def forward(self, x):
        return super().forward(x) * super().__class__.__name__.count("x")


def built_with_super(x):
    m = Scaled(x, x * x)
    return m.forward(x) + m.w


def built_with_explicit_parent(x):
    m = Explicit(x, 2.0)
    return m.forward(x) + m.b * x


def inherits_its_init(x):
    m = Deeper(np.tanh(x), 3.0)
    return m.forward(x)


def class_attributes_only(x):
    c = Constants()
    return c.apply(x) + c.scale * x


def dataclass_with_a_method(x):
    p = Point(x, x * 2.0)
    return p.norm2() * p.y


def method_of_an_object_passed_in(model, x):
    return model.forward(x) * x


def diamond(x):
    return Diamond(x, 2.0).forward(x)


def renames(x):
    return Renames(x).w


def reads_a_super_attribute(x):
    return ReadsSuperAttribute(x).forward(x)


def not_in_a_class(x):
    return super().forward(x)


@pytest.mark.parametrize("f", [built_with_super, built_with_explicit_parent, inherits_its_init,
                               class_attributes_only, dataclass_with_a_method])
@pytest.mark.parametrize("x", [0.7, 1.3])
def test_in_every_mode(f, x):
    all_modes(f, x)


def test_the_gradient_reaches_the_fields_of_an_object_passed_in():
    model, x, h = Deeper(2.0, 3.0), 1.3, 1e-6
    gradient = s2sgrad.grad(method_of_an_object_passed_in, wrt=0)(model, x)
    for field in ("w", "b"):
        up, down = Deeper(2.0, 3.0), Deeper(2.0, 3.0)
        setattr(up, field, getattr(up, field) + h)
        setattr(down, field, getattr(down, field) - h)
        numeric = (method_of_an_object_passed_in(up, x) - method_of_an_object_passed_in(down, x)) / (2 * h)
        assert getattr(gradient, field) == pytest.approx(numeric, rel=1e-6)
    all_modes(lambda x: method_of_an_object_passed_in(Deeper(2.0, 3.0), x), x)


def test_super_is_the_parents_method_called_on_self_after_a_check():
    source = prepare(Scaled.forward).ssa_source
    assert "    check_super(Scaled, self, 'forward', Layer)\n    t1 = Layer.forward(self, x)\n" in source


def test_a_class_whose_method_resolution_order_puts_another_class_in_between_stops_at_the_call():
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(diamond)(1.3)
    message = str(error.value)
    assert "`super().forward(...)` in a method of Scaled, called on a Diamond" in message
    assert "gives Mixin's" in message and "Mixin.forward(self, ...)" in message
    assert error.value.location.lineno == Scaled.forward.__code__.co_firstlineno + 1


@pytest.mark.parametrize("f, what", [
    (renames, "passes another name to the parameter `w` of Layer.__init__"),
    (reads_a_super_attribute, "`super()` other than to call one of its methods"),
    (not_in_a_class, "`super()` outside a method defined in a class body"),
])
def test_what_cannot_be_followed_is_refused_at_its_line(f, what):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(1.3)
    assert what in str(error.value)
    assert error.value.location.filename == __file__
    assert error.value.hint
